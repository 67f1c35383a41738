// A job as stored: one row of basalt_jobs. Postgres returns BIGINT as a string, so numbers are read through
// `num`; the row is turned into the wire shapes by async-invoke-wire.ts and batch-job-wire.ts.
import type { SqlRow } from "../storage/sql-database.js";
import type { Caller } from "../core/caller.js";
import type { JobKind } from "./ids.js";

export type AsyncStatus = "InProgress" | "Completed" | "Failed";
export type BatchStatus = "Submitted" | "InProgress" | "Completed" | "PartiallyCompleted" | "Failed" | "Stopping" | "Stopped";
export type JobStatus = AsyncStatus | BatchStatus;

export const FINAL_BATCH_STATUSES: readonly BatchStatus[] = ["Completed", "PartiallyCompleted", "Failed", "Stopped"];

export interface JobRow {
  id: string;
  kind: JobKind;
  arn: string;
  name: string | null;
  modelId: string;
  /** Who submitted the job, as authenticated then. */
  caller: Caller;
  clientToken: string | null;
  requestHash: string;
  /** The request as accepted (JSON): modelInput / inputDataConfig, outputDataConfig, tags, roleArn … */
  request: Record<string, unknown>;
  status: JobStatus;
  message: string | null;
  /** Batch: the input object URIs, in order, once the input has been read. */
  inputFiles: string[] | null;
  /** Async: the model's response body once the invocation has succeeded (JSON text). */
  result: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  submitTime: number;
  lastModifiedTime: number;
  endTime: number | null;
  expiresAt: number | null;
  attempts: number;
  /** Times the job was put back after a "try later" answer. */
  retries: number;
}

export const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));
const optNum = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const optStr = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const JOB_COLUMNS =
  "id, kind, arn, name, model_id, caller, client_token, request_hash, request, status, message, input_files, result, " +
  "input_tokens, output_tokens, submit_time, last_modified_time, end_time, expires_at, attempts, retries";

export function readJobRow(r: SqlRow): JobRow {
  return {
    id: String(r.id),
    kind: r.kind as JobKind,
    arn: String(r.arn),
    name: optStr(r.name),
    modelId: String(r.model_id),
    caller: readCaller(r.caller),
    clientToken: optStr(r.client_token),
    requestHash: String(r.request_hash),
    request: JSON.parse(String(r.request)) as Record<string, unknown>,
    status: r.status as JobStatus,
    message: optStr(r.message),
    inputFiles: r.input_files === null || r.input_files === undefined ? null : (JSON.parse(String(r.input_files)) as string[]),
    result: optStr(r.result),
    inputTokens: optNum(r.input_tokens),
    outputTokens: optNum(r.output_tokens),
    submitTime: num(r.submit_time),
    lastModifiedTime: num(r.last_modified_time),
    endTime: optNum(r.end_time),
    expiresAt: optNum(r.expires_at),
    attempts: num(r.attempts),
    retries: num(r.retries),
  };
}

function readCaller(v: unknown): Caller {
  const parsed = JSON.parse(String(v)) as Caller;
  return Object.freeze({ ...parsed });
}

/** Wire timestamps: RFC 3339 with milliseconds, which every SDK parses. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();
