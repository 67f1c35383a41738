// A pass-through model (the bedrock provider relays the client's bytes to a Bedrock endpoint, here a second
// Basalt serving echo): the front door never decodes the answer, yet the ledger gets each call's tokens (read
// off the relayed bytes), its cost from the built-in price table, and one upstream attempt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConverseCommand, ConverseStreamCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { startBasalt, writeConfig } from "../helpers/start-basalt.js";
import { h2Client } from "../helpers/clients.js";
import { BUILTIN_PRICES } from "../../src/observe/ledger/builtin-prices.js";
import { getJson } from "./ledger-checks.js";

const UPSTREAM_ID = "upstream.echo-v1:0";
const SERVED_ID = "anthropic.claude-3-5-haiku-20241022-v1:0";

test("relayed calls: tokens, cost from the built-in table and one attempt each in the ledger", async () => {
  const upstream = await startBasalt({ config: writeConfig(`models:\n  - { id: "${UPSTREAM_ID}", provider: echo, family: echo }\n`) });
  const downstream = await startBasalt({
    config: writeConfig(`server: { dataDir: "${mkdtempSync(join(tmpdir(), "basalt-relay-"))}" }
providers:
  aws: { type: bedrock, region: us-east-1, endpoint: "${upstream.url}" }
models:
  - { id: "${SERVED_ID}", provider: aws, model: "${UPSTREAM_ID}", family: echo }
`),
    env: { AWS_ACCESS_KEY_ID: "AKIDRELAYTEST", AWS_SECRET_ACCESS_KEY: "relay-secret", AWS_SESSION_TOKEN: "", AWS_PROFILE: "" },
  });
  try {
    const client = h2Client(downstream.url);
    const messages = (text: string) => [{ role: "user" as const, content: [{ text }] }];
    const expected: { id: string; input: number; output: number }[] = [];
    const c = await client.send(new ConverseCommand({ modelId: SERVED_ID, messages: messages("one two three") }));
    expected.push({ id: c.$metadata.requestId!, input: c.usage!.inputTokens!, output: c.usage!.outputTokens! });
    const s = await client.send(new ConverseStreamCommand({ modelId: SERVED_ID, messages: messages("four five") }));
    let streamUsage = { inputTokens: 0, outputTokens: 0 };
    for await (const e of s.stream!) if (e.metadata) streamUsage = { inputTokens: e.metadata.usage!.inputTokens!, outputTokens: e.metadata.usage!.outputTokens! };
    expected.push({ id: s.$metadata.requestId!, input: streamUsage.inputTokens, output: streamUsage.outputTokens });
    const i = await client.send(new InvokeModelCommand({ modelId: SERVED_ID, body: JSON.stringify({ inputText: "six seven eight nine" }) }));
    const iBody = JSON.parse(Buffer.from(i.body).toString()) as { usage: { inputTokens: number; outputTokens: number } };
    expected.push({ id: i.$metadata.requestId!, input: iBody.usage.inputTokens, output: iBody.usage.outputTokens });
    const is = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: SERVED_ID, body: JSON.stringify({ inputText: "ten eleven" }) }));
    let isUsage = { inputTokens: 0, outputTokens: 0 };
    for await (const e of is.body!) {
      const chunk = JSON.parse(Buffer.from(e.chunk!.bytes!).toString()) as { usage?: typeof isUsage };
      if (chunk.usage) isUsage = chunk.usage;
    }
    expected.push({ id: is.$metadata.requestId!, input: isUsage.inputTokens, output: isUsage.outputTokens });
    client.destroy();

    const calls = await getJson<{ requestId: string; inputTokens?: number; outputTokens?: number; costUsd: number | null; attempts: { provider: string; outcome: string }[] }[]>(downstream, "/_basalt/calls");
    const price = BUILTIN_PRICES[SERVED_ID];
    // A relayed answer carries the upstream's x-amzn-requestid, not this node's: match the calls by order.
    assert.equal(calls.length, expected.length);
    for (const [n, e] of expected.entries()) {
      const call = calls[expected.length - 1 - n];
      assert.ok(e.input > 0 && e.output > 0);
      assert.equal(call.inputTokens, e.input, `input tokens of ${e.id}`);
      assert.equal(call.outputTokens, e.output, `output tokens of ${e.id}`);
      assert.equal(call.costUsd, Math.round((e.input * price.inputPerMillion + e.output * price.outputPerMillion) * 1e6) / 1e12);
      assert.deepEqual(call.attempts.map((a) => [a.provider, a.outcome]), [["aws", "ok"]]);
    }
  } finally {
    await downstream.stop();
    await upstream.stop();
  }
});
