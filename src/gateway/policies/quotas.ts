// Requests and tokens per minute, per key (auth.keys[].limits) and per model (models[].limits, all callers
// together); every limit that applies must admit a call. Counters live in the KeyValueStore: a sliding
// window, atomic per counter (one Lua script on Redis), shared by every node on the same Redis. Input
// tokens are counted at admission with the model's own CountTokens; output tokens are charged when the
// answer ends (streams and relays too). A failing counter store never fails a call: the store degrades to
// local counters (DegradingKeyValueStore) and anything else it throws lets the call through.
import { BedrockError } from "../../core/errors.js";
import type { ModelMiddleware } from "../../core/model-middleware.js";
import { CallContextOf, type CallContext, type ConverseInput, type Model, type RelayCall, type StreamEvent } from "../../core/model.js";
import type { CountTokensInput } from "../../core/shapes.generated.js";
import { newCallRecord } from "../../core/call-record.js";
import type { Caller } from "../../core/caller.js";
import type { KeyValueStore } from "../../storage/key-value-store.js";
import type { Limits } from "../../auth/auth-config.js";
import { estimateCountTokens, estimateTextTokens } from "../../providers/shared/estimate-tokens.js";
import { watchRelayedUsage } from "./read-relayed-usage.js";
import { watchStream } from "../../core/watch-stream.js";

export const TOO_MANY_REQUESTS = "Too many requests, please wait before trying again.";
export const TOO_MANY_TOKENS = "Too many tokens, please wait before trying again.";
const MINUTE_MS = 60_000;

export interface QuotaPolicyOptions {
  store: KeyValueStore;
  /** Limits of the wrapped model (models[].limits: all callers together). */
  modelLimits?: Limits;
  /** The store failed in a way it did not absorb itself; the call went through uncounted. */
  onStoreError?: (err: unknown) => void;
  /** Window length; one minute unless a test says otherwise. */
  windowMs?: number;
}

interface Counter {
  readonly key: string;
  readonly limit: number;
  readonly unit: "requests" | "tokens";
}

/** What an admitted call still owes: its output tokens, to the token counters that apply to it. */
interface Admitted {
  chargeOutput(tokens: number | undefined): void;
}

const NOTHING_OWED: Admitted = { chargeOutput: () => undefined };

function converseTokensInput(input: ConverseInput): CountTokensInput {
  const { messages, system, toolConfig, additionalModelRequestFields } = input;
  return { converse: { messages, system, toolConfig, additionalModelRequestFields } };
}

function relayTokensInput(call: RelayCall): CountTokensInput | undefined {
  if (call.action === "invoke" || call.action === "invoke-with-response-stream") {
    return { invokeModel: { body: Buffer.from(call.body).toString("base64") } };
  }
  if (call.action === "converse" || call.action === "converse-stream") {
    try {
      return converseTokensInput(JSON.parse(Buffer.from(call.body).toString("utf8")) as ConverseInput);
    } catch {
      return undefined;
    }
  }
  return undefined; // count-tokens: a request, but no tokens spent
}

function textOf(event: StreamEvent): number {
  if (!("contentBlockDelta" in event)) return 0;
  const delta = event.contentBlockDelta?.delta as Record<string, unknown> | undefined;
  return typeof delta?.text === "string" ? delta.text.length : 0;
}

/** Whether a quota could apply to a model at all: its own limits, or any key's. */
export function quotasApply(auth: { keys: readonly { limits?: Limits }[] } | undefined, modelLimits: Limits | undefined): boolean {
  const some = (l: Limits | undefined) => l?.requestsPerMinute !== undefined || l?.tokensPerMinute !== undefined;
  return some(modelLimits) || (auth?.keys.some((k) => some(k.limits)) ?? false);
}

/**
 * The call's context with a record of its own: the count that admits a call is not one of the call's upstream
 * attempts (the policies inside would note it as one, and the log line would say every call took two).
 */
function asideFrom(ctx: CallContext): CallContext {
  const record = newCallRecord({ requestId: ctx.requestId, frontDoor: ctx.record.frontDoor, operation: "CountTokens", caller: ctx.caller.name });
  return new CallContextOf(ctx.requestedModelId, ctx.requestId, ctx.startedAt, ctx.caller, record, ctx);
}

// A key's counters, made once per caller (callers are frozen and reused by the authenticator).
const keyCountersOf = new WeakMap<Caller, { requests?: Counter; tokens?: Counter }>();

function keyCounters(caller: Caller): { requests?: Counter; tokens?: Counter } {
  let counters = keyCountersOf.get(caller);
  if (!counters) {
    const { limits, name } = caller;
    counters = {
      ...(limits?.requestsPerMinute ? { requests: { key: `quota:key:${name}:requests`, limit: limits.requestsPerMinute, unit: "requests" as const } } : {}),
      ...(limits?.tokensPerMinute ? { tokens: { key: `quota:key:${name}:tokens`, limit: limits.tokensPerMinute, unit: "tokens" as const } } : {}),
    };
    keyCountersOf.set(caller, counters);
  }
  return counters;
}

