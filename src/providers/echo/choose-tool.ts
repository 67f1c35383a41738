// Decides whether the echo model answers with a tool call: `/tool NAME {json}` lines and toolChoice.
import { createHash } from "node:crypto";
import { validationError } from "../../core/errors.js";
import type { ContentBlock, JsonValue, ToolConfiguration } from "../../core/shapes.generated.js";

/** `fromLine`: the input was written on a `/tool` line (else it is `{}`, for a call toolChoice forced). */
export interface ToolCall { name: string; input: JsonValue; toolUseId: string; fromLine: boolean }

const TOOL_LINE = /^\/tool\s+(\S+)\s*([\s\S]*)$/;

function toolLine(lastUser: ContentBlock[] | undefined): { name: string; json: string } | undefined {
  const first = lastUser?.find((b): b is { text: string } => "text" in b);
  const m = first ? TOOL_LINE.exec(first.text.trim()) : null;
  return m ? { name: m[1], json: m[2].trim() } : undefined;
}

function parseInput(json: string, name: string): JsonValue {
  if (json === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw validationError(`The input of the /tool ${name} line is not valid JSON. Provide a JSON object and try again.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw validationError(`The input of the /tool ${name} line must be a JSON object.`);
  }
  return value as JsonValue;
}

/** The same request always gets the same id, so tests can replay conversations. */
export function toolUseIdFor(requestKey: string): string {
  return "tooluse_" + createHash("sha256").update(requestKey).digest("base64url").slice(0, 22);
}

/**
 * `available`: the declared tools the conversation's toolAddition / toolRemoval blocks leave callable
 * (all declared tools when it has none).
 */
export function chooseTool(
  lastUser: ContentBlock[] | undefined,
  toolConfig: ToolConfiguration | undefined,
  requestKey: () => string,
  available?: ReadonlySet<string>,
): ToolCall | undefined {
  const declared = toolConfig?.tools.flatMap((t) => ("toolSpec" in t ? [t.toolSpec.name] : [])) ?? [];
  const names = available ? declared.filter((n) => available.has(n)) : declared;
  const line = toolLine(lastUser);
  if (line && !declared.includes(line.name)) {
    throw validationError(`The tool ${line.name} requested by the /tool line is not defined in toolConfig.tools.`);
  }
  const choice = toolConfig?.toolChoice;
  let name: string | undefined;
  if (choice && "tool" in choice) name = choice.tool.name;
  else if (line) name = line.name;
  else if (choice && "any" in choice) name = names[0];
  if (name !== undefined && !names.includes(name)) {
    throw validationError(`The tool ${name} isn't available: a toolRemoval block removed it. Add it back with a toolAddition block and try again.`);
  }
  if (!name) return undefined;
  const fromLine = line !== undefined && line.name === name;
  const input = fromLine ? parseInput(line.json, name) : {};
  return { name, input, toolUseId: toolUseIdFor(requestKey()), fromLine };
}
