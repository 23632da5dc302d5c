/**
 * Synthetic checkpoint-heavy Delta tables (log only, no data files), deterministic for given
 * parameters. The checkpoint is written with parquet-wasm `writeParquet` from Arrow tables built
 * with apache-arrow, with the Delta checkpoint schema (protocol "Checkpoint Schema"): `add` with
 * path, partitionValues map, size, modificationTime, dataChange, stats string, tags map,
 * deletionVector struct, baseRowId, defaultRowCommitVersion, clusteringProvider; `remove`
 * tombstones; `metaData`, `protocol`, `txn`; V2 adds `checkpointMetadata` and `sidecar`.
 *
 * Layouts: a classic single-file checkpoint, a multi-part checkpoint, a V2 checkpoint whose file
 * actions live in sidecars. After the checkpoint come `trailingCommits` JSON commits that add new
 * files and remove checkpointed ones, so reconciliation has real work.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { bool, int32, int64, stringList, stringMap, struct, tableOf, utf8, type Column } from './arrow-build.ts';

export interface CheckpointTableSpec {
  layout: 'classic' | 'multipart' | 'v2-sidecars';
  /** `add` rows in the checkpoint. */
  numFiles: number;
  /** `remove` tombstones in the checkpoint. */
  tombstones: number;
  /** Parts (multipart) or sidecars (V2); 1 for classic. */
  parts: number;
  trailingCommits: number;
  addsPerCommit: number;
  removesPerCommit: number;
  partitions: number;
  /** Rows per parquet row group. */
  rowGroupRows: number;
}

/** The version of the checkpoint. */
export const CHECKPOINT_VERSION = 1000;
const BASE_TIME_MS = Date.UTC(2024, 0, 1);

