// basalt.echo: a deterministic model that answers with the rendered last user message (README: "The
// echo model"), so every wire behaviour is testable without a real model.
import { latencyMs, type CallContext, type ConverseInput, type ConverseOutput, type Model, type StreamEvent } from "../../core/model.js";
import type { ContentBlock, CountTokensInput, JsonValue, StopReason, TokenUsage } from "../../core/shapes.generated.js";
import { parseResponseFieldPaths, pickResponseFields } from "../../formats/converse/pick-response-fields.js";
import { availableTools } from "./available-tools.js";
import { chooseTool, type ToolCall } from "./choose-tool.js";
import { cutReply } from "./cut-reply.js";
import { parseFault, pause, type Fault } from "./faults.js";
import { minimalInstance, WordSource, type Schema } from "./json-schema-lite.js";
import { checkModelRules } from "./model-rules.js";
import { PromptCache } from "./prompt-cache.js";
import { withPromptVariables } from "./prompt-variables.js";
import { reasoningRequested, reasoningTrace, signReasoning, verifyReasoningBlocks } from "./reasoning.js";
import { renderBlocks, renderSystemBlock } from "./render-content.js";
import { checkStrictInput, checkStrictTools, outputSchema, structuredReply } from "./structured-output.js";
import { countTokens, eachTokenPiece, tokenPieces } from "../../core/text-tokens.js";

interface Reasoning { text: string; signature: string }

interface EchoReply {
  fault?: Fault;
  text?: string;
  tool?: ToolCall;
  reasoning?: Reasoning;
  stopReason: StopReason;
  usage: TokenUsage;
  /** additionalModelResponseFields: the requested pointers resolved on echo's native body. */
  fields?: Record<string, JsonValue>;
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

/** The prompt tokens echo reports for a request (its promptVariables filled in), without calling the model. */
export function echoPromptTokens(input: ConverseInput): number {
  return inputTokensOf(withPromptVariables(input));
}

function lastUserContent(input: ConverseInput): ContentBlock[] | undefined {
  const messages = input.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === "user") return messages[i].content;
  return undefined;
}

const words = (text: string) => tokenPieces(text).map((p) => p.trim()).filter((w) => w !== "");

/**
 * The tool call's input: a `/tool` line's, checked against a strict schema; for a call toolChoice forced, the
 * smallest input valid against the tool's schema (strings from the prompt's words), as a model forced to call a
 * tool fills in what it requires. (SDKs get structured output so: the Vercel AI SDK's generateObject, LangChain's
 * withStructuredOutput force a `json` tool.)
 */
function toolInput(tool: ToolCall, input: ConverseInput, prompt: string): ToolCall {
  const spec = input.toolConfig?.tools.find((t) => "toolSpec" in t && t.toolSpec.name === tool.name);
  if (!spec || !("toolSpec" in spec)) return tool;
  if (tool.fromLine) {
    if (spec.toolSpec.strict === true) checkStrictInput(input.toolConfig, tool.name, tool.input);
    return tool;
  }
  const schema = "json" in spec.toolSpec.inputSchema ? spec.toolSpec.inputSchema.json : undefined;
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return tool;
  return { ...tool, input: minimalInstance(schema as Schema, new WordSource(words(prompt))) };
}

export class EchoModel implements Model {
  readonly #cache = new PromptCache();

  constructor(readonly id: string) {}

