// The configured keys, indexed for lookup without timing leaks: every presented secret (API key, admin
// key) is hashed first and found by its digest, then confirmed with timingSafeEqual, so neither a Map's
// string compare nor an early exit tells an attacker how much of a guess was right. Access key ids are
// identifiers, not secrets (AWS prints them in logs and error messages; the secret behind one is checked
// by the HMAC, compared in constant time), so they are a plain Map lookup: hashing them too cost a third
// of a SigV4 verification.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Caller } from "../core/caller.js";
import type { AuthConfig, AuthKeyConfig } from "./auth-config.js";

export interface KeyEntry {
  readonly config: AuthKeyConfig;
  /** The caller this key authenticates as, without a region (added per request when known). */
  readonly caller: Omit<Caller, "via" | "region">;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
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
      const entry: KeyEntry = {
        config: key,
        caller: Object.freeze({
          name: key.name,
          ...(key.models ? { models: Object.freeze([...key.models]) } : {}),
          ...(key.limits ? { limits: Object.freeze({ ...key.limits }) } : {}),
        }),
      };
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
