// Every case module of this folder that can share a process, in one process (test/README.md, "One process per
// folder"). Run one alone with `node --import tsx --test test/architecture/<name>.cases.ts`.
import "./doors-and-records.cases.js";
import "./model-middleware.cases.js";
import "./route-table.cases.js";
import "./bounded-memo.cases.js";
import "./watch-stream.cases.js";
import "./cancellation.cases.js";
