// Every case module of this folder that can share a process, in one process (test/README.md, "One process per
// folder"). Run one alone with `node --import tsx --test test/gateway/<name>.cases.ts`.
import "./quotas.cases.js";
import "./read-relayed-usage.cases.js";
