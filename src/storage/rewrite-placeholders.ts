// `$1, $2, …` (the one placeholder style Basalt's SQL uses) into SQLite's anonymous `?`, with the order in
// which to bind the values — `$1` may appear twice, or after `$2`. Text in quotes and comments is left alone.

export interface RewrittenSql {
  sql: string;
  /** Index into the caller's params for each `?`, in order. */
  order: number[];
}

const SKIPPED = /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//y;
const PLACEHOLDER = /\$(\d+)/y;

export function rewritePlaceholders(sql: string): RewrittenSql {
  let out = "";
  const order: number[] = [];
  let i = 0;
  while (i < sql.length) {
    SKIPPED.lastIndex = i;
    PLACEHOLDER.lastIndex = i;
    const skipped = SKIPPED.exec(sql);
    const placeholder = skipped === null && !/[\w$]/.test(sql[i - 1] ?? "") ? PLACEHOLDER.exec(sql) : null;
    if (skipped !== null) {
      out += skipped[0];
      i += skipped[0].length;
    } else if (placeholder !== null) {
      out += "?";
      order.push(Number(placeholder[1]) - 1);
      i += placeholder[0].length;
    } else {
      out += sql[i];
      i++;
    }
  }
  return { sql: out, order };
}

/** The values to bind, in `order`; refuses a placeholder without a value ($0 or past the end). */
export function orderParams<T>(order: readonly number[], params: readonly T[]): T[] {
  return order.map((index) => {
    if (index < 0 || index >= params.length) throw new RangeError(`placeholder $${index + 1} has no value (${params.length} given)`);
    return params[index];
  });
}
