// guardrailConfig on Converse and ConverseStream, and InvokeModel's guardrail headers, through the JS SDK,
// against a model behind a fake upstream: a blocked input never reaches the upstream; masked input reaches
// it masked; an answer is blocked or masked; the trace; stream modes; unknown guardrails.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  ConverseCommand, ConverseStreamCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand, ValidationException,
  type ConverseStreamOutput, type Message,
} from "@aws-sdk/client-bedrock-runtime";
import { CreateGuardrailCommand } from "@aws-sdk/client-bedrock";
import { chatStream, completion } from "../fakes/openai-upstream.js";
import { startGuardrailServer, withoutLatency, type GuardrailServer } from "./harness.js";

let s: GuardrailServer;
let id: string;
before(async () => {
  s = await startGuardrailServer();
  id = (await s.control.send(new CreateGuardrailCommand({
    name: "converse-tests",
    blockedInputMessaging: "Sorry, the model cannot answer this question.",
    blockedOutputsMessaging: "Sorry, the model cannot answer this.",
    topicPolicyConfig: { topicsConfig: [{ name: "Restricted topic", definition: "Investment advice about stocks and crypto", examples: ["Should I buy bitcoin?"], type: "DENY" }] },
    wordPolicyConfig: { wordsConfig: [{ text: "forbidden" }] },
    sensitiveInformationPolicyConfig: { piiEntitiesConfig: [{ type: "EMAIL", action: "ANONYMIZE" }] },
  }))).guardrailId!;
});
after(() => s.stop());
beforeEach(() => void s.upstream.requests.splice(0));

const say = (text: string): Message[] => [{ role: "user", content: [{ text }] }];
const guard = (trace?: "enabled" | "enabled_full") => ({ guardrailIdentifier: id, guardrailVersion: "DRAFT", ...(trace && { trace }) });
const upstreamText = () => JSON.stringify(s.upstream.requests.map((r) => r.body.messages));

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined) {
  const events: ConverseStreamOutput[] = [];
  for await (const e of stream ?? []) events.push(e);
  const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? "").join("");
  return { events, text, stop: events.find((e) => e.messageStop)?.messageStop?.stopReason, metadata: events.find((e) => e.metadata)?.metadata };
}

