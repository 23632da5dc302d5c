/**
 * The schema timeline of a table (the Schema tab's "Schema changes"): which version added, renamed,
 * retyped, made (not) nullable, recommented or dropped each column, from the `metaData` actions of
 * every retained commit, diffed by the one schema diff (`schema-diff.ts`: one identity rule, Delta's
 * type names).
 */
import type { CommitInfo, Metadata } from '../delta/actions.ts';
import { throwIfAborted } from '../delta/errors.ts';
import { parseSchema, type StructType } from '../delta/schema.ts';
import { mapLimit, readDelta } from '../delta/snapshot.ts';
import type { DeltaTable } from '../delta/table.ts';
import { diffFlatSchemas, flattenSchema, type FlatSchema, type SchemaColumnChange } from './schema-diff.ts';

/** A version whose `metaData` changed the schema (or the first version retained). */
export interface SchemaVersionChange {
  version: number;
  /** The commit's timestamp (in-commit timestamp, `commitInfo.timestamp`, else the file's time), ms. */
  timestampMs: number | null;
  operation: string | null;
  /** Top-level columns after this version. */
  numColumns: number;
  /** True for the first schema of the retained history (all its columns are listed as `added`). */
  initial: boolean;
  /** The column changes from the previous entry's schema (every column as `added` in the initial entry). */
  changes: SchemaColumnChange[];
}

/** The schema changes over the retained history, oldest first. */
export interface SchemaTimeline {
  /** The oldest retained commit (the first entry describes the schema as of it). */
  firstVersion: number;
  latestVersion: number;
  /** How the columns were matched between versions. */
  matchedBy: 'columnMappingId' | 'physicalName' | 'name';
  entries: SchemaVersionChange[];
  /** Schemas that could not be parsed (their versions are skipped). */
  warnings: string[];
}

const timelineCache = new WeakMap<DeltaTable, { latestVersion: number; value: SchemaTimeline }>();

/**
 * The schema timeline of a table: reads every retained commit, keeps the versions whose `metaData`
 * changed the schema, and diffs consecutive schemas by column mapping id, else physical name, else
 * name. When the oldest retained commit has no `metaData` (history cleaned up after a checkpoint),
 * the schema as of that version is loaded from its snapshot. Cached per table and latest version.
 * @throws DeltaError as `loadHistory` and `loadSnapshot` do.
 */
export async function schemaTimeline(
  table: DeltaTable,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<SchemaTimeline> {
  const { signal, onProgress } = options;
  const commits = await table.commits(signal);
  const latestVersion = commits.length ? commits[commits.length - 1].version : 0;
  const cached = timelineCache.get(table);
  if (cached && cached.latestVersion === latestVersion) return cached.value;
  let done = 0;
  const found = await mapLimit(commits, 16, async (c) => {
    throwIfAborted(signal);
    const set = await readDelta(table.store, c, signal);
    onProgress?.(++done, commits.length);
    return { version: c.version, metaData: set.metaData, commitInfo: set.commitInfo, fileTimeMs: c.lastModifiedMs };
  });
  const metas: { version: number; metaData: Metadata; commitInfo?: CommitInfo; fileTimeMs: number | null }[] = [];
  for (const f of found) if (f.metaData) metas.push({ version: f.version, metaData: f.metaData, commitInfo: f.commitInfo, fileTimeMs: f.fileTimeMs });
  const firstVersion = commits.length ? commits[0].version : 0;
  if (!metas.length || metas[0].version !== firstVersion) {
    const snap = await table.snapshot({ version: firstVersion }, { allowUnsupported: true, stats: false, signal });
    const first = found[0];
    metas.unshift({ version: firstVersion, metaData: snap.metadata, commitInfo: first?.commitInfo, fileTimeMs: first?.fileTimeMs ?? null });
  }
  const warnings: string[] = [];
  const entries: SchemaVersionChange[] = [];
  let prev: FlatSchema['columns'] | undefined;
  let prevString: string | undefined;
  let matchedBy: SchemaTimeline['matchedBy'] = 'name';
  for (const m of metas) {
    const text = m.metaData.schemaString || '{"type":"struct","fields":[]}';
    if (text === prevString) continue;
    let schema: StructType;
    try {
      schema = parseSchema(text, { version: m.version });
    } catch (e) {
      warnings.push(`Version ${m.version}: ${(e as Error).message}`);
      continue;
    }
    const flat = flattenSchema(schema);
    if (flat.matchedBy !== 'name') matchedBy = flat.matchedBy;
    const changes = diffFlatSchemas(prev ?? new Map(), flat.columns);
    const ci = m.commitInfo;
    const ts = typeof ci?.inCommitTimestamp === 'number' ? ci.inCommitTimestamp : typeof ci?.timestamp === 'number' ? ci.timestamp : m.fileTimeMs;
    if (!prev || changes.length) {
      entries.push({
        version: m.version,
        timestampMs: ts ?? null,
        operation: typeof ci?.operation === 'string' ? ci.operation : null,
        numColumns: schema.fields.length,
        initial: !prev,
        changes,
      });
    }
    prev = flat.columns;
    prevString = text;
  }
  const value: SchemaTimeline = { firstVersion, latestVersion, matchedBy, entries, warnings };
  timelineCache.set(table, { latestVersion, value });
  return value;
}
