// One test process for the Bedrock front door served in-process: echo rules, validation, errors, faults, the wire, request ids, boto3.
// Each test file costs a process that loads the SDK and the app (about a second of CPU here), more than
// most of these tests take, so the cases live in *.cases.ts modules and run here together (test/README.md).
import "./boto3.cases.js";
import "./echo-rules.cases.js";
import "./errors.cases.js";
import "./fault-injection.cases.js";
import "./http1-request-forms.cases.js";
import "./recorded-and-model-constraints.cases.js";
import "./request-ids-and-bodies.cases.js";
import "./validation.cases.js";
import "./wire-and-transport.cases.js";
