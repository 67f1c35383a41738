// A mix of calls through the official JS SDK (Converse, ConverseStream, InvokeModel, its stream, CountTokens,
// errors: a thrown exception, an unknown model, a stream that ends in an exception event), spread over the
// given Basalt nodes, and the totals a correct ledger must report for it — computed from what the SDK got
// back and the config's prices, never from the ledger itself.
import {
  ConverseCommand, ConverseStreamCommand, CountTokensCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand,
  type BedrockRuntimeClient,
} from "@aws-sdk/client-bedrock-runtime";
import { h2Client, h1Client } from "../helpers/clients.js";

export const MIX_CONFIG_MODELS = `models:
  - { id: basalt.echo, provider: echo, price: { inputPerMillion: 1000, outputPerMillion: 2000 } }
  - { id: test.cheap, provider: echo, family: echo, price: { inputPerMillion: 3, outputPerMillion: 15, cacheReadPerMillion: 0.3 } }
  - { id: test.unpriced, provider: echo }
`;
const PRICES: Record<string, { input: number; output: number } | undefined> = {
  "basalt.echo": { input: 1000, output: 2000 },
  "test.cheap": { input: 3, output: 15 },
  "test.unpriced": undefined,
};

export interface MadeCall {
  requestId: string;
  /** The auth key name the call was made with ("anonymous" without auth). */
  caller: string;
  operation: string;
  model: string;
  /** "ok" or the exception name. */
  status: string;
  inputTokens: number;
  outputTokens: number;
  /** What the client sent (JSON body). */
  request: unknown;
}

