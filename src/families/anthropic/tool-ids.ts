// Claude on Bedrock names its tool calls `toolu_bdrk_01…` in InvokeModel answers (Converse names the same
// calls `tooluse_` + 22 characters). A Converse-shaped id from a backend (echo's, or a real Converse
// upstream's) becomes one of Claude's shape, derived from it, so the same call keeps the same id. Ids of any
// other shape — chosen by a script or cassette, or already Claude's — are passed as they are.
import { createHash } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const CONVERSE_ID = /^tooluse_[A-Za-z0-9_-]{22}$/;

export function claudeToolId(converseId: string): string {
  if (!CONVERSE_ID.test(converseId)) return converseId;
  let s = "toolu_bdrk_01";
  for (const b of createHash("sha256").update(converseId).digest().subarray(0, 22)) s += BASE62[b % 62];
  return s;
}

type Block = { type?: unknown; id?: unknown };

/** The response body with every tool_use block's id in Claude's shape. */
export function withClaudeToolIds<T>(body: T): T {
  const content = (body as { content?: unknown }).content;
  if (Array.isArray(content)) {
    for (const block of content as Block[]) if (block.type === "tool_use" && typeof block.id === "string") block.id = claudeToolId(block.id);
  }
  return body;
}

/** The stream with every content_block_start of a tool_use given Claude's id shape. */
export async function* chunksWithClaudeToolIds<T extends object>(chunks: AsyncIterable<T>): AsyncIterable<T> {
  for await (const chunk of chunks) {
    const start = chunk as { type?: unknown; content_block?: Block };
    if (start.type === "content_block_start" && start.content_block?.type === "tool_use" && typeof start.content_block.id === "string") {
      start.content_block.id = claudeToolId(start.content_block.id);
    }
    yield chunk;
  }
}
