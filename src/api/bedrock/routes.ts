// Bedrock Runtime routes: POST /model/{modelId}/<action>. The label is percent-decoded only after the path
// is split, so an encoded '/' in an ARN stays inside the label (DIGEST §13.4).
import type { Operation } from "./operation.js";
import { converse } from "./operations/converse.js";
import { converseStream } from "./operations/converse-stream.js";
import { countTokens } from "./operations/count-tokens.js";
import { invokeModel } from "./operations/invoke-model.js";
import { invokeModelStream } from "./operations/invoke-model-stream.js";

export const modelOperations: Record<string, Operation> = {
  converse,
  "converse-stream": converseStream,
  "count-tokens": countTokens,
  invoke: invokeModel,
  "invoke-with-response-stream": invokeModelStream,
};

export interface Route { operation: Operation; modelId: string }

export function matchRoute(method: string | undefined, url: string | undefined): Route | undefined {
  if (method !== "POST" || !url) return undefined;
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  const parts = path.split("/");
  // ["", "model", "{modelId}", "{action}"]
  if (parts.length !== 4 || parts[0] !== "" || parts[1] !== "model" || !parts[2]) return undefined;
  const operation = modelOperations[parts[3]];
  if (!operation) return undefined;
  let modelId: string;
  try {
    modelId = decodeURIComponent(parts[2]);
  } catch {
    return undefined;
  }
  return { operation, modelId };
}
