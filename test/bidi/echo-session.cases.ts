// Nova Sonic sessions on basalt.echo through the JS SDK's InvokeModelWithBidirectionalStreamCommand over
// h2c: text turns answered token by token, a turn sent while an answer streams, tool use and results,
// audio echoed byte for byte, malformed input, half-close, HTTP/1.1, and many sessions at once.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { h1Client, h2Client } from "../helpers/clients.js";
import { sdkSession } from "../helpers/sdk-session.js";
import { errorOf } from "../helpers/sdk.js";
import {
  answerText, audioContentStart, audioInput, completions, contentEnd, openSession, promptEnd, promptStart, sessionEnd,
  sessionStart, textContent, toolResultContent, type SonicEvent, type SonicSession,
} from "./sonic-client.js";

const WEATHER = { name: "get_weather", description: "Weather in a city", schema: { type: "object", properties: { city: { type: "string" } } } };

function start(s: SonicSession, tools: (typeof WEATHER)[] = []): void {
  s.send(sessionStart());
  s.send(promptStart(s.promptName, tools));
  for (const e of textContent(s.promptName, "SYSTEM", "You are a helpful assistant.", false)) s.send(e);
}

function say(s: SonicSession, text: string): void {
  for (const e of textContent(s.promptName, "USER", text)) s.send(e);
}

function close(s: SonicSession): void {
  s.send(promptEnd(s.promptName));
  s.send(sessionEnd());
  s.end();
}

const isEnd = (id: string) => (e: SonicEvent) => e.completionEnd?.completionId === id;

