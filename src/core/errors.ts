// Typed errors inside the core. They become HTTP (status, x-amzn-errortype, body) only at the edge,
// or an exception frame once a stream has begun.

/** Error shapes of the Bedrock Runtime model (names exactly as in spec/bedrock-runtime.service-2.json). */
export type BedrockErrorName =
  | "AccessDeniedException"
  | "ConflictException"
  | "InternalServerException"
  | "ModelErrorException"
  | "ModelNotReadyException"
  | "ModelStreamErrorException"
  | "ModelTimeoutException"
  | "ResourceNotFoundException"
  | "ServiceQuotaExceededException"
  | "ServiceUnavailableException"
  | "ThrottlingException"
  | "ValidationException"
  // Not in the model, but what the AWS front end answers for unparsable bodies and unknown routes.
  | "SerializationException"
  | "UnknownOperationException"
  // What the AWS front end answers to a request whose body stops arriving (408; SDKs retry it).
  | "RequestTimeoutException"
  // What the AWS front end answers before a request reaches the service: authentication (auth/).
  | "MissingAuthenticationTokenException"
  | "IncompleteSignatureException"
  | "UnrecognizedClientException"
  | "InvalidSignatureException";

/** Extra members some error shapes carry (ModelErrorException, ModelStreamErrorException). */
export interface BedrockErrorFields {
  originalStatusCode?: number;
  originalMessage?: string;
  resourceName?: string;
}

export class BedrockError extends Error {
  /** HTTP status to answer with instead of the exception's own (a test-double script may choose one). */
  httpStatus?: number;

  constructor(
    readonly errorName: BedrockErrorName,
    message: string,
    readonly fields: BedrockErrorFields = {},
  ) {
    super(message);
    this.name = errorName;
  }
}

export const validationError = (message: string): BedrockError => new BedrockError("ValidationException", message);

/** Any thrown value as a BedrockError; unknown failures are internal errors with a generic message. */
export function toBedrockError(err: unknown): BedrockError {
  if (err instanceof BedrockError) return err;
  return new BedrockError("InternalServerException", "The server encountered an internal error while processing the request.");
}
