// One answer of a session: a ConverseStream call through the served model (every gateway policy included)
// whose events become Nova Sonic output events as they arrive — a textOutput per text delta, a toolUse per
// tool call — inside one completion. Returns what the assistant said, for the conversation, and its usage.
// Interrupted (barge-in), the answer stops where it is: its open text gets Nova Sonic's `{ "interrupted" : true }`
// textOutput, open contents end with stopReason INTERRUPTED, and what was said so far is what it said.
import { randomUUID } from "node:crypto";
import type { CallContext, ConverseInput, Model, StreamEvent } from "../../../../core/model.js";
import type { ContentBlock, JsonValue, TokenUsage } from "../../../../core/shapes.generated.js";
import { BedrockError } from "../../../../core/errors.js";
import {
  completionEnd, completionStart, contentEnd, contentStart, textOutput, toolUse,
  TEXT_OUTPUT_CONFIGURATION, TOOL_USE_OUTPUT_CONFIGURATION, type CompletionIds, type OutputEvent,
} from "./output-events.js";

/** What Nova Sonic writes into the interrupted text content (AWS's samples look for this string). */
export const INTERRUPTED_TEXT = '{ "interrupted" : true }';

export interface AnswerResult {
  readonly content: ContentBlock[];
  readonly usage?: TokenUsage;
}

export interface AnswerOptions {
  model: Model;
  input: ConverseInput;
  ctx: CallContext;
  ids: Omit<CompletionIds, "completionId">;
  emit: (event: OutputEvent) => Promise<void>;
  /** The usageEvent that closes the completion (the session keeps the running totals). */
  usageEvent: (ids: CompletionIds, usage: TokenUsage | undefined) => OutputEvent;
  /** Aborted when a newer turn barges in (ctx.signal fires too, so the upstream call is released). */
  interrupt?: AbortSignal;
}

export async function answerTurn(opts: AnswerOptions): Promise<AnswerResult> {
  const answer = new Answer(opts);
  const interrupted = () => opts.interrupt?.aborted === true;
  await opts.emit(completionStart(answer.ids));
  try {
    for await (const event of opts.model.converseStream(opts.input, opts.ctx) as AsyncIterable<StreamEvent>) {
      if (interrupted()) break;
      await answer.take(event);
    }
  } catch (err) {
    // A backend may fail on the abort that released it; an interruption is not a failure.
    if (!interrupted()) throw err;
  }
  return answer.end(interrupted() ? "INTERRUPTED" : "END_TURN");
}

interface OpenText { kind: "text"; contentId: string; text: string }
interface OpenTool { kind: "tool"; contentId: string; toolUseId: string; name: string; input: string }

/** The answer being written: its open contents by Converse block index, what it has said, its usage. */
class Answer {
  readonly ids: CompletionIds;
  private readonly open = new Map<number, OpenText | OpenTool>();
  private readonly content: ContentBlock[] = [];
  private usage: TokenUsage | undefined;

  constructor(private readonly opts: AnswerOptions) {
    this.ids = { ...opts.ids, completionId: randomUUID() };
  }

  async take(event: StreamEvent): Promise<void> {
    const { emit } = this.opts;
    if ("contentBlockStart" in event && event.contentBlockStart) {
      const { contentBlockIndex: index, start } = event.contentBlockStart;
      if (start && "toolUse" in start) {
        const contentId = randomUUID();
        this.open.set(index, { kind: "tool", contentId, toolUseId: start.toolUse.toolUseId, name: start.toolUse.name, input: "" });
        await emit(contentStart(this.ids, contentId, "TOOL", TOOL_USE_OUTPUT_CONFIGURATION));
      }
    } else if ("contentBlockDelta" in event && event.contentBlockDelta) {
      const { contentBlockIndex: index, delta } = event.contentBlockDelta;
      let block = this.open.get(index);
      if ("text" in delta) {
        if (!block) {
          block = { kind: "text", contentId: randomUUID(), text: "" };
          this.open.set(index, block);
          await emit(contentStart(this.ids, block.contentId, "TEXT", TEXT_OUTPUT_CONFIGURATION));
        }
        if (block.kind !== "text") return;
        block.text += delta.text;
        await emit(textOutput(this.ids, block.contentId, delta.text));
      } else if ("toolUse" in delta && block?.kind === "tool") {
        block.input += delta.toolUse.input;
      }
      // Reasoning and citation deltas have no Nova Sonic counterpart.
    } else if ("contentBlockStop" in event && event.contentBlockStop) {
      await this.close(event.contentBlockStop.contentBlockIndex);
    } else if ("metadata" in event && event.metadata) {
      this.usage = event.metadata.usage;
    }
  }

  /** Closes what is still open (cut short when interrupted), then the completion. */
  async end(stopReason: "END_TURN" | "INTERRUPTED"): Promise<AnswerResult> {
    const { emit } = this.opts;
    for (const [index, block] of [...this.open]) {
      if (stopReason === "END_TURN") {
        await this.close(index);
        continue;
      }
      this.open.delete(index);
      if (block.kind === "text") {
        // What was said before the interruption stays said.
        if (block.text) this.content.push({ text: block.text });
        await emit(textOutput(this.ids, block.contentId, INTERRUPTED_TEXT));
      }
      await emit(contentEnd(this.ids, block.contentId, block.kind === "text" ? "TEXT" : "TOOL", "INTERRUPTED"));
    }
    await emit(this.opts.usageEvent(this.ids, this.usage));
    await emit(completionEnd(this.ids, stopReason));
    return { content: this.content, usage: this.usage };
  }

  private async close(index: number): Promise<void> {
    const { emit } = this.opts;
    const block = this.open.get(index);
    if (!block) return;
    this.open.delete(index);
    if (block.kind === "text") {
      this.content.push({ text: block.text });
      await emit(contentEnd(this.ids, block.contentId, "TEXT", "END_TURN"));
      return;
    }
    const input = parseToolInput(block.name, block.input);
    this.content.push({ toolUse: { toolUseId: block.toolUseId, name: block.name, input } });
    await emit(toolUse(this.ids, block.contentId, { toolUseId: block.toolUseId, toolName: block.name, content: JSON.stringify(input) }));
    await emit(contentEnd(this.ids, block.contentId, "TOOL", "TOOL_USE"));
  }
}

function parseToolInput(name: string, text: string): JsonValue {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new BedrockError("ModelStreamErrorException", `The model's input for tool ${name} is not valid JSON.`);
  }
}
