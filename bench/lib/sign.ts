// Request headers for a full-stack Basalt, made before a measurement starts: SigV4 costs the load generator
// as much CPU as it costs the server, so signing inside the timed loop would measure the client. Plans of
// tens of thousands of distinct bodies are signed here with node:crypto directly (one date, one derived key,
// a fixed canonical-request template); the first request of every plan is also signed by
// @smithy/signature-v4, as the JS SDK signs, and the two must agree byte for byte.
import { createHash, createHmac } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { ACCESS_KEY_ID, API_KEY, REGION, SECRET_ACCESS_KEY } from "./policy-stack.js";

export type AuthMode = "none" | "sigv4" | "bearer";
const SERVICE = "bedrock";
const SIGNED_HEADERS = "content-type;host;x-amz-content-sha256;x-amz-date";

const smithy = new SignatureV4({
  service: SERVICE, region: REGION, sha256: Hash.bind(null, "sha256"),
  credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
});

const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
const sha256Hex = (data: string) => createHash("sha256").update(data).digest("hex");

/** Signs many requests with one date and one derived signing key (the SDK's cache does the same). */
export class BulkSigner {
  private readonly amzDate: string;
  private readonly scope: string;
  private readonly key: Buffer;
  private checked = false;

  constructor(private readonly host: string, private readonly now = new Date()) {
    this.amzDate = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    const day = this.amzDate.slice(0, 8);
    this.scope = `${day}/${REGION}/${SERVICE}/aws4_request`;
    this.key = hmac(hmac(hmac(hmac(`AWS4${SECRET_ACCESS_KEY}`, day), REGION), SERVICE), "aws4_request");
  }

  /** `path` must need no percent-encoding (bench paths are plain ASCII). */
  sign(path: string, body: string): Record<string, string> {
    const contentSha256 = sha256Hex(body);
    const canonical = `POST\n${path}\n\ncontent-type:application/json\nhost:${this.host}\nx-amz-content-sha256:${contentSha256}\nx-amz-date:${this.amzDate}\n\n${SIGNED_HEADERS}\n${contentSha256}`;
    const signature = hmac(this.key, `AWS4-HMAC-SHA256\n${this.amzDate}\n${this.scope}\n${sha256Hex(canonical)}`).toString("hex");
    return {
      "content-type": "application/json",
      "x-amz-content-sha256": contentSha256,
      "x-amz-date": this.amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/${this.scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`,
    };
  }

  /** Signs like sign(), after checking once that @smithy/signature-v4 gives the same headers. */
  async signChecked(path: string, body: string): Promise<Record<string, string>> {
    const mine = this.sign(path, body);
    if (this.checked) return mine;
    const [hostname, port] = this.host.split(":");
    const signed = await smithy.sign(
      { method: "POST", protocol: "http:", hostname, port: Number(port), path, query: {}, headers: { host: this.host, "content-type": "application/json", "x-amz-content-sha256": mine["x-amz-content-sha256"] }, body },
      { signingDate: this.now },
    );
    if (signed.headers.authorization !== mine.authorization) {
      throw new Error(`bench signer disagrees with @smithy/signature-v4:\n${signed.headers.authorization}\n${mine.authorization}`);
    }
    this.checked = true;
    return mine;
  }
}

/** The auth headers of one request: none, a Bedrock API key, or a SigV4 signature. */
export async function authHeaders(mode: AuthMode, signer: BulkSigner, path: string, body: string): Promise<Record<string, string>> {
  if (mode === "none") return {};
  if (mode === "bearer") return { authorization: `Bearer ${API_KEY}` };
  return signer.signChecked(path, body);
}
