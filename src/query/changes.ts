/**
 * Change Data Feed rows in the data plane: a {@link ChangePlan} (from `src/delta/changes.ts`)
 * executed by DuckDB, with the columns Spark's `table_changes` returns: the table's logical columns
 * (schema of the plan's end version), then `_change_type` (VARCHAR), `_commit_version` (BIGINT) and
 * `_commit_timestamp` (TIMESTAMP WITH TIME ZONE).
 *
 * Every read of the plan is one file (a data file or a change data file) with a row filter:
 * - the file's columns become logical columns by the same machinery as a snapshot scan
 *   (`scan-sql.ts`): physical names under column mapping (end schema), typed partition values from the
 *   log (never from folder names), columns missing from the file as typed NULLs, narrower types
 *   widened by CAST, variant columns as their binary struct (decoded to JSON after the query);
 * - the row filter (`all`, `exclude` = the file's deletion vector, `only` = the rows whose deletion
 *   state changed in a DV pair) is applied by `file_row_number`;
 * - `_change_type` is the plan's (`insert` / `delete`) or, for change data files, the file's own
 *   `_change_type` column; `_commit_version` / `_commit_timestamp` are the read's version and
 *   commit time (in-commit timestamp where enabled).
 *
 * Files reach DuckDB through the table's `ObjectStore` via the session's {@link FileRegistry}; a file
 * missing from the store is `FILE_NOT_FOUND` naming it (deletion vector files are loaded, and their
 * absence reported, by `planChanges`). Rows come out ordered by commit version, then the plan's read
 * order, then physical row position.
 */
import * as arrow from 'apache-arrow';
import {
  changeTypeCounts,
  type CdfChangeType,
  type ChangeFileRead,
  type ChangePlan,
  type ChangeTypeCounts,
  type PlanChangesOptions,
} from '../delta/changes.ts';
import { DeltaError, throwIfAborted } from '../delta/errors.ts';
import { parsePartitionValues } from '../delta/schema.ts';
import { quoteIdent, quoteString } from './engine.ts';
import { countIndexes } from './file-registry.ts';
import { nextId, storePath, tableColumns, type ScanColumn } from './scan-plan.ts';
import { groupByPhysicalSchema, logicalColumnSql, type ScanSql, type ScanSqlContext } from './scan-sql.ts';
import { unifyVariantLayouts, type LayoutGroup } from './variant-layouts.ts';
import { canonicalValue, castCanonical, nullOf } from './types.ts';
import { decodeVariantColumns } from './variant.ts';

/** The columns the Change Data Feed adds after the table's columns, with their DuckDB types. */
export const CDF_COLUMNS = [
  { name: '_change_type', duckType: 'VARCHAR' },
  { name: '_commit_version', duckType: 'BIGINT' },
  { name: '_commit_timestamp', duckType: 'TIMESTAMPTZ' },
] as const;

/** The four `_change_type` values, in display order. */
export const CHANGE_TYPES: readonly CdfChangeType[] = ['insert', 'update_preimage', 'update_postimage', 'delete'];

/**
 * A Change Data Feed range as the session API takes it. Each bound is a version or a timestamp
 * (ms since the epoch, or ISO-8601 text: no zone = UTC); the end defaults to the latest version.
 * Timestamps resolve as Spark's `table_changes` does (see `planChanges`): the start is the first
 * commit at or after `fromTimestamp`, the end the last commit at or before `toTimestamp`.
 */
export interface ChangeRange {
  /** First version, inclusive. */
  from?: number;
  /** Last version, inclusive. */
  to?: number;
  /** Start time (instead of `from`). */
  fromTimestamp?: number | string;
  /** End time (instead of `to`). */
  toTimestamp?: number | string;
}

/**
 * The `planChanges` options of a {@link ChangeRange}.
 * @throws DeltaError `INVALID_ARGUMENT` when a bound is given both ways or the start is missing.
 */
export function changeRangeOptions(range: ChangeRange): PlanChangesOptions {
  if (range.from !== undefined && range.fromTimestamp !== undefined) {
    throw new DeltaError('INVALID_ARGUMENT', 'Give the change feed start as a version (from) or a timestamp (fromTimestamp), not both.');
  }
  if (range.to !== undefined && range.toTimestamp !== undefined) {
    throw new DeltaError('INVALID_ARGUMENT', 'Give the change feed end as a version (to) or a timestamp (toTimestamp), not both.');
  }
  if (range.from === undefined && range.fromTimestamp === undefined) {
    throw new DeltaError('INVALID_ARGUMENT', 'The change feed needs a start: a version (from) or a timestamp (fromTimestamp).');
  }
  const o: PlanChangesOptions = {};
  if (range.from !== undefined) o.startVersion = range.from;
  if (range.to !== undefined) o.endVersion = range.to;
  if (range.fromTimestamp !== undefined) o.startTimestamp = range.fromTimestamp;
  if (range.toTimestamp !== undefined) o.endTimestamp = range.toTimestamp;
  return o;
}

