// s3://bucket/key ↔ { bucket, key }. Bucket names follow S3's rules (which also keeps them safe as one
// directory name on local disk); the key is everything after the first slash, taken as written.

import { InvalidBlobUriError } from "./blob-store.js";

export interface S3Location {
  bucket: string;
  /** May be empty for a prefix (the whole bucket). */
  key: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3Uri(uri: string): S3Location {
  if (!uri.startsWith("s3://")) throw new InvalidBlobUriError(uri, "it must start with s3://");
  const rest = uri.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? "" : rest.slice(slash + 1);
  if (!BUCKET.test(bucket) || bucket.includes("..")) throw new InvalidBlobUriError(uri, `"${bucket}" is not a valid bucket name`);
  return { bucket, key };
}

/** Like parseS3Uri, for a URI that must name one object (a non-empty key). */
export function parseObjectUri(uri: string): S3Location {
  const location = parseS3Uri(uri);
  if (location.key === "") throw new InvalidBlobUriError(uri, "it names a bucket, not an object");
  return location;
}

export function formatS3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
