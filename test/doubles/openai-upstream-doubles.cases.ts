// Test doubles in front of a real-wire backend (the fake OpenAI-compatible server, test/fakes/): a script
// answers for an openai-provider model without any upstream call while other prompts still reach it; a
// cassette recorded through the upstream replays identical answers with the upstream stopped, holds no
// secret, and a replay miss names the request and the directory.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConverseCommand, ConverseStreamCommand, CountTokensCommand, ResourceNotFoundException, type BedrockRuntimeClient,
} from "@aws-sdk/client-bedrock-runtime";
import { chatStream, completion, startOpenAIUpstream, type FakeOpenAIUpstream, type ReceivedRequest } from "../fakes/openai-upstream.js";
import { h2Client } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { invoke, invokeStream } from "../invoke/harness.js";
import { Admin, ANTHROPIC_VERSION, readStream } from "./harness.js";

const API_KEY = "sk-basalt-cassette-secret-0123456789";
const ORG = "org-basalt-secret-organization";
const GPT = "openai.gpt-oss-120b-1:0";
const CLAUDE = "anthropic.claude-sonnet-4-20250514-v1:0";

/** The upstream answers with the last user text, so each prompt has its own answer. */
function lastUserText(req: ReceivedRequest): string {
  const messages = req.body.messages as { role: string; content: string | { type: string; text?: string }[] }[];
  const last = messages.filter((m) => m.role === "user").at(-1)!;
  return typeof last.content === "string" ? last.content : last.content.map((c) => c.text ?? "").join("");
}
const respond = (req: ReceivedRequest) => {
  const text = `upstream says: ${lastUserText(req)}`;
  if (req.body.stream) return { sse: chatStream({ text: text.split(/(?= )/), usage: { prompt: 11, completion: 4 } }) };
  return { json: completion({ content: text, usage: { prompt: 11, completion: 4 } }) };
};

const configFor = (baseUrl: string, cassettes: string) => writeConfig(`
providers:
  gpt:
    type: openai
    baseUrl: "${baseUrl}"
    apiKey: "${API_KEY}"
    headers: { OpenAI-Organization: "${ORG}" }
    ${cassettes}
models:
  - { id: "${GPT}", provider: gpt, model: gpt-4o-mini }
  - { id: "${CLAUDE}", provider: gpt, model: gpt-4o-mini }
`);

let upstream: FakeOpenAIUpstream;
before(async () => (upstream = await startOpenAIUpstream(respond)));
after(() => upstream.close());

const say = (text: string) => [{ role: "user" as const, content: [{ text }] }];

test("a script answers for an openai-provider model without calling it; other prompts reach the upstream", async () => {
  const basalt = await startBasalt({ config: configFor(upstream.baseUrl, "") });
  const client = h2Client(basalt.url);
  try {
    await new Admin(basalt.url).add({ match: { model: "openai.*", text: "scripted" }, respond: { content: [{ text: "from the script" }] } });
    const before = upstream.requests.length;
    const scripted = await client.send(new ConverseCommand({ modelId: GPT, messages: say("a scripted prompt") }));
    assert.equal(scripted.output?.message?.content?.[0].text, "from the script");
    const stream = await readStream((await client.send(new ConverseStreamCommand({ modelId: GPT, messages: say("scripted again") }))).stream);
    assert.equal(stream.events.map((e) => e.contentBlockDelta?.delta?.text ?? "").join(""), "from the script");
    assert.equal(upstream.requests.length, before, "no upstream call for scripted prompts");
    const real = await client.send(new ConverseCommand({ modelId: GPT, messages: say("a real prompt") }));
    assert.equal(real.output?.message?.content?.[0].text, "upstream says: a real prompt");
    assert.equal(upstream.requests.length, before + 1);
  } finally {
    client.destroy();
    await basalt.stop();
  }
});

/** Every call kind the cassette must carry, with what the client saw (volatile ids left out). */
async function exercise(client: BedrockRuntimeClient) {
  const converse = await client.send(new ConverseCommand({ modelId: GPT, messages: say("first question"), inferenceConfig: { maxTokens: 100, temperature: 0.1 } }));
  const stream = await readStream((await client.send(new ConverseStreamCommand({ modelId: GPT, messages: say("second question") }))).stream);
  const claudeBody = { anthropic_version: ANTHROPIC_VERSION, max_tokens: 100, messages: [{ role: "user", content: "third question" }] };
  const { id: _id, ...invoked } = await invoke(client, CLAUDE, claudeBody);
  const chunks = (await invokeStream(client, CLAUDE, { ...claudeBody, messages: [{ role: "user", content: "fourth question" }] })).map((c) => {
    const { "amazon-bedrock-invocationMetrics": _m, ...rest } = c;
    if (rest.type === "message_start") (rest.message as { id?: string }).id = "-";
    return rest;
  });
  const count = await client.send(new CountTokensCommand({ modelId: GPT, input: { converse: { messages: say("count me") } } }));
  return {
    requestIds: [converse.$metadata.requestId],
    seen: { converse: { output: converse.output, stopReason: converse.stopReason, usage: converse.usage, metrics: converse.metrics }, stream: stream.events, invoked, chunks, count: count.inputTokens },
  };
}

test("record through the upstream, then replay with it stopped: identical answers, no secret in the files, a miss names the request", async () => {
  const dir = mkdtempSync(join(tmpdir(), "basalt-cassettes-"));
  const recordUpstream = await startOpenAIUpstream(respond);
  const recorder = await startBasalt({ config: configFor(recordUpstream.baseUrl, `cassettes: { mode: record, dir: "${dir}" }`) });
  let recorded: Awaited<ReturnType<typeof exercise>>;
  let client = h2Client(recorder.url);
  try {
    recorded = await exercise(client);
    assert.equal(recordUpstream.requests.length, 4, "converse, stream, invoke and invoke stream reached the upstream");
    assert.equal(recorded.seen.converse.output?.message?.content?.[0].text, "upstream says: first question");
  } finally {
    client.destroy();
    await recorder.stop();
    await recordUpstream.close();
  }

  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(".json"));
  assert.equal(files.length, 5);
  const text = files.map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
  for (const secret of [API_KEY, ORG, "AKIDBASALTTEST", "basalt-test-secret", ...recorded.requestIds.map(String)]) {
    assert.ok(!text.includes(secret), `a cassette contains ${secret}`);
  }
  assert.doesNotMatch(text, /authorization|x-amz-/i);
  assert.match(text, /"text": "first question"/, "the request is readable");

  // The upstream of the recording is gone; the replaying server points at a closed port.
  const player = await startBasalt({ config: configFor(recordUpstream.baseUrl, `cassettes: { mode: replay, dir: "${dir}" }`) });
  client = h2Client(player.url);
  try {
    const replayed = await exercise(client);
    assert.deepEqual(replayed.seen, recorded.seen);
    const miss = await client.send(new ConverseCommand({ modelId: GPT, messages: say("a question never recorded") })).then(
      () => assert.fail("a replay miss must fail"),
      (e: unknown) => e,
    );
    assert.ok(miss instanceof ResourceNotFoundException);
    assert.match(miss.message, /a question never recorded/);
    assert.ok(miss.message.includes(dir), miss.message);
    assert.match(miss.message, /converse openai\.gpt-oss-120b-1:0/);
  } finally {
    client.destroy();
    await player.stop();
  }
});
