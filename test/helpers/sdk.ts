// What tests do with the SDK's answers: collect a stream's events as plain objects, catch an error to assert
// on it, and wait for a moment the test chooses.
import type { ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";

/** All events of a ConverseStream response, as plain `{eventName: payload}` objects. */
export async function collectEvents(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const event of stream ?? []) out.push(plain(event));
  return out;
}

export function plain(event: ConverseStreamOutput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(event)) if (v !== undefined && k !== "$unknown") out[k] = v;
  return out;
}

/** An SDK error with the members Bedrock's error shapes add. */
export type SdkError = Error & { $metadata?: { httpStatusCode?: number }; originalStatusCode?: number; originalMessage?: string };

/** What a call that must fail rejects with. */
export async function errorOf(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (err) {
    return err as SdkError;
  }
  throw new Error("expected the call to fail");
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
