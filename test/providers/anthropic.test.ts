// The provider contract for `anthropic`, through a fake Messages API speaking the real wire format.
import { startInProcess } from "../helpers/in-process.js";
import {
  blockStart, errorBody, message, messageStart, messageStream, startAnthropicUpstream, textBlock, textDelta, toolUseBlock,
} from "../fakes/anthropic-upstream.js";
import { providerContract, type Arranged } from "./contract.js";
import { closedPort } from "./target-helpers.js";

const MODEL_ID = "anthropic.claude-3-5-haiku-20241022-v1:0";

providerContract({
  name: "anthropic",
  async start() {
    const upstream = await startAnthropicUpstream();
    const dead = await closedPort();
    const basalt = await startInProcess({
      config: `
providers:
  claude:    { type: anthropic, baseUrl: "${upstream.baseUrl}", apiKey: sk-ant-contract, timeoutMs: 1500 }
  keepalive: { type: anthropic, baseUrl: "${upstream.baseUrl}", apiKey: sk-ant-contract }
  dead:      { type: anthropic, baseUrl: "http://127.0.0.1:${dead}", apiKey: unused }
models:
  - { id: "${MODEL_ID}", provider: claude, model: "claude-3-5-haiku-20241022" }
  - { id: keepalive.model, provider: keepalive, model: "claude-3-5-haiku-20241022" }
  - { id: dead.model, provider: dead, model: "claude-3-haiku-20240307" }
`,
    });
    const go = (): Arranged => {
      upstream.skipReceived();
      return { say: "Go" };
    };
    const startOfText = (text: string) => [messageStart(), blockStart(0, { type: "text", text: "" }), textDelta(0, text)];
    const never = new Promise(() => {});
    return {
      url: basalt.url,
      modelId: MODEL_ID,
      text(reply, stream) {
        upstream.enqueue(stream ? { sse: messageStream({ text: reply.split(/(?<= )/) }) } : { json: message({ content: [textBlock(reply)] }) });
        return go();
      },
      tool(input, stream) {
        const args = JSON.stringify(input);
        upstream.enqueue(stream
          ? { sse: messageStream({ tools: [{ id: "toolu_1", name: "get_weather", pieces: [args.slice(0, 5), args.slice(5)] }] }) }
          : { json: message({ content: [toolUseBlock("toolu_1", "get_weather", input)] }) });
        return go();
      },
      throttle() {
        upstream.enqueue({ status: 429, json: errorBody("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit") });
        return go();
      },
      breakAfterFirstDelta() {
        upstream.enqueue({ sse: [...startOfText("Hel"), { delay: 30 }, { destroy: true }] });
        return { ...go(), delta: "Hel" };
      },
      hang() {
        upstream.enqueue({ hang: true });
        return go();
      },
      refuse: () => ({ say: "Go", modelId: "dead.model" }),
      closeBeforeAnswer() {
        upstream.enqueue({ destroy: true });
        return go();
      },
      endWithoutStop() {
        upstream.enqueue({ sse: startOfText("Hel") });
        return go();
      },
      stallAfterFirstDelta() {
        upstream.enqueue({ sse: [...startOfText("Hel"), { wait: never }] });
        return { ...go(), delta: "Hel" };
      },
      nextRequest: () => upstream.nextRequest(),
      keepAlive: () => ({
        modelId: "keepalive.model",
        arrange: (reply, stream) => {
          upstream.skipReceived();
          upstream.enqueue(stream ? { sse: messageStream({ text: [reply] }) } : { json: message({ content: [textBlock(reply)] }) });
        },
      }),
      async close() {
        await basalt.stop();
        await upstream.close();
      },
    };
  },
});
