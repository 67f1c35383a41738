// OpenAI Chat Completions ↔ Converse, both directions, once.
//   A provider (Basalt → a Chat Completions server): chatRequestFromConverse, then chatResponseToConverse or
//     chatStreamToConverse (over formats/sse's decoder) on what comes back.
//   A front door (a Chat Completions client → Basalt): chatRequestToConverse on the body, then
//     chatResponseFromConverse or chatStreamFromConverse (each chunk written with formats/sse formatSseEvent,
//     then `data: [DONE]`) on the model's answer.
export type * from "./types.js";
export { chatFinishReasonFromConverse, chatFinishReasonToConverse } from "./map-finish-reason.js";
export { chatUsageFromConverse, chatUsageToConverse } from "./map-usage.js";
export { chatErrorMessage } from "./map-error.js";
export { chatRequestFromConverse, type ChatRequestFromConverseOptions } from "./request-from-converse.js";
export { chatRequestToConverse, readChatMessages, readChatTools } from "./request-to-converse.js";
export { chatResponseToConverse, type ChatResponseToConverseOptions, type EstimateUsage } from "./response-to-converse.js";
export { chatStreamToConverse, type ChatStreamToConverseOptions } from "./stream-to-converse.js";
export { chatResponseFromConverse, chatToolCall, type ChatAnswerOptions } from "./response-from-converse.js";
export { chatStreamFromConverse } from "./stream-from-converse.js";
