// Every case module of this folder that can share a process, in one process (test/README.md, "One process per
// folder"). Run one alone with `node --import tsx --test test/doors/<name>.cases.ts`.
import "./anthropic-door.cases.js";
import "./auth-and-guardrails.cases.js";
import "./catalog.cases.js";
import "./openai-door.cases.js";