describe("Converse with guardrailConfig (JS SDK)", () => {
  it("blocks input without calling the model, in the recorded shape", async () => {
    const out = await s.runtime.send(new ConverseCommand({ modelId: "fake.model", messages: say("Should I buy bitcoin?"), guardrailConfig: guard("enabled") }));
    assert.equal(s.upstream.requests.length, 0, "no upstream call on a blocked input");
    const recorded = JSON.parse(readFileSync(new URL("./recordings/amazon-bedrock-guard-content-intervened.json", import.meta.url), "utf8"));
    assert.deepEqual(out.output, recorded.output);
    assert.equal(out.stopReason, recorded.stopReason);
    const assessment = out.trace?.guardrail?.inputAssessment?.[id];
    assert.deepEqual(assessment?.topicPolicy, { topics: [{ ...recorded.trace.guardrail.inputAssessment["1abcd2ef34gh"].topicPolicy.topics[0], detected: true }] });
    assert.deepEqual(assessment?.appliedGuardrailDetails, {
      guardrailId: id, guardrailVersion: "DRAFT", guardrailArn: `arn:aws:bedrock:us-east-1:000000000000:guardrail/${id}`,
      guardrailOrigin: ["REQUEST"], guardrailOwnership: "SELF",
    });
    assert.equal(out.trace?.guardrail?.actionReason, "Guardrail blocked.");
    assert.deepEqual(out.usage, { inputTokens: 0, outputTokens: 0, totalTokens: 0 });
    assert.equal((await s.recordOf(out.$metadata.requestId)).guardrailAction, "GUARDRAIL_INTERVENED");
  });

  it("passes clean input, leaves the answer alone, and carries no trace unless asked", async () => {
    const out = await s.runtime.send(new ConverseCommand({ modelId: "fake.model", messages: say("Tell me a joke"), guardrailConfig: guard() }));
    assert.equal(s.upstream.requests.length, 1);
    assert.equal(out.stopReason, "end_turn");
    assert.deepEqual(out.output?.message?.content, [{ text: "Hello from the fake." }]);
    assert.equal(out.trace, undefined);
    assert.equal((await s.recordOf(out.$metadata.requestId)).guardrailAction, "NONE");
  });

  it("masks input before the model sees it", async () => {
    await s.runtime.send(new ConverseCommand({ modelId: "fake.model", messages: say("write to jane@example.com"), guardrailConfig: guard() }));
    assert.match(upstreamText(), /write to \{EMAIL\}/);
    assert.doesNotMatch(upstreamText(), /jane@example\.com/);
  });

  it("masks the answer, and with trace on reports input and output assessments", async () => {
    s.upstream.enqueue({ json: completion({ content: "Reach me at bob@example.org" }) });
    const out = await s.runtime.send(new ConverseCommand({ modelId: "fake.model", messages: say("contact?"), guardrailConfig: guard("enabled") }));
    assert.deepEqual(out.output?.message?.content, [{ text: "Reach me at {EMAIL}" }]);
    assert.equal(out.stopReason, "guardrail_intervened");
    const trace = out.trace?.guardrail;
    assert.deepEqual(withoutLatency(trace!.inputAssessment![id]).invocationMetrics?.guardrailCoverage, { textCharacters: { guarded: 8, total: 8 } });
    assert.deepEqual(trace?.outputAssessments?.[id]?.map((a) => a.sensitiveInformationPolicy), [
      { piiEntities: [{ match: "bob@example.org", type: "EMAIL", action: "ANONYMIZED", detected: true }], regexes: [] },
    ]);
    assert.equal(trace?.actionReason, "Guardrail masked.");
  });

  it("blocks the answer, and enabled_full shows what the model said", async () => {
    s.upstream.enqueue({ json: completion({ content: "that is forbidden knowledge" }) });
    const out = await s.runtime.send(new ConverseCommand({ modelId: "fake.model", messages: say("tell me"), guardrailConfig: guard("enabled_full") }));
    assert.deepEqual(out.output?.message?.content, [{ text: "Sorry, the model cannot answer this." }]);
    assert.equal(out.stopReason, "guardrail_intervened");
    assert.deepEqual(out.trace?.guardrail?.modelOutput, ["that is forbidden knowledge"]);
    assert.deepEqual(out.trace?.guardrail?.inputAssessment?.[id].topicPolicy, {
      topics: [{ name: "Restricted topic", type: "DENY", action: "NONE", detected: false }],
    }, "enabled_full reports what was evaluated and not detected");
  });

  it("assesses only guardContent blocks when there are any", async () => {
    const messages: Message[] = [{ role: "user", content: [
      { text: "Should I buy bitcoin? (context the app trusts)" },
      { guardContent: { text: { text: "what is the weather?" } } },
    ] }];
    const out = await s.runtime.send(new ConverseCommand({ modelId: "fake.model", messages, guardrailConfig: guard() }));
    assert.equal(out.stopReason, "end_turn");
    const blocked = await s.runtime.send(new ConverseCommand({
      modelId: "fake.model", guardrailConfig: guard(),
      messages: [{ role: "user", content: [{ text: "hello" }, { guardContent: { text: { text: "Should I buy bitcoin?" } } }] }],
    }));
    assert.equal(blocked.stopReason, "guardrail_intervened");
  });

  it("answers an unknown guardrail id or version with ValidationException, before any model call", async () => {
    for (const guardrailConfig of [{ guardrailIdentifier: "nosuchguardrail", guardrailVersion: "DRAFT" }, { guardrailIdentifier: id, guardrailVersion: "7" }]) {
      await assert.rejects(s.runtime.send(new ConverseCommand({ modelId: "fake.model", messages: say("hi"), guardrailConfig })), (err: unknown) => {
        assert.ok(err instanceof ValidationException);
        assert.equal(err.message, "The guardrail identifier or version provided in the request does not exist.");
        return true;
      });
      await assert.rejects(s.runtime.send(new ConverseStreamCommand({ modelId: "fake.model", messages: say("hi"), guardrailConfig })), ValidationException);
    }
    assert.equal(s.upstream.requests.length, 0);
  });
});

