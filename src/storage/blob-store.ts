// Objects named by s3:// URIs (async-invoke and batch inputs and outputs): an S3-compatible endpoint when
// `storage.s3` is set, else `<dataDir>/s3/<bucket>/<key>` on local disk. Every implementation passes the
// test/storage/blob.contract.ts suite.

export interface BlobStore {
  readonly kind: "local" | "s3";
  /** Throws BlobNotFoundError when there is no such object. */
  get(uri: string): Promise<Buffer>;
  /** Replaces the object whole: a reader sees the old body or the new one, never a part. */
  put(uri: string, body: Buffer | string, contentType?: string): Promise<void>;
  /** Keys under a prefix URI (`s3://bucket/` or `s3://bucket/some/prefix`), as full s3:// URIs, sorted. */
  list(prefixUri: string): Promise<string[]>;
  exists(uri: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A URI that does not name an object (not s3://, a bad bucket name, or a key the store cannot hold). */
export class InvalidBlobUriError extends Error {
  constructor(
    readonly uri: string,
    reason: string,
  ) {
    super(`invalid S3 URI ${JSON.stringify(uri)}: ${reason}`);
    this.name = "InvalidBlobUriError";
  }
}

export class BlobNotFoundError extends Error {
  constructor(
    readonly uri: string,
    options?: { cause?: unknown },
  ) {
    super(`no object at ${uri}`, options);
    this.name = "BlobNotFoundError";
  }
}
