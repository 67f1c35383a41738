// The composition root: config → models (wrapped by the gateway policies) → front doors → one dispatch
// table → transport. Used by the CLI, the tests' helpers and the benchmarks. A later front door, operation
// or admin route is one line here (see the README's design section).
import { join, resolve } from "node:path";
import type { BasaltConfig } from "./config/schema.js";
import { DEFAULT_MODELS, ModelRegistry } from "./gateway/model-registry.js";
import { createAdminDoor, type AdminDoor } from "./api/admin/admin-door.js";
import { createRuntimeDoor, type RuntimeDoor } from "./api/bedrock/runtime-door.js";
import { createControlPlaneDoor, type ControlPlaneDoor } from "./api/control-plane/control-plane-door.js";
import { registerScriptRoutes } from "./api/admin/script-routes.js";
import { ScriptStore } from "./gateway/policies/scripts/script-store.js";
import type { CallObserver } from "./observe/call-observer.js";
import { CallNotifier } from "./observe/call-notifier.js";
import { createObserveStack, type ObserveStack } from "./observe/observe-stack.js";
import { observeSettings } from "./observe/observe-config.js";
import { observeAdminRoutes } from "./api/admin/observe-routes.js";
import { requestUrl } from "./api/admin/admin-route.js";
import { openEventStreams, SHUTTING_DOWN } from "./api/bedrock/write-event-stream.js";
import type { SqlDatabase } from "./storage/sql-database.js";
import { log } from "./log.js";
import { createAuthenticator } from "./auth/authenticate.js";
import { openAccessWarning } from "./auth/open-access-warning.js";
import { MemoryKeyValueStore } from "./storage/memory-key-value-store.js";
import { openCounterStore } from "./gateway/open-counter-store.js";
import { addHealthRoutes, type Lifecycle } from "./api/admin/health-routes.js";
import { ProviderProbe } from "./api/admin/provider-probe.js";
import { probeTargets } from "./startup/probe-targets.js";
import { createDispatcher, type Dispatcher } from "./server/dispatch.js";
import { createBrowserGate } from "./server/browser-gate.js";
import { openGuardrails } from "./guardrails/open-guardrails.js";
import { createAnthropicDoor } from "./api/anthropic/anthropic-door.js";
import { createOpenAIDoor } from "./api/openai/openai-door.js";
import { emptyInventoryOperations } from "./api/control-plane/catalog/empty-inventories.js";
import { catalogOperations } from "./api/control-plane/catalog/catalog-operations.js";
import { guardrailOperations } from "./api/control-plane/guardrails/guardrail-operations.js";
import { applyGuardrail } from "./api/bedrock/operations/apply-guardrail.js";
import { invokeGuardrailChecks } from "./api/bedrock/operations/invoke-guardrail-checks.js";
import { invokeModelWithBidirectionalStream } from "./api/bedrock/bidirectional/invoke-bidirectional-stream.js";
import { bedrockRelayTargets } from "./api/bedrock/bidirectional/relay/relay-targets.js";
import { DEFAULT_CONNECTION_TIMEOUTS, listen, type RunningServer } from "./server/listen.js";
import { openStores } from "./storage/open-stores.js";
import { createJobs } from "./jobs/index.js";
import { checkNativeBody, invokeThroughCatalog } from "./jobs/invoke-through-catalog.js";
import { plugAsyncInvokes } from "./api/bedrock/operations/async-invoke-operations.js";
import { plugBatchJobs } from "./api/control-plane/jobs/batch-job-handlers.js";
import type { Request, Response } from "./server/http-types.js";

import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SHUTDOWN_GRACE_MS, VERSION } from "./startup/defaults.js";

export { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SHUTDOWN_GRACE_MS, VERSION };
// Bedrock's InvokeModel body limit is 25,000,000 bytes; leave room for JSON framing around it.
export const DEFAULT_MAX_BODY_BYTES = 26 * 1024 * 1024;
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

/** The front doors, for plugging in operations, admin routes and doors (app.ts does; so may an embedder). */
export interface Doors {
  readonly runtime: RuntimeDoor;
  readonly controlPlane: ControlPlaneDoor;
  readonly admin: AdminDoor;
  /** Plugs a front door into the dispatch table by name, e.g. `plug("openai", door)`. */
  readonly plug: Dispatcher["plug"];
}

