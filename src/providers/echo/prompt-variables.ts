// Echo's promptVariables (README, "The basalt.echo model"). On Bedrock they fill the `{{name}}` variables of a
// Prompt management prompt; echo has no stored prompts, so it treats the request's own text as the template:
// `{{name}}` in text blocks of the system prompt and the messages becomes `promptVariables.name.text`.
// A variable the request does not define stays as written.
import type { ConverseInput } from "../../core/model.js";
import type { ContentBlock, SystemContentBlock } from "../../core/shapes.generated.js";

const VARIABLE = /\{\{\s*([^{}\s]+)\s*\}\}/g;

export function withPromptVariables(input: ConverseInput): ConverseInput {
  const variables = input.promptVariables;
  if (!variables || Object.keys(variables).length === 0) return input;
  const fill = (text: string) => text.replace(VARIABLE, (whole, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined;
    return value && "text" in value ? value.text : whole;
  });
  const block = <B extends ContentBlock | SystemContentBlock>(b: B): B => ("text" in b ? { ...b, text: fill(b.text) } : b);
  return {
    ...input,
    ...(input.system && { system: input.system.map(block) }),
    ...(input.messages && { messages: input.messages.map((m) => ({ ...m, content: m.content.map(block) })) }),
  };
}
