// The provider contract for `openai`, through a fake Chat Completions server speaking the real wire format.
import { chatStream, chunk, completion, errorBody, startOpenAIUpstream } from "../fakes/openai-upstream.js";
import { providerContract } from "./contract.js";
import { startFakeTarget } from "./fake-target.js";

const MODEL_ID = "meta.llama3-8b-instruct-v1:0";

providerContract({
  name: "openai",
  start: async () => startFakeTarget({
    upstream: await startOpenAIUpstream(),
    modelId: MODEL_ID,
    config: (baseUrl, dead) => `
providers:
  local:     { type: openai, baseUrl: "${baseUrl}", apiKey: sk-contract, timeoutMs: 1500 }
  keepalive: { type: openai, baseUrl: "${baseUrl}", apiKey: sk-contract }
  dead:      { type: openai, baseUrl: "http://127.0.0.1:${dead}/v1" }
models:
  - { id: "${MODEL_ID}", provider: local, model: "llama3.1:8b" }
  - { id: keepalive.model, provider: keepalive, model: "llama3.1:8b" }
  - { id: dead.model, provider: dead, model: "llama3.1:8b" }
`,
    wire: {
      text: (reply, stream) => (stream ? { sse: chatStream({ text: reply.split(/(?<= )/) }) } : { json: completion({ content: reply }) }),
      tool(input, stream) {
        const args = JSON.stringify(input);
        return stream
          ? { sse: chatStream({ toolCalls: [{ id: "call_1", name: "get_weather", argumentPieces: [args.slice(0, 5), args.slice(5)] }] }) }
          : { json: completion({ toolCalls: [{ id: "call_1", name: "get_weather", arguments: args }] }) };
      },
      throttle: { status: 429, json: errorBody("Rate limit reached for requests", "requests", "rate_limit_exceeded") },
      startOfText: (text) => [{ data: chunk({ role: "assistant", content: text }) }],
    },
  }),
});
