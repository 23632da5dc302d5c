/**
 * Log segment: which files of `_delta_log/` make up the snapshot at a version (protocol
 * "Checkpoints", "Checkpoint Naming Scheme", "Log Compaction Files", "Last Checkpoint File").
 *
 * The newest complete checkpoint at or below the target version is the starting point; the commits
 * after it, up to the target, must be contiguous. `_last_checkpoint` is a hint only: when it is
 * missing, stale (points at a checkpoint that is gone) or corrupt, the listing decides.
 */
import { DeltaError, throwIfAborted } from '../errors.ts';
import { isHtmlFallback, isListingUnsupported } from '../storage/http.ts';
import { compareBytes, type ListOptions, type ObjectMeta, type ObjectStore } from '../storage/object-store.ts';

/** The folder of the log, relative to the table root. */
export const LOG_DIR = '_delta_log/';

/** Zero-pads a version to the 20 digits of log file names. */
export function padVersion(v: number): string {
  return String(v).padStart(20, '0');
}

/** A parsed `_delta_log` file name. */
export type LogFileName =
  | { type: 'commit'; version: number }
  | { type: 'checkpoint'; version: number; kind: 'classic' }
  | { type: 'checkpoint'; version: number; kind: 'multi-part'; part: number; numParts: number }
  | { type: 'checkpoint'; version: number; kind: 'v2'; uuid: string; format: 'json' | 'parquet' }
  | { type: 'compaction'; version: number; endVersion: number }
  | { type: 'crc'; version: number };

