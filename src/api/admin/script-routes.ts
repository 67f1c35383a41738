// /_basalt/scripts: test-double scripts added, listed and removed at run time (issue 16). Bodies and answers
// are JSON; a bad script is a ValidationException naming the key at fault, an unknown id a
// ResourceNotFoundException.
import { BedrockError, validationError } from "../../core/errors.js";
import type { ScriptStore } from "../../gateway/policies/scripts/script-store.js";
import { parseJsonBody } from "../bedrock/parse-json-body.js";
import { sendJson } from "../bedrock/respond.js";
import type { AdminDoor } from "./admin-door.js";
import type { IncomingCall } from "../../server/call-context.js";

const reply = (call: IncomingCall, status: number, body: unknown) =>
  sendJson(call.res, status, JSON.stringify(body), { "x-amzn-requestid": call.requestId });

const notFound = (id: string) => new BedrockError("ResourceNotFoundException", `No script with id ${id}.`);

export function registerScriptRoutes(admin: AdminDoor, store: ScriptStore): void {
  // One script, or { "scripts": [ … ] } to add several at once (all or none).
  admin.route("POST", "/_basalt/scripts", async (call) => {
    const body = parseJsonBody(await call.readBody()) as Record<string, unknown>;
    const keys = Object.keys(body);
    if (keys.length === 1 && keys[0] === "scripts") {
      if (!Array.isArray(body.scripts)) throw validationError("scripts: must be a list of scripts.");
      reply(call, 201, { scripts: store.addAll(body.scripts) });
      return;
    }
    reply(call, 201, store.add(body));
  });
  admin.route("GET", "/_basalt/scripts", async (call) => {
    await call.readBody();
    reply(call, 200, { scripts: store.list() });
  });
  admin.route("GET", "/_basalt/scripts/{id}", async (call, { id }) => {
    await call.readBody();
    const script = store.get(id);
    if (!script) throw notFound(id);
    reply(call, 200, script);
  });
  admin.route("DELETE", "/_basalt/scripts/{id}", async (call, { id }) => {
    await call.readBody();
    if (!store.remove(id)) throw notFound(id);
    reply(call, 200, { removed: 1 });
  });
  admin.route("DELETE", "/_basalt/scripts", async (call) => {
    await call.readBody();
    reply(call, 200, { removed: store.clear() });
  });
}
