// Every case module of this folder that can share a process, in one process (test/README.md, "One process per
// folder"). Run one alone with `node --import tsx --test test/hardening/<name>.cases.ts`.
import "./body-limits.cases.js";
import "./browser-safety.cases.js";
import "./operations.cases.js";
import "./prototype-routes.cases.js";
import "./stall-watch.cases.js";
import "./timeouts.cases.js";
import "./total-validation.cases.js";
import "./upstream-faults.cases.js";
