// How the AWS front end quotes an offending value in "1 validation error detected: Value '…' at '…'".
// Its reader is Java: an integer member prints as Integer.toString (`Value '0' at 'inferenceConfig.maxTokens'`),
// a float member as Float.toString — `1.5` stays `1.5` (public report stdapi-ai/stdapi.ai#224:
// "Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less
// than or equal to 1"), a whole number gains `.0` (`99` → `99.0`), very small or large ones use Java's
// E notation (`1.0E-5`, `1.0E8`). Strings are quoted as sent (public reports aws/aws-sdk-js-v3#5665 and
// n8n-io/n8n#9084 quote the whole modelId; BerriAI/litellm#19384 quotes an empty name as `''`).

/** The quoted form of a scalar value: `'text'`, `'0'`, `'99.0'`. */
export function renderValue(value: string | number, type?: string): string {
  if (typeof value === "string") return `'${value}'`;
  if (type === "float") return `'${javaDecimal(shortestFloat32(value))}'`;
  if (type === "double") return `'${javaDecimal(String(value))}'`;
  return `'${String(value)}'`;
}

/**
 * The shortest decimal that reads back as the same 32-bit float (what Float.toString prints: 0.7f is "0.7",
 * not the double 0.699999988…).
 */
function shortestFloat32(v: number): string {
  const f = Math.fround(v);
  for (let digits = 1; digits <= 9; digits++) {
    const text = f.toPrecision(digits);
    if (Math.fround(Number(text)) === f) return String(Number(text));
  }
  return String(f);
}

/** Java's decimal form of a JS number's text: `99` → `99.0`, `1e-5` → `1.0E-5`, `123456789` → `1.23456789E8`. */
function javaDecimal(text: string): string {
  const v = Number(text);
  const abs = Math.abs(v);
  if (v === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const plain = abs >= 1e-3 || v === 0 ? text : v.toFixed(20);
    return plain.includes(".") ? plain : `${plain}.0`;
  }
  // Java: one digit, a point, the rest of the digits (at least one), then E and the exponent.
  const [mantissa, exponent] = v.toExponential().split("e");
  const withPoint = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  return `${withPoint}E${Number(exponent)}`;
}
