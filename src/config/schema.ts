// The one schema of basalt.yaml. Unknown keys are errors (strict objects), so typos fail loudly.
import { z } from "zod";
import { cassetteConfigSchema } from "./cassette-config.js";
import { scriptsConfigSchema } from "./script-schema.js";
import { authConfigSchema, limitsSchema } from "../auth/auth-config.js";
import { cacheConfigSchema } from "./cache-config.js";
import { eitherModelForm } from "./routing-config.js";
import { guardrailJudgeConfigSchema, guardrailsConfigSchema } from "../guardrails/guardrail-config.js";
import { jobsConfigSchema } from "../jobs/jobs-config.js";
import { historySchema, ledgerSchema, metricsSchema, priceSchema } from "../observe/observe-config.js";
import { dataDirSchema, storageSchema } from "../storage/storage-config.js";
import { MODEL_FAMILIES, type ModelInfo } from "../core/model-info.js";
import type {
  AnthropicProviderOptions, BedrockProviderOptions, EchoProviderOptions, OpenAIProviderOptions,
} from "../core/provider-options.js";

const timeoutMs = z.number().int().positive();

export const echoProviderSchema = z.object({ type: z.literal("echo"), cassettes: cassetteConfigSchema.optional() }).strict();

export const openaiProviderSchema = z
  .object({
    type: z.literal("openai"),
    /** Base URL of a Chat Completions-compatible API, including its `/v1` if it has one. */
    baseUrl: z.string().url(),
    apiKey: z.string().optional(),
    /** Extra headers sent upstream (e.g. OpenAI-Organization). */
    headers: z.record(z.string()).optional(),
    timeoutMs: timeoutMs.optional(),
    /** The upstream must begin its answer within this (default 30 s; a non-streamed answer: all of it). */
    firstByteTimeoutMs: timeoutMs.optional(),
    /** Record / replay this provider's answers (test doubles). */
    cassettes: cassetteConfigSchema.optional(),
  })
  .strict();

export const anthropicProviderSchema = z
  .object({
    type: z.literal("anthropic"),
    baseUrl: z.string().url().default("https://api.anthropic.com"),
    apiKey: z.string().optional(),
    /** anthropic-version header. */
    version: z.string().default("2023-06-01"),
    headers: z.record(z.string()).optional(),
    timeoutMs: timeoutMs.optional(),
    /** The upstream must begin its answer within this (default 30 s; a non-streamed answer: all of it). */
    firstByteTimeoutMs: timeoutMs.optional(),
    /** Record / replay this provider's answers (test doubles). */
    cassettes: cassetteConfigSchema.optional(),
  })
  .strict();

export const bedrockProviderSchema = z
  .object({
    type: z.literal("bedrock"),
    region: z.string().min(1),
    /** A Bedrock-compatible endpoint; defaults to https://bedrock-runtime.{region}.amazonaws.com. */
    endpoint: z.string().url().optional(),
    /** A profile of the shared credentials/config files; else the default AWS credential chain. */
    profile: z.string().optional(),
    timeoutMs: timeoutMs.optional(),
    /** The upstream must begin its answer within this (default 30 s; a non-streamed answer: all of it). */
    firstByteTimeoutMs: timeoutMs.optional(),
    /** Record / replay this provider's answers (test doubles). */
    cassettes: cassetteConfigSchema.optional(),
  })
  .strict();

export const providerSchema = z.discriminatedUnion("type", [
  echoProviderSchema,
  openaiProviderSchema,
  anthropicProviderSchema,
  bedrockProviderSchema,
]);

/** The native InvokeModel body a model speaks, when its id prefix does not say. */
export const familySchema = z.enum(MODEL_FAMILIES);

const modalitySchema = z.enum(["TEXT", "IMAGE", "EMBEDDING"]);

/** Overrides of a model's ListFoundationModels / GetFoundationModel entry. */
export const catalogSchema = z
  .object({
    modelName: z.string().min(1).max(20),
    providerName: z.string().min(1).max(20),
    inputModalities: z.array(modalitySchema),
    outputModalities: z.array(modalitySchema),
    responseStreamingSupported: z.boolean(),
    inferenceTypesSupported: z.array(z.enum(["ON_DEMAND", "PROVISIONED"])),
    lifecycleStatus: z.enum(["ACTIVE", "LEGACY"]),
  })
  .partial()
  .strict();

