// The one contract every SqlDatabase passes (SQLite, Postgres): the portable SQL subset with `$n`
// placeholders, transactions that are all or nothing, migrations applied once even when two nodes start
// together, and the job-claim pattern (FOR UPDATE SKIP LOCKED on Postgres, serialised BEGIN IMMEDIATE on SQLite).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { forUpdateSkipLocked, type Migration, type SqlDatabase } from "../../src/storage/sql-database.js";

export interface SqlContractSubject {
  db: () => SqlDatabase;
  /** Another node's connection to the same database (SQLite: the same instance, one per process). */
  peer: () => SqlDatabase;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let tables = 0;
/** A table of its own for each test, created through migrate. */
async function freshTable(db: SqlDatabase, columns: string | { sqlite: string; postgres: string }): Promise<string> {
  const name = `t_${process.pid}_${++tables}`;
  const ddl = (cols: string) => `CREATE TABLE ${name} (${cols})`;
  const sql = typeof columns === "string" ? ddl(columns) : { sqlite: ddl(columns.sqlite), postgres: ddl(columns.postgres) };
  await db.migrate([{ name: `create ${name}`, sql }]);
  return name;
}

export function sqlContract(name: string, subject: SqlContractSubject): void {
  describe(`SqlDatabase contract: ${name}`, () => {
    test("CRUD with $n placeholders: repeated, out of order, and left alone inside string literals", async () => {
      const db = subject.db();
      const t = await freshTable(db, "id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT, size INTEGER");
      assert.equal(await db.execute(`INSERT INTO ${t} (id, name, note, size) VALUES ($1, $2, $3, $4)`, [1, "one", null, 10]), 1);
      assert.equal(await db.execute(`INSERT INTO ${t} (id, name, note, size) VALUES ($2, $1, '$1 stays', $2)`, ["two", 2]), 1);
      const rows = await db.query<{ id: number; name: string; note: string | null; size: number }>(`SELECT id, name, note, size FROM ${t} ORDER BY id`);
      assert.deepEqual(rows, [
        { id: 1, name: "one", note: null, size: 10 },
        { id: 2, name: "two", note: "$1 stays", size: 2 },
      ]);
      assert.deepEqual(await db.query(`SELECT name FROM ${t} WHERE id = $1 OR size = $1`, [2]), [{ name: "two" }]);
      assert.equal(await db.execute(`UPDATE ${t} SET size = size + $1`, [5]), 2);
      assert.equal(await db.execute(`UPDATE ${t} SET size = 0 WHERE id = $1`, [99]), 0);
      assert.equal(await db.execute(`DELETE FROM ${t} WHERE id = $1`, [1]), 1);
      assert.deepEqual(await db.query(`SELECT id, size FROM ${t}`), [{ id: 2, size: 7 }]);
    });

    test("numbers come back as numbers: epoch-ms BIGINT, COUNT and SUM; bytes as Buffer; RETURNING works", async () => {
      const db = subject.db();
      const t = await freshTable(db, { sqlite: "id INTEGER PRIMARY KEY, at BIGINT, body BLOB", postgres: "id INTEGER PRIMARY KEY, at BIGINT, body BYTEA" });
      const at = 1_767_225_600_123;
      const body = Buffer.from([0, 255, 1, 254]);
      const returned = await db.query(`INSERT INTO ${t} (id, at, body) VALUES ($1, $2, $3) RETURNING id, at`, [1, at, body]);
      assert.deepEqual(returned, [{ id: 1, at }]);
      await db.execute(`INSERT INTO ${t} (id, at, body) VALUES ($1, $2, $3)`, [2, BigInt(at) + 1n, null]);
      const [row] = await db.query<{ at: number; body: Buffer }>(`SELECT at, body FROM ${t} WHERE id = 1`);
      assert.equal(row.at, at);
      assert.ok(Buffer.isBuffer(row.body));
      assert.deepEqual(row.body, body);
      assert.deepEqual(await db.query(`SELECT COUNT(*) AS n, SUM(at) AS total FROM ${t}`), [{ n: 2, total: 2 * at + 1 }]);
    });

    test("bad SQL and missing values reject; the database keeps working", async () => {
      const db = subject.db();
      await assert.rejects(db.query("SELEC 1"));
      await assert.rejects(db.query("SELECT $1 AS a, $2 AS b", [1]));
      assert.equal((await db.query<{ one: number }>("SELECT 1 AS one"))[0].one, 1);
    });

    test("a transaction commits all of its work, or none of it when its function throws", async () => {
      const db = subject.db();
      const t = await freshTable(db, "id INTEGER PRIMARY KEY, v TEXT");
      assert.equal(
        await db.transaction(async (tx) => {
          await tx.execute(`INSERT INTO ${t} (id, v) VALUES ($1, $2)`, [1, "a"]);
          await tx.execute(`INSERT INTO ${t} (id, v) VALUES ($1, $2)`, [2, "b"]);
          return "done";
        }),
        "done",
      );
      const failure = new Error("changed my mind");
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.execute(`INSERT INTO ${t} (id, v) VALUES ($1, $2)`, [3, "c"]);
          await tx.execute(`UPDATE ${t} SET v = 'z'`);
          throw failure;
        }),
        (err) => err === failure,
      );
      // A constraint violation midway rolls back the statements before it too.
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.execute(`INSERT INTO ${t} (id, v) VALUES ($1, $2)`, [4, "d"]);
          await tx.execute(`INSERT INTO ${t} (id, v) VALUES ($1, $2)`, [1, "duplicate"]);
        }),
      );
      assert.deepEqual(await db.query(`SELECT id, v FROM ${t} ORDER BY id`), [
        { id: 1, v: "a" },
        { id: 2, v: "b" },
      ]);
    });

    test("nested transactions are savepoints; a handle is dead after its transaction; the outer database is refused inside", async () => {
      const db = subject.db();
      const t = await freshTable(db, "id INTEGER PRIMARY KEY");
      let leaked: SqlDatabase | undefined;
      await db.transaction(async (tx) => {
        leaked = tx;
        await tx.execute(`INSERT INTO ${t} (id) VALUES (1)`);
        await assert.rejects(
          tx.transaction(async (inner) => {
            await inner.execute(`INSERT INTO ${t} (id) VALUES (2)`);
            throw new Error("inner only");
          }),
          /inner only/,
        );
        await tx.transaction((inner) => inner.execute(`INSERT INTO ${t} (id) VALUES (3)`));
        await assert.rejects(db.query(`SELECT id FROM ${t}`), /use its `tx` handle/);
      });
      assert.deepEqual(await db.query(`SELECT id FROM ${t} ORDER BY id`), [{ id: 1 }, { id: 3 }]);
      await assert.rejects(leaked!.query("SELECT 1"), /transaction is over/);
    });

    test("a reader outside a transaction never sees its uncommitted writes", async () => {
      const db = subject.db();
      const t = await freshTable(db, "id INTEGER PRIMARY KEY");
      let inserted!: () => void;
      const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
      let finish!: () => void;
      const mayFinish = new Promise<void>((resolve) => (finish = resolve));
      const running = db.transaction(async (tx) => {
        await tx.execute(`INSERT INTO ${t} (id) VALUES (1)`);
        inserted();
        await mayFinish;
        throw new Error("roll back");
      });
      await insertedOnce;
      const outside = subject.peer().query(`SELECT id FROM ${t}`);
      await sleep(20);
      finish();
      await assert.rejects(running, /roll back/);
      assert.deepEqual(await outside, []);
    });

    test("migrate applies each named migration once, in order; a new name is applied later; duplicates are refused", async () => {
      const db = subject.db();
      const t = `m_${process.pid}_${++tables}`;
      const first: Migration[] = [
        { name: `${t} create`, sql: `CREATE TABLE ${t} (step TEXT); INSERT INTO ${t} (step) VALUES ('create')` },
        { name: `${t} seed`, sql: `INSERT INTO ${t} (step) VALUES ('seed')` },
      ];
      await db.migrate(first);
      await db.migrate(first);
      await db.migrate([...first, { name: `${t} more`, sql: { sqlite: `INSERT INTO ${t} VALUES ('sqlite')`, postgres: `INSERT INTO ${t} VALUES ('postgres')` } }]);
      assert.deepEqual((await db.query<{ step: string }>(`SELECT step FROM ${t}`)).map((r) => r.step), ["create", "seed", db.dialect]);
      const recorded = await db.query(`SELECT name FROM basalt_migrations WHERE name LIKE $1 ORDER BY name`, [`${t} %`]);
      assert.equal(recorded.length, 3);
      await assert.rejects(db.migrate([first[0], first[0]]), RangeError);
    });

    test("a failing migration leaves nothing behind: neither its work nor the ones before it in the batch", async () => {
      const db = subject.db();
      const t = `f_${process.pid}_${++tables}`;
      await assert.rejects(
        db.migrate([
          { name: `${t} ok`, sql: `CREATE TABLE ${t} (id INTEGER)` },
          { name: `${t} broken`, sql: `INSERT INTO no_such_table_${t} VALUES (1)` },
        ]),
      );
      assert.deepEqual(await db.query(`SELECT name FROM basalt_migrations WHERE name LIKE $1`, [`${t} %`]), []);
      await db.migrate([{ name: `${t} ok`, sql: `CREATE TABLE ${t} (id INTEGER)` }]);
    });

    test("two nodes migrating at once apply each migration exactly once", async () => {
      const t = `c_${process.pid}_${++tables}`;
      const migrations: Migration[] = [
        { name: `${t} create`, sql: `CREATE TABLE ${t} (n INTEGER)` },
        ...Array.from({ length: 5 }, (_, i) => ({ name: `${t} insert ${i}`, sql: `INSERT INTO ${t} (n) VALUES (${i})` })),
      ];
      await Promise.all([subject.db().migrate(migrations), subject.peer().migrate(migrations), subject.db().migrate(migrations)]);
      assert.deepEqual(await subject.db().query(`SELECT COUNT(*) AS n, SUM(n) AS total FROM ${t}`), [{ n: 5, total: 10 }]);
    });

    test("job claims: concurrent workers on two nodes claim every job exactly once", async () => {
      const db = subject.db();
      const t = await freshTable(db, "id INTEGER PRIMARY KEY, owner TEXT");
      for (let id = 1; id <= 30; id++) await db.execute(`INSERT INTO ${t} (id) VALUES ($1)`, [id]);
      const claims: { worker: string; id: number }[] = [];
      const worker = async (node: SqlDatabase, name: string) => {
        for (;;) {
          const id = await node.transaction(async (tx) => {
            const [job] = await tx.query<{ id: number }>(
              `SELECT id FROM ${t} WHERE owner IS NULL ORDER BY id LIMIT 1 ${forUpdateSkipLocked(tx.dialect)}`,
            );
            if (job === undefined) return undefined;
            await sleep(1); // hold the row a moment, as real work between claim and update would
            assert.equal(await tx.execute(`UPDATE ${t} SET owner = $1 WHERE id = $2 AND owner IS NULL`, [name, job.id]), 1);
            return job.id;
          });
          if (id === undefined) return;
          claims.push({ worker: name, id });
        }
      };
      await Promise.all([worker(subject.db(), "a1"), worker(subject.db(), "a2"), worker(subject.peer(), "b1"), worker(subject.peer(), "b2")]);
      assert.deepEqual(claims.map((c) => c.id).sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 1));
      const owners = await db.query<{ id: number; owner: string }>(`SELECT id, owner FROM ${t} ORDER BY id`);
      assert.deepEqual(owners, claims.sort((a, b) => a.id - b.id).map((c) => ({ id: c.id, owner: c.worker })));
    });

    test("job claims: a second worker gets the next row (Postgres: at once, past the lock; SQLite: after the first commits)", async () => {
      const db = subject.db();
      const t = await freshTable(db, "id INTEGER PRIMARY KEY, owner TEXT");
      for (let id = 1; id <= 3; id++) await db.execute(`INSERT INTO ${t} (id) VALUES ($1)`, [id]);
      const claim = (node: SqlDatabase, owner: string, claimed: () => void, hold: Promise<void>) =>
        node.transaction(async (tx) => {
          const [job] = await tx.query<{ id: number }>(`SELECT id FROM ${t} WHERE owner IS NULL ORDER BY id LIMIT 1 ${forUpdateSkipLocked(tx.dialect)}`);
          await tx.execute(`UPDATE ${t} SET owner = $1 WHERE id = $2`, [owner, job.id]);
          claimed();
          await hold;
          return job.id;
        });
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let firstClaimed!: () => void;
      const firstHolds = new Promise<void>((resolve) => (firstClaimed = resolve));
      const first = claim(db, "first", firstClaimed, held);
      await firstHolds;
      let secondDone = false;
      const second = claim(subject.peer(), "second", () => undefined, Promise.resolve()).finally(() => (secondDone = true));
      if (db.dialect === "postgres") {
        // Done while the first transaction still holds row 1 (it would hang here if the lock blocked it).
        const blocked = new Promise((resolve) => setTimeout(resolve, 10_000, "blocked").unref());
        assert.equal(await Promise.race([second, blocked]), 2);
      } else {
        await sleep(100);
        assert.equal(secondDone, false, "SQLite runs the second claim only after the first commits");
      }
      release();
      assert.deepEqual(await Promise.all([first, second]), [1, 2]);
    });
  });
}