/** SQL over a plan's change rows (see {@link buildChangesSql}). */
export interface ChangesSql extends ScanSql {
  /**
   * The same rows without ORDER BY, with two extra columns `__rid` (the read's index in plan order)
   * and `__rn` (the physical row number), for aggregations.
   */
  unorderedSql: string;
  /** `sql` with one more column, `__rid`, last: for the per-read row counts of the count invariant. */
  countedSql: string;
  /** The reads of the plan, indexed by `__rid`. */
  reads: ChangeFileRead[];
}

/** The logical columns of a plan's end schema, as scan columns. */
export function changeColumns(plan: ChangePlan): ScanColumn[] {
  return tableColumns(plan.schema, plan.columnMappingMode, plan.partitionColumns);
}

/**
 * Registers the files of a {@link ChangePlan} with the engine (through the registry's store) and
 * returns SQL producing its change rows: the end schema's columns, then `_change_type`,
 * `_commit_version`, `_commit_timestamp` (see the module comment). Drop `helperTables` when the SQL
 * is no longer used.
 *
 * @throws DeltaError `FILE_NOT_FOUND` naming a missing data or change data file (and the version
 *   reading it); `INVALID_PARTITION_VALUE`; `QUERY_ERROR` (a file DuckDB cannot read, a column type
 *   this reader cannot show); `CANCELLED`.
 */
