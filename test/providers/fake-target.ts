// A contract target for a provider whose upstream is one of the fakes (test/fakes/): the same scripting for
// every wire format, which only says how a text answer, a tool call, a rate limit and the start of a
// streamed text look on its wire. The config names three models: the target's own (timeoutMs 1500),
// keepalive.model on a provider of its own, and dead.model on a provider nobody listens for.
import type { FakeUpstream, Reply, SseStep } from "../fakes/fake-upstream.js";
import { startInProcess } from "../helpers/in-process.js";
import type { Arranged, ContractTarget } from "./contract.js";
import { closedPort } from "./target-helpers.js";

export interface FakeWire {
  text(reply: string, stream: boolean): Reply;
  tool(input: Record<string, unknown>, stream: boolean): Reply;
  throttle: Reply;
  /** A stream's opening up to its first text delta, `text`. */
  startOfText(text: string): SseStep[];
}

export interface FakeTargetOptions {
  upstream: FakeUpstream;
  wire: FakeWire;
  modelId: string;
  /** basalt.yaml for the three models, given the upstream's base URL and a port nobody listens on. */
  config(baseUrl: string, deadPort: number): string;
}

export async function startFakeTarget({ upstream, wire, modelId, config }: FakeTargetOptions): Promise<ContractTarget> {
  const basalt = await startInProcess({ config: config(upstream.baseUrl, await closedPort()) });
  const never = new Promise(() => {});
  /** Queues the reply for the call about to be made; nextRequest() then returns that call's request. */
  const arrange = (reply: Reply): Arranged => {
    upstream.skipReceived();
    upstream.enqueue(reply);
    return { say: "Go" };
  };
  return {
    url: basalt.url,
    modelId,
    text: (reply, stream) => arrange(wire.text(reply, stream)),
    tool: (input, stream) => arrange(wire.tool(input, stream)),
    throttle: () => arrange(wire.throttle),
    breakAfterFirstDelta: () => ({ ...arrange({ sse: [...wire.startOfText("Hel"), { delay: 30 }, { destroy: true }] }), delta: "Hel" }),
    hang: () => arrange({ hang: true }),
    refuse: () => ({ say: "Go", modelId: "dead.model" }),
    closeBeforeAnswer: () => arrange({ destroy: true }),
    endWithoutStop: () => arrange({ sse: wire.startOfText("Hel") }),
    stallAfterFirstDelta: () => ({ ...arrange({ sse: [...wire.startOfText("Hel"), { wait: never }] }), delta: "Hel" }),
    nextRequest: () => upstream.nextRequest(),
    keepAlive: () => ({ modelId: "keepalive.model", arrange: (reply, stream) => void arrange(wire.text(reply, stream)) }),
    async close() {
      await basalt.stop();
      await upstream.close();
    },
  };
}
