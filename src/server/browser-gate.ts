// What a web page may make a visitor's browser do to a Basalt on their machine, refused before any door
// sees the request (docs/hardening.md):
// - DNS rebinding: a page whose host name is made to resolve to 127.0.0.1 reaches Basalt as "its own
//   origin" and can read the answers; the Host header still carries the page's name. When Basalt is bound
//   to loopback (or server.allowedHosts is set), a Host that is not a loopback name or address, nor listed,
//   is refused.
// - Blind cross-site requests: a page may send a POST without asking first (no CORS preflight) only with
//   text/plain, form or multipart bodies, so those types are refused; any other cross-origin request from a
//   browser carries an Origin header naming another host, and is refused too. Official clients send
//   neither. No CORS headers are sent, so nothing opens the door again.
import { isLoopbackHost } from "../auth/open-access-warning.js";
import { boundedMemo } from "../core/bounded-memo.js";
import { BedrockError } from "../core/errors.js";
import type { Request } from "./http-types.js";

export interface BrowserGateOptions {
  /** The address the server is bound to: a loopback one turns the Host check on. */
  readonly boundHost: string;
  /** Host names (optionally with `:port`) accepted besides loopback ones; setting it turns the Host check on. */
  readonly allowedHosts?: readonly string[];
}

/** Returns the refusal for a request a browser could have been made to send, or undefined. */
export type BrowserGate = (req: Request) => BedrockError | undefined;

// The request body types a browser sends cross-origin without a CORS preflight (Fetch standard).
const SIMPLE_BODY_TYPES = new Set(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]);

/** A name a Host header may use for this machine: a loopback address, `localhost` or a `.localhost` name (RFC 6761). */
function isLoopbackName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  return isLoopbackHost(h) || h.endsWith(".localhost") || /^\[?::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}\]?$/.test(h);
}

/** `example.com:4599` → `example.com`; `[::1]:4599` → `[::1]`. */
function hostnameOf(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(":");
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

const MAX_DECIDED_HOSTS = 256;

const single = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function createBrowserGate(opts: BrowserGateOptions): BrowserGate {
  const allowed = new Set((opts.allowedHosts ?? []).map((h) => h.toLowerCase()));
  const checkHost = opts.allowedHosts !== undefined || isLoopbackHost(opts.boundHost);
  const decide = (host: string) =>
    isLoopbackName(hostnameOf(host)) || allowed.has(host.toLowerCase()) || allowed.has(hostnameOf(host));
  // A client sends the same Host on every request: its answer is kept (a few regular expressions and an
  // isIP per request otherwise).
  const hostAllowed = boundedMemo(decide, MAX_DECIDED_HOSTS);

  return (req) => {
    // HTTP/2 names the host in :authority; Node's compatibility layer leaves `host` unset then.
    const host = single(req.headers.host) ?? single(req.headers[":authority"]);
    if (checkHost && host !== undefined && !hostAllowed(host)) {
      return new BedrockError(
        "AccessDeniedException",
        `This Basalt answers only to loopback host names; ${JSON.stringify(hostnameOf(host))} is not one. List it in server.allowedHosts to allow it.`,
      );
    }
    const origin = single(req.headers.origin);
    if (origin !== undefined && !sameOrigin(origin, host)) {
      return new BedrockError(
        "AccessDeniedException",
        "Cross-origin requests from browsers are not accepted. Call Basalt from a server-side client or an SDK.",
      );
    }
    const type = single(req.headers["content-type"]);
    // Every SDK call says exactly application/json (or nothing): that case skips the parse.
    if (type !== undefined && type !== "application/json" && SIMPLE_BODY_TYPES.has(type.split(";")[0].trim().toLowerCase())) {
      return new BedrockError(
        "ValidationException",
        `The content type ${type.split(";")[0].trim()} isn't supported. Send the body as application/json and try again.`,
      );
    }
    return undefined;
  };
}

/** Whether an Origin header names the same host (and port) the request was sent to. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined || origin === "null") return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}
