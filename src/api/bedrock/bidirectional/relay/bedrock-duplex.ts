// One bidirectional stream to a Bedrock(-compatible) upstream over HTTP/2, signed as the AWS SDKs sign it:
// the head with SigV4 (`:authority` signed, `x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS`), then
// each input chunk wrapped in an outer message whose `:chunk-signature` chains from the head's signature, and
// a signed empty message to end input (DIGEST §8.3). Output chunks come back as their bytes; an exception
// message becomes the BedrockError it names.
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from "node:http2";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { BedrockError, ERROR_KINDS, type BedrockErrorName } from "../../../../core/errors.js";
import { isObject, parseJsonSafely } from "../../../../core/json.js";
import { splitEventStreamFrames } from "../../../../formats/event-stream/split.js";
import { parseUpstreamError } from "../../../../providers/bedrock/parse-upstream-error.js";
import { encodeLabel } from "../../../../providers/bedrock/bedrock-model.js";
import { awsSigning } from "../../../../providers/bedrock/aws-signing.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const SIGNED_EVENTS = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

export interface DuplexTarget {
  /** Base URL, e.g. https://bedrock-runtime.us-east-1.amazonaws.com (a path prefix is kept). */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider;
}

export interface DuplexUpstream {
  /** Sends one chunk (signed); resolves when the upstream may take more. */
  send(bytes: Uint8Array): Promise<void>;
  /** Ends input: the signed empty message, then the end of the request. */
  end(): Promise<void>;
  /** The upstream's output chunks, as bytes; throws the BedrockError of an exception or a broken stream. */
  readonly output: AsyncIterable<Uint8Array>;
  /** Tears the stream down (an aborted session). */
  close(): void;
}

const unreachable = (endpoint: string, err: unknown) =>
  new BedrockError("ServiceUnavailableException", `The Bedrock upstream at ${endpoint} could not be reached.`, {}, { cause: err });

export async function openBedrockDuplex(target: DuplexTarget, upstreamModelId: string, signal: AbortSignal): Promise<DuplexUpstream> {
  const url = new URL(target.endpoint);
  const path = `${url.pathname.replace(/\/+$/, "")}/model/${encodeLabel(upstreamModelId)}/invoke-with-bidirectional-stream`;
  const { SignatureV4, Sha256 } = await awsSigning();
  const signer = new SignatureV4({ service: "bedrock", region: target.region, credentials: target.credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path,
    query: {},
    headers: { ":authority": url.host, "content-type": "application/vnd.amazon.eventstream", "x-amz-content-sha256": SIGNED_EVENTS },
  });
  let prior = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? "";

  const session: ClientHttp2Session = connect(url.origin);
  session.on("error", () => undefined);
  const stream: ClientHttp2Stream = session.request({ ...signed.headers, ":method": "POST", ":path": path }, { endStream: false });
  const release = () => {
    if (!stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
    session.close();
  };
  signal.addEventListener("abort", release, { once: true });
  stream.once("close", () => {
    signal.removeEventListener("abort", release);
    session.close();
  });

  const head = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
    stream.once("response", resolve);
    stream.once("error", (err) => reject(unreachable(target.endpoint, err)));
    session.once("error", (err) => reject(unreachable(target.endpoint, err)));
    stream.once("close", () => reject(unreachable(target.endpoint, new Error(`stream closed (code ${stream.rstCode})`))));
  });
  const status = Number(head[":status"]);
  if (status !== 200) {
    const text = await readText(stream);
    release();
    throw parseUpstreamError(status, headerText(head["x-amzn-errortype"]), text);
  }

  async function write(body: Uint8Array): Promise<void> {
    const date = new Date();
    const signedMessage = await signer.sign(
      { message: { headers: { ":date": { type: "timestamp", value: date } }, body }, priorSignature: prior },
      { signingDate: date },
    );
    prior = signedMessage.signature;
    const frame = codec.encode({
      headers: { ":date": { type: "timestamp", value: date }, ":chunk-signature": { type: "binary", value: Buffer.from(prior, "hex") } },
      body,
    });
    if (stream.destroyed || stream.writableEnded) return;
    if (!stream.write(frame)) await new Promise<void>((resolve) => {
      const done = () => {
        stream.off("drain", done);
        stream.off("close", done);
        resolve();
      };
      stream.once("drain", done);
      stream.once("close", done);
    });
  }

  return {
    send: (bytes) => write(codec.encode({
      headers: {
        ":event-type": { type: "string", value: "chunk" },
        ":content-type": { type: "string", value: "application/json" },
        ":message-type": { type: "string", value: "event" },
      },
      body: fromUtf8(JSON.stringify({ bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64") })),
    })),
    async end() {
      await write(new Uint8Array(0));
      if (!stream.destroyed) stream.end();
    },
    output: outputChunks(stream),
    close: release,
  };
}

async function* outputChunks(stream: ClientHttp2Stream): AsyncIterable<Uint8Array> {
  try {
    for await (const frame of splitEventStreamFrames(stream as AsyncIterable<Uint8Array>)) {
      const message = codec.decode(frame);
      const headers = message.headers as Record<string, { value: unknown }>;
      const kind = headers[":message-type"]?.value;
      if (kind === "event") {
        if (headers[":event-type"]?.value !== "chunk") continue;
        const parsed = parseJsonSafely(toUtf8(message.body));
        const bytes = parsed && isObject(parsed.value) ? parsed.value.bytes : undefined;
        if (typeof bytes === "string") yield Buffer.from(bytes, "base64");
        continue;
      }
      throw upstreamException(kind, headers, message.body);
    }
  } catch (err) {
    if (err instanceof BedrockError) throw err;
    throw new BedrockError("ModelStreamErrorException", "The Bedrock upstream broke off the stream.", {}, { cause: err });
  }
  if (stream.rstCode !== undefined && stream.rstCode !== constants.NGHTTP2_NO_ERROR) {
    throw new BedrockError("ModelStreamErrorException", `The Bedrock upstream reset the stream (HTTP/2 error ${stream.rstCode}).`);
  }
}

function upstreamException(kind: unknown, headers: Record<string, { value: unknown }>, body: Uint8Array): BedrockError {
  if (kind === "exception") {
    const type = String(headers[":exception-type"]?.value ?? "modelStreamErrorException");
    const name = type.charAt(0).toUpperCase() + type.slice(1);
    const parsed = parseJsonSafely(toUtf8(body));
    const payload = parsed && isObject(parsed.value) ? parsed.value : {};
    const { message, ...fields } = payload;
    const known = ERROR_KINDS.get(name);
    // An authentication failure upstream is about Basalt's credentials, not the client's.
    const errorName = (known && !known.authentication ? name : "ModelStreamErrorException") as BedrockErrorName;
    return new BedrockError(errorName, typeof message === "string" ? message : "The Bedrock upstream failed.", fields);
  }
  const code = String(headers[":error-code"]?.value ?? "InternalError");
  const text = String(headers[":error-message"]?.value ?? code);
  return new BedrockError("ModelStreamErrorException", `The Bedrock upstream ended the stream with ${code}: ${text}`);
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** An error answer's body. A server that refuses a stream may reset it once the answer is out (CANCEL): keep what came. */
async function readText(stream: ClientHttp2Stream): Promise<string> {
  const parts: Buffer[] = [];
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) parts.push(piece);
  } catch {
    // The reset that follows the answer.
  }
  return Buffer.concat(parts).toString("utf8");
}
