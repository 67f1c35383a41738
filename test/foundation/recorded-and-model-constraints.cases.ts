// Two kinds of ValidationException beyond issue 3's list, through the SDK: the real service's recorded
// messages (compared with the recordings byte for byte), and the service model's other constraints (maps,
// list bounds, enums, unions, patterns), which Basalt derives from the model with the front end's wording.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  ConverseCommand, ValidationException, type BedrockRuntimeClient, type ConverseCommandInput,
} from "@aws-sdk/client-bedrock-runtime";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { transports } from "../helpers/clients.js";

const recording = (name: string) => JSON.parse(readFileSync(new URL(`./recordings/${name}`, import.meta.url), "utf8"));
const emptyContent = recording("amazon-bedrock-empty-message-validation-error.json");

type Req = Omit<ConverseCommandInput, "modelId">;
const text = (t: string) => ({ text: t });
const user = (...content: object[]) => ({ role: "user", content }) as never;
const assistant = (...content: object[]) => ({ role: "assistant", content }) as never;
const tools = { tools: [{ toolSpec: { name: "f", inputSchema: { json: { type: "object" } } } }] };
const hi = [user(text("hi"))];
const constraint = (path: string, rule: string) => `1 validation error detected: Value at '${path}' failed to satisfy constraint: ${rule}`;
// A scalar outside the conversation is quoted (issue 19 item 1; test/fidelity/validation-wording.test.ts cites the reports).
const quoted = (value: string, path: string, rule: string) => `1 validation error detected: Value '${value}' at '${path}' failed to satisfy constraint: ${rule}`;

// [case, request, exact message]
const RECORDED: [string, Req, string][] = [
  ["an empty assistant message (messages.1)", { messages: [user(text("hi")), assistant()] }, emptyContent.body.message],
  ["the same, as reported in issue 7830", { messages: [user(text("hi")), assistant()] },
    recording("issue-7830-empty-assistant-content-error.json").message],
  ["an assistant message holding only a cachePoint", { messages: [user(text("hi")), assistant({ cachePoint: { type: "default" } }), user(text("again"))] },
    recording("amazon-bedrock-cache-point-only-assistant-error.json").message],
  ["reasoning content in a user message", { messages: [user(text("hi"), { reasoningContent: { reasoningText: { text: "thinking" } } })] },
    recording("issue-7034-error.json").message],
  // Recorded at messages.2 of a longer conversation; the same id here sits at messages.1.
  ["two toolUse blocks sharing an id", {
    toolConfig: tools,
    messages: [user(text("hi")),
      assistant({ toolUse: { toolUseId: "tooluseAc", name: "f", input: {} } }, { toolUse: { toolUseId: "tooluseAc", name: "f", input: {} } }),
      user({ toolResult: { toolUseId: "tooluseAc", content: [text("r")] } })],
  }, recording("amazon-bedrock-mistral-duplicate-tool-call-ids-error.json").message.replace("messages.2", "messages.1")],
];

const MODEL_CONSTRAINTS: [string, Req, string][] = [
  ["an empty stop sequence", { messages: hi, inferenceConfig: { stopSequences: ["ok", ""] } },
    quoted("", "inferenceConfig.stopSequences.2.member", "Member must have length greater than or equal to 1")],
  ["maxTokens that is not an integer", { messages: hi, inferenceConfig: { maxTokens: 1.5 } },
    constraint("inferenceConfig.maxTokens", "Member must be an integer")],
  ["a role outside the enum", { messages: [{ role: "bot", content: [text("x")] } as never] },
    constraint("messages.1.member.role", "Member must satisfy enum value set: [user, assistant, system]")],
  ["an empty tools list", { messages: hi, toolConfig: { tools: [] } },
    constraint("toolConfig.tools", "Member must have length greater than or equal to 1")],
  ["a toolChoice with two members", { messages: hi, toolConfig: { ...tools, toolChoice: { auto: {}, any: {} } as never } },
    "ToolChoice object at toolConfig.toolChoice must set one of the following keys: auto, any, tool."],
  ["a system block with no member", { messages: hi, system: [{} as never] },
    "SystemContentBlock object at system.0 must set one of the following keys: text, guardContent, cachePoint."],
  ["an empty requestMetadata map", { messages: hi, requestMetadata: {} },
    constraint("requestMetadata", "Member must have length greater than or equal to 1")],
  ["more than 10 additionalModelResponseFieldPaths", { messages: hi, additionalModelResponseFieldPaths: Array(11).fill("/stop_sequence") },
    constraint("additionalModelResponseFieldPaths", "Member must have length less than or equal to 10")],
  ["a guardrail identifier breaking its pattern", { messages: hi, guardrailConfig: { guardrailIdentifier: "Not An Id", guardrailVersion: "1" } },
    quoted("Not An Id", "guardrailConfig.guardrailIdentifier",
      "Member must satisfy regular expression pattern: (|([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))")],
  ["a performanceConfig latency outside the enum", { messages: hi, performanceConfig: { latency: "fast" as never } },
    quoted("fast", "performanceConfig.latency", "Member must satisfy enum value set: [standard, optimized]")],
  ["a serviceTier outside the enum", { messages: hi, serviceTier: { type: "gold" as never } },
    quoted("gold", "serviceTier.type", "Member must satisfy enum value set: [priority, default, flex, reserved]")],
  ["an image S3 URI breaking its pattern", {
    messages: [user(text("see"), { image: { format: "png", source: { s3Location: { uri: "https://example.com/a.png" } } } })] },
    constraint("messages.1.member.content.2.member.image.source.s3Location.uri",
      "Member must satisfy regular expression pattern: s3://[a-z0-9][\\.\\-a-z0-9]{1,61}[a-z0-9](/.*)?")],
];

