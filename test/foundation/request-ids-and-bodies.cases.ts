// Request ids on every response (x-amzn-requestid = the SDK's $metadata.requestId), and bodies the SDK
// never sends by itself: malformed or non-object JSON (forced through the SDK's own signed request by a
// middleware, so the error is what the SDK really makes of it) and blobs that are not base64.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  BedrockRuntimeServiceException, ConverseCommand, ConverseStreamCommand, CountTokensCommand, ValidationException,
  type BedrockRuntimeClient,
} from "@aws-sdk/client-bedrock-runtime";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { transports } from "../helpers/clients.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const say = (text: string) => [{ role: "user" as const, content: [{ text }] }];

let basalt: InProcessBasalt;
before(async () => (basalt = await startInProcess()));
after(async () => assert.equal(await basalt.stop(), 0));

interface RawResponse { statusCode: number; headers: Record<string, string> }

/** Records the raw HTTP response of each call, seen below the SDK's deserializer. */
function recordResponses(client: BedrockRuntimeClient): RawResponse[] {
  const seen: RawResponse[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      seen.push(out.response as RawResponse);
      return out;
    },
    { step: "deserialize", priority: "low", name: "recordRawResponse" },
  );
  return seen;
}

/** Replaces the serialized body before signing, so the request is signed over the bad bytes. */
function forceBody(client: BedrockRuntimeClient, body: string): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body: unknown; headers: Record<string, string> };
      request.body = body;
      request.headers["content-length"] = String(Buffer.byteLength(body));
      return next(args);
    },
    { step: "build", priority: "low", name: "forceBody" },
  );
}

for (const [label, makeClient] of transports) {
  describe(`request ids over ${label}`, () => {
    let client: BedrockRuntimeClient;
    let seen: RawResponse[];
    before(() => {
      client = makeClient(basalt.url);
      seen = recordResponses(client);
    });
    after(() => client.destroy());

    test("Converse, ConverseStream, CountTokens and errors each carry their own x-amzn-requestid", async () => {
      const ids: string[] = [];
      const a = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("id please") }));
      ids.push(a.$metadata.requestId!);
      const s = await client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("stream id") }));
      for await (const _ of s.stream!) void _;
      ids.push(s.$metadata.requestId!);
      const c = await client.send(new CountTokensCommand({ modelId: "basalt.echo", input: { converse: { messages: say("count") } } }));
      ids.push(c.$metadata.requestId!);
      for (const text of ["/error ThrottlingException x", "/error InternalServerException y"]) {
        const err = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say(text) })).then(
          () => assert.fail("expected an error"),
          (e: BedrockRuntimeServiceException) => e,
        );
        ids.push(err.$metadata.requestId!);
      }
      const v = await client.send(new ConverseCommand({ modelId: "no.such-model", messages: say("x") })).catch((e) => e);
      assert.ok(v instanceof ValidationException);
      ids.push(v.$metadata.requestId!);

      assert.equal(seen.length, 6);
      assert.deepEqual(seen.map((r) => r.headers["x-amzn-requestid"]), ids, "header = $metadata.requestId, in order");
      for (const id of ids) assert.match(id, UUID);
      assert.equal(new Set(ids).size, ids.length, "every response has its own id");
    });
  });

  describe(`bodies the SDK would not send, over ${label}`, () => {
    for (const [name, body, type] of [
      ["malformed JSON", '{"messages": [', "SerializationException"],
      ["a JSON array", "[1, 2]", "SerializationException"],
      ["a JSON string", '"hello"', "SerializationException"],
      ["messages of the wrong type", '{"messages": "hello"}', "SerializationException"],
    ] as const) {
      test(`${name}, signed by the SDK → 400 ${type}`, async () => {
        const client = makeClient(basalt.url);
        forceBody(client, body);
        const err = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("ok") })).then(
          () => assert.fail("expected an error"),
          (e: BedrockRuntimeServiceException) => e,
        );
        client.destroy();
        assert.ok(err instanceof BedrockRuntimeServiceException, String(err));
        assert.equal(err.name, type);
        assert.equal(err.$fault, "client");
        assert.equal(err.$metadata.httpStatusCode, 400);
        assert.match(err.$metadata.requestId ?? "", UUID);
        assert.ok(err.message.length > 10, `a message, not the SDK's "UnknownError": ${err.message}`);
        // A wrong JSON type fails in the front end's reader (issue 19 item 8).
        if (name === "messages of the wrong type") assert.equal(err.message, "STRING_VALUE can not be converted to a List");
      });
    }
  });
}

async function post(path: string, body: string) {
  const res = await fetch(basalt.url + path, { method: "POST", body, headers: { "content-type": "application/json" } });
  return { status: res.status, type: res.headers.get("x-amzn-errortype"), requestId: res.headers.get("x-amzn-requestid"), body: await res.json() };
}

test("responses to raw requests that fail before routing or parsing carry a request id too", async () => {
  for (const [path, body, status] of [
    ["/model/basalt.echo/no-such-action", "{}", 404],
    ["/nowhere", "", 404],
    ["/model/basalt.echo/converse", "{oops", 400],
    ["/model/basalt.echo/count-tokens", "null", 400],
  ] as const) {
    const r = await post(path, body);
    assert.equal(r.status, status, path);
    assert.match(r.requestId ?? "", UUID, path);
    // An unknown path answers the recorded Coral body, which has no message (issue 19 item 10).
    if (status === 404) assert.equal(r.body.Output.__type, "com.amazon.coral.service#UnknownOperationException");
    else assert.equal(typeof r.body.message, "string");
  }
});

describe("blobs must be base64 (standard alphabet, padded)", () => {
  const image = (bytes: string) =>
    JSON.stringify({ messages: [{ role: "user", content: [{ text: "see" }, { image: { format: "png", source: { bytes } } }] }] });
  const PATH = "messages.1.member.content.2.member.image.source.bytes";

  for (const [name, bytes] of [["invalid characters", "!!!notbase64"], ["missing padding", "AAAAAAA"], ["URL-safe alphabet", "ab-_"]]) {
    test(`${name} → ValidationException naming the member`, async () => {
      const r = await post("/model/basalt.echo/converse", image(bytes));
      assert.equal(r.status, 400);
      assert.match(r.type ?? "", /^ValidationException:/);
      assert.equal(r.body.message, `1 validation error detected: Value at '${PATH}' failed to satisfy constraint: Member must be a base64-encoded blob`);
    });
  }

  test("valid base64 is counted by its decoded bytes", async () => {
    const r = await post("/model/basalt.echo/converse", image(Buffer.alloc(5, 1).toString("base64")));
    assert.equal(r.status, 200);
    assert.equal(r.body.output.message.content[0].text, "see\n[image png 5 bytes]");
  });

  test("a CountTokens invokeModel body that is not base64 is rejected the same way", async () => {
    const r = await post("/model/basalt.echo/count-tokens", JSON.stringify({ input: { invokeModel: { body: "not base64!" } } }));
    assert.equal(r.status, 400);
    assert.equal(r.body.message,
      "1 validation error detected: Value at 'input.invokeModel.body' failed to satisfy constraint: Member must be a base64-encoded blob");
  });
});
