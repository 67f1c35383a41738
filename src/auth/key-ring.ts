// The configured keys, indexed for lookup without timing leaks: every presented secret (API key, admin
// key) is hashed first and found by its digest, then confirmed with timingSafeEqual, so neither a Map's
// string compare nor an early exit tells an attacker how much of a guess was right. Access key ids are
// identifiers, not secrets (AWS prints them in logs and error messages; the secret behind one is checked
// by the HMAC, compared in constant time), so they are a plain Map lookup: hashing them too cost a third
// of a SigV4 verification.
import { hash, timingSafeEqual } from "node:crypto";
import type { Caller } from "../core/caller.js";
import type { AuthConfig, AuthKeyConfig } from "./auth-config.js";

// Callers are frozen and reused per (way in, region): no allocation per request. Regions are the client's
// choice, so the memo is bounded.
const MAX_CALLERS_PER_KEY = 64;

export class KeyEntry {
  readonly #base: Omit<Caller, "via" | "region">;
  // One memo per way in, by region ("" when unsigned): no string built per request to look a caller up.
  readonly #callers = new Map<Caller["via"], Map<string, Caller>>();

  constructor(readonly config: AuthKeyConfig) {
    this.#base = {
      name: config.name,
      ...(config.models ? { models: Object.freeze([...config.models]) } : {}),
      ...(config.limits ? { limits: Object.freeze({ ...config.limits }) } : {}),
    };
  }

  /** The caller this key authenticates as, arriving `via` a scheme, signed for `region` when known. */
  caller(via: Caller["via"], region?: string): Caller {
    let byRegion = this.#callers.get(via);
    if (!byRegion) this.#callers.set(via, (byRegion = new Map()));
    let caller = byRegion.get(region ?? "");
    if (!caller) {
      caller = Object.freeze(region === undefined ? { ...this.#base, via } : { ...this.#base, via, region });
      if (byRegion.size < MAX_CALLERS_PER_KEY) byRegion.set(region ?? "", caller);
    }
    return caller;
  }
}

function digest(text: string): Buffer {
  return hash("sha256", text, "buffer");
}

class DigestIndex<T> {
  private readonly byDigest = new Map<string, { digest: Buffer; value: T }>();

  add(secret: string, value: T): void {
    const d = digest(secret);
    this.byDigest.set(d.toString("base64"), { digest: d, value });
  }

  find(presented: string): T | undefined {
    const d = digest(presented);
    const hit = this.byDigest.get(d.toString("base64"));
    return hit && timingSafeEqual(hit.digest, d) ? hit.value : undefined;
  }
}

export class KeyRing {
  private readonly byAccessKeyId = new Map<string, KeyEntry>();
  private readonly byApiKey = new DigestIndex<KeyEntry>();
  private readonly admin = new DigestIndex<true>();
  readonly hasAdminKey: boolean;

  constructor(config: AuthConfig) {
    for (const key of config.keys) {
      const entry = new KeyEntry(key);
      if (key.accessKeyId !== undefined) this.byAccessKeyId.set(key.accessKeyId, entry);
      if (key.apiKey !== undefined) this.byApiKey.add(key.apiKey, entry);
    }
    this.hasAdminKey = config.adminKey !== undefined;
    if (config.adminKey !== undefined) this.admin.add(config.adminKey, true);
  }

  entryForAccessKey(accessKeyId: string): KeyEntry | undefined {
    return this.byAccessKeyId.get(accessKeyId);
  }

  /** The secret of a configured access key id (for the SigV4 verifiers). */
  readonly secretFor = (accessKeyId: string): string | undefined => this.entryForAccessKey(accessKeyId)?.config.secretAccessKey;

  entryForApiKey(apiKey: string): KeyEntry | undefined {
    return this.byApiKey.find(apiKey);
  }

  isAdminKey(token: string): boolean {
    return this.admin.find(token) === true;
  }
}
