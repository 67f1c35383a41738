// authenticate() on requests the official clients really signed: who each one is, and each refusal with the
// exception name and message the real service sends.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, it } from "node:test";
import { getToken } from "@aws/bedrock-token-generator";
import { ANONYMOUS, type Caller } from "../../src/core/caller.js";
import { BedrockError } from "../../src/core/errors.js";
import { authConfigSchema } from "../../src/auth/auth-config.js";
import { ADMIN_CALLER, createAuthenticator, type AuthRequest } from "../../src/auth/authenticate.js";
import { EXPIRED_API_KEY, INVALID_API_KEY } from "../../src/auth/auth-errors.js";
import { SIGNATURE_MISMATCH } from "../../src/auth/verify-sigv4.js";
import type { CapturedRequest } from "../bedrock/capture-server.js";
import { asAuthRequest, captureBotocore, captureJs, hasBoto3, presignedConverse } from "./signed-requests.js";

// team-a holds the credentials test/helpers/clients.ts signs with.
const CI_KEY = "ABSKQmVkcm9ja0FQSUtleS1jaS1rZXktZm9yLXRlc3Rz";
const ADMIN_KEY = "basalt-admin-key-0123456789";
const config = authConfigSchema.parse({
  keys: [
    { name: "team-a", accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret", models: ["basalt.echo", "anthropic.*"], limits: { requestsPerMinute: 60 } },
    { name: "py", accessKeyId: "AKIDBOTOCORE", secretAccessKey: "botocore-secret/with+chars" },
    { name: "ci", apiKey: CI_KEY },
  ],
  adminKey: ADMIN_KEY,
});

function refusal(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof BedrockError, String(err));
    return [err.errorName, err.message];
  }
  assert.fail("expected a refusal");
}

const at = (req: CapturedRequest, offsetMs: number) => () => {
  const d = String(req.headers["x-amz-date"]).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z");
  return new Date(new Date(d).getTime() + offsetMs);
};

