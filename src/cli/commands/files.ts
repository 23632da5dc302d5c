/**
 * `delta-explorer files`: the active data files sorted by path, with partition values (parsed by
 * column type), record counts, deletion vectors and per-column statistics.
 */
import { formatPartitionValue, type DataType, type DeletionVectorDescriptor, type PartitionValue } from '../../delta/index.ts';
import { FileProjection } from '../../explore/file-rows.ts';
import { loadTarget, type Command } from '../command.ts';
import { cell, formatBytes, hex, iso, printable, renderTable, truncate } from '../render.ts';

/** JSON of one column's stats in `files`. */
export interface ColumnStatsJson {
  min: unknown;
  max: unknown;
  nullCount: unknown;
}

/** JSON of one active file in `files`. */
export interface FileJson {
  /** Decoded path, relative to the table root (or absolute / a URI, as written). */
  path: string;
  size: number;
  modificationTime: string | null;
  /**
   * Parsed partition values by logical column: numbers and booleans as JSON values, null as null,
   * everything else (dates, timestamps, decimals, big longs, binary as hex) as its formatted text.
   */
  partitionValues: Record<string, string | number | boolean | null>;
  /** `numRecords` from the stats (rows in the data file, deleted ones included), or null. */
  numRecords: number | null;
  /** The deletion vector descriptor (its `cardinality` is the number of deleted rows), or null. */
  deletionVector: DeletionVectorDescriptor | null;
  /** Per leaf column (logical dotted path): min, max and null count from the stats; null when the file has no stats. */
  stats: Record<string, ColumnStatsJson> | null;
  tightBounds: boolean | null;
  tags: Record<string, string> | null;
  baseRowId: number | null;
  defaultRowCommitVersion: number | null;
}

/** JSON of `files`. */
export interface FilesJson {
  version: number;
  /** All active files (the list may be cut by --limit). */
  numFiles: number;
  sizeInBytes: number;
  partitionColumns: string[];
  files: FileJson[];
}

function partitionJson(v: PartitionValue, t: DataType): string | number | boolean | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v) && t.type !== 'date') return v;
  return formatPartitionValue(v, t);
}

/** A stats value as JSON (the core gives checkpoint `stats_parsed` values in the JSON stats' form). */
function statValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Uint8Array) return hex(v);
  return v;
}

const MAX_STATS_COLUMNS = 8;

export const files: Command = {
  name: 'files',
  summary: 'The active data files with partition values, record counts and column statistics',
  description:
    'Lists the active data files of the snapshot, sorted by path: decoded path, size, partition values (parsed by ' +
    'column type), numRecords, deletion-vector cardinality, modification time, and per column the min, max and null ' +
    `count from the file statistics. The human table truncates long values and shows at most ${MAX_STATS_COLUMNS} ` +
    'statistics columns. --limit N shows the first N files.',
  accepts: ['version', 'timestamp', 'limit'],
  async run(ctx) {
    const snap = await loadTarget(ctx);
    // The one file-row projection (src/explore/file-rows.ts), strict: a value that does not parse fails the command.
    const projection = new FileProjection(snap, { strict: true });
    const pcols = projection.partitionColumns;
    const order = projection.byPath();
    const shown = ctx.options.limit !== undefined ? order.slice(0, ctx.options.limit) : order;
    const list: FileJson[] = shown.map((i) => {
      const f = projection.row(i);
      const partitionValues: FileJson['partitionValues'] = {};
      pcols.forEach((c, k) => (partitionValues[c.name] = partitionJson(f.partitionValues[k], c.dataType)));
      let stats: FileJson['stats'] = null;
      if (f.stats) {
        stats = {};
        f.stats.forEach((st, k) => {
          if (st.min === undefined && st.max === undefined && st.nullCount === undefined) return;
          stats![projection.statsColumns[k].name] = { min: statValue(st.min), max: statValue(st.max), nullCount: st.nullCount ?? null };
        });
      }
      return {
        path: f.path,
        size: f.size,
        modificationTime: iso(f.modificationTime),
        partitionValues,
        numRecords: f.numRecords,
        deletionVector: f.deletionVector,
        stats,
        tightBounds: f.tightBounds,
        tags: f.tags,
        baseRowId: f.baseRowId,
        defaultRowCommitVersion: f.defaultRowCommitVersion,
      };
    });
    const totals = snap.totals;
    const json: FilesJson = {
      version: snap.version,
      numFiles: totals.numFiles,
      sizeInBytes: totals.sizeInBytes,
      partitionColumns: pcols.map((c) => c.name),
      files: list,
    };
    return {
      json,
      text: () => {
        const statCols: string[] = [];
        for (const f of list) for (const k of Object.keys(f.stats ?? {})) if (!statCols.includes(k)) statCols.push(k);
        const shownStats = statCols.slice(0, MAX_STATS_COLUMNS);
        const statCell = (s: ColumnStatsJson | undefined) => {
          if (!s) return '';
          const v = (x: unknown) => truncate(cell(x), 16);
          const range = s.min === null && s.max === null ? '' : `${v(s.min)} .. ${v(s.max)}`;
          const nulls = typeof s.nullCount === 'number' && s.nullCount > 0 ? `${range ? ' ' : ''}(${s.nullCount} null)` : '';
          return range || nulls ? range + nulls : typeof s.nullCount === 'number' ? '(0 null)' : '';
        };
        const headers = ['PATH', 'SIZE', ...(pcols.length ? ['PARTITION'] : []), 'RECORDS', 'DELETED', 'MODIFIED', ...shownStats.map(printable)];
        const body = list.map((f) => [
          printable(f.path),
          formatBytes(f.size),
          ...(pcols.length ? [Object.entries(f.partitionValues).map(([k, v]) => `${printable(k)}=${v === null ? 'null' : cell(v)}`).join(', ')] : []),
          f.numRecords === null ? '-' : String(f.numRecords),
          f.deletionVector ? String(f.deletionVector.cardinality) : '',
          cell(f.modificationTime),
          ...shownStats.map((c) => statCell(f.stats?.[c])),
        ]);
        const right = [false, true, ...(pcols.length ? [false] : []), true, true];
        let text = list.length ? renderTable(headers, body, right) : json.numFiles ? '' : '(no active files)\n';
        const shownBytes = list.reduce((s, f) => s + f.size, 0);
        text +=
          list.length < json.numFiles
            ? `${list.length} of ${json.numFiles} files shown (${shownBytes} of ${json.sizeInBytes} bytes, ${formatBytes(json.sizeInBytes)} in all)\n`
            : `${json.numFiles} file${json.numFiles === 1 ? '' : 's'}, ${json.sizeInBytes} bytes (${formatBytes(json.sizeInBytes)})\n`;
        if (statCols.length > shownStats.length) {
          text += `(statistics of ${statCols.length - shownStats.length} more column${statCols.length - shownStats.length === 1 ? '' : 's'} not shown; use --json)\n`;
        }
        return text;
      },
    };
  },
};
