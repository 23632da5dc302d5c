/**
 * The file registry of the data plane: registers data files with DuckDB once per engine generation
 * (through `store.get` buffers or a handle the store offers), reads every footer first
 * (`parquet-footer.ts`: row counts against `numRecords`, routing of files DuckDB cannot read to
 * `fallback-decoder.ts`), refreshes presigned URLs and remembers what each DuckDB name stands for.
 * Every reader (scan, change feed, SQL views) registers files here; {@link FileRegistry.readSql}
 * hides which decoder reads a file.
 */
import * as arrow from 'apache-arrow';
import { DeltaError, throwIfAborted } from '../delta/errors.ts';
import { mapLimit } from '../delta/snapshot.ts';
import { hasFileHandles, hasUrls, type ObjectStore } from '../delta/storage/object-store.ts';
import { quoteIdent, quoteString, type SqlEngine } from './engine.ts';
import { decodeIntoTable, dropFallbackSql } from './fallback-decoder.ts';
import { cachedFooter, duckdbReadProblem, parseFooter, rethrowNamed, summarizeFooter, type DataFileFooter } from './parquet-footer.ts';
import { nextId } from './scan-plan.ts';

/**
 * Age after which a file registered by a presigned URL is registered again with a fresh URL
 * (ms): well inside the shortest lifetime stores hand out (10 minutes; lakeFS presigns for 15).
 */
export const URL_REFRESH_MS = 5 * 60_000;

/** How data bytes reach DuckDB: always through `store.get` (`'buffer'`, the default), or through a handle the store offers (`'direct'`). */
export type FileAccess = 'buffer' | 'direct';

/**
 * Rows per value of an INTEGER index column (a scan's `__dx_file`, a change feed's `__rid`):
 * `out[i]` = rows whose index is i, for i in [0, size). NULLs are not counted.
 */
export function countIndexes(v: arrow.Vector, size: number): Float64Array {
  const counts = new Float64Array(size);
  for (const d of v.data) {
    const vals = d.values as Int32Array;
    for (let i = 0; i < d.length; i++) if (d.getValid(i)) counts[vals[i]]++;
  }
  return counts;
}

/** What a registered DuckDB file name stands for. */
export interface RegisteredFile {
  /** The file's path in the store (relative to the table root). */
  path: string;
  /** The table version that read it first. */
  version: number;
  /** `Data file`, `Change data file`, ... */
  what: string;
  /** Bytes, from the log, when known. */
  sizeBytes?: number;
}


/**
 * Registers data files with an engine once and remembers their DuckDB names. Owned by a query
 * session; {@link FileRegistry.dropAll} forgets every file.
 */
export class FileRegistry {
  private readonly names = new Map<string, string>();
  /** Files registered by a URL valid for a limited time (presigned), by path: refreshed by {@link refreshUrls}. */
  private readonly expiring = new Map<string, { name: string; sizeBytes?: number; atMs: number }>();
  /** Registered name → DuckDB table holding the file as decoded by the fallback decoder. */
  private readonly decoded = new Map<string, string>();
  /** Registered name → why DuckDB does not read the file itself (files routed to the fallback decoder). */
  readonly fallbackReasons = new Map<string, string>();
  /** Registered name → the file's footer (row count, codecs, encodings). */
  readonly footers = new Map<string, DataFileFooter>();
  /** Registered name → the file it stands for. */
  protected readonly registered = new Map<string, RegisteredFile>();
  private counter = 0;
  /** The engine generation the registrations belong to (see `SqlEngine.generation`). */
  private generation: number;
  /** Bytes read through `store.get` so far. */
  bytesRead = 0;
  /**
   * Read every file's footer before registering it: check its row count against `numRecords` and
   * route files DuckDB cannot read to the fallback decoder (default true; off only for tests whose
   * stores hold no real files).
   */
  checkFooters = true;

  /**
   * @param prefix a unique prefix for DuckDB file names (e.g. `dx3`).
   * @param fileAccess see {@link FileAccess}.
   * @param concurrency how many files to read at once (default 8).
   */
  constructor(
    readonly engine: SqlEngine,
    readonly store: ObjectStore,
    readonly prefix: string,
    readonly fileAccess: FileAccess = 'buffer',
    readonly concurrency = 8,
  ) {
    this.generation = engine.generation ?? 0;
  }

