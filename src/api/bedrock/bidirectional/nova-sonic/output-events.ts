// Nova Sonic's output events (AWS: "Handling output events with the bidirectional API"), each wrapped as
// `{"event": {"<name>": {...}}}`. Every event of one answer carries the session's id, the prompt's name and
// the completion's id; content events add their contentId. Shapes not confirmed against the live service
// are listed in docs/bidirectional-stream.md.

/** What ties the events of one answer together. */
export interface CompletionIds {
  readonly sessionId: string;
  readonly promptName: string;
  readonly completionId: string;
}

export type OutputContentType = "TEXT" | "AUDIO" | "TOOL";
export type OutputStopReason = "END_TURN" | "PARTIAL_TURN" | "INTERRUPTED" | "TOOL_USE";

export interface OutputEvent {
  readonly event: Record<string, unknown>;
}

const wrap = (name: string, body: Record<string, unknown>): OutputEvent => ({ event: { [name]: body } });

export const completionStart = (ids: CompletionIds): OutputEvent => wrap("completionStart", { ...ids });

export function contentStart(
  ids: CompletionIds,
  contentId: string,
  type: OutputContentType,
  config: Record<string, unknown>,
): OutputEvent {
  const role = type === "TOOL" ? "TOOL" : "ASSISTANT";
  return wrap("contentStart", {
    ...ids,
    contentId,
    type,
    role,
    // A text-only answer is final text, not the preview of speech still to come (SPECULATIVE).
    additionalModelFields: JSON.stringify({ generationStage: "FINAL" }),
    ...config,
  });
}

export const textOutput = (ids: CompletionIds, contentId: string, content: string): OutputEvent =>
  wrap("textOutput", { ...ids, contentId, content, role: "ASSISTANT" });

export const audioOutput = (ids: CompletionIds, contentId: string, content: string): OutputEvent =>
  wrap("audioOutput", { ...ids, contentId, content });

export const toolUse = (ids: CompletionIds, contentId: string, tool: { toolUseId: string; toolName: string; content: string }): OutputEvent =>
  wrap("toolUse", { ...ids, contentId, ...tool });

export const contentEnd = (ids: CompletionIds, contentId: string, type: OutputContentType, stopReason: OutputStopReason): OutputEvent =>
  wrap("contentEnd", { ...ids, contentId, type, stopReason });

export const completionEnd = (ids: CompletionIds, stopReason: OutputStopReason): OutputEvent =>
  wrap("completionEnd", { ...ids, stopReason });

/** Token counts as Nova Sonic reports them: speech and text apart (Basalt's backends produce text only). */
export interface TokenCounts {
  readonly inputText: number;
  readonly outputText: number;
  readonly inputSpeech: number;
  readonly outputSpeech: number;
}

export function usageEvent(ids: CompletionIds, delta: TokenCounts, total: TokenCounts): OutputEvent {
  const side = (t: TokenCounts) => ({
    input: { speechTokens: t.inputSpeech, textTokens: t.inputText },
    output: { speechTokens: t.outputSpeech, textTokens: t.outputText },
  });
  const totalInputTokens = total.inputSpeech + total.inputText;
  const totalOutputTokens = total.outputSpeech + total.outputText;
  return wrap("usageEvent", {
    ...ids,
    details: { delta: side(delta), total: side(total) },
    totalInputTokens,
    totalOutputTokens,
    totalTokens: totalInputTokens + totalOutputTokens,
  });
}

export const TEXT_OUTPUT_CONFIGURATION = { textOutputConfiguration: { mediaType: "text/plain" } };
export const TOOL_USE_OUTPUT_CONFIGURATION = { toolUseOutputConfiguration: { mediaType: "application/json" } };