export interface Basalt {
  readonly server: RunningServer;
  readonly registry: ModelRegistry;
  readonly doors: Doors;
  /** Ledger, call history, metrics and traces. */
  readonly observe: ObserveStack;
  /** The SQL database (ledger, jobs): SQLite in dataDir, or storage.postgres. */
  readonly sql: SqlDatabase;
  readonly url: string;
  /** Graceful stop: streams end with an exception event, other requests finish. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Sinks for finished call records, each called once per request after its response has closed. */
  observers?: readonly CallObserver[];
  /**
   * The monotonic clock (milliseconds) embedded quota windows read; performance.now by default. Lets a test
   * see a window slide without waiting the minute.
   */
  clock?: () => number;
}

export async function startBasalt(config: BasaltConfig, opts: StartOptions = {}): Promise<Basalt> {
  const scripts = new ScriptStore(config.scripts ?? []);
  const counters = await openCounterStore({ redis: config.storage?.redis, log, clock: opts.clock });
  // Response cache entries: on Redis beside the counters (shared by every node), else an LRU of cache.maxEntries.
  const cacheStore = config.storage?.redis ? counters.store : new MemoryKeyValueStore({ maxEntries: config.cache?.maxEntries });
  const s = config.server;
  const settings = observeSettings(config, DEFAULT_HOST);
  const stores = await openStores({ dataDir: settings.options.dataDir, postgres: config.storage?.postgres, s3: config.storage?.s3, log });
  // The judge model is looked up when asked (the registry's models are wrapped by these guardrails).
  const guardrails = await openGuardrails({ config, db: stores.sql, catalog: () => registry, warn: (f, m) => log.warn(f, m) });
  const registry = new ModelRegistry(config, {
    config,
    scripts,
    guardrails,
    counters: counters.store,
    kv: cacheStore,
    onCounterError: (err) => log.warn({ err: err instanceof Error ? err.message : String(err) }, "quota counters failed; the call went through uncounted"),
  });
  const observe = await createObserveStack({
    ...settings,
    logger: log,
    db: settings.options.ledger.enabled ? stores.sql : undefined,
    ledgerWrites: stores.backgroundSql,
    ledgerJournalDir: join(resolve(settings.options.dataDir), "ledger-journal"),
    openStreams: () => openEventStreams.count,
  }).catch(async (err: unknown) => {
    await stores.close();
    throw err;
  });
  const extraObservers = opts.observers ?? [];
  const observers = [observe.observer, ...extraObservers];
  const shutdown = new AbortController();
  // Observers see finished calls in one batch per event-loop turn (observe/call-notifier.ts).
  const notifier = new CallNotifier(observers, (observer, record, err) => {
    log.warn({ observer: observer.name, requestId: record.requestId, err: (err as Error).message }, "observer failed");
  });
  const onEnd = notifier.notify;

  const dispatcher = createDispatcher({
    maxBodyBytes: s.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    bodyTimeoutMs: s.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    shutdown: shutdown.signal,
    onEnd,
    keepBodies: settings.options.history.bodies,
    authenticator: createAuthenticator(config.auth),
    browserGate: createBrowserGate({ boundHost: s.host ?? DEFAULT_HOST, allowedHosts: s.allowedHosts }),
  });
  const runtime = createRuntimeDoor({ catalog: registry });
  const controlPlane = createControlPlaneDoor();
  const admin = createAdminDoor();
  dispatcher.plug("runtime", runtime);
  dispatcher.plug("controlPlane", controlPlane);
  dispatcher.plug("admin", admin);
  dispatcher.plug("anthropic", createAnthropicDoor({ catalog: registry }));
  dispatcher.plug("openai", createOpenAIDoor({ catalog: registry }));
  // /_basalt/ready: 503 until started and the upstreams were checked once, and again from the moment stop() is called.
  let lifecycle: Lifecycle = "starting";
  const probe = new ProviderProbe(probeTargets(config));
  addHealthRoutes(admin, { counters: counters.state, lifecycle: () => lifecycle, providers: () => probe.report(), version: VERSION });
  registerScriptRoutes(admin, scripts);
  for (const route of observeAdminRoutes({ stack: observe, listModels: () => servedModels(registry, settings.providerTypes), version: VERSION })) {
    admin.route(route.method, route.path, (call) => route.handle(call, requestUrl(call)));
  }
  // Async invocations and batch jobs: their model calls take InvokeModel's path, policies included.
  const jobs = await createJobs({
    db: stores.sql, blobs: stores.blobs, config: config.jobs, invoke: invokeThroughCatalog({ catalog: registry, onEnd }),
    knowsModel: (id) => registry.resolve(id) !== undefined, checkModelInput: checkNativeBody(registry),
  });
  plugAsyncInvokes(runtime, jobs.asyncInvokes);
  plugBatchJobs(controlPlane, jobs.batchJobs);
  for (const [name, handler] of catalogOperations(config.models ?? DEFAULT_MODELS)) controlPlane.handle(name, handler);
  for (const [name, handler] of emptyInventoryOperations()) controlPlane.handle(name, handler);
  for (const [name, handler] of guardrailOperations(guardrails.store)) controlPlane.handle(name, handler);
  runtime.handle("ApplyGuardrail", applyGuardrail(guardrails));
  runtime.handle("InvokeGuardrailChecks", invokeGuardrailChecks(guardrails));
  runtime.handle("InvokeModelWithBidirectionalStream", invokeModelWithBidirectionalStream({
    catalog: registry, echoesAudio: (info) => (settings.providerTypes.get(info.provider) ?? info.provider) === "echo", limits: s.bidirectionalStream, bargeIn: s.bidirectionalStream?.bargeIn,
    relayTargetOf: bedrockRelayTargets(config.providers),
  }));
  // Later issues plug in here, one line each, e.g.:
  //   controlPlane.handle("ListFoundationModels", listFoundationModels(registry));
  //   admin.route("GET", "/_basalt/calls/{requestId}", callHistory);
  //   dispatcher.plug("openai", createOpenAIDoor({ catalog: registry }));

  const server = await listen({
    port: s.port ?? DEFAULT_PORT,
    host: s.host ?? DEFAULT_HOST,
    handler: (req, res) => dispatcher.handle(req as Request, res as Response),
    tls: s.tlsCert && s.tlsKey ? { certFile: s.tlsCert, keyFile: s.tlsKey } : undefined,
    timeouts: {
      headersMs: s.headersTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUTS.headersMs,
      idleMs: s.idleTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUTS.idleMs,
    },
  });
  const openWarning = openAccessWarning({ authConfigured: config.auth !== undefined, host: server.host });
  if (openWarning) log.warn({ host: server.host }, openWarning);
  jobs.start();
  lifecycle = "ready";
  const host = server.host.includes(":") ? `[${server.host}]` : server.host;
  return {
    server,
    registry,
    doors: { runtime, controlPlane, admin, plug: dispatcher.plug },
    observe,
    sql: stores.sql,
    url: `${server.protocol}://${host}:${server.port}`,
    async stop() {
      // Draining: still serving, but readiness says 503 so a load balancer stops sending new requests.
      if (s.drainMs) {
        lifecycle = "draining";
        await new Promise((resolve) => setTimeout(resolve, s.drainMs));
      }
      lifecycle = "shutting-down";
      probe.close();
      shutdown.abort();
      const grace = s.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
      // What still runs when the grace ends is answered ServiceUnavailableException, not cut.
      await Promise.all([server.close(grace, () => dispatcher.answerRemaining(SHUTTING_DOWN)), jobs.stop(grace)]);
      await registry.close();
      await counters.store.close();
      if (cacheStore !== counters.store) await cacheStore.close();
      // The last calls reach the observers, and the ledger's last batch is written before its database closes.
      notifier.flush();
      await Promise.allSettled(extraObservers.map((o) => o.close?.()));
      await observe.close();
      await stores.close();
    },
  };
}

/** The served models with their providers, for the console. */
function servedModels(registry: ModelRegistry, providerTypes: ReadonlyMap<string, string>) {
  return registry.ids.map((id) => {
    const info = registry.resolve(id)!.info;
    return { id, provider: info.provider, providerType: providerTypes.get(info.provider) ?? "unknown", upstreamModel: info.model ?? id };
  });
}
