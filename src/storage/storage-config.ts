// The `storage` section of basalt.yaml and `server.dataDir`, as zod schemas for the config schema to embed:
//   server: { dataDir: dataDirSchema }          storage: storageSchema.optional()
// Every store is optional: without any, Basalt runs on memory, SQLite and local disk under dataDir.

import { z } from "zod";

/** Where the embedded stores live: `<dataDir>/basalt.db` (SQLite) and `<dataDir>/s3/` (blobs). */
export const dataDirSchema = z.string().min(1).default("./.basalt/");

export const s3StorageSchema = z
  .object({
    /** An S3-compatible endpoint (MinIO, Ceph, …); absent = AWS S3 in `region`. */
    endpoint: z.string().url().optional(),
    region: z.string().min(1).default("us-east-1"),
    /** Absent (both) = the default AWS credential chain. */
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
    /** Path-style URLs (http://host/bucket/key); default: on when an endpoint is set, as self-hosted stores need. */
    forcePathStyle: z.boolean().optional(),
  })
  .strict()
  .refine((s3) => (s3.accessKeyId === undefined) === (s3.secretAccessKey === undefined), {
    message: "accessKeyId and secretAccessKey go together",
  });

export const storageSchema = z
  .object({
    /** Shared counters and cache for every Basalt node. */
    redis: z.string().regex(/^rediss?:\/\/\S+$/, "a redis:// or rediss:// URL").optional(),
    /** One ledger and job queue for every Basalt node. */
    postgres: z.string().regex(/^postgres(ql)?:\/\/\S+$/, "a postgres:// or postgresql:// URL").optional(),
    /** Where s3:// URIs go instead of `<dataDir>/s3/`. */
    s3: s3StorageSchema.optional(),
  })
  .strict();

export type S3StorageConfig = z.infer<typeof s3StorageSchema>;
export type StorageConfig = z.infer<typeof storageSchema>;
