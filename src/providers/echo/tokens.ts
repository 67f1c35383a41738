// The echo model's tokenizer: a token is a maximal run of non-whitespace characters.
const TOKEN = /\S+/g;

export function countTokens(text: string): number {
  let n = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.exec(text)) n++;
  return n;
}

/**
 * Splits text into one piece per token, each carrying the whitespace before it, so the pieces joined
 * equal the text. Trailing whitespace rides on the last piece; an empty text is one empty piece.
 */
export function tokenPieces(text: string): string[] {
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
  if (pieces.length === 0) pieces.push("");
  return pieces;
}
