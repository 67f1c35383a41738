// Without an `auth` section anyone who reaches the port spends the provider credentials behind it. Fine on
// loopback (local dev); said loudly at start-up when bound to anything else.
import { isIP } from "node:net";

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  return isIP(h) === 4 && h.startsWith("127.");
}

/** The warning to log, or undefined when there is nothing to warn about. */
export function openAccessWarning(opts: { authConfigured: boolean; host: string }): string | undefined {
  if (opts.authConfigured || isLoopbackHost(opts.host)) return undefined;
  return `no auth section in the config: anyone who can reach ${opts.host} can call every model with the credentials configured here; add auth.keys (see the README) or bind to 127.0.0.1`;
}
