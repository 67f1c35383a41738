// What a call cost: the config's `models[].price` for the served id, else the built-in table for well-known
// Bedrock ids, else null (unknown is not free). The echo provider is a test double, so only an explicit price
// gives it a cost.
import type { CallRecord } from "../../core/call-record.js";
import { baseModelId } from "../../core/model-id.js";
import type { PriceConfig } from "../observe-config.js";
import { BUILTIN_PRICES } from "./builtin-prices.js";

export class PriceTable {
  private readonly configured: ReadonlyMap<string, PriceConfig>;
  private readonly echoProviders: ReadonlySet<string>;

  /** `echoProviders`: provider names of type echo besides the built-in "echo". */
  constructor(configured: Iterable<[modelId: string, price: PriceConfig]> = [], echoProviders: Iterable<string> = []) {
    this.configured = new Map(configured);
    this.echoProviders = new Set(["echo", ...echoProviders]);
  }

  priceOf(record: Pick<CallRecord, "modelId" | "provider" | "upstreamModel">): PriceConfig | undefined {
    if (!record.modelId) return undefined;
    const set = this.configured.get(record.modelId);
    if (set) return set;
    if (record.provider !== undefined && this.echoProviders.has(record.provider)) return undefined;
    return BUILTIN_PRICES[baseModelId(record.modelId)] ?? (record.upstreamModel ? BUILTIN_PRICES[baseModelId(record.upstreamModel)] : undefined);
  }

  /** USD, or null when the model has no known price. A call without token counts costs 0 at a known price. */
  costOf(record: Readonly<CallRecord>): number | null {
    const price = this.priceOf(record);
    if (!price) return null;
    // Answered from the response cache: no upstream call was made, so nothing was spent (the tokens the
    // client was told about stay on the record, as the answer it got).
    if (record.cache === "hit") return 0;
    const micro =
      (record.inputTokens ?? 0) * price.inputPerMillion +
      (record.outputTokens ?? 0) * price.outputPerMillion +
      (record.cacheReadTokens ?? 0) * (price.cacheReadPerMillion ?? price.inputPerMillion) +
      (record.cacheWriteTokens ?? 0) * (price.cacheWritePerMillion ?? price.inputPerMillion);
    // Rounded to 1e-12 USD so sums over many calls do not drift with binary fractions.
    return Math.round(micro * 1e6) / 1e12;
  }
}
