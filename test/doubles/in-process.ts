// In-process helpers for the policy unit tests: a call context, and a backend that counts its calls and
// answers with a fixed text (the stand-in for a provider behind a policy).
import { newCallRecord } from "../../src/core/call-record.js";
import { ANONYMOUS, type Caller } from "../../src/core/caller.js";
import type { CallContext, ConverseInput, ConverseOutput, Model, StreamEvent } from "../../src/core/model.js";
import { outputAsStream } from "../../src/core/output-as-stream.js";

export function callContext(opts: { operation?: string; caller?: Caller; modelId?: string; signal?: AbortSignal } = {}): CallContext {
  const record = newCallRecord({ requestId: "req-1", frontDoor: "bedrock", operation: opts.operation ?? "" });
  return {
    requestedModelId: opts.modelId ?? "backend.model",
    requestId: "req-1",
    signal: opts.signal ?? new AbortController().signal,
    startedAt: process.hrtime.bigint(),
    caller: opts.caller ?? ANONYMOUS,
    record,
  };
}

export const say = (text: string, system?: string): ConverseInput => ({
  messages: [{ role: "user", content: [{ text }] }],
  ...(system ? { system: [{ text: system }] } : {}),
});

export class CountingBackend implements Model {
  calls = 0;
  constructor(readonly id = "backend.model", private readonly reply = "from the backend") {}

  answer(): ConverseOutput {
    return {
      output: { message: { role: "assistant", content: [{ text: this.reply }] } },
      stopReason: "end_turn",
      usage: { inputTokens: 1, outputTokens: 3, totalTokens: 4 },
      metrics: { latencyMs: 1 },
    };
  }

  async converse(_input?: ConverseInput): Promise<ConverseOutput> {
    this.calls++;
    return this.answer();
  }

  async *converseStream(_input?: ConverseInput): AsyncIterable<StreamEvent> {
    this.calls++;
    yield* outputAsStream(this.answer());
  }

  async countTokens(): Promise<number> {
    this.calls++;
    return 1;
  }
}

/** Drains a stream: its events, and the error that ended it (if any). */
export async function drain(events: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error?: unknown }> {
  const out: StreamEvent[] = [];
  try {
    for await (const e of events) out.push(e);
  } catch (error) {
    return { events: out, error };
  }
  return { events: out };
}
