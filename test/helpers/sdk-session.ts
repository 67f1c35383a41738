// An in-process Basalt and the JS SDK's default client (HTTP/2) for one case module (or suite): started in its
// `before`, stopped — cleanly, or the module fails — in its `after`. With the Converse calls the case modules make against it: an answer, or
// the refusal a test expects (its exception name, message and HTTP status).
import { after, before } from "node:test";
import assert from "node:assert/strict";
import {
  ConverseCommand, type BedrockRuntimeClient, type ConverseCommandInput, type ConverseCommandOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { h2Client } from "./clients.js";
import { startInProcess, type InProcessBasalt, type InProcessOptions } from "./in-process.js";

/** A Converse request without its model id (the session's calls take the id apart). */
export type ConverseRequest = Omit<ConverseCommandInput, "modelId">;

export interface Refusal {
  readonly name: string;
  readonly message: string;
  readonly status?: number;
}

export interface SdkSession {
  /** Set once the module's `before` has run. */
  readonly basalt: InProcessBasalt;
  readonly client: BedrockRuntimeClient;
  converse(input: ConverseRequest, modelId?: string): Promise<ConverseCommandOutput>;
  /** The exception a Converse is refused with; fails the test when it is answered. */
  refusal(input: ConverseRequest, modelId?: string): Promise<Refusal>;
}

/**
 * `options` may be a function, called in the `before` hook: for a config that names something an earlier hook
 * started (a fake upstream's URL).
 */
export function sdkSession(options: InProcessOptions | (() => InProcessOptions) = {}): SdkSession {
  let basalt: InProcessBasalt | undefined;
  let client: BedrockRuntimeClient | undefined;
  before(async () => {
    basalt = await startInProcess(typeof options === "function" ? options() : options);
    client = h2Client(basalt.url);
  });
  after(async () => {
    client?.destroy();
    // A stop that fails (a call left hanging, a store that will not close) fails the module.
    if (basalt) assert.equal(await basalt.stop(), 0, "Basalt did not stop cleanly");
  });
  const started = <T>(value: T | undefined): T => value ?? assert.fail("the session's Basalt has not started (used outside a test?)");
  const session: SdkSession = {
    get basalt() {
      return started(basalt);
    },
    get client() {
      return started(client);
    },
    converse: (input, modelId = "basalt.echo") =>
      session.client.send(new ConverseCommand({ modelId, ...input } as ConverseCommandInput)),
    async refusal(input, modelId) {
      const err = await session.converse(input, modelId).then(
        () => assert.fail("the request was accepted"),
        (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
      );
      return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
    },
  };
  return session;
}
