// The shape of a test-double script, shared by the config (`scripts:`) and POST /_basalt/scripts. Content
// blocks, stop reasons and usage are checked against the Bedrock service model itself, so a script can only
// declare what the real service could send.
import { z } from "zod";
import { MODELLED_ERROR_NAMES, type ModelledErrorName } from "../core/errors.js";
import { shape } from "../service-model/service-model.js";
import { formatIssues, validatorFor, type Issue } from "../service-model/validate-shape.js";

/** Exception shapes of the Bedrock Runtime model, e.g. ThrottlingException (core/errors.ts's table). */
export const EXCEPTION_NAMES = MODELLED_ERROR_NAMES as [ModelledErrorName, ...ModelledErrorName[]];
export const exceptionNameSchema = z.enum(EXCEPTION_NAMES);

const STOP_REASONS = shape("StopReason").enum as [string, ...string[]];

// Blocks an assistant message can carry in a Converse answer.
const ASSISTANT_BLOCKS = new Set(["text", "toolUse", "reasoningContent", "citationsContent", "image"]);

const contentBlockSchema = z.record(z.unknown()).superRefine((block, ctx) => {
  const keys = Object.keys(block);
  if (keys.length === 1 && !ASSISTANT_BLOCKS.has(keys[0])) {
    ctx.addIssue({ code: "custom", message: `an answer cannot carry a ${keys[0]} block; use one of ${[...ASSISTANT_BLOCKS].join(", ")}` });
    return;
  }
  const issues: Issue[] = [];
  validatorFor("ContentBlock")(block, "", issues);
  const message = formatIssues(issues);
  if (message) ctx.addIssue({ code: "custom", message });
});

const count = z.number().int().nonnegative();

export const matchSchema = z
  .object({
    /** Glob over the served model id or the id the client sent (`*` any run, `?` one character). */
    model: z.string().min(1).optional(),
    /** AWS operation name(s): Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream. */
    operation: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /** Caller name (auth key name, or "anonymous"). */
    caller: z.string().min(1).optional(),
    /** Substring of the last user message's text blocks joined with \n. */
    text: z.string().optional(),
    /** Regular expression (JavaScript syntax) over the same text. */
    regex: z.string().optional().superRefine((source, ctx) => {
      if (source === undefined) return;
      try {
        new RegExp(source);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${(err as Error).message}` });
      }
    }),
    /** Substring of the system prompt's text blocks joined with \n. */
    system: z.string().optional(),
  })
  .strict();

export const respondSchema = z
  .object({
    content: z.array(contentBlockSchema),
    /** Default: tool_use when the content has a toolUse block, else end_turn. */
    stopReason: z.enum(STOP_REASONS).optional(),
    /** Any member omitted is computed (input as basalt.echo counts it, output from the content). */
    usage: z
      .object({
        inputTokens: count.optional(),
        outputTokens: count.optional(),
        totalTokens: count.optional(),
        cacheReadInputTokens: count.optional(),
        cacheWriteInputTokens: count.optional(),
      })
      .strict()
      .optional(),
    trace: z.record(z.unknown()).optional(),
    additionalModelResponseFields: z.unknown().optional(),
    /** metrics.latencyMs to report; default the real time taken. */
    latencyMs: count.optional(),
  })
  .strict();

export const errorSchema = z
  .object({
    type: exceptionNameSchema,
    message: z.string().optional(),
    /** HTTP status to answer with instead of the exception's own. */
    status: z.number().int().min(400).max(599).optional(),
  })
  .strict();

export const streamSchema = z
  .object({
    /** Wait before the first event. */
    ttftMs: count.optional(),
    /** Pace content deltas at this rate. */
    tokensPerSecond: z.number().positive().optional(),
    /** Exactly `after` events, then an exception event. */
    exceptionAfterEvents: z.object({ after: count, type: exceptionNameSchema, message: z.string().optional() }).strict().optional(),
    /** Exactly N events, then the connection is broken (HTTP/2 RST_STREAM, HTTP/1.1 socket closed mid-body). */
    cutAfterEvents: count.optional(),
    /** After `after` events, wait `ms` before the rest. */
    stallAfterEvents: z.object({ after: count, ms: count }).strict().optional(),
  })
  .strict();

export const scriptSchema = z
  .object({
    /** Default: generated. Adding a script with an existing id replaces it. */
    id: z.string().min(1).max(200).optional(),
    match: matchSchema.default({}),
    /** Answer this many calls, then fall through; default unlimited. */
    times: z.number().int().positive().optional(),
    /** Chance (0–1) that a matching call is answered; otherwise it falls through. */
    probability: z.number().min(0).max(1).optional(),
    respond: respondSchema.optional(),
    error: errorSchema.optional(),
    stream: streamSchema.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!s.respond && !s.error && !s.stream) ctx.addIssue({ code: "custom", message: "a script needs respond, error or stream" });
    if (s.error && (s.respond || s.stream)) ctx.addIssue({ code: "custom", message: "error cannot be combined with respond or stream" });
  });

/** The `scripts:` config key: a list, oldest first (the newest matching script wins). */
export const scriptsConfigSchema = z.array(scriptSchema);

export type ScriptInput = z.input<typeof scriptSchema>;
export type ScriptSpec = z.output<typeof scriptSchema>;
export type ScriptMatch = z.output<typeof matchSchema>;
export type ScriptRespond = z.output<typeof respondSchema>;
export type ScriptError = z.output<typeof errorSchema>;
export type StreamFaults = z.output<typeof streamSchema>;
