/**
 * Differential conformance: our protocol core and data plane against the reference answers Spark
 * 4 + Delta and delta-rs gave for the same tables (written by `peers/gen/generate.py`, one
 * `<table>.reference.json` beside each table folder).
 *
 * Each `check*` function returns `undefined` when we agree with the peer, else a message naming
 * the table, the version (or range / timestamp) and the first differing field or row. When the
 * peer itself failed (its answer is `{error}`), the check asks that we fail too: a table the
 * reference engine cannot read must not be shown as readable with made-up rows (never silently
 * wrong); a refusal with a typed {@link DeltaError} is accepted in its place.
 *
 * Used by `peers/conformance.test.ts` (freshly generated tables, under `npm run test:peers`) and
 * by `test/peers-generated.test.ts` (the committed copy in `test/fixtures/tables-generated/peers/`,
 * under `npm test`).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Snapshot } from '../src/delta/snapshot.ts';
import { DeltaTable } from '../src/delta/table.ts';
import { NodeFsStore } from '../src/delta/storage/node-fs.ts';
import type { AddFile } from '../src/delta/actions.ts';
import { loadDeletionVector } from '../src/delta/deletion-vectors.ts';
import { numRecordsAt } from '../src/delta/snapshot.ts';
import type { DataType } from '../src/delta/schema.ts';
import type { HistoryEntry } from '../src/delta/history.ts';
import type * as arrow from 'apache-arrow';
import { base64, canonRows, canonText, isoMicros, recanon, variantPlaces, type Canon, type VariantPlaces } from './canon.ts';

/** A peer's failure, recorded instead of its answer. */
export interface PeerError {
  error: string;
}

/** delta-rs's snapshot of one version. Sizes in bytes; `createdTime` ms. */
export interface RsSnapshot {
  version: number;
  protocol: { minReaderVersion: number; minWriterVersion: number; readerFeatures: string[] | null; writerFeatures: string[] | null };
  metadata: {
    id: string;
    name: string | null;
    description: string | null;
    partitionColumns: string[];
    configuration: Record<string, string>;
    createdTime: number | null;
    schema: unknown;
  };
  /** Active files by raw log path; `dvDeleted`: the deleted row indexes of the file's deletion vector. */
  files: { path: string; size: number; numRecords: number | null; dvCardinality: number | null; dvDeleted: number[] | null; partitionValues: Record<string, Canon> }[];
}

/**
 * Spark rows: column names and Spark types, rows as sorted canonical JSON texts. References of
 * tables written by others (`peers/corpus/refs.py`) also carry `rowCount` and `rowsSha256` (the
 * SHA-256, hex, of the rows as {@link canonText} prints them, sorted by UTF-16 code units, joined by
 * `\n`) and leave `rows` out when there are more than their row cap (20,000 by default).
 */
export interface SparkRows {
  columns: { name: string; type: string }[];
  rows?: string[];
  rowCount?: number;
  rowsSha256?: string;
}

/** One `DESCRIBE HISTORY` row (timestamp in ms). */
export interface SparkHistoryRow {
  version: number;
  timestampMs: number;
  operation: string;
  operationParameters: Record<string, string | null>;
  operationMetrics: Record<string, string>;
  readVersion: number | null;
  isBlindAppend: boolean | null;
}

/** The `<table>.reference.json` file. */
export interface Reference {
  table: string;
  writer: 'spark' | 'delta-rs';
  features: string[];
  versions: Record<
    string,
    {
      deltaRs: RsSnapshot | PeerError;
      spark: { rows: SparkRows | PeerError; inputFiles?: string[] | PeerError };
      /** delta-rs's own rows (its DataFusion reader), recorded where Spark failed or its count is not the log's (`peers/corpus/refs.py`). */
      deltaRsRows?: SparkRows | PeerError;
    }
  >;
  history: SparkHistoryRow[] | PeerError;
  changes?: ({ from: number; to: number } & (SparkRows | PeerError))[];
  timestampAsOf?: { timestamp: string; timestampMs: number; rows: SparkRows | PeerError }[];
  /**
   * Spark's rows for predicates (valid in Spark SQL and DuckDB) at a version: file pruning checks.
   * `rows` is read with Delta's data skipping off (every file scanned: the true answer);
   * `rowsWithSkipping` with it on, which can be wrong when the writer's stats are (delta-rs writes
   * decimal min/max through float64; see the `rs_decimal_stats` table).
   */
  filters?: { version: number; where: string; rows: SparkRows | PeerError; rowsWithSkipping?: SparkRows | PeerError }[];
}