export const DATA_SCHEMA = {
  type: 'struct',
  fields: [
    { name: 'id', type: 'long', nullable: true, metadata: {} },
    { name: 'value', type: 'double', nullable: true, metadata: {} },
    { name: 'name', type: 'string', nullable: true, metadata: {} },
    { name: 'ts', type: 'timestamp', nullable: true, metadata: {} },
    { name: 'day', type: 'string', nullable: true, metadata: {} },
  ],
};

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** A deterministic 32-bit mix of `i` (for ids and sizes that look random). */
export function mix(i: number, salt = 0): number {
  let h = Math.imul(i ^ 0x9e3779b9 ^ salt, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function uuidOf(i: number, salt: number): string {
  const h = (k: number) => mix(i, salt + k).toString(16).padStart(8, '0');
  const a = h(1) + h(2) + h(3) + h(4);
  return `${a.slice(0, 8)}-${a.slice(8, 12)}-${a.slice(12, 16)}-${a.slice(16, 20)}-${a.slice(20, 32)}`;
}

const dayNames: string[] = [];
/** Partition value (a day) of file `i`. */
export function dayOf(i: number, partitions: number): string {
  const k = i % partitions;
  return (dayNames[k] ??= new Date(BASE_TIME_MS + k * 86_400_000).toISOString().slice(0, 10));
}

/** The file action fields of synthetic file `i` (salt separates files of different commits). */
export function fileOf(i: number, partitions: number, salt = 0) {
  const day = dayOf(i, partitions);
  const records = 50_000 + (mix(i, salt + 7) % 100_000);
  const idMin = i * 1_000_000;
  const stats =
    `{"numRecords":${records},"minValues":{"id":${idMin},"value":${(mix(i, salt + 8) % 1000) / 10},"name":"a${pad(mix(i, salt + 9) % 10000, 4)}","ts":"${day}T00:00:00.000Z"},` +
    `"maxValues":{"id":${idMin + records},"value":${1000 + (mix(i, salt + 10) % 1000) / 10},"name":"z${pad(mix(i, salt + 11) % 10000, 4)}","ts":"${day}T23:59:59.999Z"},` +
    `"nullCount":{"id":0,"value":${mix(i, salt + 12) % 100},"name":0,"ts":0}}`;
  return {
    path: `day=${day}/part-${pad(i % 100000, 5)}-${uuidOf(i, salt)}.c000.snappy.parquet`,
    day,
    size: 10_000_000 + (mix(i, salt + 3) % 90_000_000),
    modificationTime: BASE_TIME_MS + i,
    stats,
  };
}

function metaDataRow(partitions: number) {
  return {
    id: 'b3c0ffee-0000-4000-8000-000000000001',
    name: 'bench',
    description: 'Synthetic checkpoint-heavy table (bench/gen/checkpoint-table.ts)',
    schemaString: JSON.stringify(DATA_SCHEMA),
    partitionColumns: ['day'],
    configuration: { 'delta.checkpointInterval': '100', 'bench.partitions': String(partitions) },
    createdTime: BASE_TIME_MS,
  };
}

/** One row of a checkpoint file: which action it holds and its index among those actions. */
type RowKind = { kind: 'add' | 'remove'; index: number } | { kind: 'metaData' | 'protocol' | 'checkpointMetadata' | 'txn' } | { kind: 'sidecar'; index: number };

interface SidecarInfo {
  path: string;
  sizeInBytes: number;
}

/** Builds the Arrow table of one checkpoint file. */
function checkpointTable(rows: RowKind[], spec: CheckpointTableSpec, opts: { v2Top: boolean; fileActionsOnly: boolean; sidecars?: SidecarInfo[] }) {
  const n = rows.length;
  const file = (i: number) => {
    const r = rows[i];
    return r.kind === 'add' || r.kind === 'remove' ? r : undefined;
  };
  const isAdd = (i: number) => rows[i].kind === 'add';
  const isRemove = (i: number) => rows[i].kind === 'remove';
  // Each file's fields computed once, column by column (no per-row objects kept).
  const paths: (string | null)[] = new Array(n).fill(null);
  const days: (string | null)[] = new Array(n).fill(null);
  const stats: (string | null)[] = new Array(n).fill(null);
  const sizes = new Float64Array(n);
  const mtimes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = file(i);
    if (!r) continue;
    const f = fileOf(r.index, spec.partitions);
    paths[i] = f.path;
    days[i] = f.day;
    sizes[i] = f.size;
    mtimes[i] = f.modificationTime;
    if (r.kind === 'add') stats[i] = f.stats;
  }
  const nullDv = (): Column =>
    struct(
      n,
      [
        ['storageType', utf8(n, () => null)],
        ['pathOrInlineDv', utf8(n, () => null)],
        ['offset', int32(n, () => null)],
        ['sizeInBytes', int32(n, () => null)],
        ['cardinality', int64(n, () => null)],
        ['maxRowIndex', int64(n, () => null)],
      ],
      () => false,
    );
  const columns: [string, Column][] = [];
  if (!opts.fileActionsOnly) {
    columns.push([
      'txn',
      struct(n, [['appId', utf8(n, () => null)], ['version', int64(n, () => null)], ['lastUpdated', int64(n, () => null)]], () => false),
    ]);
  }
  if (!opts.v2Top) {
    columns.push([
      'add',
      struct(
        n,
        [
          ['path', utf8(n, (i) => (isAdd(i) ? paths[i] : null))],
          ['partitionValues', stringMap(n, (i) => (isAdd(i) ? [['day', days[i]!]] : null))],
          ['size', int64(n, (i) => (isAdd(i) ? sizes[i] : null))],
          ['modificationTime', int64(n, (i) => (isAdd(i) ? mtimes[i] : null))],
          ['dataChange', bool(n, (i) => (isAdd(i) ? false : null))],
          ['stats', utf8(n, (i) => (isAdd(i) ? stats[i] : null))],
          ['tags', stringMap(n, () => null)],
          ['deletionVector', nullDv()],
          ['baseRowId', int64(n, () => null)],
          ['defaultRowCommitVersion', int64(n, () => null)],
          ['clusteringProvider', utf8(n, () => null)],
        ],
        isAdd,
      ),
    ]);
    columns.push([
      'remove',
      struct(
        n,
        [
          ['path', utf8(n, (i) => (isRemove(i) ? paths[i] : null))],
          ['deletionTimestamp', int64(n, (i) => (isRemove(i) ? BASE_TIME_MS + 86_400_000 * 30 : null))],
          ['dataChange', bool(n, (i) => (isRemove(i) ? true : null))],
          ['extendedFileMetadata', bool(n, (i) => (isRemove(i) ? true : null))],
          ['partitionValues', stringMap(n, (i) => (isRemove(i) ? [['day', days[i]!]] : null))],
          ['size', int64(n, (i) => (isRemove(i) ? sizes[i] : null))],
          ['deletionVector', nullDv()],
          ['baseRowId', int64(n, () => null)],
          ['defaultRowCommitVersion', int64(n, () => null)],
        ],
        isRemove,
      ),
    ]);
  }
  if (!opts.fileActionsOnly) {
    const md = metaDataRow(spec.partitions);
    const isMd = (i: number) => rows[i].kind === 'metaData';
    columns.push([
      'metaData',
      struct(
        n,
        [
          ['id', utf8(n, (i) => (isMd(i) ? md.id : null))],
          ['name', utf8(n, (i) => (isMd(i) ? md.name : null))],
          ['description', utf8(n, (i) => (isMd(i) ? md.description : null))],
          ['format', struct(n, [['provider', utf8(n, (i) => (isMd(i) ? 'parquet' : null))], ['options', stringMap(n, (i) => (isMd(i) ? [] : null))]], isMd)],
          ['schemaString', utf8(n, (i) => (isMd(i) ? md.schemaString : null))],
          ['partitionColumns', stringList(n, (i) => (isMd(i) ? md.partitionColumns : null))],
          ['configuration', stringMap(n, (i) => (isMd(i) ? Object.entries(md.configuration) : null))],
          ['createdTime', int64(n, (i) => (isMd(i) ? md.createdTime : null))],
        ],
        isMd,
      ),
    ]);
    const isP = (i: number) => rows[i].kind === 'protocol';
    const v2 = spec.layout === 'v2-sidecars';
    columns.push([
      'protocol',
      struct(
        n,
        [
          ['minReaderVersion', int32(n, (i) => (isP(i) ? (v2 ? 3 : 1) : null))],
          ['minWriterVersion', int32(n, (i) => (isP(i) ? (v2 ? 7 : 2) : null))],
          ['readerFeatures', stringList(n, (i) => (isP(i) && v2 ? ['v2Checkpoint'] : null))],
          ['writerFeatures', stringList(n, (i) => (isP(i) && v2 ? ['v2Checkpoint'] : null))],
        ],
        isP,
      ),
    ]);
  }
  if (opts.v2Top) {
    const isCm = (i: number) => rows[i].kind === 'checkpointMetadata';
    columns.push(['checkpointMetadata', struct(n, [['version', int64(n, (i) => (isCm(i) ? CHECKPOINT_VERSION : null))], ['tags', stringMap(n, () => null)]], isCm)]);
    const sc = (i: number) => {
      const r = rows[i];
      return r.kind === 'sidecar' ? opts.sidecars![r.index] : undefined;
    };
    columns.push([
      'sidecar',
      struct(
        n,
        [
          ['path', utf8(n, (i) => sc(i)?.path ?? null)],
          ['sizeInBytes', int64(n, (i) => sc(i)?.sizeInBytes ?? null)],
          ['modificationTime', int64(n, (i) => (sc(i) ? BASE_TIME_MS : null))],
          ['tags', stringMap(n, () => null)],
        ],
        (i) => rows[i].kind === 'sidecar',
      ),
    ]);
  }
  return tableOf(n, columns);
}

function writeParquetFile(path: string, table: ReturnType<typeof tableOf>, rowGroupRows: number): number {
  const wasmTable = pw.Table.fromIPCStream(tableToIPC(table, 'stream'));
  const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).setMaxRowGroupSize(rowGroupRows).build();
  const bytes = pw.writeParquet(wasmTable, props);
  writeFileSync(path, bytes);
  return bytes.length;
}