describe("ConverseStream with guardrailConfig (JS SDK)", () => {
  it("streams a blocked input as the blocked message, with the trace in metadata", async () => {
    const out = await s.runtime.send(new ConverseStreamCommand({ modelId: "fake.model", messages: say("Should I buy bitcoin?"), guardrailConfig: guard("enabled") }));
    const r = await collect(out.stream);
    assert.equal(s.upstream.requests.length, 0);
    assert.equal(r.text, "Sorry, the model cannot answer this question.");
    assert.equal(r.stop, "guardrail_intervened");
    assert.equal(r.metadata?.trace?.guardrail?.inputAssessment?.[id].topicPolicy?.topics?.[0].action, "BLOCKED");
  });

  it("sync mode holds the answer until assessed: masked text, never the original", async () => {
    s.upstream.enqueue({ sse: chatStream({ text: ["Mail ", "bob@", "example.org", " today"], usage: { prompt: 3, completion: 4 } }) });
    const out = await s.runtime.send(new ConverseStreamCommand({
      modelId: "fake.model", messages: say("contact?"), guardrailConfig: { ...guard("enabled"), streamProcessingMode: "sync" },
    }));
    const r = await collect(out.stream);
    assert.equal(r.text, "Mail {EMAIL} today");
    const deltas = r.events.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta?.delta?.text);
    assert.deepEqual(deltas, ["Mail {EMAIL} today"], "no chunk of the original reaches the client");
    assert.equal(r.stop, "guardrail_intervened");
    assert.equal(r.metadata?.usage?.outputTokens, 4);
    assert.equal(r.metadata?.trace?.guardrail?.outputAssessments?.[id]?.[0].sensitiveInformationPolicy?.piiEntities?.[0].match, "bob@example.org");
  });

  it("sync mode replaces a blocked answer by the blocked message", async () => {
    s.upstream.enqueue({ sse: chatStream({ text: ["this is ", "forbidden"] }) });
    const out = await s.runtime.send(new ConverseStreamCommand({ modelId: "fake.model", messages: say("go"), guardrailConfig: guard() }));
    const r = await collect(out.stream);
    assert.equal(r.text, "Sorry, the model cannot answer this.");
    assert.equal(r.stop, "guardrail_intervened");
  });

  it("async mode passes the answer through and intervenes at the end", async () => {
    s.upstream.enqueue({ sse: chatStream({ text: ["this is ", "forbidden"] }) });
    const out = await s.runtime.send(new ConverseStreamCommand({
      modelId: "fake.model", messages: say("go"), guardrailConfig: { ...guard("enabled"), streamProcessingMode: "async" },
    }));
    const r = await collect(out.stream);
    assert.equal(r.text, "this is forbidden", "async mode does not hold or rewrite chunks");
    assert.equal(r.stop, "guardrail_intervened");
    assert.equal(r.metadata?.trace?.guardrail?.outputAssessments?.[id]?.[0].wordPolicy?.customWords?.[0].action, "BLOCKED");
  });

  it("async mode leaves a clean answer's stop reason alone", async () => {
    s.upstream.enqueue({ sse: chatStream({ text: ["all ", "good"] }) });
    const out = await s.runtime.send(new ConverseStreamCommand({
      modelId: "fake.model", messages: say("go"), guardrailConfig: { ...guard(), streamProcessingMode: "async" },
    }));
    const r = await collect(out.stream);
    assert.deepEqual([r.text, r.stop], ["all good", "end_turn"]);
  });
});