export function isError(x: unknown): x is PeerError {
  return typeof x === 'object' && x !== null && 'error' in x;
}

/** The reference files of a generated folder, by table name (sorted). */
export function loadReferences(dir: string): Reference[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.reference.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Reference);
}

/** Whether file modification times are the writer's (a generated folder, not a git checkout). */
export interface CompareOptions {
  /**
   * True when the commit files keep the modification times they were written with. Tables without
   * in-commit timestamps date their commits by those times, so timestamps (history, CDF
   * `_commit_timestamp`, timestamp travel) are compared only when this holds or ICT covers them.
   */
  fileTimesPreserved: boolean;
}

function where(ref: Reference, at: string): string {
  return `${ref.table} ${at}`;
}

/** First difference of two canonical values, as `path: ours X, theirs Y`. */
export function firstDiff(ours: unknown, theirs: unknown, path = ''): string | undefined {
  if (ours === theirs) return undefined;
  if (typeof ours !== 'object' || typeof theirs !== 'object' || ours === null || theirs === null || Array.isArray(ours) !== Array.isArray(theirs)) {
    return `${path || '(value)'}: ours ${JSON.stringify(ours)}, theirs ${JSON.stringify(theirs)}`;
  }
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
      if (i >= ours.length) return `${path}[${i}]: ours missing, theirs ${JSON.stringify(theirs[i])}`;
      if (i >= theirs.length) return `${path}[${i}]: ours ${JSON.stringify(ours[i])}, theirs missing`;
      const d = firstDiff(ours[i], theirs[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  const o = ours as Record<string, unknown>;
  const t = theirs as Record<string, unknown>;
  for (const k of [...new Set([...Object.keys(o), ...Object.keys(t)])].sort()) {
    const d = firstDiff(o[k], t[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return undefined;
}

/** The first difference between two sorted lists of row texts: a row only one side has. */
export function firstRowDiff(ours: string[], theirs: string[]): string | undefined {
  let i = 0;
  let j = 0;
  while (i < ours.length || j < theirs.length) {
    if (i < ours.length && j < theirs.length && ours[i] === theirs[j]) {
      i++;
      j++;
      continue;
    }
    const extra = j >= theirs.length || (i < ours.length && ours[i] < theirs[j]);
    return extra
      ? `row only in ours: ${ours[i]} (ours ${ours.length} rows, theirs ${theirs.length})`
      : `row only in theirs: ${theirs[j]} (ours ${ours.length} rows, theirs ${theirs.length})`;
  }
  return undefined;
}

function partitionCanon(v: unknown, type: DataType): Canon {
  if (v === null || v === undefined) return null;
  switch (type.type) {
    case 'timestamp':
    case 'timestamp_ntz':
      return isoMicros(BigInt(v as number | bigint), type.type === 'timestamp');
    case 'binary':
      return base64(v as Uint8Array);
    case 'long':
      return typeof v === 'bigint' ? v.toString() : (v as number);
    case 'float':
    case 'double':
      return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : (v as number);
    default:
      return v as Canon;
  }
}

/** Our snapshot in delta-rs's shape (see {@link RsSnapshot}); deletion vectors are read. */
export async function snapshotShape(snap: Snapshot): Promise<RsSnapshot> {
  const pcols = snap.partitionColumns;
  const files: RsSnapshot['files'] = [];
  const adds: AddFile[] = [];
  snap.files.forEach((batch, row, i) => {
    const add = batch.addAt(row);
    adds.push(add);
    const pv = pcols.length ? snap.partitionValues(i) : {};
    files.push({
      path: add.path,
      size: add.size,
      numRecords: numRecordsAt(batch, row),
      dvCardinality: add.deletionVector?.cardinality ?? null,
      dvDeleted: null,
      partitionValues: Object.fromEntries(pcols.map((c) => [c.name, partitionCanon(pv[c.name], c.type)])),
    });
  });
  for (let i = 0; i < adds.length; i++) {
    const dv = adds[i].deletionVector;
    if (dv) files[i].dvDeleted = [...(await loadDeletionVector(snap.store, dv, { version: snap.version, dataFile: adds[i].path }))];
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const p = snap.protocol;
  const m = snap.metadata;
  return {
    version: snap.version,
    protocol: {
      minReaderVersion: p.minReaderVersion,
      minWriterVersion: p.minWriterVersion,
      readerFeatures: p.readerFeatures ? [...p.readerFeatures].sort() : null,
      writerFeatures: p.writerFeatures ? [...p.writerFeatures].sort() : null,
    },
    metadata: {
      id: m.id,
      name: m.name ?? null,
      description: m.description ?? null,
      partitionColumns: m.partitionColumns,
      configuration: m.configuration,
      createdTime: m.createdTime ?? null,
      schema: JSON.parse(m.schemaString),
    },
    files,
  };
}

/** Our snapshot of `version` vs delta-rs's. */
export async function checkSnapshot(ref: Reference, version: number, ours: Snapshot | Error): Promise<string | undefined> {
  const theirs = ref.versions[String(version)].deltaRs;
  const at = where(ref, `v${version} snapshot`);
  if (isError(theirs) && /Unsupported table features/.test(theirs.error)) return checkSparkFiles(ref, version, ours, theirs.error);
  if (isError(theirs)) return ours instanceof Error ? undefined : `${at}: delta-rs failed (${theirs.error}) but we loaded a snapshot`;
  if (ours instanceof Error) return `${at}: we failed (${ours.message}) but delta-rs loaded it`;
  const mine = await snapshotShape(ours);
  const gap = statsOnlyWeRead(ref, version, mine, theirs);
  if (gap) return `${at}: ${gap}`;
  const d = firstDiff(emptyFeaturesAsNull(JSON.parse(canonText(mine as unknown as Canon))), emptyFeaturesAsNull(JSON.parse(canonText(theirs as unknown as Canon))));
  return d ? `${at}: ${d}` : undefined;
}

/** An empty feature list and none say the same (the log may write `"readerFeatures":[]`; delta-rs reports none). */
function emptyFeaturesAsNull(s: RsSnapshot): RsSnapshot {
  const p = s.protocol;
  if (p.readerFeatures?.length === 0) p.readerFeatures = null;
  if (p.writerFeatures?.length === 0) p.writerFeatures = null;
  return s;
}

/**
 * The rows the log says a snapshot holds: Σ (numRecords − deletion-vector cardinality) over its
 * active files, or undefined when some file has no numRecords.
 */
export function logRowCount(files: RsSnapshot['files']): number | undefined {
  let n = 0;
  for (const f of files) {
    if (f.numRecords === null) return undefined;
    n += f.numRecords - (f.dvCardinality ?? 0);
  }
  return n;
}

/** How many rows a peer's row set has (recorded rows, or the count kept past the row cap); undefined when the peer failed. */
export function rowCountOf(rows: SparkRows | PeerError): number | undefined {
  return isError(rows) ? undefined : (rows.rows?.length ?? rows.rowCount);
}

/** Whether our strict snapshot (what data reads use) refuses the table at `version` (default: latest). */
export async function strictSnapshotRefuses(tableDir: string, version?: number): Promise<boolean> {
  try {
    await new DeltaTable(new NodeFsStore(tableDir)).snapshot(version === undefined ? {} : { version });
    return false;
  } catch {
    return true;
  }
}

/**
 * delta-rs reports no numRecords for files whose checkpoint entry has only struct stats
 * (`stats_parsed`, no JSON `stats`); we read them. There the count is settled by Spark's rows: the
 * sum of our numRecords minus deletion-vector cardinalities must equal Spark's row count, and then
 * delta-rs's nulls are taken as "no answer" (filled from ours in place, so every other field is
 * still compared). Returns a mismatch, or undefined.
 */
function statsOnlyWeRead(ref: Reference, version: number, mine: RsSnapshot, theirs: RsSnapshot): string | undefined {
  const byPath = new Map(mine.files.map((f) => [f.path, f]));
  const gaps = theirs.files.filter((f) => f.numRecords === null && byPath.get(f.path)?.numRecords != null);
  if (gaps.length === 0) return undefined;
  const sparkCount = rowCountOf(ref.versions[String(version)].spark.rows);
  const ourCount = logRowCount(mine.files);
  if (ourCount === undefined) return `${gaps[0].path}: numRecords ours ${byPath.get(gaps[0].path)?.numRecords}, delta-rs none, and not every file has a count to check against Spark's rows`;
  if (sparkCount !== ourCount) return `${gaps[0].path}: numRecords ours ${byPath.get(gaps[0].path)?.numRecords}, delta-rs none; our counts sum to ${ourCount} rows, Spark read ${sparkCount ?? '(failed)'}`;
  for (const f of gaps) f.numRecords = byPath.get(f.path)!.numRecords;
  return undefined;
}

function fullyDecoded(p: string): string {
  for (let i = 0; i < 4 && p.includes('%'); i++) {
    try {
      const d = decodeURIComponent(p);
      if (d === p) break;
      p = d;
    } catch {
      break;
    }
  }
  return p;
}

/**
 * When delta-rs refuses a table feature it lacks (e.g. type widening, shredded variants), our
 * active files are checked against the data files of Spark's `versionAsOf` read instead (paths
 * compared fully percent-decoded: Spark reports file system paths, the log URI-encoded ones).
 */
function checkSparkFiles(ref: Reference, version: number, ours: Snapshot | Error, rsError: string): string | undefined {
  const at = where(ref, `v${version} snapshot (delta-rs refused: ${rsError.slice(0, 120)}; compared with Spark's input files)`);
  const spark = ref.versions[String(version)].spark;
  const theirs = spark.inputFiles;
  if (theirs === undefined || isError(theirs)) {
    if (isError(spark.rows)) return undefined; // Spark could not read this version either: nothing to compare
    return `${at}: no Spark input files recorded`;
  }
  if (ours instanceof Error) return `${at}: we failed (${ours.message}) but Spark read it`;
  const paths: string[] = [];
  ours.files.forEach((batch, row) => paths.push(fullyDecoded(batch.addAt(row).path)));
  const d = firstRowDiff(paths.sort(), theirs.map(fullyDecoded).sort());
  return d ? `${at}: ${d}` : undefined;
}

/** Where the variants of each top-level column are (variants inside structs, arrays and maps too). */
export function variantsOf(rows: SparkRows): Map<string, VariantPlaces> {
  const out = new Map<string, VariantPlaces>();
  for (const c of rows.columns) {
    if (!c.type.includes('variant')) continue;
    const p = variantPlaces(c.type);
    if (p) out.set(c.name, p);
  }
  return out;
}

/** SHA-256 (hex) of sorted canonical row texts joined by `\n` (see {@link SparkRows}). */
export function rowsDigest(sortedRows: string[]): string {
  return createHash('sha256').update(sortedRows.join('\n'), 'utf8').digest('hex');
}

/**
 * Our rows vs a peer's row set (multisets): undefined when equal, else `at` and the first
 * difference. `drop`: columns compared on neither side; `voidColumns`: `void` columns Spark leaves
 * out of reads (ours must be all null there).
 */
export function checkRowSet(at: string, theirs: SparkRows | PeerError, ours: arrow.Table | Error, drop?: Set<string>, voidColumns?: Set<string>): string | undefined {
  if (isError(theirs)) return ours instanceof Error ? undefined : `${at}: Spark failed (${theirs.error}) but we returned ${ours.numRows} rows`;
  const theirCount = rowCountOf(theirs);
  if (ours instanceof Error) return `${at}: we failed (${(ours as { code?: string }).code ?? ''} ${ours.message}) but Spark returned ${theirCount} rows`;
  // Spark leaves `void` columns out of what it reads; we show them, all null (checked here).
  const theirNames = new Set(theirs.columns.map((c) => c.name));
  const voids = [...(voidColumns ?? [])].filter((n) => !theirNames.has(n) && ours.schema.fields.some((f) => f.name === n));
  for (const n of voids) {
    const col = ours.getChild(n)!;
    if (col.nullCount !== col.length) return `${at}: void column ${n} has ${col.length - col.nullCount} non-null values`;
  }
  const ourCols = ours.schema.fields.map((f) => f.name).filter((n) => !drop?.has(n) && !voids.includes(n));
  const theirCols = theirs.columns.map((c) => c.name).filter((n) => !drop?.has(n));
  if (ourCols.join('\u0000') !== theirCols.join('\u0000')) return `${at}: columns: ours ${JSON.stringify(ourCols)}, theirs ${JSON.stringify(theirCols)}`;
  const mine = canonRows(ours, { variants: variantsOf(theirs), drop: voids.length ? new Set([...(drop ?? []), ...voids]) : drop });
  if (theirs.rows) {
    const d = firstRowDiff(mine, recanon(theirs.rows, drop));
    if (d) return `${at}: ${d}`;
  } else if (mine.length !== theirCount) {
    return `${at}: ours ${mine.length} rows, theirs ${theirCount} (rows not recorded past the row cap: regenerate with --full-rows to name the first differing row)`;
  } else if (drop?.size) {
    return `${at}: rows not recorded past the row cap and ${[...drop].join(', ')} not comparable here: regenerate with --full-rows`;
  }
  // The digest is checked on every row set that has one: where the rows are recorded too, this
  // checks the digest scheme itself (Python's printing and sorting equal ours).
  if (theirs.rowsSha256 && !drop?.size) {
    const mineDigest = rowsDigest(mine);
    if (mineDigest !== theirs.rowsSha256) {
      return theirs.rows
        ? `${at}: rows equal but digests differ (ours ${mineDigest}, theirs ${theirs.rowsSha256}): peers/corpus/refs.py prints or sorts rows unlike peers/canon.ts`
        : `${at}: ${mine.length} rows on both sides but their canonical digests differ (ours ${mineDigest}, theirs ${theirs.rowsSha256}; regenerate with --full-rows to name the first differing row)`;
    }
  }
  return undefined;
}

/** Top-level columns of type `void` in delta-rs's schema of a version. */
function voidColumnsAt(ref: Reference, version: number): Set<string> {
  const rs = ref.versions[String(version)].deltaRs;
  if (isError(rs)) return new Set();
  const fields = (rs.metadata.schema as { fields?: { name: string; type: unknown }[] }).fields ?? [];
  return new Set(fields.filter((f) => f.type === 'void').map((f) => f.name));
}

/** Our rows of `version` vs Spark's `versionAsOf` (multisets). */
export function checkRows(ref: Reference, version: number, ours: arrow.Table | Error): string | undefined {
  return checkRowSet(where(ref, `v${version} rows`), ref.versions[String(version)].spark.rows, ours, undefined, voidColumnsAt(ref, version));
}

/** Whether a table dates commits by in-commit timestamps from version 0. */
export function ictFromStart(ref: Reference): boolean {
  const v0 = ref.versions['0']?.deltaRs;
  return !isError(v0) && v0?.metadata.configuration['delta.enableInCommitTimestamps'] === 'true';
}

/** Our CDF of a range vs Spark's `table_changes` (multisets); `_commit_timestamp` only when trusted. */
export function checkChanges(ref: Reference, i: number, ours: arrow.Table | Error, opts: CompareOptions): string | undefined {
  const c = ref.changes![i];
  const drop = opts.fileTimesPreserved || ictFromStart(ref) ? undefined : new Set(['_commit_timestamp']);
  return checkRowSet(where(ref, `changes ${c.from}..${c.to}`), c as SparkRows | PeerError, ours, drop);
}

/**
 * Our rows at a timestamp vs Spark's `timestampAsOf`. One deliberate difference: a time after the
 * newest commit is refused by Spark (`DELTA_TIMESTAMP_GREATER_THAN_COMMIT`, the table may still
 * change before then) and gives the newest version in our core (`versionAtTimestamp`, documented;
 * the app's time box says the time is after the last commit). There we must equal the newest
 * version's rows.
 */
export function checkTimestamp(ref: Reference, i: number, ours: arrow.Table | Error): string | undefined {
  const t = ref.timestampAsOf![i];
  const at = where(ref, `timestampAsOf ${t.timestamp}`);
  if (isError(t.rows) && t.rows.error.includes('DELTA_TIMESTAMP_GREATER_THAN_COMMIT')) {
    const latest = Math.max(...Object.keys(ref.versions).map(Number));
    return checkRowSet(`${at} (after the newest commit: we give v${latest})`, ref.versions[String(latest)].spark.rows, ours, undefined, voidColumnsAt(ref, latest));
  }
  return checkRowSet(at, t.rows, ours, undefined, voidColumnsAt(ref, Math.max(...Object.keys(ref.versions).map(Number))));
}

/** The version a `timestampAsOf` check compares with when it is one version's rows: the newest, for a time after it. */
export function timestampVersion(ref: Reference, i: number): number | undefined {
  const t = ref.timestampAsOf![i];
  return isError(t.rows) && t.rows.error.includes('DELTA_TIMESTAMP_GREATER_THAN_COMMIT') ? Math.max(...Object.keys(ref.versions).map(Number)) : undefined;
}

/** Our `scan --where` rows (partition and statistics pruning) vs Spark's filtered read. */
export function checkFilter(ref: Reference, i: number, ours: arrow.Table | Error): string | undefined {
  const f = ref.filters![i];
  return checkRowSet(where(ref, `v${f.version} where ${f.where}`), f.rows, ours);
}

/** Operation metric values as strings (Spark's map<string,string>). */
function metricsText(m: Record<string, unknown> | null): Record<string, string | null> {
  return Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, typeof v === 'string' || v === null ? v : JSON.stringify(v)]));
}

/** Our history vs `DESCRIBE HISTORY`: versions, operations, metrics (timestamps when trusted). */
export function checkHistory(ref: Reference, ours: HistoryEntry[] | Error, opts: CompareOptions): string | undefined {
  const theirs = ref.history;
  const at = where(ref, 'history');
  if (isError(theirs)) return ours instanceof Error ? undefined : `${at}: Spark failed (${theirs.error}) but we listed history`;
  if (ours instanceof Error) return `${at}: we failed (${ours.message})`;
  const byVersion = new Map(ours.map((e) => [e.version, e]));
  for (const h of theirs) {
    const e = byVersion.get(h.version);
    const v = `${at} v${h.version}`;
    if (!e) return `${v}: missing from ours`;
    if (e.operation !== h.operation) return `${v}: operation: ours ${JSON.stringify(e.operation)}, theirs ${JSON.stringify(h.operation)}`;
    const d = firstDiff(metricsText(e.operationMetrics), h.operationMetrics, 'operationMetrics');
    if (d) return `${v}: ${d}`;
    const p = firstDiff(metricsText(e.operationParameters), h.operationParameters, 'operationParameters');
    if (p) return `${v}: ${p}`;
    const ict = e.timestampSource === 'inCommitTimestamp';
    if ((opts.fileTimesPreserved || ict) && e.timestampMs !== h.timestampMs) {
      return `${v}: timestamp: ours ${e.timestampMs} (${e.timestampSource}), theirs ${h.timestampMs}`;
    }
  }
  if (ours.length !== theirs.length) return `${at}: ours ${ours.length} entries, theirs ${theirs.length}`;
  return undefined;
}
