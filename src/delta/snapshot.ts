/**
 * Snapshot: the state of a table at one version, by the protocol's "Action Reconciliation".
 *
 * The newest `protocol` and `metaData` win; logical files are keyed by (path, deletion-vector unique
 * id) and an action hides every older action of the same key; `txn` by app id; `domainMetadata` by
 * domain (a `removed` one is gone). Replay goes newest-first, so a checkpoint's rows are only checked
 * against the keys seen in later commits, and a million checkpoint rows never become a million
 * objects: active files stay in the {@link FileActionBatch} columns they were decoded into, selected
 * by row-index arrays.
 */
import { KeySet } from './key-set.ts';
import { FileActionBatch, type ActionSet, type AddFile, type CommitInfo, type DomainMetadata, type Metadata, type Protocol, type RemoveFile, type Txn } from './actions.ts';
import { DeltaError, throwIfAborted } from './errors.ts';
import { checkReadSupport, readerFeatureProblems } from './features.ts';
import { parseJsonLog } from './log/commit-reader.ts';
import { loadCheckpointStats, readCheckpoint, statsPending } from './log/checkpoint-reader.ts';
import type { ParquetReadStats } from './parquet-reader.ts';
import { checksumReport, checksumTotals, parseChecksum, type ChecksumReport, type ChecksumTotals, type VersionChecksum } from './checksum.ts';
import { buildLogSegment, readLogFile, type CommitFile, type CompactionFile, type LogSegment } from './log/listing.ts';
import { columnMappingMode, parsePartitionValues, parseSchema, partitionColumnInfo, type ColumnMappingMode, type PartitionColumn, type PartitionValue, type StructType } from './schema.ts';
import { statsFromParsed, statsNumRecords, parseStats, type FileStats } from './stats.ts';
import type { ObjectStore } from './storage/object-store.ts';
import { mapLimit } from './concurrency.ts';
import { rememberCommit } from './commit-summaries.ts';

/** A phase of snapshot loading, for progress bars. */
export type LoadPhase = 'listing' | 'commits' | 'checkpoint' | 'replay';

/** Progress report: `done` of `total` units (files) of a phase. */
export interface LoadProgress {
  phase: LoadPhase;
  done: number;
  total: number;
  /**
   * The totals the version's checksum file (`<version>.crc`) gives, once read (in parallel with the
   * log, before replay ends): the writer's numbers, to show early and marked as such; the replay
   * checks them (see {@link Snapshot.checksumReport}). On every report after it was read.
   */
  checksum?: ChecksumTotals;
}

/** Options of {@link loadSnapshot}. */
export interface SnapshotOptions {
  /** Version to load; latest when undefined. */
  version?: number;
  /**
   * Return a snapshot even when the table needs reader features this reader lacks (for metadata
   * views). The snapshot's `readSupportProblems` then lists them; data reads must refuse.
   * Default false: such tables throw `UNSUPPORTED_READER_FEATURE`.
   */
  allowUnsupported?: boolean;
  /**
   * Read file stats from checkpoints (default true). `'lazy'`: not while loading (stats are most of
   * a checkpoint's bytes); {@link Snapshot.loadStats} fetches only their column chunks when a view
   * needs them. Until then `totals.numRecords` is null and `totals.statsPending` true, and reading
   * a file's stats throws `STATS_NOT_LOADED`. `false` behaves as `'lazy'` for checkpoints.
   */
  stats?: boolean | 'lazy';
  /** Called with what each checkpoint parquet file's read cost (bytes, requests, needed chunk bytes). */
  onCheckpointRead?: (path: string, stats: ParquetReadStats) => void;
  /** Use log compaction files when they fit (default true). */
  useCompaction?: boolean;
  /**
   * How many commit files to read at once (default {@link COMMIT_CONCURRENCY}; the bytes in flight
   * are bounded separately, so big commits still go one after another).
   */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: LoadProgress) => void;
}

/** The active files of a snapshot: rows selected from one or more column batches. */
export class ActiveFiles {
  /** Number of active files. */
  readonly length: number;
  /** Prefix sums of chunk lengths, for index lookups. */
  private readonly starts: number[];

  /** @param chunks batches and the selected row indexes in each. */
  constructor(readonly chunks: { batch: FileActionBatch; rows: Uint32Array }[]) {
    this.starts = [];
    let n = 0;
    for (const c of chunks) {
      this.starts.push(n);
      n += c.rows.length;
    }
    this.length = n;
  }

