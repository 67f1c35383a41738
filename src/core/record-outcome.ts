// Writes what an answer tells about a call into its CallRecord: token counts, stop reason, error. One place,
// so every front door and operation fills the record the same way.
import type { CallRecord } from "./call-record.js";
import type { ConverseOutput } from "./model.js";
import type { TokenUsage } from "./shapes.generated.js";

export function noteUsage(record: CallRecord, usage: TokenUsage | undefined): void {
  if (!usage) return;
  record.inputTokens = usage.inputTokens;
  record.outputTokens = usage.outputTokens;
  if (usage.cacheReadInputTokens !== undefined) record.cacheReadTokens = usage.cacheReadInputTokens;
  if (usage.cacheWriteInputTokens !== undefined) record.cacheWriteTokens = usage.cacheWriteInputTokens;
}

export function noteOutput(record: CallRecord, output: ConverseOutput): void {
  record.stopReason = output.stopReason;
  noteUsage(record, output.usage);
}

/** One ConverseStream union member as written: `messageStop` carries the stop reason, `metadata` the usage. */
export function noteStreamEvent(record: CallRecord, eventType: string, payload: unknown): void {
  if (eventType === "metadata") noteUsage(record, (payload as { usage?: TokenUsage }).usage);
  else if (eventType === "messageStop") record.stopReason = (payload as { stopReason?: string }).stopReason;
}

/** `original`: the failure as thrown, when the answer is a different error (an unexpected one → 500). */
export function noteError(record: CallRecord, error: { errorName: string; message: string; cause?: unknown }, original?: unknown): void {
  record.errorName = error.errorName;
  record.errorMessage = error.message;
  const chain = causeMessages(original ?? error.cause);
  if (chain.length) record.errorCause = chain;
}

/** An error and its causes as "Name: message" lines, outermost first; bounded in case of a cycle. */
function causeMessages(error: unknown): string[] {
  const out: string[] = [];
  for (let e = error; e !== undefined && e !== null && out.length < 8; e = (e as { cause?: unknown }).cause) {
    if (!(e instanceof Error)) {
      out.push(String(e));
      break;
    }
    const code = (e as { code?: unknown }).code;
    out.push(`${e.name}: ${e.message}${typeof code === "string" && !e.message.includes(code) ? ` (${code})` : ""}`);
  }
  return out;
}
