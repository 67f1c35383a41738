// Every case module of this folder that can share a process, in one process (test/README.md, "One process per
// folder"). Run one alone with `node --import tsx --test test/resilience/<name>.cases.ts`.
import "./config.cases.js";
import "./response-cache.cases.js";
import "./routed-model.cases.js";
import "./routing-parts.cases.js";
