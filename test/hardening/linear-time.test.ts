// Issue 21, item 6: stop-sequence matching takes time linear in the reply plus the sequences, whatever the
// sequences. The matcher agrees with the naive definition (the earliest indexOf) on random inputs; the work
// of 1,000 crafted sequences over a long reply is measured as CPU time (not wall time, which a loaded machine
// stretches); and end to end, the request that used to hold the server for 28 s answers at once.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ConverseCommand, ValidationException } from "@aws-sdk/client-bedrock-runtime";
import { findStopSequence, MAX_STOP_SEQUENCE_CHARS } from "../../src/providers/echo/find-stop-sequence.js";
import { cutReply } from "../../src/providers/echo/cut-reply.js";
import { h2Client } from "../helpers/clients.js";
import { startBasalt, type RunningBasalt } from "../helpers/start-basalt.js";

/** The definition: the smallest indexOf, before `before`; the longest sequence on a tie. */
function naive(text: string, sequences: string[], before = text.length) {
  let best: { index: number; sequence: string } | undefined;
  for (const s of sequences) {
    if (!s) continue;
    const index = text.indexOf(s);
    if (index === -1 || index >= before) continue;
    if (!best || index < best.index || (index === best.index && s.length > best.sequence.length)) best = { index, sequence: s };
  }
  return best;
}

test("agrees with the earliest indexOf on random texts and sequences (small alphabets, many overlaps)", () => {
  const text = fc.array(fc.constantFrom("a", "b", "c", "é", "😀"), { maxLength: 30 }).map((cs) => cs.join(""));
  fc.assert(
    fc.property(text, fc.array(text, { maxLength: 12 }), fc.option(fc.nat(70), { nil: undefined }), (t, seqs, before) => {
      assert.deepEqual(findStopSequence(t, seqs, before), naive(t, seqs, before));
    }),
    { numRuns: 3_000 },
  );
});

/** CPU time of `fn` in ms: what the event loop spends, whatever else the machine is doing. */
function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1_000;
}

const LONG_TEXT = "a".repeat(1_000_000);
// Each shares a long prefix with the text and fails at its last character: indexOf's worst case.
const CRAFTED = Array.from({ length: 1_000 }, (_, i) => `${"a".repeat(200 + i)}b`);

test("1,000 crafted sequences over a 1,000,000-character reply: linear work", () => {
  // Warm up the JIT so the measurement is the algorithm, not compilation.
  findStopSequence("aaab", ["ab"]);
  const crafted = cpuMs(() => assert.equal(findStopSequence(LONG_TEXT, CRAFTED), undefined));
  const plain = cpuMs(() => assert.equal(findStopSequence(LONG_TEXT, CRAFTED.map((_, i) => `z${i}`)), undefined));
  // indexOf per sequence took ~10 s of CPU for this (each call quadratic in effect); linear work is well under a second.
  assert.ok(crafted < 2_000, `crafted sequences: ${crafted} ms of CPU`);
  assert.ok(plain < 2_000, `plain sequences: ${plain} ms of CPU`);
  // And a hit near the end is still found.
  const hit = findStopSequence(`${LONG_TEXT}b`, CRAFTED);
  assert.equal(hit?.sequence, CRAFTED[CRAFTED.length - 1]);
  assert.equal(hit?.index, LONG_TEXT.length + 1 - CRAFTED[CRAFTED.length - 1].length);
});

test("cutReply: the earlier of the token limit and the first stop sequence; too many characters is a ValidationException", () => {
  assert.deepEqual(cutReply("one two three four", 3, ["four", "two"]), { text: "one ", stopReason: "stop_sequence" });
  assert.deepEqual(cutReply("one two three four", 1, ["two"]), { text: "one", stopReason: "max_tokens" });
  assert.deepEqual(cutReply("one two", undefined, ["zzz"]), { text: "one two", stopReason: "end_turn" });
  const huge = Array.from({ length: 20 }, (_, i) => `${"x".repeat(MAX_STOP_SEQUENCE_CHARS / 10)}${i}`);
  assert.throws(() => cutReply("x".repeat(MAX_STOP_SEQUENCE_CHARS), undefined, huge), /at most 1000000 characters/);
});

let basalt: RunningBasalt;
before(async () => {
  basalt = await startBasalt();
});
after(() => basalt.stop());

test("end to end: 1,000 crafted stop sequences answer within 2 s of the same request without them", async () => {
  const client = h2Client(basalt.url);
  try {
    const messages = [{ role: "user" as const, content: [{ text: LONG_TEXT }] }];
    const send = (stopSequences?: string[]) => {
      const started = Date.now();
      return client.send(new ConverseCommand({ modelId: "basalt.echo", messages, inferenceConfig: { stopSequences } }))
        .then((out) => ({ out, ms: Date.now() - started }));
    };
    await send();
    const plain = await send();
    const crafted = await send(CRAFTED);
    assert.equal(crafted.out.stopReason, "end_turn");
    assert.ok(crafted.ms < plain.ms + 2_000, `${crafted.ms} ms with the sequences, ${plain.ms} ms without`);
    const stopped = await send([...CRAFTED, "aaaa"]);
    assert.equal(stopped.out.stopReason, "stop_sequence");
    assert.equal(stopped.out.output?.message?.content?.[0]?.text, "");
    await assert.rejects(
      client.send(new ConverseCommand({
        modelId: "basalt.echo", messages,
        inferenceConfig: { stopSequences: Array.from({ length: 10 }, (_, i) => `${"a".repeat(150_000)}${i}`) },
      })),
      ValidationException,
    );
  } finally {
    client.destroy();
  }
});
