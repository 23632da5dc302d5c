/**
 * Health hints of a snapshot: small files, partition skew, deletion vectors, commits since the last
 * checkpoint, log size, tombstones awaiting vacuum and stats coverage. Computed from the columnar
 * file batches (`files.forEach(batch, row)`), never from per-file objects.
 */
import { partitionAggregates } from '../delta/aggregates.ts';
import { numRecordsAt, type Snapshot } from '../delta/snapshot.ts';
import { formatBytes, formatCount, formatPercent } from './format.ts';

/**
 * One health hint: a measure, whether it looks fine, and one sentence of advice. `pending`: the
 * hint needs checkpoint stats that are not loaded yet (a snapshot loaded with `stats: 'lazy'`);
 * compute it again after `Snapshot.loadStats`.
 */
export interface HealthHint {
  id: 'small-files' | 'partition-skew' | 'deletion-vectors' | 'checkpoint' | 'log-size' | 'tombstones' | 'stats';
  label: string;
  status: 'ok' | 'warn' | 'pending';
  /** The measure, for people. */
  value: string;
  advice: string;
}

/** Health measures of a snapshot (sizes in bytes, durations in ms). */
export interface TableHealth {
  numFiles: number;
  smallFiles: number;
  smallFileThresholdBytes: number;
  numPartitions: number;
  /** Largest partition's bytes / median partition's bytes; null when unpartitioned. */
  partitionSkew: number | null;
  filesWithDeletionVectors: number;
  deletedRows: number;
  /** Rows per stats (before deletion vectors); 0 while `statsPending`. */
  totalRows: number;
  commitsSinceCheckpoint: number;
  logSizeBytes: number;
  tombstones: number;
  tombstoneBytes: number;
  tombstonesPastRetention: number;
  retentionMs: number;
  /** Files whose stats give `numRecords`; 0 while `statsPending`. */
  filesWithStats: number;
  /** True when the snapshot's checkpoint stats are not loaded: the stats-derived measures wait. */
  statsPending: boolean;
  hints: HealthHint[];
}

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

