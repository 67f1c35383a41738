// An OpenAI-compatible Chat Completions upstream for the gateway benchmarks: POST /v1/chat/completions
// answers at once with a canned completion — JSON, or SSE chunks (`data: {...}\n\n`, a usage chunk with
// `choices: []` when stream_options.include_usage is set, then `data: [DONE]`) as the OpenAI API reference
// describes them. Zero think time, unless --trickle-ms N spaces the SSE chunks N ms apart (the slow
// upstream of the memory scenario). Round 2 adds --delay-ms N (think time before any answer: the 20 ms
// upstream of the published gateway method) and --stamp (each content chunk's text carries the
// upstream's monotonic clock in µs when it was written, `~<µs in base 36>`, so a client on the same machine can tell
// how long each frame took to reach it; with --trickle-ms the first chunk is written at once).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const trickleMs = option("--trickle-ms", 0);
const chunkCount = option("--chunks", 16);
const delayMs = option("--delay-ms", 0);
const stamp = process.argv.includes("--stamp");
/**
 * CLOCK_MONOTONIC in µs (the same clock in every process on this machine), in base 36: a run of ten or more
 * decimal digits in the text would look like a phone number to the full stack's PII guardrail.
 */
const stampNow = () => (process.hrtime.bigint() / 1000n).toString(36);

/** Replaced by `@<µs>` as each stamped chunk is written. */
const STAMP_SLOT = "~STAMP";
const WORDS = "The weather in Paris today is mild and clear with a light breeze from the west".split(" ");
const created = Math.floor(Date.now() / 1000);

function completion(model: string): string {
  const content = WORDS.slice(0, chunkCount).join(" ");
  return JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created,
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 12, completion_tokens: chunkCount, total_tokens: 12 + chunkCount },
  });
}

function chunk(model: string, delta: Record<string, unknown>, finish: string | null): string {
  return `data: ${JSON.stringify({
    id: "chatcmpl-bench", object: "chat.completion.chunk", created, model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  })}\n\n`;
}

function sseEvents(model: string, includeUsage: boolean): string[] {
  const events = [chunk(model, { role: "assistant", content: "" }, null)];
  for (let i = 0; i < chunkCount; i++) events.push(chunk(model, { content: (i ? " " : "") + WORDS[i % WORDS.length] + (stamp ? STAMP_SLOT : "") }, null));
  events.push(chunk(model, {}, "stop"));
  if (includeUsage) {
    events.push(`data: ${JSON.stringify({
      id: "chatcmpl-bench", object: "chat.completion.chunk", created, model, choices: [],
      usage: { prompt_tokens: 12, completion_tokens: chunkCount, total_tokens: 12 + chunkCount },
    })}\n\n`);
  }
  events.push("data: [DONE]\n\n");
  return events;
}

interface ChatRequest { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } }

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "Unknown path", type: "invalid_request_error", code: null } }));
      return;
    }
    let body: ChatRequest;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatRequest;
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "We could not parse the JSON body of your request.", type: "invalid_request_error", code: null } }));
      return;
    }
    const model = body.model ?? "bench-model";
    if (delayMs > 0) setTimeout(() => answer(res, model, body), delayMs);
    else answer(res, model, body);
  });
}

function answer(res: ServerResponse, model: string, body: ChatRequest): void {
  if (res.destroyed) return;
  if (!body.stream) {
    const text = completion(model);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const events = sseEvents(model, body.stream_options?.include_usage === true);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  if (trickleMs === 0) {
    const all = events.join("");
    res.end(stamp ? all.replaceAll(STAMP_SLOT, () => `~${stampNow()}`) : all);
    return;
  }
  let i = 0;
  const next = (): boolean => {
    const event = events[i++];
    res.write(stamp ? event.replace(STAMP_SLOT, () => `~${stampNow()}`) : event);
    if (i < events.length) return false;
    res.end();
    return true;
  };
  if (stamp) next();
  const timer = setInterval(() => {
    if (res.destroyed || next()) clearInterval(timer);
  }, trickleMs);
  res.once("close", () => clearInterval(timer));
}

const server = createServer({ keepAliveTimeout: 65_000 }, handle);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
