// Whitespace tokens: a token is a maximal run of non-whitespace characters (`\S+`). The echo model counts and
// streams by them, and a whole answer replayed as a stream (output-as-stream.ts) is split by them.
// Scanned by char code rather than with a global regex: this runs over whole prompts on every echo
// request, and regex match objects made it the largest cost of a long echo stream's first event.

/** Exactly the characters JavaScript's `\s` matches. */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

export function countTokens(text: string): number {
  let n = 0;
  let inToken = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inToken) n++;
    inToken = !space;
  }
  return n;
}

/**
 * Splits text into one piece per token, each carrying the whitespace before it, so the pieces joined
 * equal the text. Trailing whitespace rides on the last piece; an empty text is one empty piece.
 */
export function tokenPieces(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let i = 0;
  const len = text.length;
  while (i < len) {
    while (i < len && isSpace(text.charCodeAt(i))) i++;
    if (i === len) break;
    while (i < len && !isSpace(text.charCodeAt(i))) i++;
    pieces.push(text.slice(start, i));
    start = i;
  }
  if (start < len) {
    if (pieces.length) pieces[pieces.length - 1] += text.slice(start);
    else pieces.push(text.slice(start));
  }
  if (pieces.length === 0) pieces.push("");
  return pieces;
}
