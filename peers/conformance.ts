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
import { join } from 'node:path';
import type { Snapshot } from '../src/delta/snapshot.ts';
import type { AddFile } from '../src/delta/actions.ts';
import { loadDeletionVector } from '../src/delta/deletion-vectors.ts';
import { numRecordsAt } from '../src/delta/snapshot.ts';
import type { DataType } from '../src/delta/schema.ts';
import type { HistoryEntry } from '../src/delta/history.ts';
import type * as arrow from 'apache-arrow';
import { base64, canonRows, canonText, isoMicros, recanon, type Canon } from './canon.ts';

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

/** Spark rows: column names and Spark types, rows as sorted canonical JSON texts. */
export interface SparkRows {
  columns: { name: string; type: string }[];
  rows: string[];
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
  versions: Record<string, { deltaRs: RsSnapshot | PeerError; spark: { rows: SparkRows | PeerError; inputFiles?: string[] | PeerError } }>;
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
  const d = firstDiff(JSON.parse(canonText((await snapshotShape(ours)) as unknown as Canon)), JSON.parse(canonText(theirs as unknown as Canon)));
  return d ? `${at}: ${d}` : undefined;
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

/** Top-level column names whose Spark type is variant. */
export function variantColumns(rows: SparkRows): Set<string> {
  return new Set(rows.columns.filter((c) => c.type === 'variant').map((c) => c.name));
}

function checkRowSet(at: string, theirs: SparkRows | PeerError, ours: arrow.Table | Error, drop?: Set<string>): string | undefined {
  if (isError(theirs)) return ours instanceof Error ? undefined : `${at}: Spark failed (${theirs.error}) but we returned ${ours.numRows} rows`;
  if (ours instanceof Error) return `${at}: we failed (${(ours as { code?: string }).code ?? ''} ${ours.message}) but Spark returned ${theirs.rows.length} rows`;
  const ourCols = ours.schema.fields.map((f) => f.name).filter((n) => !drop?.has(n));
  const theirCols = theirs.columns.map((c) => c.name).filter((n) => !drop?.has(n));
  if (ourCols.join('\u0000') !== theirCols.join('\u0000')) return `${at}: columns: ours ${JSON.stringify(ourCols)}, theirs ${JSON.stringify(theirCols)}`;
  const d = firstRowDiff(canonRows(ours, { variantColumns: variantColumns(theirs), drop }), recanon(theirs.rows, drop));
  return d ? `${at}: ${d}` : undefined;
}

/** Our rows of `version` vs Spark's `versionAsOf` (multisets). */
export function checkRows(ref: Reference, version: number, ours: arrow.Table | Error): string | undefined {
  return checkRowSet(where(ref, `v${version} rows`), ref.versions[String(version)].spark.rows, ours);
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
    return checkRowSet(`${at} (after the newest commit: we give v${latest})`, ref.versions[String(latest)].spark.rows, ours);
  }
  return checkRowSet(at, t.rows, ours);
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
