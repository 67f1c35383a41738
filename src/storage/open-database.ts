// The one SQL database of a server, from the config: Postgres when `storage.postgres` is set (several Basalt
// nodes share it), else a SQLite file in `server.dataDir`. Each driver is loaded only when chosen.
import { join } from "node:path";
import type { SqlDatabase } from "./sql-database.js";

export const SQLITE_FILE = "basalt.sqlite";

export async function openDatabase(config: { storage?: { postgres?: string } }, dataDir: string): Promise<SqlDatabase> {
  const url = config.storage?.postgres;
  if (url) {
    const { PostgresDatabase } = await import("./postgres-database.js");
    return new PostgresDatabase({ url });
  }
  const { SqliteDatabase } = await import("./sqlite-database.js");
  return new SqliteDatabase(join(dataDir, SQLITE_FILE));
}
