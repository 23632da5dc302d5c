/**
 * Text and JSON rendering for the CLI: ISO times, binary sizes, one-line printable cells, aligned
 * tables and key/value lists, and the JSON replacer (bigints, bytes, non-finite numbers).
 * Pure functions, no I/O.
 */
import { quotedPath } from '../explore/clustering.ts';
import { binaryScale } from '../explore/format.ts';

/** ms since the epoch → ISO-8601 UTC, or null. */
export function iso(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Bytes as `12.3 KiB` (binary units, one decimal: the CLI's fixed width). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const { value, unit } = binaryScale(n);
  return unit === 'B' ? `${n} B` : `${value.toFixed(1)} ${unit}`;
}

/** Replaces control characters so one value stays on one line of a terminal. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Cuts a string to `max` characters, ending with `…` when cut. */
export function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, Math.max(1, max - 1)).join('') + '…';
}

/** Text of any value for a table cell: null as `-`, strings verbatim, others as compact JSON. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return printable(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return printable(JSON.stringify(v, jsonReplacer));
}

/** `k=v, k=v` of an object, or `-`. */
export function keyValues(o: Record<string, unknown> | null | undefined): string {
  if (!o) return '-';
  const entries = Object.entries(o);
  if (!entries.length) return '-';
  return entries.map(([k, v]) => `${printable(k)}=${cell(v)}`).join(', ');
}

/** Display width of a string (code points; good enough for a terminal table). */
export function width(s: string): number {
  return [...s].length;
}

/** Renders an aligned table: two spaces between columns, right-aligned where `right[i]`. */
export function renderTable(headers: string[], rows: string[][], right: boolean[] = []): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i] - width(c)));
        return right[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** Renders `key  value` lines, values of several lines indented under the first. */
export function renderKeyValues(pairs: [string, string | string[]][]): string {
  const w = Math.max(...pairs.map(([k]) => width(k)));
  const out: string[] = [];
  for (const [k, v] of pairs) {
    const lines = Array.isArray(v) ? (v.length ? v : ['-']) : [v];
    out.push(`${k.padEnd(w)}  ${lines[0]}`.trimEnd());
    for (const l of lines.slice(1)) out.push(`${' '.repeat(w)}  ${l}`);
  }
  return out.join('\n') + '\n';
}

/** JSON.stringify replacer: bigint → number (string beyond ±2^53), bytes → hex, non-finite numbers → strings. */
export function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v instanceof Uint8Array) return hex(v);
  return v;
}

/** Bytes as `0x` and lower-case hex digits. */
export function hex(b: Uint8Array): string {
  return '0x' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** A column path as one string: segments joined with `.`, backtick-quoted when they hold `.` or a backtick (`quotedPath` of `src/explore`). */
export const columnPath: (path: readonly string[]) => string = quotedPath;
