// Two fake OpenAI-compatible upstreams (primary, secondary) that name themselves in every answer, a Basalt
// started in this process over them with the config a test gives, the JS SDK pointed at it, and the finished
// call records. Each upstream can be told to fail the next request (`enqueue`) or every request (`respond`).
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient, type ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { startBasalt, type Basalt } from "../../src/app.js";
import { parseConfig } from "../../src/config/load-config.js";
import { testDataDir } from "../helpers/start-basalt.js";
import type { CallRecord } from "../../src/core/call-record.js";
import { chatStream, completion, startOpenAIUpstream, type FakeOpenAIUpstream, type Reply, type Responder } from "../fakes/openai-upstream.js";
import { h2Client } from "../helpers/clients.js";

export interface Stack {
  basalt: Basalt;
  primary: FakeOpenAIUpstream;
  secondary: FakeOpenAIUpstream;
  client: BedrockRuntimeClient;
  /** Finished call records, in the order their responses closed. */
  records: CallRecord[];
  close(): Promise<void>;
}

/** An upstream that answers "from NAME" (streamed as two pieces). */
export function answersAs(name: string): Responder {
  return (req) => (req.body.stream ? { sse: chatStream({ text: ["from ", name], usage: { prompt: 3, completion: 2 } }) } : { json: completion({ content: `from ${name}`, usage: { prompt: 3, completion: 2 } }) });
}

export const providersYaml = (primary: FakeOpenAIUpstream, secondary: FakeOpenAIUpstream) => `providers:
  primary: { type: openai, baseUrl: "${primary.baseUrl}" }
  secondary: { type: openai, baseUrl: "${secondary.baseUrl}" }
`;

/** `yaml` gets the upstreams and returns the rest of the config (models, cache, storage). */
export async function startStack(yaml: (primary: FakeOpenAIUpstream, secondary: FakeOpenAIUpstream) => string): Promise<Stack> {
  const primary = await startOpenAIUpstream(answersAs("primary"));
  const secondary = await startOpenAIUpstream(answersAs("secondary"));
  const records: CallRecord[] = [];
  const config = parseConfig(`server: { port: 0 }\n${providersYaml(primary, secondary)}${yaml(primary, secondary)}`, "(test)");
  config.server.dataDir = testDataDir();
  const basalt = await startBasalt(config, { observers: [{ name: "test", observe: (r) => void records.push(structuredClone(r)) }] });
  const client = h2Client(basalt.url);
  return {
    basalt, primary, secondary, client, records,
    async close() {
      client.destroy();
      await basalt.stop();
      await Promise.all([primary.close(), secondary.close()]);
    },
  };
}

export const say = (text: string) => [{ role: "user" as const, content: [{ text }] }];

export async function converseText(client: BedrockRuntimeClient, modelId: string, text = "hi"): Promise<string> {
  const out = await client.send(new ConverseCommand({ modelId, messages: say(text) }));
  return out.output?.message?.content?.map((c) => c.text ?? "").join("") ?? "";
}

/** A ConverseStream read to its end: the text of its deltas, its event names, and the error that ended it. */
export async function streamText(client: BedrockRuntimeClient, modelId: string, text = "hi") {
  const out = await client.send(new ConverseStreamCommand({ modelId, messages: say(text) }));
  const names: string[] = [];
  let joined = "";
  let error: (Error & { name: string }) | undefined;
  try {
    for await (const event of out.stream as AsyncIterable<ConverseStreamOutput>) {
      const name = Object.entries(event).find(([, v]) => v !== undefined)![0];
      names.push(name);
      joined += event.contentBlockDelta?.delta?.text ?? "";
    }
  } catch (err) {
    error = err as Error & { name: string };
  }
  return { text: joined, names, error, headers: out.$metadata };
}

/** The record of the latest call, once its response has closed (observers run after that). */
export async function lastRecord(records: CallRecord[], count: number): Promise<CallRecord> {
  for (let i = 0; i < 300 && records.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (records.length < count) throw new Error(`expected ${count} records, have ${records.length}`);
  return records[count - 1];
}

/** The record of one request id, once its response has closed (observers run after that). */
export async function recordOf(records: CallRecord[], requestId: string | undefined): Promise<CallRecord> {
  for (let i = 0; i < 300; i++) {
    const found = records.find((r) => r.requestId === requestId);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no record of request ${requestId}`);
}

/** A reply that fails with an HTTP status and an OpenAI error body. */
export function failWith(status: number, headers: Record<string, string> = {}): Reply {
  return { status, json: { error: { message: `upstream failed with ${status}`, type: "server_error", param: null, code: null } }, headers };
}
