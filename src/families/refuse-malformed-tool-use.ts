// A model that wrote a tool call whose input is not JSON: Converse says so with the stop reason
// `malformed_tool_use`, and so does a family whose native answer speaks Converse's stop reasons (Nova).
// The other families have no word for it — Claude's `stop_reason`, Chat Completions' `finish_reason` —
// and reading the call as `input: {}` with `end_turn` would hand the caller a tool call that was never
// made. So a native operation answers with the model's error instead (a stream ends with its exception),
// and every operation reports a broken tool call as broken.
import { BedrockError } from "../core/errors.js";
import type { ConverseOutput, StreamEvent } from "../core/model.js";
import type { Family, NativeRequest } from "./family.js";

/** Families whose native answers carry Converse's stop reasons as they are. */
const SPEAKS_CONVERSE_STOP_REASONS = new Set<Family["name"]>(["nova", "echo"]);

const MESSAGE =
  "The model returned a tool call whose input is not valid JSON (malformed_tool_use), which this model's response format cannot express. Try your request again.";

export function refuseMalformedToolUse(family: Family, request: NativeRequest, servedModelId: string): NativeRequest {
  if (SPEAKS_CONVERSE_STOP_REASONS.has(family.name)) return request;
  return {
    input: request.input,
    fromConverse(output: ConverseOutput) {
      if (output.stopReason === "malformed_tool_use") {
        throw new BedrockError("ModelErrorException", MESSAGE, { originalStatusCode: 200, resourceName: servedModelId });
      }
      return request.fromConverse(output);
    },
    toChunks: (events, early) => request.toChunks(stopAtMalformedToolUse(events), early),
  };
}

async function* stopAtMalformedToolUse(events: AsyncIterable<StreamEvent>): AsyncIterable<StreamEvent> {
  for await (const event of events) {
    if (event.messageStop?.stopReason === "malformed_tool_use") {
      throw new BedrockError("ModelStreamErrorException", MESSAGE, { originalStatusCode: 200, originalMessage: MESSAGE });
    }
    yield event;
  }
}
