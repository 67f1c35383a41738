// boto3's `bedrock` and `bedrock-runtime` clients (HTTP/1.1, botocore's parsers) against Basalt started as
// the README says: the guardrail lifecycle, ApplyGuardrail, Converse/ConverseStream/InvokeModel with a
// guardrail, and the errors for an unknown guardrail on each path.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";

const hasBoto3 = spawnSync("python3", ["-c", "import boto3"]).status === 0;
const script = fileURLToPath(new URL("./python/boto3_guardrails.py", import.meta.url));

let basalt: RunningBasalt;
before(async () => {
  if (!hasBoto3) return;
  const dataDir = mkdtempSync(join(tmpdir(), "basalt-guardrails-boto3-"));
  basalt = await startBasalt({ config: writeConfig(`server: { dataDir: ${JSON.stringify(dataDir)} }\nmodels:\n  - { id: basalt.echo, provider: echo }\n`) });
});
after(async () => void (await basalt?.stop()));

test("boto3: guardrails on every path", { skip: hasBoto3 ? false : "python3 with boto3 is not installed" }, async () => {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile("python3", [script, basalt.url], { timeout: 60_000 }, (err, out, errOut) => (err ? reject(new Error(errOut || String(err))) : resolve(out))),
  );
  const r = JSON.parse(stdout);
  assert.equal(r.create.status, 202);
  assert.equal(r.create.version, "DRAFT");
  assert.equal(r.create.arn, `arn:aws:bedrock:us-east-1:000000000000:guardrail/${r.create.id}`);
  assert.equal(r.version, "1");
  assert.deepEqual(r.get, { draftWords: ["verboten"], draftTopics: false, v1Words: ["forbidden"], v1Status: "READY", createdAtIsDate: true });
  assert.deepEqual(r.list, ["DRAFT", "1"]);
  assert.deepEqual(r.applyMasked, {
    action: "GUARDRAIL_INTERVENED", reason: "Guardrail masked.", outputs: [{ text: "mail {EMAIL} about {ticket}" }],
    pii: {
      piiEntities: [{ match: "a@b.io", type: "EMAIL", action: "ANONYMIZED", detected: true }],
      regexes: [{ name: "ticket", match: "TKT-12345", regex: "TKT-[0-9]{5}", action: "ANONYMIZED", detected: true }],
    },
  });
  assert.deepEqual(r.applyBlocked, {
    action: "GUARDRAIL_INTERVENED", outputs: [{ text: "Blocked by boto3's guardrail." }],
    topics: [{ name: "Investment advice", type: "DENY", action: "BLOCKED", detected: true }],
    filters: [{ type: "INSULTS", confidence: "MEDIUM", filterStrength: "HIGH", action: "BLOCKED", detected: true }],
  });
  assert.equal(r.applyGrounding.action, "GUARDRAIL_INTERVENED");
  assert.deepEqual(r.applyGrounding.filters.map((f: { type: string; detected: boolean }) => [f.type, f.detected]), [["GROUNDING", true]]);
  assert.deepEqual(r.converseBlocked, {
    text: "Blocked by boto3's guardrail.", stop: "guardrail_intervened",
    traceTopics: [{ name: "Investment advice", type: "DENY", action: "BLOCKED", detected: true }],
  });
  assert.deepEqual(r.converseMasked, { text: "echo {EMAIL}", stop: "end_turn" });
  assert.deepEqual(r.stream, { text: "Answer blocked by boto3's guardrail.", stop: "guardrail_intervened", traced: true });
  assert.deepEqual(r.invoke, { action: "INTERVENED", traced: true });
  assert.deepEqual(r.errors, {
    apply: { code: "ResourceNotFoundException", message: "Could not find guardrail with id nosuchguardrail", status: 404 },
    converse: { code: "ValidationException", message: "The guardrail identifier or version provided in the request does not exist.", status: 400 },
    get: { code: "ResourceNotFoundException", message: "Could not find guardrail with id nosuchguardrail", status: 404 },
  });
  assert.equal(r.deleted, "ResourceNotFoundException");
});
