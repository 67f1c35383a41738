// The linear-time regex engine: the same matches as JavaScript's RegExp on the syntax it accepts, refusal
// of what cannot run in linear time, and no blow-up on the patterns that stall a backtracking engine.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { SafeRegex } from "../../src/guardrails/text/safe-regex/safe-regex.js";

function nativeMatches(pattern: string, text: string, flags = "g") {
  return [...text.matchAll(new RegExp(pattern, flags))].map((m) => ({ index: m.index, text: m[0], groups: m.slice(1) }));
}
function safeMatches(pattern: string, text: string, ignoreCase = false) {
  return [...new SafeRegex(pattern, { ignoreCase }).matches(text)].map((m) => ({ index: m.index, text: m.text, groups: [...m.groups] }));
}

describe("SafeRegex", () => {
  const cases: [string, string][] = [
    ["CLM-[0-9]{4}-[0-9]{5}-[0-9]", "claim CLM-2608-00042-4 and CLM-1-2"],
    ["\\bfoo\\b", "xfoo foo foox foo."],
    ["a|ab", "ab ab"], ["ab|a", "ab a"], ["a*?b", "aaab b"], ["a+?", "aaa"], ["a{2,3}", "aaaaaaa"],
    ["(\\d{3})-(\\d{2})-(\\d{4})", "ssn 123-45-6789, 987-65-4321"], ["x(y)?z", "xz xyz"], ["^abc$", "abc"],
    ["[^\\s@]+@[^\\s@]+\\.[a-z]{2,}", "mail a.b@c.io or x@y.org."], ["colou?r", "color colour colouur"],
    ["(?:ab)+", "abababa"], ["[A-Fa-f0-9]{2}(?::[A-Fa-f0-9]{2}){5}", "mac 00:1A:2b:3C:4d:5E!"],
    ["\\$\\d+(?:\\.\\d\\d)?", "costs $12.50 or $7"], ["[\\u0041-\\u0043]+", "xxABCDx"], ["\\x41", "A"],
    ["(a|b)*c", "ababc abx c"], ["", "ab"], ["\\Bb", "ab b"], ["[-a]+", "a-a b"], ["[\\]x]+", "]x]"],
  ];
  for (const [pattern, text] of cases) {
    it(`matches like RegExp: /${pattern}/ on ${JSON.stringify(text)}`, () => {
      assert.deepEqual(safeMatches(pattern, text), nativeMatches(pattern, text));
    });
  }

  it("agrees with RegExp on random texts for a set of patterns (property)", () => {
    const patterns = ["a+b", "(a|ab)(c|bcd)", "[ab]*c?", "a{1,3}b{0,2}", "(?:a|b)+?c", "\\ba\\w*", "b(a*)b"];
    fc.assert(fc.property(fc.constantFrom(...patterns), fc.stringMatching(/^[abc d]{0,30}$/), (pattern, text) => {
      assert.deepEqual(safeMatches(pattern, text), nativeMatches(pattern, text));
    }), { numRuns: 500 });
  });

  it("matches case-insensitively with the option or a leading (?i)", () => {
    assert.deepEqual(safeMatches("hello", "say HeLLo", true).map((m) => m.text), ["HeLLo"]);
    assert.deepEqual(safeMatches("(?i)[^a]", "aAb").map((m) => m.text), ["b"]);
  });

  it("refuses what cannot run in linear time, and malformed patterns, with a reason", () => {
    assert.match(SafeRegex.problem("(a)\\1")!, /backreferences/);
    assert.match(SafeRegex.problem("a(?=b)")!, /lookaround/);
    assert.match(SafeRegex.problem("(?<!a)b")!, /lookaround/);
    assert.match(SafeRegex.problem("a{5000}")!, /above 1000/);
    assert.match(SafeRegex.problem("(a")!, /missing \)/);
    assert.match(SafeRegex.problem("[z-a]")!, /out of order/);
    assert.match(SafeRegex.problem("\\p{L}")!, /Unicode property/);
    assert.match(SafeRegex.problem("((a{1000}){1000}){1000}")!, /too large/);
    assert.equal(SafeRegex.problem("[0-9]{20}"), undefined, "long counted repetitions are fine");
  });

  it("runs patterns that make backtracking engines explode, on long input, in one pass", { timeout: 30_000 }, () => {
    // RegExp would take longer than the age of the universe on these inputs; the Pike VM walks each once.
    const evil = "a".repeat(50_000) + "!";
    assert.equal(new SafeRegex("(a+)+$").exec(evil), undefined);
    assert.equal(new SafeRegex("(a|aa)+$").exec(evil), undefined);
    assert.equal(new SafeRegex("(.*a){12}$").exec(evil), undefined);
  });
});
