// One test process for InvokeModel and InvokeModelWithResponseStream: Claude and Nova bodies, the wire, the relay.
// Each test file costs a process that loads the SDK and the app (about a second of CPU here), more than
// most of these tests take, so the cases live in *.cases.ts modules and run here together (test/README.md).
import "./anthropic-bedrock-sdk.cases.js";
import "./claude-aws-sdk.cases.js";
import "./invoke-wire.cases.js";
import "./nova.cases.js";
import "./openai-backend.cases.js";
import "./relay.cases.js";
