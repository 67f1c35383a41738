// An admin route: Basalt's own endpoints under /_basalt/ (and /metrics), outside the AWS API. The dispatcher
// matches method + path exactly and, when auth is on, checks the admin key before calling `handle`.
import type { IncomingMessage, ServerResponse } from "node:http";

export interface AdminRoute {
  readonly method: "GET" | "POST" | "DELETE";
  readonly path: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
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
