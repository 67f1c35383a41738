// Official AWS SDK clients pointed at a Basalt URL: the default client (HTTP/2 since SDK 3.798) and one
// over HTTP/1.1.
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";

const credentials = { accessKeyId: "AKIDBASALTTEST", secretAccessKey: "basalt-test-secret" };

export function h2Client(url: string, extra: Record<string, unknown> = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ endpoint: url, region: "us-east-1", credentials, maxAttempts: 1, ...extra });
}

export function h1Client(url: string, extra: Record<string, unknown> = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: url, region: "us-east-1", credentials, maxAttempts: 1, requestHandler: new NodeHttpHandler(), ...extra,
  });
}

/** Both transports, for tests that must hold on each. */
export const transports = [
  ["HTTP/2", h2Client],
  ["HTTP/1.1", h1Client],
] as const;
