// The one SQL database of a server, as the config names it: Postgres when `storage.postgres` is set, else
// SQLite at `<server.dataDir>/basalt.db` (what openStores picks, for callers that need only the database).
import { join, resolve } from "node:path";
import { PostgresDatabase } from "./postgres-database.js";
import type { SqlDatabase } from "./sql-database.js";
import { SqliteDatabase } from "./sqlite-database.js";

export function openSqlDatabase(opts: { dataDir: string; postgres?: string }): SqlDatabase {
  return opts.postgres === undefined
    ? new SqliteDatabase(join(resolve(opts.dataDir), "basalt.db"))
    : new PostgresDatabase({ url: opts.postgres });
}
