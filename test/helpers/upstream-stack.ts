// Basalt in front of one fake upstream, with the SDK clients pointed at it: what every provider's tests
// start from. In-process by default; `spawn: true` runs the real CLI, for tests that read its logs.
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import type { FakeUpstream } from "../fakes/fake-upstream.js";
import { h1Client, h2Client } from "./clients.js";
import { startInProcess, type InProcessBasalt } from "./in-process.js";
import { startBasalt, writeConfig, type RunningBasalt } from "./start-basalt.js";

export interface Stack<B extends InProcessBasalt | RunningBasalt = InProcessBasalt> {
  upstream: FakeUpstream;
  basalt: B;
  client: BedrockRuntimeClient;
  h1: BedrockRuntimeClient;
  close(): Promise<void>;
}

export interface UpstreamStackOptions {
  /** basalt.yaml text. */
  config: string;
  /** Variables for `${VAR}` in the config. */
  env?: NodeJS.ProcessEnv;
}

export function startUpstreamStack(upstream: FakeUpstream, opts: UpstreamStackOptions & { spawn: true }): Promise<Stack<RunningBasalt>>;
export function startUpstreamStack(upstream: FakeUpstream, opts: UpstreamStackOptions & { spawn?: false }): Promise<Stack>;
export async function startUpstreamStack(
  upstream: FakeUpstream,
  opts: UpstreamStackOptions & { spawn?: boolean },
): Promise<Stack<InProcessBasalt | RunningBasalt>> {
  const basalt = opts.spawn
    ? await startBasalt({ config: writeConfig(opts.config), env: opts.env })
    : await startInProcess({ config: opts.config, env: opts.env });
  const client = h2Client(basalt.url);
  const h1 = h1Client(basalt.url);
  return {
    upstream, basalt, client, h1,
    async close() {
      client.destroy();
      h1.destroy();
      await basalt.stop();
      await upstream.close();
    },
  };
}

/** A provider's `startStack`: a fresh fake upstream, and Basalt configured by `config(upstream's baseUrl)`. */
export interface StackStarter {
  (opts: { spawn: true }): Promise<Stack<RunningBasalt>>;
  (opts?: { spawn?: false }): Promise<Stack>;
}

export function stackStarter(startUpstream: () => Promise<FakeUpstream>, config: (baseUrl: string) => string, env?: NodeJS.ProcessEnv): StackStarter {
  async function start(opts: { spawn?: boolean } = {}): Promise<Stack<InProcessBasalt | RunningBasalt>> {
    const upstream = await startUpstream();
    const options = { config: config(upstream.baseUrl), env };
    return opts.spawn ? startUpstreamStack(upstream, { ...options, spawn: true }) : startUpstreamStack(upstream, options);
  }
  return start as StackStarter;
}
