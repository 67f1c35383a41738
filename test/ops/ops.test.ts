// Issue 10, operating Basalt: the case modules of this folder in one process (test/README.md, "One process
// per folder"; the slow ones are in ops.itest.ts). Each module is about the real CLI as a user starts it;
// run one alone with `node --import tsx --test test/ops/<name>.cases.ts`.
import "./cli.cases.js";
import "./health-ready.cases.js";
import "./request-log.cases.js";
import "./sdk-snippets.cases.js";
