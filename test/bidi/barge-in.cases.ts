// With server.bidirectionalStream.bargeIn, a user text turn sent while an answer streams interrupts it as
// Nova Sonic's barge-in does: the answer's text gets `{ "interrupted" : true }`, its content and completion
// end with stopReason INTERRUPTED, its upstream call is released, and the new turn is answered with what
// was said so far in the conversation.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chatStream, startOpenAIUpstream, type FakeOpenAIUpstream } from "../fakes/openai-upstream.js";
import { sdkSession } from "../helpers/sdk-session.js";
import { answerText, completions, openSession, promptEnd, promptStart, sessionEnd, sessionStart, textContent, type SonicSession, within30s } from "./sonic-client.js";

const MODEL_ID = "meta.llama3-8b-instruct-v1:0";
const say = (s: SonicSession, text: string) => textContent(s.promptName, "USER", text).forEach((e) => s.send(e));
function close(s: SonicSession): void {
  s.send(promptEnd(s.promptName));
  s.send(sessionEnd());
  s.end();
}

describe("barge-in (server.bidirectionalStream.bargeIn)", () => {
  let upstream: FakeOpenAIUpstream;
  before(async () => {
    upstream = await startOpenAIUpstream();
  });
  // Hooks run in the order they are declared: Basalt starts after the upstream and stops before it.
  const session = sdkSession(() => ({
    config: `
server: { bidirectionalStream: { bargeIn: true } }
providers:
  local: { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: "sk-test" }
models:
  - { id: "basalt.echo", provider: echo }
  - { id: "${MODEL_ID}", provider: local, model: "llama3.1:8b" }
`,
  }));
  after(() => upstream.close());

  test("on echo: the answer in flight ends INTERRUPTED and the new turn is answered", async () => {
    const s = openSession(session.client, "basalt.echo");
    s.send(sessionStart());
    s.send(promptStart(s.promptName));
    say(s, "/slow 300 one two three four five six seven eight nine ten");
    await s.waitFor((e) => e.textOutput !== undefined);
    say(s, "stop there");
    close(s);
    await s.finished;
    const [first, second] = completions(s.received);
    const firstText = s.received.filter((e) => e.textOutput?.completionId === first).map((e) => String(e.textOutput.content));
    assert.equal(firstText.at(-1), '{ "interrupted" : true }');
    assert.ok(firstText.length - 1 < 10, "the first answer was cut short");
    const end = s.received.find((e) => e.contentEnd?.completionId === first)!;
    assert.equal(end.contentEnd.stopReason, "INTERRUPTED");
    assert.equal(s.received.find((e) => e.completionEnd?.completionId === first)!.completionEnd.stopReason, "INTERRUPTED");
    assert.equal(answerText(s.received, second), "stop there");
  });

  test("on an upstream: the interrupted call is released, and the next call carries what was said before the interruption", async () => {
    upstream.skipReceived();
    const never = new Promise<void>(() => undefined);
    upstream.enqueue(
      { sse: [...chatStream({ text: ["The story begins"] }).slice(0, 2), { wait: never }] },
      { sse: chatStream({ text: ["Sure, ", "briefly."] }) },
    );
    const s = openSession(session.client, MODEL_ID);
    s.send(sessionStart());
    s.send(promptStart(s.promptName));
    say(s, "Tell me a long story.");
    await s.waitFor((e) => e.textOutput !== undefined);
    const first = await upstream.nextRequest();
    say(s, "Actually, be brief.");
    const second = await upstream.nextRequest();
    close(s);
    await s.finished;
    // The first call's connection was let go at the interruption (it would otherwise wait forever).
    assert.equal(await within30s(first.closed), "settled");
    assert.deepEqual(second.body.messages, [
      { role: "user", content: "Tell me a long story." },
      { role: "assistant", content: "The story begins" },
      { role: "user", content: "Actually, be brief." },
    ]);
    assert.equal(answerText(s.received, completions(s.received)[1]), "Sure, briefly.");
  });
});
