// Reads a batch job's input: one JSONL object, or every `.jsonl` object under a folder URI, each line a
// record `{ "recordId"?: string, "modelInput": { … } }`. Blank lines are skipped; anything else that is not a
// record fails the job with the file and line named, as Bedrock's validation step would.
import type { BlobStore } from "../storage/blob-store.js";
import { fileNameOf, isFolderUri } from "./s3-paths.js";

export interface InputRecord {
  fileIndex: number;
  /** The recordId as given, or undefined (the job names it). */
  recordId?: string;
  /** The modelInput object, re-serialised compactly. */
  modelInput: string;
}

/** A problem with the input itself (missing, malformed): the job fails; retrying would not help. */
export class BatchInputError extends Error {}

export async function listInputFiles(blobs: BlobStore, uri: string): Promise<string[]> {
  if (!isFolderUri(uri) && (await blobs.exists(uri))) return [uri];
  const prefix = uri.endsWith("/") ? uri : `${uri}/`;
  const files = (await blobs.list(prefix)).filter((u) => u.endsWith(".jsonl")).sort();
  if (files.length === 0) throw new BatchInputError(`No JSONL input was found at ${uri}. Upload the records as a .jsonl object and try again.`);
  return files;
}

export function parseRecords(text: string, fileIndex: number, fileUri: string): InputRecord[] {
  const records: InputRecord[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    const where = `line ${i + 1} of ${fileNameOf(fileUri)}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new BatchInputError(`The record on ${where} is not valid JSON.`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new BatchInputError(`The record on ${where} is not a JSON object.`);
    const { recordId, modelInput } = value as { recordId?: unknown; modelInput?: unknown };
    if (modelInput === null || typeof modelInput !== "object" || Array.isArray(modelInput)) {
      throw new BatchInputError(`The record on ${where} has no modelInput object.`);
    }
    if (recordId !== undefined && typeof recordId !== "string") throw new BatchInputError(`The recordId on ${where} is not a string.`);
    records.push({ fileIndex, recordId, modelInput: JSON.stringify(modelInput) });
  }
  return records;
}
