/**
 * Compares two snapshots of one table (the Compare view): which active files were added and
 * removed between them, the record delta, and what changed in the schema, the table properties and
 * the protocol. Pure over two {@link Snapshot}s; `ExplorerService.compare` loads them through its cache.
 *
 * Files are diffed without per-file objects: the active files of each side are walked with
 * `files.forEach(batch, row)` and their reconciliation keys (decoded path + deletion vector unique
 * id, as the replay keys them) go into a {@link KeySet}; only counts, sums and the first
 * {@link COMPARE_MAX_PATHS} paths of each side are kept.
 */
import { DeltaError } from '../delta/errors.ts';
import { effectiveFeatures } from '../delta/features.ts';
import { KeySet } from '../delta/key-set.ts';
import type { StructType } from '../delta/schema.ts';
import { numRecordsAt, type Snapshot } from '../delta/snapshot.ts';
import { decodedPathAt, deletedRecordsAt, reconciliationKeyAt } from './file-rows.ts';
import { diffSchemas as diffColumns } from './schema-diff.ts';


/** A protocol as written (features as listed, null when the protocol has no explicit lists). */
export interface ProtocolInfo {
  minReaderVersion: number;
  minWriterVersion: number;
  readerFeatures: string[] | null;
  writerFeatures: string[] | null;
}

/** Files active on one side of a comparison and not on the other. */
export interface CompareFiles {
  count: number;
  sizeBytes: number;
  /** Rows in those files (stats minus deletion vectors), or null when some file has no stats. */
  numRecords: number | null;
  /** Of `count`, files whose path is on the other side too, with another deletion vector. */
  withDeletionVectorChange: number;
  /** The first {@link COMPARE_MAX_PATHS} of them (decoded paths), in log order. */
  paths: { path: string; sizeBytes: number }[];
}

/** One column change between two schemas; nested columns by dotted logical path. */
export interface CompareColumnChange {
  kind: 'added' | 'dropped' | 'renamed' | 'type' | 'nullability';
  /** Logical path on side B (on side A for `dropped`). */
  path: string;
  /** `renamed`: the path on side A. */
  fromPath?: string;
  /** Delta type name on side A / B, struct contents elided (`struct`, `array<struct>`). */
  from?: string;
  to?: string;
  fromNullable?: boolean;
  toNullable?: boolean;
  /** Column mapping identity the column was matched by, when it has one. */
  physicalName?: string;
  columnMappingId?: number;
}

/** Paths listed per side by `compareSnapshots` (the worker's `compare`). */
export const COMPARE_MAX_PATHS = 100;

/** The answer of `compareSnapshots` (the worker's `compare`): what changed from version A to version B. */
export interface CompareResult {
  versionA: number;
  versionB: number;
  filesA: { numFiles: number; sizeBytes: number; numRecords: number | null };
  filesB: { numFiles: number; sizeBytes: number; numRecords: number | null };
  /** Active at B, not at A (by path and deletion vector). */
  added: CompareFiles;
  /** Active at A, not at B. */
  removed: CompareFiles;
  /** Files active at both. */
  unchanged: number;
  /** Records at B minus records at A, or null when either is unknown. */
  recordDelta: number | null;
  /** Columns matched by column mapping id, else physical name, else name (`schema-diff.ts`). */
  schemaChanges: CompareColumnChange[];
  /** Set when the partition columns differ. */
  partitionColumns: { from: string[]; to: string[] } | null;
  /** True when `metaData.id` differs (the table was replaced). */
  tableIdChanged: boolean;
  properties: {
    added: { key: string; value: string }[];
    removed: { key: string; value: string }[];
    changed: { key: string; from: string; to: string }[];
  };
  protocol: {
    from: ProtocolInfo;
    to: ProtocolInfo;
    /** Features in force (explicit or implied by legacy versions) at B and not at A, and the reverse. */
    featuresAdded: string[];
    featuresRemoved: string[];
  };
  /** Parts that could not be compared (an unreadable schema). */
  warnings: string[];
}


function keySets(s: Snapshot): { keys: KeySet; paths: KeySet } {
  const keys = new KeySet(s.files.length);
  const paths = new KeySet(s.files.length);
  s.files.forEach((batch, row) => {
    keys.add(reconciliationKeyAt(batch, row));
    paths.add(decodedPathAt(batch, row));
  });
  return { keys, paths };
}

/** Files of `side` whose key is not in `other`: counts, sums, the first paths. */
function diffSide(side: Snapshot, other: { keys: KeySet; paths: KeySet }, maxPaths: number): CompareFiles {
  const out: CompareFiles = { count: 0, sizeBytes: 0, numRecords: 0, withDeletionVectorChange: 0, paths: [] };
  let missingStats = false;
  side.files.forEach((batch, row) => {
    const key = reconciliationKeyAt(batch, row);
    if (other.keys.has(key)) return;
    out.count++;
    out.sizeBytes += batch.size[row];
    const n = numRecordsAt(batch, row);
    if (n === null) missingStats = true;
    else out.numRecords! += n - deletedRecordsAt(batch, row);
    const path = decodedPathAt(batch, row);
    if (other.paths.has(path)) out.withDeletionVectorChange++;
    if (out.paths.length < maxPaths) out.paths.push({ path, sizeBytes: batch.size[row] });
  });
  if (missingStats) out.numRecords = null;
  return out;
}

