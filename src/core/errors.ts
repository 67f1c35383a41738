// Typed errors inside the core. They become HTTP (status, x-amzn-errortype, body) only at the edge,
// or an exception frame once a stream has begun. ONE table below says, per exception name, everything the
// rest of the code needs to know about it.
import { ERROR_SHAPES } from "./error-shapes.generated.js";

/** Exception shapes of the Bedrock Runtime model (spec/bedrock-runtime.service-2.json), sorted by name. */
export type ModelledErrorName = keyof typeof ERROR_SHAPES;

/** What the AWS front end answers before a request reaches Bedrock: authentication (auth/). */
export type AuthErrorName =
  | "MissingAuthenticationTokenException"
  | "IncompleteSignatureException"
  | "UnrecognizedClientException"
  | "InvalidSignatureException";

/** The modelled names plus what the AWS front end answers for unparsable bodies, unknown routes, a body that
 * stops arriving (408), and authentication. */
export type BedrockErrorName =
  | ModelledErrorName | "SerializationException" | "UnknownOperationException" | "RequestTimeoutException" | AuthErrorName;

export interface ErrorKind {
  /** HTTP status of the error response (the model's httpStatusCode). */
  readonly status: number;
  /**
   * Whether the same request may succeed if sent again, as the AWS SDKs judge it: throttling, server faults
   * (5xx) and shapes marked @retryable. A gateway retry or fallback policy reads this.
   */
  readonly retryable: boolean;
  /** Member name in stream unions (`ThrottlingException` → `throttlingException`). */
  readonly streamMember: string;
  /** Whether the shape is in the service model (clients know it by name). */
  readonly modelled: boolean;
  /**
   * An authentication failure of the caller's credentials. From an upstream it is about Basalt's own
   * credentials, so it does not pass through under its name (providers map it by status).
   */
  readonly authentication: boolean;
}

const streamMember = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

const kinds = new Map<string, ErrorKind>();
for (const [name, shape] of Object.entries(ERROR_SHAPES)) {
  kinds.set(name, {
    status: shape.status,
    retryable: shape.retryableTrait || shape.fault === "server" || name === "ThrottlingException",
    streamMember: streamMember(name),
    modelled: true,
    authentication: false,
  });
}
// Not in the model: what the AWS front end answers before a request reaches the service.
const FRONT_END_ERRORS: readonly (readonly [Exclude<BedrockErrorName, ModelledErrorName>, number, ("auth" | "retry")?])[] = [
  ["SerializationException", 400],
  ["UnknownOperationException", 404],
  // SDKs retry it (a transient error code).
  ["RequestTimeoutException", 408, "retry"],
  ["MissingAuthenticationTokenException", 403, "auth"],
  ["IncompleteSignatureException", 400, "auth"],
  ["UnrecognizedClientException", 403, "auth"],
  ["InvalidSignatureException", 403, "auth"],
];
for (const [name, status, kind] of FRONT_END_ERRORS) {
  kinds.set(name, { status, retryable: kind === "retry", streamMember: streamMember(name), modelled: false, authentication: kind === "auth" });
}

/** The ERROR table, by exception name. */
export const ERROR_KINDS: ReadonlyMap<string, ErrorKind> = kinds;

/** The modelled exception names, sorted (what a fault line or a script may name). */
export const MODELLED_ERROR_NAMES = Object.keys(ERROR_SHAPES) as ModelledErrorName[];

export function isBedrockErrorName(name: string): name is BedrockErrorName {
  return kinds.has(name);
}

export function isModelledErrorName(name: string): name is ModelledErrorName {
  return kinds.get(name)?.modelled === true;
}

/** A name outside the table (an upstream's own exception name passed through) answers as a server fault. */
export function errorKind(name: string): ErrorKind {
  return kinds.get(name) ?? { status: 500, retryable: false, streamMember: streamMember(name), modelled: false, authentication: false };
}

/** Extra members some error shapes carry (ModelErrorException, ModelStreamErrorException). */
export interface BedrockErrorFields {
  originalStatusCode?: number;
  originalMessage?: string;
  resourceName?: string;
}

export interface BedrockErrorOptions {
  /** What went wrong underneath (an upstream's error, a socket error): logged, never sent to the client. */
  cause?: unknown;
  /** Overrides the table's retryability for this one error (e.g. a 500 known to be permanent). */
  retryable?: boolean;
  /** How long the upstream asked to wait before a retry (its Retry-After), ms. */
  retryAfterMs?: number;
}

export class BedrockError extends Error {
  readonly retryable: boolean;
  /** HTTP status to answer with instead of the exception's own (a test-double script may choose one). */
  httpStatus?: number;
  /** How long the upstream asked to wait before a retry (Retry-After), ms; the gateway's retry policy honours it. */
  readonly retryAfterMs?: number;
  /**
   * The upstream refused Basalt's own credentials for it (401/403) or does not know the model configured for it
   * (404): the target is misconfigured, not the request. Another try of it will not help; another target may.
   */
  targetMisconfigured?: boolean;

  constructor(
    readonly errorName: BedrockErrorName,
    message: string,
    readonly fields: BedrockErrorFields = {},
    options: BedrockErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = errorName;
    this.retryable = options.retryable ?? errorKind(errorName).retryable;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** HTTP status of the error response: the override if one was set, else the table's. */
  get status(): number {
    return this.httpStatus ?? errorKind(this.errorName).status;
  }
}

export const validationError = (message: string): BedrockError => new BedrockError("ValidationException", message);

/** Any thrown value as a BedrockError; unknown failures are internal errors with a generic message. */
export function toBedrockError(err: unknown): BedrockError {
  if (err instanceof BedrockError) return err;
  return new BedrockError(
    "InternalServerException",
    "The server encountered an internal error while processing the request.",
    {},
    { cause: err },
  );
}