export async function buildChangesSql(plan: ChangePlan, ctx: ScanSqlContext): Promise<ChangesSql> {
  const { engine, schema } = ctx;
  const cols = changeColumns(plan);
  const reads = plan.versions.flatMap((v) => v.reads);
  const helperTables: string[] = [];
  const outCols = [...cols.map((c) => quoteIdent(c.name)), ...CDF_COLUMNS.map((c) => quoteIdent(c.name))];
  if (!reads.length) {
    const sel = [
      ...cols.map((c) => `${nullOf(c.field.type)} AS ${quoteIdent(c.name)}`),
      ...CDF_COLUMNS.map((c) => `CAST(NULL AS ${c.duckType}) AS ${quoteIdent(c.name)}`),
    ];
    const sql = `SELECT ${sel.join(', ')} WHERE false`;
    return { sql, unorderedSql: `SELECT *, CAST(NULL AS INTEGER) AS __rid, CAST(NULL AS BIGINT) AS __rn FROM (${sql})`, countedSql: `SELECT *, CAST(NULL AS INTEGER) AS __rid FROM (${sql})`, helperTables, reads };
  }

  // Register every file (cdc files labelled as such for FILE_NOT_FOUND), in plan order.
  const paths = reads.map((r) => storePath(r.storePath, ctx.store));
  const names = await ctx.registry.ensureFiles(
    reads.map((r, k) => ({ path: paths[k], version: r.version, what: r.source === 'cdc' ? 'Change data file' : 'Data file', sizeBytes: r.sizeBytes, numRecords: r.numRecords })),
    ctx.signal,
  );
  throwIfAborted(ctx.signal);
  const fileOf = reads.map((_r, k) => names.get(paths[k])!);

  const id = nextId();
  const qualified = (n: string) => `${quoteIdent(schema)}.${quoteIdent(n)}`;
  try {
    // One row per read: file, change type, version, time, filter kind and typed partition values.
    const partCols = cols.filter((c) => c.partition);
    const raw: Record<string, arrow.Vector> = {
      __rid: arrow.vectorFromArray(reads.map((_r, k) => k), new arrow.Int32()),
      __fname: arrow.vectorFromArray(fileOf, new arrow.Utf8()),
      __ct: arrow.vectorFromArray(reads.map((r) => r.changeType), new arrow.Utf8()),
      __v: arrow.vectorFromArray(reads.map((r) => r.version), new arrow.Float64()),
      __ts: arrow.vectorFromArray(reads.map((r) => r.commitTimestampMs), new arrow.Float64()),
      __filter: arrow.vectorFromArray(reads.map((r) => r.rows.kind), new arrow.Utf8()),
    };
    if (partCols.length) {
      const typed = reads.map((r) => parsePartitionValues(r.partitionValues, plan.partitionColumns, { version: r.version, path: r.path }));
      partCols.forEach((c, k) => {
        raw[`__p${k}`] = arrow.vectorFromArray(typed.map((t) => canonicalValue(t[c.name] ?? null)), new arrow.Utf8());
      });
    }
    const rawName = `__cdfraw_${id}`;
    await engine.insertArrow(rawName, new arrow.Table(raw), { schema });
    const readsTable = qualified(`__cdfreads_${id}`);
    helperTables.push(readsTable);
    await engine.query(
      `CREATE TABLE ${readsTable} AS SELECT __rid, __fname, __ct, CAST(__v AS BIGINT) AS __v, CAST(epoch_ms(CAST(__ts AS BIGINT)) AS TIMESTAMPTZ) AS __ts, __filter${partCols
        .map((c, k) => `, ${castCanonical(`__p${k}`, c.field.type)} AS ${quoteIdent(c.name)}`)
        .join('')} FROM ${qualified(rawName)}; DROP TABLE ${qualified(rawName)}`,
    );

    // (read, physical row) pairs of `exclude` / `only` filters.
    let rowsTable: string | undefined;
    const filtered = reads.map((r, k) => [r, k] as const).filter(([r]) => r.rows.kind !== 'all');
    if (filtered.length) {
      const total = filtered.reduce((s, [r]) => s + (r.rows.kind === 'all' ? 0 : r.rows.rows.length), 0);
      const rid = new Int32Array(total);
      const row = new BigInt64Array(total);
      let n = 0;
      for (const [r, k] of filtered) {
        if (r.rows.kind === 'all') continue;
        for (const x of r.rows.rows) {
          rid[n] = k;
          row[n++] = BigInt(x);
        }
      }
      const name = `__cdfrows_${id}`;
      await engine.insertArrow(name, new arrow.Table({ __rid: arrow.makeVector(rid), __row: arrow.makeVector(row) }), { schema });
      rowsTable = qualified(name);
      helperTables.push(rowsTable);
    }

    // One SELECT per physical schema of the files.
    const groups = await groupByPhysicalSchema(engine, fileOf, ctx.registry);
    const selects: string[] = [];
    const logical: LayoutGroup[] = [];
    for (const files of groups) logical.push({ ...(await logicalColumnSql(engine, files[0], cols, plan.columnMappingMode, 'r', ctx.registry)), sampleFile: files[0] });
    // A variant column stored in different layouts by different files: one union type (variant-layouts.ts).
    await unifyVariantLayouts(engine, cols, logical, ctx.registry, plan.columnMappingMode);
    for (const [g, files] of groups.entries()) {
      throwIfAborted(ctx.signal);
      const inGroup = new Set(files);
      const groupReads = reads.filter((_r, k) => inGroup.has(fileOf[k]));
      const { exprs, fields } = logical[g];
      const ctField = fields.find((f) => f.name === '_change_type');
      const changeType = ctField ? `COALESCE(r.__ct, CAST(d.${quoteIdent(ctField.name)} AS VARCHAR))` : 'r.__ct';
      const sel = [
        ...exprs,
        `${changeType} AS "_change_type"`,
        'r.__v AS "_commit_version"',
        'r.__ts AS "_commit_timestamp"',
        'r.__rid AS __rid',
        'd.file_row_number AS __rn',
      ];
      let from = `${ctx.registry.readSql(files, { filename: true, rowNumber: true })} AS d JOIN ${readsTable} AS r ON r.__fname = d.filename`;
      let where = '';
      if (rowsTable && groupReads.some((r) => r.rows.kind !== 'all')) {
        from += ` LEFT JOIN ${rowsTable} AS x ON x.__rid = r.__rid AND x.__row = d.file_row_number`;
        where = ` WHERE r.__filter = 'all' OR (r.__filter = 'exclude' AND x.__rid IS NULL) OR (r.__filter = 'only' AND x.__rid IS NOT NULL)`;
      }
      selects.push(`SELECT ${sel.join(', ')} FROM ${from}${where}`);
    }
    const unorderedSql = selects.join('\nUNION ALL\n');
    const order = `ORDER BY c."_commit_version", c.__rid, c.__rn`;
    const sql = `SELECT ${outCols.join(', ')} FROM (${unorderedSql}) AS c ${order}`;
    const countedSql = `SELECT ${outCols.join(', ')}, c.__rid FROM (${unorderedSql}) AS c ${order}`;
    return { sql, unorderedSql, countedSql, helperTables, reads };
  } catch (e) {
    for (const t of helperTables) await engine.query(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
    await engine.query(`DROP TABLE IF EXISTS ${qualified(`__cdfraw_${id}`)}`).catch(() => undefined);
    throw e;
  }
}

/**
 * Executes a plan and returns its change rows as an Arrow table (variant columns as JSON text),
 * ordered by commit version, read and row position. Helper tables are dropped afterwards; the
 * files stay registered with the registry.
 * @throws DeltaError as {@link buildChangesSql}, `QUERY_ERROR`.
 */
export async function readChanges(plan: ChangePlan, ctx: ScanSqlContext): Promise<arrow.Table> {
  const built = await buildChangesSql(plan, ctx);
  try {
    const result = await ctx.engine.query(built.countedSql, { signal: ctx.signal });
    checkChangeCounts(built.reads, result.getChild('__rid')!);
    return decodeVariantColumns(result.select(result.schema.fields.map((f) => f.name).filter((n) => n !== '__rid')));
  } finally {
    for (const t of built.helperTables) await ctx.engine.query(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
  }
}

/**
 * The count invariant for the Change Data Feed (issue #11): every read (a `cdc` file, or an
 * `add`/`remove` with its deletion-vector filter) yields exactly its `estimatedRows` (numRecords
 * less deleted rows, or the rows a DV change names) when the log tells it.
 * @param rids the `__rid` column of the change rows.
 * @throws DeltaError `DATA_INTEGRITY` naming the file, version, expected and actual counts.
 */
export function checkChangeCounts(reads: ChangeFileRead[], rids: arrow.Vector): void {
  const counts = countIndexes(rids, reads.length);
  reads.forEach((r, k) => {
    if (r.estimatedRows === null || counts[k] === r.estimatedRows) return;
    throw new DeltaError(
      'DATA_INTEGRITY',
      `${r.source === 'cdc' ? 'Change data file' : 'Data file'} ${r.path} of table version ${r.version}: ${counts[k]} change rows were read where the log says ${r.estimatedRows}.`,
      { path: r.path, version: r.version, hint: 'No change rows are shown rather than wrong ones. The file may be damaged or rewritten outside Delta.' },
    );
  });
}

/** One version of a change feed summary: the plan's counts plus the rows DuckDB counted. */
export interface ChangeVersionSummary extends ChangeTypeCounts {
  /** `commitInfo.operation`, when present. */
  operation: string | null;
  /** Rows per `_change_type` value, counted from the data (every type listed, 0 when none). */
  rows: Record<CdfChangeType, number>;
  /**
   * Rows with a `_change_type` other than the four standard ones (a change data file written with
   * an unknown or null type), by value (`null` as `"null"`); usually empty.
   */
  otherRows: Record<string, number>;
  /** All rows of the version. */
  totalRows: number;
}

/**
 * Per-version summary of a plan for charts: {@link changeTypeCounts} (files and estimated rows from
 * the log) plus the actual number of rows per `_change_type`, counted by DuckDB with a GROUP BY over
 * the change rows (so change data files, whose types are only in the data, are counted too).
 * Versions without changes are included with zero counts.
 * @throws DeltaError as {@link buildChangesSql}, `QUERY_ERROR`.
 */
export async function summarizeChanges(plan: ChangePlan, ctx: ScanSqlContext): Promise<ChangeVersionSummary[]> {
  const counts = new Map<number, Map<string, number>>();
  if (plan.numReads > 0) {
    const built = await buildChangesSql(plan, ctx);
    try {
      const res = await ctx.engine.query(
        `SELECT "_commit_version" AS v, "_change_type" AS ct, count(*) AS n FROM (${built.unorderedSql}) AS c GROUP BY ALL`,
      );
      const v = res.getChild('v')!;
      const ct = res.getChild('ct')!;
      const n = res.getChild('n')!;
      for (let i = 0; i < res.numRows; i++) {
        const version = Number(v.get(i));
        let m = counts.get(version);
        if (!m) counts.set(version, (m = new Map()));
        const key = ct.get(i) === null ? 'null' : String(ct.get(i));
        m.set(key, (m.get(key) ?? 0) + Number(n.get(i)));
      }
    } finally {
      for (const t of built.helperTables) await ctx.engine.query(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
    }
  }
  const ops = new Map(plan.versions.map((v) => [v.version, v.operation]));
  return changeTypeCounts(plan).map((c) => {
    const m = counts.get(c.version) ?? new Map<string, number>();
    const rows = Object.fromEntries(CHANGE_TYPES.map((t) => [t, m.get(t) ?? 0])) as Record<CdfChangeType, number>;
    const otherRows: Record<string, number> = {};
    let totalRows = 0;
    for (const [k, n] of m) {
      totalRows += n;
      if (!(CHANGE_TYPES as readonly string[]).includes(k)) otherRows[k] = n;
    }
    return { ...c, operation: ops.get(c.version) ?? null, rows, otherRows, totalRows };
  });
}