const COMMIT_RE = /^(\d{20})\.json$/;
const CLASSIC_RE = /^(\d{20})\.checkpoint\.parquet$/;
const MULTI_RE = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;
const V2_RE = /^(\d{20})\.checkpoint\.([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.(json|parquet)$/;
const COMPACT_RE = /^(\d{20})\.(\d{20})\.compacted\.json$/;
const CRC_RE = /^(\d{20})\.crc$/;

/**
 * Parses a log file's base name (no folder). Returns undefined for files that are not log files
 * (`_last_checkpoint`, `.crc` checksums of checksums, temp files, ...).
 */
export function parseLogFileName(name: string): LogFileName | undefined {
  let m: RegExpExecArray | null;
  if ((m = COMMIT_RE.exec(name))) return { type: 'commit', version: Number(m[1]) };
  if ((m = CLASSIC_RE.exec(name))) return { type: 'checkpoint', version: Number(m[1]), kind: 'classic' };
  if ((m = MULTI_RE.exec(name))) {
    return { type: 'checkpoint', version: Number(m[1]), kind: 'multi-part', part: Number(m[2]), numParts: Number(m[3]) };
  }
  if ((m = V2_RE.exec(name))) {
    return { type: 'checkpoint', version: Number(m[1]), kind: 'v2', uuid: m[2], format: m[3] as 'json' | 'parquet' };
  }
  if ((m = COMPACT_RE.exec(name))) return { type: 'compaction', version: Number(m[1]), endVersion: Number(m[2]) };
  if ((m = CRC_RE.exec(name))) return { type: 'crc', version: Number(m[1]) };
  return undefined;
}

/** A commit file of the log. */
export interface CommitFile extends ObjectMeta {
  version: number;
}

/** A checkpoint: one file (classic, V2) or all parts of a multi-part checkpoint, in part order. */
export interface CheckpointFiles {
  version: number;
  kind: 'classic' | 'multi-part' | 'v2';
  /** `parquet` for classic and multi-part; V2 may be either. */
  format: 'json' | 'parquet';
  parts: ObjectMeta[];
}

/** A log compaction file covering commits `[version, endVersion]`. */
export interface CompactionFile extends ObjectMeta {
  version: number;
  endVersion: number;
}

/** Contents of `_delta_log/_last_checkpoint` (protocol "Last Checkpoint File Schema"). */
export interface LastCheckpointHint {
  version: number;
  size?: number;
  parts?: number;
  sizeInBytes?: number;
  numOfAddFiles?: number;
  checkpointSchema?: unknown;
  checksum?: string;
  v2Checkpoint?: unknown;
}

/**
 * The files that make up one snapshot, plus what the listing saw around them.
 * Versions are table versions; sizes in bytes; times in ms since the epoch.
 */
export interface LogSegment {
  /** The snapshot's version. */
  version: number;
  /** The checkpoint the snapshot starts from, if any. */
  checkpoint?: CheckpointFiles;
  /**
   * The files to replay after the checkpoint, oldest first: commits, or compaction files standing for
   * a range of commits. Together they cover every version in `(checkpoint.version, version]`.
   */
  deltas: (CommitFile | CompactionFile)[];
  /** Every commit file listed at or below `version`, oldest first (for history and timestamps). */
  commits: CommitFile[];
  /** Every complete checkpoint listed at or below `version`, oldest first. */
  checkpoints: CheckpointFiles[];
  /** The newest version the listing saw (may exceed `version` when time travelling). */
  latestVersion: number;
  /** Total bytes of every log file listed (commits, checkpoints, compactions, checksums), any version. */
  logSizeBytes: number;
  /** `_last_checkpoint` as read, and whether it was usable. */
  lastCheckpoint: { status: 'missing' | 'valid' | 'stale' | 'corrupt' | 'ignored'; hint?: LastCheckpointHint; message?: string };
  /** Non-fatal problems seen (incomplete multi-part checkpoint ignored, corrupt `_last_checkpoint` ...). */
  warnings: string[];
  /** The version checksum file (`<version>.crc`) of `version`, when the listing showed one. */
  checksumFile?: ObjectMeta;
}

/** Options of {@link buildLogSegment}. */
export interface LogSegmentOptions {
  /** Target version; latest when undefined. */
  version?: number;
  /** Use log compaction files when they fit (default true). */
  useCompaction?: boolean;
  signal?: AbortSignal;
}

/** Reads and validates `_last_checkpoint`. Never throws for a bad file: returns its status. */
export async function readLastCheckpoint(
  store: ObjectStore,
  signal?: AbortSignal,
): Promise<LogSegment['lastCheckpoint']> {
  let bytes: Uint8Array;
  try {
    bytes = await store.get(`${LOG_DIR}_last_checkpoint`, signal);
  } catch (e) {
    if (e instanceof DeltaError && e.code === 'FILE_NOT_FOUND') return { status: 'missing' };
    if (e instanceof DeltaError && e.code === 'CANCELLED') throw e;
    // Any other failure to read a hint is not fatal: the listing decides.
    return { status: 'corrupt', message: `_last_checkpoint could not be read: ${(e as Error).message}` };
  }
  try {
    const text = new TextDecoder().decode(bytes).trim();
    const hint = JSON.parse(text) as LastCheckpointHint;
    if (!hint || typeof hint !== 'object' || !Number.isSafeInteger(hint.version) || hint.version < 0) {
      return { status: 'corrupt', message: '_last_checkpoint has no valid version' };
    }
    if (hint.parts !== undefined && hint.parts !== null && (!Number.isSafeInteger(hint.parts) || hint.parts < 1)) {
      return { status: 'corrupt', message: '_last_checkpoint has an invalid parts count' };
    }
    return { status: 'valid', hint };
  } catch (e) {
    return { status: 'corrupt', message: `_last_checkpoint is not valid JSON (${(e as Error).message})` };
  }
}

interface Listed {
  commits: Map<number, CommitFile>;
  checksums: Map<number, ObjectMeta>;
  checkpoints: Map<number, ObjectMeta[]>;
  compactions: CompactionFile[];
  maxVersion: number;
  logSizeBytes: number;
}

async function listLog(store: ObjectStore, startVersion: number, signal?: AbortSignal): Promise<Listed> {
  const metas = await listLogFiles(store, LOG_DIR, {
    startAfter: startVersion > 0 ? `${LOG_DIR}${padVersion(startVersion)}` : undefined,
    shallow: true,
    signal,
  });
  const out: Listed = { commits: new Map(), checksums: new Map(), checkpoints: new Map(), compactions: [], maxVersion: -1, logSizeBytes: 0 };
  for (const m of metas) {
    const name = m.path.slice(LOG_DIR.length);
    if (name.includes('/')) continue; // _sidecars/, _staged_commits/ ...
    const f = parseLogFileName(name);
    if (!f) continue;
    out.logSizeBytes += m.sizeBytes;
    if (f.type === 'commit') {
      out.commits.set(f.version, { ...m, version: f.version });
      out.maxVersion = Math.max(out.maxVersion, f.version);
    } else if (f.type === 'checkpoint') {
      const list = out.checkpoints.get(f.version) ?? [];
      list.push(m);
      out.checkpoints.set(f.version, list);
      out.maxVersion = Math.max(out.maxVersion, f.version);
    } else if (f.type === 'compaction') {
      if (f.endVersion > f.version) out.compactions.push({ ...m, version: f.version, endVersion: f.endVersion });
    } else if (f.type === 'crc') {
      out.checksums.set(f.version, m);
    }
  }
  return out;
}

/**
 * Picks the complete checkpoints among the files of one version. Incomplete multi-part checkpoints
 * are ignored (protocol: "readers must ignore multi-part checkpoints with missing parts").
 * Preference when several exist: classic, then V2 UUID-named (parquet before JSON), then multi-part.
 */
export function completeCheckpoints(version: number, files: ObjectMeta[], warnings?: string[]): CheckpointFiles[] {
  const out: CheckpointFiles[] = [];
  const multi = new Map<number, Map<number, ObjectMeta>>();
  for (const m of files) {
    const f = parseLogFileName(m.path.slice(m.path.lastIndexOf('/') + 1));
    if (!f || f.type !== 'checkpoint') continue;
    if (f.kind === 'classic') out.push({ version, kind: 'classic', format: 'parquet', parts: [m] });
    else if (f.kind === 'v2') out.push({ version, kind: 'v2', format: f.format, parts: [m] });
    else {
      const parts = multi.get(f.numParts) ?? new Map<number, ObjectMeta>();
      parts.set(f.part, m);
      multi.set(f.numParts, parts);
    }
  }
  for (const [numParts, parts] of multi) {
    const complete = numParts >= 1 && Array.from({ length: numParts }, (_, i) => parts.has(i + 1)).every(Boolean);
    if (complete) {
      out.push({ version, kind: 'multi-part', format: 'parquet', parts: Array.from({ length: numParts }, (_, i) => parts.get(i + 1)!) });
    } else {
      warnings?.push(`Ignored the incomplete ${numParts}-part checkpoint at version ${version} (${parts.size} of ${numParts} parts present).`);
    }
  }
  const rank = (c: CheckpointFiles) => (c.kind === 'classic' ? 0 : c.kind === 'v2' ? (c.format === 'parquet' ? 1 : 2) : 3);
  return out.sort((a, b) => rank(a) - rank(b));
}

/**
 * Builds the log segment for a version (latest by default).
 *
 * @throws DeltaError `NOT_A_TABLE` when `_delta_log/` holds no commit or checkpoint;
 *   `VERSION_NOT_FOUND` when the target is newer than the latest version or older than the oldest
 *   reconstructable one; `MISSING_COMMIT` naming the first missing version when commits are not
 *   contiguous; `CANCELLED`.
 */
export async function buildLogSegment(store: ObjectStore, options: LogSegmentOptions = {}): Promise<LogSegment> {
  const { signal } = options;
  const target = options.version;
  if (target !== undefined && (!Number.isSafeInteger(target) || target < 0)) {
    throw new DeltaError('INVALID_ARGUMENT', `Invalid version ${target}: versions are whole numbers from 0.`);
  }
  const warnings: string[] = [];
  let lastCheckpoint = await readLastCheckpoint(store, signal);
  if (lastCheckpoint.status === 'corrupt') warnings.push(`${lastCheckpoint.message}; listed the log instead.`);
  throwIfAborted(signal);

  const hintVersion = lastCheckpoint.status === 'valid' ? lastCheckpoint.hint!.version : undefined;
  const useHint = hintVersion !== undefined && (target === undefined || target >= hintVersion);
  if (hintVersion !== undefined && !useHint) lastCheckpoint = { ...lastCheckpoint, status: 'ignored' };

  // A full listing is needed for history anyway when the hint is not used; with a usable hint,
  // list only from it (what makes _last_checkpoint worth having on object stores).
  let listed = await listLog(store, useHint ? hintVersion! : 0, signal);
  let fullListing = !useHint;
  if (useHint) {
    const cps = completeCheckpoints(hintVersion!, listed.checkpoints.get(hintVersion!) ?? []);
    if (cps.length === 0) {
      // Stale hint: the checkpoint it names is gone (or incomplete). Fall back to a full listing.
      lastCheckpoint = { ...lastCheckpoint, status: 'stale', message: `_last_checkpoint names version ${hintVersion}, but no complete checkpoint exists there` };
      warnings.push(`${lastCheckpoint.message}; listed the whole log instead.`);
      listed = await listLog(store, 0, signal);
      fullListing = true;
    }
  }
  return assembleSegment(store, listed, { target, warnings, lastCheckpoint, fullListing, useCompaction: options.useCompaction ?? true, signal });
}

async function assembleSegment(
  store: ObjectStore,
  listed: Listed,
  ctx: {
    target?: number;
    warnings: string[];
    lastCheckpoint: LogSegment['lastCheckpoint'];
    fullListing: boolean;
    useCompaction: boolean;
    signal?: AbortSignal;
  },
): Promise<LogSegment> {
  const { warnings } = ctx;
  if (listed.maxVersion < 0) {
    if (!ctx.fullListing) {
      return assembleSegment(store, await listLog(store, 0, ctx.signal), { ...ctx, fullListing: true });
    }
    throw new DeltaError('NOT_A_TABLE', `No Delta log found: ${LOG_DIR} holds no commit or checkpoint files.`, {
      path: LOG_DIR,
      hint: 'Open the folder that contains _delta_log (the table root), not a parent or a data folder.',
    });
  }
  const latestVersion = listed.maxVersion;
  const target = ctx.target ?? latestVersion;
  if (target > latestVersion) {
    throw new DeltaError('VERSION_NOT_FOUND', `Version ${target} does not exist: the latest version is ${latestVersion}.`, {
      version: target,
      hint: `Choose a version from the retained range (up to ${latestVersion}).`,
    });
  }

  // Newest complete checkpoint at or below the target.
  const cpVersions = [...listed.checkpoints.keys()].filter((v) => v <= target).sort((a, b) => a - b);
  const checkpoints: CheckpointFiles[] = [];
  for (const v of cpVersions) {
    const c = completeCheckpoints(v, listed.checkpoints.get(v)!, v === cpVersions[cpVersions.length - 1] ? warnings : undefined);
    if (c.length) checkpoints.push(c[0]);
  }
  const checkpoint = checkpoints[checkpoints.length - 1];

  const commits = [...listed.commits.values()].filter((c) => c.version <= target).sort((a, b) => a.version - b.version);
  const from = checkpoint ? checkpoint.version + 1 : 0;

  if (!checkpoint && !ctx.fullListing) {
    // The hint's checkpoint is above the target (can't happen with useHint) or nothing below it was listed.
    return assembleSegment(store, await listLog(store, 0, ctx.signal), { ...ctx, fullListing: true });
  }

  // Replay files: compactions where they fit entirely in (checkpoint, target], else commits.
  const compactions = ctx.useCompaction
    ? listed.compactions.filter((c) => c.version >= from && c.endVersion <= target)
    : [];
  const deltas: (CommitFile | CompactionFile)[] = [];
  let v = from;
  while (v <= target) {
    const comp = compactions
      .filter((c) => c.version === v)
      .sort((a, b) => b.endVersion - a.endVersion)[0];
    if (comp) {
      deltas.push(comp);
      v = comp.endVersion + 1;
      continue;
    }
    const c = listed.commits.get(v);
    if (!c) {
      const listedVersions = [...listed.commits.keys(), ...listed.checkpoints.keys()];
      const earliest = listedVersions.length ? Math.min(...listedVersions) : undefined;
      if (!checkpoint && v === 0 && earliest !== undefined && earliest > 0) {
        throw new DeltaError(
          'VERSION_NOT_FOUND',
          `Version ${target} cannot be reconstructed: the log's oldest file is at version ${earliest}, and no checkpoint is at or below ${target}.`,
          { version: target, hint: 'Older versions were cleaned up from the log; choose a newer version.' },
        );
      }
      throw new DeltaError(
        'MISSING_COMMIT',
        `Commit ${padVersion(v)}.json is missing: the log has a gap at version ${v} (needed for version ${target}).`,
        { path: `${LOG_DIR}${padVersion(v)}.json`, version: v, hint: 'The log is incomplete. Restore the missing commit, or open a version before the gap.' },
      );
    }
    deltas.push(c);
    v++;
  }

  const sizeWarning = unknownSizeWarning([...deltas, ...(checkpoint?.parts ?? [])]);
  if (sizeWarning) warnings.push(sizeWarning);
  return {
    version: target,
    checkpoint,
    deltas,
    commits,
    checkpoints,
    latestVersion,
    logSizeBytes: listed.logSizeBytes,
    lastCheckpoint: ctx.lastCheckpoint,
    warnings,
    ...(listed.checksums.has(target) ? { checksumFile: listed.checksums.get(target)! } : {}),
  };
}

/**
 * Lists the whole log (every version's commit and checkpoint files), for history views and for
 * timestamp lookups. Cheap on every backend that can list.
 */
export async function listAllCommits(store: ObjectStore, signal?: AbortSignal): Promise<CommitFile[]> {
  return (await listWholeLog(store, signal)).commits;
}

/**
 * One listing of the whole log, from which {@link segmentFromListing} assembles the segment of any
 * version without listing again (what a change feed needs: every commit of a range plus the
 * snapshot at its start, after kernel's `LogSegment::for_table_changes`).
 */
export interface LogListing {
  /** Every commit file, oldest first. */
  commits: CommitFile[];
  /** The newest version listed (-1 when the log is empty). */
  latestVersion: number;
  /** @internal the raw listing. */
  readonly listed: Listed;
}

/** Lists the whole log once (no `_last_checkpoint` shortcut). @throws DeltaError as the store's listing does; `CANCELLED`. */
export async function listWholeLog(store: ObjectStore, signal?: AbortSignal): Promise<LogListing> {
  const listed = await listLog(store, 0, signal);
  return { commits: [...listed.commits.values()].sort((a, b) => a.version - b.version), latestVersion: listed.maxVersion, listed };
}

/**
 * The segment of `version` (latest when undefined) from a {@link LogListing}: the same rules and
 * errors as {@link buildLogSegment}, without reading `_last_checkpoint` (status `ignored`) or listing.
 */
export async function segmentFromListing(
  store: ObjectStore,
  listing: LogListing,
  options: Omit<LogSegmentOptions, 'version'> & { version?: number } = {},
): Promise<LogSegment> {
  const target = options.version;
  if (target !== undefined && (!Number.isSafeInteger(target) || target < 0)) {
    throw new DeltaError('INVALID_ARGUMENT', `Invalid version ${target}: versions are whole numbers from 0.`);
  }
  return assembleSegment(store, listing.listed, {
    target,
    warnings: [],
    lastCheckpoint: { status: 'ignored', message: 'the segment was assembled from a whole-log listing' },
    fullListing: true,
    useCompaction: options.useCompaction ?? true,
    signal: options.signal,
  });
}

// ---------------------------------------------------------------------------------------------
// Listing the log where the store cannot list (plain HTTP): probing
// ---------------------------------------------------------------------------------------------

/** How long a probed listing is reused, ms (long enough for one open; short enough to see new commits). */
export const PROBE_REUSE_MS = 5_000;
/** Parallel HEAD requests when probing commits. */
export const PROBE_CONCURRENCY = 8;
/** Most commits probed in one listing: past this the probe stops with an error rather than run on. */
export const MAX_PROBED_COMMITS = 100_000;

const probeCache = new WeakMap<ObjectStore, Map<string, { atMs: number; result: Promise<ObjectMeta[]> }>>();

/**
 * Lists `prefix` (a folder under `_delta_log/`, or `_delta_log/` itself) as {@link ObjectStore.list}
 * does; when the store answers no listing (plain HTTP: `isListingUnsupported`), emulates the listing
 * of the log by probing ({@link probeLog}), reusing a probe made less than {@link PROBE_REUSE_MS} ago
 * with the same `startAfter` (a snapshot, its history and a timestamp lookup each list the log).
 * @throws store errors; `NOT_A_TABLE` when the server answers an HTML page for every log path.
 */
export async function listLogFiles(store: ObjectStore, prefix: string, options: ListOptions = {}): Promise<ObjectMeta[]> {
  try {
    return await store.list(prefix, options);
  } catch (e) {
    if (!isListingUnsupported(e) || !(prefix.startsWith(LOG_DIR) || LOG_DIR.startsWith(prefix))) throw e;
  }
  let cache = probeCache.get(store);
  if (!cache) probeCache.set(store, (cache = new Map()));
  const key = options.startAfter ?? '';
  const hit = cache.get(key);
  let all: Promise<ObjectMeta[]>;
  if (hit && Date.now() - hit.atMs < PROBE_REUSE_MS) all = hit.result;
  else {
    all = probeLog(store, options.startAfter, options.signal);
    const entry = { atMs: Date.now(), result: all };
    cache.set(key, entry);
    all.catch(() => {
      if (cache!.get(key) === entry) cache!.delete(key);
    });
  }
  return (await all)
    .filter((m) => m.path.startsWith(prefix))
    .filter((m) => options.startAfter === undefined || compareBytes(m.path, options.startAfter) > 0)
    .filter((m) => !options.shallow || !m.path.slice(prefix.lastIndexOf('/') + 1).includes('/'));
}

/**
 * Emulates a listing of `_delta_log/` on a store that cannot list: `_last_checkpoint` names the
 * newest checkpoint (its files are headed), then commits are probed forward from it (or from
 * `startAfter`'s version, or 0) with {@link PROBE_CONCURRENCY} parallel `HEAD`s until one is missing.
 *
 * Bounded: a server that answers an HTML page for every path (single-page-app fallback) finds no
 * commit at all (such answers are not files, see `isHtmlFallback`) and the probe ends with a
 * `NOT_A_TABLE` saying so; more than {@link MAX_PROBED_COMMITS} commits is a `STORAGE_ERROR`.
 * Sizes come from `Content-Length`/`Content-Range` (0 when the server sends neither).
 * @throws store errors (a transient failure is retried by the store; a commit that cannot be
 *   headed is never taken as missing, which would end the log early).
 */
export async function probeLog(store: ObjectStore, startAfter: string | undefined, signal?: AbortSignal): Promise<ObjectMeta[]> {
  const out: ObjectMeta[] = [];
  let htmlSeen: DeltaError | undefined;
  const tryHead = async (path: string) =>
    store.head(path, signal).catch((e) => {
      if (e instanceof DeltaError && e.code === 'FILE_NOT_FOUND') {
        if (isHtmlFallback(e)) htmlSeen ??= e;
        return undefined;
      }
      throw e;
    });
  let hint: { version: number; parts?: number; v2Checkpoint?: { path: string } } | undefined;
  try {
    hint = JSON.parse(new TextDecoder().decode(await store.get(`${LOG_DIR}_last_checkpoint`, signal)));
    out.push(await store.head(`${LOG_DIR}_last_checkpoint`, signal));
  } catch (e) {
    if (e instanceof DeltaError && e.code !== 'FILE_NOT_FOUND') throw e;
    if (isHtmlFallback(e)) htmlSeen ??= e as DeltaError;
    hint = undefined; // missing, or not JSON: the probe decides
  }
  const afterVersion = startAfter?.match(/_delta_log\/(\d{20})/)?.[1];
  let from = afterVersion !== undefined ? Number(afterVersion) : 0;
  if (hint && Number.isSafeInteger(hint.version) && hint.version >= from) {
    const v = hint.version;
    const parts = Number.isSafeInteger(hint.parts) && hint.parts! > 1 ? hint.parts! : 1;
    const names = typeof hint.v2Checkpoint?.path === 'string'
      ? [hint.v2Checkpoint.path]
      : parts > 1
        ? Array.from({ length: Math.min(parts, 10_000) }, (_, i) => `${padVersion(v)}.checkpoint.${String(i + 1).padStart(10, '0')}.${String(parts).padStart(10, '0')}.parquet`)
        : [`${padVersion(v)}.checkpoint.parquet`];
    for (const n of names) {
      const m = await tryHead(`${LOG_DIR}${n}`);
      if (m) out.push(m);
    }
    if (afterVersion !== undefined || !(await tryHead(`${LOG_DIR}${padVersion(0)}.json`))) from = Math.max(from, v);
  }
  for (let v = from; ; v += PROBE_CONCURRENCY) {
    throwIfAborted(signal);
    if (v - from > MAX_PROBED_COMMITS) {
      throw new DeltaError('STORAGE_ERROR', `Gave up probing ${store.description}: more than ${MAX_PROBED_COMMITS} commits answered without a listing.`, {
        path: LOG_DIR,
        hint: 'Serve the table from a server that answers S3 ListObjectsV2 listings (any object store, delta-explorer serve), or write a checkpoint.',
      });
    }
    const window = await Promise.all(Array.from({ length: PROBE_CONCURRENCY }, (_, i) => tryHead(`${LOG_DIR}${padVersion(v + i)}.json`)));
    let missing = false;
    for (const m of window) {
      if (m && !missing) out.push(m);
      else missing = true;
    }
    if (missing) break;
  }
  if (htmlSeen && !out.some((m) => parseLogFileName(m.path.slice(LOG_DIR.length))?.type === 'commit')) {
    throw new DeltaError('NOT_A_TABLE', `No Delta table at ${store.description}: the server answers an HTML page where the log's files should be (${htmlSeen.path}).`, {
      path: LOG_DIR,
      cause: htmlSeen,
      hint: htmlSeen.hint,
    });
  }
  return out;
}

/** How many times a log file whose size does not match its listing is read again before failing. */
const SIZE_MISMATCH_REREADS = 2;

/**
 * Reads a log file (commit, compaction, JSON checkpoint, checkpoint part, sidecar) whole and checks
 * it against the size its listing entry gives (`meta.sizeBytes`, bytes; 0 = unknown, not checked):
 * a short answer (a body cut at a line end by a proxy that fixed up its `Content-Length`) is read
 * again, then a `STORAGE_ERROR` naming the file and both sizes — never a shorter log.
 * @throws store errors; `STORAGE_ERROR` on a size that stays wrong; `CANCELLED`.
 */
export async function readLogFile(store: ObjectStore, meta: Pick<ObjectMeta, 'path' | 'sizeBytes'>, signal?: AbortSignal): Promise<Uint8Array> {
  for (let i = 0; ; i++) {
    const bytes = await store.get(meta.path, signal);
    if (!(meta.sizeBytes > 0) || bytes.byteLength === meta.sizeBytes) return bytes;
    if (i >= SIZE_MISMATCH_REREADS) {
      throw new DeltaError(
        'STORAGE_ERROR',
        `${meta.path} from ${store.description} read as ${bytes.byteLength} bytes ${i + 1} times, but the listing says ${meta.sizeBytes} bytes: the answer was cut short (or the file changed), so it is not used.`,
        { path: meta.path, hint: 'A proxy or the network is cutting answers short. Try again; if it persists, read the table without that proxy.' },
      );
    }
  }
}

/** A warning for a log segment whose files have no known size (0), or undefined when all have one. */
export function unknownSizeWarning(files: Pick<ObjectMeta, 'sizeBytes'>[]): string | undefined {
  const n = files.filter((f) => !(f.sizeBytes > 0)).length;
  if (!n) return undefined;
  return `${n} log file${n === 1 ? ' has' : 's have'} no known size (the server sent no Content-Length): an answer cut short could not be told from a whole one.`;
}
