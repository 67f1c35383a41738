// `$n` → `?` for SQLite: every placeholder outside quotes and comments, bound in the order it appears.
import assert from "node:assert/strict";
import { test } from "node:test";
import { orderParams, rewritePlaceholders } from "../../src/storage/rewrite-placeholders.js";

test("placeholders become ? with their parameter order; repeats and any order work", () => {
  assert.deepEqual(rewritePlaceholders("SELECT * FROM t WHERE a = $2 AND b = $1 OR c = $2"), {
    sql: "SELECT * FROM t WHERE a = ? AND b = ? OR c = ?",
    order: [1, 0, 1],
  });
  assert.deepEqual(rewritePlaceholders("VALUES ($10,$1)").order, [9, 0]);
});

test("quotes, quoted identifiers and comments are left as written", () => {
  const sql = `SELECT '$1', 'it''s $2', "col$3", $1 -- not $4\n/* nor $5 */ FROM t`;
  assert.deepEqual(rewritePlaceholders(sql), {
    sql: `SELECT '$1', 'it''s $2', "col$3", ? -- not $4\n/* nor $5 */ FROM t`,
    order: [0],
  });
});

test("a $ inside a name or a lone $ is not a placeholder", () => {
  assert.deepEqual(rewritePlaceholders("SELECT a$1, $ FROM t"), { sql: "SELECT a$1, $ FROM t", order: [] });
});

test("a placeholder without a value is refused", () => {
  assert.deepEqual(orderParams([1, 0], ["a", "b"]), ["b", "a"]);
  assert.throws(() => orderParams([2], ["a", "b"]), /\$3 has no value/);
  assert.throws(() => orderParams([-1], ["a"]), /\$0 has no value/);
});