  /** The DuckDB name of a registered file, if any. */
  nameOf(path: string): string | undefined {
    return this.names.get(path);
  }

  /** True when the registered name stands for a file decoded by the fallback decoder. */
  isDecoded(name: string): boolean {
    return this.decoded.has(name);
  }

  /**
   * The FROM item (without alias) that reads the registered files `names` as DuckDB's
   * `read_parquet` does, with its `filename` / `file_row_number` columns when asked: one
   * `read_parquet` call over parquet files, or the table of a file decoded by the fallback decoder
   * (which always carries both columns). A decoded file must be read on its own (one name).
   */
  readSql(names: string[], options: { filename?: boolean; rowNumber?: boolean } = {}): string {
    const decoded = names.filter((n) => this.decoded.has(n));
    if (decoded.length) {
      if (names.length !== 1) throw new DeltaError('QUERY_ERROR', 'Internal: a file decoded by the fallback decoder must be read on its own.');
      return quoteIdent(this.decoded.get(decoded[0])!);
    }
    const list = `[${names.map(quoteString).join(', ')}]`;
    return `read_parquet(${list}, hive_partitioning=false${options.filename ? ', filename=true' : ''}${options.rowNumber ? ', file_row_number=true' : ''})`;
  }

  /**
   * Registers every path not yet registered and returns path → DuckDB file name.
   * @throws DeltaError `FILE_NOT_FOUND` naming the data file (and `version`), store errors, `CANCELLED`.
   */
  async ensure(paths: string[], version: number, signal?: AbortSignal): Promise<Map<string, string>> {
    return this.ensureFiles(
      paths.map((path) => ({ path, version })),
      signal,
    );
  }

  /**
   * Like {@link ensure}, with the version (and a label such as `Change data file`, default
   * `Data file`) given per file for the `FILE_NOT_FOUND` message. A path listed twice is
   * registered once (the first entry names it).
   *
   * Before registering a file, its footer is read (see `parquet-footer.ts`): its row count must
   * equal `numRecords` when given (the statistic from the log), else `DATA_INTEGRITY`; a file
   * DuckDB 0.9.1 would refuse or decode wrongly is decoded by the fallback decoder instead (see
   * `fallback-decoder.ts`), transparently for {@link readSql}.
   *
   * @throws DeltaError `FILE_NOT_FOUND` naming the file, its kind and version; `DATA_INTEGRITY`
   *   (row count or size differs from the log, not a parquet file); `FILE_TOO_LARGE` (a fallback
   *   file above its limit); store errors; `CANCELLED`.
   */
  async ensureFiles(
    files: { path: string; version: number; what?: string; sizeBytes?: number | null; numRecords?: number | null }[],
    signal?: AbortSignal,
  ): Promise<Map<string, string>> {
    this.syncGeneration();
    const todo = new Map<string, { version: number; what?: string; sizeBytes?: number | null; numRecords?: number | null }>();
    for (const f of files) if (!this.names.has(f.path) && !todo.has(f.path)) todo.set(f.path, f);
    await mapLimit([...todo], this.concurrency, async ([path, f]) => {
      throwIfAborted(signal);
      const name = `${this.prefix}_${++this.counter}.parquet`;
      await this.register(path, name, f.version, signal, f.what, f.sizeBytes ?? undefined, f.numRecords ?? null);
      this.names.set(path, name);
    });
    const out = new Map<string, string>();
    for (const f of files) out.set(f.path, this.names.get(f.path)!);
    return out;
  }

  /** After the engine restarted (a trap), everything registered before is gone: forget it. */
  private syncGeneration(): void {
    const g = this.engine.generation ?? 0;
    if (g === this.generation) return;
    this.generation = g;
    this.names.clear();
    this.expiring.clear();
    this.decoded.clear();
    this.fallbackReasons.clear();
    this.footers.clear();
    this.registered.clear();
  }

