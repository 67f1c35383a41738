// Throttled keys recover after the one-minute window, and no sooner: the window slides (a slot frees when the
// oldest admission is a minute old), it is not a fixed minute. The server runs in this process on a clock the
// test moves, so the minute passes without being waited for.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { ConverseCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { h1Client, h2Client } from "../helpers/clients.js";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";

const CONFIG = `
auth:
  keys:
    - { name: rpm, accessKeyId: AKIDBASALTTEST, secretAccessKey: basalt-test-secret, limits: { requestsPerMinute: 2 } }
    - { name: tpm, accessKeyId: AKIDTOKENS0001, secretAccessKey: tokens-secret, limits: { tokensPerMinute: 10 } }
`;
const words = (n: number) => [{ role: "user" as const, content: [{ text: Array.from({ length: n }, (_, i) => `w${i}`).join(" ") }] }];
const converse = (client: BedrockRuntimeClient, n = 1) =>
  client.send(new ConverseCommand({ modelId: "basalt.echo", messages: words(n) })).then(
    () => "ok",
    (e: { name: string; message: string }) => `${e.name}: ${e.message}`,
  );

// Milliseconds on the server's monotonic clock; only the test moves it.
let now = 1_000_000;
const advanceTo = (t: number) => {
  assert.ok(t >= now, "the clock only moves forward");
  now = t;
};

let basalt: InProcessBasalt;
let rpm: BedrockRuntimeClient;
let tpm: BedrockRuntimeClient;
before(async () => {
  basalt = await startInProcess({ config: CONFIG, clock: () => now });
  rpm = h2Client(basalt.url);
  tpm = h1Client(basalt.url, { credentials: { accessKeyId: "AKIDTOKENS0001", secretAccessKey: "tokens-secret" } });
});
after(async () => {
  rpm?.destroy();
  tpm?.destroy();
  await basalt?.stop();
});

it("requests and tokens per minute recover once the oldest admissions are a minute old", async () => {
  const REQUESTS = "ThrottlingException: Too many requests, please wait before trying again.";
  const TOKENS = "ThrottlingException: Too many tokens, please wait before trying again.";
  const first = now;
  assert.equal(await converse(rpm), "ok");
  assert.equal(await converse(tpm, 5), "ok"); // 5 in + 5 out: the whole 10

  advanceTo(first + 5_000);
  assert.equal(await converse(rpm), "ok");
  assert.equal(await converse(rpm), REQUESTS);
  assert.equal(await converse(tpm, 1), TOKENS);

  // A fixed minute would reset here; the sliding window does not.
  advanceTo(first + 59_999);
  assert.equal(await converse(rpm), REQUESTS);
  assert.equal(await converse(tpm, 1), TOKENS);

  // Once the first admissions are a minute old: the tokens are free again, and one request slot.
  advanceTo(first + 60_000);
  assert.equal(await converse(tpm, 4), "ok");
  assert.equal(await converse(rpm), "ok");
  // The second request slot is still taken while the second admission is inside its minute.
  assert.equal(await converse(rpm), REQUESTS);
  advanceTo(first + 65_000);
  assert.equal(await converse(rpm), "ok");
  assert.equal(await converse(rpm), REQUESTS);
});
