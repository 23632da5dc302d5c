/**
 * Per-file statistics (protocol "Per-file Statistics"): `numRecords`, `minValues`, `maxValues`,
 * `nullCount`, `tightBounds`. Stats are JSON strings in the log, parsed only when asked for; the
 * record count has a fast path because every summary needs it.
 */

/** Parsed stats of one file. Values are keyed by physical column names, nested like the schema. */
export interface FileStats {
  numRecords?: number;
  minValues?: Record<string, unknown>;
  maxValues?: Record<string, unknown>;
  nullCount?: Record<string, unknown>;
  /** When false, min/max may be wider than the data (files with deletion vectors). */
  tightBounds?: boolean;
}

/**
 * Parses a stats JSON string. Returns null for null/empty input and for stats that are not an
 * object (bad stats never fail a snapshot; views show them as missing).
 */
export function parseStats(json: string | null | undefined): FileStats | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    const out: FileStats = {};
    if (typeof v.numRecords === 'number' && Number.isFinite(v.numRecords)) out.numRecords = v.numRecords;
    else if (typeof v.numRecords === 'string' && /^\d+$/.test(v.numRecords)) out.numRecords = Number(v.numRecords);
    if (v.minValues && typeof v.minValues === 'object') out.minValues = v.minValues;
    if (v.maxValues && typeof v.maxValues === 'object') out.maxValues = v.maxValues;
    if (v.nullCount && typeof v.nullCount === 'object') out.nullCount = v.nullCount;
    if (typeof v.tightBounds === 'boolean') out.tightBounds = v.tightBounds;
    return out;
  } catch {
    return null;
  }
}

const PREFIX = '{"numRecords":';

/**
 * The `numRecords` of a stats JSON string, or null when absent/invalid. Reads the leading
 * `{"numRecords":N` without parsing the rest when the writer put it first (Spark, delta-rs and kernel do).
 */
export function statsNumRecords(json: string | null | undefined): number | null {
  if (!json) return null;
  if (json.startsWith(PREFIX)) {
    let i = PREFIX.length;
    let n = 0;
    let digits = 0;
    for (; i < json.length; i++) {
      const c = json.charCodeAt(i);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
      digits++;
    }
    const next = json.charCodeAt(i);
    if (digits > 0 && digits < 16 && (next === 44 /* , */ || next === 125 /* } */)) return n;
  }
  const s = parseStats(json);
  return s?.numRecords ?? null;
}

/** Stats from a checkpoint's `stats_parsed` struct, as {@link FileStats}. */
export function statsFromParsed(parsed: Record<string, unknown> | null): FileStats | null {
  if (!parsed) return null;
  const out: FileStats = {};
  if (parsed.numRecords !== null && parsed.numRecords !== undefined) out.numRecords = Number(parsed.numRecords);
  if (parsed.minValues && typeof parsed.minValues === 'object') out.minValues = parsed.minValues as Record<string, unknown>;
  if (parsed.maxValues && typeof parsed.maxValues === 'object') out.maxValues = parsed.maxValues as Record<string, unknown>;
  if (parsed.nullCount && typeof parsed.nullCount === 'object') out.nullCount = parsed.nullCount as Record<string, unknown>;
  if (typeof parsed.tightBounds === 'boolean') out.tightBounds = parsed.tightBounds;
  return out;
}
