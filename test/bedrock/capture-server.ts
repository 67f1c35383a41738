// A loopback server that records every request exactly as it arrived (method, raw path, headers, body) and
// answers with a fixed Bedrock answer. HTTP/1.1 or cleartext HTTP/2, as the client under test speaks.
import { createServer as createH1Server, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createH2Server, type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import type { AddressInfo } from "node:net";
import type { SignedRequest } from "../../src/auth/verify-sigv4.js";

export interface CapturedRequest extends SignedRequest {
  body: Buffer;
}

export interface CaptureServer {
  url: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

// A minimal valid ConverseResponse, so the client's call completes.
const CONVERSE_OK = JSON.stringify({
  output: { message: { role: "assistant", content: [{ text: "ok" }] } },
  stopReason: "end_turn",
  usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
  metrics: { latencyMs: 1 },
});

export async function startCaptureServer(protocol: "h1" | "h2"): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const handler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: { ...req.headers }, body: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "capture-1" });
      res.end(CONVERSE_OK);
    });
  };
  const server = protocol === "h1" ? createH1Server(handler) : createH2Server(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
