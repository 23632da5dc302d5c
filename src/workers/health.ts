/**
 * Health hints of a snapshot: small files, partition skew, deletion vectors, commits since the last
 * checkpoint, log size, tombstones awaiting vacuum and stats coverage. Computed from the columnar
 * file batches (`files.forEach(batch, row)`), never from per-file objects.
 */
import { numRecordsAt, type Snapshot } from '../delta/snapshot.ts';
import type { HealthHint, TableHealth } from './api.ts';

const MiB = 1024 * 1024;
/** Files below this are "small" when the table sets no `delta.targetFileSize`. */
export const SMALL_FILE_BYTES = 32 * MiB;
/** Default `delta.deletedFileRetentionDuration`: 7 days. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Parses a Delta interval (`interval 7 days`, `168 hours`, `1 week`) to ms; undefined when unreadable. */
export function parseIntervalMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const units: Record<string, number> = {
    millisecond: 1, ms: 1, second: 1000, sec: 1000, s: 1000, minute: 60_000, min: 60_000, m: 60_000,
    hour: 3_600_000, h: 3_600_000, day: 86_400_000, d: 86_400_000, week: 7 * 86_400_000, w: 7 * 86_400_000,
  };
  const re = /(\d+(?:\.\d+)?)\s*([a-z]+?)s?\b/gi;
  let total = 0;
  let found = false;
  for (const m of text.replace(/^\s*interval\s+/i, '').matchAll(re)) {
    const u = units[m[2].toLowerCase()];
    if (u === undefined) return undefined;
    total += Number(m[1]) * u;
    found = true;
  }
  return found ? total : undefined;
}

