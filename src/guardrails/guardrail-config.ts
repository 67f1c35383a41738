// The config file's guardrail keys, for config/schema.ts to add in one line each:
//   guardrails: guardrailsConfigSchema.optional(),
//   guardrailJudge: guardrailJudgeConfigSchema.optional(),
// An entry is `{ id, name, …the members of CreateGuardrail's request… }` (tags and clientRequestToken aside),
// checked against the control-plane model's constraints plus the service's own rules (definitionProblems).
import { z } from "zod";
import { membersOf } from "./control-plane-schema.js";
import type { GuardrailDefinition } from "./guardrail-definition.js";
import { definitionProblems } from "./validate-guardrail-definition.js";

const entrySchema = () => z
  .object({
    /** The guardrail id clients send (`guardrailIdentifier`), lower-case letters and digits like Bedrock's. */
    id: z.string().regex(/^[a-z0-9]{1,64}$/, "must be 1–64 lower-case letters or digits"),
    ...membersOf("CreateGuardrailRequest", ["tags", "clientRequestToken"]),
  })
  .strict()
  .superRefine((entry, ctx) => {
    for (const message of definitionProblems(entry as unknown as GuardrailDefinition)) ctx.addIssue({ code: "custom", message });
  });
let builtEntrySchema: ReturnType<typeof entrySchema> | undefined;

// Built when a config first has a guardrail: the schema comes from the control plane's model (650 KB of JSON,
// ~1 MB of heap once parsed), which a server without guardrails in its config never needs to read.
export const guardrailConfigEntrySchema = z.lazy(() => (builtEntrySchema ??= entrySchema()));

export const guardrailsConfigSchema = z.array(guardrailConfigEntrySchema).superRefine((entries, ctx) => {
  const ids = new Set<string>();
  const names = new Set<string>();
  entries.forEach((e, i) => {
    const name = (e as { name?: string }).name ?? "";
    if (ids.has(e.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate guardrail id ${e.id}` });
    if (names.has(name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate guardrail name ${name}` });
    ids.add(e.id);
    names.add(name);
  });
});

/** `guardrailJudge: { model }`: a served model id that classifies for topic, content and grounding policies. */
export const guardrailJudgeConfigSchema = z
  .object({
    model: z.string().min(1),
    /** Cap on the judge's reply length (maxTokens sent with each classification request). */
    maxTokens: z.number().int().positive().optional(),
  })
  .strict();

/** A guardrail from the config file: its id and its definition. */
export interface GuardrailConfigEntry { readonly id: string; readonly definition: GuardrailDefinition }

/** Splits validated config entries into id + definition. */
export function configEntries(parsed: z.infer<typeof guardrailsConfigSchema>): GuardrailConfigEntry[] {
  return parsed.map(({ id, ...definition }) => ({ id, definition: definition as unknown as GuardrailDefinition }));
}

export type GuardrailJudgeConfig = z.infer<typeof guardrailJudgeConfigSchema>;
