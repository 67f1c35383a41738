// With an `auth` section, the bidirectional stream's head is SigV4-verified as every request's is, and each
// input event's `:chunk-signature` is verified along the chain seeded by the head's signature (DIGEST §8.3).
// The SDK signs every event itself; a tampering request handler sits between its signer and the wire to
// alter one signed event, which must end the session with InvalidSignatureException.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Transform, type Readable } from "node:stream";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { NodeHttp2Handler } from "@smithy/node-http-handler";
import type { HttpRequest } from "@smithy/protocol-http";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { h2Client } from "../helpers/clients.js";
import { startInProcess, type InProcessBasalt } from "../helpers/in-process.js";
import { errorOf } from "../helpers/sdk.js";
import { answerText, completions, openSession, promptEnd, promptStart, sessionEnd, sessionStart, textContent, type SonicSession } from "./sonic-client.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** NodeHttp2Handler, except that the `nth` signed message of the body gets a different inner event (same signature). */
class TamperingHandler extends NodeHttp2Handler {
  constructor(private readonly nth: number) {
    super();
  }

  override handle(request: HttpRequest, options?: { abortSignal?: AbortSignal }) {
    let seen = 0;
    const nth = this.nth;
    const tamper = new Transform({
      objectMode: true,
      transform(frame: Uint8Array, _enc, done) {
        if (++seen !== nth) return done(null, frame);
        const outer = codec.decode(frame);
        const inner = codec.decode(outer.body);
        const forged = Buffer.from(JSON.stringify({ event: { sessionStart: { inferenceConfiguration: { maxTokens: 1 } } } })).toString("base64");
        const body = codec.encode({ headers: inner.headers, body: fromUtf8(JSON.stringify({ bytes: forged })) });
        done(null, codec.encode({ headers: outer.headers, body }));
      },
    });
    request.body = (request.body as Readable).pipe(tamper);
    return super.handle(request, options);
  }
}

function run(s: SonicSession, text: string): void {
  s.send(sessionStart());
  s.send(promptStart(s.promptName));
  textContent(s.promptName, "USER", text).forEach((e) => s.send(e));
  s.send(promptEnd(s.promptName));
  s.send(sessionEnd());
  s.end();
}

describe("bidirectional stream with auth on: per-event SigV4 signatures", () => {
  let basalt: InProcessBasalt;

  before(async () => {
    basalt = await startInProcess({
      config: `
auth:
  keys:
    - { name: team-a, accessKeyId: AKIDBASALTTEST, secretAccessKey: basalt-test-secret }
    - { name: narrow, accessKeyId: AKIDNARROW, secretAccessKey: narrow-secret, models: ["other.*"] }
`,
    });
  });
  after(() => basalt.stop());

  test("a session whose every event is signed by the SDK is accepted and answered", async () => {
    const client = h2Client(basalt.url);
    try {
      const s = openSession(client, "basalt.echo");
      run(s, "signed hello");
      await s.finished;
      assert.equal(answerText(s.received, completions(s.received)[0]), "signed hello");
    } finally {
      client.destroy();
    }
  });

  test("one event altered after signing ends the session with InvalidSignatureException", async () => {
    // Message 3 is the first content event: the two before it verify, so the chain is really followed.
    const client = h2Client(basalt.url, { requestHandler: new TamperingHandler(3) });
    try {
      const s = openSession(client, "basalt.echo");
      run(s, "this text is replaced in flight");
      const err = await errorOf(s.finished);
      assert.equal(err.name, "InvalidSignatureException");
      assert.equal(s.received.length, 0);
    } finally {
      client.destroy();
    }
  });

  test("a wrong secret is refused at the head, before the stream opens", async () => {
    const client = h2Client(basalt.url, { credentials: { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "not-the-secret" } });
    try {
      const s = openSession(client, "basalt.echo");
      run(s, "hello");
      const err = await errorOf(s.finished);
      assert.equal(err.name, "InvalidSignatureException");
      assert.equal(err.$metadata?.httpStatusCode, 403);
    } finally {
      client.destroy();
    }
  });

  test("a key whose allow-list leaves the model out gets AccessDeniedException before the stream opens", async () => {
    const client = h2Client(basalt.url, { credentials: { accessKeyId: "AKIDNARROW", secretAccessKey: "narrow-secret" } });
    try {
      const s = openSession(client, "basalt.echo");
      run(s, "hello");
      const err = await errorOf(s.finished);
      assert.equal(err.name, "AccessDeniedException");
      assert.match(err.message, /bedrock:InvokeModelWithBidirectionalStream/);
    } finally {
      client.destroy();
    }
  });
});
