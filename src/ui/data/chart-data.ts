/**
 * Chart data from a query result (issue #13 item 5), pure so it can be tested without a browser:
 * the user picks a chart kind, an X column, a Y column and optionally a series column; rows are
 * the result's text cells (`decode.ts`). Bar and line charts sum Y per (X, series) — the text says
 * so when X repeats; scatter charts plot every row. X is a number, a time (DATE/TIMESTAMP columns,
 * ISO text) or a category (anything else); Y must parse as a finite number, other rows are skipped
 * and counted. {@link ChartData.summary} is the chart's text alternative.
 */
import type { ResultColumn } from '../../workers/api.ts';
import { formatCount, plural } from '../../explore/format.ts';
import type { TextRows } from './decode.ts';

export type ChartKind = 'bar' | 'line' | 'scatter';

/** What to draw: column indexes into the result's columns. */
export interface ChartSpec {
  kind: ChartKind;
  x: number;
  y: number;
  /** A column whose values split Y into series, or null for one series. */
  series: number | null;
}

/** One X position: `x` (number, ms for times, or the category text) and `s0`, `s1`, … per series (index into {@link ChartData.series}). */
export type ChartPoint = { x: number | string } & Record<string, number | string>;

export interface ChartData {
  xKind: 'number' | 'time' | 'category';
  /** Series names, in first-seen order (one `''`-less name per series; `y`'s name without a series column). */
  series: string[];
  /** Bar/line: one point per X (series as keys). Scatter: one list of {x, y} per series. */
  points: ChartPoint[];
  scatter: { name: string; points: { x: number | string; y: number }[] }[];
  /** Rows read; rows skipped (Y or X not usable, or a series past {@link MAX_SERIES}). */
  rowsUsed: number;
  skipped: number;
  /** True when several rows shared an X (and series) and were summed. */
  summed: boolean;
  /** The text alternative of the chart: what is plotted, how many points, the range of Y. */
  summary: string;
}

/** Most series drawn (the rows of further series are skipped and counted). */
export const MAX_SERIES = 12;
/** Most X positions of a bar or line chart (the first ones; the rest are counted as skipped). */
export const MAX_POINTS = 2_000;

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/i;
const TIME = /^(DATE|TIMESTAMP)/i;

/** Whether a column's values are numbers. */
export function isNumericColumn(c: ResultColumn): boolean {
  return NUMERIC.test(c.type);
}

/** Whether a column's values are dates or timestamps. */
export function isTimeColumn(c: ResultColumn): boolean {
  return TIME.test(c.type);
}

/** A default chart for a result: X the first non-numeric (or first) column, Y the first other numeric column. */
export function defaultSpec(columns: ResultColumn[]): ChartSpec | null {
  const numeric = columns.map((c, i) => (isNumericColumn(c) ? i : -1)).filter((i) => i >= 0);
  if (!numeric.length) return null;
  const x = columns.findIndex((c) => !isNumericColumn(c));
  const xi = x >= 0 ? x : numeric[0];
  const y = numeric.find((i) => i !== xi) ?? numeric[0];
  const kind: ChartKind = isTimeColumn(columns[xi]) ? 'line' : isNumericColumn(columns[xi]) ? 'scatter' : 'bar';
  return { kind, x: xi, y, series: null };
}

/** The key of series `i` in a {@link ChartPoint}. */
export function seriesKey(i: number): string {
  return `s${i}`;
}

function parseX(text: string, kind: ChartData['xKind']): number | string | null {
  if (kind === 'category') return text;
  if (kind === 'time') {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text.replace(' ', 'T'));
    return Number.isFinite(ms) ? ms : null;
  }
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** Text of an X value for the summary and the data table. */
export function xText(x: number | string, kind: ChartData['xKind']): string {
  if (kind === 'time' && typeof x === 'number') return new Date(x).toISOString().replace('.000Z', 'Z').replace('T00:00:00Z', '');
  return typeof x === 'number' ? String(x) : x === '' ? '(empty)' : x;
}

/**
 * Builds the chart data of `spec` over `rows`.
 * @param totalRows rows of the whole result (the summary says when fewer were charted).
 */
