// Decides whether the echo model answers with a tool call: `/tool NAME {json}` lines and toolChoice.
import { createHash } from "node:crypto";
import { validationError } from "../../core/errors.js";
import type { ContentBlock, JsonValue, ToolConfiguration } from "../../core/shapes.generated.js";

export interface ToolCall { name: string; input: JsonValue; toolUseId: string }

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

export function chooseTool(
  lastUser: ContentBlock[] | undefined,
  toolConfig: ToolConfiguration | undefined,
  requestKey: () => string,
): ToolCall | undefined {
  const names = toolConfig?.tools.flatMap((t) => ("toolSpec" in t ? [t.toolSpec.name] : [])) ?? [];
  const line = toolLine(lastUser);
  if (line && !names.includes(line.name)) {
    throw validationError(`The tool ${line.name} requested by the /tool line is not defined in toolConfig.tools.`);
  }
  const choice = toolConfig?.toolChoice;
  let name: string | undefined;
  if (choice && "tool" in choice) name = choice.tool.name;
  else if (line) name = line.name;
  else if (choice && "any" in choice) name = names[0];
  if (!name) return undefined;
  const input = line && line.name === name ? parseInput(line.json, name) : {};
  return { name, input, toolUseId: toolUseIdFor(requestKey()) };
}
