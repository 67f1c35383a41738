// What Bedrock writes in a Claude answer that Converse does not carry: the message id and the model name.
import { randomBytes } from "node:crypto";
import { arnResource } from "../../core/model-id.js";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `msg_bdrk_01…`: the shape of the ids Bedrock gives Claude responses. */
export function messageId(): string {
  const bytes = randomBytes(22);
  let s = "msg_bdrk_01";
  for (const b of bytes) s += BASE62[b % 62];
  return s;
}

/**
 * The `model` Claude reports: the model id without ARN path, inference-profile prefix, provider prefix and
 * version suffix (`us.anthropic.claude-3-5-haiku-20241022-v1:0` → `claude-3-5-haiku-20241022`).
 */
export function modelName(modelId: string): string {
  const tail = arnResource(modelId);
  const at = tail.indexOf("anthropic.");
  if (at === -1) return tail;
  return tail.slice(at + "anthropic.".length).replace(/-v\d+(:\d+)?$/, "");
}
