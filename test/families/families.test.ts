// One test process for the InvokeModel families read by echo and by an OpenAI-compatible fake upstream.
// Each test file costs a process that loads the SDK and the app (about a second of CPU here), more than
// most of these tests take, so the cases live in *.cases.ts modules and run here together (test/README.md).
import "./cohere.cases.js";
import "./llama.cases.js";
import "./mistral.cases.js";
import "./openai-style.cases.js";
import "./per-call-state.cases.js";
import "./titan.cases.js";