  /** Locates file `i`: its batch and row in that batch. */
  locate(i: number): { batch: FileActionBatch; row: number } {
    if (i < 0 || i >= this.length) throw new RangeError(`file index ${i} out of range 0..${this.length - 1}`);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    const c = this.chunks[lo];
    return { batch: c.batch, row: c.rows[i - this.starts[lo]] };
  }

  /** File `i` as an {@link AddFile} object (for pages; do not call for every file of a big table). */
  get(i: number): AddFile {
    const { batch, row } = this.locate(i);
    return batch.addAt(row);
  }

  /** Tombstone `i` as a {@link RemoveFile} object (for chunks of `remove` batches). */
  getRemove(i: number): RemoveFile {
    const { batch, row } = this.locate(i);
    return batch.removeAt(row);
  }

  /** Calls `fn(batch, row, index)` for every active file, in order, without creating objects. */
  forEach(fn: (batch: FileActionBatch, row: number, index: number) => void): void {
    let idx = 0;
    for (const c of this.chunks) {
      const rows = c.rows;
      for (let k = 0; k < rows.length; k++) fn(c.batch, rows[k], idx++);
    }
  }

  /** Parsed stats of file `i` (JSON `stats`, else checkpoint `stats_parsed`), or null. */
  stats(i: number): FileStats | null {
    const { batch, row } = this.locate(i);
    return statsAt(batch, row);
  }
}

/** Parsed stats of a batch row: JSON `stats` first, else the checkpoint's `stats_parsed`. */
export function statsAt(batch: FileActionBatch, row: number): FileStats | null {
  const json = batch.stats.get(row);
  if (json) return parseStats(json);
  return batch.statsParsed ? statsFromParsed(batch.statsParsed.get(row)) : null;
}

/** `numRecords` of a batch row without parsing the whole stats, or null when unknown. */
export function numRecordsAt(batch: FileActionBatch, row: number): number | null {
  // Fast paths: a count a reader extracted up front (checkpoints), or read from the raw stats text.
  const known = batch.numRecords?.[row];
  if (known !== undefined && !Number.isNaN(known)) return known < 0 ? null : known;
  const fast = batch.stats.numRecords?.(row);
  if (fast !== undefined && fast !== null) return fast;
  if (fast === null && !batch.statsParsed) return null;
  const json = batch.stats.get(row);
  if (json) return statsNumRecords(json);
  if (batch.statsParsed) {
    const n = batch.statsParsed.get(row)?.numRecords;
    return n === null || n === undefined ? null : Number(n);
  }
  return null;
}

/** Table-wide counts derived from the active files. Sizes in bytes. */
export interface SnapshotTotals {
  numFiles: number;
  sizeInBytes: number;
  /** Sum of `numRecords` minus deletion-vector cardinalities; null when any file lacks stats. */
  numRecords: number | null;
  /** Sum of deletion-vector cardinalities. */
  numDeletedRecords: number;
  /** Files with a deletion vector. */
  numFilesWithDeletionVectors: number;
  /** Files whose stats give `numRecords`. */
  numFilesWithStats: number;
  /**
   * True when the snapshot was loaded with `stats: 'lazy'` and some checkpoint stats are not loaded
   * yet: `numRecords` and `numFilesWithStats` then say nothing (see {@link Snapshot.loadStats}).
   */
  statsPending?: boolean;
}

/**
 * The state of a table at one version. Built by {@link loadSnapshot}; immutable.
 * Times are ms since the epoch.
 */
export class Snapshot {
  private schemaCache?: StructType;
  private totalsCache?: SnapshotTotals;

  constructor(
    /** The store the table was read from. */
    readonly store: ObjectStore,
    /** The snapshot's version. */
    readonly version: number,
    readonly protocol: Protocol,
    readonly metadata: Metadata,
    /** The active logical files. */
    readonly files: ActiveFiles,
    /** `remove` actions not superseded by a later `add` of the same key (tombstones). */
    readonly tombstones: ActiveFiles,
    /** Latest `txn` version per application id. */
    readonly txns: Map<string, Txn>,
    /** Live domain metadata per domain (removed domains are absent). */
    readonly domainMetadata: Map<string, DomainMetadata>,
    /** The log files this snapshot was built from. */
    readonly segment: LogSegment,
    /** `commitInfo` of each commit replayed (versions after the checkpoint), by version. */
    readonly commitInfos: Map<number, CommitInfo>,
    /** Reader features the table needs that this reader lacks (empty when fully readable). */
    readonly readSupportProblems: string[],
    /** The log file the snapshot's `protocol` action was read from, when known (named in errors). */
    readonly protocolPath?: string,
  ) {}

