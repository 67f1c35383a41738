// Objects named by s3:// URIs (async-invoke and batch inputs and outputs): an S3-compatible endpoint when
// `storage.s3` is set, else `<dataDir>/s3/<bucket>/<key>` on local disk.

export interface BlobStore {
  readonly kind: "local" | "s3";
  get(uri: string): Promise<Buffer>;
  put(uri: string, body: Buffer | string, contentType?: string): Promise<void>;
  /** Keys under a prefix URI, as full s3:// URIs. */
  list(prefixUri: string): Promise<string[]>;
  exists(uri: string): Promise<boolean>;
}
