// What an operation of the Bedrock Runtime door receives, and the two shapes an operation takes: one bound
// to a model (its path has a {modelId} label: the door resolves the model, and relays for a pass-through
// model once the request has passed `check`), or a plain one that answers the exchange itself.
import type { CallContext } from "../../core/model.js";
import type { ServedModel } from "../../core/model-info.js";
import type { IncomingCall } from "../../server/call-context.js";
import type { Request, Response } from "../../server/http-types.js";

export interface OperationCall {
  req: Request;
  res: Response;
  body: Buffer;
  served: ServedModel;
  ctx: CallContext;
  /** Aborted when the server begins to shut down: unary calls finish, streams end with an exception. */
  shutdown: AbortSignal;
}

/**
 * An operation on one model. `check` parses and validates the request and throws a BedrockError for a bad
 * one; it runs before any relay, so a pass-through backend sees only requests Bedrock would accept.
 * `serve` answers through the model (wrapped by every policy).
 */
export interface ModelOperation<Checked = unknown> {
  check(call: OperationCall): Checked;
  serve(call: OperationCall, checked: Checked): Promise<void>;
}

/** An operation not bound to a model in its path (guardrails, async invocations): it has the exchange. */
export type RequestOperation = (call: IncomingCall, labels: Readonly<Record<string, string>>) => Promise<void>;

export type RuntimeOperation = ModelOperation | RequestOperation;

export function isRequestOperation(operation: RuntimeOperation): operation is RequestOperation {
  return typeof operation === "function";
}
