// Every case module of this folder that can share a process, in one process (test/README.md, "One process per
// folder"). Run one alone with `node --import tsx --test test/doubles/<name>.cases.ts`.
import "./bedrock-upstream-doubles.cases.js";
import "./cassettes-policy.cases.js";
import "./openai-upstream-doubles.cases.js";
import "./output-as-stream.cases.js";
import "./scripts-answers.cases.js";
import "./scripts-auth.cases.js";
import "./scripts-boto3.cases.js";
import "./scripts-policy.cases.js";
import "./stream-faults.cases.js";