  /**
   * The registered parquet file (not yet decoded by the fallback) a `QUERY_ERROR` of DuckDB names,
   * if any: a file the footer rules did not route but DuckDB failed to read.
   */
  failedFile(e: unknown): string | undefined {
    if (!(e instanceof DeltaError) || e.code !== 'QUERY_ERROR') return undefined;
    const text = `${e.message} ${e.cause instanceof Error ? e.cause.message : ''}`;
    return (text.match(this.namePattern()) ?? []).find((n) => this.registered.has(n) && !this.decoded.has(n));
  }

  /** The data file a registered DuckDB name stands for, if any. */
  fileOf(name: string): RegisteredFile | undefined {
    return this.registered.get(name);
  }

  /** Matches this registry's DuckDB file names (`dx3_17.parquet`) in a text (global). */
  protected namePattern(): RegExp {
    return new RegExp(`${this.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_\\d+\\.parquet`, 'g');
  }

  /**
   * The safety net behind the footer rules: a file DuckDB failed to read is decoded by the fallback
   * decoder instead, under the same name, so the next attempt reads it exactly.
   * @throws as {@link ensureFiles}.
   */
  async reroute(name: string, reason: string, signal?: AbortSignal): Promise<void> {
    const f = this.registered.get(name);
    if (!f) return;
    const footer = this.footers.get(name) ?? (await cachedFooter(this.store, { path: f.path, version: f.version, what: f.what, sizeBytes: f.sizeBytes }, signal));
    await this.engine.dropFile(name);
    const table = `${this.prefix}_fb_${this.counter}_${nextId()}`;
    await decodeIntoTable(this.engine, { store: this.store, path: f.path, version: f.version, what: f.what, footer, reason, name, table, signal });
    this.decoded.set(name, table);
    this.fallbackReasons.set(name, reason);
  }

  private async register(
    path: string,
    name: string,
    version: number,
    signal?: AbortSignal,
    what = 'Data file',
    sizeBytes?: number,
    numRecords: number | null = null,
  ): Promise<void> {
    const notFound = (e: unknown): never => rethrowNamed(e, what, path, version);
    this.registered.set(name, { path, version, what, sizeBytes });
    const direct = this.fileAccess === 'direct';
    // Buffer access reads the file whole anyway: its footer comes from those bytes.
    let bytes: Uint8Array | undefined;
    if (!direct) {
      bytes = await this.store.get(path, signal).catch(notFound);
      this.bytesRead += bytes.byteLength;
      if (this.checkFooters && sizeBytes !== undefined && bytes.byteLength !== sizeBytes) {
        throw new DeltaError('DATA_INTEGRITY', `${what} ${path} of table version ${version} is ${bytes.byteLength} bytes long where the log states ${sizeBytes}.`, {
          path,
          version,
          hint: 'The file does not match the Delta log: it may be damaged, truncated or replaced outside Delta. Restore it, or open a version that does not use it.',
        });
      }
    }
    if (this.checkFooters) {
      const footer = bytes ? footerOfBytes(bytes, { path, version, what }) : await cachedFooter(this.store, { path, version, what, sizeBytes }, signal);
      this.footers.set(name, footer);
      checkRowCount(footer, { path, version, what, numRecords });
      const problem = duckdbReadProblem(footer);
      if (problem) {
        const table = `${this.prefix}_fb_${this.counter}_${nextId()}`;
        await decodeIntoTable(this.engine, { store: this.store, path, version, what, footer, reason: problem, name, table, bytes, signal });
        this.decoded.set(name, table);
        this.fallbackReasons.set(name, problem);
        return;
      }
    }
    if (direct) {
      if (this.engine.capabilities.fileHandles && hasFileHandles(this.store)) {
        const file = this.store.fileAt(path);
        if (!file) notFound(new DeltaError('FILE_NOT_FOUND', `File not found: ${path}`, { path }));
        await this.engine.registerFile(name, file!);
        return;
      }
      const url = hasUrls(this.store) ? await this.store.url(path) : undefined;
      if (url && /^https?:\/\//i.test(url) && this.engine.capabilities.urls) {
        // With the size from the log, DuckDB reads by range without a HEAD (which presigned URLs refuse).
        if (sizeBytes !== undefined && this.engine.capabilities.sizedUrls) {
          await this.engine.registerUrl(name, url, sizeBytes);
          if (this.store.capabilities.getOnlyUrls) this.expiring.set(path, { name, sizeBytes, atMs: Date.now() });
          return;
        }
        if (!this.store.capabilities.getOnlyUrls) {
          await this.engine.registerUrl(name, url);
          return;
        }
      }
      if (url && (url.startsWith('/') || /^[A-Za-z]:[\\/]/.test(url)) && this.engine.capabilities.localPaths) {
        await this.store.head(path, signal).catch(notFound);
        await this.engine.registerLocalPath(name, url);
        return;
      }
      bytes = await this.store.get(path, signal).catch(notFound);
      this.bytesRead += bytes.byteLength;
    }
    await this.engine.registerBuffer(name, bytes!);
  }

