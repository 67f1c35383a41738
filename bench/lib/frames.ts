// Finding the content frames of a streamed answer cheaply on the client: the stamped upstream
// (bench/servers/openai-upstream.ts --stamp) writes `~<µs in base 36>` into each content chunk's text (no
// `@` and no long run of digits: the full stack's EMAIL and PHONE patterns would wake up), and both an SSE
// `data:` line (direct, Portkey) and an event-stream contentBlockDelta frame (Basalt) carry that text as it
// is. The client therefore only splits frames and reads the stamp; it does not check CRCs or parse JSON,
// so at thousands of streams it keeps up with the server.

const STAMP = /~([0-9a-z]{4,})\b/;

/** Splits a byte stream into frames and reports each content frame's upstream stamp (µs). */
export interface FrameSplitter { push(chunk: Buffer): void }

export function sseSplitter(onStamp: (stampUs: number) => void): FrameSplitter {
  let pending = "";
  return {
    push(chunk) {
      pending += chunk.toString("latin1");
      for (let end = pending.indexOf("\n\n"); end !== -1; end = pending.indexOf("\n\n")) {
        const m = STAMP.exec(pending.slice(0, end));
        pending = pending.slice(end + 2);
        if (m) onStamp(parseInt(m[1], 36));
      }
    },
  };
}

/** AWS event-stream frames: 4-byte total length, 4-byte headers length, prelude CRC, headers, payload, CRC. */
export function eventStreamSplitter(onStamp: (stampUs: number) => void): FrameSplitter {
  let pending: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 12) {
        const total = pending.readUInt32BE(0);
        if (pending.length < total) break;
        const headersLength = pending.readUInt32BE(4);
        const m = STAMP.exec(pending.toString("latin1", 12 + headersLength, total - 4));
        pending = pending.subarray(total);
        if (m) onStamp(parseInt(m[1], 36));
      }
    },
  };
}

/** CLOCK_MONOTONIC in µs, the upstream's stamp clock (shared by every process on the machine). */
export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
