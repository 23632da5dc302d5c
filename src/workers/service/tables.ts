/**
 * The table half of the explorer service: open tables, their snapshot cache, and the metadata
 * calls (summary, history, commit actions, files, partitions, sizes, checksum, variant shredding,
 * schema history, compare) over one snapshot at a time. Everything here reads the Delta log only;
 * data files are read by the data plane (`data-plane.ts`).
 *
 * Calls return plain values (the wire types of `../api.ts`) and throw `DeltaError`s; the facade
 * (`../explorer-service.ts`) wraps them in a `Result`.
 */
import { DeltaError, throwIfAborted } from '../../delta/errors.ts';
import { checkVersionChecksum, type ChecksumReport } from '../../delta/checksum.ts';
import type { Snapshot } from '../../delta/snapshot.ts';
import type { DeltaTable } from '../../delta/table.ts';
import type { FileAccess } from '../../query/file-registry.ts';
import { variantShredding, type VariantShreddingSummary } from '../../explore/variant-shredding.ts';
import {
  MAX_COMMIT_LINES,
  MAX_FILES_PAGE,
  type CommitActions,
  type CompareResult,
  type FileSizeHistogram,
  type FilesPage,
  type FilesQuery,
  type FilesQueryPage,
  type HistoryRow,
  type OpenedTable,
  type PartitionSummary,
  type SchemaTimeline,
  type SnapshotRequest,
  type SnapshotStatsSummary,
  type SnapshotSummary,
  type WorkerProgress,
} from '../api.ts';
import { compareSnapshots } from '../../explore/compare.ts';
import { fileRows, summarizeSnapshot } from '../summary.ts';
import { fileSizeHistogram, partitionSummary } from '../../explore/aggregates.ts';
import { filesQuery } from '../../explore/files-page.ts';
import { schemaTimeline } from '../../explore/schema-timeline.ts';
import { computeHealth } from '../../explore/health.ts';
import type { SessionEntry } from './data-plane.ts';

/** One open table: what the UI knows of it, its `DeltaTable`, and what the service keeps for it. */
export interface OpenTable {
  info: OpenedTable;
  sourceId: string;
  table: DeltaTable;
  /**
   * The latest version seen: a request without a version reads this one (from the table's
   * snapshot cache) instead of listing the log again, so every view of the table shows one version.
   */
  latestVersion?: number;
  /** How data files reach DuckDB (see the module comment of `../explorer-service.ts`). */
  fileAccess: FileAccess;
  /** Query sessions by version, least recently used first (owned by the data plane). */
  sessions: Map<number, SessionEntry>;
}

/** A reporter of progress for one call (see `progressReporter` in the facade). */
export type Progress = (p: WorkerProgress) => void;

/** A new {@link OpenTable} record with empty caches. */
export function newOpenTable(info: OpenedTable, table: DeltaTable, fileAccess: FileAccess): OpenTable {
  return { info, sourceId: info.sourceId, table, fileAccess, sessions: new Map() };
}

/**
 * The metadata calls over open tables. Snapshots go through each table's snapshot cache
 * (`DeltaTable`, the last few versions used); `now` times how long a snapshot took to build.
 */
export class TableCalls {
  constructor(private readonly now: () => number) {}

