// The echo tokenizer was rewritten from regexes to a char-code scan for speed; it must behave exactly
// like the documented rule (`\S+` runs) on any text, including every Unicode space `\s` matches.
import { test } from "node:test";
import assert from "node:assert/strict";
import { countTokens, isSpace, tokenPieces } from "../../src/core/text-tokens.js";
import { cutReply } from "../../src/providers/echo/cut-reply.js";

function referencePieces(text: string): string[] {
  const pieces: string[] = [];
  const re = /\s*\S+/g;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    pieces.push(m[0]);
    end = re.lastIndex;
  }
  if (end < text.length) {
    if (pieces.length) pieces[pieces.length - 1] += text.slice(end);
    else pieces.push(text.slice(end));
  }
  return pieces.length ? pieces : [""];
}

function referenceCut(reply: string, maxTokens: number): { text: string; stopReason: string } {
  const re = /\S+/g;
  let n = 0;
  for (let m = re.exec(reply); m; m = re.exec(reply)) {
    if (++n === maxTokens) {
      if (/\S/.test(reply.slice(re.lastIndex))) return { text: reply.slice(0, re.lastIndex), stopReason: "max_tokens" };
      break;
    }
  }
  return { text: reply, stopReason: "end_turn" };
}

const ALPHABET = ["a", "é", "数", "🚀", " ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\u1680", "\u2000", "\u200a", "\u200b", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff", "\u0085", "x"];

// A seeded generator keeps failures reproducible.
let seed = 42;
const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);

test("isSpace matches \\s on the whole BMP", () => {
  for (let c = 0; c < 0x10000; c++) assert.equal(isSpace(c), /\s/.test(String.fromCharCode(c)), `U+${c.toString(16)}`);
});

test("countTokens, tokenPieces and the maxTokens cut agree with the regex definitions", () => {
  for (let i = 0; i < 3000; i++) {
    let text = "";
    const len = rand(40);
    for (let j = 0; j < len; j++) text += ALPHABET[rand(ALPHABET.length)];
    assert.equal(countTokens(text), (text.match(/\S+/g) ?? []).length, JSON.stringify(text));
    assert.deepEqual(tokenPieces(text), referencePieces(text), JSON.stringify(text));
    const max = 1 + rand(6);
    const cut = cutReply(text, max, undefined);
    assert.deepEqual({ text: cut.text, stopReason: cut.stopReason }, referenceCut(text, max), `${JSON.stringify(text)} max ${max}`);
  }
});
