// The forms a modelId takes on the wire, parsed in one place: a plain id (`anthropic.claude-3-5-haiku-…`),
// a cross-region inference-profile id (`us.anthropic.claude-…`), or an ARN whose resource path ends in either
// (`arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-…`).

// Geographic prefixes of cross-region inference profiles: `us.anthropic.claude…` → `anthropic.claude…`.
const PROFILE_PREFIX = /^(us|eu|apac|us-gov|ca|jp|au|global)\./;

/** The resource part of an ARN (after its last '/'), or the id itself. */
export function arnResource(modelId: string): string {
  return modelId.startsWith("arn:") ? modelId.slice(modelId.lastIndexOf("/") + 1) : modelId;
}

/** Whether an id starts with a geographic inference-profile prefix (`us.`, `eu.`, `global.` …). */
export function hasProfilePrefix(id: string): boolean {
  return PROFILE_PREFIX.test(id);
}

/** The id without a geographic inference-profile prefix. */
export function withoutProfilePrefix(id: string): string {
  return id.replace(PROFILE_PREFIX, "");
}

/** The foundation-model id an id, profile id or ARN names: `arn:…/us.meta.llama3…` → `meta.llama3…`. */
export function baseModelId(modelId: string): string {
  return withoutProfilePrefix(arnResource(modelId));
}

/** Served ids a requested id may mean, most specific first: as sent, its ARN resource, without profile prefix. */
export function servedModelCandidates(modelId: string): string[] {
  const tail = arnResource(modelId);
  return [modelId, tail, withoutProfilePrefix(tail)];
}