export function buildChart(columns: ResultColumn[], rows: TextRows, spec: ChartSpec, totalRows = rows.length): ChartData {
  const xCol = columns[spec.x];
  const yCol = columns[spec.y];
  const xKind: ChartData['xKind'] = isTimeColumn(xCol) ? 'time' : isNumericColumn(xCol) ? 'number' : 'category';
  const seriesCol = spec.series === null ? null : columns[spec.series];
  const series: string[] = [];
  const byX = new Map<string, ChartPoint>();
  const order: ChartPoint[] = [];
  const scatter = new Map<string, { x: number | string; y: number }[]>();
  let skipped = 0;
  let summed = false;
  for (const row of rows) {
    const xs = row[spec.x];
    const ys = row[spec.y];
    const x = xs === null ? (xKind === 'category' ? 'NULL' : null) : parseX(xs, xKind);
    const y = ys === null ? NaN : Number(ys);
    if (x === null || !Number.isFinite(y)) {
      skipped++;
      continue;
    }
    const s = seriesCol ? (row[spec.series!] ?? 'NULL') : yCol.name;
    if (!series.includes(s)) {
      if (series.length >= MAX_SERIES) {
        skipped++;
        continue;
      }
      series.push(s);
    }
    if (spec.kind === 'scatter') {
      if (!scatter.has(s)) scatter.set(s, []);
      scatter.get(s)!.push({ x, y });
      continue;
    }
    const key = `${typeof x}:${x}`;
    let p = byX.get(key);
    if (!p) {
      if (order.length >= MAX_POINTS) {
        skipped++;
        continue;
      }
      p = { x } as ChartPoint;
      byX.set(key, p);
      order.push(p);
    }
    const k = seriesKey(series.indexOf(s));
    if (typeof p[k] === 'number') summed = true;
    p[k] = (typeof p[k] === 'number' ? (p[k] as number) : 0) + y;
  }
  if (xKind !== 'category') order.sort((a, b) => (a.x as number) - (b.x as number));
  const scatterList = series.filter((s) => scatter.has(s)).map((name) => ({ name, points: scatter.get(name)! }));
  const data: Omit<ChartData, 'summary'> = { xKind, series, points: order, scatter: scatterList, rowsUsed: rows.length, skipped, summed };
  return { ...data, summary: summarize(data, spec, xCol.name, yCol.name, seriesCol?.name ?? null, totalRows) };
}

function summarize(d: Omit<ChartData, 'summary'>, spec: ChartSpec, xName: string, yName: string, seriesName: string | null, totalRows: number): string {
  const what = spec.kind === 'scatter' ? `Scatter chart of ${yName} against ${xName}` : `${spec.kind === 'bar' ? 'Bar' : 'Line'} chart of ${d.summed ? `the sum of ${yName}` : yName} by ${xName}`;
  const parts = [what + (seriesName ? `, one series per ${seriesName} (${d.series.length})` : '') + '.'];
  const values: { x: number | string; y: number; s: string }[] =
    spec.kind === 'scatter'
      ? d.scatter.flatMap((s) => s.points.map((p) => ({ ...p, s: s.name })))
      : d.points.flatMap((p) => d.series.flatMap((s, i) => (typeof p[seriesKey(i)] === 'number' ? [{ x: p.x, y: p[seriesKey(i)] as number, s }] : [])));
  parts.push(`${formatCount(values.length)} ${spec.kind === 'bar' ? 'bars' : 'points'} from ${formatCount(d.rowsUsed)} rows${totalRows > d.rowsUsed ? ` (the first ${formatCount(d.rowsUsed)} of ${formatCount(totalRows)})` : ''}.`);
  if (values.length) {
    let lo = values[0];
    let hi = values[0];
    for (const v of values) {
      if (v.y < lo.y) lo = v;
      if (v.y > hi.y) hi = v;
    }
    const at = (v: typeof lo) => `${xName} ${xText(v.x, d.xKind)}${seriesName ? `, ${seriesName} ${v.s}` : ''}`;
    parts.push(`${yName} ranges from ${lo.y} (at ${at(lo)}) to ${hi.y} (at ${at(hi)}).`);
  }
  if (d.skipped) parts.push(`${plural(d.skipped, 'row')} skipped (no number in ${yName}, an unreadable ${xName}, or past ${MAX_SERIES} series / ${formatCount(MAX_POINTS)} positions).`);
  return parts.join(' ');
}
