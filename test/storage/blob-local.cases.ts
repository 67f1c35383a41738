// Local-disk blobs against the shared contract, plus what only the disk layout promises: where files land,
// that no temp file is left behind, and that no key can reach outside its bucket.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { InvalidBlobUriError } from "../../src/storage/blob-store.js";
import { LocalBlobStore } from "../../src/storage/local-blob-store.js";
import { blobContract } from "./blob.contract.js";

const dataDir = mkdtempSync(join(tmpdir(), "basalt-blobs-"));
const store = new LocalBlobStore(join(dataDir, "s3"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

blobContract("local disk", { store: () => store, bucket: "local-bucket" });

test("local: an object is the file <dataDir>/s3/<bucket>/<key>, and no temp file stays behind", async () => {
  await store.put("s3://layout-bucket/a/b/c.json", '{"ok":true}');
  assert.equal(readFileSync(join(dataDir, "s3", "layout-bucket", "a", "b", "c.json"), "utf8"), '{"ok":true}');
  assert.deepEqual(readdirSync(join(dataDir, "s3", ".tmp")), []);
});

test("local: keys that would leave the bucket or alias another path are refused, and nothing is written", async () => {
  for (const key of ["../escape", "a/../../escape", "a/../b", "./a", "a//b", "dir/", "a/./b", "nul\0byte"]) {
    const uri = `s3://traversal-bucket/${key}`;
    await assert.rejects(store.put(uri, "x"), InvalidBlobUriError, key);
    await assert.rejects(store.get(uri), InvalidBlobUriError, key);
  }
  assert.equal(existsSync(join(dataDir, "s3", "escape")), false);
  assert.equal(existsSync(join(dataDir, "escape")), false);
});
