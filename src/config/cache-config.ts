// The top-level `cache` key of basalt.yaml: the exact-match response cache (issue 12). Absent = no cache.
//   cache: { ttlSeconds: 300, maxEntries: 10000 }
// Entries live in the key-value store: in this process's memory (LRU, at most maxEntries answers), or on Redis
// when `storage.redis` is set, shared by every Basalt node (Redis bounds them by their TTL).
import { z } from "zod";

export const cacheConfigSchema = z
  .object({
    /** How long an answer is served from the cache. */
    ttlSeconds: z.number().int().positive().max(31_536_000).default(300),
    /** Most answers kept in memory (least recently used go first). */
    maxEntries: z.number().int().positive().default(10_000),
  })
  .strict();

export type CacheConfig = z.infer<typeof cacheConfigSchema>;
