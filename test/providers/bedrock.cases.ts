// The provider contract for `bedrock`, re-signing and relaying to an upstream that speaks Bedrock: a second
// Basalt serving echo (arranged by the message, as for echo), and TCP servers that never answer or hang up.
import assert from "node:assert/strict";
import { startInProcess } from "../helpers/in-process.js";
import { providerContract } from "./contract.js";
import { closedPort, startSilentServer } from "./target-helpers.js";

const RELAY = "a relay hands on the upstream's bytes as they come; chain.test.ts and bedrock-model-methods.test.ts cover cut and stalled upstream streams";
const NO_FAKE = "the upstream is a Basalt, not a fake that reports what it received";

providerContract({
  name: "bedrock",
  skip: {
    "stream without stop": RELAY, "stream stalls": RELAY,
    "client leaves mid-stream": NO_FAKE, "converse client leaves": NO_FAKE, "keep-alive": NO_FAKE,
  },
  async start() {
    // The provider signs with the default AWS credential chain; this test process is its environment.
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: "AKIDCONTRACTTEST", AWS_SECRET_ACCESS_KEY: "contract-secret", AWS_SESSION_TOKEN: "", AWS_PROFILE: "",
      AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", AWS_EC2_METADATA_DISABLED: "true",
    });
    const upstream = await startInProcess({ config: 'models:\n  - { id: "up.echo-v1:0", provider: echo }\n' });
    const silent = await startSilentServer();
    const slamming = await startSilentServer({ slam: true });
    const dead = await closedPort();
    const basalt = await startInProcess({
      config: `
providers:
  aws:     { type: bedrock, region: us-east-1, endpoint: "${upstream.url}" }
  silent:  { type: bedrock, region: us-east-1, endpoint: "http://127.0.0.1:${silent.port}", timeoutMs: 1500 }
  slammer: { type: bedrock, region: us-east-1, endpoint: "http://127.0.0.1:${slamming.port}" }
  dead:    { type: bedrock, region: us-east-1, endpoint: "http://127.0.0.1:${dead}" }
models:
  - { id: served.echo, provider: aws, model: "up.echo-v1:0" }
  - { id: silent.echo, provider: silent, model: "up.echo-v1:0" }
  - { id: slammed.echo, provider: slammer, model: "up.echo-v1:0" }
  - { id: dead.echo, provider: dead, model: "up.echo-v1:0" }
`,
    });
    return {
      url: basalt.url,
      modelId: "served.echo",
      text: (reply) => ({ say: reply }),
      tool: (input) => ({ say: `/tool get_weather ${JSON.stringify(input)}` }),
      throttle: () => ({ say: "/error ThrottlingException Too many requests, please wait before trying again." }),
      breakAfterFirstDelta: () => ({ say: "/error-after 2 ModelStreamErrorException cut", delta: "/error-after" }),
      hang: () => ({ say: "Go", modelId: "silent.echo" }),
      refuse: () => ({ say: "Go", modelId: "dead.echo" }),
      closeBeforeAnswer: () => ({ say: "Go", modelId: "slammed.echo" }),
      endWithoutStop: () => assert.fail(RELAY),
      stallAfterFirstDelta: () => assert.fail(RELAY),
      async close() {
        await basalt.stop();
        await upstream.stop();
        await silent.close();
        await slamming.close();
      },
    };
  },
});
