/**
 * History (Spark's `DESCRIBE HISTORY`) and time (protocol "In-Commit Timestamps", "Commit Provenance
 * Information"): per version its `commitInfo` and commit timestamp, the version current at a
 * timestamp, and the timestamp of a version.
 *
 * A commit's timestamp is its in-commit timestamp (`commitInfo.inCommitTimestamp`) for versions at
 * or after the in-commit-timestamp enablement version, and otherwise the commit file's modification
 * time, made monotonic as Delta does (a time not after the previous commit's becomes that time + 1 ms).
 * All times are ms since the Unix epoch.
 */
import type { CommitInfo, Metadata } from './actions.ts';
import { DeltaError, throwIfAborted } from './errors.ts';
import { listAllCommits, type CommitFile } from './log/listing.ts';
import { mapLimit, readDelta } from './snapshot.ts';
import { rememberCommit, rememberedCommit, summarizeCommit } from './commit-summaries.ts';
import type { ObjectStore } from './storage/object-store.ts';

/** One row of the table's history. */
export interface HistoryEntry {
  version: number;
  /** The commit timestamp (in-commit timestamp or adjusted file time), ms. */
  timestampMs: number;
  /** Where `timestampMs` came from. */
  timestampSource: 'inCommitTimestamp' | 'fileModificationTime';
  /** The commit file's modification time as listed, ms. */
  fileModificationTimeMs: number;
  /** The commit file's size in bytes. */
  commitSizeBytes: number;
  /** The raw commitInfo, or null when the commit has none. */
  commitInfo: CommitInfo | null;
  operation: string | null;
  operationParameters: Record<string, unknown> | null;
  operationMetrics: Record<string, unknown> | null;
  userId: string | null;
  userName: string | null;
  clusterId: string | null;
  readVersion: number | null;
  isolationLevel: string | null;
  isBlindAppend: boolean | null;
  engineInfo: string | null;
  userMetadata: string | null;
  /** Counts of the commit's actions. */
  actionCounts: { add: number; remove: number; cdc: number; metaData: number; protocol: number; txn: number; domainMetadata: number };
  /** Sum of `add.size` and `remove.size` in the commit, bytes (removes without size count 0). */
  bytesAdded: number;
  bytesRemoved: number;
}

/** In-commit-timestamp settings from a table's metadata. */
export interface IctSettings {
  enabled: boolean;
  /** First version whose commit carries an in-commit timestamp. */
  enablementVersion?: number;
  /** The in-commit timestamp of the enablement version, ms. */
  enablementTimestampMs?: number;
}

/** Reads the in-commit-timestamp settings of a `metaData` action's configuration. */
export function ictSettings(metadata: Metadata | undefined): IctSettings {
  const c = metadata?.configuration ?? {};
  if (c['delta.enableInCommitTimestamps'] !== 'true') return { enabled: false };
  const v = c['delta.inCommitTimestampEnablementVersion'];
  const t = c['delta.inCommitTimestampEnablementTimestamp'];
  return { enabled: true, enablementVersion: v !== undefined ? Number(v) : 0, enablementTimestampMs: t !== undefined ? Number(t) : undefined };
}

/**
 * Commit timestamps for commits given oldest first.
 *
 * @param inCommitTimestamps per version, the commit's `inCommitTimestamp` when it has one.
 * @throws DeltaError `INVALID_LOG` when a commit at or after the enablement version lacks an in-commit timestamp.
 */
export function commitTimestamps(
  commits: { version: number; lastModifiedMs: number; path?: string }[],
  inCommitTimestamps: Map<number, number | undefined>,
  ict: IctSettings,
): { timestampMs: number; source: HistoryEntry['timestampSource'] }[] {
  const out: { timestampMs: number; source: HistoryEntry['timestampSource'] }[] = [];
  let prev = -Infinity;
  for (const c of commits) {
    if (ict.enabled && c.version >= (ict.enablementVersion ?? 0)) {
      const t = inCommitTimestamps.get(c.version);
      if (t === undefined || !Number.isFinite(t)) {
        throw new DeltaError('INVALID_LOG', `Commit ${c.version} has no in-commit timestamp, though in-commit timestamps are enabled from version ${ict.enablementVersion ?? 0}.`, {
          version: c.version,
          path: c.path,
        });
      }
      out.push({ timestampMs: t, source: 'inCommitTimestamp' });
      prev = t;
    } else {
      const t = c.lastModifiedMs > prev ? c.lastModifiedMs : prev + 1;
      out.push({ timestampMs: t, source: 'fileModificationTime' });
      prev = t;
    }
  }
  return out;
}

/** Options of {@link loadHistory}. */
export interface HistoryOptions {
  /** Metadata of the latest snapshot (for in-commit-timestamp settings). */
  metadata?: Metadata;
  /** Only versions `>= fromVersion`. */
  fromVersion?: number;
  /** Only versions `<= toVersion`. */
  toVersion?: number;
  /** Parallel reads (default 16). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Commits already listed, oldest first (skips a listing). */
  commits?: CommitFile[];
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : null);
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * Reads the history of every retained commit (newest first, like `DESCRIBE HISTORY`).
 *
 * @throws DeltaError from reading commits (`CORRUPT_COMMIT`, `FILE_NOT_FOUND`), `CANCELLED`.
 */
