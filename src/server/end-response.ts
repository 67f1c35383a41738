// Ends a response with a whole body, a slice at a time as the client reads. Written in one go, a large
// body sits in memory until a slow client takes it — over HTTP/2 inside the session, whose memory cap
// (maxSessionMemory) then makes it refuse every new stream of that client (ENHANCE_YOUR_CALM). Slices
// follow back-pressure, so what waits per response is bounded by the stream's buffer.
import type { Response } from "./http-types.js";

const SLICE_BYTES = 64 * 1024;

export function endResponse(res: Response, body: string | Uint8Array): void {
  // A string that cannot reach a slice (at most 3 UTF-8 bytes per UTF-16 unit) goes as it is: node:http then
  // writes the head and the body in one string write, where a Buffer costs a copy and a two-part writev.
  if (typeof body === "string" && body.length * 3 <= SLICE_BYTES) {
    res.end(body);
    return;
  }
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  if (bytes.byteLength <= SLICE_BYTES) {
    res.end(bytes);
    return;
  }
  let offset = 0;
  const writeSlices = () => {
    while (offset < bytes.byteLength) {
      if (res.destroyed) return;
      const end = Math.min(offset + SLICE_BYTES, bytes.byteLength);
      const slice = bytes.subarray(offset, end);
      offset = end;
      if (offset === bytes.byteLength) {
        res.end(slice);
        return;
      }
      if (!res.write(slice)) {
        res.once("drain", writeSlices);
        return;
      }
    }
  };
  writeSlices();
}
