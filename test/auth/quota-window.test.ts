// Throttled keys recover after the one-minute window, and no sooner: the window slides (a slot frees when the
// oldest admission is a minute old), it is not a fixed minute. Its own file because it waits a real minute.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ConverseCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { h1Client, h2Client } from "../helpers/clients.js";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";

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

let basalt: RunningBasalt;
let rpm: BedrockRuntimeClient;
let tpm: BedrockRuntimeClient;
before(async () => {
  basalt = await startBasalt({ config: writeConfig(CONFIG) });
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
  // Each admission happens between sending a request and its answer; the checks below are timed from those
  // bounds, so a slow machine can skip a check but never make a right answer look wrong.
  const firstSent = Date.now();
  assert.equal(await converse(rpm), "ok");
  assert.equal(await converse(tpm, 5), "ok"); // 5 in + 5 out: the whole 10
  const firstDone = Date.now();
  await sleep(5_000);
  const secondSent = Date.now();
  assert.equal(await converse(rpm), "ok");
  assert.equal(await converse(rpm), REQUESTS);
  assert.equal(await converse(tpm, 1), "ThrottlingException: Too many tokens, please wait before trying again.");

  // Shortly before the first admissions turn a minute old: still refused (no fixed-minute reset in between).
  await sleep(Math.max(0, firstSent + 50_000 - Date.now()));
  const lateCheck = await converse(rpm);
  if (Date.now() < firstSent + 60_000) assert.equal(lateCheck, REQUESTS);

  // Once they are a minute old: the tokens are free again, and one request slot.
  await sleep(Math.max(0, firstDone + 60_500 - Date.now()));
  assert.equal(await converse(tpm, 4), "ok");
  if (lateCheck === "ok") return; // the machine was so slow that the late check already took the freed slot
  assert.equal(await converse(rpm), "ok");
  // The second request slot is still taken while the second admission is inside its minute.
  const another = await converse(rpm);
  if (Date.now() < secondSent + 60_000) assert.equal(another, REQUESTS);
});
