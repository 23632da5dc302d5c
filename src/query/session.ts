/**
 * `QuerySession`: SQL over one Delta table, any snapshot, with DuckDB-WASM.
 *
 * ## Table names inside SQL
 *
 * | name | contents |
 * |-|-|
 * | `t` | the session's snapshot (the latest version when the session opened, or the one given) |
 * | `"t@v3"` (also `"t@3"`) | version 3 |
 * | `"t@2024-01-01T00:00:00Z"` | the version current at that time (ISO-8601; no zone = UTC; `YYYY-MM-DD` = midnight UTC) |
 * | `"t$history"` | one row per retained commit, newest first: `version, timestamp, user_id, user_name, operation, operation_parameters, cluster_id, read_version, isolation_level, is_blind_append, operation_metrics` (Trino's Delta connector columns) |
 * | `"t$properties"` | `key, value`: table properties, plus `delta.minReaderVersion`, `delta.minWriterVersion` and `delta.feature.<name> = supported` |
 * | `"t$files"` | one row per active file: `path, partition_values, size_bytes, modification_time, num_records, deleted_records, has_deletion_vector, stats` |
 * | `"t$rows"` (also `"t@v3$rows"`) | the table's rows (as `t`) plus `_metadata STRUCT(row_id BIGINT, row_commit_version BIGINT, row_index BIGINT)`: Spark's `_metadata.row_id` / `_metadata.row_commit_version` (PROTOCOL.md "Row Tracking", see `row-tracking.ts`) and the row's physical index in its file; only where row tracking is enabled, else `QUERY_ERROR`; pruned like `t` (see Pruning) |
 * | `"t$partitions"` | one row per partition: the partition columns (typed), `file_count, total_size_bytes, record_count` (live rows: numRecords minus deleted; NULL when a file lacks stats), `deleted_record_count` |
 * | `"t@v3$files"` etc. | the metadata tables of another version (`$history` then stops at that version) |
 * | `table_changes(2, 4)` | Change Data Feed rows of versions 2..4 (`table_changes(2)`: 2..latest): the table's columns (schema of the end version), then `_change_type`, `_commit_version` (BIGINT), `_commit_timestamp` (TIMESTAMPTZ), as Spark's `table_changes` (see `changes.ts`) |
 * | `table_changes('2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z')` | the same for the commits from the first at or after the start time to the last at or before the end time (versions and times can be mixed) |
 *
 * Quoted names are needed because `@` and `$` are not identifier characters in SQL. Matching is
 * case-insensitive like DuckDB's. Example: `SELECT count(*) FROM "t@v0" EXCEPT SELECT count(*) FROM t`.
 *
 * ## Pruning
 *
 * A query of the simple shape `SELECT <cols or *> FROM t [WHERE p] [LIMIT n]` (one SELECT, no join;
 * also over `"t@v3"`, `"t$rows"`, `"t@v3$rows"`) reads only the files its predicate and limit need
 * (see `scan-plan.ts`); any other query reads every file of the snapshots it names. For `"t$rows"`
 * a conjunct on `_metadata` prunes nothing (it binds to no partition column or statistic) and the
 * row IDs of the files kept are those of the whole-table read: `baseRowId` + physical row index
 * (or the materialized value) per file, independent of which other files are read. {@link QuerySession.scan} gives the same pruning without SQL.
 * A bare `SELECT count(*) [AS n] FROM t` (or `"t@v3"`) on a snapshot whose files all have
 * `numRecords` statistics and no deletion vectors is answered from the log (the files are still
 * located and registered, so a missing file still fails with `FILE_NOT_FOUND`).
 */
import * as arrow from 'apache-arrow';
import { planChanges, type ChangePlan } from '../delta/changes.ts';
import { DeltaError } from '../delta/errors.ts';
import type { Snapshot } from '../delta/snapshot.ts';
import type { ObjectStore } from '../delta/storage/object-store.ts';
import { DeltaTable } from '../delta/table.ts';
import { buildChangesSql, changeRangeOptions, readChanges, summarizeChanges, type ChangeRange, type ChangeVersionSummary } from './changes.ts';
import { checkFileCounts, checkPlainRowCount, countByFile, countFromLog } from './count-checks.ts';
import { quoteIdent, quoteString, withEngineLock, type SqlEngine } from './engine.ts';
import { NamingFileRegistry } from './file-errors.ts';
import type { FileAccess } from './file-registry.ts';
import { createFilesTable, createHistoryTable, createPartitionsTable, createPropertiesTable } from './meta-tables.ts';
import { rowTrackingColumns } from './row-tracking.ts';
import { planScan, type ScanOptions, type ScanPlan } from './scan-plan.ts';
import { buildScanSql } from './scan-sql.ts';
import { analyzeSimpleQuery } from './sql-text.ts';
import { rewriteTableRefs, type TableRef } from './table-refs.ts';
import { decodeVariantColumns } from './variant.ts';

