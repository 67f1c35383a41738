// verifySigV4 against requests really signed by the JS SDK (HTTP/2 and HTTP/1.1) and by botocore, captured
// by a loopback server — and the tampering each check must catch.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { canonicalUri, verifySigV4, type SignedRequest } from "../../src/auth/verify-sigv4.js";
import { h1Client, h2Client } from "../helpers/clients.js";
import { startCaptureServer, type CaptureServer, type CapturedRequest } from "./capture-server.js";

// The credentials test/helpers/clients.ts signs with.
const KEYS: Record<string, string> = { AKIDBASALTTEST: "basalt-test-secret", AKIDBOTOCORE: "botocore-secret/with+chars" };
const secretFor = (id: string) => KEYS[id];
// A colon in the label: the wire path has %3A and the canonical URI must have %253A.
const MODEL_ID = "us.anthropic.claude-3-5-sonnet-20241022-v2:0";
const MESSAGES = [{ role: "user" as const, content: [{ text: "hello  there, signer" }] }];

async function captureJs(protocol: "h1" | "h2", extra: Record<string, unknown> = {}): Promise<CapturedRequest> {
  const server = await startCaptureServer(protocol);
  const client = protocol === "h2" ? h2Client(server.url, extra) : h1Client(server.url, extra);
  try {
    await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: MESSAGES }));
    return server.requests[0];
  } finally {
    client.destroy();
    await server.close();
  }
}

async function captureBotocore(): Promise<CapturedRequest> {
  const server = await startCaptureServer("h1");
  try {
    const script = `
import boto3, sys
from botocore.config import Config
c = boto3.client("bedrock-runtime", endpoint_url=sys.argv[1], region_name="us-east-1",
    aws_access_key_id="AKIDBOTOCORE", aws_secret_access_key="botocore-secret/with+chars",
    config=Config(retries={"total_max_attempts": 1}))
c.converse(modelId=sys.argv[2], messages=[{"role": "user", "content": [{"text": "hello  there, signer"}]}])
`;
    // spawnSync would block the event loop the capture server needs, so run it asynchronously.
    const { spawn } = await import("node:child_process");
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_BEARER_TOKEN_BEDROCK: "", AWS_PROFILE: "", AWS_CONFIG_FILE: "/nonexistent" };
    delete env.AWS_BEARER_TOKEN_BEDROCK;
    delete env.AWS_PROFILE;
    const child = spawn("python3", ["-c", script, server.url, MODEL_ID], { env });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    assert.equal(code, 0, err);
    return server.requests[0];
  } finally {
    await server.close();
  }
}

const hasBoto3 = spawnSync("python3", ["-c", "import boto3"]).status === 0;

