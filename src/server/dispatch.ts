// The one dispatch table: which front door answers a request, by its path. Doors are plugged in by name
// (app.ts). Order: reserved prefixes first, then the doors that recognise their own routes (the control
// plane), then the Bedrock Runtime door, which takes everything else — including a reserved prefix whose
// door is not plugged in — and answers a path it does not know as Bedrock does (404 UnknownOperationException).
import type { CallRecord } from "../core/call-record.js";
import type { Authenticator } from "../auth/authenticate.js";
import { authenticateCall, type DoorAuthentication } from "./authenticate-call.js";
import type { BrowserGate } from "./browser-gate.js";
import { IncomingCall, type CallSetup } from "./call-context.js";
import type { Request, Response } from "./http-types.js";

/** A front door: one protocol's handling of the requests dispatched to it. */
export interface FrontDoor {
  /** `record.frontDoor` of its calls: "bedrock", "control-plane", "openai", "anthropic", "admin". */
  readonly name: string;
  /** For doors found by route: whether a method and path are one of its routes. */
  claims?(method: string, path: string): boolean;
  /** Answers the request; never throws (errors become the protocol's error response). */
  serve(call: IncomingCall): Promise<void>;
  /** How its callers prove who they are when auth is on; runtime credentials (SigV4, Bedrock API keys) by default. */
  readonly authentication?: DoorAuthentication;
  /** Answers a call refused before the door saw it (authentication), as the door's protocol words errors. */
  refuse(call: IncomingCall, error: unknown): void;
}

export type DoorName = "admin" | "openai" | "anthropic" | "runtime" | "controlPlane";

/** Path prefixes reserved for a door. A prefix without a trailing '/' also matches the path itself. */
const BY_PREFIX: readonly (readonly [prefix: string, door: DoorName])[] = [
  ["/_basalt/", "admin"],
  // Prometheus scrapes /metrics by convention; it is Basalt's own route like those under /_basalt/.
  ["/metrics", "admin"],
  ["/openai/v1/", "openai"],
  ["/v1/chat/completions", "openai"],
  ["/v1/responses", "openai"],
  ["/v1/models", "openai"],
  ["/anthropic/v1/", "anthropic"],
  ["/v1/messages", "anthropic"],
];

/** Doors that recognise their routes themselves, asked in this order after the prefixes. */
const BY_ROUTE: readonly DoorName[] = ["controlPlane"];

/** Takes every request no other door takes. */
const FALLBACK: DoorName = "runtime";

function prefixDoor(path: string): DoorName | undefined {
  for (const [prefix, door] of BY_PREFIX) {
    if (!path.startsWith(prefix)) continue;
    if (prefix.endsWith("/") || path.length === prefix.length || path.charCodeAt(prefix.length) === 47 /* / */) return door;
  }
  return undefined;
}

export interface Dispatcher {
  /** Plugs a front door in under a name of the table; a later plug replaces an earlier one. */
  plug(name: DoorName, door: FrontDoor): void;
  /** The request handler for server/listen. */
  handle(req: Request, res: Response): void;
  /**
   * Answers every request still waiting for its response with `error`, each as its door words errors (the
   * end of the shutdown grace: a Bedrock ServiceUnavailableException rather than a cut connection). A
   * response already under way (a stream) is left to be cut. Returns how many were answered.
   */
  answerRemaining(error: unknown): number;
}

/** A door answering everything with a bare 404, until the runtime door is plugged in. */
const NOTHING: FrontDoor = {
  name: "none",
  async serve({ res }) {
    res.writeHead(404).end();
  },
  refuse({ res }) {
    res.writeHead(403).end();
  },
};

/** What the dispatcher needs besides the per-call setup. */
export interface DispatchSetup extends CallSetup {
  /** Authentication for every request (auth/); absent or disabled: every caller is anonymous. */
  readonly authenticator?: Authenticator;
  /** Refuses what a web page could make a browser send (foreign Host, cross-origin, form bodies). */
  readonly browserGate?: BrowserGate;
}

export function createDispatcher(setup: DispatchSetup): Dispatcher {
  const auth = setup.authenticator?.enabled ? setup.authenticator : undefined;
  const doors = new Map<DoorName, FrontDoor>();
  // Calls whose response has not closed, with the door that answers them.
  const open = new Map<IncomingCall, FrontDoor>();
  const forget = (call: IncomingCall) => void open.delete(call);

  function doorFor(method: string, path: string): FrontDoor {
    const reserved = prefixDoor(path);
    const plugged = reserved && doors.get(reserved);
    if (plugged) return plugged;
    if (!reserved) {
      for (const name of BY_ROUTE) {
        const door = doors.get(name);
        if (door?.claims?.(method, path)) return door;
      }
    }
    return doors.get(FALLBACK) ?? NOTHING;
  }

  return {
    plug(name, door) {
      doors.set(name, door);
    },
    handle(req, res) {
      const url = req.url ?? "";
      const q = url.indexOf("?");
      const path = q === -1 ? url : url.slice(0, q);
      const door = doorFor(req.method ?? "", path);
      const call = new IncomingCall(req, res, path, door.name, setup, forget);
      open.set(call, door);
      const refusal = setup.browserGate?.(req);
      if (refusal) return void door.refuse(call, refusal);
      if (!auth) return void door.serve(call);
      let pending: Promise<void> | undefined;
      try {
        pending = authenticateCall(auth, call, door.authentication);
      } catch (err) {
        return door.refuse(call, err);
      }
      if (!pending) return void door.serve(call);
      pending.then(
        () => door.serve(call),
        (err: unknown) => door.refuse(call, err),
      );
    },
    answerRemaining(error) {
      let answered = 0;
      for (const [call, door] of open) {
        if (call.res.headersSent || call.res.writableEnded) continue;
        door.refuse(call, error);
        answered++;
      }
      return answered;
    },
  };
}

export type { CallRecord, IncomingCall };