export interface ExpectedUsage {
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

type Step = Omit<MadeCall, "caller">;

const text = (t: string) => [{ role: "user" as const, content: [{ text: t }] }];

async function converse(c: BedrockRuntimeClient, model: string, prompt: string): Promise<Step> {
  const request = { messages: text(prompt) };
  try {
    const out = await c.send(new ConverseCommand({ modelId: model, ...request }));
    return { requestId: out.$metadata.requestId!, operation: "Converse", model, status: "ok", inputTokens: out.usage!.inputTokens!, outputTokens: out.usage!.outputTokens!, request };
  } catch (err) {
    const e = err as { name: string; $metadata: { requestId: string } };
    return { requestId: e.$metadata.requestId, operation: "Converse", model, status: e.name, inputTokens: 0, outputTokens: 0, request };
  }
}

async function converseStream(c: BedrockRuntimeClient, model: string, prompt: string): Promise<Step> {
  const request = { messages: text(prompt) };
  const out = await c.send(new ConverseStreamCommand({ modelId: model, ...request }));
  let inputTokens = 0;
  let outputTokens = 0;
  let status = "ok";
  try {
    for await (const event of out.stream!) {
      if (event.metadata) ({ inputTokens = 0, outputTokens = 0 } = event.metadata.usage ?? {});
    }
  } catch (err) {
    status = (err as Error).name;
  }
  return { requestId: out.$metadata.requestId!, operation: "ConverseStream", model, status, inputTokens, outputTokens, request };
}

async function invoke(c: BedrockRuntimeClient, model: string, inputText: string): Promise<Step> {
  const request = { inputText };
  const out = await c.send(new InvokeModelCommand({ modelId: model, body: JSON.stringify(request), contentType: "application/json" }));
  const body = JSON.parse(Buffer.from(out.body).toString()) as { usage: { inputTokens: number; outputTokens: number } };
  return { requestId: out.$metadata.requestId!, operation: "InvokeModel", model, status: "ok", inputTokens: body.usage.inputTokens, outputTokens: body.usage.outputTokens, request };
}

async function invokeStream(c: BedrockRuntimeClient, model: string, inputText: string): Promise<Step> {
  const request = { inputText };
  const out = await c.send(new InvokeModelWithResponseStreamCommand({ modelId: model, body: JSON.stringify(request), contentType: "application/json" }));
  let usage = { inputTokens: 0, outputTokens: 0 };
  for await (const event of out.body!) {
    const chunk = JSON.parse(Buffer.from(event.chunk!.bytes!).toString()) as { usage?: typeof usage };
    if (chunk.usage) usage = chunk.usage;
  }
  return { requestId: out.$metadata.requestId!, operation: "InvokeModelWithResponseStream", model, status: "ok", ...usage, request };
}

async function countTokens(c: BedrockRuntimeClient, model: string, prompt: string): Promise<Step> {
  const request = { input: { converse: { messages: text(prompt) } } };
  const out = await c.send(new CountTokensCommand({ modelId: model, ...request }));
  // CountTokens is free and its count is not usage: the ledger records the request with no tokens.
  return { requestId: out.$metadata.requestId!, operation: "CountTokens", model, status: "ok", inputTokens: 0, outputTokens: 0, request };
}

/** An auth key of the config (SigV4 credentials), or anonymous. */
export interface MixCaller {
  name: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Two SigV4 keys and the admin key, for `auth:` in a test config. */
export const MIX_AUTH = `auth:
  adminKey: "admin-key-0123456789abcdef"
  keys:
    - { name: alice, accessKeyId: AKIDALICE0001, secretAccessKey: alice-secret-key }
    - { name: bob, accessKeyId: AKIDBOB00001, secretAccessKey: bob-secret-key }
`;
export const MIX_ADMIN_KEY = "admin-key-0123456789abcdef";
export const MIX_CALLERS: MixCaller[] = [
  { name: "alice", credentials: { accessKeyId: "AKIDALICE0001", secretAccessKey: "alice-secret-key" } },
  { name: "bob", credentials: { accessKeyId: "AKIDBOB00001", secretAccessKey: "bob-secret-key" } },
  { name: "alice", credentials: { accessKeyId: "AKIDALICE0001", secretAccessKey: "alice-secret-key" } },
];

/**
 * Runs the mix one call at a time (so "newest first" has one right answer), alternating nodes and transports
 * (step i on node ⌊i/2⌋ mod n, HTTP/2 on even steps) and callers (step i as callers[i mod k]).
 */
export async function runMix(urls: readonly string[], callers: readonly MixCaller[] = [{ name: "anonymous" }]): Promise<MadeCall[]> {
  const clients = urls.flatMap((u) => callers.map((c) => [h2Client(u, c.credentials ? { credentials: c.credentials } : {}), h1Client(u, c.credentials ? { credentials: c.credentials } : {})] as const));
  const at = (i: number) => clients[(Math.floor(i / 2) % urls.length) * callers.length + (i % callers.length)][i % 2];
  const steps: ((c: BedrockRuntimeClient) => Promise<Step>)[] = [
    (c) => converse(c, "basalt.echo", "one two three"),
    (c) => converseStream(c, "basalt.echo", "four five"),
    (c) => invoke(c, "basalt.echo", "six seven eight nine"),
    (c) => invokeStream(c, "test.cheap", "ten eleven"),
    (c) => converse(c, "test.cheap", "alpha beta gamma delta"),
    (c) => converse(c, "test.unpriced", "unpriced words here"),
    (c) => converse(c, "basalt.echo", "/error ThrottlingException slow down"),
    (c) => converse(c, "no.such.model", "hello"),
    (c) => converseStream(c, "test.cheap", "/error-after 2 ThrottlingException too fast"),
    (c) => countTokens(c, "basalt.echo", "count these four words"),
    (c) => converse(c, "us.test.cheap", "via a profile prefix"),
  ];
  const made: MadeCall[] = [];
  for (const [i, step] of steps.entries()) made.push({ ...(await step(at(i))), caller: callers[i % callers.length].name });
  for (const pair of clients) for (const c of pair) c.destroy();
  return made;
}

/** The served model a call is ledgered under (an inference-profile prefix resolves; an unknown id stays as sent). */
export const servedModel = (m: MadeCall) => (m.model === "us.test.cheap" ? "test.cheap" : m.model);

export function expectedUsage(made: readonly MadeCall[], key: (m: MadeCall) => string): Map<string, ExpectedUsage> {
  const out = new Map<string, ExpectedUsage>();
  for (const m of made) {
    const k = key(m);
    const e = out.get(k) ?? { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: null };
    e.requests++;
    if (m.status !== "ok") e.errors++;
    e.inputTokens += m.inputTokens;
    e.outputTokens += m.outputTokens;
    const price = PRICES[servedModel(m)];
    if (m.operation === "CountTokens") e.costUsd = (e.costUsd ?? 0) + 0;
    else if (price) e.costUsd = (e.costUsd ?? 0) + (m.inputTokens * price.input + m.outputTokens * price.output) / 1e6;
    out.set(k, e);
  }
  for (const e of out.values()) if (e.costUsd !== null) e.costUsd = Math.round(e.costUsd * 1e12) / 1e12;
  return out;
}
