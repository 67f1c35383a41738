// One test process for behaviour the performance work must keep.
// Each test file costs a process that loads the SDK and the app (about a second of CPU here), more than
// most of these tests take, so the cases live in *.cases.ts modules and run here together (test/README.md).
import "./echo-tokens.cases.js";
import "./frame-encoding.cases.js";
import "./hot-paths.cases.js";
import "./idle-memory-trim.cases.js";
import "./pii-prefilter.cases.js";