const v20 = (v: number) => pad(v, 20);

/** Writes the table into `dir` (which must exist and be empty). */
export async function generateCheckpointTable(dir: string, spec: CheckpointTableSpec): Promise<void> {
  const log = join(dir, '_delta_log');
  mkdirSync(log, { recursive: true });
  const fileRows: RowKind[] = [];
  for (let i = 0; i < spec.numFiles; i++) fileRows.push({ kind: 'add', index: i });
  // Tombstones: files numbered after the live ones (removed before the checkpoint).
  for (let i = 0; i < spec.tombstones; i++) fileRows.push({ kind: 'remove', index: spec.numFiles + i });
  const C = CHECKPOINT_VERSION;
  let totalRows = fileRows.length + 2;

  if (spec.layout === 'classic') {
    const rows: RowKind[] = [{ kind: 'protocol' }, { kind: 'metaData' }, ...fileRows];
    writeParquetFile(join(log, `${v20(C)}.checkpoint.parquet`), checkpointTable(rows, spec, { v2Top: false, fileActionsOnly: false }), spec.rowGroupRows);
    writeFileSync(join(log, '_last_checkpoint'), JSON.stringify({ version: C, size: totalRows }));
  } else if (spec.layout === 'multipart') {
    const per = Math.ceil(fileRows.length / spec.parts);
    for (let p = 0; p < spec.parts; p++) {
      const slice = fileRows.slice(p * per, (p + 1) * per);
      const rows: RowKind[] = p === 0 ? [{ kind: 'protocol' }, { kind: 'metaData' }, ...slice] : slice;
      writeParquetFile(
        join(log, `${v20(C)}.checkpoint.${pad(p + 1, 10)}.${pad(spec.parts, 10)}.parquet`),
        checkpointTable(rows, spec, { v2Top: false, fileActionsOnly: false }),
        spec.rowGroupRows,
      );
    }
    writeFileSync(join(log, '_last_checkpoint'), JSON.stringify({ version: C, size: totalRows, parts: spec.parts }));
  } else {
    mkdirSync(join(log, '_sidecars'), { recursive: true });
    const per = Math.ceil(fileRows.length / spec.parts);
    const sidecars: SidecarInfo[] = [];
    for (let p = 0; p < spec.parts; p++) {
      const slice = fileRows.slice(p * per, (p + 1) * per);
      const name = `${v20(C)}.checkpoint.${pad(p + 1, 10)}.${pad(spec.parts, 10)}.${uuidOf(p, 99)}.parquet`;
      const size = writeParquetFile(join(log, '_sidecars', name), checkpointTable(slice, spec, { v2Top: false, fileActionsOnly: true }), spec.rowGroupRows);
      sidecars.push({ path: name, sizeInBytes: size });
    }
    const rows: RowKind[] = [{ kind: 'checkpointMetadata' }, { kind: 'protocol' }, { kind: 'metaData' }, ...sidecars.map((_, i) => ({ kind: 'sidecar' as const, index: i }))];
    totalRows = rows.length;
    writeParquetFile(join(log, `${v20(C)}.checkpoint.${uuidOf(0, 98)}.parquet`), checkpointTable(rows, spec, { v2Top: true, fileActionsOnly: false, sidecars }), spec.rowGroupRows);
    writeFileSync(join(log, '_last_checkpoint'), JSON.stringify({ version: C, size: totalRows }));
  }

  // Trailing commits: new files, and removes of checkpointed ones.
  for (let k = 1; k <= spec.trailingCommits; k++) {
    const v = C + k;
    const lines: string[] = [
      JSON.stringify({ commitInfo: { timestamp: BASE_TIME_MS + 86_400_000 * 40 + k * 60_000, operation: 'WRITE', operationParameters: { mode: 'Append' }, isBlindAppend: false, engineInfo: 'delta-explorer-bench' } }),
    ];
    for (let j = 0; j < spec.addsPerCommit; j++) {
      const idx = spec.numFiles + spec.tombstones + (k - 1) * spec.addsPerCommit + j;
      const f = fileOf(idx, spec.partitions);
      lines.push(JSON.stringify({ add: { path: f.path, partitionValues: { day: f.day }, size: f.size, modificationTime: f.modificationTime, dataChange: true, stats: f.stats } }));
    }
    for (let j = 0; j < spec.removesPerCommit; j++) {
      const idx = mix(k * 1000 + j, 5) % spec.numFiles;
      const f = fileOf(idx, spec.partitions);
      lines.push(
        JSON.stringify({ remove: { path: f.path, deletionTimestamp: BASE_TIME_MS + 86_400_000 * 40 + k * 60_000, dataChange: true, extendedFileMetadata: true, partitionValues: { day: f.day }, size: f.size } }),
      );
    }
    writeFileSync(join(log, `${v20(v)}.json`), lines.join('\n') + '\n');
  }
}
