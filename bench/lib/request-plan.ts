// The requests a bench client sends, built (and signed) before anything is timed. One plan serves every
// contender of a scenario: `chat` requests go to an OpenAI-compatible upstream directly or through Portkey,
// `converse` requests go to Basalt (bare or with the full policy stack).
import { authHeaders, BulkSigner, type AuthMode } from "./sign.js";
import { converseBodyFor, type Stack } from "./policy-stack.js";
import { chatBody, SHORT_TEXT } from "./prompts.js";

export interface PlanOptions {
  /** Base URL of the contender. */
  url: string;
  kind: "chat" | "converse";
  stream: boolean;
  /** Converse only: the served model id. */
  model?: string;
  stack?: Stack;
  auth?: AuthMode;
  /** Portkey: the OpenAI-compatible base URL it should forward to. */
  portkeyUpstream?: string;
  /** How many distinct requests (each a cache miss for a full-stack Basalt). */
  count: number;
}

export interface PlannedRequest { path: string; headers: Record<string, string>; body: string }

export async function buildPlan(o: PlanOptions): Promise<PlannedRequest[]> {
  const base = new URL(o.url);
  const out: PlannedRequest[] = [];
  if (o.kind === "chat") {
    const path = `${base.pathname.replace(/\/$/, "")}/chat/completions`;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (o.portkeyUpstream) Object.assign(headers, { "x-portkey-provider": "openai", "x-portkey-custom-host": o.portkeyUpstream, authorization: "Bearer sk-bench" });
    const body = chatBody(o.stream);
    for (let i = 0; i < o.count; i++) out.push({ path, headers, body });
    return out;
  }
  const path = `/model/${encodeURIComponent(o.model ?? "bench-model")}/${o.stream ? "converse-stream" : "converse"}`;
  const stack = o.stack ?? "bare";
  // Every process signs its own plan: a different run (or pid) must never replay another's bodies into a
  // warm cache.
  // Base 36: like most prompts, these hold no ten-digit number (which would make the guardrail's PHONE
  // pattern run; docs/performance.md gives its cost).
  const salt = `${process.pid.toString(36)}-${Date.now().toString(36)}`;
  const signer = new BulkSigner(base.host);
  for (let i = 0; i < o.count; i++) {
    const body = converseBodyFor(stack, SHORT_TEXT, o.stream, stack === "full" ? i : undefined).replace(/\(request (\d+)\)/, (_, n: string) => `(request ${salt}-${Number(n).toString(36)})`);
    const auth = await authHeaders(o.auth ?? "none", signer, path, body);
    out.push({ path, headers: { "content-type": "application/json", ...auth }, body });
  }
  return out;
}