const pct = formatPercent;
/** A log above this is "large" whatever the checkpoints. */
export const LARGE_LOG_BYTES = 256 * MiB;
/** Without a checkpoint, a log above this makes every reader parse that much JSON: worth a checkpoint. */
export const UNCHECKPOINTED_LOG_BYTES = 8 * MiB;
/** A share of rows hidden by deletion vectors above this is worth a rewrite. */
export const DV_WARN_RATIO = 0.2;

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
  const statsPending = s.statsPending;
  s.files.forEach((batch, row) => {
    numFiles++;
    const size = batch.size[row];
    if (size < smallThreshold) smallFiles++;
    const n = statsPending ? null : numRecordsAt(batch, row);
    if (n !== null) {
      withStats++;
      totalRows += n;
    }
    const card = batch.dvCardinality?.[row];
    if (card !== undefined && !Number.isNaN(card)) {
      withDv++;
      deletedRows += card;
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
    const sizes = partitionAggregates(s, 0, false).partitionSizes.reverse();
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
      value: `${formatCount(smallFiles)} of ${formatCount(numFiles)} files (${pct(smallRatio)}) under ${formatBytes(smallThreshold)}`,
      advice:
        numFiles > 10 && smallRatio > 0.5
          ? 'Many small files slow reads down; run OPTIMIZE (compaction) or enable auto-compaction.'
          : 'File sizes are fine for reading.',
    },
    {
      id: 'partition-skew',
      label: 'Partition skew',
      status: skew !== null && numPartitions > 2 && skew > 10 ? 'warn' : 'ok',
      value: keys.length
        ? skew === null
          ? `${formatCount(numPartitions)} partitions`
          : `largest partition ${skew.toFixed(1)}× the median, ${formatCount(numPartitions)} partitions`
        : 'not partitioned',
      advice: !keys.length
        ? 'The table has no partition columns, so there is no partition skew.'
        : skew !== null && numPartitions > 2 && skew > 10
          ? 'One partition dwarfs the others; consider a different partition column or liquid clustering.'
          : numPartitions <= 2
            ? 'Too few partitions to speak of skew.'
            : 'Data is spread evenly enough across partitions.',
    },
    statsPending && withDv
      ? {
          id: 'deletion-vectors',
          label: 'Deletion vectors',
          status: 'pending',
          value: `${formatCount(withDv)} of ${formatCount(numFiles)} files (${pct(dvFileRatio)}) · ${formatCount(deletedRows)} rows deleted · share of rows: loading stats…`,
          advice: 'The share of rows hidden by deletion vectors needs the record counts of the checkpoint stats, which are still loading.',
        }
      : {
          id: 'deletion-vectors',
          label: 'Deletion vectors',
          status: deletedRowRatio > DV_WARN_RATIO ? 'warn' : 'ok',
          value: withDv
            ? `${formatCount(withDv)} of ${formatCount(numFiles)} files (${pct(dvFileRatio)}) · ${formatCount(deletedRows)} of ${formatCount(totalRows)} rows deleted (${pct(deletedRowRatio)})`
            : 'none',
          advice: !withDv
            ? 'No file has a deletion vector: every row of the active files is live.'
            : deletedRowRatio > DV_WARN_RATIO
              ? 'A large share of rows is soft-deleted; run OPTIMIZE or REORG TABLE … APPLY (PURGE) to rewrite the files.'
              : `${pct(deletedRowRatio)} of the rows are hidden by deletion vectors; below ${pct(DV_WARN_RATIO)} a rewrite is not needed yet.`,
        },
    {
      id: 'checkpoint',
      label: 'Commits since checkpoint',
      status: commitsSinceCheckpoint > 2 * checkpointInterval ? 'warn' : 'ok',
      value: `${formatCount(commitsSinceCheckpoint)} ${commitsSinceCheckpoint === 1 ? 'commit' : 'commits'} replayed${cp ? ` after checkpoint v${cp.version}` : ' (no checkpoint)'}`,
      advice:
        commitsSinceCheckpoint > 2 * checkpointInterval
          ? `Readers replay ${formatCount(commitsSinceCheckpoint)} commits; write a checkpoint (most writers do so every delta.checkpointInterval = ${checkpointInterval} commits).`
          : cp
            ? `Snapshots load from checkpoint v${cp.version} plus ${formatCount(commitsSinceCheckpoint)} ${commitsSinceCheckpoint === 1 ? 'commit' : 'commits'}.`
            : `No checkpoint yet: snapshots replay every commit from version 0, which is fine for ${formatCount(commitsSinceCheckpoint)} ${commitsSinceCheckpoint === 1 ? 'commit' : 'commits'}.`,
    },
    {
      id: 'log-size',
      label: 'Log size',
      status: logSizeBytes > LARGE_LOG_BYTES || (!cp && logSizeBytes > UNCHECKPOINTED_LOG_BYTES) ? 'warn' : 'ok',
      value: `${formatBytes(logSizeBytes)} listed`,
      advice:
        logSizeBytes > LARGE_LOG_BYTES
          ? `The log is large (${formatBytes(logSizeBytes)}); check delta.logRetentionDuration and checkpoint regularly.`
          : !cp && logSizeBytes > UNCHECKPOINTED_LOG_BYTES
            ? `Without a checkpoint every reader parses all ${formatBytes(logSizeBytes)} of JSON commits; a checkpoint would make snapshots load faster.`
            : logSizeBytes < MiB
              ? 'The log is small.'
              : `The log (${formatBytes(logSizeBytes)}) is read through ${cp ? 'its checkpoint' : 'its commits'} without trouble.`,
    },
    {
      id: 'tombstones',
      label: 'Tombstones awaiting vacuum',
      status: expired > 0 ? 'warn' : 'ok',
      value: `${formatCount(tombstones)} files (${formatBytes(tombstoneBytes)}), ${formatCount(expired)} past the ${Math.round(retentionMs / 3_600_000)} h retention`,
      advice: expired > 0
        ? 'Removed files past the retention period still take storage; run VACUUM.'
        : tombstones
          ? 'Removed files are still within the retention period; nothing to VACUUM yet.'
          : 'No removed files are kept as tombstones.',
    },
    statsPending
      ? {
          id: 'stats',
          label: 'Stats coverage',
          status: 'pending',
          value: 'loading stats…',
          advice: 'The checkpoint stats are read after the Overview (they are most of its bytes); coverage shows once they are loaded.',
        }
      : {
          id: 'stats',
          label: 'Stats coverage',
          status: statsCoverage < 1 ? 'warn' : 'ok',
          value: `${formatCount(withStats)} of ${formatCount(numFiles)} files have statistics (${pct(statsCoverage)})`,
          advice:
            statsCoverage < 1
              ? 'Files without stats cannot be skipped and hide row counts ("Count rows" on the Overview or the Partitions tab reads the data for the exact count); rewrite them or enable stats collection.'
              : numFiles
                ? 'Every file has statistics for data skipping.'
                : 'The table has no active files.',
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
    statsPending,
    hints,
  };
}
