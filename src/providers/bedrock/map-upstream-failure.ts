// Transport failures talking to the upstream (nothing answered, or it stopped answering) as Bedrock errors.
// Errors the upstream itself sent are not handled here: they are relayed or parsed as they are.
import { BedrockError } from "../../core/errors.js";

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT"]);

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** `midBody`: the upstream had begun its answer, so a broken connection is a broken model stream. */
export function mapUpstreamFailure(err: unknown, providerName: string, midBody = false): BedrockError {
  if (err instanceof BedrockError) return err;
  const code = codeOf(err);
  if (code && TIMEOUT_CODES.has(code)) {
    return new BedrockError("ModelTimeoutException", "Model has timed out in processing the request. Try your request again.");
  }
  if ((err as Error)?.name === "AbortError" || code === "UND_ERR_ABORTED") {
    // The client went away or the server is stopping; whoever aborted decides what (if anything) to send.
    return new BedrockError("ServiceUnavailableException", "The request was cancelled before the upstream answered.");
  }
  if (midBody) {
    return new BedrockError(
      "ModelStreamErrorException",
      `The upstream of provider ${providerName} broke off its response (${code ?? "connection lost"}).`,
    );
  }
  // ECONNREFUSED, ENOTFOUND, ECONNRESET, UND_ERR_SOCKET (other side closed) and the like.
  return new BedrockError(
    "ServiceUnavailableException",
    `The upstream of provider ${providerName} is unavailable (${code ?? "connection failed"}). Try your request again.`,
  );
}
