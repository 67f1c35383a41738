// Who is calling: set by the front door's authentication (auth/), read by policies (quotas, model allow-lists),
// logs, metrics and the ledger. Without an `auth` section every call is anonymous.
export interface Caller {
  /** The key's configured name (`auth.keys[].name`), or "anonymous" when auth is off. */
  readonly name: string;
  /** How the caller proved who it is. */
  readonly via: "none" | "sigv4" | "api-key" | "short-term-key" | "admin-key";
  /** Served model id globs this caller may use; undefined = all. */
  readonly models?: readonly string[];
  /** Per-caller limits, when configured. */
  readonly limits?: { readonly requestsPerMinute?: number; readonly tokensPerMinute?: number };
  /** The region the client signed for (SigV4 scope, short-term key), for ARNs in error messages. */
  readonly region?: string;
}

export const ANONYMOUS: Caller = Object.freeze({ name: "anonymous", via: "none" as const });
