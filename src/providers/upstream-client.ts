// The HTTP side every remote provider shares (openai, anthropic, bedrock): one keep-alive connection pool to
// the upstream's origin with one set of timeouts, and one policy for how upstream failures reach clients —
// transport failures by cause, HTTP errors by status, errors reported inside a stream by whether an event
// was already sent — every message scrubbed of credentials first. Each error keeps what it came from as
// `cause`, for logs.
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import type { Agent, Dispatcher } from "undici";

// undici is loaded when the first upstream client is made: a node serving only echo never needs its ~6 MB.
const require = createRequire(import.meta.url);
let agentClass: typeof Agent | undefined;
const AgentClass = (): typeof Agent => (agentClass ??= (require("undici") as typeof import("undici")).Agent);
import { BedrockError, type BedrockErrorFields } from "../core/errors.js";
import type { StreamEvent } from "../core/model.js";
import { watchStream } from "../core/watch-stream.js";
import { abortReason, listenForCancel, type Cancellation } from "../core/cancellation.js";
import { UpstreamStreamError } from "../formats/shared/upstream-stream-error.js";
import { SseEventTooLargeError } from "../formats/sse/parse.js";
import { parseRetryAfterMs } from "./shared/parse-retry-after.js";
import { secretRedactor } from "./shared/redact-secrets.js";

const TIMEOUT_MESSAGE = "Model has timed out in processing the request. Try your request again.";
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * How long an upstream may take to begin its answer (its response head) by default: well under the SDKs'
 * read timeouts (boto3's 60 s), so a hung upstream is a ModelTimeoutException before the client gives up and
 * retries. A non-streamed answer's head comes when the whole answer is ready: raise it for slow models.
 */
export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 30_000;
// How much of an unexpected answer is read to say what it was.
const PEEK_BYTES = 2_048;
const SNIPPET_CHARS = 80;
// How long an idle upstream connection is kept for the next call, whatever the upstream's Keep-Alive hint
// says: long enough to carry a conversation's turns, short enough that a burst's connections do not linger.
const KEEP_ALIVE_MS = 10_000;

// Nothing answered: the upstream is down or unreachable.
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
// Something stayed silent too long: connecting, the answer's head (a whole non-streamed answer), or the gap
// between two chunks of a stream.
const TIMEOUTS = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT"]);

export interface UpstreamClientOptions {
  /** The provider's name, for messages that say which upstream failed. */
  provider: string;
  /** Where requests go; only its origin is used (paths are the caller's). */
  baseUrl: string;
  /**
   * The total deadline of one upstream attempt, answer and body (a whole stream) included: an upstream
   * that trickles a byte at a time cannot extend it. Silence longer than this also ends an attempt.
   */
  timeoutMs: number;
  /**
   * How long the upstream may take to send its response head (a stream's first byte; for a non-streamed
   * answer, the whole answer): DEFAULT_FIRST_BYTE_TIMEOUT_MS, and never more than timeoutMs.
   */
  firstByteTimeoutMs?: number;
  /** Configured keys: never in a client-visible message, whatever the upstream echoes. */
  secrets?: readonly (string | undefined)[];
  /** How long an idle connection is kept, the upstream's Keep-Alive hint notwithstanding (KEEP_ALIVE_MS). */
  keepAliveMs?: number;
}

export interface UpstreamRequest {
  path: string;
  headers: Readonly<Record<string, string>>;
  body: string | Uint8Array;
  /** The caller's cancellation (the client left): a signal, or a context that tells without one. */
  cancel: Cancellation;
}

/** An upstream's streaming answer, opened: its body (released when the stream ends) and the events read from it. */
export interface OpenedStream {
  readonly body: Dispatcher.ResponseData["body"];
  readonly events: AsyncIterable<StreamEvent>;
}

/** Which model a call was for, as errors name it. */
export interface ModelNames {
  /** The modelId clients use. */
  servedModelId: string;
  /** The upstream's name for it. */
  upstreamModel: string;
}

/** An HTTP error answer, for the status table. */
export interface UpstreamHttpError extends ModelNames {
  status: number;
  /** The upstream's own message (from its error body), scrubbed here. */
  message: string;
  /** The answer's headers, for a Retry-After. */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/** One attempt's deadline: whether it has passed, by the response body it governs. */
interface Deadline { passed: boolean }

/**
 * What stops one upstream attempt: the caller's signal (the client left, the server is stopping) or the
 * attempt's deadline. undici takes an EventEmitter with `aborted` and `reason` as a request's signal; this
 * one replaces an AbortController and an `AbortSignal.any` per attempt, which together were ~5 % of an
 * upstream call's CPU (their EventTargets, weak references and finalization registrations).
 */
class AttemptStop extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit("abort");
  }
}

