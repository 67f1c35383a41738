// What ThreadedSqliteDatabase and its worker thread send each other. A structured clone turns a Buffer into
// a plain Uint8Array: bytes cross as Uint8Array and are made Buffers again on arrival (SQLite binds Buffers,
// and the SqlDatabase contract returns bytes as Buffer).
import type { Migration } from "./sql-database.js";

export type ThreadRequest =
  | { id: number; kind: "query" | "execute"; sql: string; params: readonly unknown[] }
  | { id: number; kind: "migrate"; migrations: readonly Migration[] }
  | { id: number; kind: "close" };

export type ThreadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; code?: string } };

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array && !Buffer.isBuffer(v);
const asBuffer = (v: Uint8Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/** Parameters as they arrived: Uint8Arrays made Buffers again (nothing copied when there are none). */
export function fromWire(values: readonly unknown[]): readonly unknown[] {
  return values.some(isBytes) ? values.map((v) => (isBytes(v) ? asBuffer(v) : v)) : values;
}

/** Rows whose byte columns are Uint8Arrays after the clone: the same rows with Buffers. */
export function rowsFromWire(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  for (const row of rows) {
    for (const key in row) {
      const v = row[key];
      if (isBytes(v)) row[key] = asBuffer(v);
    }
  }
  return rows;
}
