// HTTP/1.1 and cleartext HTTP/2 on one port (DIGEST §14): a raw TCP server peeks at the first bytes of
// each connection and hands it to the http2 server when they are the HTTP/2 client preface (the JS SDK's
// prior-knowledge h2c), else to the http server (boto3, curl, fetch). With TLS, ALPN chooses instead.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  createServer as createHttp2Server, createSecureServer, type Http2ServerRequest, type Http2ServerResponse,
  type Http2Session, type ServerHttp2Stream,
} from "node:http2";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";

export type Handler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void;

/** How long a connection may keep the server waiting (docs/hardening.md). */
export interface ConnectionTimeouts {
  /**
   * A request's head must be complete this long after its first byte (on a new connection: after it
   * connects, HTTP/2 preface included); else 408 and the connection is closed.
   */
  readonly headersMs: number;
  /** A connection or HTTP/2 session with no request in flight is closed after this long without traffic. */
  readonly idleMs: number;
}

export const DEFAULT_CONNECTION_TIMEOUTS: ConnectionTimeouts = { headersMs: 10_000, idleMs: 60_000 };

export interface ListenOptions {
  port: number;
  host: string;
  handler: Handler;
  tls?: { certFile: string; keyFile: string };
  timeouts?: ConnectionTimeouts;
}

export interface RunningServer {
  readonly port: number;
  readonly host: string;
  readonly protocol: "http" | "https";
  /**
   * Stops accepting and lets in-flight requests finish for up to graceMs. Then `onGraceOver` may answer what
   * is still running (it gets a moment to be written), and whatever remains is cut.
   */
  close(graceMs: number, onGraceOver?: () => void): Promise<void>;
}

// How long the answers given at the end of the grace get to be written before their connections are cut.
const ANSWER_FLUSH_MS = 250;

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

// Generous HTTP/2 settings: streams are long-lived and many run at once.
const H2_SETTINGS = { maxConcurrentStreams: 1000, initialWindowSize: 1 << 20 };
// What one HTTP/2 session may hold in nghttp2's buffers before it refuses new streams (Node's default is
// 10 MB). Responses are written with back-pressure (end-response.ts, the stream writer), so this is headroom
// for many concurrent streams of one client, not for one slow reader.
const MAX_SESSION_MEMORY_MB = 32;

