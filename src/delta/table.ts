/**
 * `DeltaTable`: the entry point of the protocol core. Opens a table in an {@link ObjectStore} and
 * gives snapshots (latest, a version, or the version current at a timestamp) and history, caching
 * what does not change between calls.
 */
import { DeltaError } from './errors.ts';
import { earliestReadableVersion, loadHistory, parseTimestamp, versionAtTimestamp, type HistoryEntry } from './history.ts';
import { buildLogSegment, listAllCommits, type CommitFile } from './log/listing.ts';
import { loadSnapshot, snapshotFromSegment, type Snapshot, type SnapshotOptions } from './snapshot.ts';
import type { ObjectStore } from './storage/object-store.ts';

/** Which snapshot to load: latest, a version, or the version current at a timestamp. */
export interface SnapshotTarget {
  version?: number;
  /** ms since the epoch, or an ISO-8601 string (UTC when no zone). */
  timestamp?: number | string;
}

/** A Delta table in a store. */
export class DeltaTable {
  private historyCache?: { latestVersion: number; entries: HistoryEntry[] };
  private latest?: Snapshot;

  /** @param store a store rooted at the table (the folder holding `_delta_log/`). */
  constructor(readonly store: ObjectStore) {}

  /**
   * Loads a snapshot. With `timestamp`, the version current at that time (see
   * {@link versionAtTimestamp}). Errors as {@link loadSnapshot}, plus `TIMESTAMP_OUT_OF_RANGE`.
   */
  async snapshot(target: SnapshotTarget = {}, options: Omit<SnapshotOptions, 'version'> = {}): Promise<Snapshot> {
    if (target.version !== undefined && target.timestamp !== undefined) {
      throw new DeltaError('INVALID_ARGUMENT', 'Give either a version or a timestamp, not both.');
    }
    let version = target.version;
    if (target.timestamp !== undefined) version = await this.versionAt(target.timestamp, options.signal);
    if (version === undefined) {
      const snap = await loadSnapshot(this.store, options);
      this.latest = snap;
      return snap;
    }
    return loadSnapshot(this.store, { ...options, version });
  }

  /** The latest snapshot, loaded once and cached (metadata only views use it for settings). */
  async latestSnapshot(options: Omit<SnapshotOptions, 'version'> = {}): Promise<Snapshot> {
    this.latest ??= await loadSnapshot(this.store, { allowUnsupported: true, ...options });
    return this.latest;
  }

  /** Every retained commit file, oldest first. */
  commits(signal?: AbortSignal): Promise<CommitFile[]> {
    return listAllCommits(this.store, signal);
  }

  /**
   * The whole retained history, newest first (cached per latest version).
   * @throws DeltaError as {@link loadHistory}.
   */
  async history(options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<HistoryEntry[]> {
    const latest = await this.latestSnapshot({ signal: options.signal });
    if (this.historyCache?.latestVersion === latest.version) return this.historyCache.entries;
    const entries = await loadHistory(this.store, { metadata: latest.metadata, ...options });
    this.historyCache = { latestVersion: latest.version, entries };
    return entries;
  }

  /** The oldest version a snapshot can be built for. */
  async earliestVersion(signal?: AbortSignal): Promise<number> {
    const seg = await buildLogSegment(this.store, { signal, version: undefined });
    const all = await listAllCommits(this.store, signal);
    const full = seg.checkpoints.map((c) => c.version);
    return earliestReadableVersion(all, full);
  }

  /**
   * The version current at a timestamp (ms or ISO-8601).
   * @throws DeltaError `TIMESTAMP_OUT_OF_RANGE`, `INVALID_ARGUMENT`.
   */
  async versionAt(timestamp: number | string, signal?: AbortSignal): Promise<number> {
    const t = parseTimestamp(timestamp);
    const history = await this.history({ signal });
    return versionAtTimestamp(history, t, await this.earliestVersion(signal));
  }
}

export { snapshotFromSegment };
