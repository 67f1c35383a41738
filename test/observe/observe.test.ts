// Every case module of this folder that can share a process, in one process (test/README.md, "One process per
// folder"). Run one alone with `node --import tsx --test test/observe/<name>.cases.ts`.
import "./ledger.cases.js";
import "./log-line.cases.js";
import "./log-sink.cases.js";
import "./observe-e2e.cases.js";
import "./ledger-journal.cases.js";
import "./observers.cases.js";
import "./relayed-usage.cases.js";
import "./tracing.cases.js";