describe("InvokeModel with guardrail headers (JS SDK)", () => {
  const claude = (text: string) => JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 100, messages: [{ role: "user", content: text }] });

  it("adds amazon-bedrock-guardrailAction and, with trace, amazon-bedrock-trace to the native body", async () => {
    const blocked = await s.runtime.send(new InvokeModelCommand({
      modelId: "basalt.echo", body: JSON.stringify({ inputText: "Should I buy bitcoin?" }), contentType: "application/json",
      guardrailIdentifier: id, guardrailVersion: "DRAFT", trace: "ENABLED",
    }));
    const body = JSON.parse(Buffer.from(blocked.body).toString());
    assert.equal(body["amazon-bedrock-guardrailAction"], "INTERVENED");
    assert.equal(body["amazon-bedrock-trace"].guardrail.input[id].topicPolicy.topics[0].action, "BLOCKED");
    assert.equal(body["amazon-bedrock-trace"].guardrail.actionReason, "Guardrail blocked.");

    const clean = await s.runtime.send(new InvokeModelCommand({
      modelId: "basalt.echo", body: JSON.stringify({ inputText: "hello there" }), guardrailIdentifier: id, guardrailVersion: "DRAFT",
    }));
    const cleanBody = JSON.parse(Buffer.from(clean.body).toString());
    assert.equal(cleanBody["amazon-bedrock-guardrailAction"], "NONE");
    assert.equal(cleanBody["amazon-bedrock-trace"], undefined);
  });

  it("masks a family's answer (Claude body on the fake upstream) and reports the output assessment", async () => {
    s.upstream.enqueue({ json: completion({ content: "write to bob@example.org" }) });
    const out = await s.runtime.send(new InvokeModelCommand({
      modelId: "fake.model", body: claude("contact?"), guardrailIdentifier: id, guardrailVersion: "DRAFT", trace: "ENABLED",
    }));
    const body = JSON.parse(Buffer.from(out.body).toString());
    assert.deepEqual(body.content, [{ type: "text", text: "write to {EMAIL}" }]);
    assert.equal(body["amazon-bedrock-guardrailAction"], "INTERVENED");
    assert.equal(body["amazon-bedrock-trace"].guardrail.outputs[0].sensitiveInformationPolicy.piiEntities[0].type, "EMAIL");
  });

  it("puts the guardrail action and trace on the last chunk of InvokeModelWithResponseStream", async () => {
    const out = await s.runtime.send(new InvokeModelWithResponseStreamCommand({
      modelId: "basalt.echo", body: JSON.stringify({ inputText: "say forbidden things" }), guardrailIdentifier: id, guardrailVersion: "DRAFT", trace: "ENABLED",
    }));
    const chunks: Record<string, unknown>[] = [];
    for await (const e of out.body ?? []) if (e.chunk?.bytes) chunks.push(JSON.parse(Buffer.from(e.chunk.bytes).toString()));
    const last = chunks[chunks.length - 1];
    assert.equal(last["amazon-bedrock-guardrailAction"], "INTERVENED");
    assert.ok(last["amazon-bedrock-trace"]);
    assert.ok(last["amazon-bedrock-invocationMetrics"]);
    assert.ok(chunks.slice(0, -1).every((c) => c["amazon-bedrock-guardrailAction"] === undefined));
    assert.ok(!JSON.stringify(chunks).includes("forbidden things"), "sync is the default: the blocked answer never streams");
  });

  it("Claude's body says guardrail_intervened as Bedrock rewrites it; a streamed message_delta then has no stop_sequence", async () => {
    const blocked = await s.runtime.send(new InvokeModelCommand({
      modelId: "fake.model", body: claude("Should I buy bitcoin?"), guardrailIdentifier: id, guardrailVersion: "DRAFT",
    }));
    const body = JSON.parse(Buffer.from(blocked.body).toString());
    assert.equal(body.stop_reason, "guardrail_intervened");
    assert.deepEqual(body.content, [{ type: "text", text: "Sorry, the model cannot answer this question." }]);

    const streamed = await s.runtime.send(new InvokeModelWithResponseStreamCommand({
      modelId: "fake.model", body: claude("Should I buy bitcoin?"), guardrailIdentifier: id, guardrailVersion: "DRAFT",
    }));
    const chunks: Record<string, unknown>[] = [];
    for await (const e of streamed.body ?? []) if (e.chunk?.bytes) chunks.push(JSON.parse(Buffer.from(e.chunk.bytes).toString()));
    const delta = chunks.find((c) => c.type === "message_delta")?.delta as Record<string, unknown>;
    assert.deepEqual(delta, { stop_reason: "guardrail_intervened" });
  });

  it("a masked prompt is the guardrail intervening: INTERVENED, while the model's own stop reason stands", async () => {
    const out = await s.runtime.send(new InvokeModelCommand({
      modelId: "basalt.echo", body: JSON.stringify({ inputText: "mail a@b.io please" }), guardrailIdentifier: id, guardrailVersion: "DRAFT", trace: "ENABLED",
    }));
    const body = JSON.parse(Buffer.from(out.body).toString());
    assert.equal(body.outputText, "mail {EMAIL} please");
    assert.equal(body["amazon-bedrock-guardrailAction"], "INTERVENED");
    assert.equal(body["amazon-bedrock-trace"].guardrail.input[id].sensitiveInformationPolicy.piiEntities[0].action, "ANONYMIZED");
  });

  it("answers an unknown guardrail with ValidationException", async () => {
    await assert.rejects(s.runtime.send(new InvokeModelCommand({
      modelId: "basalt.echo", body: JSON.stringify({ inputText: "hi" }), guardrailIdentifier: "nosuchguardrail", guardrailVersion: "1",
    })), (err: unknown) => err instanceof ValidationException && err.message === "The guardrail identifier or version provided in the request does not exist.");
  });
});
