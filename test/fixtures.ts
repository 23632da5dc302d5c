/**
 * Test helpers over the real fixture tables in test/fixtures/tables (see test/fixtures/NOTICE).
 *
 * `referenceReplay` is an independent oracle for expected values: a deliberately naive FORWARD
 * replay of the JSON commits (oldest first, a Map keyed by decoded path + DV id, add sets and remove
 * deletes), sharing no code with src/delta, which replays newest-first into columnar batches.
 */
import { readdirSync, readFileSync, existsSync, mkdtempSync, cpSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { DeltaError } from '../src/delta/errors.ts';
import type { RelativeFile } from '../src/delta/storage/browser-files.ts';

export const FIXTURES = join(import.meta.dirname, 'fixtures', 'tables');

export interface ManifestEntry {
  name: string;
  latest_version: number | null;
  num_commits: number;
  checkpoints: string[];
  has_last_checkpoint: boolean;
  protocol: { minReaderVersion: number; minWriterVersion: number; readerFeatures: string[] | null; writerFeatures: string[] | null } | null;
  partition_columns: string[] | null;
  table_properties: Record<string, string> | null;
  features_used: string[];
  num_active_files_expected: number | null;
  num_active_files_expected_source: string | null;
  num_rows_expected: number | null;
  num_rows_expected_source: string | null;
}

export const MANIFEST: ManifestEntry[] = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'MANIFEST.json'), 'utf8'));

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function manifestEntry(name: string): ManifestEntry {
  const e = MANIFEST.find((m) => m.name === name);
  if (!e) throw new Error(`no manifest entry ${name}`);
  return e;
}

/** Copies a fixture table into a fresh temp folder (for tests that break tables). */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dx-${name}-`));
  cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

export function commitVersions(dir: string): number[] {
  const log = join(dir, '_delta_log');
  if (!existsSync(log)) return [];
  return readdirSync(log)
    .filter((f) => /^\d{20}\.json$/.test(f))
    .map((f) => Number(f.slice(0, 20)))
    .sort((a, b) => a - b);
}

/** Whether every commit 0..version exists (the oracle needs the full JSON history). */
export function hasFullHistory(dir: string, version: number): boolean {
  const vs = new Set(commitVersions(dir));
  for (let v = 0; v <= version; v++) if (!vs.has(v)) return false;
  return true;
}

export interface ReferenceState {
  numFiles: number;
  sizeBytes: number;
  /** numRecords minus DV cardinality, or null if some file lacks stats. */
  numRecords: number | null;
  numDeleted: number;
  protocol: any;
  metaData: any;
  paths: string[];
  /** Distinct `partitionValues` of the active files (as sorted-key JSON). */
  partitions: string[];
}

/** Naive forward replay of JSON commits 0..version (see file comment). */
export function referenceReplay(dir: string, version: number): ReferenceState {
  const files = new Map<string, any>();
  let protocol: any;
  let metaData: any;
  for (let v = 0; v <= version; v++) {
    const text = readFileSync(join(dir, '_delta_log', `${String(v).padStart(20, '0')}.json`), 'utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const a = JSON.parse(line);
      const key = (f: any) => {
        const dv = f.deletionVector;
        const id = dv ? `${dv.storageType}${dv.pathOrInlineDv}${dv.offset !== undefined && dv.offset !== null ? '@' + dv.offset : ''}` : '';
        return `${decodeURIComponent(f.path)}|${id}`;
      };
      if (a.add) files.set(key(a.add), a.add);
      if (a.remove) files.delete(key(a.remove));
      if (a.protocol) protocol = a.protocol;
      if (a.metaData) metaData = a.metaData;
    }
  }
  let size = 0;
  let recs = 0;
  let missing = false;
  let deleted = 0;
  for (const f of files.values()) {
    size += f.size;
    const s = f.stats ? JSON.parse(f.stats) : null;
    if (s && typeof s.numRecords === 'number') recs += s.numRecords;
    else missing = true;
    if (f.deletionVector) deleted += f.deletionVector.cardinality;
  }
  return {
    numFiles: files.size,
    sizeBytes: size,
    numRecords: missing ? null : recs - deleted,
    numDeleted: deleted,
    protocol,
    metaData,
    paths: [...files.values()].map((f) => f.path).sort(),
    partitions: [...new Set([...files.values()].map((f) => JSON.stringify(Object.entries(f.partitionValues ?? {}).sort())))].sort(),
  };
}

/** The writer's version checksum file (`N.crc`), when present: an independent record of the state. */
export function readCrc(dir: string, version: number): any | undefined {
  const p = join(dir, '_delta_log', `${String(version).padStart(20, '0')}.crc`);
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Path of commit `v` of the table in `dir`. */
export const commitPath = (dir: string, v: number) => join(dir, '_delta_log', `${String(v).padStart(20, '0')}.json`);

/** The actions of commit `v` of the table in `dir`, parsed line by line. */
export const logLines = (dir: string, v: number): any[] =>
  readFileSync(commitPath(dir, v), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

/** The DeltaError a promise rejects with; fails when it resolves or rejects with anything else. */
export async function thrown(p: Promise<unknown>): Promise<DeltaError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DeltaError) return e;
    throw new Error(`expected a DeltaError, got ${(e as Error)?.stack ?? e}`);
  }
  throw new Error('expected a DeltaError, nothing was thrown');
}

/**
 * A folder's files as a dropped folder gives them to the worker: `{ path, file }` with `/`-separated
 * paths relative to `dir` and each `File` holding the bytes and the modification time (ms).
 */
export function folderFiles(dir: string, prefix = ''): RelativeFile[] {
  const out: RelativeFile[] = [];
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    const st = statSync(abs);
    if (st.isDirectory()) out.push(...folderFiles(abs, `${prefix}${name}/`));
    else out.push({ path: prefix + name, file: new File([readFileSync(abs)], name, { lastModified: st.mtimeMs }) });
  }
  return out;
}
