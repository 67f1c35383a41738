// The exact-match response cache (issue 12). Converse and ConverseStream — so InvokeModel and its stream too,
// which reach the model as Converse calls — are answered from the key-value store when the same served
// model got the same request (cache-key.ts) within `ttlSeconds`. Only successful, complete answers are
// stored: a whole answer, or a stream's every event once it has ended with its messageStop and metadata
// (a stream is replayed event for event). A hit calls no upstream; its latencyMs is the hit's own.
// `record.cache` says hit or miss (the front door answers it as `x-basalt-cache`).
//
// The store is memory (per process) or Redis (shared by every node). The cache never fails a request: a store
// that is down is a miss (storage's DegradingKeyValueStore answers from local memory meanwhile), and an
// answer is stored before it is returned, so the next identical request — on any node — hits.
import type { CallRecord } from "../../../core/call-record.js";
import type { ModelMiddleware } from "../../../core/model-middleware.js";
import { latencyMs, type CallContext, type ConverseInput, type ConverseOutput, type Model, type StreamEvent } from "../../../core/model.js";
import type { CountTokensInput } from "../../../core/shapes.generated.js";
import type { KeyValueStore } from "../../../storage/key-value-store.js";
import { cacheKey } from "./cache-key.js";
import { watchStream } from "../../../core/watch-stream.js";

export interface ResponseCacheOptions {
  store: KeyValueStore;
  ttlSeconds: number;
  /** A store failure the store did not absorb itself (the call went on uncached). */
  onStoreError?: (err: unknown) => void;
}

type Entry = { output: ConverseOutput } | { events: StreamEvent[] };

export function responseCachePolicy(options: ResponseCacheOptions): ModelMiddleware {
  return (inner: Model): Model => new CachedModel(inner, options);
}

function mark(record: CallRecord, result: "hit" | "miss"): void {
  record.cache = result;
}

/** A stream that ran to its end as Bedrock ends one: messageStop, then metadata with the usage. */
function complete(events: readonly StreamEvent[]): boolean {
  return events.some((e) => e.messageStop !== undefined) && events[events.length - 1]?.metadata !== undefined;
}

class CachedModel implements Model {
  readonly id: string;
  readonly #ttlMs: number;

  constructor(private readonly inner: Model, private readonly options: ResponseCacheOptions) {
    this.id = inner.id;
    this.#ttlMs = options.ttlSeconds * 1000;
  }

  async converse(input: ConverseInput, ctx: CallContext): Promise<ConverseOutput> {
    const key = cacheKey(this.id, "converse", input);
    const hit = await this.#get(key);
    if (hit && "output" in hit) {
      mark(ctx.record, "hit");
      return { ...hit.output, metrics: { ...hit.output.metrics, latencyMs: latencyMs(ctx) } };
    }
    mark(ctx.record, "miss");
    const output = await this.inner.converse(input, ctx);
    await this.#set(key, { output });
    return output;
  }

  converseStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    let key = "";
    let missed = false;
    const events: StreamEvent[] = [];
    return watchStream(async () => {
      key = cacheKey(this.id, "stream", input);
      const hit = await this.#get(key);
      if (hit && "events" in hit) {
        mark(ctx.record, "hit");
        return replay(hit.events, ctx);
      }
      mark(ctx.record, "miss");
      missed = true;
      return this.inner.converseStream(input, ctx);
    }, {
      onItem: (event) => {
        if (missed) events.push(event);
      },
      // Stored before the reader hears the stream is done: the next identical request hits.
      onEnd: (end) => (missed && end.kind === "done" && complete(events) ? this.#set(key, { events }) : undefined),
    });
  }

  countTokens(input: CountTokensInput, ctx: CallContext): Promise<number> {
    return this.inner.countTokens(input, ctx);
  }

  async #get(key: string): Promise<Entry | undefined> {
    try {
      const bytes = await this.options.store.get(key);
      return bytes === undefined ? undefined : (JSON.parse(bytes.toString("utf8")) as Entry);
    } catch (err) {
      this.options.onStoreError?.(err);
      return undefined;
    }
  }

  async #set(key: string, entry: Entry): Promise<void> {
    try {
      await this.options.store.set(key, Buffer.from(JSON.stringify(entry)), this.#ttlMs);
    } catch (err) {
      this.options.onStoreError?.(err);
    }
  }
}

/** A stored stream, event for event; its metadata gives this hit's own latency. */
async function* replay(events: readonly StreamEvent[], ctx: CallContext): AsyncIterable<StreamEvent> {
  for (const event of events) {
    yield event.metadata ? { metadata: { ...event.metadata, metrics: { ...event.metadata.metrics, latencyMs: latencyMs(ctx) } } } : event;
  }
}
