// Anthropic Messages ↔ Converse, both directions, once.
//   A provider (Basalt → a Messages API server): anthropicRequestFromConverse, then anthropicResponseToConverse
//     or anthropicStreamToConverse (over formats/sse's decoder) on what comes back.
//   A front door (a Messages API client → Basalt): anthropicRequestToConverse on the body (after checking its
//     own top-level keys), then anthropicResponseFromConverse or anthropicStreamFromConverse (each event written
//     with formats/sse formatSseEvent, its `type` as the event name) on the model's answer.
export type * from "./types.js";
export { anthropicStopReasonFromConverse, anthropicStopReasonToConverse } from "./map-stop-reason.js";
export { anthropicUsageFromConverse, anthropicUsageToConverse, mergeAnthropicUsage } from "./map-usage.js";
export { anthropicCitationToConverse, type AnthropicCitation } from "./map-citation.js";
export { anthropicErrorBody, anthropicErrorStatus, anthropicErrorTypeOfStatus } from "./map-error.js";
export { anthropicBlockFromConverse } from "./blocks-from-converse.js";
export { anthropicRequestFromConverse, type AnthropicRequestFromConverseOptions, type AnthropicRequestOut } from "./request-from-converse.js";
export { anthropicRequestToConverse, PASS_THROUGH_FIELDS, type AnthropicRequestToConverseOptions } from "./request-to-converse.js";
export { anthropicResponseToConverse, type AnthropicResponseToConverseOptions } from "./response-to-converse.js";
export { anthropicStreamToConverse, type AnthropicStreamToConverseOptions } from "./stream-to-converse.js";
export { anthropicResponseFromConverse, matchedStopSequence, type AnthropicAnswerOptions } from "./response-from-converse.js";
export { anthropicStreamFromConverse } from "./stream-from-converse.js";
