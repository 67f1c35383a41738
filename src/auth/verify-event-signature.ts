// Per-event SigV4 signatures of an event-stream request body (DIGEST §8.3): with
// `x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS` the HTTP signature covers only the head, and each
// body message is wrapped in an outer message carrying `:date` and `:chunk-signature`, an HMAC chained from
// the previous signature (the first one from the `Authorization` header's, the "seed"). A chain is made per
// request after its head verified, and checks messages in arrival order: a message dropped, reordered,
// replayed from another session or altered breaks it. Independent of @smithy/signature-v4 on purpose, as
// verify-sigv4.ts is.
import { createHmac, timingSafeEqual } from "node:crypto";
import { sha256Hex } from "./canonical-request.js";
import { formatAmzDate, signingKey } from "./signature.js";
import { parseAuthorization } from "./authorization-header.js";

const EVENT_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD";
const TIMESTAMP_TYPE = 8;

/** The encoded header block the client signed: just `:date` (type 8, int64 milliseconds). */
function dateHeaderBlock(dateMs: number): Buffer {
  const name = Buffer.from(":date", "ascii");
  const block = Buffer.allocUnsafe(1 + name.length + 1 + 8);
  block.writeUInt8(name.length, 0);
  name.copy(block, 1);
  block.writeUInt8(TIMESTAMP_TYPE, 1 + name.length);
  block.writeBigInt64BE(BigInt(dateMs), 2 + name.length);
  return block;
}

export class EventSignatureChain {
  #prior: string;
  // The scope's date is each event's own (a session may cross midnight UTC): keys are derived per day.
  readonly #keys = new Map<string, Buffer>();

  constructor(
    private readonly secret: string,
    private readonly region: string,
    private readonly service: string,
    seedSignature: string,
  ) {
    this.#prior = seedSignature;
  }

  /**
   * Whether `signature` signs `payload` at `dateMs` after the previous message; on success the chain moves
   * on to it. A failed check leaves the chain as it was (the session ends anyway).
   */
  verify(dateMs: number, signature: Uint8Array, payload: Uint8Array): boolean {
    const date = new Date(dateMs);
    if (Number.isNaN(date.getTime()) || signature.byteLength !== 32) return false;
    const amzDate = formatAmzDate(date);
    const day = amzDate.slice(0, 8);
    let key = this.#keys.get(day);
    if (!key) {
      key = signingKey(this.secret, day, this.region, this.service);
      this.#keys.set(day, key);
    }
    const stringToSign = [
      EVENT_ALGORITHM,
      amzDate,
      `${day}/${this.region}/${this.service}/aws4_request`,
      this.#prior,
      sha256Hex(dateHeaderBlock(dateMs)),
      sha256Hex(payload),
    ].join("\n");
    const expected = createHmac("sha256", key).update(stringToSign, "utf8").digest();
    if (!timingSafeEqual(expected, Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength))) return false;
    this.#prior = expected.toString("hex");
    return true;
  }
}

/**
 * The chain for a request whose `Authorization` header has already been verified, or undefined when the
 * header is not SigV4 or names a key without a secret here.
 */
export function eventSignatureChain(
  authorization: string | undefined,
  secretFor: (accessKeyId: string) => string | undefined,
): EventSignatureChain | undefined {
  const parsed = authorization === undefined ? undefined : parseAuthorization(authorization.trim());
  if (!parsed) return undefined;
  const scope = parsed.head.scope;
  const secret = scope && secretFor(scope.accessKeyId);
  if (!scope || secret === undefined) return undefined;
  return new EventSignatureChain(secret, scope.region, scope.service, parsed.signature);
}
