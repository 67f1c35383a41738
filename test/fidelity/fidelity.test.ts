// Every case module of this folder that can share a process, in one process (test/README.md, "One process per
// folder"). Run one alone with `node --import tsx --test test/fidelity/<name>.cases.ts`.
import "./model-rules.cases.js";
import "./echo-features.cases.js";
import "./request-rules.cases.js";
import "./tools-and-families.cases.js";
import "./validation-wording.cases.js";
