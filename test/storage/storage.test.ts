// Every case module of this folder that can share a process, in one process (test/README.md, "One process per
// folder"). Run one alone with `node --import tsx --test test/storage/<name>.cases.ts`.
import "./blob-local.cases.js";
import "./key-value-memory.cases.js";
import "./lazy-clients.cases.js";
import "./lru-map.cases.js";
import "./rewrite-placeholders.cases.js";
import "./sql-sqlite.cases.js";
import "./sql-sqlite-thread.cases.js";
