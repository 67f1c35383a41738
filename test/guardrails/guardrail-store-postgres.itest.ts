// The guardrail store's contract on Postgres (a real postgres started for this file), a fresh database per
// test — the store's SQL is written once for both.
import { after, before } from "node:test";
import pg from "pg";
import { PostgresDatabase } from "../../src/storage/postgres-database.js";
import { type RunningPostgres, startPostgres } from "../helpers/services.js";
import { guardrailStoreContract } from "./guardrail-store.contract.js";

let postgres: RunningPostgres;
const opened: PostgresDatabase[] = [];
let n = 0;
before(async () => {
  postgres = await startPostgres();
});
after(async () => {
  await Promise.all(opened.map((db) => db.close()));
  await postgres.stop();
});

guardrailStoreContract("postgres", async () => {
  const name = `guardrails_${++n}`;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgres.url);
  url.pathname = `/${name}`;
  const db = new PostgresDatabase({ url: url.toString() });
  opened.push(db);
  return db;
});