describe("verifySigV4 on real SDK signatures", () => {
  let h2: CapturedRequest;
  let h1: CapturedRequest;
  let boto: CapturedRequest | undefined;

  before(async () => {
    h2 = await captureJs("h2");
    h1 = await captureJs("h1");
    if (hasBoto3) boto = await captureBotocore();
  });

  it("accepts the JS SDK over HTTP/2, which signs :authority", () => {
    const r = verifySigV4(h2, { secretFor, service: "bedrock", region: "us-east-1" });
    assert.deepEqual(r.ok && { id: r.accessKeyId, region: r.region, service: r.service }, { id: "AKIDBASALTTEST", region: "us-east-1", service: "bedrock" });
    assert.ok(r.ok && r.signedHeaders.includes(":authority"), JSON.stringify(r));
    assert.ok(r.ok && r.signedHeaders.includes("x-amz-content-sha256"));
    assert.match(h2.path, /%3A0\/converse$/);
  });

  it("accepts the JS SDK over HTTP/1.1, which signs host", () => {
    const r = verifySigV4(h1, { secretFor, service: "bedrock" });
    assert.ok(r.ok, JSON.stringify(r));
    assert.ok(r.signedHeaders.includes("host") && !r.signedHeaders.includes(":authority"));
  });

  it("accepts botocore, which sends no x-amz-content-sha256", { skip: !hasBoto3 && "python3 boto3 not installed" }, () => {
    const r = verifySigV4(boto!, { secretFor, service: "bedrock" });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.accessKeyId, "AKIDBOTOCORE");
    assert.equal(boto!.headers["x-amz-content-sha256"], undefined);
  });

  it("accepts temporary credentials with a signed x-amz-security-token", async () => {
    const req = await captureJs("h1", {
      credentials: { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret", sessionToken: "token-123" },
    });
    const r = verifySigV4(req, { secretFor });
    assert.ok(r.ok && r.signedHeaders.includes("x-amz-security-token"), JSON.stringify(r));
  });

  it("canonicalises the already-encoded path by encoding it again", () => {
    assert.equal(canonicalUri("/model/a.b-v1%3A0/converse"), "/model/a.b-v1%253A0/converse");
    assert.equal(canonicalUri("/model/arn%3Aaws%3Abedrock%3A%3A%3Afoundation-model%2Fx/invoke"),
      "/model/arn%253Aaws%253Abedrock%253A%253A%253Afoundation-model%252Fx/invoke");
  });

  const tamper = (req: SignedRequest, change: Partial<SignedRequest>): SignedRequest => ({ ...req, ...change });

  it("rejects a wrong secret, an unknown key, a missing header", () => {
    for (const req of [h2, h1, ...(boto ? [boto] : [])]) {
      const wrong = verifySigV4(req, { secretFor: () => "not-the-secret" });
      assert.deepEqual(!wrong.ok && wrong.error, "InvalidSignatureException");
      assert.match(!wrong.ok ? wrong.message : "", /^The request signature we calculated does not match/);
      const unknown = verifySigV4(req, { secretFor: () => undefined });
      assert.deepEqual(!unknown.ok && [unknown.error, unknown.message],
        ["UnrecognizedClientException", "The security token included in the request is invalid."]);
      const { authorization: _a, ...noAuth } = req.headers;
      const missing = verifySigV4(tamper(req, { headers: noAuth }), { secretFor });
      assert.deepEqual(!missing.ok && missing.error, "MissingAuthenticationTokenException");
    }
  });

  it("rejects a changed body, path, signed header or method", () => {
    for (const req of [h2, h1, ...(boto ? [boto] : [])]) {
      const body = Buffer.from(req.body.toString().replace("signer", "SIGNER"));
      for (const bad of [
        tamper(req, { body }),
        tamper(req, { path: req.path.replace("converse", "converse-stream") }),
        tamper(req, { path: req.path.replace("%3A", ":") }),
        tamper(req, { headers: { ...req.headers, "content-type": "text/plain" } }),
        tamper(req, { method: "PUT" }),
      ]) {
        const r = verifySigV4(bad, { secretFor });
        assert.equal(r.ok, false, `${req.headers["user-agent"]}: ${bad.path}`);
        assert.equal(!r.ok && r.error, "InvalidSignatureException");
      }
    }
  });

  it("allows 15 minutes of clock skew, no more", () => {
    const signedAt = new Date(
      String(h1.headers["x-amz-date"]).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
    ).getTime();
    assert.ok(verifySigV4(h1, { secretFor, now: new Date(signedAt + 14 * 60_000) }).ok);
    assert.ok(verifySigV4(h1, { secretFor, now: new Date(signedAt - 14 * 60_000) }).ok);
    const late = verifySigV4(h1, { secretFor, now: new Date(signedAt + 16 * 60_000) });
    assert.match(!late.ok ? late.message : "", /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    const early = verifySigV4(h1, { secretFor, now: new Date(signedAt - 16 * 60_000) });
    assert.match(!early.ok ? early.message : "", /^Signature not yet current/);
  });

  it("rejects a signature scoped to another service or region", () => {
    const s = verifySigV4(h2, { secretFor, service: "s3" });
    assert.deepEqual(!s.ok && s.message, "Credential should be scoped to correct service: 's3'.");
    assert.equal(verifySigV4(h2, { secretFor, region: "eu-west-1" }).ok, false);
  });
});
