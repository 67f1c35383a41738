// Nova Sonic's input events (AWS: "Handling input events with the bidirectional API"), parsed from one
// chunk's bytes: `{"event": {"<name>": {...}}}`. Members Basalt does not act on are kept loose (clients send
// newer fields, e.g. turnDetectionConfiguration); what the session relies on is checked and refused with a
// ValidationException naming the field.
import { z } from "zod";
import { validationError } from "../../../../core/errors.js";
import { isObject, parseJsonSafely } from "../../../../core/json.js";

const name = z.string().min(1).max(256);
const anyJson = z.union([z.string(), z.record(z.unknown())]);

const sessionStart = z.object({
  inferenceConfiguration: z.object({
    maxTokens: z.number().int().positive().optional(),
    topP: z.number().min(0).max(1).optional(),
    temperature: z.number().min(0).max(1).optional(),
  }).passthrough().optional(),
}).passthrough();

const toolSpec = z.object({
  toolSpec: z.object({
    name: z.string().min(1).max(64),
    description: z.string().optional(),
    // Nova Sonic's examples send the schema as a JSON string; an object is accepted too.
    inputSchema: z.object({ json: anyJson }),
  }).passthrough(),
}).passthrough();

const promptStart = z.object({
  promptName: name,
  textOutputConfiguration: z.object({ mediaType: z.string() }).passthrough().optional(),
  audioOutputConfiguration: z.record(z.unknown()).optional(),
  toolUseOutputConfiguration: z.object({ mediaType: z.string() }).passthrough().optional(),
  toolConfiguration: z.object({
    tools: z.array(toolSpec),
    toolChoice: z.record(z.unknown()).optional(),
  }).passthrough().optional(),
}).passthrough();

export const CONTENT_TYPES = ["TEXT", "AUDIO", "TOOL"] as const;
export const ROLES = ["SYSTEM", "USER", "ASSISTANT", "TOOL", "SYSTEM_SPEECH"] as const;

const contentStart = z.object({
  promptName: name,
  contentName: name,
  type: z.enum(CONTENT_TYPES),
  role: z.enum(ROLES),
  interactive: z.boolean().optional(),
  textInputConfiguration: z.record(z.unknown()).optional(),
  audioInputConfiguration: z.record(z.unknown()).optional(),
  toolResultInputConfiguration: z.object({ toolUseId: z.string().min(1), type: z.string().optional() }).passthrough().optional(),
}).passthrough();

const contentPiece = z.object({ promptName: name, contentName: name, content: z.string() }).passthrough();
const contentEnd = z.object({ promptName: name, contentName: name }).passthrough();
const promptEnd = z.object({ promptName: name }).passthrough();
const sessionEnd = z.object({}).passthrough();

const SCHEMAS = {
  sessionStart, promptStart, contentStart, textInput: contentPiece, audioInput: contentPiece, toolResult: contentPiece,
  contentEnd, promptEnd, sessionEnd,
} as const;

type Schemas = typeof SCHEMAS;
export type InputEventName = keyof Schemas;
/** One input event: its name and its checked body. */
export type InputEvent = { [K in InputEventName]: { name: K; body: z.infer<Schemas[K]> } }[InputEventName];
export type ContentStart = z.infer<typeof contentStart>;
export type PromptStart = z.infer<typeof promptStart>;
export type SessionStart = z.infer<typeof sessionStart>;

const isEventName = (key: string): key is InputEventName => Object.hasOwn(SCHEMAS, key);

function describe(issue: z.ZodIssue): string {
  const at = issue.path.length ? issue.path.join(".") : "the event";
  return `${at}: ${issue.message}`;
}

/** Parses one chunk's bytes into an input event, or throws a ValidationException saying what is wrong. */
export function parseInputEvent(bytes: Uint8Array): InputEvent {
  const parsed = parseJsonSafely(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  if (!parsed) throw validationError("The input event is not valid JSON.");
  const wrapper = parsed.value;
  const event = isObject(wrapper) ? wrapper.event : undefined;
  if (!isObject(event)) throw validationError("The input event must be a JSON object with one member, event.");
  const keys = Object.keys(event);
  if (keys.length !== 1) throw validationError(`The input event must name exactly one event type; it names ${keys.length}.`);
  const key = keys[0];
  if (!isEventName(key)) {
    throw validationError(`The input event type ${key} is not known. Send one of: ${Object.keys(SCHEMAS).join(", ")}.`);
  }
  const checked = SCHEMAS[key].safeParse(event[key]);
  if (!checked.success) throw validationError(`Invalid ${key} event: ${checked.error.issues.slice(0, 3).map(describe).join("; ")}.`);
  return { name: key, body: checked.data } as InputEvent;
}