/** Parses a size property (`104857600`, `128mb`, `1g`) to bytes; undefined when unreadable. */
export function parseSizeBytes(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  if (!m) return undefined;
  const mult = { '': 1, k: 1024, m: MiB, g: 1024 * MiB, t: 1024 * 1024 * MiB }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Number(m[1]) * mult;
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 && x > 0 ? 1 : 0)}%`;

/**
 * The health of a snapshot.
 * @param nowMs the clock, for tombstone retention (tests pass a fixed time).
 */
export function computeHealth(s: Snapshot, nowMs: number = Date.now()): TableHealth {
  const conf = s.metadata.configuration ?? {};
  const target = parseSizeBytes(conf['delta.targetFileSize']);
  const smallThreshold = target !== undefined ? target / 4 : SMALL_FILE_BYTES;
  let keys: string[] = [];
  try {
    keys = s.partitionColumns.map((c) => c.key);
  } catch {
    keys = [...(s.metadata.partitionColumns ?? [])];
  }

  let numFiles = 0;
  let smallFiles = 0;
  let withStats = 0;
  let withDv = 0;
  let deletedRows = 0;
  let totalRows = 0;
  const partitionBytes = new Map<string, number>();
  s.files.forEach((batch, row) => {
    numFiles++;
    const size = batch.size[row];
    if (size < smallThreshold) smallFiles++;
    const n = numRecordsAt(batch, row);
    if (n !== null) {
      withStats++;
      totalRows += n;
    }
    const card = batch.dvCardinality?.[row];
    if (card !== undefined && !Number.isNaN(card)) {
      withDv++;
      deletedRows += card;
    }
    if (keys.length) {
      let key = '';
      for (const k of keys) {
        const v = batch.partitionValues.get(k)?.[row];
        key += (v === null || v === undefined ? '\u0000' : v) + '\u0001';
      }
      partitionBytes.set(key, (partitionBytes.get(key) ?? 0) + (Number.isNaN(size) ? 0 : size));
    }
  });

  const retentionMs = parseIntervalMs(conf['delta.deletedFileRetentionDuration']) ?? DEFAULT_RETENTION_MS;
  let tombstones = 0;
  let tombstoneBytes = 0;
  let expired = 0;
  s.tombstones.forEach((batch, row) => {
    tombstones++;
    const size = batch.size[row];
    if (!Number.isNaN(size)) tombstoneBytes += size;
    const ts = batch.deletionTimestamp[row];
    if (!Number.isNaN(ts) && ts < nowMs - retentionMs) expired++;
  });

  const cp = s.segment.checkpoint;
  const commitsSinceCheckpoint = s.version - (cp ? cp.version : -1);
  const checkpointInterval = Number(conf['delta.checkpointInterval'] ?? 10) || 10;
  const logSizeBytes = s.segment.logSizeBytes;

  let skew: number | null = null;
  let numPartitions = 0;
  if (keys.length) {
    const sizes = [...partitionBytes.values()].sort((a, b) => a - b);
    numPartitions = sizes.length;
    if (sizes.length) {
      const mid = sizes.length >> 1;
      const median = sizes.length % 2 ? sizes[mid] : (sizes[mid - 1] + sizes[mid]) / 2;
      skew = median > 0 ? sizes[sizes.length - 1] / median : null;
    }
  }

  const smallRatio = numFiles ? smallFiles / numFiles : 0;
  const dvFileRatio = numFiles ? withDv / numFiles : 0;
  const deletedRowRatio = totalRows ? deletedRows / totalRows : 0;
  const statsCoverage = numFiles ? withStats / numFiles : 1;
  const hints: HealthHint[] = [
    {
      id: 'small-files',
      label: 'Small files',
      status: numFiles > 10 && smallRatio > 0.5 ? 'warn' : 'ok',
      value: `${smallFiles} of ${numFiles} files (${pct(smallRatio)}) under ${Math.round(smallThreshold / MiB)} MiB`,
      advice:
        numFiles > 10 && smallRatio > 0.5
          ? 'Many small files slow reads down; run OPTIMIZE (compaction) or enable auto-compaction.'
          : 'File sizes are fine for reading.',
    },
    {
      id: 'partition-skew',
      label: 'Partition skew',
      status: skew !== null && numPartitions > 2 && skew > 10 ? 'warn' : 'ok',
      value: keys.length ? (skew === null ? `${numPartitions} partitions` : `largest partition ${skew.toFixed(1)}× the median, ${numPartitions} partitions`) : 'not partitioned',
      advice:
        skew !== null && numPartitions > 2 && skew > 10
          ? 'One partition dwarfs the others; consider a different partition column or liquid clustering.'
          : 'Data is spread evenly enough across partitions.',
    },
    {
      id: 'deletion-vectors',
      label: 'Deletion vectors',
      status: deletedRowRatio > 0.2 ? 'warn' : 'ok',
      value: `${withDv} of ${numFiles} files (${pct(dvFileRatio)}) · ${deletedRows} of ${totalRows} rows deleted (${pct(deletedRowRatio)})`,
      advice:
        deletedRowRatio > 0.2
          ? 'A large share of rows is soft-deleted; run OPTIMIZE or REORG TABLE … APPLY (PURGE) to rewrite the files.'
          : 'Few rows are hidden by deletion vectors.',
    },
    {
      id: 'checkpoint',
      label: 'Commits since checkpoint',
      status: commitsSinceCheckpoint > 2 * checkpointInterval ? 'warn' : 'ok',
      value: `${commitsSinceCheckpoint} commits replayed${cp ? ` after checkpoint v${cp.version}` : ' (no checkpoint)'}`,
      advice:
        commitsSinceCheckpoint > 2 * checkpointInterval
          ? 'Readers replay many commits; write a checkpoint (most writers do so every delta.checkpointInterval commits).'
          : 'Snapshots load from a recent checkpoint.',
    },
    {
      id: 'log-size',
      label: 'Log size',
      status: logSizeBytes > 256 * MiB ? 'warn' : 'ok',
      value: `${(logSizeBytes / MiB).toFixed(2)} MiB listed`,
      advice: logSizeBytes > 256 * MiB ? 'The log is large; check delta.logRetentionDuration and checkpoint regularly.' : 'The log is small.',
    },
    {
      id: 'tombstones',
      label: 'Tombstones awaiting vacuum',
      status: expired > 0 ? 'warn' : 'ok',
      value: `${tombstones} files (${(tombstoneBytes / MiB).toFixed(2)} MiB), ${expired} past the ${Math.round(retentionMs / 3_600_000)} h retention`,
      advice: expired > 0 ? 'Removed files past the retention period still take storage; run VACUUM.' : 'Nothing is waiting for VACUUM beyond the retention period.',
    },
    {
      id: 'stats',
      label: 'Stats coverage',
      status: statsCoverage < 1 ? 'warn' : 'ok',
      value: `${withStats} of ${numFiles} files have statistics (${pct(statsCoverage)})`,
      advice: statsCoverage < 1 ? 'Files without stats cannot be skipped and hide row counts; rewrite them or enable stats collection.' : 'Every file has statistics for data skipping.',
    },
  ];

  return {
    numFiles,
    smallFiles,
    smallFileThresholdBytes: smallThreshold,
    numPartitions,
    partitionSkew: skew,
    filesWithDeletionVectors: withDv,
    deletedRows,
    totalRows,
    commitsSinceCheckpoint,
    logSizeBytes,
    tombstones,
    tombstoneBytes,
    tombstonesPastRetention: expired,
    retentionMs,
    filesWithStats: withStats,
    hints,
  };
}
