// Issue 21: a property-based fuzz test over request bodies generated from the service model (shape-arbitrary.ts),
// sent to every model operation on both transports: each answer is a valid answer or a typed Bedrock error
// (a 4xx with x-amzn-errortype), never a 5xx, never an internal exception inside a stream, never a hang.
// Bounded in time (FUZZ_SECONDS, default 30) and in cases (FUZZ_RUNS, default 3000); a failure prints the
// shrunk body that caused it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { connect as h2connect, type ClientHttp2Session } from "node:http2";
import type { Basalt } from "../../src/app.js";
import { FAMILY_IDS, startInProcess } from "./harness.js";
import { h1, h2, type RawAnswer } from "./raw-http.js";
import { converseBodyArbitrary, mutatedOnce, shapeArbitrary, type Temper } from "./shape-arbitrary.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 3_000);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 30);

let basalt: Basalt;
let session: ClientHttp2Session;
before(async () => {
  basalt = await startInProcess(`
server: { bodyTimeoutMs: 5000 }
models:
  - { id: basalt.echo, provider: echo }
  - { id: "${FAMILY_IDS.nova}", provider: echo }
  - { id: "${FAMILY_IDS.claude}", provider: echo }
  - { id: "${FAMILY_IDS.openai}", provider: echo }
  - { id: "${FAMILY_IDS.cohere}", provider: echo }
`);
  session = h2connect(basalt.url);
  session.on("error", () => undefined);
});
after(async () => {
  session.close();
  await basalt.stop();
});

/** One request to send: where, and its body. */
interface Case { path: string; body: unknown; http1: boolean }

const base64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");
const claudeBody = fc.record({
  anthropic_version: fc.constantFrom("bedrock-2023-05-31", "x"),
  max_tokens: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constant(-1)),
  messages: fc.array(fc.record({ role: fc.constantFrom("user", "assistant"), content: fc.oneof(fc.lorem(), fc.jsonValue({ maxDepth: 3 })) }), { maxLength: 3 }),
}, { requiredKeys: [] }).chain((b) => fc.tuple(fc.constant(b), fc.jsonValue({ maxDepth: 2 }))).map(([b, extra]) => (
  typeof extra === "object" && extra !== null && !Array.isArray(extra) ? { ...extra, ...b } : b
));
const openaiBody = fc.record({
  messages: fc.array(fc.record({ role: fc.constantFrom("user", "assistant", "system", "tool"), content: fc.oneof(fc.lorem(), fc.jsonValue({ maxDepth: 2 })) }), { maxLength: 3 }),
  max_tokens: fc.integer({ min: -2, max: 50 }),
  tools: fc.jsonValue({ maxDepth: 3 }),
}, { requiredKeys: ["messages"] });
const cohereBody = fc.record({ message: fc.oneof(fc.lorem(), fc.jsonValue({ maxDepth: 2 })), chat_history: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] });

const casesOf = (temper: Temper | "once") => {
  const converseBody = temper === "once" ? mutatedOnce(converseBodyArbitrary("gentle")) : converseBodyArbitrary(temper);
  return [
    converseBody.map((body) => ({ path: "/model/basalt.echo/converse", body })),
    converseBody.map((body) => ({ path: "/model/basalt.echo/converse-stream", body })),
    shapeArbitrary("CountTokensRequest", temper === "once" ? "gentle" : temper).map((body) => ({ path: "/model/basalt.echo/count-tokens", body })),
    converseBody.map((body) => ({ path: "/model/basalt.echo/count-tokens", body: { input: { converse: body } } })),
    converseBody.map((body) => ({ path: `/model/${FAMILY_IDS.nova}/count-tokens`, body: { input: { invokeModel: { body: base64(body) } } } })),
    converseBody.map((body) => ({ path: `/model/${FAMILY_IDS.nova}/invoke`, body: { schemaVersion: "messages-v1", ...body } })),
    converseBody.map((body) => ({ path: `/model/${FAMILY_IDS.nova}/invoke-with-response-stream`, body })),
    claudeBody.map((body) => ({ path: `/model/${FAMILY_IDS.claude}/invoke`, body })),
    claudeBody.map((body) => ({ path: `/model/${FAMILY_IDS.claude}/invoke-with-response-stream`, body })),
    openaiBody.map((body) => ({ path: `/model/${FAMILY_IDS.openai}/invoke`, body })),
    cohereBody.map((body) => ({ path: `/model/${FAMILY_IDS.cohere}/invoke-with-response-stream`, body })),
    shapeArbitrary("ApplyGuardrailRequest", temper === "once" ? "gentle" : temper).map((body) => ({ path: "/guardrail/fuzz/version/1/apply", body })),
  ];
};

// A third of the cases mostly valid (they reach the models and their answers are checked), a third valid but
// for one mutation (the lone anomaly a validator must catch by itself), a third hostile throughout.
const caseArbitrary: fc.Arbitrary<Case> = fc.tuple(fc.oneof(...casesOf("gentle"), ...casesOf("once"), ...casesOf("hostile")), fc.boolean())
  .map(([c, http1]) => ({ ...c, http1 }));

// basalt.echo's fault lines (`/error …`, `/slow …`) ask for failures and delays on purpose.
const asksForFault = (body: string) => /"\s*\/(error|slow)/.test(body);

// Exceptions that mean the server failed, not the request.
const SERVER_FAULTS = /internalServerException|serviceUnavailableException/;

function problem(c: Case, a: RawAnswer): string | undefined {
  if (a.status >= 500 || a.status < 200) return `status ${a.status}`;
  if (a.status >= 400) {
    if (!a.errorType) return `a ${a.status} without x-amzn-errortype`;
    try {
      if (typeof (JSON.parse(a.body) as { message?: unknown }).message !== "string") return "an error body without a message";
    } catch {
      return "an error body that is not JSON";
    }
    return undefined;
  }
  if (String(a.headers["content-type"]).includes("eventstream")) {
    return SERVER_FAULTS.test(a.body) ? "a server fault inside the stream" : undefined;
  }
  try {
    JSON.parse(a.body);
  } catch {
    return `a ${a.status} whose body is not JSON`;
  }
  return undefined;
}

test(`fuzz: every generated request gets a valid answer or a typed 4xx (up to ${RUNS} cases / ${SECONDS} s)`, { timeout: (SECONDS + 120) * 1_000 }, async () => {
  let sent = 0;
  const details = await fc.check(
    fc.asyncProperty(caseArbitrary, async (c) => {
      const body = JSON.stringify(c.body);
      fc.pre(!asksForFault(body));
      if (session.closed || session.destroyed) {
        session = h2connect(basalt.url);
        session.on("error", () => undefined);
      }
      const request = { path: c.path, body, timeoutMs: 10_000 };
      const answer = c.http1 ? await h1(basalt.url, request) : await h2(basalt.url, request, session);
      sent++;
      const wrong = problem(c, answer);
      if (wrong) throw new Error(`${c.http1 ? "HTTP/1.1" : "HTTP/2"} POST ${c.path}: ${wrong}: ${answer.body.slice(0, 300)}`);
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: SECONDS * 1_000, endOnFailure: false },
  );
  if (details.failed) assert.fail(fc.defaultReportMessage(details) ?? "fuzz failure");
  // Enough cases ran to mean something, even on a slow machine.
  assert.ok(sent >= Math.min(RUNS, 200), `only ${sent} cases ran in ${SECONDS} s`);
  process.stdout.write(`# fuzz: ${sent} requests\n`);
});
