// The job engine in this process over the real stores (SQLite file or Postgres, a blob store on disk or
// s3rver), with a scripted model in place of the InvokeModel path: each test says how the model answers and
// reads back every call it received. The end-to-end tests (through the SDKs and the CLI) use the real path.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BedrockError } from "../../src/core/errors.js";
import { createJobs, type InvokeResult, type JobInvokeContext, type Jobs } from "../../src/jobs/index.js";
import { jobsConfigSchema, type JobsConfig } from "../../src/jobs/jobs-config.js";
import type { BlobStore } from "../../src/storage/blob-store.js";
import type { SqlDatabase } from "../../src/storage/sql-database.js";
import { LocalBlobStore } from "../../src/storage/local-blob-store.js";
import { SqliteDatabase } from "../../src/storage/sqlite-database.js";

export interface ModelCall {
  modelInput: Record<string, unknown>;
  ctx: JobInvokeContext;
}

/** How the scripted model answers one call; throw a BedrockError to fail it. */
export type ModelScript = (modelInput: Record<string, unknown>, ctx: JobInvokeContext) => Promise<InvokeResult> | InvokeResult;

const throttled = new Map<string, number>();

/**
 * Echoes `prompt` back; `/fail NAME message` fails; `/slow MS` waits first (aborting with the signal);
 * `/throttle N key` answers ThrottlingException to the first N calls for `key`.
 */
export const echoScript: ModelScript = async (input, ctx) => {
  const prompt = String(input.prompt ?? "");
  const throttle = /^\/throttle (\d+) (\S+)/.exec(prompt);
  if (throttle) {
    const seen = (throttled.get(throttle[2]) ?? 0) + 1;
    throttled.set(throttle[2], seen);
    if (seen <= Number(throttle[1])) throw new BedrockError("ThrottlingException", `slow down (${seen})`);
  }
  const slow = /^\/slow (\d+)/.exec(prompt);
  if (slow) await sleep(Number(slow[1]), ctx.signal);
  const fail = /^\/fail (\w+) (.*)$/.exec(prompt);
  if (fail) throw new BedrockError(fail[1] as "ValidationException", fail[2]);
  return { body: { completion: prompt, recordId: ctx.recordId ?? null }, inputTokens: prompt.split(/\s+/).filter(Boolean).length, outputTokens: 1 };
};

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error("aborted"));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(new Error("aborted"))), { once: true });
  });
}

export interface Engine {
  jobs: Jobs;
  db: SqlDatabase;
  blobs: BlobStore;
  calls: ModelCall[];
  dataDir: string;
  close(): Promise<void>;
}

export interface EngineOptions {
  script?: ModelScript;
  config?: Partial<JobsConfig>;
  db?: SqlDatabase;
  blobs?: BlobStore;
  dataDir?: string;
  knowsModel?: (id: string) => boolean;
  /** Do not start the worker (jobs stay as submitted). */
  idle?: boolean;
}

export async function startEngine(opts: EngineOptions = {}): Promise<Engine> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "basalt-jobs-"));
  const db = opts.db ?? new SqliteDatabase(join(dataDir, "basalt.sqlite"));
  const blobs = opts.blobs ?? new LocalBlobStore(join(dataDir, "s3"));
  const calls: ModelCall[] = [];
  const script = opts.script ?? echoScript;
  const jobs = await createJobs({
    db,
    blobs,
    config: jobsConfigSchema.parse({ pollMs: 50, leaseMs: 3000, ...opts.config }),
    knowsModel: opts.knowsModel ?? ((id) => id !== "no.such-model"),
    retryDelayMs: () => 20,
    invoke: async (_modelId, modelInput, ctx) => {
      calls.push({ modelInput: modelInput as Record<string, unknown>, ctx });
      return script(modelInput as Record<string, unknown>, ctx);
    },
  });
  if (!opts.idle) jobs.start();
  return {
    jobs, db, blobs, calls, dataDir,
    async close() {
      await jobs.stop(1000);
      if (!opts.db) await db.close();
    },
  };
}

/** Polls `read` until `done` holds (or fails the test after `timeoutMs`). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await sleep(25);
  }
}

export const ASYNC_FINAL = new Set(["Completed", "Failed"]);
export const BATCH_FINAL = new Set(["Completed", "PartiallyCompleted", "Failed", "Stopped"]);

/** JSONL of `n` records `{ recordId: "r000", modelInput: { prompt } }`. */
export function jsonl(n: number, prompt: (i: number) => string = (i) => `hello number ${i}`): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ recordId: `r${String(i).padStart(3, "0")}`, modelInput: { prompt: prompt(i) } })).join("\n") + "\n";
}

export const batchRequest = (name: string, input: string, output: string, extra: Record<string, unknown> = {}) => ({
  jobName: name,
  roleArn: "arn:aws:iam::123456789012:role/batch",
  modelId: "test.model-v1",
  inputDataConfig: { s3InputDataConfig: { s3Uri: input } },
  outputDataConfig: { s3OutputDataConfig: { s3Uri: output } },
  ...extra,
});
