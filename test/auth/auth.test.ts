// Every case module of this folder that can share a process, in one process (test/README.md, "One process per
// folder"). Run one alone with `node --import tsx --test test/auth/<name>.cases.ts`.
import "./auth-config.cases.js";
import "./authorization-header.cases.js";
import "./authenticate.cases.js";
import "./caller-and-warnings.cases.js";
import "./model-access.cases.js";
import "./quota-window.cases.js";
import "./runtime-auth.cases.js";
import "./signature.cases.js";
