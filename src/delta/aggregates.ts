/**
 * Summaries of a snapshot's active files for overview views, computed over the columnar state in
 * one pass each (no object per file): per-partition aggregates and a file-size histogram. Meant to
 * run where the snapshot lives (the worker) and to cross to the UI as small plain objects.
 */
import { numRecordsAt, type Snapshot } from './snapshot.ts';

/** Aggregates of the active files of one partition. Sizes in bytes, times in ms since the epoch. */
export interface PartitionAggregate {
  /** Raw partition values keyed by the log's partition key (physical name), `null` for a null value. */
  values: Record<string, string | null>;
  numFiles: number;
  sizeInBytes: number;
  /** Sum of `numRecords` (before deletion vectors); null when a file of the partition has no stats. */
  numRecords: number | null;
  /** Rows hidden by deletion vectors. */
  numDeletedRecords: number;
  minModificationTime: number | null;
  maxModificationTime: number | null;
}

/** Per-partition aggregates, largest partitions (by bytes) first. */
export interface PartitionAggregates {
  /** Partition keys (physical names) in `metaData.partitionColumns` order. */
  keys: string[];
  /** Number of distinct partitions. */
  numPartitions: number;
  /** The first `limit` partitions by size. */
  partitions: PartitionAggregate[];
  /** Bytes of every partition (all `numPartitions` of them), largest first. */
  partitionSizes: number[];
}

/**
 * Groups the active files by their raw partition values.
 * @param limit how many partitions to return (all are counted in `numPartitions`); default 1000.
 * @param withRecords sum `numRecords` (default true: the stats must be loaded, else DeltaError
 *   `STATS_NOT_LOADED`); false leaves every `numRecords` null without reading stats (sizes only).
 */
export function partitionAggregates(snapshot: Snapshot, limit = 1000, withRecords = true): PartitionAggregates {
  let keys: string[];
  try {
    keys = snapshot.partitionColumns.map((c) => c.key);
  } catch {
    keys = [...snapshot.metadata.partitionColumns];
  }
  const files = snapshot.files;
  const n = files.length;
  // Pass 1: a code per distinct value, per partition column (interned strings hash once). Walks
  // the chunks of the active files directly, looking columns up once per chunk.
  const codes = keys.map(() => new Int32Array(n));
  const dicts = keys.map(() => new Map<string | null, number>());
  const dictValues: (string | null)[][] = keys.map(() => []);
  let base = 0;
  for (const { batch, rows } of files.chunks) {
    for (let k = 0; k < keys.length; k++) {
      const col = batch.partitionValues.get(keys[k]);
      const out = codes[k];
      const dict = dicts[k];
      const values = dictValues[k];
      let lastV: string | null | undefined;
      let lastC = -1;
      for (let j = 0; j < rows.length; j++) {
        const v = col ? (col[rows[j]] ?? null) : null;
        if (v !== lastV || lastC < 0) {
          let c = dict.get(v);
          if (c === undefined) {
            c = values.length;
            dict.set(v, c);
            values.push(v);
          }
          lastV = v;
          lastC = c;
        }
        out[base + j] = lastC;
      }
    }
    base += rows.length;
  }
  // Pass 2: one group per combination: the mixed-radix number of the codes while it stays exact
  // (product of the cardinalities ≤ 2^53), else the codes as text (never two partitions as one).
  const exact = dictValues.reduce((p, v) => p * Math.max(1, v.length), 1) <= Number.MAX_SAFE_INTEGER;
  const groupOf = new Map<number | string, number>();
  const groups: { codes: number[]; numFiles: number; size: number; records: number; missing: boolean; deleted: number; minT: number; maxT: number }[] = [];
  base = 0;
  for (const { batch, rows } of files.chunks) {
    const sizes = batch.size;
    const mtimes = batch.modificationTime;
    const cards = batch.dvCardinality;
    for (let j = 0; j < rows.length; j++) {
      const i = base + j;
      const row = rows[j];
      let key: number | string;
      if (exact) {
        key = 0;
        for (let k = 0; k < keys.length; k++) key = key * dictValues[k].length + codes[k][i];
      } else {
        key = '';
        for (let k = 0; k < keys.length; k++) key += codes[k][i] + ',';
      }
      let g = groupOf.get(key);
      if (g === undefined) {
        g = groups.length;
        groupOf.set(key, g);
        groups.push({ codes: codes.map((c) => c[i]), numFiles: 0, size: 0, records: 0, missing: false, deleted: 0, minT: Infinity, maxT: -Infinity });
      }
      const a = groups[g];
      a.numFiles++;
      const size = sizes[row];
      if (!Number.isNaN(size)) a.size += size;
      const nr = withRecords ? numRecordsAt(batch, row) : null;
      if (nr === null) a.missing = true;
      else a.records += nr;
      const card = cards?.[row];
      if (card !== undefined && !Number.isNaN(card)) a.deleted += card;
      const t = mtimes[row];
      if (!Number.isNaN(t)) {
        if (t < a.minT) a.minT = t;
        if (t > a.maxT) a.maxT = t;
      }
    }
    base += rows.length;
  }
  const byCodes = (x: number[], y: number[]) => {
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return x[k] - y[k];
    return 0;
  };
  groups.sort((x, y) => y.size - x.size || byCodes(x.codes, y.codes));
  const partitions = groups.slice(0, limit).map((a) => {
    const values: Record<string, string | null> = {};
    for (let k = 0; k < keys.length; k++) values[keys[k]] = dictValues[k][a.codes[k]];
    return {
      values,
      numFiles: a.numFiles,
      sizeInBytes: a.size,
      numRecords: a.missing ? null : a.records,
      numDeletedRecords: a.deleted,
      minModificationTime: a.minT === Infinity ? null : a.minT,
      maxModificationTime: a.maxT === -Infinity ? null : a.maxT,
    };
  });
  return { keys, numPartitions: groups.length, partitions, partitionSizes: groups.map((g) => g.size) };
}

/** Active files by size: bucket `b` holds files with `2^b <= size < 2^(b+1)` bytes (bucket 0 also holds size 0). */
export interface SizeHistogram {
  /** Lower bound of each bucket, bytes (from the smallest non-empty bucket to the largest). */
  bucketStartBytes: number[];
  counts: number[];
  totalBytes: number[];
  /** Files without a size (never for valid `add`s). */
  unknown: number;
}

/** Histogram of active file sizes on power-of-two buckets. */
export function sizeHistogram(snapshot: Snapshot): SizeHistogram {
  const counts = new Float64Array(64);
  const totals = new Float64Array(64);
  let unknown = 0;
  for (const { batch, rows } of snapshot.files.chunks) {
    const sizes = batch.size;
    for (let j = 0; j < rows.length; j++) {
      const s = sizes[rows[j]];
      if (Number.isNaN(s) || s < 0) {
        unknown++;
        continue;
      }
      const b = s < 1 ? 0 : s < 4294967296 ? 31 - Math.clz32(s) : Math.min(63, Math.floor(Math.log2(s)));
      counts[b]++;
      totals[b] += s;
    }
  }
  let lo = 0;
  while (lo < 63 && counts[lo] === 0) lo++;
  let hi = 63;
  while (hi > lo && counts[hi] === 0) hi--;
  const out: SizeHistogram = { bucketStartBytes: [], counts: [], totalBytes: [], unknown };
  if (unknown === snapshot.files.length) return out;
  for (let b = lo; b <= hi; b++) {
    out.bucketStartBytes.push(b === 0 ? 0 : 2 ** b);
    out.counts.push(counts[b]);
    out.totalBytes.push(totals[b]);
  }
  return out;
}
