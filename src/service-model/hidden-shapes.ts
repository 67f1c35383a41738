// Where the AWS front end names a member in a validation message but does not quote its value.
// - Shapes the service model marks sensitive (ReasoningContentBlock, OutputFormatStructure, ImageSource, …).
// - The conversation: every recorded message about a member inside `messages` leaves the value out, even for
//   plain strings — `Value at 'messages.2.member.content.1.member.toolUse.name'` (recording
//   bedrock-invalid-tool-name-validation-error.json) and `Value at 'messages.1.member.content.2.member.
//   document.name'` for a 201-character name (amazon-bedrock-invalid-document-filenames.json) — while the same
//   kind of member under toolConfig is quoted (`Value '' at 'toolConfig.tools.1.member.toolSpec.name'`,
//   BerriAI/litellm#19384). The system prompt carries the same content, so it is treated alike.
import type { Shape } from "./service-model.js";

const CONVERSATION_SHAPES: ReadonlySet<string> = new Set(["Messages", "SystemContentBlocks"]);

export function hidesValues(shapeName: string, s: Shape): boolean {
  return s.sensitive === true || CONVERSATION_SHAPES.has(shapeName);
}
