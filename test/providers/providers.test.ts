// One test process for the provider contract run against every provider, and the upstream client's failure policy.
// Each test file costs a process that loads the SDK and the app (about a second of CPU here), more than
// most of these tests take, so the cases live in *.cases.ts modules and run here together (test/README.md).
import "./anthropic.cases.js";
import "./bedrock.cases.js";
import "./echo.cases.js";
import "./openai.cases.js";
import "./upstream-client.cases.js";
