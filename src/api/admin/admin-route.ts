// The observability routes as a list the composition root plugs into the admin door (`admin.route(…)`), with
// the small JSON/text answer helpers they share.
import type { ServerResponse } from "node:http";
import type { IncomingCall } from "../../server/call-context.js";

export interface AdminRoute {
  readonly method: "GET" | "POST" | "DELETE";
  readonly path: string;
  handle(call: IncomingCall, url: URL): Promise<void>;
}

/** The request URL with its query (the admin door matches on the path alone). */
export function requestUrl(call: IncomingCall): URL {
  return new URL(call.req.url ?? "/", "http://basalt.invalid");
}

/** A bad query parameter: answered 400 with a ValidationException body, like the AWS routes. */
export class AdminQueryError extends Error {}

export function sendAdminJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}

export function sendAdminText(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  res.end(body);
}

/** Runs a handler body; a bad parameter becomes 400, a failing store 503, both as JSON `{ message }`. */
export async function answer(res: ServerResponse, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const bad = err instanceof AdminQueryError;
    const message = bad ? err.message : `The call store is unavailable: ${(err as Error).message}`;
    const body = JSON.stringify({ message });
    res.writeHead(bad ? 400 : 503, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "x-amzn-errortype": bad ? "ValidationException" : "ServiceUnavailableException",
    });
    res.end(body);
  }
}
