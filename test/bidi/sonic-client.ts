// A Nova Sonic client for the tests, on the official SDK's InvokeModelWithBidirectionalStreamCommand: input
// events are pushed into the command's async-iterable body while the answer is read, as a voice app does.
// Helpers build the input events of AWS's documentation and wait for output events by predicate.
import { randomUUID } from "node:crypto";
import { InvokeModelWithBidirectionalStreamCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";

export type SonicEvent = Record<string, Record<string, unknown>>;

/** An async queue the SDK reads the input from; `end()` half-closes the request. */
class InputQueue implements AsyncIterable<{ chunk: { bytes: Uint8Array } }> {
  private readonly items: Uint8Array[] = [];
  private done = false;
  private wake?: () => void;

  push(event: unknown): void {
    this.items.push(Buffer.from(JSON.stringify(event)));
    this.wake?.();
  }

  pushRaw(bytes: Uint8Array): void {
    this.items.push(bytes);
    this.wake?.();
  }

  end(): void {
    this.done = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator]() {
    for (;;) {
      const next = this.items.shift();
      if (next) {
        yield { chunk: { bytes: next } };
        continue;
      }
      if (this.done) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

export interface SonicSession {
  readonly promptName: string;
  /** Sends one input event (`{event: {...}}`). */
  send(event: unknown): void;
  /** Sends bytes as they are, as a chunk (malformed-input tests). */
  sendRaw(bytes: Uint8Array): void;
  /** Half-closes the input stream. */
  end(): void;
  /** Every output event received so far. */
  readonly received: SonicEvent[];
  /** Resolves with the first output event (from the start) matching; rejects if the stream ends first. */
  waitFor(match: (e: SonicEvent) => boolean): Promise<SonicEvent>;
  /** Resolves when the output stream ends; rejects with the SDK's error for an exception event. */
  readonly finished: Promise<void>;
  readonly abort: AbortController;
}

export function openSession(client: BedrockRuntimeClient, modelId: string): SonicSession {
  const input = new InputQueue();
  const abort = new AbortController();
  const received: SonicEvent[] = [];
  const waiters: { match: (e: SonicEvent) => boolean; resolve: (e: SonicEvent) => void; reject: (e: unknown) => void }[] = [];
  // Not awaited before the first events are queued: the SDK reads the input while it waits for the answer.
  const sent = client.send(new InvokeModelWithBidirectionalStreamCommand({ modelId, body: input }), { abortSignal: abort.signal });
  const finished = (async () => {
    try {
      const response = await sent;
      for await (const part of response.body ?? []) {
        const bytes = part.chunk?.bytes;
        if (!bytes) continue;
        const event = (JSON.parse(Buffer.from(bytes).toString("utf8")) as { event: SonicEvent }).event;
        received.push(event);
        for (const w of [...waiters]) if (w.match(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
      const ended = new Error("the output stream ended");
      for (const w of waiters.splice(0)) w.reject(ended);
    } catch (err) {
      for (const w of waiters.splice(0)) w.reject(err);
      throw err;
    }
  })();
  finished.catch(() => undefined);
  return {
    promptName: randomUUID(),
    send: (event) => input.push(event),
    sendRaw: (bytes) => input.pushRaw(bytes),
    end: () => input.end(),
    received,
    waitFor(match) {
      const seen = received.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
    finished,
    abort,
  };
}

// Input events as AWS documents them.
export const sessionStart = (inference: Record<string, number> = { maxTokens: 1024, topP: 0.9, temperature: 0.7 }) =>
  ({ event: { sessionStart: { inferenceConfiguration: inference } } });

export function promptStart(promptName: string, tools: { name: string; description: string; schema: object }[] = []) {
  return {
    event: {
      promptStart: {
        promptName,
        textOutputConfiguration: { mediaType: "text/plain" },
        audioOutputConfiguration: {
          mediaType: "audio/lpcm", sampleRateHertz: 24000, sampleSizeBits: 16, channelCount: 1, voiceId: "matthew", encoding: "base64", audioType: "SPEECH",
        },
        ...(tools.length && {
          toolUseOutputConfiguration: { mediaType: "application/json" },
          toolConfiguration: {
            tools: tools.map((t) => ({ toolSpec: { name: t.name, description: t.description, inputSchema: { json: JSON.stringify(t.schema) } } })),
          },
        }),
      },
    },
  };
}

/** contentStart + textInput + contentEnd of one TEXT content. */
export function textContent(promptName: string, role: string, text: string, interactive = true): unknown[] {
  const contentName = randomUUID();
  return [
    { event: { contentStart: { promptName, contentName, type: "TEXT", role, interactive, textInputConfiguration: { mediaType: "text/plain" } } } },
    { event: { textInput: { promptName, contentName, content: text } } },
    { event: { contentEnd: { promptName, contentName } } },
  ];
}

export function toolResultContent(promptName: string, toolUseId: string, result: unknown): unknown[] {
  const contentName = randomUUID();
  return [
    {
      event: {
        contentStart: {
          promptName, contentName, interactive: false, type: "TOOL", role: "TOOL",
          toolResultInputConfiguration: { toolUseId, type: "TEXT", textInputConfiguration: { mediaType: "text/plain" } },
        },
      },
    },
    { event: { toolResult: { promptName, contentName, content: JSON.stringify(result) } } },
    { event: { contentEnd: { promptName, contentName } } },
  ];
}

export const audioContentStart = (promptName: string, contentName: string) => ({
  event: {
    contentStart: {
      promptName, contentName, type: "AUDIO", interactive: true, role: "USER",
      audioInputConfiguration: { mediaType: "audio/lpcm", sampleRateHertz: 16000, sampleSizeBits: 16, channelCount: 1, audioType: "SPEECH", encoding: "base64" },
    },
  },
});
export const audioInput = (promptName: string, contentName: string, bytes: Uint8Array) =>
  ({ event: { audioInput: { promptName, contentName, content: Buffer.from(bytes).toString("base64") } } });
export const contentEnd = (promptName: string, contentName: string) => ({ event: { contentEnd: { promptName, contentName } } });
export const promptEnd = (promptName: string) => ({ event: { promptEnd: { promptName } } });
export const sessionEnd = () => ({ event: { sessionEnd: {} } });

/** The text of every textOutput of one completion, joined. */
export function answerText(events: SonicEvent[], completionId: string): string {
  return events.filter((e) => e.textOutput?.completionId === completionId).map((e) => String(e.textOutput.content)).join("");
}

/** The completionIds in the order their completionStart arrived. */
export function completions(events: SonicEvent[]): string[] {
  return events.filter((e) => e.completionStart).map((e) => String(e.completionStart.completionId));
}

/** "settled" when `p` settles within 30 s, else "pending" (generous: the box is often loaded). */
export function within30s(p: Promise<unknown>): Promise<"settled" | "pending"> {
  return Promise.race([
    p.then(() => "settled" as const, () => "settled" as const),
    new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), 30_000).unref()),
  ]);
}
