// The policy seam. A middleware takes the model it wraps and returns a model with the same interface, so a
// backend never knows a policy exists and every front door and operation gets every policy. gateway/ composes
// them in one documented order; each policy is one file there.
//
// A pass-through model (Model.relay) sends the client's bytes upstream unchanged, so a policy that reads or
// changes requests or answers would be bypassed by it. Hence: a middleware that merely admits or refuses a
// call declares `admissionOnly` (build it with `admissionMiddleware`) and the relay stays behind it; behind
// any other middleware the relay is dropped, and the front door translates the call through converse(). A
// middleware whose model serves relayed calls itself (it sees the raw request and answer: cassettes, or
// scripts that step aside when none can match) declares `handlesRelay` and keeps the relay it exposes.
import type { CallContext, ConverseInput, Model, RelayCall, StreamEvent } from "./model.js";
import type { CountTokensInput } from "./shapes.generated.js";

export type ModelMiddleware = ((inner: Model) => Model) & {
  /** True for a policy that only admits or refuses calls and never changes a request or an answer. */
  readonly admissionOnly?: boolean;
  /** True for a policy whose model implements `relay` itself, so relayed calls still pass through it. */
  readonly handlesRelay?: boolean;
};

/** Which model method a call is; what an admission check gets besides the context. */
export type CallKind = "converse" | "converseStream" | "countTokens" | "relay";

/** Throws (a BedrockError) to refuse the call; returns to admit it. */
export type Admit = (ctx: CallContext, kind: CallKind) => void | Promise<void>;

/** A middleware that runs `admit` before every call (relayed ones too) and changes nothing else. */
export function admissionMiddleware(admit: Admit): ModelMiddleware {
  const middleware = (inner: Model): Model => {
    const wrapped: Model = {
      id: inner.id,
      async converse(input: ConverseInput, ctx: CallContext) {
        await admit(ctx, "converse");
        return inner.converse(input, ctx);
      },
      async *converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
        await admit(ctx, "converseStream");
        yield* inner.converseStream(input, ctx);
      },
      async countTokens(input: CountTokensInput, ctx: CallContext) {
        await admit(ctx, "countTokens");
        return inner.countTokens(input, ctx);
      },
    };
    if (inner.relay) {
      const admitted = async (call: RelayCall, ctx: CallContext) => {
        await admit(ctx, "relay");
        return inner.relay!(call, ctx);
      };
      // Read per call: a policy inside may offer its relay only some of the time (scripts step aside when
      // none can match), so whether the call is relayed is decided when it arrives, not when models are built.
      Object.defineProperty(wrapped, "relay", { enumerable: true, get: () => (inner.relay ? admitted : undefined) });
    }
    return wrapped;
  };
  return Object.assign(middleware, { admissionOnly: true as const });
}

/** The same model without its relay: every call goes through the translating methods. */
function withoutRelay(model: Model): Model {
  return {
    id: model.id,
    converse: (input, ctx) => model.converse(input, ctx),
    converseStream: (input, ctx) => model.converseStream(input, ctx),
    countTokens: (input, ctx) => model.countTokens(input, ctx),
  };
}

/** Applies middlewares so that the first one listed is the outermost (sees the call first). */
export function wrapModel(model: Model, middlewares: readonly ModelMiddleware[]): Model {
  let wrapped = model;
  for (let i = middlewares.length - 1; i >= 0; i--) {
    const next = middlewares[i](wrapped);
    const keepsRelay = middlewares[i].admissionOnly || middlewares[i].handlesRelay;
    wrapped = next.relay && !keepsRelay ? withoutRelay(next) : next;
  }
  return wrapped;
}
