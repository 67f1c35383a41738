// A minimal SqlDatabase over better-sqlite3 (in memory), for the guardrail store's tests until the storage
// module's SQLite implementation lands on main; it follows the interface's rules ($n placeholders,
// migrations recorded by name) and is replaced by the real one then.
import Database from "better-sqlite3";
import { migrationSql, type SqlDatabase, type SqlRow, type SqlValue } from "../../src/storage/sql-database.js";

// $1, $2 … become named parameters @p1, @p2 …, so that one placeholder may appear twice.
const named = (sql: string) => sql.replace(/\$(\d+)/g, "@p$1");
const bind = (params: readonly SqlValue[]) => Object.fromEntries(params.map((v, i) => [`p${i + 1}`, v]));

export function sqliteForTests(): SqlDatabase {
  const db = new Database(":memory:");
  const self: SqlDatabase = {
    dialect: "sqlite",
    async query<R extends SqlRow = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
      const stmt = db.prepare(named(sql));
      return (params.length ? stmt.all(bind(params)) : stmt.all()) as R[];
    },
    async execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
      const stmt = db.prepare(named(sql));
      return (params.length ? stmt.run(bind(params)) : stmt.run()).changes;
    },
    async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
      db.exec("BEGIN");
      try {
        const result = await fn(self);
        db.exec("COMMIT");
        return result;
      } catch (err) {
        db.exec("ROLLBACK");
        throw err;
      }
    },
    async migrate(migrations) {
      db.exec("CREATE TABLE IF NOT EXISTS basalt_migrations (name TEXT PRIMARY KEY)");
      for (const m of migrations) {
        if (db.prepare("SELECT 1 FROM basalt_migrations WHERE name = ?").get(m.name)) continue;
        db.exec(migrationSql(m, "sqlite"));
        db.prepare("INSERT INTO basalt_migrations (name) VALUES (?)").run(m.name);
      }
    },
    async close() {
      db.close();
    },
  };
  return self;
}
