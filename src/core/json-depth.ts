// How deeply untrusted JSON may nest. JSON.parse reads any depth, but everything after it — validators,
// translators, renderers, JSON.stringify — recurses, and a body nested 10,000 levels would overflow the
// stack in one of them. Bodies are measured once, here, without recursion.

/** Arrays and objects inside one another, counted from the body's root (the root object is level 1). */
export const MAX_JSON_DEPTH = 100;

/** Whether `value` nests arrays and objects more than `limit` levels deep. Iterative: any depth is safe. */
export function exceedsDepth(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const child: unknown = v[i];
        if (typeof child === "object" && child !== null) {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in v) {
        const child: unknown = (v as Record<string, unknown>)[key];
        if (typeof child === "object" && child !== null) {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}
