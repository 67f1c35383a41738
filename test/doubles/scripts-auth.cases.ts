// Scripts with auth on: /_basalt/scripts wants the admin key, and `match.caller` picks calls by the
// authenticated key's name.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { startBasalt, writeConfig, type RunningBasalt } from "../helpers/start-basalt.js";
import { Admin } from "./harness.js";

const ADMIN_KEY = "admin-key-for-doubles-tests";
const CI = { accessKeyId: "AKIDDOUBLESCI", secretAccessKey: "doubles-ci-secret" };
const DEV = { accessKeyId: "AKIDDOUBLESDEV", secretAccessKey: "doubles-dev-secret" };

let basalt: RunningBasalt;
before(async () => {
  basalt = await startBasalt({
    config: writeConfig(`
auth:
  adminKey: ${ADMIN_KEY}
  keys:
    - { name: ci, accessKeyId: ${CI.accessKeyId}, secretAccessKey: ${CI.secretAccessKey} }
    - { name: dev, accessKeyId: ${DEV.accessKeyId}, secretAccessKey: ${DEV.secretAccessKey} }
models:
  - { id: basalt.echo, provider: echo }
`),
  });
});
after(() => basalt.stop());

const clientAs = (credentials: typeof CI) => new BedrockRuntimeClient({ endpoint: basalt.url, region: "us-east-1", credentials, maxAttempts: 1 });

test("the admin routes want the admin key; a caller-scoped script answers only that caller", async () => {
  const script = { match: { caller: "ci" }, respond: { content: [{ text: "hello, CI" }] } };
  const refused = await new Admin(basalt.url).request("POST", "/_basalt/scripts", script);
  assert.ok(refused.status === 401 || refused.status === 403, `status ${refused.status}`);
  assert.equal((await new Admin(basalt.url, "wrong-key-wrong-key").request("GET", "/_basalt/scripts")).status === 200, false);
  await new Admin(basalt.url, ADMIN_KEY).add(script);

  const ci = clientAs(CI);
  const dev = clientAs(DEV);
  try {
    const say = [{ role: "user" as const, content: [{ text: "who am I" }] }];
    assert.equal((await ci.send(new ConverseCommand({ modelId: "basalt.echo", messages: say }))).output?.message?.content?.[0].text, "hello, CI");
    assert.equal((await dev.send(new ConverseCommand({ modelId: "basalt.echo", messages: say }))).output?.message?.content?.[0].text, "who am I");
  } finally {
    ci.destroy();
    dev.destroy();
  }
});
