/**
 * Aggregates of a snapshot's active files for the Partitions view and the Files view's histogram:
 * files, records, bytes and deleted rows per partition value (one pass, `src/delta/aggregates.ts`),
 * and files on log-scale size bins. Partition values are typed and formatted by the file-row
 * projection (`file-rows.ts`), so the Partitions view, the Files view, the CLI and `"t$files"` show
 * the same text for the same value.
 */
import { partitionAggregates, sizeHistogram } from '../delta/aggregates.ts';
import type { Snapshot } from '../delta/snapshot.ts';
import { FileProjection } from './file-rows.ts';

/** A partition column as the views show it. */
export interface PartitionColumnInfo {
  /** Logical name. */
  name: string;
  /** Key in `partitionValues` (the physical name under column mapping). */
  key: string;
  /** Delta type name (`integer`, `date`, `decimal(10,2)`). */
  type: string;
}

/** One partition's aggregates. */
export interface PartitionRow {
  /** Formatted typed values in column order; `null` for a null partition value. */
  values: (string | null)[];
  numFiles: number;
  sizeInBytes: number;
  /** Sum of `numRecords` before deletion vectors; null when a file lacks stats. */
  numRecords: number | null;
  numDeletedRecords: number;
  maxModificationTime: number | null;
}

/** The Partitions view's data. */
export interface PartitionSummary {
  version: number;
  /** Empty for an unpartitioned table. */
  columns: PartitionColumnInfo[];
  numPartitions: number;
  /** The largest partitions by bytes (at most the limit asked for). */
  rows: PartitionRow[];
  /** True when `rows` holds fewer partitions than `numPartitions`. */
  truncated: boolean;
  /** Values that could not be parsed as their column's type (shown raw). */
  warnings: string[];
}

/** Largest number of partitions {@link partitionSummary} returns. */
export const MAX_PARTITION_ROWS = 5000;

/** Text of the values that do not parse as their column's type, for a warning. */
export function badValuesWarning(bad: Set<string>): string[] {
  return bad.size ? [`Partition values that do not parse as their column's type: ${[...bad].slice(0, 5).join(', ')}${bad.size > 5 ? ' …' : ''}`] : [];
}

/** Per-partition aggregates of a snapshot (one pass over the active files), largest first. */
export function partitionSummary(snapshot: Snapshot, limit = MAX_PARTITION_ROWS): PartitionSummary {
  const names = snapshot.metadata.partitionColumns ?? [];
  if (!names.length) return { version: snapshot.version, columns: [], numPartitions: 0, rows: [], truncated: false, warnings: [] };
  const projection = new FileProjection(snapshot);
  const agg = partitionAggregates(snapshot, Math.min(limit, MAX_PARTITION_ROWS));
  const byKey = new Map(projection.partitionColumns.map((c, k) => [c.key, k]));
  const columns: PartitionColumnInfo[] = agg.keys.map((key, k) => {
    const c = projection.partitionColumns[byKey.get(key) ?? -1];
    return c ? { name: c.name, key: c.key, type: c.type } : { name: names[k] ?? key, key, type: 'string' };
  });
  const rows: PartitionRow[] = agg.partitions.map((p) => ({
    values: agg.keys.map((key) => {
      const k = byKey.get(key);
      const raw = p.values[key];
      return k === undefined ? (raw ?? null) : projection.partitionValue(raw, k).text;
    }),
    numFiles: p.numFiles,
    sizeInBytes: p.sizeInBytes,
    numRecords: p.numRecords,
    numDeletedRecords: p.numDeletedRecords,
    maxModificationTime: p.maxModificationTime,
  }));
  return { version: snapshot.version, columns, numPartitions: agg.numPartitions, rows, truncated: rows.length < agg.numPartitions, warnings: badValuesWarning(projection.badPartitionValues) };
}

/** One bin of {@link FileSizeHistogram}: files with `startBytes <= size < endBytes`. */
export interface SizeBin {
  startBytes: number;
  endBytes: number;
  count: number;
  totalBytes: number;
}

/** Active files by size on power-of-two bins (log scale). */
export interface FileSizeHistogram {
  version: number;
  numFiles: number;
  bins: SizeBin[];
  /** Files without a valid size. */
  unknown: number;
}

/** The size histogram of a snapshot's active files. `sum(bins.count) + unknown === numFiles`. */
export function fileSizeHistogram(snapshot: Snapshot): FileSizeHistogram {
  const h = sizeHistogram(snapshot);
  const bins = h.bucketStartBytes.map((start, i) => ({
    startBytes: start,
    endBytes: start === 0 ? 2 : start * 2,
    count: h.counts[i],
    totalBytes: h.totalBytes[i],
  }));
  return { version: snapshot.version, numFiles: snapshot.files.length, bins, unknown: h.unknown };
}
