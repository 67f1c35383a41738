// What the runtime paths share: the store, the classifier (built-in or the judge), and the lookup of one
// guardrail version by the identifier and version a request names.
import type { GuardrailClassifier } from "./classifier/classifier.js";
import type { CompiledGuardrail } from "./compile-guardrail.js";
import type { GuardrailVersionRecord } from "./guardrail-definition.js";
import type { GuardrailStore } from "./guardrail-store.js";

export interface ResolvedGuardrail {
  readonly record: GuardrailVersionRecord;
  readonly compiled: CompiledGuardrail;
}

export class GuardrailService {
  constructor(readonly store: GuardrailStore, readonly classifier: GuardrailClassifier) {}

  /** The guardrail version a request names, compiled; undefined when the id or version does not exist. */
  async resolve(identifier: string, version: string): Promise<ResolvedGuardrail | undefined> {
    const record = await this.store.find(identifier, version);
    return record && { record, compiled: this.store.compiled(record) };
  }
}
