// Upstream error text reaches clients (inside Bedrock error messages) and logs. An upstream may echo what
// it was sent (a proxy's debug page, a signature-mismatch message quoting the credential scope, a key
// "sk-…" it refused), so anything that looks like a credential is cut out first, and the provider's own
// configured keys always are.

const REDACTED = "[redacted]";

const CREDENTIAL_PATTERNS: readonly RegExp[] = [
  // OpenAI, Anthropic and most OpenAI-compatible servers: sk-…, sk-ant-…, sk-proj-…
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  // AWS access key ids (long-term and temporary) and Bedrock API keys.
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  /\bABSK[A-Za-z0-9+/=]{16,}/g,
  // JSON Web Tokens.
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

// A credential named as such (`Bearer …`, `x-api-key: …`, `"api_key":"…"`, `secret=…`): the name stays, the
// value goes. A name must be followed by ":" or "=", so prose ("token limit exceeded") is left alone.
const BEARER = /\b(bearer\s+)[A-Za-z0-9._~+/=-]{6,}/gi;
const NAMED_CREDENTIAL = /\b((?:x-)?api[_-]?key|secret(?:[_-]?access)?(?:[_-]?key)?|(?:access|auth|session)?[_-]?token|password|passwd)(["']?\s*[:=]\s*["']?)[^\s"',;&]{6,}/gi;

// Shorter "keys" (test placeholders like `x`) would cut ordinary words out of messages.
const MIN_SECRET_LENGTH = 4;

/** A scrubber for one provider: its configured secrets, plus every credential-looking string. */
export function secretRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const own = secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH);
  return (text) => {
    let out = text;
    for (const secret of own) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const pattern of CREDENTIAL_PATTERNS) out = out.replace(pattern, REDACTED);
    out = out.replace(BEARER, (_, name: string) => `${name}${REDACTED}`);
    return out.replace(NAMED_CREDENTIAL, (_, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  };
}