  /**
   * How the version checksum (`<version>.crc`) compares with this replay, when the listing showed
   * one and it was read while loading (see `checkVersionChecksum` for the other cases).
   */
  checksumReport?: ChecksumReport;

  /**
   * The logical schema, parsed from `metaData.schemaString` (an empty struct when the metaData
   * has no schema, as Delta Live Tables' first versions do). @throws DeltaError `INVALID_SCHEMA`.
   */
  get schema(): StructType {
    this.schemaCache ??= parseSchema(this.metadata.schemaString || '{"type":"struct","fields":[]}', { version: this.version });
    return this.schemaCache;
  }

  /** Column mapping mode in force (`delta.columnMapping.mode`, honoured when the protocol allows it). */
  get columnMappingMode(): ColumnMappingMode {
    return columnMappingMode(this.metadata.configuration, this.protocol);
  }

  /**
   * The partition columns resolved against the schema: logical name, type, and the key their values
   * have in `partitionValues` (the physical name under column mapping). @throws DeltaError `INVALID_SCHEMA`.
   */
  get partitionColumns(): PartitionColumn[] {
    return partitionColumnInfo(this.schema, this.metadata.partitionColumns, this.columnMappingMode, { version: this.version });
  }

  /**
   * Typed partition values of active file `i`, keyed by logical column name (protocol "Partition
   * Value Serialization"; see `parsePartitionValue` for the JS types). @throws DeltaError `INVALID_PARTITION_VALUE`.
   */
  partitionValues(i: number): Record<string, PartitionValue> {
    const { batch, row } = this.files.locate(i);
    return parsePartitionValues(batch.partitionValuesAt(row), this.partitionColumns, { version: this.version, path: batch.path[row] });
  }

  /** Table properties (`metaData.configuration`). */
  get properties(): Record<string, string> {
    return this.metadata.configuration;
  }

  /** True when in-commit timestamps are enabled at this version (`delta.enableInCommitTimestamps`). */
  get inCommitTimestampsEnabled(): boolean {
    return this.metadata.configuration['delta.enableInCommitTimestamps'] === 'true';
  }

  /**
   * The version from which in-commit timestamps hold (`delta.inCommitTimestampEnablementVersion`,
   * or 0 when enabled at creation), or undefined when they are not enabled.
   */
  get inCommitTimestampEnablementVersion(): number | undefined {
    if (!this.inCommitTimestampsEnabled) return undefined;
    const v = this.metadata.configuration['delta.inCommitTimestampEnablementVersion'];
    return v !== undefined ? Number(v) : 0;
  }

  /** True while checkpoint stats of active files are not loaded (a snapshot loaded with `stats: 'lazy'`). */
  get statsPending(): boolean {
    return this.files.chunks.some((c) => statsPending(c.batch));
  }

  /**
   * Loads the checkpoint stats a `stats: 'lazy'` load left out (only the `add.stats` /
   * `add.stats_parsed` column chunks of the checkpoint files are fetched, once). Does nothing when
   * none are pending. @throws DeltaError `CORRUPT_CHECKPOINT`, store errors, `CANCELLED`.
   */
  async loadStats(signal?: AbortSignal): Promise<void> {
    if (!this.statsPending) return;
    this.statsLoading ??= loadCheckpointStats(
      [...this.files.chunks.map((c) => c.batch)],
      signal,
    ).finally(() => {
      this.statsLoading = undefined;
      this.totalsCache = undefined;
    });
    await this.statsLoading;
  }
  private statsLoading?: Promise<void>;

