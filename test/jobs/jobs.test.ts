// Every case module of this folder that can share a process, in one process (test/README.md, "One process per
// folder"). Run one alone with `node --import tsx --test test/jobs/<name>.cases.ts`.
import "./call-records.cases.js";
import "./engine-async.cases.js";
import "./engine-batch.cases.js";
import "./engine-list.cases.js";
