// The provider contract for `anthropic`, through a fake Messages API speaking the real wire format.
import {
  blockStart, errorBody, message, messageStart, messageStream, startAnthropicUpstream, textBlock, textDelta, toolUseBlock,
} from "../fakes/anthropic-upstream.js";
import { providerContract } from "./contract.js";
import { startFakeTarget } from "./fake-target.js";

const MODEL_ID = "anthropic.claude-3-5-haiku-20241022-v1:0";

providerContract({
  name: "anthropic",
  start: async () => startFakeTarget({
    upstream: await startAnthropicUpstream(),
    modelId: MODEL_ID,
    config: (baseUrl, dead) => `
providers:
  claude:    { type: anthropic, baseUrl: "${baseUrl}", apiKey: sk-ant-contract, timeoutMs: 1500 }
  keepalive: { type: anthropic, baseUrl: "${baseUrl}", apiKey: sk-ant-contract }
  dead:      { type: anthropic, baseUrl: "http://127.0.0.1:${dead}", apiKey: unused }
models:
  - { id: "${MODEL_ID}", provider: claude, model: "claude-3-5-haiku-20241022" }
  - { id: keepalive.model, provider: keepalive, model: "claude-3-5-haiku-20241022" }
  - { id: dead.model, provider: dead, model: "claude-3-haiku-20240307" }
`,
    wire: {
      text: (reply, stream) => (stream ? { sse: messageStream({ text: reply.split(/(?<= )/) }) } : { json: message({ content: [textBlock(reply)] }) }),
      tool(input, stream) {
        const args = JSON.stringify(input);
        return stream
          ? { sse: messageStream({ tools: [{ id: "toolu_1", name: "get_weather", pieces: [args.slice(0, 5), args.slice(5)] }] }) }
          : { json: message({ content: [toolUseBlock("toolu_1", "get_weather", input)] }) };
      },
      throttle: { status: 429, json: errorBody("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit") },
      startOfText: (text) => [messageStart(), blockStart(0, { type: "text", text: "" }), textDelta(0, text)],
    },
  }),
});