  /** Counts over the active files (computed once; again after {@link loadStats}). */
  get totals(): SnapshotTotals {
    if (this.totalsCache) return this.totalsCache;
    const pendingStats = this.statsPending;
    let sizeInBytes = 0;
    let records = 0;
    let missingStats = false;
    let deleted = 0;
    let withDv = 0;
    let withStats = 0;
    this.files.forEach((batch, row) => {
      sizeInBytes += batch.size[row];
      // Stats not loaded yet are not read (they would throw STATS_NOT_LOADED): the counts wait.
      const n = pendingStats ? null : numRecordsAt(batch, row);
      if (n === null) missingStats = true;
      else {
        records += n;
        withStats++;
      }
      const card = batch.dvCardinality?.[row];
      if (card !== undefined && !Number.isNaN(card)) {
        deleted += card;
        withDv++;
      }
    });
    this.totalsCache = {
      numFiles: this.files.length,
      sizeInBytes,
      numRecords: missingStats ? null : records - deleted,
      numDeletedRecords: deleted,
      numFilesWithDeletionVectors: withDv,
      numFilesWithStats: withStats,
      ...(pendingStats ? { numRecords: null, statsPending: true } : {}),
    };
    return this.totalsCache;
  }

  /** Throws `UNSUPPORTED_READER_FEATURE` when data of this snapshot cannot be read correctly. */
  assertReadable(): void {
    checkReadSupport(this.protocol, { version: this.version, path: this.protocolPath });
  }
}

/** Reconciliation key of a batch row: decoded path plus DV unique id. */
function fileKey(batch: FileActionBatch, row: number): string {
  const raw = batch.path[row];
  const path = raw.includes('%') ? safeDecode(raw) : raw;
  if (batch.dvStorageType === undefined) return path;
  const dv = batch.dvUniqueId(row);
  return dv ? `${path}\u0000${dv}` : path;
}

/** Decodes a URI-encoded log path (protocol: paths are RFC 2396 URIs); leaves invalid escapes as they are. */
export function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export { mapLimit };

/** Reads and parses one commit or compaction file. */
export async function readDelta(store: ObjectStore, file: CommitFile | CompactionFile, signal?: AbortSignal): Promise<ActionSet> {
  const bytes = await readLogFile(store, file, signal).catch((e) => {
    if (e instanceof DeltaError && e.code === 'FILE_NOT_FOUND') {
      throw new DeltaError('FILE_NOT_FOUND', `Commit file ${file.path} (version ${file.version}) was listed but cannot be read.`, {
        path: file.path,
        version: file.version,
        hint: 'The log changed while it was being read, or the file was deleted. Reload the table.',
      });
    }
    throw e;
  });
  return parseJsonLog(bytes, { path: file.path, version: file.version });
}

/**
 * Commit files read at once by default: the commits after a checkpoint (up to ~100 between
 * checkpoints) go out in one or two rounds beside the checkpoint, not one wave of 8 after another
 * (a browser still holds at most 6 HTTP/1.1 connections per host; HTTP/2 and Node take them all).
 */
export const COMMIT_CONCURRENCY = 64;

/** Bytes of commit files read ahead of parsing at most (one file at a time beyond it). */
const READ_AHEAD_BYTES = 16 * 1024 * 1024;

/**
 * A budget of bytes in flight: `take(n)` waits until `n` more fit (a request larger than the whole
 * budget waits until nothing else is in flight), `give(n)` returns them.
 */
function byteBudget(limit: number): { take(n: number): Promise<void>; give(n: number): void } {
  let used = 0;
  const waiting: { n: number; go: () => void }[] = [];
  const pump = () => {
    while (waiting.length && (used === 0 || used + waiting[0].n <= limit)) {
      const w = waiting.shift()!;
      used += w.n;
      w.go();
    }
  };
  return {
    take: (n) =>
      new Promise<void>((go) => {
        waiting.push({ n, go });
        pump();
      }),
    give: (n) => {
      used -= n;
      pump();
    },
  };
}

/**
 * Loads the snapshot of a table at a version (latest by default).
 *
 * @throws DeltaError `NOT_A_TABLE`, `VERSION_NOT_FOUND`, `MISSING_COMMIT` (from the log segment);
 *   `CORRUPT_COMMIT`, `CORRUPT_CHECKPOINT`, `FILE_NOT_FOUND` (while reading); `INVALID_LOG` when
 *   no `protocol` or `metaData` is found; `UNSUPPORTED_READER_FEATURE` unless `allowUnsupported`;
 *   `CANCELLED`.
 */