export class UpstreamClient {
  readonly provider: string;
  // An Agent rather than a bare Pool: once every connection has closed (idle after a burst), it drops the
  // pool with its per-connection clients, which a Pool keeps for the rest of the process.
  private readonly pool: Agent;
  private readonly origin: string;
  private readonly redact: (text: string) => string;
  private readonly timeoutMs: number;
  private readonly firstByteTimeoutMs: number;
  private readonly deadlines = new WeakMap<object, Deadline>();

  constructor(opts: UpstreamClientOptions) {
    this.provider = opts.provider;
    this.timeoutMs = opts.timeoutMs;
    this.firstByteTimeoutMs = Math.min(opts.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS, opts.timeoutMs);
    // headersTimeout bounds the wait for the answer's head (a stream's start, a whole non-streamed
    // completion); bodyTimeout the silence between two chunks of a stream. Either one passing is "a hang" →
    // ModelTimeoutException.
    this.origin = new URL(opts.baseUrl).origin;
    this.pool = new (AgentClass())({
      headersTimeout: this.firstByteTimeoutMs,
      bodyTimeout: opts.timeoutMs,
      connectTimeout: Math.min(opts.timeoutMs, CONNECT_TIMEOUT_MS),
      keepAliveTimeout: opts.keepAliveMs ?? KEEP_ALIVE_MS,
      keepAliveMaxTimeout: opts.keepAliveMs ?? KEEP_ALIVE_MS,
    });
    this.redact = secretRedactor(opts.secrets ?? []);
  }

  /**
   * POSTs; resolves with the answer whatever its status. A transport failure throws its BedrockError. The
   * attempt's deadline starts now and ends when the answer's body has been read (or dropped).
   */
  async post(req: UpstreamRequest): Promise<Dispatcher.ResponseData> {
    const deadline: Deadline = { passed: false };
    const stop = new AttemptStop();
    const timer = setTimeout(() => {
      deadline.passed = true;
      stop.abort(abortReason());
    }, this.timeoutMs);
    const stopListening = listenForCancel(req.cancel, (reason) => stop.abort(reason));
    const done = () => {
      clearTimeout(timer);
      stopListening();
    };
    let res: Dispatcher.ResponseData;
    try {
      res = await this.pool.request({ origin: this.origin, path: req.path, method: "POST", headers: req.headers, body: req.body, signal: stop });
    } catch (err) {
      done();
      throw this.failure(err, false, undefined, deadline);
    }
    this.deadlines.set(res.body, deadline);
    res.body.once("close", done);
    return res;
  }

  /**
   * A whole answer's body as text; a connection broken mid-body throws its BedrockError. `started`: the
   * answer counts as begun, so a break is a broken model stream rather than an unavailable upstream.
   */
  async text(res: Dispatcher.ResponseData, started = false): Promise<string> {
    try {
      return await res.body.text();
    } catch (err) {
      throw this.failure(err, started, undefined, this.deadlines.get(res.body));
    }
  }

  /** An answer's body bytes as they arrive (for a relay); a break mid-body is a broken model stream. */
  async *bytes(res: Dispatcher.ResponseData): AsyncIterable<Uint8Array> {
    try {
      for await (const chunk of res.body) yield chunk as Uint8Array;
    } catch (err) {
      throw this.failure(err, true, undefined, this.deadlines.get(res.body));
    }
  }

  /** A whole answer's body as JSON; a body that is not JSON is the model's error, not a transport one. */
  async json(res: Dispatcher.ResponseData, servedModelId: string): Promise<unknown> {
    const text = await this.text(res);
    try {
      return JSON.parse(text);
    } catch (err) {
      throw caused(this.unexpectedAnswer(res.statusCode, res.headers["content-type"], text, "JSON", servedModelId), err);
    }
  }

  /**
   * A 2xx answer to a streaming request that is not an event stream (a proxy's login page, a web UI at
   * baseUrl, a server that ignored `stream: true`): ModelErrorException naming what came back. `allowed`:
   * further content types the caller handles itself.
   */
  async expectEventStream(res: Dispatcher.ResponseData, servedModelId: string, allowed: (type: string) => boolean = () => false): Promise<void> {
    const type = headerText(res.headers["content-type"]);
    if (type === undefined || /event-stream/i.test(type) || allowed(type)) return;
    const text = await this.peek(res);
    throw this.unexpectedAnswer(res.statusCode, type, text, "an event stream (text/event-stream)", servedModelId);
  }

