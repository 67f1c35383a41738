// S3 blobs against the shared contract, on a real S3-compatible server (s3rver) through @aws-sdk/client-s3.
import { after, before } from "node:test";
import { S3BlobStore } from "../../src/storage/s3-blob-store.js";
import { type RunningS3rver, startS3rver } from "../helpers/services.js";
import { blobContract } from "./blob.contract.js";

let s3rver: RunningS3rver;
let store: S3BlobStore;
before(async () => {
  s3rver = await startS3rver({ buckets: ["basalt-blobs"] });
  store = new S3BlobStore(s3rver.config);
});
after(async () => {
  await store.close();
  await s3rver.stop();
});

blobContract("s3 (s3rver)", {
  store: () => store,
  bucket: "basalt-blobs",
  // s3rver truncates and rewrites the object file in place, so two racing PUTs can interleave; S3 itself
  // replaces objects atomically. Our side (one whole buffered body per PUT) is the same either way.
  skipAtomicPuts: "s3rver writes objects in place (real S3 replaces them atomically)",
});
