// ListFoundationModels, GetFoundationModel, ListInferenceProfiles and GetInferenceProfile, answered from
// the served models (catalog-entries.ts). The query filters are checked against the operation's input shape
// first, so a bad enum value is the ValidationException Bedrock words.
import type { FoundationModelSummary, InferenceProfileSummary } from "../../../core/control-plane-shapes.generated.js";
import type { ModelConfig } from "../../../config/schema.js";
import { BedrockError, validationError } from "../../../core/errors.js";
import { arnResource } from "../../../core/model-id.js";
import type { ControlPlaneOperationName } from "../routes.generated.js";
import type { ControlPlaneHandler } from "../control-plane-door.js";
import { answer, checkQuery, queryParams } from "../guardrails/guardrail-request.js";
import { foundationEntries, foundationModelOf, inferenceProfiles, vendorOf } from "./catalog-entries.js";

const PAGE_DEFAULT = 1000;

/** Every catalogue operation, by name, for the control-plane door. `models` are the config's served models. */
export function catalogOperations(models: readonly ModelConfig[]): [ControlPlaneOperationName, ControlPlaneHandler][] {
  const foundation = foundationEntries(models).map(foundationModelOf);
  const profiles = inferenceProfiles(models);

  return [
    ["ListFoundationModels", async (call) => {
      await call.readBody();
      const q = queryParams(call);
      const f = {
        byProvider: q.get("byProvider") ?? undefined,
        byCustomizationType: q.get("byCustomizationType") ?? undefined,
        byOutputModality: q.get("byOutputModality") ?? undefined,
        byInferenceType: q.get("byInferenceType") ?? undefined,
      };
      checkQuery("ListFoundationModelsRequest", f);
      const provider = f.byProvider?.toLowerCase();
      const modelSummaries: FoundationModelSummary[] = foundation.filter((m) =>
        (provider === undefined || provider === m.providerName?.toLowerCase() || provider === vendorOf(m.modelId))
        && (f.byCustomizationType === undefined || (m.customizationsSupported ?? []).includes(f.byCustomizationType as never))
        && (f.byOutputModality === undefined || (m.outputModalities ?? []).includes(f.byOutputModality as never))
        && (f.byInferenceType === undefined || (m.inferenceTypesSupported ?? []).includes(f.byInferenceType as never)));
      answer(call, 200, { modelSummaries });
    }],
    ["GetFoundationModel", async (call, labels) => {
      await call.readBody();
      const id = arnResource(labels.modelIdentifier ?? "");
      const modelDetails = foundation.find((m) => m.modelId === id);
      if (!modelDetails) throw validationError("The provided model identifier is invalid.");
      answer(call, 200, { modelDetails });
    }],
    ["ListInferenceProfiles", async (call) => {
      await call.readBody();
      const q = queryParams(call);
      const maxResults = q.has("maxResults") ? Number(q.get("maxResults")) : undefined;
      const query = { maxResults, nextToken: q.get("nextToken") ?? undefined, typeEquals: q.get("type") ?? undefined };
      checkQuery("ListInferenceProfilesRequest", query);
      const all: InferenceProfileSummary[] = query.typeEquals === "APPLICATION" ? [] : profiles;
      const start = query.nextToken === undefined ? 0 : Number.parseInt(Buffer.from(query.nextToken, "base64url").toString(), 10);
      if (!Number.isInteger(start) || start < 0 || start > all.length) throw validationError("The nextToken is invalid.");
      const end = start + (maxResults ?? PAGE_DEFAULT);
      const page = all.slice(start, end);
      answer(call, 200, {
        inferenceProfileSummaries: page,
        ...(end < all.length && { nextToken: Buffer.from(String(end)).toString("base64url") }),
      });
    }],
    ["GetInferenceProfile", async (call, labels) => {
      await call.readBody();
      const id = arnResource(labels.inferenceProfileIdentifier ?? "");
      const profile = profiles.find((p) => p.inferenceProfileId === id);
      if (!profile) throw new BedrockError("ResourceNotFoundException", `Inference profile ${id} does not exist.`);
      answer(call, 200, profile);
    }],
  ];
}
