// One test process for the openai provider: Converse, streams, content and tools, errors, through a fake Chat Completions server.
// Each test file costs a process that loads the SDK and the app (about a second of CPU here), more than
// most of these tests take, so the cases live in *.cases.ts modules and run here together (test/README.md).
import "./content-and-tools.cases.js";
import "./converse.cases.js";
import "./errors.cases.js";
import "./stream.cases.js";
