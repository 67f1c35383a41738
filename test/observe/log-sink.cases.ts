// The JSON log sink (src/log-sink.ts): lines written within FLUSH_MS reach stdout's writer as one write; a
// large batch goes at once; what waits is written on the way out of a process that exits before the timer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { batchedSink, FLUSH_MS } from "../../src/log-sink.js";

function recorder() {
  const writes: string[] = [];
  let syncFlushes = 0;
  return {
    writes,
    syncFlushes: () => syncFlushes,
    out: {
      write(lines: string) {
        writes.push(lines);
        return true;
      },
      flushSync() {
        syncFlushes++;
      },
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("log sink: lines of a few milliseconds go in one write, after FLUSH_MS", async () => {
  const r = recorder();
  const sink = batchedSink(r.out);
  sink.write("a\n");
  sink.write("b\n");
  await sleep(1);
  sink.write("c\n");
  assert.deepEqual(r.writes, [], "nothing is written before the batch's time is up");
  await sleep(FLUSH_MS + 20);
  assert.deepEqual(r.writes, ["a\nb\nc\n"]);
  sink.write("d\n");
  await sleep(FLUSH_MS + 20);
  assert.deepEqual(r.writes, ["a\nb\nc\n", "d\n"], "a later line starts a batch of its own");
});

test("log sink: a batch of 16 KiB is handed over at once", () => {
  const r = recorder();
  const sink = batchedSink(r.out);
  const line = `${"x".repeat(1023)}\n`;
  for (let i = 0; i < 16; i++) sink.write(line);
  assert.equal(r.writes.length, 1);
  assert.equal(r.writes[0], line.repeat(16));
  sink.flushSync();
  assert.equal(r.writes.length, 1, "nothing was left to hand over");
  assert.equal(r.syncFlushes(), 1);
});

test("log sink: flushSync hands over what waits and writes it out synchronously", () => {
  const r = recorder();
  const sink = batchedSink(r.out);
  sink.write("last words\n");
  sink.flushSync();
  assert.deepEqual(r.writes, ["last words\n"]);
  assert.equal(r.syncFlushes(), 1);
});

test("log sink: a process that exits with lines waiting writes them on its way out", async () => {
  const sinkModule = fileURLToPath(new URL("../../src/log-sink.ts", import.meta.url));
  // The real stdout writer (sonic-boom on fd 1), wired as src/log.ts wires it. The program exits right after
  // its lines, so the batch's timer never fires: only the exit handler can write them.
  const program = `
    const { batchedSink } = await import(${JSON.stringify(sinkModule)});
    const sink = batchedSink();
    process.on("exit", () => sink.flushSync());
    for (let i = 0; i < 3; i++) sink.write("line " + i + "\\n");
    process.exit(0);
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", program], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 0, err);
  assert.equal(out, "line 0\nline 1\nline 2\n");
});