  /**
   * Loads a snapshot through the table's cache. Returns it and how long building took (0 when cached).
   *
   * `stats`: `'loaded'` (the default: every caller that reads file stats — record counts, min/max,
   * pruning, integrity checks against `numRecords`) returns the snapshot with its checkpoint stats
   * loaded, awaiting {@link Snapshot.loadStats} for a cached lazy one; `'lazy'` (the Overview's
   * first paint) does not fetch checkpoint stats, so they may be pending (`statsPending`; reading
   * them then throws `STATS_NOT_LOADED`, never "no stats").
   * @throws DeltaError `INVALID_ARGUMENT` for both a version and a timestamp, or a version that is not a whole number ≥ 0; snapshot errors; stats load errors (`CORRUPT_CHECKPOINT`, storage errors).
   */
  async loadSnapshot(
    t: OpenTable,
    request: SnapshotRequest,
    signal: AbortSignal,
    progress: Progress,
    stats: 'loaded' | 'lazy' = 'loaded',
  ): Promise<{ snapshot: Snapshot; durationMs: number }> {
    if (request.version !== undefined && request.timestamp !== undefined) {
      throw new DeltaError('INVALID_ARGUMENT', 'Give either a version or a timestamp, not both.');
    }
    if (request.version !== undefined && (!Number.isSafeInteger(request.version) || request.version < 0)) {
      throw new DeltaError('INVALID_ARGUMENT', `Invalid version: ${request.version}.`, { hint: 'Versions are whole numbers from 0.' });
    }
    let version = request.version;
    if (request.timestamp !== undefined) version = await t.table.versionAt(request.timestamp, signal);
    if (version === undefined) version = t.latestVersion;
    const cached = version !== undefined ? t.table.cachedSnapshot(version) : undefined;
    if (cached) {
      if (stats === 'loaded') await cached.loadStats(signal);
      return { snapshot: cached, durationMs: 0 };
    }
    const started = this.now();
    const snapshot = await t.table.snapshot(version === undefined ? {} : { version }, {
      allowUnsupported: true,
      stats: stats === 'lazy' ? 'lazy' : true,
      signal,
      onProgress: (p) => progress(p),
    });
    const durationMs = Math.round(this.now() - started);
    if (version === undefined || snapshot.version === snapshot.segment.latestVersion) t.latestVersion = snapshot.segment.latestVersion;
    return { snapshot, durationMs };
  }

  /** The snapshot at `version`, without progress (the page-sized calls below). */
  private async at(t: OpenTable, version: number, signal: AbortSignal): Promise<Snapshot> {
    return (await this.loadSnapshot(t, { version }, signal, () => {})).snapshot;
  }

  /**
   * See {@link ExplorerApi.snapshot}: loaded without checkpoint stats (`'lazy'`: they are most of a
   * checkpoint's bytes, and the Overview paints without them); when some are pending, their load
   * starts at once in the background (its failure is not lost: {@link stats} reports it) and
   * `totals.statsPending` tells the UI to ask {@link stats} for the counts.
   */
  async summary(t: OpenTable, request: SnapshotRequest, signal: AbortSignal, progress: Progress): Promise<SnapshotSummary> {
    const { snapshot, durationMs } = await this.loadSnapshot(t, request ?? {}, signal, progress, 'lazy');
    const summary = summarizeSnapshot(t.info.tableId, snapshot, durationMs);
    // Not tied to this call's signal: the Overview asks for the stats next, and a cancelled wait
    // must not cancel the shared load. A failure is reported to the caller of `stats` (which loads again).
    if (snapshot.statsPending) snapshot.loadStats().catch(() => undefined);
    return summary;
  }

  /**
   * See {@link ExplorerApi.snapshotStats}: the snapshot at `version` with its checkpoint stats
   * loaded (awaiting the load {@link summary} started), and what derives from them.
   */
  async stats(t: OpenTable, version: number, signal: AbortSignal): Promise<SnapshotStatsSummary> {
    const snapshot = await this.at(t, version, signal);
    return { tableId: t.info.tableId, version: snapshot.version, totals: { ...snapshot.totals }, health: computeHealth(snapshot) };
  }

  /** See {@link ExplorerApi.history}. */
  history(t: OpenTable, signal: AbortSignal, progress: Progress): Promise<HistoryRow[]> {
    return t.table.history({ signal, onProgress: (done, total) => progress({ phase: 'history', done, total }) });
  }