export const modelSchema = z
  .object({
    /** The modelId clients send: a plain id, an inference-profile id, or an ARN. */
    id: z.string().min(1).max(2048),
    /** A provider name from `providers`, or the built-in `echo`. */
    provider: z.string().min(1),
    /** The upstream's own model name; defaults to `id`. */
    model: z.string().min(1).optional(),
    family: familySchema.optional(),
    /** What the control plane's catalogue says of this model (src/api/control-plane/catalog/); defaults follow the id's family. */
    catalog: catalogSchema.optional(),
    /** Record / replay this model's answers; overrides the provider's. */
    cassettes: cassetteConfigSchema.optional(),
    /** Requests/tokens per minute for this model, all callers together (auth/auth-config.ts). */
    limits: limitsSchema.optional(),
    /** USD per million tokens, for the ledger's cost (src/observe/observe-config.ts). */
    price: priceSchema.optional(),
    /**
     * The guardrail every call to this model gets when it brings none of its own — through every front door
     * (OpenAI and Anthropic requests have no place for one). Bedrock's own GuardrailStreamConfiguration members.
     */
    guardrailConfig: z
      .object({
        guardrailIdentifier: z.string().min(1).max(2048),
        guardrailVersion: z.string().regex(/^(([1-9][0-9]{0,7})|(DRAFT))$/, "a version number or DRAFT"),
        trace: z.enum(["enabled", "disabled", "enabled_full"]).optional(),
        streamProcessingMode: z.enum(["sync", "async"]).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const serverSchema = z
  .object({
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().min(1).optional(),
    /** Largest request body accepted, in bytes (Bedrock's InvokeModel limit is 25,000,000). */
    maxBodyBytes: z.number().int().positive().optional(),
    /** How long in-flight requests may take to finish on SIGTERM/SIGINT before connections are cut. */
    shutdownGraceMs: z.number().int().nonnegative().optional(),
    /**
     * On SIGTERM/SIGINT, keep serving this long with /_basalt/ready answering 503 before stopping, so a load
     * balancer that polls readiness stops sending new requests first (default 0).
     */
    drainMs: z.number().int().nonnegative().optional(),
    /** A request's head must be complete this long after it starts (default 10 s; docs/hardening.md). */
    headersTimeoutMs: timeoutMs.optional(),
    /** A connection or HTTP/2 session with no request in flight closes after this long (default 60 s). */
    idleTimeoutMs: timeoutMs.optional(),
    /** A request body that sends nothing for this long is answered 408 RequestTimeoutException (default 30 s). */
    bodyTimeoutMs: timeoutMs.optional(),
    /**
     * Host names (optionally `name:port`) requests may be addressed to besides loopback ones. Bound to
     * loopback, or with this set, any other Host is refused (DNS rebinding; docs/hardening.md).
     */
    allowedHosts: z.array(z.string().min(1)).optional(),
    /** InvokeModelWithBidirectionalStream sessions (docs/bidirectional-stream.md): total and idle limits. */
    bidirectionalStream: z.object({
      maxSessionMs: timeoutMs.optional(),
      idleTimeoutMs: timeoutMs.optional(),
      /** A user text turn sent mid-answer interrupts it (Nova's barge-in) instead of waiting; default false. */
      bargeIn: z.boolean().optional(),
    }).strict().optional(),
    /**
     * Once the process goes quiet after work, run one garbage collection so V8 gives back the memory the
     * busy spell grew (src/server/idle-memory-trim.ts; default true). Only `basalt` the command does this.
     */
    trimMemoryWhenIdle: z.boolean().optional(),
    tlsCert: z.string().optional(),
    tlsKey: z.string().optional(),
    /** Where the embedded stores live: `<dataDir>/basalt.db` (SQLite) and `<dataDir>/s3/` (blobs). */
    dataDir: dataDirSchema.optional(),
    // Observability (src/observe/observe-config.ts): call history, ledger, metrics.
    history: historySchema.optional(),
    ledger: ledgerSchema.optional(),
    metrics: metricsSchema.optional(),
  })
  .strict();

export const configSchema = z
  .object({
    server: serverSchema.default({}),
    providers: z.record(providerSchema).default({}),
    /** One-target entries, or `targets` entries (parsed into the one-target shape plus `routing`). */
    models: z.array(eitherModelForm(modelSchema)).optional(),
    /** Test-double scripts, oldest first (POST /_basalt/scripts adds more at run time). */
    scripts: scriptsConfigSchema.optional(),
    /** Keys, their models and limits, the admin key; without it Basalt is open (auth/auth-config.ts). */
    auth: authConfigSchema.optional(),
    /** Guardrails defined in the config file, served read-only beside those made through the API (guardrails/guardrail-config.ts). */
    guardrails: guardrailsConfigSchema.optional(),
    /** A served model that classifies for guardrail topic, content and grounding policies. */
    guardrailJudge: guardrailJudgeConfigSchema.optional(),
    /** The exact-match response cache; absent = off (gateway/policies/cache/cache-config.ts). */
    cache: cacheConfigSchema.optional(),
    /** Shared stores: `redis` (quota counters and response cache for every node), `postgres`, `s3` (storage/storage-config.ts). */
    storage: storageSchema.optional(),
    /** Async invocations and batch jobs (jobs/jobs-config.ts). */
    jobs: jobsConfigSchema.default({}),
  })
  .strict();

export type BasaltConfig = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type OpenAIProviderConfig = z.infer<typeof openaiProviderSchema>;
export type AnthropicProviderConfig = z.infer<typeof anthropicProviderSchema>;
export type BedrockProviderConfig = z.infer<typeof bedrockProviderSchema>;
export type ModelFamily = z.infer<typeof familySchema>;

// The core's types are what the rest of the code sees; the registry hands config entries on as them. Each
// entry must carry every field of its core type with the same type (it may carry more: policy settings such
// as `cassettes`). These lines stop the build if the schema and the core's types drift apart.
type Covers<Config, Core> = [Config] extends [Core] ? ([Exclude<keyof Core, keyof Config>] extends [never] ? true : false) : false;
export const schemaCoversCoreTypes: [
  Covers<ModelConfig, ModelInfo>,
  Covers<z.infer<typeof echoProviderSchema>, EchoProviderOptions>,
  Covers<OpenAIProviderConfig, OpenAIProviderOptions>,
  Covers<AnthropicProviderConfig, AnthropicProviderOptions>,
  Covers<BedrockProviderConfig, BedrockProviderOptions>,
] = [true, true, true, true, true];
