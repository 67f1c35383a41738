// Postgres against the shared SQL contract, on a real postgres started for this file; the "other node" is a
// second PostgresDatabase with its own pool.
import { after, before } from "node:test";
import { PostgresDatabase } from "../../src/storage/postgres-database.js";
import { type RunningPostgres, startPostgres } from "../helpers/services.js";
import { sqlContract } from "./sql.contract.js";

let postgres: RunningPostgres;
let nodeA: PostgresDatabase;
let nodeB: PostgresDatabase;
before(async () => {
  postgres = await startPostgres();
  nodeA = new PostgresDatabase({ url: postgres.url });
  nodeB = new PostgresDatabase({ url: postgres.url });
});
after(async () => {
  await Promise.all([nodeA.close(), nodeB.close()]);
  await postgres.stop();
});

sqlContract("postgres", { db: () => nodeA, peer: () => nodeB });
