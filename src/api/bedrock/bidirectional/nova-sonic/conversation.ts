// A session's conversation in Converse terms: the SYSTEM text, the messages so far (history, user turns,
// the model's answers, tool results), the inference settings of sessionStart and the tools of promptStart.
// Each answered turn is one ConverseStream request built from it, so any backend Converse reaches serves it.
import type { ConverseInput } from "../../../../core/model.js";
import type { ContentBlock, Message, Tool } from "../../../../core/shapes.generated.js";
import { validationError } from "../../../../core/errors.js";
import type { JsonValue } from "../../../../core/shapes.generated.js";
import type { PromptStart, SessionStart } from "./input-events.js";

export class Conversation {
  private readonly system: string[] = [];
  private readonly messages: Message[] = [];
  private inference: ConverseInput["inferenceConfig"];
  private tools: Tool[] | undefined;

  configure(session: SessionStart): void {
    const c = session.inferenceConfiguration;
    if (!c) return;
    this.inference = {
      ...(c.maxTokens !== undefined && { maxTokens: c.maxTokens }),
      ...(c.temperature !== undefined && { temperature: c.temperature }),
      ...(c.topP !== undefined && { topP: c.topP }),
    };
  }

  useTools(prompt: PromptStart): void {
    const tools = prompt.toolConfiguration?.tools;
    if (!tools?.length) return;
    this.tools = tools.map(({ toolSpec }) => ({
      toolSpec: {
        name: toolSpec.name,
        ...(toolSpec.description !== undefined && { description: toolSpec.description }),
        inputSchema: { json: schemaOf(toolSpec.name, toolSpec.inputSchema.json) },
      },
    }));
  }

  addSystem(text: string): void {
    this.system.push(text);
  }

  /** Adds content under a role; consecutive blocks of one role form one message, as Converse wants. */
  add(role: Message["role"], content: ContentBlock[]): void {
    const last = this.messages.at(-1);
    if (last && last.role === role) last.content.push(...content);
    else this.messages.push({ role, content: [...content] });
  }

  /** The ConverseStream request for the next answer. */
  request(): ConverseInput {
    return {
      messages: this.messages.map((m) => ({ role: m.role, content: [...m.content] })),
      ...(this.system.length && { system: [{ text: this.system.join("\n") }] }),
      ...(this.inference && { inferenceConfig: this.inference }),
      ...(this.tools && { toolConfig: { tools: this.tools } }),
    };
  }
}

function schemaOf(tool: string, schema: string | Record<string, unknown>): JsonValue {
  if (typeof schema !== "string") return schema as JsonValue;
  try {
    return JSON.parse(schema) as JsonValue;
  } catch {
    throw validationError(`The inputSchema.json of tool ${tool} is not valid JSON.`);
  }
}