  /**
   * The error for an answer that is not what was asked for: its status, content type and first characters
   * (scrubbed of configured keys), so whoever reads the error can tell a login page from a truncated body.
   */
  unexpectedAnswer(status: number, contentType: string | string[] | undefined, text: string, expected: string, servedModelId: string): BedrockError {
    const type = headerText(contentType) ?? "no content type";
    const flat = this.redact(text).replace(/\s+/g, " ").trim();
    const snippet = flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
    const what = snippet ? `: ${JSON.stringify(snippet)}` : " and an empty body";
    const fields = { originalStatusCode: status, resourceName: servedModelId };
    return caused(
      new BedrockError(
        "ModelErrorException",
        `The upstream of provider ${this.provider} answered ${status} with ${type} instead of ${expected}${what}. Check the provider's baseUrl.`,
        fields,
      ),
      new Error(`upstream answered ${status} ${type}, expected ${expected}`),
    );
  }

  /** The first bytes of an answer as text, the rest dropped. */
  private async peek(res: Dispatcher.ResponseData): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= PEEK_BYTES) break;
      }
    } catch {
      // What arrived is enough to name it.
    } finally {
      if (!res.body.destroyed) res.body.destroy();
    }
    return Buffer.concat(chunks).subarray(0, PEEK_BYTES).toString("utf8");
  }

  /**
   * Reads a whole answer into Basalt's terms; an answer in a shape the reader did not foresee (it threw
   * something other than a BedrockError) is the model's error, not Basalt's 500.
   */
  read<T>(servedModelId: string, reader: () => T): T {
    try {
      return reader();
    } catch (err) {
      if (err instanceof BedrockError) throw this.scrubbed(err);
      const fields = { originalStatusCode: 200, resourceName: servedModelId };
      throw caused(new BedrockError("ModelErrorException", "The model returned a response Basalt cannot read.", fields), err);
    }
  }

  /**
   * An upstream's events passed on as they come. `open` sends the request and reads what it answered.
   * A failure after that becomes the error a client may see (a stream exception once an event was sent);
   * the upstream body is released as soon as the client leaves or the stream fails, so its connection is
   * not held. (One watched stream rather than generators: every event of every stream passes through.)
   */
  openStream(open: () => Promise<OpenedStream>, names: ModelNames): AsyncIterable<StreamEvent> {
    let body: Dispatcher.ResponseData["body"] | undefined;
    let started = false;
    return watchStream(async () => {
      const opened = await open();
      body = opened.body;
      return opened.events;
    }, {
      onItem: () => { started = true; },
      // Before the answer was there the request's own errors stand (they are already Bedrock's).
      mapError: (err) => (body === undefined ? err : this.failure(err, started, names, this.deadlines.get(body))),
      onEnd: () => {
        if (body !== undefined && !body.readableEnded && !body.destroyed) body.destroy();
      },
    });
  }

  /**
   * Anything an upstream call threw, as the BedrockError a client may see. `started`: events already reached
   * the client, so a broken upstream must surface as a stream error, never as a clean end.
   */
  failure(err: unknown, started: boolean, names?: ModelNames, deadline?: Deadline): BedrockError {
    // The attempt's own deadline passed: whatever the abort looked like underneath, it is a model timeout.
    if (deadline?.passed) return caused(new BedrockError("ModelTimeoutException", TIMEOUT_MESSAGE), err);
    if (errorCode(err) === "UND_ERR_HEADERS_TIMEOUT") {
      const why = new Error(`the upstream of provider ${this.provider} sent no response head within ${this.firstByteTimeoutMs} ms (firstByteTimeoutMs)`, { cause: err });
      return caused(new BedrockError("ModelTimeoutException", TIMEOUT_MESSAGE), why);
    }
    if (err instanceof BedrockError) return this.scrubbed(err);
    if (err instanceof UpstreamStreamError) {
      // Before any event reached the client it is still an HTTP error, mapped as its status would be.
      if (!started && names) return this.httpError({ status: err.status ?? 500, message: err.message, ...names }, err);
      const fields: BedrockErrorFields = { originalMessage: this.redact(err.message) };
      if (err.status !== undefined) fields.originalStatusCode = err.status;
      return caused(new BedrockError("ModelStreamErrorException", `The model returned the following errors: ${fields.originalMessage}`, fields), err);
    }
    if (err instanceof SseEventTooLargeError) return caused(new BedrockError("ModelStreamErrorException", err.message), err);
    return caused(this.transportError(err, started), err);
  }

  private transportError(err: unknown, started: boolean): BedrockError {
    const code = errorCode(err);
    if (code !== undefined && TIMEOUTS.has(code)) return new BedrockError("ModelTimeoutException", TIMEOUT_MESSAGE);
    if ((err as Error | undefined)?.name === "AbortError" || code === "UND_ERR_ABORTED") {
      // The client went away or the server is stopping; whoever aborted decides what (if anything) to send.
      return new BedrockError("ServiceUnavailableException", "The request was cancelled before the upstream answered.");
    }
    if (started) {
      return new BedrockError("ModelStreamErrorException", `The upstream of provider ${this.provider} broke off its response (${code ?? "connection lost"}).`, {
        originalMessage: this.redact(err instanceof Error ? err.message : String(err)),
      });
    }
    if (code !== undefined && UNREACHABLE.has(code)) {
      return new BedrockError("ServiceUnavailableException", `The upstream of provider ${this.provider} is unavailable (${code}). Try your request again.`);
    }
    // Reset or closed before an answer: the upstream went away mid-request.
    return new BedrockError(
      "ServiceUnavailableException",
      `The upstream of provider ${this.provider} closed the connection (${code ?? "connection lost"}). Try your request again.`,
    );
  }

  /** An HTTP error answer → the Bedrock error for its status. One table for every non-Bedrock upstream. */
  httpError(e: UpstreamHttpError, cause?: unknown): BedrockError {
    const upstream = this.redact(e.message);
    const wrapped = `The model returned the following errors: ${upstream}`;
    const { status } = e;
    // Transient answers keep what the upstream said about when to try again (the retry policy waits that long).
    const retryAfterMs = e.headers === undefined ? undefined : parseRetryAfterMs(e.headers);
    const later = retryAfterMs === undefined ? {} : { retryAfterMs };
    let err: BedrockError;
    if (status === 401 || status === 403) {
      err = new BedrockError("AccessDeniedException", `You don't have access to the model with the specified model ID. ${wrapped}`);
      err.targetMisconfigured = true;
    } else if (status === 404) {
      err = new BedrockError("ResourceNotFoundException", `The upstream model ${e.upstreamModel} for ${e.servedModelId} was not found. ${wrapped}`);
      err.targetMisconfigured = true;
    } else if (status === 408 || status === 504) {
      err = new BedrockError("ModelTimeoutException", TIMEOUT_MESSAGE, {}, { retryable: true, ...later });
    } else if (status === 429) {
      err = new BedrockError("ThrottlingException", `Too many requests, please wait before trying again. ${wrapped}`, {}, later);
    } else if (status === 503 || status === 529) {
      // 529 is Anthropic's "overloaded": the service is up but cannot take the request now.
      err = new BedrockError("ServiceUnavailableException", wrapped, {}, later);
    } else if (status >= 400 && status < 500) {
      err = new BedrockError("ValidationException", wrapped);
    } else {
      // The upstream's own 5xx: another try may well succeed.
      err = new BedrockError("ModelErrorException", wrapped, { originalStatusCode: status, resourceName: e.servedModelId }, { retryable: status >= 500, ...later });
    }
    return caused(err, cause ?? new Error(`upstream answered HTTP ${status}: ${upstream}`));
  }

  /** A BedrockError whose text may quote the upstream, scrubbed (the same error when nothing changed). */
  scrubbed(err: BedrockError): BedrockError {
    const message = this.redact(err.message);
    const original = err.fields.originalMessage === undefined ? undefined : this.redact(err.fields.originalMessage);
    if (message === err.message && original === err.fields.originalMessage) return err;
    const fields = original === undefined ? err.fields : { ...err.fields, originalMessage: original };
    const copy = new BedrockError(err.errorName, message, fields, { retryable: err.retryable, retryAfterMs: err.retryAfterMs });
    copy.httpStatus = err.httpStatus;
    copy.targetMisconfigured = err.targetMisconfigured;
    return caused(copy, err.cause ?? err);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function caused(err: BedrockError, cause: unknown): BedrockError {
  err.cause = cause;
  return err;
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(", ") : v;
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