export async function listen(opts: ListenOptions): Promise<RunningServer> {
  const timeouts = opts.timeouts ?? DEFAULT_CONNECTION_TIMEOUTS;
  const sessions = new Set<Http2Session>();
  const sockets = new Set<Socket>();
  // Connections not yet handed to either server (still sending their first bytes).
  const undecided = new Set<Socket>();
  const watchSessions = idleSessionWatcher(timeouts.idleMs);
  const track = (session: Http2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    watchSessions(session);
  };

  const h1 = createHttpServer({
    keepAliveTimeout: timeouts.idleMs,
    headersTimeout: timeouts.headersMs,
    // The body's own timeout is progress-based (read-body.ts); a whole-request deadline would cut slow uploads.
    requestTimeout: 0,
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, timeouts.headersMs / 4)),
  }, opts.handler);
  // The http server is handed sockets and never listens, and Node starts its connection tracking — which
  // runs headersTimeout (slowloris, silent sockets) and closeIdleConnections() — on 'listening'. Start it.
  h1.emit("listening");
  // A request with `Expect: 100-continue` goes to the handler without an automatic 100 Continue: the body
  // reader sends it only for a body it will accept (an oversized one is refused without being asked for).
  h1.on("checkContinue", opts.handler);
  // Requests in flight per HTTP/1.1 socket, so shutdown can tell idle keep-alive sockets from busy ones.
  const inFlight = new Map<Socket, number>();
  h1.on("connection", (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once("close", () => inFlight.delete(socket));
  });
  let closing = false;
  const countH1Request = (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    res.once("close", () => inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1));
    // Once stopping, a busy keep-alive connection closes after its response.
    if (closing) res.setHeader("connection", "close");
  };
  h1.on("request", countH1Request);
  h1.on("checkContinue", countH1Request);
  const closeIdleH1 = () => {
    for (const [socket, n] of inFlight) if (n === 0) socket.destroy();
  };
  let outer: NetServer;

  if (opts.tls) {
    const secure = createSecureServer(
      {
        cert: readFileSync(opts.tls.certFile), key: readFileSync(opts.tls.keyFile), allowHTTP1: true, settings: H2_SETTINGS, maxSessionMemory: MAX_SESSION_MEMORY_MB,
        handshakeTimeout: timeouts.headersMs,
      },
      opts.handler,
    );
    // HTTP/1.1 over TLS is served by the secure server itself, with the http server's timeouts.
    Object.assign(secure, { headersTimeout: timeouts.headersMs, keepAliveTimeout: timeouts.idleMs, requestTimeout: 0 });
    secure.on("checkContinue", opts.handler);
    secure.on("session", track);
    // HTTP/1.1 over TLS is served by the secure server itself (allowHTTP1), not by `h1`: its connections and
    // requests are counted the same way, so shutdown drops idle keep-alives instead of waiting out the grace.
    secure.on("secureConnection", (socket: TLSSocket) => {
      if (socket.alpnProtocol === "h2") return;
      inFlight.set(socket, 0);
      socket.once("close", () => inFlight.delete(socket));
    });
    const countTlsH1Request = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
      if (req.httpVersionMajor === 1) countH1Request(req as IncomingMessage, res as ServerResponse);
    };
    secure.on("request", countTlsH1Request);
    secure.on("checkContinue", countTlsH1Request);
    outer = secure;
  } else {
    const h2 = createHttp2Server({ settings: H2_SETTINGS, maxSessionMemory: MAX_SESSION_MEMORY_MB }, opts.handler);
    h2.on("checkContinue", opts.handler);
    h2.on("session", track);
    outer = createNetServer({ noDelay: true }, (socket) => {
      undecided.add(socket);
      routeConnection(socket, h1, h2, timeouts.headersMs, () => undecided.delete(socket));
    });
  }
  outer.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    outer.once("error", reject);
    outer.listen(opts.port, opts.host, () => {
      outer.off("error", reject);
      resolve();
    });
  });
  const address = outer.address() as AddressInfo;

  return {
    port: address.port,
    host: opts.host,
    protocol: opts.tls ? "https" : "http",
    async close(graceMs: number, onGraceOver?: () => void) {
      const closed = new Promise<void>((resolve) => outer.close(() => resolve()));
      // HTTP/2: GOAWAY lets open streams finish and refuses new ones. HTTP/1.1: drop idle keep-alives
      // now and mark busy ones to close after their response.
      for (const s of sessions) s.close();
      // A connection that has not sent a request yet has nothing to finish.
      for (const socket of undecided) socket.destroy();
      closeIdleH1();
      closing = true;
      const idle = setInterval(closeIdleH1, 50);
      const cut = () => {
        for (const socket of sockets) socket.destroy();
        for (const s of sessions) s.destroy();
      };
      let flush: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        if (!onGraceOver) return cut();
        onGraceOver();
        // The answers are small and written at once; this only lets them leave before the sockets close.
        flush = setTimeout(cut, ANSWER_FLUSH_MS);
      }, graceMs);
      await closed;
      clearInterval(idle);
      clearTimeout(timer);
      clearTimeout(flush);
      // Stops the connection tracking started above (the server was never listening: the callback's error is expected).
      h1.close(() => undefined);
    },
  };
}

function routeConnection(
  socket: Socket,
  h1: ReturnType<typeof createHttpServer>,
  h2: ReturnType<typeof createHttp2Server>,
  headersMs: number,
  decided: () => void,
): void {
  let head: Buffer = Buffer.alloc(0);
  // A socket that stays silent, or sends part of the HTTP/2 preface and stops, is closed.
  const timer = setTimeout(() => socket.destroy(), headersMs);
  const onData = (chunk: Buffer) => {
    head = head.length ? Buffer.concat([head, chunk]) : chunk;
    const n = Math.min(head.length, PREFACE.length);
    const isH2 = head.subarray(0, n).equals(PREFACE.subarray(0, n));
    // Undecided until the bytes seen could still be either (a prefix of the preface).
    if (isH2 && head.length < PREFACE.length) return;
    clearTimeout(timer);
    decided();
    socket.off("data", onData);
    socket.pause();
    socket.unshift(head);
    if (isH2) {
      // The session takes over the native handle (no JS stream in the data path) and, on its first tick,
      // feeds itself whatever is already buffered on the socket — the preface bytes put back above
      // (Node's Http2Session constructor: "Socket already has some buffered data").
      h2.emit("connection", socket);
    } else {
      h1.emit("connection", socket);
      socket.resume();
    }
  };
  socket.on("data", onData);
  socket.once("close", () => {
    clearTimeout(timer);
    decided();
  });
  socket.on("error", () => socket.destroy());
}

/**
 * Closes an HTTP/2 session once it has had no open stream and no traffic for `idleMs`. A session whose
 * streams are merely quiet (a model thinking) is left alone; it is checked again after its next traffic.
 */
function idleSessionWatcher(idleMs: number): (session: Http2Session) => void {
  return (session) => {
    let open = 0;
    session.on("stream", (stream: ServerHttp2Stream) => {
      open++;
      stream.once("close", () => open--);
    });
    // A listener of its own: setTimeout's callback would run only once, and the timer re-arms on traffic.
    session.on("timeout", () => {
      if (open === 0) session.close();
    });
    session.setTimeout(idleMs);
  };
}