export async function loadHistory(store: ObjectStore, options: HistoryOptions = {}): Promise<HistoryEntry[]> {
  const all = options.commits ?? (await listAllCommits(store, options.signal));
  const commits = all.filter((c) => c.version >= (options.fromVersion ?? 0) && c.version <= (options.toVersion ?? Infinity));
  let done = 0;
  const entries = await mapLimit(commits, options.concurrency ?? 16, async (c) => {
    throwIfAborted(options.signal);
    // A commit a snapshot already read is not downloaded again.
    let sum = rememberedCommit(store, c);
    if (!sum) {
      const set = await readDelta(store, c, options.signal);
      rememberCommit(store, c, set);
      sum = summarizeCommit(set);
    }
    options.onProgress?.(++done, commits.length);
    const ci = sum.commitInfo;
    const { bytesAdded, bytesRemoved } = sum;
    return {
      version: c.version,
      timestampMs: 0,
      timestampSource: 'fileModificationTime' as const,
      fileModificationTimeMs: c.lastModifiedMs,
      commitSizeBytes: c.sizeBytes,
      commitInfo: ci,
      operation: str(ci?.operation),
      operationParameters: (ci?.operationParameters as Record<string, unknown>) ?? null,
      operationMetrics: (ci?.operationMetrics as Record<string, unknown>) ?? null,
      userId: str(ci?.userId),
      userName: str(ci?.userName),
      clusterId: str(ci?.clusterId),
      readVersion: num(ci?.readVersion),
      isolationLevel: str(ci?.isolationLevel),
      isBlindAppend: typeof ci?.isBlindAppend === 'boolean' ? ci.isBlindAppend : null,
      engineInfo: str(ci?.engineInfo),
      userMetadata: str(ci?.userMetadata),
      actionCounts: { ...sum.actionCounts },
      bytesAdded,
      bytesRemoved,
      ict: sum.ict,
    };
  });
  const ict = ictSettings(options.metadata);
  const times = commitTimestamps(
    commits,
    new Map(entries.map((e) => [e.version, e.ict])),
    ict,
  );
  const out: HistoryEntry[] = entries.map(({ ict: _ict, ...e }, i) => ({ ...e, timestampMs: times[i].timestampMs, timestampSource: times[i].source }));
  return out.reverse();
}

/**
 * The version current at `timestampMs`: the newest version whose commit timestamp is at or before
 * it (Spark's `TIMESTAMP AS OF`). A timestamp after the newest commit gives the newest version.
 *
 * @param history entries in any order (as from {@link loadHistory}).
 * @param earliestReadable the oldest version that can be reconstructed (versions below are skipped).
 * @throws DeltaError `TIMESTAMP_OUT_OF_RANGE` when the timestamp is before the earliest readable commit.
 */
export function versionAtTimestamp(
  history: Pick<HistoryEntry, 'version' | 'timestampMs'>[],
  timestampMs: number,
  earliestReadable = 0,
): number {
  if (!Number.isFinite(timestampMs)) throw new DeltaError('INVALID_ARGUMENT', `Invalid timestamp: ${timestampMs}`);
  const sorted = history.filter((h) => h.version >= earliestReadable).sort((a, b) => a.version - b.version);
  if (!sorted.length) throw new DeltaError('TIMESTAMP_OUT_OF_RANGE', 'The table has no readable commits.');
  let best: number | undefined;
  for (const h of sorted) {
    if (h.timestampMs <= timestampMs) best = h.version;
    else break;
  }
  if (best === undefined) {
    const first = sorted[0];
    throw new DeltaError(
      'TIMESTAMP_OUT_OF_RANGE',
      `${new Date(timestampMs).toISOString()} is before the earliest available commit (version ${first.version} at ${new Date(first.timestampMs).toISOString()}).`,
      { version: first.version, hint: 'Choose a later time, or a version.' },
    );
  }
  return best;
}

/**
 * The commit timestamp of `version` from a history list.
 * @throws DeltaError `VERSION_NOT_FOUND` when the version is not in the history.
 */
export function timestampOfVersion(history: Pick<HistoryEntry, 'version' | 'timestampMs'>[], version: number): number {
  const h = history.find((e) => e.version === version);
  if (!h) throw new DeltaError('VERSION_NOT_FOUND', `Version ${version} is not in the retained history.`, { version });
  return h.timestampMs;
}

/**
 * Parses a user timestamp (ISO-8601 with or without zone, `YYYY-MM-DD`, or ms since the epoch).
 * A time without zone is read as UTC.
 * @throws DeltaError `INVALID_ARGUMENT` for unparseable input.
 */
export function parseTimestamp(input: string | number): number {
  if (typeof input === 'number') return input;
  const s = input.trim();
  if (/^\d{9,}$/.test(s)) return Number(s);
  let iso = s.replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += 'T00:00:00Z';
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(iso)) iso += 'Z';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) {
    throw new DeltaError('INVALID_ARGUMENT', `Cannot read "${input}" as a timestamp; use ISO-8601 such as 2024-05-01T12:00:00Z.`);
  }
  return t;
}

/** The oldest version that can be reconstructed: 0 when commit 0 exists, else the oldest checkpoint. */
export function earliestReadableVersion(commits: CommitFile[], checkpointVersions: number[]): number {
  if (commits.some((c) => c.version === 0)) return 0;
  const cps = [...checkpointVersions].sort((a, b) => a - b);
  return cps[0] ?? commits[0]?.version ?? 0;
}
