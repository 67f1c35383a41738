// Chat Completions answers (formats/chat-completions' front-door direction) → Responses API objects and
// stream events: a `response` with message and function_call output items, and the response.* SSE events.
import { newId } from "../foreign/model-call.js";
import type { ChatCompletion, ChatCompletionChunk, ChatUsage } from "../../formats/chat-completions/index.js";
import { callItemFields, type ToolKinds } from "./responses-tools.js";

const NO_KINDS: ToolKinds = new Map();

type Json = Record<string, unknown>;

const usageOf = (u: ChatUsage | undefined): Json => ({
  input_tokens: u?.prompt_tokens ?? 0,
  input_tokens_details: { cached_tokens: u?.prompt_tokens_details?.cached_tokens ?? 0 },
  output_tokens: u?.completion_tokens ?? 0,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: u?.total_tokens ?? 0,
});

/**
 * The request's parameters as a response object repeats them (instructions, limits, sampling, tools as sent,
 * hosted ones included), OpenAI's defaults where the request left them out. `store` stays false: nothing is kept.
 */
export function echoedParams(body: Json): Json {
  const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
  return {
    instructions: typeof body.instructions === "string" ? body.instructions : null,
    max_output_tokens: typeof body.max_output_tokens === "number" ? body.max_output_tokens : null,
    parallel_tool_calls: typeof body.parallel_tool_calls === "boolean" ? body.parallel_tool_calls : true,
    temperature: typeof body.temperature === "number" ? body.temperature : null,
    text: isObj(body.text) && isObj(body.text.format) ? { format: body.text.format } : { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: typeof body.top_p === "number" ? body.top_p : null,
    truncation: typeof body.truncation === "string" ? body.truncation : "disabled",
    metadata: isObj(body.metadata) ? body.metadata : {},
  };
}

export function responseShell(id: string, model: string, createdAt: number, status: string, params: Json = echoedParams({})): Json {
  return {
    id, object: "response", created_at: createdAt, status, error: null, incomplete_details: null, instructions: params.instructions,
    max_output_tokens: params.max_output_tokens, model, output: [], parallel_tool_calls: params.parallel_tool_calls,
    previous_response_id: null, store: false, temperature: params.temperature, text: params.text, tool_choice: params.tool_choice,
    tools: params.tools, top_p: params.top_p, truncation: params.truncation, usage: null, metadata: params.metadata,
  };
}

/** A message item cut by max_output_tokens is incomplete, as its response is. */
const itemStatus = (finishReason: string | null | undefined) => (finishReason === "length" ? "incomplete" : "completed");

const messageItem = (id: string, text: string, status: string): Json =>
  ({ type: "message", id, status, role: "assistant", content: text === "" && status !== "completed" ? [] : [{ type: "output_text", text, annotations: [] }] });

/** A function_call item, or a custom_tool_call / namespaced call as the tool was declared (responses-tools.ts). */
function callItem(kinds: ToolKinds, id: string, callId: string, name: string, args: string, status: string): Json {
  const fields = callItemFields(kinds, name, args);
  return { type: fields.type, id, call_id: callId, ...fields, status };
}

function finish(shell: Json, finishReason: string | null | undefined, usage: ChatUsage | undefined): Json {
  const incomplete = finishReason === "length";
  return { ...shell, status: incomplete ? "incomplete" : "completed", incomplete_details: incomplete ? { reason: "max_output_tokens" } : null, usage: usageOf(usage) };
}

export function responseFromChat(done: ChatCompletion, id: string, model: string, params?: Json, kinds: ToolKinds = NO_KINDS): Json {
  const choice = done.choices[0];
  const output: Json[] = [];
  if (choice.message.content) output.push(messageItem(newId("msg_"), choice.message.content, itemStatus(choice.finish_reason)));
  for (const c of choice.message.tool_calls ?? []) output.push(callItem(kinds, newId("fc_"), c.id, c.function.name, c.function.arguments, "completed"));
  return { ...finish(responseShell(id, model, done.created, "completed", params), choice.finish_reason, done.usage), output };
}

/** Chat chunks → response.* events (each with its sequence_number). */
export async function* responseEventsFromChat(
  chunks: AsyncIterable<ChatCompletionChunk>, id: string, model: string, params?: Json, kinds: ToolKinds = NO_KINDS,
): AsyncIterable<Json> {
  let seq = 0;
  const ev = (type: string, fields: Json): Json => ({ type, sequence_number: seq++, ...fields });
  const shell = responseShell(id, model, Math.floor(Date.now() / 1000), "in_progress", params);
  yield ev("response.created", { response: shell });
  yield ev("response.in_progress", { response: shell });
  const output: Json[] = [];
  let text: { index: number; id: string; text: string } | undefined;
  const calls = new Map<number, { index: number; id: string; callId: string; name: string; args: string; custom: boolean }>();
  let finishReason: string | null = null;
  const closeText = function* () {
    if (!text) return;
    const t = text;
    text = undefined;
    yield ev("response.output_text.done", { item_id: t.id, output_index: t.index, content_index: 0, text: t.text, logprobs: [] });
    yield ev("response.content_part.done", { item_id: t.id, output_index: t.index, content_index: 0, part: { type: "output_text", text: t.text, annotations: [] } });
    output[t.index] = messageItem(t.id, t.text, itemStatus(finishReason));
    yield ev("response.output_item.done", { output_index: t.index, item: output[t.index] });
  };
  let usage: ChatUsage | undefined;
  for await (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.finish_reason) finishReason = choice.finish_reason;
    const delta = choice.delta;
    if (delta.content) {
      if (!text) {
        text = { index: output.length, id: newId("msg_"), text: "" };
        output.push(messageItem(text.id, "", "in_progress"));
        yield ev("response.output_item.added", { output_index: text.index, item: output[text.index] });
        yield ev("response.content_part.added", { item_id: text.id, output_index: text.index, content_index: 0, part: { type: "output_text", text: "", annotations: [] } });
      }
      text.text += delta.content;
      yield ev("response.output_text.delta", { item_id: text.id, output_index: text.index, content_index: 0, delta: delta.content, logprobs: [] });
    }
    for (const t of delta.tool_calls ?? []) {
      let call = calls.get(t.index);
      if (!call) {
        yield* closeText();
        const name = t.function.name ?? "";
        call = { index: output.length, id: newId("fc_"), callId: t.id ?? newId("call_"), name, args: "", custom: kinds.get(name)?.kind === "custom" };
        calls.set(t.index, call);
        output.push(callItem(kinds, call.id, call.callId, call.name, "", "in_progress"));
        yield ev("response.output_item.added", { output_index: call.index, item: output[call.index] });
      }
      if (t.function.arguments) {
        call.args += t.function.arguments;
        // A custom tool's text is inside the JSON arguments: it goes out whole once they are complete.
        if (!call.custom) yield ev("response.function_call_arguments.delta", { item_id: call.id, output_index: call.index, delta: t.function.arguments });
      }
    }
  }
  yield* closeText();
  for (const call of calls.values()) {
    output[call.index] = callItem(kinds, call.id, call.callId, call.name, call.args, "completed");
    if (call.custom) {
      const input = String(output[call.index].input);
      yield ev("response.custom_tool_call_input.delta", { item_id: call.id, output_index: call.index, delta: input });
      yield ev("response.custom_tool_call_input.done", { item_id: call.id, output_index: call.index, input });
    } else {
      yield ev("response.function_call_arguments.done", { item_id: call.id, output_index: call.index, arguments: call.args });
    }
    yield ev("response.output_item.done", { output_index: call.index, item: output[call.index] });
  }
  const final: Json = { ...finish(shell, finishReason, usage), output };
  yield ev(final.status === "incomplete" ? "response.incomplete" : "response.completed", { response: final });
}
