// CountTokens with `input.invokeModel.body`: the base64 native body is read by the model's family and
// counted as the Converse request it becomes, so every backend counts every family the same way.
import type { ModelInfo } from "../../../core/model-info.js";
import type { CallContext } from "../../../core/model.js";
import type { CountTokensInput } from "../../../core/shapes.generated.js";
import { requireFamily } from "../../../families/index.js";
import { parseNative, translateNative } from "../../../families/read-native-body.js";

export function invokeBodyAsConverse(base64Body: string, ctx: CallContext, entry: ModelInfo): CountTokensInput {
  const family = requireFamily(ctx.requestedModelId, entry);
  const native = parseNative(Buffer.from(base64Body, "base64"));
  delete native["amazon-bedrock-guardrailConfig"];
  const { input } = translateNative(family, native, { modelId: ctx.requestedModelId, requestId: ctx.requestId });
  return {
    converse: {
      messages: input.messages,
      ...(input.system && { system: input.system }),
      ...(input.toolConfig && { toolConfig: input.toolConfig }),
      ...(input.additionalModelRequestFields !== undefined && { additionalModelRequestFields: input.additionalModelRequestFields }),
    },
  };
}
