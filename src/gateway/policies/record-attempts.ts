// Times each call a served model makes to its provider and notes it in the call record as an attempt
// ({ provider, upstreamModel, outcome, durationMs }), adding its time to `upstreamMs`. It is the innermost
// policy, right above the provider, so a retry or fallback policy around it yields one attempt per try, and
// a call answered by a script or the cache none. It changes nothing, so a pass-through model keeps its relay;
// a relayed answer's token counts are read off the bytes going by (the front door never decodes them). A stream
// its client left never gets the upstream's usage: its tokens are estimated, so the ledger charges what the model
// was asked and what it had produced, as Bedrock bills an abandoned stream.
import type { AttemptRecord, CallRecord } from "../../core/call-record.js";
import { BedrockError } from "../../core/errors.js";
import type { ModelMiddleware } from "../../core/model-middleware.js";
import type { ModelInfo } from "../../core/model-info.js";
import type { CallContext, ConverseInput, Model, RelayedResponse, StreamEvent } from "../../core/model.js";
import { estimateInputTokens, estimateTextTokens } from "../../providers/shared/estimate-tokens.js";
import { watchRelayedTokens, type RelayedUsage } from "./read-relayed-usage.js";
import { watchStream } from "../../core/watch-stream.js";

function noteRelayedUsage(record: CallRecord, usage: RelayedUsage | undefined): void {
  if (!usage) return;
  if (usage.inputTokens !== undefined) record.inputTokens = usage.inputTokens;
  record.outputTokens = usage.outputTokens;
  if (usage.cacheReadInputTokens !== undefined) record.cacheReadTokens = usage.cacheReadInputTokens;
  if (usage.cacheWriteInputTokens !== undefined) record.cacheWriteTokens = usage.cacheWriteInputTokens;
}

interface Outcome { outcome: string; status?: number }

const OK: Outcome = { outcome: "ok" };
const ABORTED: Outcome = { outcome: "Aborted" };

/**
 * Notes an attempt that ended now. The record is built whole, in its one key order, rather than spread from
 * the model's names and given its duration afterwards: adding a key to a spread object moves it to a new
 * hidden class on every call (~1 % of an echo Converse's CPU in a profile).
 */
function note(ctx: CallContext, base: Names, ended: Outcome, startedAt: number): void {
  const durationMs = Math.round((performance.now() - startedAt) * 1000) / 1000;
  const attempt: AttemptRecord = ended.status === undefined
    ? { provider: base.provider, upstreamModel: base.upstreamModel, outcome: ended.outcome, durationMs }
    : { provider: base.provider, upstreamModel: base.upstreamModel, outcome: ended.outcome, status: ended.status, durationMs };
  ctx.record.attempts.push(attempt);
  ctx.record.upstreamMs = (ctx.record.upstreamMs ?? 0) + durationMs;
}

function outcomeOf(err: unknown): Outcome {
  if (err instanceof BedrockError) {
    return err.fields.originalStatusCode !== undefined ? { outcome: err.errorName, status: err.fields.originalStatusCode } : { outcome: err.errorName };
  }
  return { outcome: err instanceof Error && err.name === "AbortError" ? "Aborted" : "InternalServerException" };
}

interface Names { readonly provider: string; readonly upstreamModel: string }

/** Characters of generated content an event carries (text, reasoning, tool input). */
function deltaChars(event: StreamEvent): number {
  if (!("contentBlockDelta" in event)) return 0;
  const delta = event.contentBlockDelta?.delta as { text?: unknown; reasoningContent?: { text?: unknown }; toolUse?: { input?: unknown } } | undefined;
  if (!delta) return 0;
  if (typeof delta.text === "string") return delta.text.length;
  if (typeof delta.reasoningContent?.text === "string") return delta.reasoningContent.text.length;
  if (typeof delta.toolUse?.input === "string") return delta.toolUse.input.length;
  return 0;
}

/** A started stream that ended without its usage: the rule-of-thumb estimate, unless the record has counts. */
function estimateCutStream(record: CallRecord, input: ConverseInput, outputChars: number): void {
  if (record.inputTokens !== undefined || record.cache === "hit") return;
  record.inputTokens = estimateInputTokens(input);
  record.outputTokens = estimateTextTokens(outputChars);
}

export function recordAttempts(info: ModelInfo): ModelMiddleware {
  const base: Names = { provider: info.provider, upstreamModel: info.model ?? info.id };
  const middleware = (inner: Model): Model => {
    const wrapped: Model = {
      id: inner.id,
      async converse(input, ctx) {
        const t0 = performance.now();
        try {
          const out = await inner.converse(input, ctx);
          note(ctx, base, OK, t0);
          return out;
        } catch (err) {
          note(ctx, base, outcomeOf(err), t0);
          throw err;
        }
      },
      converseStream(input, ctx): AsyncIterable<StreamEvent> {
        let t0 = 0;
        let started = false;
        let usageSeen = false;
        let outputChars = 0;
        return watchStream(() => inner.converseStream(input, ctx), {
          onStart: () => { t0 = performance.now(); },
          onItem: (event) => {
            started = true;
            if ("metadata" in event) usageSeen = true;
            else outputChars += deltaChars(event);
          },
          // Also when the client left mid-stream (the writer returns the iterator): "Aborted".
          onEnd: (end) => {
            note(ctx, base, end.kind === "done" ? OK : end.kind === "error" ? outcomeOf(end.error) : ABORTED, t0);
            // Only a stream its client left: one that failed reports what the client saw (no usage).
            if (started && !usageSeen && end.kind === "stopped") estimateCutStream(ctx.record, input, outputChars);
          },
        });
      },
      async countTokens(input, ctx) {
        const t0 = performance.now();
        try {
          const n = await inner.countTokens(input, ctx);
          note(ctx, base, OK, t0);
          return n;
        } catch (err) {
          note(ctx, base, outcomeOf(err), t0);
          throw err;
        }
      },
    };
    const relay = inner.relay?.bind(inner);
    if (relay) {
      wrapped.relay = async (call, ctx) => {
        const t0 = performance.now();
        let upstream: RelayedResponse;
        try {
          upstream = await relay(call, ctx);
        } catch (err) {
          note(ctx, base, outcomeOf(err), t0);
          throw err;
        }
        // The attempt lasts until the relayed body has been read to its end.
        const errorType = upstream.headers["x-amzn-errortype"]?.split(":")[0];
        const outcome = upstream.status < 400 ? "ok" : errorType || `HTTP ${upstream.status}`;
        let ended: Outcome = { outcome, status: upstream.status };
        const body = watchRelayedTokens(upstream, (usage) => noteRelayedUsage(ctx.record, usage)).body;
        return {
          ...upstream,
          body: (async function* () {
            try {
              yield* body;
            } catch (err) {
              const failed = outcomeOf(err);
              ended = { outcome: failed.outcome, status: failed.status ?? upstream.status };
              throw err;
            } finally {
              note(ctx, base, ended, t0);
            }
          })(),
        };
      };
    }
    return wrapped;
  };
  // Not an admission check, but like one it never changes a request or an answer: the relay may stay.
  return Object.assign(middleware, { admissionOnly: true as const });
}
