// What InvokeModel and InvokeModelWithResponseStream share: the header members of the request (checked
// against the service model), the family that reads the native body, and the Converse input it becomes.
import { BedrockError, validationError } from "../../../core/errors.js";
import { isObject, parseJsonSafely } from "../../../core/json.js";
import type { ConverseInput } from "../../../core/model.js";
import type { RequestMetadata } from "../../../core/shapes.generated.js";
import type { NativeRequest } from "../../../families/family.js";
import { requireFamily } from "../../../families/index.js";
import { parseNative, translateNative } from "../../../families/read-native-body.js";
import type { Headers, Request } from "../../../server/http-types.js";
import type { OperationCall } from "../operation.js";
import { shape } from "../../../service-model/service-model.js";
import { issuesError, validatorFor, type Issue } from "../../../service-model/validate-shape.js";

type InvokeShape = "InvokeModelRequest" | "InvokeModelWithResponseStreamRequest";

interface HeaderMember { member: string; header: string; check: ReturnType<typeof validatorFor> }

// Header-bound members of each request shape, read from the service model once at start-up.
const headerMembers = new Map<InvokeShape, HeaderMember[]>();
function membersOf(shapeName: InvokeShape): HeaderMember[] {
  let list = headerMembers.get(shapeName);
  if (!list) {
    list = Object.entries(shape(shapeName).members ?? {})
      .filter(([, ref]) => ref.location === "header")
      .map(([member, ref]) => ({ member, header: ref.locationName!.toLowerCase(), check: validatorFor(ref.shape) }));
    headerMembers.set(shapeName, list);
  }
  return list;
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** The media type without parameters, lower-cased (`application/json; charset=utf-8` → `application/json`). */
const mediaType = (v: string) => v.split(";")[0].trim().toLowerCase();

// The JS SDK sends application/octet-stream when the caller leaves contentType unset; Bedrock takes the body
// as JSON either way.
const BODY_TYPES = new Set(["application/json", "application/octet-stream"]);
const ANSWER_TYPES = new Set(["application/json", "*/*", "application/*"]);


/**
 * Checks the header members; returns the response headers that echo the caller's options. Runs before any
 * relay, so a pass-through backend sees only requests Bedrock would accept.
 */
export function checkInvokeHeaders(req: Request, shapeName: InvokeShape): Headers {
  const values: Record<string, string> = {};
  const issues: Issue[] = [];
  for (const { member, header: name, check } of membersOf(shapeName)) {
    const v = header(req, name);
    if (v === undefined) continue;
    values[member] = v;
    if (member !== "contentType" && member !== "accept") check(v, member, issues);
  }
  const error = issuesError(issues);
  if (error) throw error;

  if (values.contentType !== undefined && !BODY_TYPES.has(mediaType(values.contentType))) {
    throw validationError(`The provided content type ${values.contentType} isn't supported. Use application/json and try again.`);
  }
  if (values.accept !== undefined && !values.accept.split(",").some((a) => ANSWER_TYPES.has(mediaType(a)))) {
    throw validationError(`The provided accept type ${values.accept} isn't supported. Use application/json and try again.`);
  }
  if (values.guardrailIdentifier && !values.guardrailVersion) {
    throw validationError("A guardrail version is required when a guardrail identifier is provided. Add guardrailVersion and try again.");
  }
  const echoed: Headers = {};
  if (values.performanceConfigLatency) echoed["x-amzn-bedrock-performanceconfig-latency"] = values.performanceConfigLatency;
  if (values.serviceTier) echoed["x-amzn-bedrock-service-tier"] = values.serviceTier;
  return echoed;
}

// The payload member's own bound (the `Body` shape's max, 25,000,000 bytes): the server's body limit sits a little
// above it so that a request between the two gets the service's ValidationException, not a transport refusal.
const MAX_BODY_BYTES = shape("Body").max;

/** The native body read by the model's family: the Converse input a backend serves, and how to answer. */
export function parseInvokeRequest({ req, body, served, ctx }: OperationCall): NativeRequest {
  if (MAX_BODY_BYTES !== undefined && body.byteLength > MAX_BODY_BYTES) {
    throw validationError(`1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BODY_BYTES}`);
  }
  const family = requireFamily(ctx.requestedModelId, served.info);
  const native = parseNative(body);
  const guardrailId = header(req, "x-amzn-bedrock-guardrailidentifier");
  // Bedrock's own key inside the model's body: it belongs to the guardrail, never to the model.
  const streamMode = (native["amazon-bedrock-guardrailConfig"] as { streamProcessingMode?: unknown } | undefined)?.streamProcessingMode;
  if (native["amazon-bedrock-guardrailConfig"] !== undefined) {
    if (!guardrailId) {
      throw validationError("The amazon-bedrock-guardrailConfig field requires a guardrail. Provide guardrailIdentifier and guardrailVersion, or remove the field, and try again.");
    }
    delete native["amazon-bedrock-guardrailConfig"];
  }
  const request = translateNative(family, native, { modelId: ctx.requestedModelId, requestId: ctx.requestId });
  applyHeaderOptions(req, request.input, guardrailId);
  if (request.input.guardrailConfig && streamMode === "ASYNCHRONOUS") {
    request.input.guardrailConfig = { ...request.input.guardrailConfig, streamProcessingMode: "async" } as ConverseInput["guardrailConfig"];
  }
  return request;
}

// The header options as their Converse members, so backends and future gateway policies see them.
function applyHeaderOptions(req: Request, input: ConverseInput, guardrailId: string | undefined): void {
  const version = header(req, "x-amzn-bedrock-guardrailversion");
  if (guardrailId && version) {
    const trace = header(req, "x-amzn-bedrock-trace");
    input.guardrailConfig = {
      guardrailIdentifier: guardrailId,
      guardrailVersion: version,
      ...(trace && trace !== "DISABLED" && { trace: trace === "ENABLED_FULL" ? "enabled_full" : "enabled" }),
    };
  }
  const latency = header(req, "x-amzn-bedrock-performanceconfig-latency");
  if (latency === "standard" || latency === "optimized") input.performanceConfig = { latency };
  const tier = header(req, "x-amzn-bedrock-service-tier");
  if (tier === "priority" || tier === "default" || tier === "flex" || tier === "reserved") input.serviceTier = { type: tier };
  const metadata = header(req, "x-amzn-bedrock-request-metadata");
  if (metadata) input.requestMetadata = parseRequestMetadata(metadata);
}

function parseRequestMetadata(text: string): RequestMetadata {
  const parsed = parseJsonSafely(text);
  if (!parsed || !isObject(parsed.value)) throw requestMetadataError();
  const out: RequestMetadata = {};
  for (const [k, v] of Object.entries(parsed.value)) {
    if (typeof v !== "string") throw requestMetadataError();
    out[k] = v;
  }
  return out;
}

const requestMetadataError = (): BedrockError =>
  validationError("The requestMetadata header must be a JSON object whose values are strings. Fix the header and try again.");