/**
 * Replaces the built-in Change Data Feed reader behind `table_changes(a, b)` (for tests or another
 * executor). Each bound arrives as a version or a timestamp (the SQL argument: a number is a
 * version, a string a timestamp); the end is absent for "up to the latest". The Arrow table should
 * hold the table's columns plus `_change_type`, `_commit_version`, `_commit_timestamp`. Errors
 * should be `DeltaError`s (`CDF_NOT_ENABLED`, `VERSION_NOT_FOUND`, ...).
 */
export type TableChangesProvider = (request: {
  table: DeltaTable;
  engine: SqlEngine;
  startVersion?: number;
  endVersion?: number;
  startTimestamp?: string;
  endTimestamp?: string;
  signal?: AbortSignal;
}) => Promise<arrow.Table>;

/** Options of {@link QuerySession.open}. */
export interface QuerySessionOptions {
  /** The engine to run on (shared by sessions; see `engine.ts`). */
  engine: SqlEngine;
  /** The snapshot named `t` (default: the latest, loaded when the session opens). */
  snapshot?: Snapshot;
  /** How data bytes reach DuckDB (default `'buffer'`: through `store.get`). */
  fileAccess?: FileAccess;
  /** Replaces the built-in reader of `table_changes(a, b)` (default: `changes.ts` on this engine). */
  tableChanges?: TableChangesProvider;
  /** Parallel file reads (default 8). */
  concurrency?: number;
}

/** Options of {@link QuerySession.sql}. */
export interface SqlOptions {
  signal?: AbortSignal;
}

/** State of a data view, to know when it must be rebuilt. */
interface ViewState {
  key: string;
  helperTables: string[];
}

let sessionCounter = 0;

/** DuckDB errors that mean "this parquet file could not be decoded" (worth a fallback decoder). */
const DECODE_ERROR = /decompress|compression codec|encoding is only supported|Invalid Error|Corrupt|parquet|Thrift|page/i;

/**
 * SQL over one table. Create with {@link QuerySession.open}; {@link QuerySession.close} when done
 * (drops its views, helper tables and registered files). Calls on one engine are serialized.
 */
export class QuerySession {
  /** The DuckDB schema holding this session's views (`t`, `"t@v3"`, …) and helper tables. */
  readonly schemaName: string;
  private readonly registry: NamingFileRegistry;
  private readonly views = new Map<string, ViewState>();
  private readonly metaDone = new Set<string>();
  /** `table_changes(...)` argument text → the name of its view/table in the session schema. */
  private readonly changeNames = new Map<string, string>();
  private closed = false;
  /** The engine generation the session's schema, views and tables were built in (see `SqlEngine.generation`). */
  private generation: number;
  /** Plans of the data views built by the last {@link sql} or {@link scan} call (for "read 3 of 40 files"). */
  lastPlans: ScanPlan[] = [];
  /**
   * Change Data Feed plans used by the last {@link sql} (one per `table_changes`), {@link changes}
   * or {@link changeSummary} call (for "read 12 files of versions 3–7"). Empty with a custom provider.
   */
  lastChangePlans: ChangePlan[] = [];

  private constructor(
    readonly table: DeltaTable,
    readonly engine: SqlEngine,
    /** The snapshot named `t`. */
    readonly snapshot: Snapshot,
    private readonly options: QuerySessionOptions,
  ) {
    const id = ++sessionCounter;
    this.schemaName = `dx_s${id}`;
    this.registry = new NamingFileRegistry(engine, table.store, `dx${id}`, options.fileAccess ?? 'buffer', options.concurrency ?? 8);
    this.generation = engine.generation ?? 0;
  }

