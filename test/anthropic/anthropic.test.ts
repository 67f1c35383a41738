// One test process for the anthropic provider: Converse, streams, content and tools, citations, CountTokens, errors, through a fake Messages API.
// Each test file costs a process that loads the SDK and the app (about a second of CPU here), more than
// most of these tests take, so the cases live in *.cases.ts modules and run here together (test/README.md).
import "./citations.cases.js";
import "./content-and-tools.cases.js";
import "./converse.cases.js";
import "./count-tokens.cases.js";
import "./errors.cases.js";
import "./stream.cases.js";
