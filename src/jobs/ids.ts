// Job ids and ARNs as Bedrock spells them: a 12-character [a-z0-9] id inside
// arn:aws:bedrock:<region>:<account>:async-invoke/<id> or …:model-invocation-job/<id>.
import { createHash, randomBytes } from "node:crypto";
import { arnResource } from "../core/model-id.js";

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const RECORD_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function randomString(length: number, alphabet: string): string {
  // 252 = 7 × 36: bytes above it are dropped so every character is equally likely.
  let out = "";
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 252 && out.length < length) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

export const newJobId = (): string => randomString(12, ID_ALPHABET);

/** Bedrock names records without a recordId with an 11-character alphanumeric id; stable per (job, line). */
export function defaultRecordId(jobId: string, seq: number): string {
  const digest = createHash("sha256").update(`${jobId}:${seq}`).digest();
  let out = "";
  for (let i = 0; i < 11; i++) out += RECORD_ID_ALPHABET[digest[i] % RECORD_ID_ALPHABET.length];
  return out;
}

export type JobKind = "async" | "batch";

const RESOURCE: Record<JobKind, string> = { async: "async-invoke", batch: "model-invocation-job" };

export interface ArnScope {
  region: string;
  accountId: string;
}

/** The ARN scope of a caller's job: the region the client signed for, when it said. */
export const scopeFor = (scope: ArnScope, caller: { region?: string }): ArnScope =>
  caller.region && /^[a-z0-9-]{1,20}$/.test(caller.region) ? { ...scope, region: caller.region } : scope;

export const jobArn = (kind: JobKind, id: string, scope: ArnScope): string =>
  `arn:aws:bedrock:${scope.region}:${scope.accountId}:${RESOURCE[kind]}/${id}`;

const ARN = /^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:(async-invoke|model-invocation-job)\/([a-z0-9]{12})$/;
const BARE_ID = /^[a-z0-9]{12}$/;

/** The job id named by an ARN (or, for batch jobs, by the bare id Bedrock also accepts); undefined if malformed. */
export function parseJobIdentifier(kind: JobKind, identifier: string): string | undefined {
  const m = ARN.exec(identifier);
  if (m) return m[2] === RESOURCE[kind] ? m[3] : undefined;
  return kind === "batch" && BARE_ID.test(identifier) ? identifier : undefined;
}

/** modelArn of GetAsyncInvoke: a foundation-model ARN for a plain id; an ARN the client sent stays as is. */
export function modelArnOf(modelId: string, scope: ArnScope): string {
  if (/^arn:[a-z0-9-]+:bedrock:[a-z0-9-]*:[0-9]*:(provisioned-model|foundation-model)\/.+/.test(modelId)) return modelId;
  return `arn:aws:bedrock:${scope.region}::foundation-model/${arnResource(modelId)}`;
}
