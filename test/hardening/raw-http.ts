// Raw HTTP/1.1 and HTTP/2 exchanges for the inputs an official SDK will not send (null union members,
// unknown keys, deep nesting, foreign content types, forged Host headers). Every exchange has a deadline, so
// a server that never answers fails the test instead of hanging it.
import { request as h1Request } from "node:http";
import { connect, constants, type ClientHttp2Session } from "node:http2";

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The `x-amzn-errortype` header cut at its first ':', as SDKs read it. */
  errorType?: string;
  ms: number;
}

export interface RawRequest {
  method?: string;
  path: string;
  body?: string | Buffer;
  /** Extra headers; one given as "" is left out (e.g. no content-type at all). */
  headers?: Record<string, string>;
  /** Fails the exchange after this long (default 10 s). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function withHeaders(base: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  const all = { ...base, ...extra };
  for (const k of Object.keys(all)) if (all[k] === "") delete all[k];
  return all;
}

function answer(status: number, headers: RawAnswer["headers"], body: string, started: number): RawAnswer {
  const type = headers["x-amzn-errortype"];
  return {
    status, headers, body, ms: Date.now() - started,
    errorType: typeof type === "string" ? type.split(":")[0] : undefined,
  };
}

/** One HTTP/1.1 exchange on a fresh connection. */
export function h1(url: string, req: RawRequest): Promise<RawAnswer> {
  const started = Date.now();
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const body = req.body ?? "";
    const r = h1Request({
      host: target.hostname, port: target.port, method: req.method ?? "POST", path: req.path, agent: false,
      headers: withHeaders({ "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }, req.headers),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        clearTimeout(timer);
        resolve(answer(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString("utf8"), started));
      });
      res.on("error", reject);
    });
    const timer = setTimeout(() => {
      r.destroy();
      reject(new Error(`no answer to ${req.path} within ${req.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms (HTTP/1.1)`));
    }, req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    r.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    r.end(body);
  });
}

/** One HTTP/2 exchange on a session (opened per call when none is given). */
export async function h2(url: string, req: RawRequest, session?: ClientHttp2Session): Promise<RawAnswer> {
  const own = session ?? connect(url);
  try {
    return await h2On(own, req);
  } finally {
    if (!session) own.close();
  }
}

function h2On(session: ClientHttp2Session, req: RawRequest): Promise<RawAnswer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const body = req.body ?? "";
    const stream = session.request(withHeaders({ ":method": req.method ?? "POST", ":path": req.path, "content-type": "application/json" }, req.headers));
    const timer = setTimeout(() => {
      stream.close(constants.NGHTTP2_CANCEL);
      reject(new Error(`no answer to ${req.path} within ${req.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms (HTTP/2)`));
    }, req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let status = 0;
    let headers: RawAnswer["headers"] = {};
    stream.on("response", (h) => {
      status = Number(h[":status"]);
      headers = h;
    });
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      clearTimeout(timer);
      resolve(answer(status, headers, Buffer.concat(chunks).toString("utf8"), started));
    });
    stream.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    // Node's client ends GET, HEAD and DELETE streams itself (no body).
    if (!stream.writableEnded) stream.end(body);
  });
}

/** Both transports, for cases that must hold on each. */
export const RAW_TRANSPORTS = [["HTTP/1.1", h1], ["HTTP/2", h2]] as const;

/** The JSON `message` of an error answer. */
export function messageOf(a: RawAnswer): string {
  try {
    return String((JSON.parse(a.body) as { message?: unknown }).message ?? "");
  } catch {
    return "";
  }
}