  /**
   * See {@link ExplorerApi.commitActions}: the first {@link MAX_COMMIT_LINES} lines of the commit file, and counts per action.
   * @throws DeltaError `VERSION_NOT_FOUND` when the commit file is not in the log.
   */
  async commitActions(t: OpenTable, version: number, signal: AbortSignal): Promise<CommitActions> {
    if (!Number.isSafeInteger(version) || version < 0) throw new DeltaError('INVALID_ARGUMENT', `Not a version: ${version}.`);
    const path = `_delta_log/${String(version).padStart(20, '0')}.json`;
    let bytes: Uint8Array;
    try {
      bytes = await t.table.store.get(path, signal);
    } catch (e) {
      if (e instanceof DeltaError && e.code === 'FILE_NOT_FOUND') {
        throw new DeltaError('VERSION_NOT_FOUND', `The commit file of version ${version} is not in the log (it may have been cleaned up).`, { version, path });
      }
      throw e;
    }
    const text = new TextDecoder().decode(bytes);
    const lines: string[] = [];
    const counts: Record<string, number> = {};
    let totalLines = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      totalLines++;
      if (lines.length < MAX_COMMIT_LINES) lines.push(line);
      const kind = /^\s*\{\s*"([^"]+)"/.exec(line)?.[1] ?? 'unknown';
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    return { version, lines, totalLines, truncated: totalLines - lines.length, counts, sizeBytes: bytes.length };
  }

  /** See {@link ExplorerApi.filesPage}. */
  async filesPage(t: OpenTable, version: number, offset: number, limit: number, signal: AbortSignal): Promise<FilesPage> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(limit) || limit < 0) {
      throw new DeltaError('INVALID_ARGUMENT', `Invalid page: offset ${offset}, limit ${limit}.`);
    }
    const snapshot = await this.at(t, version, signal);
    return {
      version: snapshot.version,
      offset,
      total: snapshot.files.length,
      rows: fileRows(snapshot, offset, Math.min(limit, MAX_FILES_PAGE)),
    };
  }

  /** See {@link ExplorerApi.filesQuery}. */
  async filesQuery(t: OpenTable, version: number, query: FilesQuery, signal: AbortSignal): Promise<FilesQueryPage> {
    const q = query ?? { offset: 0, limit: 0 };
    if (!Number.isSafeInteger(q.offset) || q.offset < 0 || !Number.isSafeInteger(q.limit) || q.limit < 0) {
      throw new DeltaError('INVALID_ARGUMENT', `Invalid page: offset ${q.offset}, limit ${q.limit}.`);
    }
    return filesQuery(await this.at(t, version, signal), q);
  }

  /** See {@link ExplorerApi.partitions}. */
  async partitions(t: OpenTable, version: number, signal: AbortSignal): Promise<PartitionSummary> {
    return partitionSummary(await this.at(t, version, signal));
  }

  /** See {@link ExplorerApi.fileSizes} (sizes only: no stats needed). */
  async fileSizes(t: OpenTable, version: number, signal: AbortSignal): Promise<FileSizeHistogram> {
    return fileSizeHistogram((await this.loadSnapshot(t, { version }, signal, () => {}, 'lazy')).snapshot);
  }

  /** See {@link ExplorerApi.versionChecksum}. */
  async versionChecksum(t: OpenTable, version: number, signal: AbortSignal): Promise<ChecksumReport> {
    return checkVersionChecksum(await this.at(t, version, signal), signal);
  }

  /** See {@link ExplorerApi.variantShredding}. */
  async variantShredding(t: OpenTable, version: number, signal: AbortSignal): Promise<VariantShreddingSummary> {
    return variantShredding(await this.at(t, version, signal), { signal });
  }

  /** See {@link ExplorerApi.schemaHistory}. */
  schemaHistory(t: OpenTable, signal: AbortSignal, progress: Progress): Promise<SchemaTimeline> {
    return schemaTimeline(t.table, { signal, onProgress: (done, total) => progress({ phase: 'history', done, total }) });
  }

  /**
   * See {@link ExplorerApi.compare} and {@link ExplorerApi.compareTables}: both snapshots through
   * their tables' caches (latest for an undefined version), then {@link compareSnapshots}.
   */
  async compare(
    ta: OpenTable,
    versionA: number | undefined,
    tb: OpenTable,
    versionB: number | undefined,
    signal: AbortSignal,
    progress: Progress,
  ): Promise<CompareResult> {
    const a = await this.loadSnapshot(ta, versionA === undefined ? {} : { version: versionA }, signal, progress);
    const b = await this.loadSnapshot(tb, versionB === undefined ? {} : { version: versionB }, signal, progress);
    throwIfAborted(signal);
    return compareSnapshots(a.snapshot, b.snapshot);
  }
}
