// Deletes ledger rows older than `server.ledger.retentionDays`, at start and then hourly. Several nodes
// sharing one Postgres ledger may all do it: the DELETE is idempotent.
import type { LedgerWriter } from "./ledger-writer.js";

const DAY_MS = 86_400_000;
export const RETENTION_INTERVAL_MS = 3_600_000;

export function startRetention(opts: {
  writer: Pick<LedgerWriter, "deleteOlderThan">;
  retentionDays: number;
  onError?: (err: unknown) => void;
  now?: () => number;
}): () => void {
  if (!(opts.retentionDays > 0)) return () => undefined;
  const now = opts.now ?? Date.now;
  const sweep = () => {
    opts.writer.deleteOlderThan(now() - opts.retentionDays * DAY_MS).catch((err: unknown) => opts.onError?.(err));
  };
  sweep();
  const timer = setInterval(sweep, RETENTION_INTERVAL_MS).unref();
  return () => clearInterval(timer);
}
