// Record / replay cassettes in front of a model (usually a provider's, innermost of the policies): `record`
// calls the backend and writes each interaction to a file, `replay` answers from the files only, `auto`
// replays what it has and records the rest. Every call kind is covered — Converse, streams (events with
// their timings), CountTokens, and a Bedrock backend's relayed bytes.
import { BedrockError } from "../../../core/errors.js";
import type { ModelMiddleware } from "../../../core/model-middleware.js";
import type { CallContext, ConverseInput, ConverseOutput, Model, RelayCall, RelayedResponse, StreamEvent } from "../../../core/model.js";
import type { CountTokensInput } from "../../../core/shapes.generated.js";
import { log } from "../../../log.js";
import { pause } from "../../../providers/echo/faults.js";
import type { CassetteConfig } from "../../../config/cassette-config.js";
import type { CassetteFile, CassetteResponse, RecordedError, TimedEvent } from "./cassette-file.js";
import { CassetteMissError } from "./cassette-miss.js";
import { CassetteStore } from "./cassette-store.js";
import type { CassetteRequest } from "./normalize-request.js";
import { playRelay, tapeRelay } from "./relay-tape.js";
import { createScrub } from "./scrub-secrets.js";

export interface CassettesPolicyOptions {
  config: CassetteConfig;
  /** Strings never to write (the provider's API key, configured header values). */
  secrets?: readonly string[];
}

export function cassettesPolicy(opts: CassettesPolicyOptions): ModelMiddleware {
  const store = new CassetteStore(opts.config.dir, createScrub(opts.secrets));
  const cassettes = (inner: Model): Model => new CassetteModel(inner, store, opts.config);
  // A Bedrock backend's relayed bytes are taped too, so its relay stays in place.
  return Object.assign(cassettes, { handlesRelay: true as const });
}

const recordedError = (err: BedrockError): RecordedError => ({
  type: err.errorName,
  message: err.message,
  ...(Object.keys(err.fields).length ? { fields: { ...err.fields } } : {}),
});

const thrown = (e: RecordedError) => new BedrockError(e.type as BedrockError["errorName"], e.message, e.fields ?? {});

function relayBody(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    return { base64: Buffer.from(body).toString("base64") };
  }
}

class CassetteModel implements Model {
  constructor(private readonly inner: Model, private readonly store: CassetteStore, private readonly config: CassetteConfig) {}

  get id(): string {
    return this.inner.id;
  }

  get relay(): Model["relay"] {
    return this.inner.relay ? (call, ctx) => this.relayCall(call, ctx) : undefined;
  }

  /** The recorded answer when the mode allows replay; a miss in replay mode is an error. */
  private async lookup(request: CassetteRequest, kind: CassetteResponse["kind"]): Promise<CassetteFile | undefined> {
    if (this.config.mode === "record") return undefined;
    const file = await this.store.find(request, { rescan: this.config.mode === "replay" });
    if (file && (file.response.kind === kind || file.response.kind === "error")) return file;
    if (this.config.mode === "replay") throw new CassetteMissError(this.store.describe(request), this.store.dir);
    return undefined;
  }

  /** Errors are recorded in `record` mode only: `auto` keeps trying the backend until it answers. */
  private recordsErrors(): boolean {
    return this.config.mode === "record";
  }

  private async save(request: CassetteRequest, response: CassetteResponse): Promise<void> {
    try {
      await this.store.save(request, response);
    } catch (err) {
      // A full disk must not fail the call that was answered; the next run records again.
      log.warn({ err: (err as Error).message, dir: this.store.dir }, "could not write a cassette");
    }
  }

  async converse(input: ConverseInput, ctx: CallContext): Promise<ConverseOutput> {
    const request: CassetteRequest = { call: "converse", model: this.inner.id, body: input };
    const file = await this.lookup(request, "output");
    if (file) {
      if (file.response.kind === "error") throw thrown(file.response.error);
      return (file.response as { output: ConverseOutput }).output;
    }
    try {
      const output = await this.inner.converse(input, ctx);
      await this.save(request, { kind: "output", output });
      return output;
    } catch (err) {
      if (err instanceof BedrockError && this.recordsErrors()) await this.save(request, { kind: "error", error: recordedError(err) });
      throw err;
    }
  }

  async *converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    const request: CassetteRequest = { call: "converseStream", model: this.inner.id, body: input };
    const file = await this.lookup(request, "stream");
    if (file) {
      yield* this.playStream(file.response, ctx);
      return;
    }
    const startedAt = Date.now();
    const events: TimedEvent[] = [];
    try {
      for await (const event of this.inner.converseStream(input, ctx)) {
        events.push({ atMs: Date.now() - startedAt, event });
        yield event;
      }
    } catch (err) {
      if (err instanceof BedrockError && this.recordsErrors()) {
        const error = { ...recordedError(err), atMs: Date.now() - startedAt };
        await this.save(request, events.length ? { kind: "stream", events, error } : { kind: "error", error: recordedError(err) });
      }
      throw err;
    }
    await this.save(request, { kind: "stream", events });
  }

  private async *playStream(response: CassetteResponse, ctx: CallContext): AsyncIterable<StreamEvent> {
    if (response.kind === "error") throw thrown(response.error);
    if (response.kind !== "stream") return;
    const paced = this.config.pacing === "recorded";
    const start = Date.now();
    const waitFor = async (atMs: number) => {
      const wait = start + atMs - Date.now();
      if (paced && wait > 0) await pause(wait, ctx.signal);
    };
    for (const { atMs, event } of response.events) {
      await waitFor(atMs);
      yield event;
    }
    if (response.error) {
      await waitFor(response.error.atMs);
      throw thrown(response.error);
    }
  }

  async countTokens(input: CountTokensInput, ctx: CallContext): Promise<number> {
    const request: CassetteRequest = { call: "countTokens", model: this.inner.id, body: input };
    const file = await this.lookup(request, "tokens");
    if (file) {
      if (file.response.kind === "error") throw thrown(file.response.error);
      return (file.response as { inputTokens: number }).inputTokens;
    }
    try {
      const inputTokens = await this.inner.countTokens(input, ctx);
      await this.save(request, { kind: "tokens", inputTokens });
      return inputTokens;
    } catch (err) {
      if (err instanceof BedrockError && this.recordsErrors()) await this.save(request, { kind: "error", error: recordedError(err) });
      throw err;
    }
  }

  private async relayCall(call: RelayCall, ctx: CallContext): Promise<RelayedResponse> {
    const request: CassetteRequest = { call: "relay", model: this.inner.id, action: call.action, headers: { ...call.headers }, body: relayBody(call.body) };
    const file = await this.lookup(request, "relay");
    if (file) {
      if (file.response.kind === "error") throw thrown(file.response.error);
      return playRelay((file.response as { relay: Parameters<typeof playRelay>[0] }).relay, { paced: this.config.pacing === "recorded", signal: ctx.signal });
    }
    const startedAt = Date.now();
    const upstream = await this.inner.relay!(call, ctx);
    // An error answer is a recording only in `record` mode, as for typed calls.
    if (upstream.status >= 300 && !this.recordsErrors()) return upstream;
    return tapeRelay(upstream, startedAt, (relay) => this.save(request, { kind: "relay", relay }));
  }
}
