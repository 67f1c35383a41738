// The provider contract for the built-in echo model: every answer is arranged by the message itself
// (`/tool`, `/error`, `/error-after` directives; see the README's echo rules).
import assert from "node:assert/strict";
import { startInProcess } from "../helpers/in-process.js";
import { providerContract } from "./contract.js";

const REMOTE_ONLY = "echo has no upstream connection to lose, time out or reuse";

providerContract({
  name: "echo",
  skip: {
    hang: REMOTE_ONLY, refused: REMOTE_ONLY, "closed before answering": REMOTE_ONLY, "stream without stop": REMOTE_ONLY,
    "stream stalls": REMOTE_ONLY, "client leaves mid-stream": REMOTE_ONLY, "converse client leaves": REMOTE_ONLY, "keep-alive": REMOTE_ONLY,
  },
  async start() {
    const basalt = await startInProcess();
    return {
      url: basalt.url,
      modelId: "basalt.echo",
      text: (reply) => ({ say: reply }),
      tool: (input) => ({ say: `/tool get_weather ${JSON.stringify(input)}` }),
      throttle: () => ({ say: "/error ThrottlingException Too many requests, please wait before trying again." }),
      // Two events (messageStart, the first token) and then the failure.
      breakAfterFirstDelta: () => ({ say: "/error-after 2 ModelStreamErrorException cut", delta: "/error-after" }),
      hang: () => assert.fail(REMOTE_ONLY),
      refuse: () => assert.fail(REMOTE_ONLY),
      closeBeforeAnswer: () => assert.fail(REMOTE_ONLY),
      endWithoutStop: () => assert.fail(REMOTE_ONLY),
      stallAfterFirstDelta: () => assert.fail(REMOTE_ONLY),
      close: async () => void (await basalt.stop()),
    };
  },
});
