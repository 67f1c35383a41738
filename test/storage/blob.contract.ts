// The one contract every BlobStore passes (local disk, an S3-compatible server): s3:// URIs in and out,
// whole-object writes, prefix listing in key order, typed errors for missing objects and bad URIs.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { BlobNotFoundError, type BlobStore, InvalidBlobUriError } from "../../src/storage/blob-store.js";

export interface BlobContractSubject {
  store: () => BlobStore;
  /** A bucket that exists (S3 needs it created; local disk creates it on the first put). */
  bucket: string;
  /** Why the server under test cannot promise whole-object puts under contention (real S3 does), if so. */
  skipAtomicPuts?: string;
}

export function blobContract(name: string, subject: BlobContractSubject): void {
  describe(`BlobStore contract: ${name}`, () => {
    const base = () => `s3://${subject.bucket}/contract-${randomUUID()}`;

    test("put and get round-trip bytes and strings; a put replaces the object; exists follows", async () => {
      const store = subject.store();
      const uri = `${base()}/in/records.jsonl`;
      assert.equal(await store.exists(uri), false);
      const bytes = Buffer.from([0, 1, 2, 0xff, 0x0a]);
      await store.put(uri, bytes, "application/octet-stream");
      assert.deepEqual(await store.get(uri), bytes);
      assert.equal(await store.exists(uri), true);
      await store.put(uri, '{"recordId":"1"}\n', "application/jsonl");
      assert.equal((await store.get(uri)).toString(), '{"recordId":"1"}\n');
      await store.put(uri, "");
      assert.equal((await store.get(uri)).length, 0);
    });

    test("keys with spaces, unicode and deep paths are kept as written", async () => {
      const store = subject.store();
      const uri = `${base()}/out/job 1/ünïcödé + plus/output.json.out`;
      await store.put(uri, "x");
      assert.equal((await store.get(uri)).toString(), "x");
      assert.deepEqual(await store.list(uri), [uri]);
    });

    test("a 5 MB body comes back byte for byte (no chunked-encoding framing stored)", async () => {
      const store = subject.store();
      const uri = `${base()}/big.bin`;
      const body = randomBytes(5 * 1024 * 1024);
      await store.put(uri, body);
      assert.ok((await store.get(uri)).equals(body));
    });

    test("list: keys under a prefix, as full URIs in key order; partial segments match; others do not", async () => {
      const store = subject.store();
      const root = base();
      const keys = ["out/job2/b.out", "out/job1/manifest.json.out", "out/job1/a.out", "out/jobless.txt", "in/data.jsonl", "outside.txt"];
      for (const key of keys) await store.put(`${root}/${key}`, key);
      assert.deepEqual(await store.list(`${root}/out/job1/`), [`${root}/out/job1/a.out`, `${root}/out/job1/manifest.json.out`]);
      assert.deepEqual(await store.list(`${root}/out/job`), [
        `${root}/out/job1/a.out`,
        `${root}/out/job1/manifest.json.out`,
        `${root}/out/job2/b.out`,
        `${root}/out/jobless.txt`,
      ]);
      assert.deepEqual(await store.list(`${root}/`), [...keys].sort().map((key) => `${root}/${key}`));
      assert.deepEqual(await store.list(`${root}/nothing-here/`), []);
      const wholeBucket = await store.list(`s3://${subject.bucket}`);
      assert.ok(keys.every((key) => wholeBucket.includes(`${root}/${key}`)));
    });

    test("concurrent puts to one key leave one whole body, never a mix", { skip: subject.skipAtomicPuts }, async () => {
      const store = subject.store();
      const uri = `${base()}/contended.bin`;
      const bodies = Array.from({ length: 12 }, (_, i) => Buffer.alloc(200_000, i));
      await Promise.all(bodies.map((body) => store.put(uri, body)));
      const final = await store.get(uri);
      assert.ok(bodies.some((body) => body.equals(final)));
    });

    test("a missing object is BlobNotFoundError (also in a bucket that does not exist); exists says false", async () => {
      const store = subject.store();
      const missing = `${base()}/missing.json`;
      await assert.rejects(store.get(missing), (err) => err instanceof BlobNotFoundError && err.uri === missing);
      await assert.rejects(store.get("s3://no-such-bucket-basalt/x"), BlobNotFoundError);
      assert.equal(await store.exists("s3://no-such-bucket-basalt/x"), false);
      assert.deepEqual(await store.list("s3://no-such-bucket-basalt/"), []);
    });

    test("URIs that name no object are InvalidBlobUriError", async () => {
      const store = subject.store();
      for (const uri of ["https://bucket/key", "s3://Upper_Case/key", "s3://ab/key", "s3://../key", "s3://bucket..name/k", `s3://${subject.bucket}`, `s3://${subject.bucket}/`]) {
        await assert.rejects(store.get(uri), InvalidBlobUriError, uri);
        await assert.rejects(store.put(uri, "x"), InvalidBlobUriError, uri);
      }
      await assert.rejects(store.list("file:///etc/"), InvalidBlobUriError);
    });
  });
}
