// Case-insensitive spelling of an ASCII literal inside an otherwise case-sensitive pattern:
// `pin code` → `[Pp][Ii][Nn]\s+[Cc][Oo][Dd][Ee]` (a space matches any run of whitespace).
export function anyCase(literal: string): string {
  let out = "";
  for (const ch of literal) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower !== upper) out += `[${upper}${lower}]`;
    else if (ch === " ") out += "\\s+";
    else out += /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
  }
  return out;
}
