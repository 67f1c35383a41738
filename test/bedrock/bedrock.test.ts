// One test process for the bedrock provider chained to Basalt, its typed methods, SigV4, zero-config discovery.
// Each test file costs a process that loads the SDK and the app (about a second of CPU here), more than
// most of these tests take, so the cases live in *.cases.ts modules and run here together (test/README.md).
import "./bedrock-model-methods.cases.js";
import "./chain.cases.js";
import "./verify-sigv4.cases.js";
import "./zero-config-discovery.cases.js";
