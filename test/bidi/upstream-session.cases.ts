// Nova Sonic sessions on a model served by an OpenAI-compatible upstream (the fake speaks Chat Completions):
// each text turn is a Chat Completions call through the Converse core, its answer streamed back as
// textOutput events while the client keeps sending; tools round-trip; audio is refused with a clear event;
// a client that leaves mid-answer releases the upstream call.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { chatStream, errorBody, startOpenAIUpstream, type FakeOpenAIUpstream, type SseStep } from "../fakes/openai-upstream.js";
import { sdkSession } from "../helpers/sdk-session.js";
import { deferred, errorOf } from "../helpers/sdk.js";
import {
  answerText, audioContentStart, audioInput, completions, openSession, promptEnd, promptStart, sessionEnd, sessionStart,
  textContent, toolResultContent, type SonicSession, within30s,
} from "./sonic-client.js";

const MODEL_ID = "meta.llama3-8b-instruct-v1:0";
const WEATHER = { name: "get_weather", description: "Weather in a city", schema: { type: "object", properties: { city: { type: "string" } } } };

function start(s: SonicSession, tools: (typeof WEATHER)[] = []): void {
  s.send(sessionStart({ maxTokens: 256, temperature: 0.3 }));
  s.send(promptStart(s.promptName, tools));
  for (const e of textContent(s.promptName, "SYSTEM", "Answer briefly.", false)) s.send(e);
}
const say = (s: SonicSession, text: string) => textContent(s.promptName, "USER", text).forEach((e) => s.send(e));
function close(s: SonicSession): void {
  s.send(promptEnd(s.promptName));
  s.send(sessionEnd());
  s.end();
}

describe("bidirectional stream on an OpenAI-compatible upstream", () => {
  let upstream: FakeOpenAIUpstream;
  before(async () => {
    upstream = await startOpenAIUpstream();
  });
  // Hooks run in the order they are declared: Basalt starts after the upstream and stops before it.
  const session = sdkSession(() => ({
    config: `
providers:
  local: { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: "sk-test" }
models:
  - { id: "${MODEL_ID}", provider: local, model: "llama3.1:8b" }
`,
  }));
  after(() => upstream.close());

  test("two turns, the second sent while the first answer streams: each is one upstream call with the conversation so far", async () => {
    upstream.skipReceived();
    const gate = deferred();
    const first: SseStep[] = chatStream({ text: ["Lyon is", " in France."] });
    // Hold the first answer after its first text piece until the second turn is in.
    first.splice(2, 0, { wait: gate.promise });
    upstream.enqueue({ sse: first }, { sse: chatStream({ text: ["Paris", " is the capital."] }) });

    const s = openSession(session.client, MODEL_ID);
    start(s);
    say(s, "Where is Lyon?");
    const firstPiece = await s.waitFor((e) => e.textOutput !== undefined);
    assert.equal(firstPiece.textOutput.content, "Lyon is");
    say(s, "And the capital?");
    const req1 = await upstream.nextRequest();
    gate.resolve();
    const req2 = await upstream.nextRequest();
    close(s);
    await s.finished;

    const ids = completions(s.received);
    assert.equal(answerText(s.received, ids[0]), "Lyon is in France.");
    assert.equal(answerText(s.received, ids[1]), "Paris is the capital.");
    assert.deepEqual(req1.body.messages, [
      { role: "system", content: "Answer briefly." },
      { role: "user", content: "Where is Lyon?" },
    ]);
    // The second turn waited for the answer in flight: its call carries that whole answer.
    assert.deepEqual(req2.body.messages, [
      { role: "system", content: "Answer briefly." },
      { role: "user", content: "Where is Lyon?" },
      { role: "assistant", content: "Lyon is in France." },
      { role: "user", content: "And the capital?" },
    ]);
    // sessionStart's inference configuration reaches the backend.
    assert.equal(req1.body.max_tokens ?? req1.body.max_completion_tokens, 256);
    assert.equal(req1.body.temperature, 0.3);
    assert.equal(req1.body.stream, true);
  });

  test("tool use round trip through the upstream's tool calls", async () => {
    upstream.skipReceived();
    upstream.enqueue(
      { sse: chatStream({ toolCalls: [{ id: "call_weather_1", name: "get_weather", argumentPieces: ['{"city":', '"Lyon"}'] }] }) },
      { sse: chatStream({ text: ["It is sunny", " in Lyon."] }) },
    );
    const s = openSession(session.client, MODEL_ID);
    start(s, [WEATHER]);
    say(s, "Weather in Lyon?");
    const use = await s.waitFor((e) => e.toolUse !== undefined);
    assert.equal(use.toolUse.toolUseId, "call_weather_1");
    assert.equal(use.toolUse.toolName, "get_weather");
    assert.deepEqual(JSON.parse(String(use.toolUse.content)), { city: "Lyon" });
    const req1 = await upstream.nextRequest();
    const tools = req1.body.tools as { function: { name: string; parameters: unknown } }[];
    assert.equal(tools[0].function.name, "get_weather");
    assert.deepEqual(tools[0].function.parameters, WEATHER.schema);

    toolResultContent(s.promptName, "call_weather_1", { sky: "sunny" }).forEach((e) => s.send(e));
    const req2 = await upstream.nextRequest();
    close(s);
    await s.finished;
    const messages = req2.body.messages as Record<string, unknown>[];
    const toolMessage = messages.find((m) => m.role === "tool")!;
    assert.equal(toolMessage.tool_call_id, "call_weather_1");
    assert.match(JSON.stringify(toolMessage.content), /sunny/);
    assert.equal(answerText(s.received, completions(s.received)[1]), "It is sunny in Lyon.");
  });

  test("audio input on a text-only backend ends the session with a validationException that says so", async () => {
    const s = openSession(session.client, MODEL_ID);
    start(s);
    const contentName = randomUUID();
    s.send(audioContentStart(s.promptName, contentName));
    s.send(audioInput(s.promptName, contentName, randomBytes(640)));
    const err = await errorOf(s.finished);
    assert.equal(err.name, "ValidationException");
    assert.match(err.message, /text-only backend and cannot take audio input/);
    s.end();
  });

  test("an upstream error mid-session arrives as its exception event", async () => {
    upstream.enqueue({ status: 429, json: errorBody("Rate limit reached", "requests", "rate_limit_exceeded") });
    const s = openSession(session.client, MODEL_ID);
    start(s);
    say(s, "hello");
    const err = await errorOf(s.finished);
    assert.equal(err.name, "ThrottlingException");
    s.end();
  });

  test("the client leaving mid-answer releases the upstream call", async () => {
    upstream.skipReceived();
    const never = new Promise<void>(() => undefined);
    upstream.enqueue({ sse: [...chatStream({ text: ["partial"] }).slice(0, 2), { wait: never }] });
    const s = openSession(session.client, MODEL_ID);
    start(s);
    say(s, "tell me a long story");
    await s.waitFor((e) => e.textOutput !== undefined);
    const req = await upstream.nextRequest();
    s.abort.abort();
    await s.finished.catch(() => undefined);
    assert.equal(await within30s(req.closed), "settled");
  });
});
