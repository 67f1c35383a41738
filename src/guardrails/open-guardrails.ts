// Builds the guardrail service from the config: the store over the SQL database (with the config file's
// guardrails, read-only), and the classifier — the built-in one, or a served model as judge when
// `guardrailJudge` is set (falling back to the built-in one, with a warning, when its reply is unusable).
import type { ModelCatalog } from "../core/model-info.js";
import type { SqlDatabase } from "../storage/sql-database.js";
import { askServedModel } from "./ask-served-model.js";
import { builtinClassifier } from "./classifier/builtin-classifier.js";
import { createJudgeClassifier } from "./classifier/judge-classifier.js";
import { configEntries, type GuardrailJudgeConfig, type guardrailsConfigSchema } from "./guardrail-config.js";
import { GuardrailService } from "./guardrail-service.js";
import { GuardrailStore } from "./guardrail-store.js";
import type { z } from "zod";

export interface GuardrailsConfig {
  readonly guardrails?: z.infer<typeof guardrailsConfigSchema>;
  readonly guardrailJudge?: GuardrailJudgeConfig;
}

export interface OpenGuardrailsOptions {
  readonly config: GuardrailsConfig;
  readonly db: SqlDatabase;
  /** The served models (asked lazily: the registry is built after the service its policies use). */
  readonly catalog: () => ModelCatalog;
  readonly warn?: (fields: object, message: string) => void;
}

export async function openGuardrails(opts: OpenGuardrailsOptions): Promise<GuardrailService> {
  const store = await GuardrailStore.open({ db: opts.db, configGuardrails: configEntries(opts.config.guardrails ?? []) });
  const judge = opts.config.guardrailJudge;
  const classifier = judge
    ? createJudgeClassifier({
      ask: askServedModel({ catalog: opts.catalog, modelId: judge.model, maxTokens: judge.maxTokens }),
      fallback: builtinClassifier,
      onError: (err) => opts.warn?.({ judge: judge.model, err: (err as Error).message }, "guardrail judge reply unusable; the built-in classifier decided"),
    })
    : builtinClassifier;
  return new GuardrailService(store, classifier);
}
