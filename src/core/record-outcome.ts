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

export function noteError(record: CallRecord, error: { errorName: string; message: string }): void {
  record.errorName = error.errorName;
  record.errorMessage = error.message;
}
