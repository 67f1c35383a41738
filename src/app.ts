// Wires config → models → front door → transport. Used by the CLI, the tests' helpers and the benchmarks.
import type { BasaltConfig } from "./config/schema.js";
import { ModelRegistry } from "./core/model-registry.js";
import { createBedrockHandler } from "./api/bedrock/handle-request.js";
import { listen, type RunningServer } from "./server/listen.js";
import type { Request, Response } from "./api/bedrock/http-types.js";

export const DEFAULT_PORT = 4599;
export const DEFAULT_HOST = "127.0.0.1";
// Bedrock's InvokeModel body limit is 25,000,000 bytes; leave room for JSON framing around it.
export const DEFAULT_MAX_BODY_BYTES = 26 * 1024 * 1024;
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export interface Basalt {
  readonly server: RunningServer;
  readonly registry: ModelRegistry;
  readonly url: string;
  /** Graceful stop: streams end with an exception event, other requests finish. */
  stop(): Promise<void>;
}

export async function startBasalt(config: BasaltConfig): Promise<Basalt> {
  const registry = new ModelRegistry(config);
  const shutdown = new AbortController();
  const s = config.server;
  const handler = createBedrockHandler({
    registry,
    maxBodyBytes: s.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    shutdownSignal: shutdown.signal,
  });
  const server = await listen({
    port: s.port ?? DEFAULT_PORT,
    host: s.host ?? DEFAULT_HOST,
    handler: (req, res) => void handler(req as Request, res as Response),
    tls: s.tlsCert && s.tlsKey ? { certFile: s.tlsCert, keyFile: s.tlsKey } : undefined,
  });
  const host = server.host.includes(":") ? `[${server.host}]` : server.host;
  return {
    server,
    registry,
    url: `${server.protocol}://${host}:${server.port}`,
    async stop() {
      shutdown.abort();
      await server.close(s.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
      await registry.close();
    },
  };
}
