// Basalt's own tiny InvokeModel body, the native format of `basalt.echo` (docs/invoke-model.md):
//   request  {"inputText": "...", "maxTokens"?: n, "stopSequences"?: ["..."]}
//   response {"outputText": "...", "stopReason": "end_turn", "usage": {"inputTokens": n, "outputTokens": n}}
//   stream   {"outputText": "<piece>"} per piece, then {"outputText": "", "stopReason", "usage"}
// It exists so InvokeModel is testable without a real model; any backend can serve it.
import type { ConverseInput, ConverseOutput, StreamEvent } from "../core/model.js";
import type { Family } from "./family.js";
import { checkObject, checkValue, isObject, type ObjectSchema } from "../formats/shared/check-json.js";
import { ErrorList, malformed } from "./native-body.js";

const SCHEMA: ObjectSchema = {
  required: ["inputText"],
  properties: {
    inputText: { type: "string" },
    maxTokens: { type: "integer", min: 1 },
    stopSequences: { type: "array" },
  },
};

interface EchoUsage { inputTokens: number; outputTokens: number }

function toConverse(body: unknown): ConverseInput {
  if (!isObject(body)) throw malformed(["#: expected type: JSONObject"]);
  const errors = new ErrorList();
  errors.add(...checkObject(body, SCHEMA));
  const stops = Array.isArray(body.stopSequences) ? body.stopSequences : [];
  stops.forEach((s, i) => errors.add(checkValue(s, { type: "string" }, `#/stopSequences/${i}`)));
  errors.throwIfAny();
  const input: ConverseInput = { messages: [{ role: "user", content: [{ text: body.inputText as string }] }] };
  if (body.maxTokens !== undefined || stops.length) {
    input.inferenceConfig = {
      ...(body.maxTokens !== undefined && { maxTokens: body.maxTokens as number }),
      ...(stops.length > 0 && { stopSequences: stops as string[] }),
    };
  }
  return input;
}

function fromConverse(output: ConverseOutput): unknown {
  const content = output.output && "message" in output.output ? output.output.message.content : [];
  const outputText = content.map((b) => ("text" in b ? b.text : "")).join("");
  const usage: EchoUsage = { inputTokens: output.usage.inputTokens, outputTokens: output.usage.outputTokens };
  return { outputText, stopReason: output.stopReason, usage };
}

async function* toChunks(events: AsyncIterable<StreamEvent>): AsyncIterable<Record<string, unknown>> {
  let stopReason: string | undefined;
  let usage: EchoUsage = { inputTokens: 0, outputTokens: 0 };
  for await (const event of events) {
    if (event.contentBlockDelta) {
      const delta = event.contentBlockDelta.delta;
      if ("text" in delta && delta.text !== "") yield { outputText: delta.text };
    } else if (event.messageStop) {
      stopReason = event.messageStop.stopReason;
    } else if (event.metadata) {
      const u = event.metadata.usage;
      usage = { inputTokens: u.inputTokens, outputTokens: u.outputTokens };
    }
  }
  yield { outputText: "", stopReason: stopReason ?? "end_turn", usage };
}

export const echoFamily: Family = { name: "echo", toConverse: (body) => ({ input: toConverse(body), fromConverse, toChunks }) };
