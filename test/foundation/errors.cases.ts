// Every Bedrock error shape reaches the SDK as its exception class with the model's HTTP status, on both
// transports; errors after a stream's first event arrive as exception events; bad bodies are typed 4xx.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "@aws-sdk/client-bedrock-runtime";
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { readFileSync } from "node:fs";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { transports } from "../helpers/clients.js";

const serviceModel = JSON.parse(readFileSync(new URL("../../spec/bedrock-runtime.service-2.json", import.meta.url), "utf8"));
const ERRORS = [
  "ValidationException", "AccessDeniedException", "ResourceNotFoundException", "ThrottlingException",
  "ModelTimeoutException", "InternalServerException", "ServiceUnavailableException", "ModelErrorException",
  "ModelNotReadyException", "ServiceQuotaExceededException",
] as const;
const EXPECTED_STATUS: Record<string, number> = {
  ValidationException: 400, AccessDeniedException: 403, ResourceNotFoundException: 404, ThrottlingException: 429,
  ModelTimeoutException: 408, InternalServerException: 500, ServiceUnavailableException: 503,
  ModelErrorException: 424, ModelNotReadyException: 429, ServiceQuotaExceededException: 400,
};

const say = (text: string) => [{ role: "user" as const, content: [{ text }] }];

let basalt: InProcessBasalt;
before(async () => {
  basalt = await startInProcess({ config: "server: { maxBodyBytes: 4096 }\nmodels: [{ id: basalt.echo, provider: echo }]\n" });
});
after(async () => {
  assert.equal(await basalt.stop(), 0);
});

test("the issue's status table agrees with the service model", () => {
  for (const name of ERRORS) assert.equal(serviceModel.shapes[name].error.httpStatusCode, EXPECTED_STATUS[name], name);
});

for (const [label, makeClient] of transports) {
  describe(`errors over ${label}`, () => {
    let client: BedrockRuntimeClient;
    before(() => (client = makeClient(basalt.url)));
    after(() => client.destroy());

    for (const name of ERRORS) {
      test(`${name} → SDK class, status ${EXPECTED_STATUS[name]}, message`, async () => {
        const Class = (sdk as unknown as Record<string, new (...a: never[]) => Error>)[name];
        await assert.rejects(
          client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say(`/error ${name} injected ${name} here`) })),
          (err: Error & { $metadata: { httpStatusCode: number; requestId?: string }; $fault: string }) => {
            assert.ok(err instanceof Class, `${err.name} is not a ${name}`);
            assert.equal(err.name, name);
            assert.equal(err.message, `injected ${name} here`);
            assert.equal(err.$metadata.httpStatusCode, EXPECTED_STATUS[name]);
            assert.match(err.$metadata.requestId ?? "", /^[0-9a-f-]{36}$/);
            assert.equal(err.$fault, EXPECTED_STATUS[name] >= 500 ? "server" : "client");
            return true;
          },
        );
      });
    }

    test("an error before the first stream event is an ordinary HTTP error", async () => {
      await assert.rejects(
        client.send(new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("/error ThrottlingException slow down") })),
        (err: Error & { $metadata: { httpStatusCode: number } }) =>
          err instanceof sdk.ThrottlingException && err.$metadata.httpStatusCode === 429 && err.message === "slow down",
      );
    });

    test("an error after the first event is an exception event the SDK raises while iterating", async () => {
      const out = await client.send(
        new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("/error-after 2 ThrottlingException too fast") }),
      );
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const event of out.stream!) seen.push(Object.keys(event).find((k) => k !== "$unknown")!);
        })(),
        (err: Error) => err instanceof sdk.ThrottlingException && err.message === "too fast",
      );
      assert.deepEqual(seen, ["messageStart", "contentBlockDelta"]);
    });

    // Every exception member of the ConverseStreamOutput union, raised by the SDK as its own class.
    for (const name of ["InternalServerException", "ModelStreamErrorException", "ValidationException", "ThrottlingException",
      "ServiceUnavailableException"] as const) {
      test(`mid-stream ${name} → the SDK raises ${name} while iterating`, async () => {
        const out = await client.send(
          new ConverseStreamCommand({ modelId: "basalt.echo", messages: say(`/error-after 3 ${name} mid ${name}`) }),
        );
        let events = 0;
        await assert.rejects(
          (async () => {
            for await (const _ of out.stream!) events++;
          })(),
          (err: Error & { originalStatusCode?: number }) => {
            assert.ok(err instanceof (sdk as unknown as Record<string, new () => Error>)[name], `${err.name}: ${err.message}`);
            assert.equal(err.message, `mid ${name}`);
            if (name === "ModelStreamErrorException") assert.equal(err.originalStatusCode, 500);
            return true;
          },
        );
        assert.equal(events, 3);
      });
    }

    test("an error outside the stream union arrives as modelStreamErrorException", async () => {
      const out = await client.send(
        new ConverseStreamCommand({ modelId: "basalt.echo", messages: say("/error-after 1 AccessDeniedException no access") }),
      );
      await assert.rejects(
        (async () => {
          for await (const _ of out.stream!) void _;
        })(),
        (err: Error & { originalStatusCode?: number }) =>
          err instanceof sdk.ModelStreamErrorException && err.message === "no access" && err.originalStatusCode === 403,
      );
    });
  });
}

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(basalt.url + path, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  return { status: res.status, type: res.headers.get("x-amzn-errortype"), requestId: res.headers.get("x-amzn-requestid"), body: await res.text() };
}

