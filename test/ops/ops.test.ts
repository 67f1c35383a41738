// Issue 10, operating Basalt: every case module of this folder in one process (test/README.md, "One process
// per folder"). Each module is about the real CLI as a user starts it; run one alone with
// `node --import tsx --test test/ops/<name>.cases.ts`.
import "./cli.cases.js";
import "./health-ready.cases.js";
import "./request-log.cases.js";
import "./shutdown.cases.js";
import "./upstream-faults.cases.js";
import "./sdk-snippets.cases.js";
import "./production-install.cases.js";
