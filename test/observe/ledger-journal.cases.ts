// The ledger's journal on its own: rows reach the file at the end of the turn, sealed segments go once
// released, and a new start finds only the segments of journals that are gone (never a live one's), with a
// cut last line skipped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LedgerJournal } from "../../src/observe/ledger/ledger-journal.js";

const turn = () => new Promise((resolve) => setImmediate(resolve));

test("ledger journal: rows are written at the end of the turn; a live journal's files are not leftovers; released segments go", async () => {
  const dir = mkdtempSync(join(tmpdir(), "journal-"));
  const journal = new LedgerJournal(dir);
  journal.append(["r1", 1, "x"], 0, 3);
  journal.append(["pad", "r2", 2, "y"], 1, 3);
  assert.deepEqual(readdirSync(dir), [], "nothing written within the turn");
  await turn();
  assert.equal(readdirSync(dir).length, 1);
  assert.deepEqual(LedgerJournal.leftovers(dir).rows, [], "the open journal's file is not a leftover");
  const mark = journal.seal();
  journal.append(["r3", 3, "z"], 0, 3);
  await turn();
  assert.equal(readdirSync(dir).length, 2, "a new segment after the seal");
  journal.release(mark);
  assert.equal(readdirSync(dir).length, 1, "the sealed segment went");
  journal.close();
  // Closed without release (a stop whose rows were not all written): its file is now a leftover.
  assert.deepEqual(LedgerJournal.leftovers(dir).rows, [["r3", 3, "z"]]);
});

test("ledger journal: a dead process's segments are leftovers, a cut last line is skipped", () => {
  const dir = mkdtempSync(join(tmpdir(), "journal-"));
  // pid 2^22 + 7 is above Linux's default pid_max: no process has it.
  writeFileSync(join(dir, `${2 ** 22 + 7}-abcd0123-000000001.jsonl`), '["a",1]\n["b",2]\n["c",');
  writeFileSync(join(dir, "not-a-segment.txt"), "ignored");
  const { files, rows } = LedgerJournal.leftovers(dir);
  assert.equal(files.length, 1);
  assert.deepEqual(rows, [["a", 1], ["b", 2]]);
});
