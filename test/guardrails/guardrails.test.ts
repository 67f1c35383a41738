// Every case module of this folder that can share a process, in one process (test/README.md, "One process per
// folder"). Run one alone with `node --import tsx --test test/guardrails/<name>.cases.ts`.
import "./apply-guardrail.cases.js";
import "./boto3-guardrails.cases.js";
import "./control-plane.cases.js";
import "./evaluate-guardrail.cases.js";
import "./guardrail-checks.cases.js";
import "./guardrail-config.cases.js";
import "./guardrail-store-sqlite.cases.js";
import "./guardrails-policy.cases.js";
import "./judge-classifier.cases.js";
import "./judge.cases.js";
import "./pii-detection.cases.js";
import "./safe-regex.cases.js";
