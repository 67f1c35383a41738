// The provider contract for `openai`, through a fake Chat Completions server speaking the real wire format.
import { startInProcess } from "../helpers/in-process.js";
import { chatStream, chunk, completion, errorBody, startOpenAIUpstream } from "../fakes/openai-upstream.js";
import { providerContract, type Arranged } from "./contract.js";
import { closedPort } from "./target-helpers.js";

const MODEL_ID = "meta.llama3-8b-instruct-v1:0";

providerContract({
  name: "openai",
  async start() {
    const upstream = await startOpenAIUpstream();
    const dead = await closedPort();
    const basalt = await startInProcess({
      config: `
providers:
  local:     { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: sk-contract, timeoutMs: 1500 }
  keepalive: { type: openai, baseUrl: "${upstream.baseUrl}", apiKey: sk-contract }
  dead:      { type: openai, baseUrl: "http://127.0.0.1:${dead}/v1" }
models:
  - { id: "${MODEL_ID}", provider: local, model: "llama3.1:8b" }
  - { id: keepalive.model, provider: keepalive, model: "llama3.1:8b" }
  - { id: dead.model, provider: dead, model: "llama3.1:8b" }
`,
    });
    const go = (): Arranged => {
      upstream.skipReceived();
      return { say: "Go" };
    };
    const started = (text: string) => [{ data: chunk({ role: "assistant", content: text }) }];
    const never = new Promise(() => {});
    return {
      url: basalt.url,
      modelId: MODEL_ID,
      text(reply, stream) {
        upstream.enqueue(stream ? { sse: chatStream({ text: reply.split(/(?<= )/), usage: { prompt: 12, completion: 5 } }) } : { json: completion({ content: reply }) });
        return go();
      },
      tool(input, stream) {
        const args = JSON.stringify(input);
        upstream.enqueue(stream
          ? { sse: chatStream({ toolCalls: [{ id: "call_1", name: "get_weather", argumentPieces: [args.slice(0, 5), args.slice(5)] }] }) }
          : { json: completion({ toolCalls: [{ id: "call_1", name: "get_weather", arguments: args }] }) });
        return go();
      },
      throttle() {
        upstream.enqueue({ status: 429, json: errorBody("Rate limit reached for requests", "requests", "rate_limit_exceeded") });
        return go();
      },
      breakAfterFirstDelta() {
        upstream.enqueue({ sse: [...started("Hel"), { delay: 30 }, { destroy: true }] });
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
        upstream.enqueue({ sse: started("Hel") });
        return go();
      },
      stallAfterFirstDelta() {
        upstream.enqueue({ sse: [...started("Hel"), { wait: never }] });
        return { ...go(), delta: "Hel" };
      },
      nextRequest: () => upstream.nextRequest(),
      keepAlive: () => ({
        modelId: "keepalive.model",
        arrange: (reply, stream) => {
          upstream.skipReceived();
          upstream.enqueue(stream ? { sse: chatStream({ text: [reply] }) } : { json: completion({ content: reply }) });
        },
      }),
      async close() {
        await basalt.stop();
        await upstream.close();
      },
    };
  },
});