  #reply(request: ConverseInput, ctx: CallContext): EchoReply {
    const input = withPromptVariables(request);
    checkModelRules(this.id, input, ctx.record.operation);
    verifyReasoningBlocks(input);
    checkStrictTools(input.toolConfig);
    const pointers = parseResponseFieldPaths(input.additionalModelResponseFieldPaths);
    const schema = outputSchema(input);
    const inputTokens = inputTokensOf(input);
    const lastUser = lastUserContent(input);
    const fault = parseFault(lastUser);
    if (fault?.kind === "error" && fault.after === 0) throw fault.error;
    const cfg = input.inferenceConfig;
    let text: string | undefined;
    let tool: ToolCall | undefined;
    let stopReason: StopReason;
    const prompt = renderBlocks(lastUser ?? []).join("\n");
    if (fault?.kind === "slow") {
      // The reply is the text after the directive; other blocks render as usual.
      const rest = [fault.text, ...renderBlocks(lastUser!.slice(lastUser!.findIndex((b) => "text" in b) + 1))];
      ({ text, stopReason } = cutReply(rest.join("\n"), cfg?.maxTokens, cfg?.stopSequences));
    } else {
      tool = chooseTool(lastUser, input.toolConfig, () => JSON.stringify(input), input.toolConfig ? availableTools(input) : undefined);
      if (tool) {
        tool = toolInput(tool, input, prompt);
        stopReason = "tool_use";
      } else {
        const full = schema ? structuredReply(schema, words(prompt)) : prompt;
        ({ text, stopReason } = cutReply(full, cfg?.maxTokens, cfg?.stopSequences));
      }
    }
    const answer = tool ? JSON.stringify(tool.input) : text ?? "";
    const reasoning = reasoningRequested(input) ? trace(answer) : undefined;
    const outputTokens = countTokens(answer) + (reasoning ? countTokens(reasoning.text) : 0);
    const usage = this.#cache.usage(input, inputTokens, outputTokens);
    // Echo's native body (families/echo.ts) is what the pointers resolve on.
    const native = { outputText: text ?? "", stopReason, usage: { inputTokens: usage.inputTokens, outputTokens } };
    const fields = pickResponseFields(native, pointers);
    return { fault, text, tool, reasoning, stopReason, usage, ...(fields && { fields }) };
  }

  async converse(input: ConverseInput, ctx: CallContext): Promise<ConverseOutput> {
    const r = this.#reply(input, ctx);
    if (r.fault?.kind === "error") throw r.fault.error;
    if (r.fault?.kind === "slow") await pause(r.fault.delayMs * Math.max(1, countTokens(r.text ?? "")), ctx.signal);
    const content: ContentBlock[] = [];
    if (r.reasoning) content.push({ reasoningContent: { reasoningText: { text: r.reasoning.text, signature: r.reasoning.signature } } });
    content.push(r.tool ? { toolUse: { toolUseId: r.tool.toolUseId, name: r.tool.name, input: r.tool.input } } : { text: r.text ?? "" });
    return {
      output: { message: { role: "assistant", content } },
      stopReason: r.stopReason,
      usage: r.usage,
      metrics: { latencyMs: latencyMs(ctx) },
      ...(r.fields && { additionalModelResponseFields: r.fields }),
    };
  }

  async *converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    const r = this.#reply(input, ctx);
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

function trace(answer: string): Reasoning {
  const text = reasoningTrace(answer);
  return { text, signature: signReasoning(text) };
}

// Tool input JSON is streamed in pieces of this many characters, like a real model's argument deltas.
const TOOL_INPUT_CHUNK = 16;

function* events(r: EchoReply, ctx: CallContext): Iterable<StreamEvent> {
  yield { messageStart: { role: "assistant" } };
  let index = 0;
  if (r.reasoning) {
    // As Claude streams it (recording bedrock-reasoning.chunks.txt): text deltas, then the signature.
    for (const piece of eachTokenPiece(r.reasoning.text)) {
      yield { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: piece } } } };
    }
    yield { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { signature: r.reasoning.signature } } } };
    yield { contentBlockStop: { contentBlockIndex: 0 } };
    index = 1;
  }
  if (r.tool) {
    yield { contentBlockStart: { contentBlockIndex: index, start: { toolUse: { toolUseId: r.tool.toolUseId, name: r.tool.name } } } };
    const json = JSON.stringify(r.tool.input);
    for (let i = 0; i < json.length; i += TOOL_INPUT_CHUNK) {
      yield { contentBlockDelta: { contentBlockIndex: index, delta: { toolUse: { input: json.slice(i, i + TOOL_INPUT_CHUNK) } } } };
    }
  } else {
    for (const piece of eachTokenPiece(r.text ?? "")) yield { contentBlockDelta: { contentBlockIndex: index, delta: { text: piece } } };
  }
  yield { contentBlockStop: { contentBlockIndex: index } };
  yield { messageStop: { stopReason: r.stopReason, ...(r.fields && { additionalModelResponseFields: r.fields }) } };
  yield { metadata: { usage: r.usage, metrics: { latencyMs: latencyMs(ctx) } } };
}
