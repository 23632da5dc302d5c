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
import { deltaTypeName, METADATA_KEYS, type StructField, type StructType } from '../delta/schema.ts';
import { numRecordsAt, safeDecode, type Snapshot } from '../delta/snapshot.ts';
import type { FileActionBatch } from '../delta/actions.ts';
import { COMPARE_MAX_PATHS, type CompareFiles, type CompareResult, type ProtocolInfo, type CompareColumnChange } from './api.ts';


/** Decoded path of a batch row. */
function pathAt(batch: FileActionBatch, row: number): string {
  const raw = batch.path[row];
  return raw.includes('%') ? safeDecode(raw) : raw;
}

/** Reconciliation key of a batch row (decoded path, plus the DV unique id when it has one). */
function keyAt(batch: FileActionBatch, row: number): string {
  const path = pathAt(batch, row);
  const dv = batch.dvStorageType === undefined ? '' : batch.dvUniqueId(row);
  return dv ? `${path}\u0000${dv}` : path;
}

function keySets(s: Snapshot): { keys: KeySet; paths: KeySet } {
  const keys = new KeySet(s.files.length);
  const paths = new KeySet(s.files.length);
  s.files.forEach((batch, row) => {
    keys.add(keyAt(batch, row));
    paths.add(pathAt(batch, row));
  });
  return { keys, paths };
}

/** Files of `side` whose key is not in `other`: counts, sums, the first paths. */
function diffSide(side: Snapshot, other: { keys: KeySet; paths: KeySet }, maxPaths: number): CompareFiles {
  const out: CompareFiles = { count: 0, sizeBytes: 0, numRecords: 0, withDeletionVectorChange: 0, paths: [] };
  let missingStats = false;
  side.files.forEach((batch, row) => {
    const key = keyAt(batch, row);
    if (other.keys.has(key)) return;
    out.count++;
    out.sizeBytes += batch.size[row];
    const n = numRecordsAt(batch, row);
    const card = batch.dvCardinality?.[row];
    if (n === null) missingStats = true;
    else out.numRecords! += n - (card !== undefined && !Number.isNaN(card) ? card : 0);
    const path = pathAt(batch, row);
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

/** One field flattened: its logical path, the identity it is matched by, its type text. */
interface FlatField {
  path: string;
  key: string;
  type: string;
  nullable: boolean;
  field: StructField;
}

/**
 * Identity of a field for matching across versions: its column mapping physical name when it has
 * one (stable across renames; Delta gives existing columns physical name = name when mapping is
 * enabled), else its column mapping id, else its name.
 */
function fieldIdentity(f: StructField): string {
  const physical = f.metadata?.[METADATA_KEYS.physicalName];
  if (typeof physical === 'string' && physical) return `p:${physical}`;
  const id = f.metadata?.[METADATA_KEYS.columnMappingId];
  if (typeof id === 'number') return `i:${id}`;
  return `p:${f.name}`;
}

/** Every field, nested struct fields included (depth-first), keyed by the identities down its path. */
function flatten(schema: StructType): Map<string, FlatField> {
  const out = new Map<string, FlatField>();
  const walk = (struct: StructType, path: string[], key: string[]) => {
    for (const field of struct.fields) {
      const p = [...path, field.name];
      const k = [...key, fieldIdentity(field)];
      const isStruct = field.type.type === 'struct';
      out.set(k.join('\u0000'), { path: p.join('.'), key: k.join('\u0000'), type: isStruct ? 'struct' : deltaTypeName(field.type), nullable: field.nullable, field });
      if (field.type.type === 'struct') walk(field.type, p, k);
    }
  };
  walk(schema, [], []);
  return out;
}

function mappingOf(f: StructField): { physicalName?: string; columnMappingId?: number } {
  const o: { physicalName?: string; columnMappingId?: number } = {};
  const physical = f.metadata?.[METADATA_KEYS.physicalName];
  if (typeof physical === 'string' && physical) o.physicalName = physical;
  const id = f.metadata?.[METADATA_KEYS.columnMappingId];
  if (typeof id === 'number') o.columnMappingId = id;
  return o;
}

/** Column changes from schema `a` to schema `b` (nested columns by dotted path), in `b`'s order then dropped ones. */
export function diffSchemas(a: StructType, b: StructType): CompareColumnChange[] {
  const fa = flatten(a);
  const fb = flatten(b);
  const out: CompareColumnChange[] = [];
  for (const [key, nb] of fb) {
    const na = fa.get(key);
    if (!na) {
      // A parent that is itself added already says it; list only the top of an added subtree.
      const parentKey = key.split('\u0000').slice(0, -1).join('\u0000');
      if (parentKey && !fa.has(parentKey)) continue;
      out.push({ kind: 'added', path: nb.path, to: nb.type, toNullable: nb.nullable, ...mappingOf(nb.field) });
      continue;
    }
    if (na.path !== nb.path) out.push({ kind: 'renamed', path: nb.path, fromPath: na.path, ...mappingOf(nb.field) });
    if (na.type !== nb.type) out.push({ kind: 'type', path: nb.path, from: na.type, to: nb.type, ...mappingOf(nb.field) });
    if (na.nullable !== nb.nullable) out.push({ kind: 'nullability', path: nb.path, fromNullable: na.nullable, toNullable: nb.nullable, ...mappingOf(nb.field) });
  }
  for (const [key, na] of fa) {
    if (fb.has(key)) continue;
    const parentKey = key.split('\u0000').slice(0, -1).join('\u0000');
    if (parentKey && !fb.has(parentKey)) continue;
    out.push({ kind: 'dropped', path: na.path, from: na.type, fromNullable: na.nullable, ...mappingOf(na.field) });
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
