// Request bodies shared by the bench clients and baselines, so every contender gets the same bytes.

/** A short Converse request: the echo model answers with the same eight words. */
export const SHORT_TEXT = "Summarise the weather in Paris today in one line.";

export function converseBody(text: string, maxTokens = 512): string {
  return JSON.stringify({
    messages: [{ role: "user", content: [{ text }] }],
    inferenceConfig: { maxTokens, temperature: 0.5 },
  });
}

/** `words` whitespace-separated tokens: the echo model streams one contentBlockDelta per token. */
export function streamPrompt(words: number): string {
  const vocabulary = ["basalt", "streams", "every", "token", "as", "one", "event", "frame"];
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(vocabulary[i % vocabulary.length]);
  return out.join(" ");
}

/** The Chat Completions request the gateway scenario sends to the upstream directly and through Portkey. */
export function chatBody(stream: boolean): string {
  return JSON.stringify({
    model: "bench-model",
    messages: [{ role: "user", content: SHORT_TEXT }],
    max_tokens: 512,
    temperature: 0.5,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}
