// The `[INST]` chat template of Mistral and Llama 2:
//   <s>[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user} [/INST] {assistant}</s><s>[INST] {user} [/INST]
// read back into turns. Anything that does not follow it returns undefined (the caller serves the prompt
// as one user text).
import { Conversation } from "../../formats/converse/conversation.js";

const INST = "[INST]";
const END_INST = "[/INST]";
const SENTENCE_TOKENS = /<\/?s>/g;
const SYS_BLOCK = /^\s*<<SYS>>([\s\S]*?)<<\/SYS>>/;

export function parseInstPrompt(prompt: string): Conversation | undefined {
  const text = prompt.replace(SENTENCE_TOKENS, "");
  let at = text.indexOf(INST);
  if (at === -1 || text.slice(0, at).trim() !== "") return undefined;
  const conversation = new Conversation();
  let first = true;
  while (at !== -1) {
    const close = text.indexOf(END_INST, at + INST.length);
    if (close === -1) return undefined;
    let user = text.slice(at + INST.length, close);
    const sys = first ? SYS_BLOCK.exec(user) : null;
    if (sys) {
      conversation.addSystem(sys[1].trim());
      user = user.slice(sys[0].length);
    }
    first = false;
    conversation.addText("user", user.trim());
    const next = text.indexOf(INST, close + END_INST.length);
    const assistant = text.slice(close + END_INST.length, next === -1 ? undefined : next).trim();
    if (assistant.includes(END_INST)) return undefined;
    conversation.addText("assistant", assistant);
    at = next;
  }
  return conversation;
}
