// A minimal SqlDatabase over better-sqlite3 for the ledger's unit tests until src/storage's SQLite adapter
// lands (then these tests use that one). `$n` placeholders become positional `?` in order of use.
import Database from "better-sqlite3";
import type { SqlDatabase, SqlValue } from "../../src/storage/sql-database.js";

function positional(sql: string, params: readonly SqlValue[]): [string, SqlValue[]] {
  const values: SqlValue[] = [];
  const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
    values.push(params[Number(n) - 1]);
    return "?";
  });
  return [text, values];
}

export function openTestSqlite(path: string): SqlDatabase {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  const self: SqlDatabase = {
    dialect: "sqlite",
    async query(sql, params = []) {
      const [text, values] = positional(sql, params);
      return db.prepare(text).all(...values) as never[];
    },
    async execute(sql, params = []) {
      const [text, values] = positional(sql, params);
      return db.prepare(text).run(...values).changes;
    },
    async transaction(fn) {
      db.exec("BEGIN");
      try {
        const out = await fn(self);
        db.exec("COMMIT");
        return out;
      } catch (err) {
        db.exec("ROLLBACK");
        throw err;
      }
    },
    async migrate(migrations) {
      db.exec("CREATE TABLE IF NOT EXISTS basalt_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)");
      for (const m of migrations) {
        if (db.prepare("SELECT 1 FROM basalt_migrations WHERE name = ?").get(m.name)) continue;
        db.exec(m.sql);
        db.prepare("INSERT INTO basalt_migrations VALUES (?, ?)").run(m.name, Date.now());
      }
    },
    async close() {
      db.close();
    },
  };
  return self;
}
