// End-to-end jobs: the real CLI (started as the README says) with a real S3-compatible server (s3rver) for
// inputs and outputs, driven through @aws-sdk/client-bedrock-runtime and @aws-sdk/client-bedrock.
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningS3rver } from "../helpers/services.js";

const credentials = { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret" };

export function controlPlaneClient(url: string): BedrockClient {
  return new BedrockClient({ endpoint: url, region: "us-east-1", credentials, maxAttempts: 1 });
}

/** A client of the test's s3rver (whole-buffer uploads: s3rver would store aws-chunked bodies verbatim). */
export function s3Client(s3: RunningS3rver): S3Client {
  return new S3Client({
    endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true,
    credentials: { accessKeyId: s3.config.accessKeyId, secretAccessKey: s3.config.secretAccessKey },
    requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
  });
}

function split(uri: string): { Bucket: string; Key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new Error(`not an object URI: ${uri}`);
  return { Bucket: m[1], Key: m[2] };
}

export async function putObject(client: S3Client, uri: string, body: string): Promise<void> {
  await client.send(new PutObjectCommand({ ...split(uri), Body: body }));
}

export async function getText(client: S3Client, uri: string): Promise<string> {
  const out = await client.send(new GetObjectCommand(split(uri)));
  return out.Body!.transformToString("utf8");
}

/** The YAML of a storage section pointing s3:// at s3rver, plus a fresh data directory. */
export function storageYaml(s3: RunningS3rver | undefined, dataDir = mkdtempSync(join(tmpdir(), "basalt-jobs-e2e-"))): string {
  const lines = ["server:", `  dataDir: ${JSON.stringify(dataDir)}`];
  if (s3) {
    const c = s3.config;
    lines.push("storage:", `  s3: { endpoint: ${JSON.stringify(c.endpoint)}, region: us-east-1, accessKeyId: ${c.accessKeyId}, secretAccessKey: ${c.secretAccessKey}, forcePathStyle: true }`);
  }
  return lines.join("\n") + "\n";
}