  /**
   * Registers again, with a fresh URL from the store, every file registered by a presigned URL more
   * than {@link URL_REFRESH_MS} ago (at `nowMs`, ms since the epoch), so a session kept open longer
   * than a URL lives keeps reading. Stores hand out URLs valid for at least 10 minutes.
   * @throws store errors, `QUERY_ERROR` from the engine, `CANCELLED`.
   */
  async refreshUrls(signal?: AbortSignal, nowMs = Date.now()): Promise<number> {
    let n = 0;
    for (const [path, f] of this.expiring) {
      if (nowMs - f.atMs <= URL_REFRESH_MS) continue;
      throwIfAborted(signal);
      const url = hasUrls(this.store) ? await this.store.url(path) : undefined;
      if (!url) continue;
      await this.engine.dropFile(f.name);
      await this.engine.registerUrl(f.name, url, f.sizeBytes);
      f.atMs = nowMs;
      n++;
    }
    return n;
  }

  /** Drops every registered file (and fallback table) from the engine. */
  async dropAll(): Promise<void> {
    this.syncGeneration();
    this.expiring.clear();
    for (const name of this.names.values()) {
      const table = this.decoded.get(name);
      if (table) await this.engine.query(dropFallbackSql(table)).catch(() => undefined);
      else await this.engine.dropFile(name);
    }
    this.names.clear();
    this.decoded.clear();
    this.fallbackReasons.clear();
    this.footers.clear();
    this.registered.clear();
  }
}

/**
 * The footer of a file read whole.
 * @throws DeltaError `DATA_INTEGRITY` when the bytes are not a parquet file.
 */
function footerOfBytes(bytes: Uint8Array, where: { path: string; version: number; what: string }): DataFileFooter {
  try {
    return summarizeFooter(parseFooter(bytes), bytes.byteLength);
  } catch (e) {
    throw new DeltaError('DATA_INTEGRITY', `${where.what} ${where.path} of table version ${where.version} is not a readable parquet file: ${e instanceof Error ? e.message : String(e)}.`, {
      path: where.path,
      version: where.version,
      cause: e,
      hint: 'The file is damaged or not a parquet file. Restore it, or open a version that does not use it.',
    });
  }
}

/**
 * The count invariant at the file level: a data file holds exactly `numRecords` rows (its
 * statistic in the log, PROTOCOL.md "Per-file Statistics") when the log has one.
 * @throws DeltaError `DATA_INTEGRITY` naming the file, version, expected and actual counts.
 */
export function checkRowCount(footer: DataFileFooter, f: { path: string; version: number; what?: string; numRecords: number | null }): void {
  if (f.numRecords === null || footer.numRows === f.numRecords) return;
  throw new DeltaError(
    'DATA_INTEGRITY',
    `${f.what ?? 'Data file'} ${f.path} of table version ${f.version} holds ${footer.numRows} rows, but the log's statistics say numRecords = ${f.numRecords}.`,
    {
      path: f.path,
      version: f.version,
      hint: 'The file does not match the Delta log: it may have been rewritten outside Delta. No rows are shown rather than wrong ones.',
    },
  );
}
