// One answer of a session: a ConverseStream call through the served model (every gateway policy included)
// whose events become Nova Sonic output events as they arrive — a textOutput per text delta, a toolUse per
// tool call — inside one completion. Returns what the assistant said, for the conversation, and its usage.
import { randomUUID } from "node:crypto";
import type { CallContext, ConverseInput, Model, StreamEvent } from "../../../../core/model.js";
import type { ContentBlock, JsonValue, TokenUsage } from "../../../../core/shapes.generated.js";
import { BedrockError } from "../../../../core/errors.js";
import {
  completionEnd, completionStart, contentEnd, contentStart, textOutput, toolUse,
  TEXT_OUTPUT_CONFIGURATION, TOOL_USE_OUTPUT_CONFIGURATION, type CompletionIds, type OutputEvent,
} from "./output-events.js";

export interface AnswerResult {
  readonly content: ContentBlock[];
  readonly usage?: TokenUsage;
}

interface OpenText { kind: "text"; contentId: string; text: string }
interface OpenTool { kind: "tool"; contentId: string; toolUseId: string; name: string; input: string }

export async function answerTurn(opts: {
  model: Model;
  input: ConverseInput;
  ctx: CallContext;
  ids: Omit<CompletionIds, "completionId">;
  emit: (event: OutputEvent) => Promise<void>;
  /** The usageEvent that closes the completion (the session keeps the running totals). */
  usageEvent: (ids: CompletionIds, usage: TokenUsage | undefined) => OutputEvent;
}): Promise<AnswerResult> {
  const ids: CompletionIds = { ...opts.ids, completionId: randomUUID() };
  const { emit } = opts;
  const content: ContentBlock[] = [];
  let usage: TokenUsage | undefined;
  // Open content blocks by Converse block index.
  const open = new Map<number, OpenText | OpenTool>();

  const close = async (index: number) => {
    const block = open.get(index);
    if (!block) return;
    open.delete(index);
    if (block.kind === "text") {
      content.push({ text: block.text });
      await emit(contentEnd(ids, block.contentId, "TEXT", "END_TURN"));
      return;
    }
    const input = parseToolInput(block.name, block.input);
    content.push({ toolUse: { toolUseId: block.toolUseId, name: block.name, input } });
    await emit(toolUse(ids, block.contentId, { toolUseId: block.toolUseId, toolName: block.name, content: JSON.stringify(input) }));
    await emit(contentEnd(ids, block.contentId, "TOOL", "TOOL_USE"));
  };

  await emit(completionStart(ids));
  for await (const event of opts.model.converseStream(opts.input, opts.ctx) as AsyncIterable<StreamEvent>) {
    if ("contentBlockStart" in event && event.contentBlockStart) {
      const { contentBlockIndex: index, start } = event.contentBlockStart;
      if (start && "toolUse" in start) {
        const contentId = randomUUID();
        open.set(index, { kind: "tool", contentId, toolUseId: start.toolUse.toolUseId, name: start.toolUse.name, input: "" });
        await emit(contentStart(ids, contentId, "TOOL", TOOL_USE_OUTPUT_CONFIGURATION));
      }
    } else if ("contentBlockDelta" in event && event.contentBlockDelta) {
      const { contentBlockIndex: index, delta } = event.contentBlockDelta;
      let block = open.get(index);
      if ("text" in delta) {
        if (!block) {
          block = { kind: "text", contentId: randomUUID(), text: "" };
          open.set(index, block);
          await emit(contentStart(ids, block.contentId, "TEXT", TEXT_OUTPUT_CONFIGURATION));
        }
        if (block.kind !== "text") continue;
        block.text += delta.text;
        await emit(textOutput(ids, block.contentId, delta.text));
      } else if ("toolUse" in delta && block?.kind === "tool") {
        block.input += delta.toolUse.input;
      }
      // Reasoning and citation deltas have no Nova Sonic counterpart.
    } else if ("contentBlockStop" in event && event.contentBlockStop) {
      await close(event.contentBlockStop.contentBlockIndex);
    } else if ("metadata" in event && event.metadata) {
      usage = event.metadata.usage;
    }
  }
  for (const index of [...open.keys()]) await close(index);
  await emit(opts.usageEvent(ids, usage));
  await emit(completionEnd(ids, "END_TURN"));
  return { content, usage };
}

function parseToolInput(name: string, text: string): JsonValue {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new BedrockError("ModelStreamErrorException", `The model's input for tool ${name} is not valid JSON.`);
  }
}
