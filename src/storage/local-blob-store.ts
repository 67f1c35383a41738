// s3:// objects as files: `<dataDir>/s3/<bucket>/<key>`, so a new user needs no object store at all.
// A put writes a temp file, syncs it and renames it into place: a reader (or a restart after kill -9) sees
// the old object or the new one, never half of one. Keys become paths, so a key that would climb out of its
// bucket (`..`), name the same file twice (`a//b`, `./a`) or end in `/` is refused; a key that is another
// key's "directory" (`a` and `a/b`) cannot both exist here, unlike on S3.

import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { BlobNotFoundError, type BlobStore, InvalidBlobUriError } from "./blob-store.js";
import { formatS3Uri, parseObjectUri, parseS3Uri } from "./parse-s3-uri.js";

export class LocalBlobStore implements BlobStore {
  readonly kind = "local";
  readonly #root: string;
  readonly #temp: string;

  /** `root` is `<dataDir>/s3`; temp files go to `<root>/.tmp` (no bucket name starts with a dot). */
  constructor(root: string) {
    this.#root = root;
    this.#temp = join(root, ".tmp");
  }

  async get(uri: string): Promise<Buffer> {
    try {
      return await readFile(this.#path(uri));
    } catch (err) {
      if (isMissing(err)) throw new BlobNotFoundError(uri, { cause: err });
      throw err;
    }
  }

  async put(uri: string, body: Buffer | string, _contentType?: string): Promise<void> {
    const path = this.#path(uri);
    await mkdir(this.#temp, { recursive: true });
    await mkdir(dirname(path), { recursive: true });
    const temp = join(this.#temp, randomUUID());
    const file = await open(temp, "w");
    try {
      await file.writeFile(body);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async list(prefixUri: string): Promise<string[]> {
    const { bucket, key: prefix } = parseS3Uri(prefixUri);
    const bucketDir = join(this.#root, bucket);
    // Start the walk at the deepest directory the prefix names in full.
    const start = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    const keys: string[] = [];
    await walk(start === "" ? bucketDir : join(bucketDir, ...start.split("/")), start, keys);
    return keys
      .filter((key) => key.startsWith(prefix))
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map((key) => formatS3Uri(bucket, key));
  }

  async exists(uri: string): Promise<boolean> {
    try {
      return (await stat(this.#path(uri))).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async close(): Promise<void> {}

  #path(uri: string): string {
    const { bucket, key } = parseObjectUri(uri);
    const segments = key.split("/");
    if (segments.some((s) => s === "" || s === "." || s === ".." || s.includes("\0") || Buffer.byteLength(s) > 255)) {
      throw new InvalidBlobUriError(uri, "local storage cannot hold a key with empty, '.', '..' or over-long path segments");
    }
    const path = join(this.#root, bucket, ...segments);
    if (!path.startsWith(join(this.#root, bucket) + sep)) throw new InvalidBlobUriError(uri, "the key leaves its bucket");
    return path;
  }
}

async function walk(dir: string, keyPrefix: string, into: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err) || (err as NodeJS.ErrnoException).code === "ENOTDIR") return;
    throw err;
  }
  for (const entry of entries) {
    const key = keyPrefix === "" ? entry.name : `${keyPrefix}/${entry.name}`;
    if (entry.isDirectory()) await walk(join(dir, entry.name), key, into);
    else if (entry.isFile()) into.push(key);
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
