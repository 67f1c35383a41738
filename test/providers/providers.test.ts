// The provider contract (contract.ts) against every provider, and the upstream client they share, in one process
// (test/README.md, "One process per folder"). Run one alone with `node --import tsx --test test/providers/<name>.cases.ts`.
import "./anthropic.cases.js";
import "./bedrock.cases.js";
import "./echo.cases.js";
import "./openai.cases.js";
import "./upstream-client.cases.js";
import "./sse-from-body.cases.js";