export async function loadSnapshot(store: ObjectStore, options: SnapshotOptions = {}): Promise<Snapshot> {
  const { signal, onProgress } = options;
  onProgress?.({ phase: 'listing', done: 0, total: 1 });
  const segment = await buildLogSegment(store, { version: options.version, useCompaction: options.useCompaction, signal });
  onProgress?.({ phase: 'listing', done: 1, total: 1 });
  return snapshotFromSegment(store, segment, options);
}

/** Builds a snapshot from an already-built log segment. Same errors as {@link loadSnapshot}. */
export async function snapshotFromSegment(store: ObjectStore, segment: LogSegment, options: SnapshotOptions = {}): Promise<Snapshot> {
  const { signal } = options;
  const concurrency = options.concurrency ?? COMMIT_CONCURRENCY;
  // The version checksum, read beside the log: its totals are reported as soon as they are known
  // (on that and every later progress report), and checked against the replay at the end.
  let early: ChecksumTotals | undefined;
  let lastProgress: LoadProgress = { phase: 'commits', done: 0, total: segment.deltas.length };
  const onProgress = (p: LoadProgress) => {
    lastProgress = p;
    options.onProgress?.(early ? { ...p, checksum: early } : p);
  };
  const crcRead: Promise<VersionChecksum | string | undefined> = segment.checksumFile
    ? readLogFile(store, segment.checksumFile, signal).then(
        (bytes) => {
          const parsed = parseChecksum(new TextDecoder().decode(bytes));
          if (typeof parsed !== 'string' && !signal?.aborted) {
            early = checksumTotals(parsed, segment.version);
            onProgress(lastProgress);
          }
          return parsed;
        },
        () => undefined, // a checksum that cannot be read is no reason to fail the snapshot
      )
    : Promise.resolve(undefined);
  let doneDeltas = 0;
  // Many small commits are read in parallel; big ones one after another, so that the bytes of a
  // whole log are never all in memory at once.
  const budget = byteBudget(READ_AHEAD_BYTES);
  const deltasRead = mapLimit(segment.deltas, concurrency, async (f) => {
    await budget.take(f.sizeBytes);
    let set: ActionSet;
    try {
      set = await readDelta(store, f, signal);
    } finally {
      budget.give(f.sizeBytes);
    }
    // The History reuses what it needs from this commit instead of downloading it again.
    if (!('endVersion' in f)) rememberCommit(store, f, set);
    onProgress({ phase: 'commits', done: ++doneDeltas, total: segment.deltas.length });
    return set;
  });
  // The checkpoint is read while the commits after it are: one round trip less on a slow link.
  const checkpointRead = segment.checkpoint
    ? readCheckpoint(store, segment.checkpoint, {
        stats: options.stats,
        onRead: options.onCheckpointRead,
        signal,
        onProgress: (done, total) => onProgress({ phase: 'checkpoint', done, total }),
      })
    : Promise.resolve([]);
  // The checksum was asked for with the log: waiting for it here costs no round trip, and its
  // totals are then always out before the replay starts.
  const [deltaSets, checkpointSets, crc] = await Promise.all([deltasRead, checkpointRead, crcRead]);
  throwIfAborted(signal);
  onProgress({ phase: 'replay', done: 0, total: 1 });

  // Newest first: deltas from the last to the first, then the checkpoint.
  const newestFirst: ActionSet[] = [...deltaSets].reverse();
  let protocol: Protocol | undefined;
  let metadata: Metadata | undefined;
  const txns = new Map<string, Txn>();
  const domains = new Map<string, DomainMetadata>();
  const seenDomains = new Set<string>();
  const commitInfos = new Map<number, CommitInfo>();
  segment.deltas.forEach((f, i) => {
    const ci = deltaSets[i].commitInfo;
    if (ci && f.version !== undefined && !('endVersion' in f)) commitInfos.set(f.version, ci);
  });

  // The file the protocol in force came from, for errors that name it.
  let protocolPath: string | undefined;
  const nonFile = (s: ActionSet, path: string | undefined) => {
    if (!protocol && s.protocol) protocolPath = path;
    protocol ??= s.protocol;
    metadata ??= s.metaData;
    for (const t of s.txns) if (!txns.has(t.appId)) txns.set(t.appId, t);
    for (const d of s.domainMetadata) {
      if (seenDomains.has(d.domain)) continue;
      seenDomains.add(d.domain);
      if (!d.removed) domains.set(d.domain, d);
    }
  };
  // A multi-part checkpoint's rows are spread over its parts: only a one-file checkpoint (classic,
  // or a V2 top-level file, which holds protocol and metaData) names the file for sure.
  const checkpointPath = segment.checkpoint?.parts.length === 1 ? segment.checkpoint.parts[0].path : undefined;
  newestFirst.forEach((s, i) => nonFile(s, segment.deltas[segment.deltas.length - 1 - i]?.path));
  for (const s of checkpointSets) nonFile(s, checkpointPath);

  if (!protocol || !metadata) {
    const files = [segment.checkpoint?.parts[0]?.path ?? segment.deltas[0]?.path, segment.deltas[segment.deltas.length - 1]?.path].filter(
      (p, i, all): p is string => !!p && all.indexOf(p) === i,
    );
    throw new DeltaError(
      'INVALID_LOG',
      `The log has no ${!protocol ? 'protocol' : 'metaData'} action at or before version ${segment.version} (log files read: ${files.join(' to ')}).`,
      { version: segment.version, path: segment.deltas[0]?.path ?? segment.checkpoint?.parts[0]?.path, hint: 'The table log is incomplete or was not written by a Delta writer.' },
    );
  }
  const problems = readerFeatureProblems(protocol);
  if (problems.length && !options.allowUnsupported) checkReadSupport(protocol, { version: segment.version, path: protocolPath });

  // File actions. `seen` holds the key of every file action newer than the log file at hand; one
  // `add` to it both records a key and tells whether it was there already.
  let expected = 0;
  for (const s of newestFirst) expected += s.adds.length + s.removes.length;
  const seen = new KeySet(expected);
  const activeChunks: { batch: FileActionBatch; rows: Uint32Array }[] = [];
  const tombChunks: { batch: FileActionBatch; rows: Uint32Array }[] = [];
  for (const s of newestFirst) {
    // Within a commit, actions have no order (the protocol allows no conflicting pair); a log
    // compaction file lists newer actions first, so the first action seen for a key wins.
    const adds = s.adds;
    const removes = s.removes;
    const a = new Uint32Array(adds.length);
    const r = new Uint32Array(removes.length);
    let na = 0;
    let nr = 0;
    if (removes.length === 0) {
      for (let i = 0; i < adds.length; i++) {
        if (seen.add(fileKey(adds, i))) a[na++] = i;
      }
    } else {
      let i = 0;
      let j = 0;
      while (i < adds.length || j < removes.length) {
        const takeAdd = j >= removes.length || (i < adds.length && adds.ordinal[i] <= removes.ordinal[j]);
        if (takeAdd) {
          if (seen.add(fileKey(adds, i))) a[na++] = i;
          i++;
        } else {
          if (seen.add(fileKey(removes, j))) r[nr++] = j;
          j++;
        }
      }
    }
    if (na) activeChunks.push({ batch: adds, rows: na === a.length ? a : a.slice(0, na) });
    if (nr) tombChunks.push({ batch: removes, rows: nr === r.length ? r : r.slice(0, nr) });
    throwIfAborted(signal);
  }
  const select = (batch: FileActionBatch): Uint32Array => {
    const rows = new Uint32Array(batch.length);
    let n = 0;
    for (let r = 0; r < batch.length; r++) if (!seen.has(fileKey(batch, r))) rows[n++] = r;
    return n === rows.length ? rows : rows.slice(0, n);
  };
  for (const s of checkpointSets) {
    // Checkpoint rows are already reconciled among themselves; check them only against later commits.
    const a = seen.size ? select(s.adds) : identity(s.adds.length);
    const r = seen.size ? select(s.removes) : identity(s.removes.length);
    if (a.length) activeChunks.push({ batch: s.adds, rows: a });
    if (r.length) tombChunks.push({ batch: s.removes, rows: r });
    throwIfAborted(signal);
  }
  onProgress({ phase: 'replay', done: 1, total: 1 });

  const snapshot = new Snapshot(
    store,
    segment.version,
    protocol,
    metadata,
    new ActiveFiles(activeChunks),
    new ActiveFiles(tombChunks),
    txns,
    domains,
    segment,
    commitInfos,
    problems,
    protocolPath,
  );
  if (crc !== undefined) {
    snapshot.checksumReport = checksumReport(crc, snapshot);
    if (snapshot.checksumReport.status === 'mismatch') segment.warnings.push(snapshot.checksumReport.message!);
  }
  return snapshot;
}

function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

export type { AddFile, RemoveFile };