export function quotaPolicy(options: QuotaPolicyOptions): ModelMiddleware {
  const { store } = options;
  const windowMs = options.windowMs ?? MINUTE_MS;
  const throttled = (unit: Counter["unit"]) =>
    new BedrockError("ThrottlingException", unit === "requests" ? TOO_MANY_REQUESTS : TOO_MANY_TOKENS);

  // It never changes a request or an answer (it only reads the relayed bytes going by), so a pass-through
  // model's relay stays behind it.
  const middleware = (inner: Model): Model => {
    const model = options.modelLimits;
    const modelRequests: Counter | undefined = model?.requestsPerMinute
      ? { key: `quota:model:${inner.id}:requests`, limit: model.requestsPerMinute, unit: "requests" } : undefined;
    const modelTokens: Counter | undefined = model?.tokensPerMinute
      ? { key: `quota:model:${inner.id}:tokens`, limit: model.tokensPerMinute, unit: "tokens" } : undefined;

    async function countInput(input: CountTokensInput | undefined, ctx: CallContext): Promise<number> {
      if (!input) return 0;
      try {
        return await inner.countTokens(input, asideFrom(ctx));
      } catch {
        // A backend without a usable CountTokens: the shared estimate, rather than refusing the call.
        return estimateCountTokens(input);
      }
    }

    /** Admits the call against every limit that applies, or throws ThrottlingException. */
    async function admit(ctx: CallContext, tokensInput: (() => CountTokensInput | undefined) | undefined): Promise<Admitted> {
      const key = keyCounters(ctx.caller);
      const requests: Counter[] = [];
      const tokens: Counter[] = [];
      if (key.requests) requests.push(key.requests);
      if (modelRequests) requests.push(modelRequests);
      if (tokensInput) {
        if (key.tokens) tokens.push(key.tokens);
        if (modelTokens) tokens.push(modelTokens);
      }
      if (requests.length === 0 && tokens.length === 0) return NOTHING_OWED;

      const inputTokens = tokens.length > 0 ? await countInput(tokensInput!(), ctx) : 0;
      const counters = [...requests, ...tokens];
      const checks = counters.map((c, i) => ({ key: c.key, cost: i < requests.length ? 1 : inputTokens, limit: c.limit }));
      try {
        // All of the call's windows in one admission: none is charged for a call another one refuses.
        const { refused } = await store.admitAll(checks, windowMs);
        if (refused !== undefined) throw throttled(counters[refused].unit);
      } catch (err) {
        if (err instanceof BedrockError) throw err;
        options.onStoreError?.(err);
        return NOTHING_OWED;
      }
      if (tokens.length === 0) return NOTHING_OWED;
      return {
        chargeOutput(output) {
          if (!output || output <= 0) return;
          for (const counter of tokens) {
            store.charge(counter.key, output, windowMs).catch((err: unknown) => options.onStoreError?.(err));
          }
        },
      };
    }

    const wrapped: Model = {
      id: inner.id,
      async converse(input, ctx) {
        const owed = await admit(ctx, () => converseTokensInput(input));
        const output = await inner.converse(input, ctx);
        // An answer from the response cache (inside this policy) produced no output tokens.
        if (ctx.record.cache !== "hit") owed.chargeOutput(output.usage?.outputTokens);
        return output;
      },
      converseStream(input, ctx) {
        let owed: Admitted | undefined;
        let reported: number | undefined;
        let textChars = 0;
        return watchStream(async () => {
          owed = await admit(ctx, () => converseTokensInput(input));
          return inner.converseStream(input, ctx);
        }, {
          onItem: (event) => {
            if ("metadata" in event) reported = event.metadata?.usage?.outputTokens;
            else textChars += textOf(event);
          },
          // A stream cut short has no metadata: charge what was produced, estimated from its text. (A call
          // refused at admission owes nothing.)
          onEnd: () => {
            if (owed !== undefined && ctx.record.cache !== "hit") owed.chargeOutput(reported ?? estimateTextTokens(textChars));
          },
        });
      },
      async countTokens(input, ctx) {
        await admit(ctx, undefined);
        return inner.countTokens(input, ctx);
      },
    };
    if (inner.relay) {
      const relay = inner.relay.bind(inner);
      wrapped.relay = async (call, ctx) => {
        const owed = await admit(ctx, call.action === "count-tokens" ? undefined : () => relayTokensInput(call));
        const response = await relay(call, ctx);
        return owed === NOTHING_OWED ? response : watchRelayedUsage(response, (n) => owed.chargeOutput(n));
      };
    }
    return wrapped;
  };
  return Object.assign(middleware, { admissionOnly: true as const });
}
