// s3:// objects on an S3-compatible endpoint (S3, MinIO, Ceph, s3rver) through @aws-sdk/client-s3. Bodies
// are uploaded as whole buffers and checksums only sent when an operation requires them: current SDKs
// otherwise stream uploads with aws-chunked encoding, which some S3-compatible servers store verbatim.

import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { BlobNotFoundError, type BlobStore } from "./blob-store.js";
import { formatS3Uri, parseObjectUri, parseS3Uri } from "./parse-s3-uri.js";

export interface S3BlobStoreOptions {
  /** e.g. http://127.0.0.1:9000; absent = AWS's own endpoint for the region. */
  endpoint?: string;
  region: string;
  /** Absent = the default AWS credential chain (environment, profile, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** http://host/bucket/key instead of http://bucket.host/key (MinIO, s3rver and most self-hosted stores). */
  forcePathStyle?: boolean;
}

export class S3BlobStore implements BlobStore {
  readonly kind = "s3";
  readonly #client: S3Client;

  constructor(options: S3BlobStoreOptions) {
    this.#client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials:
        options.accessKeyId !== undefined && options.secretAccessKey !== undefined
          ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
          : undefined,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async get(uri: string): Promise<Buffer> {
    const { bucket, key } = parseObjectUri(uri);
    try {
      const object = await this.#client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(uri, { cause: err });
      throw err;
    }
  }

  async put(uri: string, body: Buffer | string, contentType?: string): Promise<void> {
    const { bucket, key } = parseObjectUri(uri);
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    await this.#client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentLength: bytes.length, ContentType: contentType }));
  }

  async list(prefixUri: string): Promise<string[]> {
    const { bucket, key: prefix } = parseS3Uri(prefixUri);
    const uris: string[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.#client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix === "" ? undefined : prefix, ContinuationToken: token }));
      } catch (err) {
        // As on local disk: a bucket nothing was ever put into holds no keys.
        if (err instanceof S3ServiceException && err.name === "NoSuchBucket") return [];
        throw err;
      }
      for (const object of page.Contents ?? []) if (object.Key !== undefined) uris.push(formatS3Uri(bucket, object.Key));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return uris;
  }

  async exists(uri: string): Promise<boolean> {
    const { bucket, key } = parseObjectUri(uri);
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.name === "NoSuchKey" || err.name === "NotFound" || err.$metadata.httpStatusCode === 404);
}