  /**
   * Opens a session over a table (a {@link DeltaTable} or a store rooted at one).
   * @throws DeltaError from loading the snapshot (`NOT_A_TABLE`, …); the snapshot may need reader
   *   features this reader lacks: metadata tables still work, data reads then fail with
   *   `UNSUPPORTED_READER_FEATURE`.
   */
  static async open(source: DeltaTable | ObjectStore, options: QuerySessionOptions): Promise<QuerySession> {
    const table = source instanceof DeltaTable ? source : new DeltaTable(source);
    const snapshot = options.snapshot ?? (await table.latestSnapshot());
    // Pruning, counts from stats and the row-count checks read the stats: a lazily loaded snapshot
    // gets them now (they are filled in place, so the cached snapshot has them too).
    await snapshot.loadStats();
    const s = new QuerySession(table, options.engine, snapshot, options);
    await options.engine.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(s.schemaName)}`);
    return s;
  }

  /** Bytes of data files read through `store.get` so far (buffer access). */
  get bytesRead(): number {
    return this.registry.bytesRead;
  }

  private live(): void {
    if (this.closed) throw new DeltaError('QUERY_ERROR', 'The query session is closed.');
  }

  /**
   * After the engine was restarted (a WebAssembly trap), its schemas, views, tables and files are
   * gone: forget what this session built and create its schema again, so the next call rebuilds
   * what it needs instead of failing on missing objects.
   */
  private async syncGeneration(): Promise<void> {
    const g = this.engine.generation ?? 0;
    if (g === this.generation) return;
    this.generation = g;
    this.views.clear();
    this.metaDone.clear();
    this.changeNames.clear();
    await this.engine.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schemaName)}`);
  }

  /**
   * Runs SQL (DuckDB dialect) in which the table names of the module comment are available, and
   * returns the result with variant columns shown as JSON text.
   *
   * @throws DeltaError `QUERY_ERROR` (DuckDB's message), `FILE_NOT_FOUND` (a data, change data or
   *   DV file, named), `UNSUPPORTED_READER_FEATURE`, `VERSION_NOT_FOUND` / `TIMESTAMP_OUT_OF_RANGE`
   *   (bad `t@…` or `table_changes` bound), `CDF_NOT_ENABLED` / `CDF_INCOMPATIBLE_SCHEMA` /
   *   `INVALID_ARGUMENT` / `MISSING_COMMIT` (`table_changes`, see {@link changes}), `CANCELLED`.
   */
  sql(query: string, options: SqlOptions = {}): Promise<arrow.Table> {
    this.live();
    return withEngineLock(this.engine, () => this.rerouting(options.signal, async () => {
      await this.syncGeneration();
      this.lastChangePlans = [];
      await this.registry.refreshUrls(options.signal);
      const { sql, refs } = await this.rewriteChanges(query, options.signal);
      const simple = analyzeSimpleQuery(sql);
      this.lastPlans = [];
      for (const ref of refs) {
        if (ref.meta && ref.meta !== 'rows') {
          await this.ensureMeta(ref, options.signal);
          continue;
        }
        // Data views (`t`, `"t@v3"`, `"t$rows"`): pruned by the simple query's predicate and limit.
        // Pruning drops whole files only; `"t$rows"` computes each kept file's row IDs from its
        // own baseRowId and physical row index, so no surviving row's _metadata changes.
        const useSimple = simple && simple.table.toLowerCase() === ref.name.toLowerCase();
        await this.ensureDataView(ref, useSimple ? { where: simple.where, limit: simple.limit } : {}, options.signal, ref.meta === 'rows');
      }
      const counted = countFromLog(sql, refs, this.lastPlans);
      if (counted) return this.engine.query(`SELECT CAST(${counted.rows} AS BIGINT) AS ${quoteIdent(counted.column)}`);
      await this.engine.query(`SET search_path = ${quoteString(`${this.schemaName},main`)}`);
      const result = await this.engine.query(sql, { signal: options.signal });
      checkPlainRowCount(simple, refs, result.numRows, this.lastPlans);
      return decodeVariantColumns(result);
    })).catch(this.nameFile);
  }

  /**
   * Reads the table (the session's snapshot, or `version` / `timestamp`) with pruning, without
   * writing SQL: `columns` (logical names), `where` (a SQL predicate), `limit`.
   * @throws DeltaError as {@link sql}.
   */
  scan(options: ScanOptions & { version?: number; timestamp?: number | string } = {}): Promise<arrow.Table> {
    this.live();
    return withEngineLock(this.engine, () => this.rerouting(options.signal, async () => {
      await this.syncGeneration();
      await this.registry.refreshUrls(options.signal);
      const snap = await this.snapshotAt(options.version, options.timestamp, options.signal);
      // A predicate may name columns that are not selected: read every column, then project.
      const project = options.columns && options.where ? options.columns : undefined;
      const plan = await planScan(snap, project ? { ...options, columns: undefined } : options, { engine: this.engine, scratchSchema: this.schemaName, store: this.table.store });
      const selected = project?.map((n) => {
        const c = plan.columns.find((x) => x.name === n) ?? plan.columns.find((x) => x.name.toLowerCase() === n.toLowerCase());
        if (!c) throw new DeltaError('QUERY_ERROR', `Column "${n}" is not in the table schema (columns: ${plan.columns.map((x) => x.name).join(', ')}).`);
        return c.name;
      });
      this.lastPlans = [plan];
      const built = await buildScanSql(plan, { ...this.sqlContext(options.signal), fileColumn: true });
      try {
        const cols = selected ? selected.map(quoteIdent).join(', ') : plan.columns.length ? plan.columns.map((c) => quoteIdent(c.name)).join(', ') : '__row';
        let sql = `SELECT ${cols}, __dx_file FROM (${built.sql}) AS t`;
        if (plan.where) sql += ` WHERE ${plan.where}`;
        if (plan.limit !== undefined) sql += ` LIMIT ${plan.limit}`;
        const result = await this.engine.query(sql, { signal: options.signal });
        // The count invariant, per file, from the same pass: rows read from each file.
        checkFileCounts(plan, countByFile(result.getChild('__dx_file')!, built.fileNames ?? []), (path) => this.registry.nameOf(path));
        return decodeVariantColumns(result.select(result.schema.fields.map((f) => f.name).filter((n) => n !== '__dx_file')));
      } finally {
        await this.dropTables(built.helperTables);
      }
    })).catch(this.nameFile);
  }

  /**
   * The Change Data Feed of a range (`{from, to}` versions and/or `{fromTimestamp, toTimestamp}`;
   * no end = the latest version) as an Arrow table: the end version's columns, then `_change_type`,
   * `_commit_version`, `_commit_timestamp`, ordered by version (see `changes.ts`). Always uses the
   * built-in reader (not {@link QuerySessionOptions.tableChanges}).
   *
   * @throws DeltaError `CDF_NOT_ENABLED` (naming the versions), `CDF_INCOMPATIBLE_SCHEMA`,
   *   `UNSUPPORTED_READER_FEATURE`, `VERSION_NOT_FOUND`, `TIMESTAMP_OUT_OF_RANGE`,
   *   `INVALID_ARGUMENT`, `MISSING_COMMIT`, `FILE_NOT_FOUND` (a data, change data or deletion vector
   *   file, named), `CORRUPT_DELETION_VECTOR`, `QUERY_ERROR`, `CANCELLED`.
   */
  changes(range: ChangeRange, options: SqlOptions = {}): Promise<arrow.Table> {
    this.live();
    return withEngineLock(this.engine, () => this.rerouting(options.signal, async () => {
      await this.syncGeneration();
      await this.registry.refreshUrls(options.signal);
      const plan = await this.planChanges(range, options.signal);
      this.lastChangePlans = [plan];
      return readChanges(plan, this.sqlContext(options.signal));
    })).catch(this.nameFile);
  }

  /**
   * Per-version summary of a range's Change Data Feed for a chart: the plan's `changeTypeCounts`
   * (files and estimated rows per kind) plus the rows per `_change_type` counted by DuckDB.
   * @throws DeltaError as {@link changes}.
   */
  changeSummary(range: ChangeRange, options: SqlOptions = {}): Promise<ChangeVersionSummary[]> {
    this.live();
    return withEngineLock(this.engine, () => this.rerouting(options.signal, async () => {
      await this.syncGeneration();
      await this.registry.refreshUrls(options.signal);
      const plan = await this.planChanges(range, options.signal);
      this.lastChangePlans = [plan];
      return summarizeChanges(plan, this.sqlContext(options.signal));
    })).catch(this.nameFile);
  }

  /** Plans a change feed range on this table (history reused for timestamp bounds). */
  private async planChanges(range: ChangeRange, signal?: AbortSignal): Promise<ChangePlan> {
    const opts = changeRangeOptions(range);
    const byTime = opts.startTimestamp !== undefined || opts.endTimestamp !== undefined;
    const history = byTime ? await this.table.history({ signal }) : undefined;
    return planChanges(this.table.store, { ...opts, history, concurrency: this.options.concurrency, signal });
  }

  /**
   * The snapshot for a version or timestamp (the session's own when both are undefined), through
   * the table's snapshot cache (`DeltaTable`).
   * @throws DeltaError `VERSION_NOT_FOUND`, `TIMESTAMP_OUT_OF_RANGE`, `INVALID_ARGUMENT`.
   */
  async snapshotAt(version?: number, timestamp?: number | string, signal?: AbortSignal): Promise<Snapshot> {
    let v = version;
    if (v === undefined && timestamp !== undefined) v = await this.table.versionAt(timestamp, signal);
    if (v === undefined || v === this.snapshot.version) return this.snapshot;
    return this.table.snapshot({ version: v }, { allowUnsupported: true, signal });
  }

  /**
   * Runs `fn`; when DuckDB fails on a data file the footer rules did not route (a class the
   * differential matrix did not meet), that file is decoded by the fallback decoder and `fn` runs
   * again (at most 3 files), so an engine error on a readable file ends in exact rows, not an error
   * and never a short result. Errors on other grounds are rethrown unchanged.
   */
  private async rerouting<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (attempt >= 3 || !(e instanceof DeltaError) || e.code !== 'QUERY_ERROR' || !DECODE_ERROR.test(e.message)) throw e;
        const name = this.registry.failedFile(e) ?? (await this.findUnreadableFile(signal));
        if (!name) throw e;
        await this.registry.reroute(name, `DuckDB 0.9.1 failed to read it: ${e.message.slice(0, 200)}`, signal);
        // Views built over the file's read_parquet are stale now.
        this.views.clear();
        this.changeNames.clear();
      }
    }
  }

  /** The first file of the last plans DuckDB cannot read on its own (each read whole), if any. */
  private async findUnreadableFile(signal?: AbortSignal): Promise<string | undefined> {
    const paths = [...this.lastPlans.flatMap((p) => p.files.map((f) => f.path)), ...this.lastChangePlans.flatMap((p) => p.versions.flatMap((v) => v.reads.map((r) => r.path)))];
    for (const path of new Set(paths)) {
      const name = this.registry.nameOf(path);
      if (!name || this.registry.isDecoded(name)) continue;
      try {
        await this.engine.query(`SELECT * FROM read_parquet(${quoteString(name)}, hive_partitioning=false)`, { signal });
      } catch (e) {
        if (e instanceof DeltaError && e.code === 'QUERY_ERROR') return name;
        throw e;
      }
    }
    return undefined;
  }

  /** Rethrows an error with the data file and version named where DuckDB named only its registered file. */
  private readonly nameFile = (e: unknown): never => {
    throw this.registry.explain(e);
  };

  /** Drops the session's views, helper tables and registered files. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await withEngineLock(this.engine, async () => {
      await this.engine.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.schemaName)} CASCADE`).catch(() => undefined);
      await this.engine.query(`SET search_path = 'main'`).catch(() => undefined);
      await this.registry.dropAll();
    });
  }

  // -------------------------------------------------------------------------------------------

  private metaContext() {
    return { engine: this.engine, schema: this.schemaName };
  }

  private sqlContext(signal?: AbortSignal) {
    return { engine: this.engine, store: this.table.store, registry: this.registry, schema: this.schemaName, signal, concurrency: this.options.concurrency };
  }

  private qualified(name: string): string {
    return `${quoteIdent(this.schemaName)}.${quoteIdent(name)}`;
  }

  private async dropTables(names: string[]): Promise<void> {
    for (const t of names) await this.engine.query(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
  }

  /** Resolves `at` (`v3`, `3`, or a timestamp) to a snapshot. */
  private async snapshotForRef(at: string | undefined, signal?: AbortSignal): Promise<Snapshot> {
    if (at === undefined) return this.snapshot;
    const m = /^v?(\d{1,8})$/i.exec(at.trim());
    if (m) {
      const v = Number(m[1]);
      try {
        return await this.snapshotAt(v, undefined, signal);
      } catch (e) {
        if (e instanceof DeltaError) throw e;
        throw new DeltaError('VERSION_NOT_FOUND', `Version ${v} of the table cannot be loaded.`, { version: v, cause: e });
      }
    }
    return this.snapshotAt(undefined, at.trim(), signal);
  }

  /** Finds table references and rewrites `table_changes(a, b)` into the name of a relation built for it. */
  private rewriteChanges(query: string, signal?: AbortSignal): Promise<{ sql: string; refs: TableRef[] }> {
    return rewriteTableRefs(query, async (args) => {
      const key = JSON.stringify(args);
      let name = this.changeNames.get(key);
      if (!name) this.changeNames.set(key, (name = `t$changes_${this.changeNames.size + 1}`));
      await this.ensureChanges(name, args[0], args[1], signal);
      return name;
    });
  }

  /**
   * Creates the relation `name` for `table_changes(start, end)`: a number is a version, a string a
   * timestamp. Built in: a view over the change rows (kept while both bounds are versions, since
   * those never change; rebuilt on each query otherwise). With a provider: a table of its rows.
   */
  private async ensureChanges(name: string, start: number | string, end: number | string | undefined, signal?: AbortSignal): Promise<void> {
    const range: ChangeRange = {};
    if (typeof start === 'number') range.from = start;
    else range.fromTimestamp = start;
    if (typeof end === 'number') range.to = end;
    else if (end !== undefined) range.toTimestamp = end;
    const provider = this.options.tableChanges;
    if (provider) {
      const rows = await provider({
        table: this.table,
        engine: this.engine,
        startVersion: range.from,
        endVersion: range.to,
        startTimestamp: range.fromTimestamp as string | undefined,
        endTimestamp: range.toTimestamp as string | undefined,
        signal,
      });
      await this.engine.query(`DROP TABLE IF EXISTS ${this.qualified(name)}`);
      await this.engine.insertArrow(name, rows, { schema: this.schemaName });
      return;
    }
    const fixed = typeof start === 'number' && typeof end === 'number';
    const prev = this.views.get(name) as (ViewState & { changePlan?: ChangePlan }) | undefined;
    if (prev && fixed && prev.changePlan) {
      this.lastChangePlans.push(prev.changePlan);
      return;
    }
    const plan = await this.planChanges(range, signal);
    const built = await buildChangesSql(plan, this.sqlContext(signal));
    try {
      await this.engine.query(`CREATE OR REPLACE VIEW ${this.qualified(name)} AS ${built.sql}`);
    } catch (e) {
      await this.dropTables(built.helperTables);
      throw e;
    }
    if (prev) await this.dropTables(prev.helperTables);
    this.views.set(name, { key: name, helperTables: built.helperTables, changePlan: plan } as ViewState);
    this.lastChangePlans.push(plan);
  }

  /**
   * Creates or updates the view for a data reference, pruned for `opts` when given; with
   * `rowTracking` (`"t$rows"`), the rows carry a `_metadata` struct of row IDs and row commit
   * versions (see `row-tracking.ts`; refused when the version does not enable row tracking).
   */
  private async ensureDataView(ref: TableRef, opts: { where?: string; limit?: number }, signal?: AbortSignal, rowTracking = false): Promise<void> {
    const snap = await this.snapshotForRef(ref.at, signal);
    const rt = rowTracking ? rowTrackingColumns(snap) : undefined;
    const key = `${snap.version}\u0000${opts.where ?? ''}\u0000${opts.limit ?? ''}`;
    const prev = this.views.get(ref.name);
    if (prev && prev.key === key) {
      const plan = (prev as ViewState & { plan?: ScanPlan }).plan;
      if (plan) this.lastPlans.push(plan);
      return;
    }
    const plan = await planScan(snap, { ...opts, signal }, { engine: this.engine, scratchSchema: this.schemaName, store: this.table.store });
    const built = await buildScanSql(plan, { ...this.sqlContext(signal), rowTracking: rt });
    await this.engine.query(`CREATE OR REPLACE VIEW ${this.qualified(ref.name)} AS ${built.sql}`);
    if (prev) await this.dropTables(prev.helperTables);
    this.views.set(ref.name, { key, helperTables: built.helperTables, plan } as ViewState);
    this.lastPlans.push(plan);
  }

  /** Creates a metadata table (once per name). */
  private async ensureMeta(ref: TableRef, signal?: AbortSignal): Promise<void> {
    if (this.metaDone.has(ref.name)) return;
    const snap = await this.snapshotForRef(ref.at, signal);
    const target = this.qualified(ref.name);
    switch (ref.meta) {
      case 'history': {
        const all = await this.table.history({ signal });
        await createHistoryTable(this.metaContext(), target, all.filter((h) => h.version <= snap.version));
        break;
      }
      case 'properties':
        await createPropertiesTable(this.metaContext(), target, snap);
        break;
      case 'files':
        await createFilesTable(this.metaContext(), target, snap);
        break;
      case 'partitions':
        await createPartitionsTable(this.metaContext(), target, snap);
        break;
    }
    this.metaDone.add(ref.name);
  }
}