function protocolInfo(s: Snapshot): ProtocolInfo {
  const p = s.protocol;
  return {
    minReaderVersion: p.minReaderVersion,
    minWriterVersion: p.minWriterVersion,
    readerFeatures: p.readerFeatures ?? null,
    writerFeatures: p.writerFeatures ?? null,
  };
}

/**
 * Column changes from schema `a` to schema `b` by the one schema diff (`schema-diff.ts`), as
 * Compare lists them: in `b`'s order then dropped ones, only the top of an added or dropped subtree,
 * comments left out.
 */
export function diffSchemas(a: StructType, b: StructType): CompareColumnChange[] {
  const out: CompareColumnChange[] = [];
  for (const c of diffColumns(a, b)) {
    if (c.kind === 'comment' || c.withParent) continue;
    const o: CompareColumnChange = { kind: c.kind, path: c.path };
    if (c.previousPath !== undefined) o.fromPath = c.previousPath;
    if (c.kind === 'type' || c.kind === 'dropped') o.from = c.from;
    if (c.kind === 'type' || c.kind === 'added') o.to = c.to;
    if (c.fromNullable !== undefined) o.fromNullable = c.fromNullable;
    if (c.toNullable !== undefined) o.toNullable = c.toNullable;
    if (c.physicalName !== undefined) o.physicalName = c.physicalName;
    if (c.columnMappingId !== undefined) o.columnMappingId = c.columnMappingId;
    out.push(o);
  }
  return out;
}

/** Added, removed and changed keys from `a` to `b`, each sorted by key. */
export function diffProperties(a: Record<string, string>, b: Record<string, string>): CompareResult['properties'] {
  const added: { key: string; value: string }[] = [];
  const removed: { key: string; value: string }[] = [];
  const changed: { key: string; from: string; to: string }[] = [];
  for (const key of Object.keys(b).sort()) {
    if (!Object.hasOwn(a, key)) added.push({ key, value: b[key] });
    else if (a[key] !== b[key]) changed.push({ key, from: a[key], to: b[key] });
  }
  for (const key of Object.keys(a).sort()) if (!Object.hasOwn(b, key)) removed.push({ key, value: a[key] });
  return { added, removed, changed };
}

function schemaOf(s: Snapshot): StructType | null {
  try {
    return s.schema;
  } catch (e) {
    if (e instanceof DeltaError) return null;
    throw e;
  }
}

/**
 * Compares snapshot `a` (the older, usually) with snapshot `b`: "added" are files active in `b` and
 * not in `a`, "removed" the reverse; every other change reads from `a` to `b`.
 */
export function compareSnapshots(a: Snapshot, b: Snapshot, maxPaths = COMPARE_MAX_PATHS): CompareResult {
  const setsA = keySets(a);
  const setsB = keySets(b);
  const added = diffSide(b, setsA, maxPaths);
  const removed = diffSide(a, setsB, maxPaths);
  const ta = a.totals;
  const tb = b.totals;
  const fa = effectiveFeatures(a.protocol).all;
  const fb = effectiveFeatures(b.protocol).all;
  const sa = schemaOf(a);
  const sb = schemaOf(b);
  const warnings: string[] = [];
  if (!sa) warnings.push(`The schema of version ${a.version} cannot be read; the schema is not compared.`);
  if (!sb) warnings.push(`The schema of version ${b.version} cannot be read; the schema is not compared.`);
  const partA = a.metadata.partitionColumns ?? [];
  const partB = b.metadata.partitionColumns ?? [];
  return {
    versionA: a.version,
    versionB: b.version,
    filesA: { numFiles: ta.numFiles, sizeBytes: ta.sizeInBytes, numRecords: ta.numRecords },
    filesB: { numFiles: tb.numFiles, sizeBytes: tb.sizeInBytes, numRecords: tb.numRecords },
    added,
    removed,
    unchanged: tb.numFiles - added.count,
    recordDelta: ta.numRecords === null || tb.numRecords === null ? null : tb.numRecords - ta.numRecords,
    schemaChanges: sa && sb ? diffSchemas(sa, sb) : [],
    partitionColumns: partA.join('\u0000') === partB.join('\u0000') ? null : { from: [...partA], to: [...partB] },
    tableIdChanged: a.metadata.id !== b.metadata.id,
    properties: diffProperties(a.metadata.configuration ?? {}, b.metadata.configuration ?? {}),
    protocol: {
      from: protocolInfo(a),
      to: protocolInfo(b),
      featuresAdded: fb.filter((f) => !fa.includes(f)),
      featuresRemoved: fa.filter((f) => !fb.includes(f)),
    },
    warnings,
  };
}
