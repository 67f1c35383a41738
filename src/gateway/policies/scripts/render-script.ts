// A script's declared answer as the Converse output or the exception the call gets. Usage members the script
// leaves out are computed the way basalt.echo counts tokens (whitespace-delimited runs), so they are
// deterministic and documented.
import { BedrockError } from "../../../core/errors.js";
import { latencyMs, type CallContext, type ConverseInput, type ConverseOutput } from "../../../core/model.js";
import type { ContentBlock, StopReason, TokenUsage } from "../../../core/shapes.generated.js";
import { inputTokensOf } from "../../../providers/echo/echo-model.js";
import { countTokens } from "../../../core/text-tokens.js";
import type { ScriptError, ScriptRespond } from "../../../config/script-schema.js";

/** Tokens an answer's content is worth: its text, reasoning text, cited text and tool input JSON. */
export function outputTokensOf(content: readonly ContentBlock[]): number {
  let n = 0;
  for (const b of content) {
    if ("text" in b) n += countTokens(b.text);
    else if ("toolUse" in b) n += countTokens(JSON.stringify(b.toolUse.input ?? {}));
    else if ("reasoningContent" in b && "reasoningText" in b.reasoningContent) n += countTokens(b.reasoningContent.reasoningText.text);
    else if ("citationsContent" in b) for (const c of b.citationsContent.content ?? []) n += countTokens(c.text);
  }
  return n;
}

function usageOf(respond: ScriptRespond, content: ContentBlock[], input: ConverseInput): TokenUsage {
  const given = respond.usage ?? {};
  const inputTokens = given.inputTokens ?? inputTokensOf(input);
  const outputTokens = given.outputTokens ?? outputTokensOf(content);
  const read = given.cacheReadInputTokens;
  const write = given.cacheWriteInputTokens;
  // As Bedrock reports Claude: inputTokens leaves cached tokens out and totalTokens adds everything up.
  const usage: TokenUsage = { inputTokens, outputTokens, totalTokens: given.totalTokens ?? inputTokens + outputTokens + (read ?? 0) + (write ?? 0) };
  if (read !== undefined) usage.cacheReadInputTokens = read;
  if (write !== undefined) usage.cacheWriteInputTokens = write;
  return usage;
}

export function renderRespond(respond: ScriptRespond, input: ConverseInput, ctx: CallContext): ConverseOutput {
  // The schema checked every block against the service model's ContentBlock union.
  const content = respond.content as unknown as ContentBlock[];
  const stopReason = (respond.stopReason ?? (content.some((b) => "toolUse" in b) ? "tool_use" : "end_turn")) as StopReason;
  const output: ConverseOutput = {
    output: { message: { role: "assistant", content } },
    stopReason,
    usage: usageOf(respond, content, input),
    metrics: { latencyMs: respond.latencyMs ?? latencyMs(ctx) },
  };
  if (respond.additionalModelResponseFields !== undefined) {
    output.additionalModelResponseFields = respond.additionalModelResponseFields as ConverseOutput["additionalModelResponseFields"];
  }
  if (respond.trace !== undefined) output.trace = respond.trace as ConverseOutput["trace"];
  return output;
}

export function renderError(error: ScriptError): BedrockError {
  const message = error.message ?? `Injected ${error.type} from a Basalt script.`;
  // Model errors carry the status the "model" answered with, as Bedrock's do.
  const fields = error.type === "ModelErrorException" || error.type === "ModelStreamErrorException" ? { originalStatusCode: 500 } : {};
  const err = new BedrockError(error.type, message, fields);
  if (error.status !== undefined) err.httpStatus = error.status;
  return err;
}
