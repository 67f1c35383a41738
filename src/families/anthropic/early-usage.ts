// Claude on Bedrock reports the prompt's tokens in message_start (`usage.input_tokens`). The Messages stream
// built from Converse events has 0 there, since Converse reports usage last; when the count is known up
// front it goes into message_start.
import type { EarlyUsage } from "../family.js";

export async function* withEarlyUsage<T extends object>(chunks: AsyncIterable<T>, early: EarlyUsage | undefined): AsyncIterable<T> {
  for await (const chunk of chunks) {
    const start = chunk as { type?: unknown; message?: { usage?: { input_tokens?: number } } };
    if (early && start.type === "message_start" && start.message?.usage) start.message.usage.input_tokens = early.inputTokens;
    yield chunk;
  }
}