test("the error type header has the real service's long form and the body carries message", async () => {
  const r = await post("/model/basalt.echo/converse", JSON.stringify({ messages: say("/error ThrottlingException x") }));
  assert.equal(r.status, 429);
  assert.equal(r.type, "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/");
  assert.deepEqual(JSON.parse(r.body), { message: "x" });
  assert.match(r.requestId ?? "", /^[0-9a-f-]{36}$/);
});

test("malformed JSON → 400 SerializationException", async () => {
  const r = await post("/model/basalt.echo/converse", '{"messages": [');
  assert.equal(r.status, 400);
  assert.match(r.type ?? "", /^SerializationException/);
  assert.ok(JSON.parse(r.body).message);
});

test("a JSON body that is not an object → 400", async () => {
  const r = await post("/model/basalt.echo/converse", "[1,2]");
  assert.equal(r.status, 400);
  assert.match(r.type ?? "", /^SerializationException/);
});

// What the SDK itself makes of malformed and non-object bodies: request-ids-and-bodies.test.ts.

test("an oversized body → typed 400, and the server keeps serving", async () => {
  const big = JSON.stringify({ messages: say("x".repeat(10_000)) });
  const r = await post("/model/basalt.echo/converse", big);
  assert.equal(r.status, 400);
  assert.match(r.type ?? "", /^ValidationException/);
  assert.match(JSON.parse(r.body).message, /4096 bytes/);
  const again = await post("/model/basalt.echo/converse", JSON.stringify({ messages: say("still here") }));
  assert.equal(again.status, 200);
});

for (const [label, makeClient] of transports) {
  test(`an oversized body through the SDK over ${label} → ValidationException 400, then the next call works`, async () => {
    const client = makeClient(basalt.url);
    await assert.rejects(
      client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("y".repeat(100_000)) })),
      (err: Error & { $metadata: { httpStatusCode: number } }) =>
        err instanceof sdk.ValidationException && err.$metadata.httpStatusCode === 400 && /4096 bytes allowed/.test(err.message),
    );
    const ok = await client.send(new ConverseCommand({ modelId: "basalt.echo", messages: say("fits") }));
    assert.equal(ok.output!.message!.content![0].text, "fits");
    client.destroy();
  });
}

test("a body far past the limit (beyond the drain cap) is cut off, and the server keeps serving", async () => {
  const { request } = await import("node:http");
  const outcome = await new Promise<string>((resolve) => {
    const req = request(`${basalt.url}/model/basalt.echo/converse`, { method: "POST", headers: { "content-type": "application/json" } });
    req.on("response", (res) => resolve(`status ${res.statusCode}`));
    req.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 40) {
        sent++;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
  assert.match(outcome, /^(status 400|ECONNRESET|EPIPE)$/);
  const again = await post("/model/basalt.echo/converse", JSON.stringify({ messages: say("alive") }));
  assert.equal(again.status, 200);
});

test("an unknown route → 404 UnknownOperationException", async () => {
  const r = await post("/model/basalt.echo/converse-please", "{}");
  assert.equal(r.status, 404);
  assert.match(r.type ?? "", /^UnknownOperationException/);
});

test("a fault line only counts as the first text of the last user message", async () => {
  const messages = [
    { role: "user", content: [{ text: "/error ThrottlingException old turn" }] },
    { role: "assistant", content: [{ text: "ok" }] },
    { role: "user", content: [{ text: "fine now" }, { text: "/error InternalServerException not first" }] },
  ];
  const r = await post("/model/basalt.echo/converse", JSON.stringify({ messages }));
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body).output.message.content[0].text, "fine now\n/error InternalServerException not first");
});

test("an unknown /error name is itself a ValidationException", async () => {
  const r = await post("/model/basalt.echo/converse", JSON.stringify({ messages: say("/error NoSuchException") }));
  assert.equal(r.status, 400);
  assert.match(JSON.parse(r.body).message, /unknown exception: NoSuchException/);
});
