// A cassette as text people can read and edit: indented JSON, except that each stream event (or relayed
// message) sits on one line, so a long stream reads as a list rather than thousands of lines.
const ONE_LINE_LISTS = new Set(["events", "frames"]);

export function formatCassette(value: unknown): string {
  return `${format(value, "", false)}\n`;
}

function format(value: unknown, indent: string, compactItems: boolean): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = indent + "  ";
    const items = value.map((v) => inner + (compactItems ? JSON.stringify(v) : format(v, inner, false)));
    return `[\n${items.join(",\n")}\n${indent}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const inner = indent + "  ";
    const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner, ONE_LINE_LISTS.has(k) && Array.isArray(v))}`);
    return `{\n${lines.join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value) ?? "null";
}