let basalt: InProcessBasalt;
// The guardrail "valid values … are accepted" names exists (without policies, so the request passes).
const GUARDRAIL = "guardrails:\n  - { id: abc123, name: constraints-guardrail, blockedInputMessaging: blocked, blockedOutputsMessaging: blocked }\n";
before(async () => (basalt = await startInProcess({ config: GUARDRAIL })));
after(async () => assert.equal(await basalt.stop(), 0));

function expectValidation(expected: string) {
  return (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.ok(err instanceof ValidationException, `${err.name}: ${err.message}`);
    assert.equal(err.$metadata?.httpStatusCode, 400);
    assert.equal(err.message, expected);
    return true;
  };
}

for (const [label, makeClient] of transports) {
  describe(`recorded real-service messages over ${label}`, () => {
    let client: BedrockRuntimeClient;
    before(() => (client = makeClient(basalt.url)));
    after(() => client.destroy());
    for (const [name, req, expected] of RECORDED) {
      test(name, () => assert.rejects(client.send(new ConverseCommand({ modelId: "basalt.echo", ...req })), expectValidation(expected)));
    }
  });
}

test("the recorded status, content type and x-amzn-errortype of an empty message, on the raw response", async () => {
  const res = await fetch(`${basalt.url}/model/basalt.echo/converse`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "hi" }] }, { role: "assistant", content: [] }] }),
  });
  assert.equal(res.status, emptyContent.status);
  assert.equal(res.headers.get("content-type"), emptyContent.headers["content-type"]);
  assert.equal(res.headers.get("x-amzn-errortype"), emptyContent.headers["x-amzn-errortype"]);
  assert.deepEqual(await res.json(), emptyContent.body);
});

describe("the service model's other constraints", () => {
  let client: BedrockRuntimeClient;
  before(() => (client = transports[0][1](basalt.url)));
  after(() => client.destroy());
  for (const [name, req, expected] of MODEL_CONSTRAINTS) {
    test(name, () => assert.rejects(client.send(new ConverseCommand({ modelId: "basalt.echo", ...req })), expectValidation(expected)));
  }

  test("a model id longer than the model allows breaks the modelId length constraint (issue 19 item 2)", () =>
    assert.rejects(
      client.send(new ConverseCommand({ modelId: "a".repeat(2049), messages: hi })),
      expectValidation(quoted("a".repeat(2049), "modelId", "Member must have length less than or equal to 2048")),
    ));

  test("valid values of the same members are accepted", async () => {
    const out = await client.send(new ConverseCommand({
      modelId: "basalt.echo",
      messages: [user(text("fine"), { image: { format: "png", source: { s3Location: { uri: "s3://my-bucket/a.png" } } } })],
      inferenceConfig: { stopSequences: ["zzz"] },
      requestMetadata: { team: "search", "cost-center": "42" },
      additionalModelResponseFieldPaths: ["/stop_sequence"],
      guardrailConfig: { guardrailIdentifier: "abc123", guardrailVersion: "1" },
      performanceConfig: { latency: "standard" },
      serviceTier: { type: "default" },
    }));
    assert.equal(out.output!.message!.content![0].text, "fine\n[image png s3://my-bucket/a.png]");
  });
});
