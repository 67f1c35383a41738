// One Bedrock(-compatible) endpoint: its upstream client (one keep-alive connection pool), the provider's
// credentials, and a SigV4 signer for service `bedrock`. Sends POST /model/{id}/{action} and hands back the
// raw answer.
import type { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity } from "@smithy/types";
import type { BedrockProviderOptions } from "../../core/provider-options.js";
import { BedrockError } from "../../core/errors.js";
import { UpstreamClient } from "../upstream-client.js";
import { awsSigning, lazyCredentialChain } from "./aws-signing.js";
import type { Cancellation } from "../../core/cancellation.js";

// Generation can take minutes before the first byte (unary Converse) or between events.
export const DEFAULT_TIMEOUT_MS = 300_000;

export interface UpstreamRequest {
  /** Path from `/model/…`, already percent-encoded as it goes on the wire. */
  path: string;
  body: Uint8Array;
  /** Lower-case names; signed and sent as they are. */
  headers: Readonly<Record<string, string>>;
  /** The call's cancellation (the client left). */
  cancel: Cancellation;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Throws a mapped BedrockError if the upstream breaks off. */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
}

export class BedrockUpstream {
  private readonly basePath: string;
  private readonly url: URL;
  private readonly client: UpstreamClient;
  private readonly credentials: () => Promise<AwsCredentialIdentity>;
  private readonly region: string;
  // Made on the first call (the AWS SDK's signer is loaded then: aws-signing.ts).
  private signer?: Promise<SignatureV4>;

  constructor(providerName: string, config: BedrockProviderOptions) {
    this.url = new URL(config.endpoint ?? `https://bedrock-runtime.${config.region}.amazonaws.com`);
    this.basePath = this.url.pathname.replace(/\/+$/, "");
    this.client = new UpstreamClient({ provider: providerName, baseUrl: this.url.origin, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS, firstByteTimeoutMs: config.firstByteTimeoutMs });
    const chain = lazyCredentialChain(config.profile);
    this.region = config.region;
    this.credentials = async (): Promise<AwsCredentialIdentity> => {
      try {
        return await chain();
      } catch (err) {
        const denied = new BedrockError(
          "AccessDeniedException",
          `Basalt found no AWS credentials for provider ${providerName}` +
            (config.profile ? ` (profile ${config.profile})` : "") +
            ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or a `profile:` in the provider's config." +
            ` (${(err as Error).message})`,
        );
        denied.cause = err;
        throw denied;
      }
    };
  }

  private makeSigner(): Promise<SignatureV4> {
    return awsSigning().then(({ SignatureV4, Sha256 }) => new SignatureV4({ service: "bedrock", region: this.region, credentials: this.credentials, sha256: Sha256 }));
  }

  async post(req: UpstreamRequest): Promise<UpstreamResponse> {
    const path = this.basePath + req.path;
    const signer = await (this.signer ??= this.makeSigner());
    const signed = await signer.sign({
      method: "POST",
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      port: this.url.port ? Number(this.url.port) : undefined,
      path,
      query: {},
      // The host header must be the one undici sends, or the signature will not match.
      headers: { ...req.headers, host: this.url.host, "content-length": String(req.body.byteLength) },
      body: req.body,
    });
    const res = await this.client.post({ path, headers: signed.headers, body: req.body, cancel: req.cancel });
    return {
      status: res.statusCode,
      headers: res.headers,
      // The upstream had begun its answer: a broken connection is a broken model stream.
      body: this.client.bytes(res),
      text: () => this.client.text(res, true),
    };
  }

  /** A 200 answer that is not what was asked for (a web page, a proxy's error page), named (upstream-client.ts). */
  async unexpectedAnswer(r: UpstreamResponse, expected: string, servedModelId: string): Promise<BedrockError> {
    const text = await r.text().catch(() => "");
    return this.client.unexpectedAnswer(r.status, r.headers["content-type"], text, expected, servedModelId);
  }

  /** A failure of a call whose answer had begun, as the client may see it (upstream text scrubbed). */
  failure(err: unknown): BedrockError {
    return this.client.failure(err, true);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
