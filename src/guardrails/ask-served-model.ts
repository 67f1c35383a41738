// The judge's transport: one Converse call to a served model (any backend — an Ollama model, a scripted
// fake), temperature 0, the prompt as the only user message; the reply is the answer's text. The model is
// looked up when asked, so the judge may be any model of the registry that the guardrails themselves wrap.
import { randomUUID } from "node:crypto";
import { ANONYMOUS } from "../core/caller.js";
import { newCallRecord } from "../core/call-record.js";
import { BedrockError } from "../core/errors.js";
import type { ModelCatalog } from "../core/model-info.js";
import type { CallContext } from "../core/model.js";
import type { AskJudge } from "./classifier/judge-classifier.js";

export const DEFAULT_JUDGE_MAX_TOKENS = 512;

export function askServedModel(opts: { catalog: () => ModelCatalog; modelId: string; maxTokens?: number }): AskJudge {
  return async (prompt) => {
    const served = opts.catalog().resolve(opts.modelId);
    if (!served) throw new BedrockError("ValidationException", `The guardrail judge model ${opts.modelId} is not served.`);
    const requestId = randomUUID();
    const ctx: CallContext = {
      requestedModelId: opts.modelId,
      requestId,
      startedAt: process.hrtime.bigint(),
      caller: ANONYMOUS,
      record: newCallRecord({ requestId, frontDoor: "guardrail-judge", operation: "Converse" }),
      signal: new AbortController().signal,
    };
    const output = await served.model.converse({
      messages: [{ role: "user", content: [{ text: prompt }] }],
      inferenceConfig: { maxTokens: opts.maxTokens ?? DEFAULT_JUDGE_MAX_TOKENS, temperature: 0 },
    }, ctx);
    const content = output.output && "message" in output.output ? output.output.message.content : [];
    return content.map((b) => ("text" in b ? b.text : "")).join("");
  };
}
