// Requests really signed by the official clients, captured on loopback as a server receives them: the JS SDK
// over HTTP/2 and HTTP/1.1 (SigV4 or a Bearer token), botocore, and @smithy/signature-v4's presigned URLs.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { SignatureV4 } from "@smithy/signature-v4";
import { Hash } from "@smithy/hash-node";
import { h1Client, h2Client } from "../helpers/clients.js";
import { startCaptureServer, type CapturedRequest } from "../bedrock/capture-server.js";
import type { AuthRequest } from "../../src/auth/authenticate.js";

export const MODEL_ID = "us.anthropic.claude-3-5-sonnet-20241022-v2:0";
const MESSAGES = [{ role: "user" as const, content: [{ text: "hello  there, signer" }] }];

export const hasBoto3 = spawnSync("python3", ["-c", "import boto3"]).status === 0;

export function asAuthRequest(c: CapturedRequest): AuthRequest {
  return { method: c.method, path: c.path, headers: c.headers, body: c.body };
}

/** One Converse through the JS SDK; `extra` overrides the client config (credentials, token, …). */
export async function captureJs(protocol: "h1" | "h2", extra: Record<string, unknown> = {}): Promise<CapturedRequest> {
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

/** One Converse through botocore with the given keys (no AWS_BEARER_TOKEN_BEDROCK, no profile). */
export async function captureBotocore(accessKeyId: string, secretAccessKey: string): Promise<CapturedRequest> {
  const server = await startCaptureServer("h1");
  try {
    const script = `
import boto3, sys
from botocore.config import Config
c = boto3.client("bedrock-runtime", endpoint_url=sys.argv[1], region_name="eu-central-1",
    aws_access_key_id=sys.argv[3], aws_secret_access_key=sys.argv[4],
    config=Config(retries={"total_max_attempts": 1}))
c.converse(modelId=sys.argv[2], messages=[{"role": "user", "content": [{"text": "hello  there, signer"}]}])
`;
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" };
    delete env.AWS_BEARER_TOKEN_BEDROCK;
    delete env.AWS_PROFILE;
    const child = spawn("python3", ["-c", script, server.url, MODEL_ID, accessKeyId, secretAccessKey], { env });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    assert.equal(code, 0, err);
    return server.requests[0];
  } finally {
    await server.close();
  }
}

const escape = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A Converse request presigned by @smithy/signature-v4 (signature in the query string), as a server sees it. */
export async function presignedConverse(opts: {
  accessKeyId: string; secretAccessKey: string; sessionToken?: string; signingDate?: Date; expiresIn?: number; host?: string; modelId?: string;
}): Promise<AuthRequest> {
  const host = opts.host ?? "127.0.0.1:4599";
  const body = Buffer.from(JSON.stringify({ messages: MESSAGES }));
  const path = `/model/${escape(opts.modelId ?? MODEL_ID)}/converse`;
  const signer = new SignatureV4({
    service: "bedrock", region: "us-west-2", sha256: Hash.bind(null, "sha256"),
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey, sessionToken: opts.sessionToken },
  });
  const presigned = await signer.presign(
    { method: "POST", protocol: "http:", hostname: host.split(":")[0], port: Number(host.split(":")[1]), path, query: {}, headers: { host, "content-type": "application/json" }, body },
    { signingDate: opts.signingDate, expiresIn: opts.expiresIn },
  );
  const query = Object.entries(presigned.query ?? {}).map(([k, v]) => `${escape(k)}=${escape(String(v))}`).join("&");
  return { method: "POST", path: `${path}?${query}`, headers: { host, "content-type": "application/json" }, body };
}
