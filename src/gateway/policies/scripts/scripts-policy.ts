// The scripts policy: in front of any model, a call that a script matches is answered by the script
// (respond / error), or has its stream paced and broken by it (stream); every other call goes to the model
// unchanged. Scripts answer at the Converse level, so InvokeModel and its stream render them in the
// family's native body through the same path as any backend's answer.
import type { ModelMiddleware } from "../../../core/model-middleware.js";
import { latencyMs, type CallContext, type ConverseInput, type ConverseOutput, type Model, type StreamEvent } from "../../../core/model.js";
import { outputAsStream } from "../../../core/output-as-stream.js";
import { pause } from "../../../providers/echo/faults.js";
import type { CountTokensInput } from "../../../core/shapes.generated.js";
import { lastUserText, systemText, type CallFacts } from "./script-match.js";
import { renderError, renderRespond } from "./render-script.js";
import type { StreamFaults } from "../../../config/script-schema.js";
import type { ScriptStore, StoredScript } from "./script-store.js";
import { withStreamFaults } from "./stream-faults.js";

export function scriptsPolicy(store: ScriptStore): ModelMiddleware {
  const scripts = (inner: Model): Model => new ScriptedModel(inner, store);
  // Its relay is the backend's own, offered only while no script can match (see `relay` below).
  return Object.assign(scripts, { handlesRelay: true as const });
}

const isDelta = (e: StreamEvent) => e.contentBlockDelta !== undefined;

class ScriptedModel implements Model {
  constructor(private readonly inner: Model, private readonly store: ScriptStore) {}

  get id(): string {
    return this.inner.id;
  }

  /**
   * A pass-through backend keeps its byte-for-byte relay unless a script could answer for this model: then
   * calls take the typed path, where scripts see them (unmatched ones still reach the same upstream).
   */
  get relay(): Model["relay"] {
    const relay = this.inner.relay;
    if (!relay || this.store.mayMatchModel([this.inner.id])) return undefined;
    return relay.bind(this.inner);
  }

  private pick(input: ConverseInput, ctx: CallContext, fallbackOperation: string): StoredScript | undefined {
    if (this.store.size === 0) return undefined;
    const facts: CallFacts = {
      modelIds: ctx.requestedModelId === this.inner.id ? [this.inner.id] : [this.inner.id, ctx.requestedModelId],
      operation: ctx.record.operation || fallbackOperation,
      caller: ctx.caller.name,
      lastUserText: lastUserText(input),
      systemText: systemText(input),
    };
    const script = this.store.pick(facts);
    if (script) ctx.record.script = script.id;
    return script;
  }

  converse(input: ConverseInput, ctx: CallContext): Promise<ConverseOutput> {
    const script = this.pick(input, ctx, "Converse");
    // Unscripted calls go straight to the model: no extra promise or generator on the hot path.
    return script ? this.scriptedConverse(script, input, ctx) : this.inner.converse(input, ctx);
  }

  private async scriptedConverse(script: StoredScript, input: ConverseInput, ctx: CallContext): Promise<ConverseOutput> {
    const { respond, error, stream } = script.spec;
    if (error) throw renderError(error);
    if (!respond) {
      if (stream?.ttftMs) await pause(stream.ttftMs, ctx.signal);
      return this.inner.converse(input, ctx);
    }
    const output = renderRespond(respond, input, ctx);
    // A unary call waits as long as the paced stream would have taken to finish.
    if (stream) {
      await pause(unaryDelay(stream, outputAsStream(output).filter(isDelta).length), ctx.signal);
      if (respond.latencyMs === undefined) output.metrics = { latencyMs: latencyMs(ctx) };
    }
    return output;
  }

  converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    const script = this.pick(input, ctx, "ConverseStream");
    return script ? this.scriptedStream(script, input, ctx) : this.inner.converseStream(input, ctx);
  }

  private async *scriptedStream(script: StoredScript, input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    const { respond, error, stream } = script.spec;
    // Before the first event: the client gets an ordinary HTTP error.
    if (error) throw renderError(error);
    const events = respond ? scriptedEvents(renderRespond(respond, input, ctx), respond.latencyMs === undefined, ctx) : this.inner.converseStream(input, ctx);
    yield* stream ? withStreamFaults(events, stream, { signal: ctx.signal, isToken: isDelta }) : events;
  }

  countTokens(input: CountTokensInput, ctx: CallContext): Promise<number> {
    return this.inner.countTokens(input, ctx);
  }
}

/** The answer's events; metadata reports the latency at the moment it is sent, as a real stream does. */
async function* scriptedEvents(output: ConverseOutput, liveLatency: boolean, ctx: CallContext): AsyncIterable<StreamEvent> {
  for (const event of outputAsStream(output)) {
    if (liveLatency && event.metadata) yield { metadata: { ...event.metadata, metrics: { latencyMs: latencyMs(ctx) } } };
    else yield event;
  }
}

function unaryDelay(stream: StreamFaults, deltas: number): number {
  let ms = stream.ttftMs ?? 0;
  if (stream.tokensPerSecond && deltas > 1) ms += ((deltas - 1) * 1000) / stream.tokensPerSecond;
  if (stream.stallAfterEvents) ms += stream.stallAfterEvents.ms;
  return ms;
}
