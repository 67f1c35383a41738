// basalt.echo: a deterministic model that answers with the rendered last user message (README: "The
// echo model"), so every wire behaviour is testable without a real model.
import { latencyMs, type CallContext, type ConverseInput, type ConverseOutput, type Model, type StreamEvent } from "../../core/model.js";
import type { ContentBlock, CountTokensInput, StopReason } from "../../core/shapes.generated.js";
import { chooseTool, type ToolCall } from "./choose-tool.js";
import { cutReply } from "./cut-reply.js";
import { parseFault, pause, type Fault } from "./faults.js";
import { renderBlocks, renderSystemBlock } from "./render-content.js";
import { countTokens, tokenPieces } from "../../core/text-tokens.js";

interface EchoReply {
  fault?: Fault;
  text?: string;
  tool?: ToolCall;
  stopReason: StopReason;
  inputTokens: number;
  outputTokens: number;
}

export function inputTokensOf(input: Pick<ConverseInput, "messages" | "system">): number {
  let n = 0;
  for (const s of input.system ?? []) {
    const r = renderSystemBlock(s);
    if (r !== undefined) n += countTokens(r);
  }
  for (const m of input.messages ?? []) for (const r of renderBlocks(m.content)) n += countTokens(r);
  return n;
}

function lastUserContent(input: ConverseInput): ContentBlock[] | undefined {
  const messages = input.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === "user") return messages[i].content;
  return undefined;
}

function reply(input: ConverseInput): EchoReply {
  const inputTokens = inputTokensOf(input);
  const lastUser = lastUserContent(input);
  const fault = parseFault(lastUser);
  if (fault?.kind === "error" && fault.after === 0) throw fault.error;
  if (fault?.kind === "slow") {
    // The reply is the text after the directive; other blocks render as usual.
    const rest = [fault.text, ...renderBlocks(lastUser!.slice(lastUser!.findIndex((b) => "text" in b) + 1))];
    const { text, stopReason } = cutReply(rest.join("\n"), input.inferenceConfig?.maxTokens, input.inferenceConfig?.stopSequences);
    return { fault, text, stopReason, inputTokens, outputTokens: countTokens(text) };
  }
  const tool = chooseTool(lastUser, input.toolConfig, () => JSON.stringify(input));
  if (tool) {
    return { tool, stopReason: "tool_use", inputTokens, outputTokens: countTokens(JSON.stringify(tool.input)) };
  }
  const full = renderBlocks(lastUser ?? []).join("\n");
  const cfg = input.inferenceConfig;
  const { text, stopReason } = cutReply(full, cfg?.maxTokens, cfg?.stopSequences);
  return { fault, text, stopReason, inputTokens, outputTokens: countTokens(text) };
}

function usage(r: EchoReply) {
  return { inputTokens: r.inputTokens, outputTokens: r.outputTokens, totalTokens: r.inputTokens + r.outputTokens };
}

// Tool input JSON is streamed in pieces of this many characters, like a real model's argument deltas.
const TOOL_INPUT_CHUNK = 16;

function* events(r: EchoReply, ctx: CallContext): Iterable<StreamEvent> {
  yield { messageStart: { role: "assistant" } };
  if (r.tool) {
    yield { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: r.tool.toolUseId, name: r.tool.name } } } };
    const json = JSON.stringify(r.tool.input);
    for (let i = 0; i < json.length; i += TOOL_INPUT_CHUNK) {
      yield { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: json.slice(i, i + TOOL_INPUT_CHUNK) } } } };
    }
  } else {
    for (const piece of tokenPieces(r.text ?? "")) yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: piece } } };
  }
  yield { contentBlockStop: { contentBlockIndex: 0 } };
  yield { messageStop: { stopReason: r.stopReason } };
  yield { metadata: { usage: usage(r), metrics: { latencyMs: latencyMs(ctx) } } };
}

export class EchoModel implements Model {
  constructor(readonly id: string) {}

  async converse(input: ConverseInput, ctx: CallContext): Promise<ConverseOutput> {
    const r = reply(input);
    if (r.fault?.kind === "error") throw r.fault.error;
    if (r.fault?.kind === "slow") await pause(r.fault.delayMs * tokenPieces(r.text ?? "").length, ctx.signal);
    const content: ContentBlock[] = r.tool
      ? [{ toolUse: { toolUseId: r.tool.toolUseId, name: r.tool.name, input: r.tool.input } }]
      : [{ text: r.text ?? "" }];
    return {
      output: { message: { role: "assistant", content } },
      stopReason: r.stopReason,
      usage: usage(r),
      metrics: { latencyMs: latencyMs(ctx) },
    };
  }

  async *converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    const r = reply(input);
    const failAfter = r.fault?.kind === "error" ? r.fault.after : Infinity;
    const delayMs = r.fault?.kind === "slow" ? r.fault.delayMs : 0;
    let sent = 0;
    for (const event of events(r, ctx)) {
      if (sent === failAfter) throw (r.fault as { error: Error }).error;
      // Paced replies wait before every token delta; an aborted call stops waiting at once.
      if (delayMs && "contentBlockDelta" in event) await pause(delayMs, ctx.signal);
      yield event;
      sent++;
    }
    if (sent <= failAfter && failAfter !== Infinity) throw (r.fault as { error: Error }).error;
  }

  async countTokens(input: CountTokensInput): Promise<number> {
    if ("converse" in input) return inputTokensOf(input.converse);
    if ("invokeModel" in input) return countTokens(Buffer.from(input.invokeModel.body, "base64").toString("utf8"));
    return 0;
  }
}
