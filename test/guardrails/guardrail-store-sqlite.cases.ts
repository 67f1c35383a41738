// The guardrail store's contract on SQLite (the storage module's SqliteDatabase), a fresh file per test.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteDatabase } from "../../src/storage/sqlite-database.js";
import { guardrailStoreContract } from "./guardrail-store.contract.js";

guardrailStoreContract("sqlite", async () => new SqliteDatabase(join(mkdtempSync(join(tmpdir(), "basalt-guardrails-")), "basalt.db")));
