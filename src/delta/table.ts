/**
 * `DeltaTable`: the entry point of the protocol core. Opens a table in an {@link ObjectStore} and
 * gives snapshots (latest, a version, or the version current at a timestamp) and history, caching
 * what does not change between calls.
 *
 * The table holds the one snapshot cache of the app: the last {@link SNAPSHOT_CACHE_SIZE} snapshots
 * used, by version (least recently used dropped first; `lru-cache`). A snapshot of a version never
 * changes, so every caller (the worker's views, query sessions resolving `t@v3`, the CLI) shares it.
 */
import { LRUCache } from 'lru-cache';
import { DeltaError } from './errors.ts';
import { statsDeferred } from './log/checkpoint-reader.ts';
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

/** How many snapshots a {@link DeltaTable} keeps: the latest and a few time-travel targets. */
export const SNAPSHOT_CACHE_SIZE = 4;

/** A Delta table in a store. */
export class DeltaTable {
  private historyCache?: { latestVersion: number; entries: HistoryEntry[] };
  private latest?: Snapshot;
  /** Snapshots by version, bounded (see the module comment). */
  private readonly snapshots = new LRUCache<number, Snapshot>({ max: SNAPSHOT_CACHE_SIZE });

  /** @param store a store rooted at the table (the folder holding `_delta_log/`). */
  constructor(readonly store: ObjectStore) {}

  /**
   * Loads a snapshot: a given version from the cache when it is there, else from the log (and
   * cached). The latest (no version, no timestamp) is always found by listing the log. With
   * `timestamp`, the version current at that time (see {@link versionAtTimestamp}).
   * Errors as {@link loadSnapshot} (a cached snapshot is checked for read support the same way),
   * plus `TIMESTAMP_OUT_OF_RANGE`.
   *
   * Stats: the cache is shared, so a snapshot is cached with its checkpoint stats either loaded or
   * loadable (`stats: false` loads as `'lazy'`). With `stats` true (the default) the snapshot
   * returned has its stats, a cached lazy one after {@link Snapshot.loadStats}; with `'lazy'` or
   * `false` it may still have them pending (`statsPending`). @throws also what `loadStats` throws.
   */
  async snapshot(target: SnapshotTarget = {}, options: Omit<SnapshotOptions, 'version'> = {}): Promise<Snapshot> {
    if (target.version !== undefined && target.timestamp !== undefined) {
      throw new DeltaError('INVALID_ARGUMENT', 'Give either a version or a timestamp, not both.');
    }
    const wantsStats = !statsDeferred(options.stats);
    let version = target.version;
    if (target.timestamp !== undefined) version = await this.versionAt(target.timestamp, options.signal);
    const cached = version === undefined ? undefined : this.cachedSnapshot(version);
    if (cached) {
      if (!options.allowUnsupported) cached.assertReadable();
      if (wantsStats) await cached.loadStats(options.signal);
      return cached;
    }
    const load = { ...options, stats: wantsStats ? options.stats : ('lazy' as const) };
    const snap = await loadSnapshot(this.store, version === undefined ? load : { ...load, version });
    this.snapshots.set(snap.version, snap);
    if (version === undefined) this.latest = snap;
    return snap;
  }

  /** The snapshot of `version` when the cache holds it (it becomes the most recently used), else undefined. */
  cachedSnapshot(version: number): Snapshot | undefined {
    return this.snapshots.get(version);
  }

  /**
   * The latest snapshot, loaded once and kept (metadata only views use it for settings: its
   * checkpoint stats may be pending, as with `stats: 'lazy'`).
   */
  async latestSnapshot(options: Omit<SnapshotOptions, 'version' | 'stats'> = {}): Promise<Snapshot> {
    if (!this.latest) {
      this.latest = await loadSnapshot(this.store, { allowUnsupported: true, ...options, stats: 'lazy' });
      this.snapshots.set(this.latest.version, this.latest);
    }
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
