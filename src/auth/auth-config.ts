// The `auth:` section of basalt.yaml and the `limits:` of a key or a served model (issue 11). Without an
// `auth` section Basalt is open. The config schema includes these; they live here, next to the code that
// reads them.
import { z } from "zod";

/** Per key (that caller's calls) or per model (all callers together); both apply. */
export const limitsSchema = z
  .object({
    requestsPerMinute: z.number().int().positive().optional(),
    /** Input tokens (counted at admission) plus output tokens (charged when the answer ends). */
    tokensPerMinute: z.number().int().positive().optional(),
  })
  .strict();

// Access key ids as IAM makes them (AKIA…/ASIA…, 16–128 word characters); shorter ones for tests and dev.
const accessKeyId = z.string().regex(/^\w{4,128}$/, "must be 4–128 letters, digits or underscores");
// Long enough that guessing is hopeless; real long-term Bedrock API keys are far longer.
const secretKey = z.string().min(16, "must be at least 16 characters");

export const authKeySchema = z
  .object({
    /** Shows up in logs, metrics and the ledger. */
    name: z.string().min(1).max(128),
    accessKeyId: accessKeyId.optional(),
    secretAccessKey: z.string().min(1).optional(),
    /** A long-term Bedrock API key, sent as `Authorization: Bearer` (or `x-api-key` at the Anthropic door). */
    apiKey: secretKey.optional(),
    /** Served model ids (globs: `*`, `?`) this key may call; all when omitted. */
    models: z.array(z.string().min(1)).optional(),
    limits: limitsSchema.optional(),
  })
  .strict()
  .superRefine((key, ctx) => {
    if ((key.accessKeyId === undefined) !== (key.secretAccessKey === undefined)) {
      ctx.addIssue({ code: "custom", path: [key.accessKeyId === undefined ? "accessKeyId" : "secretAccessKey"], message: "accessKeyId and secretAccessKey go together" });
    }
    if (key.accessKeyId === undefined && key.apiKey === undefined) {
      ctx.addIssue({ code: "custom", path: [], message: "needs accessKeyId/secretAccessKey or apiKey" });
    }
  });

export const authConfigSchema = z
  .object({
    keys: z.array(authKeySchema).default([]),
    /** Bearer key for the admin routes (/_basalt/*, except /_basalt/health); without it they are closed. */
    adminKey: secretKey.optional(),
  })
  .strict()
  .superRefine((auth, ctx) => {
    const unique = (field: "name" | "accessKeyId" | "apiKey") => {
      const seen = new Set<string>();
      auth.keys.forEach((key, i) => {
        const value = key[field];
        if (value === undefined) return;
        if (seen.has(value)) ctx.addIssue({ code: "custom", path: ["keys", i, field], message: `"${field === "apiKey" ? "…" : value}" is used by two keys` });
        seen.add(value);
      });
    };
    unique("name");
    unique("accessKeyId");
    unique("apiKey");
    auth.keys.forEach((key, i) => {
      if (auth.adminKey !== undefined && key.apiKey === auth.adminKey) {
        ctx.addIssue({ code: "custom", path: ["keys", i, "apiKey"], message: "must differ from adminKey" });
      }
    });
  });

export type Limits = z.infer<typeof limitsSchema>;
export type AuthKeyConfig = z.infer<typeof authKeySchema>;
export type AuthConfig = z.infer<typeof authConfigSchema>;