describe("authenticate: SigV4 from the official clients", () => {
  const auth = createAuthenticator(config);
  let h2: CapturedRequest;
  let h1: CapturedRequest;
  let boto: CapturedRequest | undefined;
  before(async () => {
    [h2, h1] = await Promise.all([captureJs("h2"), captureJs("h1")]);
    if (hasBoto3) boto = await captureBotocore("AKIDBOTOCORE", "botocore-secret/with+chars");
  });

  it("knows the JS SDK over HTTP/2 and HTTP/1.1 as the configured key, with its region, models and limits", () => {
    for (const req of [h2, h1]) {
      const caller = auth.authenticate(asAuthRequest(req));
      assert.deepEqual(caller, { name: "team-a", via: "sigv4", region: "us-east-1", models: ["basalt.echo", "anthropic.*"], limits: { requestsPerMinute: 60 } });
    }
  });

  it("knows botocore (no x-amz-content-sha256) in its own region", { skip: !hasBoto3 && "python3 boto3 not installed" }, () => {
    const caller = auth.authenticate(asAuthRequest(boto!));
    assert.deepEqual([caller.name, caller.via, caller.region], ["py", "sigv4", "eu-central-1"]);
  });

  it("takes the body's hash instead of the body", () => {
    const { body, ...rest } = asAuthRequest(h1);
    assert.equal(auth.authenticate({ ...rest, bodySha256: createHash("sha256").update(body!).digest("hex") }).name, "team-a");
    assert.deepEqual(refusal(() => auth.authenticate({ ...rest, bodySha256: createHash("sha256").update("other").digest("hex") }))[0], "InvalidSignatureException");
  });

  it("refuses an unknown access key as UnrecognizedClientException", async () => {
    const req = await captureJs("h2", { credentials: { accessKeyId: "AKIDSOMEONEELSE", secretAccessKey: "whatever-secret" } });
    assert.deepEqual(refusal(() => auth.authenticate(asAuthRequest(req))),
      ["UnrecognizedClientException", "The security token included in the request is invalid."]);
  });

  it("refuses a wrong secret, a tampered body and a tampered signed header as InvalidSignatureException", async () => {
    const wrong = await captureJs("h1", { credentials: { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "not-the-secret" } });
    assert.deepEqual(refusal(() => auth.authenticate(asAuthRequest(wrong))), ["InvalidSignatureException", SIGNATURE_MISMATCH]);
    for (const req of [h2, h1, ...(boto ? [boto] : [])]) {
      const base = asAuthRequest(req);
      const body = Buffer.from(String(req.body).replace("signer", "SIGNER"));
      assert.equal(refusal(() => auth.authenticate({ ...base, body }))[0], "InvalidSignatureException");
      assert.equal(refusal(() => auth.authenticate({ ...base, headers: { ...base.headers, "x-amz-date": "20200101T000000Z" } }))[0], "InvalidSignatureException");
      assert.equal(refusal(() => auth.authenticate({ ...base, path: base.path.replace("converse", "converse-stream") }))[0], "InvalidSignatureException");
    }
  });

  it("allows 15 minutes of clock skew and words the refusal beyond it as AWS does", () => {
    assert.equal(createAuthenticator(config, { now: at(h1, 14 * 60_000) }).authenticate(asAuthRequest(h1)).name, "team-a");
    const [name, message] = refusal(() => createAuthenticator(config, { now: at(h1, 16 * 60_000) }).authenticate(asAuthRequest(h1)));
    assert.equal(name, "InvalidSignatureException");
    assert.match(message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  it("accepts temporary credentials (X-Amz-Security-Token signed)", async () => {
    const req = await captureJs("h2", { credentials: { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret", sessionToken: "session-token-1" } });
    assert.ok(String(req.headers.authorization).includes("x-amz-security-token"));
    assert.equal(auth.authenticate(asAuthRequest(req)).name, "team-a");
  });

  it("refuses a request without credentials as MissingAuthenticationTokenException", () => {
    const { authorization: _a, ...headers } = h2.headers;
    assert.deepEqual(refusal(() => auth.authenticate({ ...asAuthRequest(h2), headers })), ["MissingAuthenticationTokenException", "Missing Authentication Token"]);
  });
});

describe("authenticate: presigned query-string signatures", () => {
  const auth = createAuthenticator(config);
  it("accepts a presigned Converse and refuses it tampered or expired", async () => {
    const req = await presignedConverse({ accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret", expiresIn: 300 });
    assert.deepEqual([auth.authenticate(req).name, auth.authenticate(req).region], ["team-a", "us-west-2"]);
    assert.equal(refusal(() => auth.authenticate({ ...req, body: Buffer.from("{}") }))[0], "InvalidSignatureException");
    assert.equal(refusal(() => auth.authenticate({ ...req, path: req.path.replace("X-Amz-Expires=300", "X-Amz-Expires=900") }))[0], "InvalidSignatureException");
    const late = createAuthenticator(config, { now: () => new Date(Date.now() + 301_000) });
    const [name, message] = refusal(() => late.authenticate(req));
    assert.equal(name, "InvalidSignatureException");
    assert.match(message, /^Signature expired: /);
  });

  it("knows an unknown access key and an incomplete query", async () => {
    const req = await presignedConverse({ accessKeyId: "AKIDNOBODY", secretAccessKey: "x-secret" });
    assert.equal(refusal(() => auth.authenticate(req))[0], "UnrecognizedClientException");
    const cut = req.path.replace(/&?X-Amz-Signature=[0-9a-f]+/, "");
    assert.deepEqual(refusal(() => auth.authenticate({ ...req, path: cut })),
      ["IncompleteSignatureException", "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters."]);
  });
});

describe("authenticate: Bedrock API keys", () => {
  const auth = createAuthenticator(config);

  it("knows a long-term key sent by the JS SDK's token option", async () => {
    const req = await captureJs("h2", { token: { token: CI_KEY }, authSchemePreference: ["httpBearerAuth"] });
    assert.equal(req.headers.authorization, `Bearer ${CI_KEY}`);
    const caller: Caller = auth.authenticate(asAuthRequest(req));
    assert.deepEqual(caller, { name: "ci", via: "api-key" });
  });

  it("refuses an unknown or empty bearer token as AccessDeniedException", () => {
    for (const token of ["ABSKnot-a-configured-key-000000", "", "x"]) {
      assert.deepEqual(refusal(() => auth.authenticate({ method: "POST", path: "/", headers: { authorization: `Bearer ${token}` } })),
        ["AccessDeniedException", INVALID_API_KEY]);
    }
  });

  it("knows a short-term key minted by @aws/bedrock-token-generator from a configured access key, until it expires", async () => {
    const token = await getToken({ credentials: { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret" }, region: "eu-west-1", expiresInSeconds: 900 });
    assert.match(token, /^bedrock-api-key-/);
    const req = await captureJs("h1", { token: { token }, authSchemePreference: ["httpBearerAuth"] });
    const caller = auth.authenticate(asAuthRequest(req));
    assert.deepEqual([caller.name, caller.via, caller.region, caller.models], ["team-a", "short-term-key", "eu-west-1", ["basalt.echo", "anthropic.*"]]);
    const later = createAuthenticator(config, { now: () => new Date(Date.now() + 901_000) });
    assert.deepEqual(refusal(() => later.authenticate(asAuthRequest(req))), ["AccessDeniedException", EXPIRED_API_KEY]);
  });

  it("knows a short-term key minted from temporary credentials (its session token is signed)", async () => {
    const token = await getToken({ credentials: { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret", sessionToken: "sts-session" }, region: "us-east-1" });
    assert.ok(Buffer.from(token.slice(16), "base64").toString().includes("X-Amz-Security-Token=sts-session"));
    assert.equal(auth.authenticate({ method: "POST", path: "/", headers: { authorization: `Bearer ${token}` } }).via, "short-term-key");
  });

  it("refuses a short-term key from an unknown access key, signed with the wrong secret, or tampered", async () => {
    const send = (token: string) => () => auth.authenticate({ method: "POST", path: "/", headers: { authorization: `Bearer ${token}` } });
    const unknown = await getToken({ credentials: { accessKeyId: "AKIDNOBODY", secretAccessKey: "basalt-test-secret" }, region: "us-east-1" });
    const wrong = await getToken({ credentials: { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "guessed-secret" }, region: "us-east-1" });
    const good = await getToken({ credentials: { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret" }, region: "us-east-1", expiresInSeconds: 60 });
    const url = Buffer.from(good.slice(16), "base64").toString();
    const longer = "bedrock-api-key-" + Buffer.from(url.replace("X-Amz-Expires=60", "X-Amz-Expires=43200")).toString("base64");
    const otherAction = "bedrock-api-key-" + Buffer.from(url.replace("CallWithBearerToken", "InvokeModel")).toString("base64");
    for (const token of [unknown, wrong, longer, otherAction, "bedrock-api-key-%%%", "bedrock-api-key-" + Buffer.from("garbage").toString("base64")]) {
      assert.deepEqual(refusal(send(token)), ["AccessDeniedException", INVALID_API_KEY], token);
    }
  });

  it("reads x-api-key only where a door asks for it", () => {
    const req: AuthRequest = { method: "POST", path: "/v1/messages", headers: { "x-api-key": CI_KEY } };
    assert.equal(auth.authenticate(req, { apiKeyHeader: "x-api-key" }).name, "ci");
    assert.equal(refusal(() => auth.authenticate(req))[0], "MissingAuthenticationTokenException");
  });
});

describe("authenticate: admin routes and auth off", () => {
  it("opens the admin routes to the admin key only", () => {
    const auth = createAuthenticator(config);
    const as = (authorization?: string): AuthRequest => ({ method: "GET", path: "/_basalt/ready", headers: authorization ? { authorization } : {} });
    assert.equal(auth.authenticateAdmin(as(`Bearer ${ADMIN_KEY}`)), ADMIN_CALLER);
    assert.deepEqual(refusal(() => auth.authenticateAdmin(as(`Bearer ${CI_KEY}`))), ["AccessDeniedException", INVALID_API_KEY]);
    assert.equal(refusal(() => auth.authenticateAdmin(as()))[0], "MissingAuthenticationTokenException");
    const closed = createAuthenticator(authConfigSchema.parse({ keys: [{ name: "ci", apiKey: CI_KEY }] }));
    assert.equal(refusal(() => closed.authenticateAdmin(as(`Bearer ${ADMIN_KEY}`)))[0], "AccessDeniedException");
  });

  it("lets everyone in as anonymous without an auth section", () => {
    const open = createAuthenticator(undefined);
    assert.equal(open.enabled, false);
    assert.equal(open.authenticate({ method: "POST", path: "/model/x/converse", headers: {} }), ANONYMOUS);
    assert.equal(open.authenticateAdmin({ method: "GET", path: "/_basalt/ready", headers: {} }), ANONYMOUS);
  });
});