describe("bidirectional stream on basalt.echo", () => {
  const session = sdkSession();

  test("two text turns, the second sent while the first answer still streams, are answered in order, token by token", async () => {
    const s = openSession(session.client, "basalt.echo");
    start(s);
    // Paced at 150 ms a token: the first answer takes about a second to stream.
    say(s, "/slow 150 one two three four five six seven");
    const firstText = await s.waitFor((e) => e.textOutput !== undefined);
    const first = String(firstText.textOutput.completionId);
    say(s, "and now the second turn");
    close(s);
    await s.finished;

    const ids = completions(s.received);
    assert.equal(ids.length, 2);
    assert.equal(ids[0], first);
    assert.equal(answerText(s.received, ids[0]), "one two three four five six seven");
    assert.equal(answerText(s.received, ids[1]), "and now the second turn");
    // Token by token: several textOutput events per answer, not one.
    assert.ok(s.received.filter((e) => e.textOutput?.completionId === ids[0]).length >= 5);
    // The second answer starts only after the first has ended (a turn sent mid-answer waits for it).
    const endOfFirst = s.received.findIndex(isEnd(ids[0]));
    const startOfSecond = s.received.findIndex((e) => e.completionStart?.completionId === ids[1]);
    assert.ok(endOfFirst < startOfSecond);
    // Every event of a completion names the session and the prompt.
    const sessionIds = new Set(s.received.map((e) => Object.values(e)[0].sessionId));
    assert.equal(sessionIds.size, 1);
    assert.ok(s.received.every((e) => Object.values(e)[0].promptName === s.promptName));
  });

  test("one completion has Nova Sonic's shape: completionStart, contentStart, textOutput…, contentEnd, usageEvent, completionEnd", async () => {
    const s = openSession(session.client, "basalt.echo");
    start(s);
    say(s, "hello there");
    close(s);
    await s.finished;
    const names = s.received.map((e) => Object.keys(e)[0]);
    assert.deepEqual(names, ["completionStart", "contentStart", "textOutput", "textOutput", "contentEnd", "usageEvent", "completionEnd"]);
    const [, contentStart, text, , end, usage, completionEndEvent] = s.received;
    assert.equal(contentStart.contentStart.type, "TEXT");
    assert.equal(contentStart.contentStart.role, "ASSISTANT");
    assert.deepEqual(contentStart.contentStart.textOutputConfiguration, { mediaType: "text/plain" });
    assert.equal(text.textOutput.role, "ASSISTANT");
    assert.equal(text.textOutput.contentId, contentStart.contentStart.contentId);
    assert.equal(end.contentEnd.stopReason, "END_TURN");
    assert.equal(end.contentEnd.type, "TEXT");
    assert.equal(completionEndEvent.completionEnd.stopReason, "END_TURN");
    const u = usage.usageEvent as { totalInputTokens: number; totalOutputTokens: number; totalTokens: number; details: { total: { output: { textTokens: number } } } };
    assert.ok(u.totalInputTokens > 0);
    assert.equal(u.totalOutputTokens, 2);
    assert.equal(u.totalTokens, u.totalInputTokens + u.totalOutputTokens);
    assert.equal(u.details.total.output.textTokens, 2);
  });

  test("tool use round trip: a toolUse event, the client's toolResult, then the answer that reads it", async () => {
    const s = openSession(session.client, "basalt.echo");
    start(s, [WEATHER]);
    say(s, '/tool get_weather {"city":"Lyon"}');
    const use = await s.waitFor((e) => e.toolUse !== undefined);
    assert.equal(use.toolUse.toolName, "get_weather");
    assert.deepEqual(JSON.parse(String(use.toolUse.content)), { city: "Lyon" });
    const toolUseId = String(use.toolUse.toolUseId);
    const toolEnd = await s.waitFor((e) => e.contentEnd?.contentId === use.toolUse.contentId);
    assert.equal(toolEnd.contentEnd.type, "TOOL");
    assert.equal(toolEnd.contentEnd.stopReason, "TOOL_USE");
    for (const e of toolResultContent(s.promptName, toolUseId, { forecast: "sunny, 24 C" })) s.send(e);
    close(s);
    await s.finished;
    const ids = completions(s.received);
    assert.equal(ids.length, 2);
    // Echo answers the tool result by rendering it: the result made it into the conversation.
    assert.match(answerText(s.received, ids[1]), /sunny, 24 C/);
  });

  test("audioInput comes back as audioOutput with the same bytes, frame by frame", async () => {
    const s = openSession(session.client, "basalt.echo");
    start(s);
    const contentName = randomUUID();
    s.send(audioContentStart(s.promptName, contentName));
    const frames = Array.from({ length: 12 }, (_, i) => randomBytes(1024 + i));
    // The first frame is echoed before the next is sent: output follows the input's pacing.
    s.send(audioInput(s.promptName, contentName, frames[0]));
    const firstOut = await s.waitFor((e) => e.audioOutput !== undefined);
    assert.deepEqual(Buffer.from(String(firstOut.audioOutput.content), "base64"), frames[0]);
    for (const f of frames.slice(1)) s.send(audioInput(s.promptName, contentName, f));
    s.send(contentEnd(s.promptName, contentName));
    close(s);
    await s.finished;
    const out = s.received.filter((e) => e.audioOutput).map((e) => Buffer.from(String(e.audioOutput.content), "base64"));
    assert.equal(out.length, frames.length);
    out.forEach((bytes, i) => assert.ok(bytes.equals(frames[i]), `frame ${i} differs`));
    const start0 = s.received.find((e) => e.contentStart?.type === "AUDIO")!;
    assert.equal((start0.contentStart.audioOutputConfiguration as { sampleRateHertz: number }).sampleRateHertz, 24000);
    assert.ok(s.received.some((e) => e.contentEnd?.type === "AUDIO"));
  });

  test("a malformed input event ends the session with a validationException event", async () => {
    const s = openSession(session.client, "basalt.echo");
    start(s);
    s.sendRaw(Buffer.from("{ not json"));
    const err = await errorOf(s.finished);
    assert.equal(err.name, "ValidationException");
    assert.match(err.message, /not valid JSON/);
    s.end();
  });

  test("events out of order are refused by name", async () => {
    const s = openSession(session.client, "basalt.echo");
    s.send(promptStart(s.promptName));
    const err = await errorOf(s.finished);
    assert.equal(err.name, "ValidationException");
    assert.match(err.message, /first event must be sessionStart/);
    s.end();
  });

  test("a mid-session model error arrives as its exception event", async () => {
    const s = openSession(session.client, "basalt.echo");
    start(s);
    say(s, "/error-after 2 ThrottlingException slow down");
    const err = await errorOf(s.finished);
    assert.equal(err.name, "ThrottlingException");
    assert.match(err.message, /slow down/);
    // What streamed before the error reached the client first.
    assert.ok(s.received.some((e) => e.completionStart));
    s.end();
  });

  test("a client far ahead of the answers is refused once 32 turns wait, not buffered without end", async () => {
    const s = openSession(session.client, "basalt.echo");
    start(s);
    say(s, "/slow 500 a slow first answer that keeps the others waiting");
    for (let i = 0; i < 40; i++) say(s, `turn ${i}`);
    const err = await errorOf(s.finished);
    assert.equal(err.name, "ValidationException");
    assert.match(err.message, /32 turns are already waiting/);
    s.end();
  });

  test("the client half-closing without sessionEnd ends the session cleanly after its turn is answered", async () => {
    const s = openSession(session.client, "basalt.echo");
    start(s);
    say(s, "/slow 50 last words here");
    s.end();
    await s.finished;
    assert.equal(answerText(s.received, completions(s.received)[0]), "last words here");
  });

  test("an unknown model is refused before the stream opens", async () => {
    const s = openSession(session.client, "no.such-model");
    start(s);
    s.end();
    const err = await errorOf(s.finished);
    assert.equal(err.name, "ValidationException");
    assert.match(err.message, /model identifier is invalid/);
  });

  test("over HTTP/1.1 the operation is refused with a ValidationException", async () => {
    const h1 = h1Client(session.basalt.url);
    try {
      const s = openSession(h1, "basalt.echo");
      start(s);
      close(s);
      const err = await errorOf(s.finished);
      assert.equal(err.name, "ValidationException");
      assert.match(err.message, /requires HTTP\/2/);
    } finally {
      h1.destroy();
    }
  });

  test("50 concurrent sessions each get their own answers, no event crosses over", async () => {
    const n = 50;
    const sessions = Array.from({ length: n }, (_, i) => {
      const c = h2Client(session.basalt.url);
      const s = openSession(c, "basalt.echo");
      start(s);
      say(s, `/slow 20 session ${i} first`);
      say(s, `session ${i} second`);
      close(s);
      return { c, s, i };
    });
    try {
      await Promise.all(sessions.map(({ s }) => s.finished));
      const seenSessionIds = new Set<string>();
      for (const { s, i } of sessions) {
        const ids = completions(s.received);
        assert.equal(ids.length, 2, `session ${i}`);
        assert.equal(answerText(s.received, ids[0]), `session ${i} first`);
        assert.equal(answerText(s.received, ids[1]), `session ${i} second`);
        const own = new Set(s.received.map((e) => String(Object.values(e)[0].sessionId)));
        assert.equal(own.size, 1, `session ${i} got events of another session`);
        assert.ok(s.received.every((e) => Object.values(e)[0].promptName === s.promptName));
        const [sid] = own;
        assert.ok(!seenSessionIds.has(sid));
        seenSessionIds.add(sid);
      }
    } finally {
      for (const { c } of sessions) c.destroy();
    }
  });
});
