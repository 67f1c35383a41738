// Which declared tools echo may call, after the conversation's toolAddition / toolRemoval blocks (README,
// "The basalt.echo model"): every tool in toolConfig.tools, except one whose last such block in the
// conversation is a toolRemoval (a later toolAddition gives it back).
import type { ConverseInput } from "../../core/model.js";

export function availableTools(input: Pick<ConverseInput, "toolConfig" | "messages">): Set<string> {
  const available = new Set(input.toolConfig?.tools.flatMap((t) => ("toolSpec" in t ? [t.toolSpec.name] : [])) ?? []);
  const declared = new Set(available);
  for (const message of input.messages ?? []) {
    for (const block of message.content) {
      const added = "toolAddition" in block ? block.toolAddition.tool.name : undefined;
      const removed = "toolRemoval" in block ? block.toolRemoval.tool.name : undefined;
      if (added !== undefined && declared.has(added)) available.add(added);
      if (removed !== undefined) available.delete(removed);
    }
  }
  return available;
}
