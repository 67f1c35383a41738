// One handler serves HTTP/1.1 and HTTP/2 through Node's compatibility API. Http2ServerResponse offers the
// same writeHead/write/end/flushHeaders surface, so the handler is typed against the HTTP/1.1 shapes and the
// transport casts once (server/listen.ts).
import type { IncomingMessage, ServerResponse } from "node:http";

export type Request = IncomingMessage;
export type Response = ServerResponse;
export type Headers = Record<string, string | number>;
