/**
 * The SQL text of a scan: from a {@link ScanPlan} (see `scan-plan.ts`) and the files registered in
 * a {@link FileRegistry} (see `file-registry.ts`), a DuckDB SELECT that yields the table's logical
 * rows: physical → logical column names (Column Mapping), partition values from the log as typed
 * constants, missing columns as NULL, narrower types CAST (Type Widening), deletion vectors as an
 * anti-join on `file_row_number`.
 */
import * as arrow from 'apache-arrow';
import { loadDeletionVector } from '../delta/deletion-vectors.ts';
import { DeltaError, throwIfAborted } from '../delta/errors.ts';
import type { ColumnMappingMode, DataType, PartitionValue } from '../delta/schema.ts';
import { mapLimit } from '../delta/snapshot.ts';
import type { ObjectStore } from '../delta/storage/object-store.ts';
import { quoteIdent, quoteString, type SqlEngine } from './engine.ts';
import { FileRegistry } from './file-registry.ts';
import { checkRowTrackingFields, type RowTrackingColumns } from './row-tracking.ts';
import { unifyVariantLayouts, type LayoutGroup } from './variant-layouts.ts';
import { nextId, type PlannedFile, type ScanColumn, type ScanPlan } from './scan-plan.ts';
import { canonicalValue, castCanonical, convertExpr, duckType, nullOf } from './types.ts';

/** Where {@link buildScanSql} registers files and helper tables. */
export interface ScanSqlContext {
  engine: SqlEngine;
  store: ObjectStore;
  registry: FileRegistry;
  /** DuckDB schema for helper tables (partition values, deletion vectors); must exist. */
  schema: string;
  signal?: AbortSignal;
  /** Parallel DV loads (default 8). */
  concurrency?: number;
  /**
   * Most `read_parquet` branches with partition values written as constants (default
   * {@link MAX_CONSTANT_BRANCHES}); beyond it, or with 0, partition values are joined per row from
   * a helper table (same rows, slower).
   */
  maxConstantBranches?: number;
  /**
   * Add a column `__dx_file` (INTEGER) holding each row's file as an index into
   * {@link ScanSql.fileNames} (the registered name), for the
   * per-file row counts of the count invariant (see `QuerySession.scan`). Default false.
   */
  fileColumn?: boolean;
  /**
   * Add a last column `_metadata` STRUCT(row_id BIGINT, row_commit_version BIGINT, row_index
   * BIGINT) computed as `row-tracking.ts` describes (materialized columns of these physical names
   * when a file has them and the value is not NULL, else `baseRowId` + `file_row_number` and
   * `defaultRowCommitVersion`). The caller checks that Row Tracking is enabled; every file must
   * have both fields ({@link checkRowTrackingFields}). Default: no such column.
   */
  rowTracking?: RowTrackingColumns;
}

/** SQL for a plan plus the helper tables it needs. */
export interface ScanSql {
  /** A SELECT producing the plan's columns (logical names, logical types), without WHERE/LIMIT. */
  sql: string;
  /** Helper tables created for this SQL (qualified names); drop them when the SQL is no longer used. */
  helperTables: string[];
  /** With `fileColumn`: the registered file name of each `__dx_file` value (index 0 unused). */
  fileNames?: string[];
}

/** A parquet_schema row, for grouping files by physical layout. */
type SchemaRow = string;

/**
 * Registers the plan's files (and DVs) with the engine and returns SQL that reads them as the
 * table's logical rows: a UNION ALL with one `read_parquet` call per group of files with the same
 * Parquet schema and, when partition columns are selected, the same partition values, which the
 * branch selects as typed constants (DuckDB folds filters on them and never joins per row). With
 * more than {@link ScanSqlContext.maxConstantBranches} such groups, or a partition value longer than
 * {@link MAX_CONSTANT_CHARS}, files are grouped by schema only and partition values are joined
 * from a helper table by file name. Rows of files with deletion vectors are removed with an anti
 * join on (file name, `file_row_number`).
 *
 * @throws DeltaError `FILE_NOT_FOUND` (data file or DV file, named), `CORRUPT_DELETION_VECTOR`,
 *   `QUERY_ERROR` (a file DuckDB cannot read), `CANCELLED`.
 */
export async function buildScanSql(plan: ScanPlan, ctx: ScanSqlContext): Promise<ScanSql> {
  const { engine, schema } = ctx;
  const cols = plan.columns;
  const helperTables: string[] = [];
  const fileCol = ctx.fileColumn ? ', CAST(NULL AS INTEGER) AS __dx_file' : '';
  const fileNames: string[] = [''];
  const rt = ctx.rowTracking;
  const metaCol = rt ? `, ${ROW_METADATA_NULL} AS _metadata` : '';
  if (!plan.files.length) {
    const sel = cols.length ? cols.map((c) => `${nullOf(c.field.type)} AS ${quoteIdent(c.name)}`).join(', ') : 'NULL AS __row';
    return { sql: `SELECT ${sel}${metaCol}${fileCol} WHERE false`, helperTables };
  }
  if (rt) checkRowTrackingFields(plan.files, plan.version);
  const names = await ctx.registry.ensureFiles(
    plan.files.map((f) => ({ path: f.path, version: plan.version, sizeBytes: f.sizeBytes, numRecords: f.numRecords })),
    ctx.signal,
  );
  throwIfAborted(ctx.signal);

  // Deletion vectors.
  const withDv = plan.files.filter((f) => f.deletionVector);
  const dvRows = await mapLimit(withDv, ctx.concurrency ?? 8, (f) =>
    loadDeletionVector(ctx.store, f.deletionVector!, { dataFile: f.path, version: plan.version, signal: ctx.signal }),
  );
  withDv.forEach((f, j) => checkDeletionVectorRows(f.path, plan.version, dvRows[j], ctx.registry.footers.get(names.get(f.path)!)?.numRows ?? f.numRecords));
  let dvTable: string | undefined;
  const id = nextId();
  if (withDv.length) {
    const total = dvRows.reduce((s, r) => s + r.length, 0);
    const fname: string[] = new Array(total);
    const rows = new BigInt64Array(total);
    let k = 0;
    withDv.forEach((f, j) => {
      const nm = names.get(f.path)!;
      for (const r of dvRows[j]) {
        fname[k] = nm;
        rows[k++] = BigInt(r);
      }
    });
    const name = `__dv_${id}`;
    await engine.insertArrow(name, new arrow.Table({ __fname: arrow.vectorFromArray(fname, new arrow.Utf8()), __row: arrow.makeVector(rows) }), { schema });
    dvTable = `${quoteIdent(schema)}.${quoteIdent(name)}`;
    helperTables.push(dvTable);
  }

  // Group files by physical schema, then (with partition columns selected) by partition values.
  const partCols = cols.filter((c) => c.partition);
  const byName = new Map(plan.files.map((f) => [names.get(f.path)!, f]));
  const groups = (await groupByPhysicalSchema(engine, [...byName.keys()], ctx.registry)).map((g) => g.map((n) => byName.get(n)!));
  const branches = groups.map((files) => (partCols.length ? groupByPartitionValues(files, partCols) : [files]));
  const constants =
    branches.reduce((s, b) => s + b.length, 0) <= (ctx.maxConstantBranches ?? MAX_CONSTANT_BRANCHES) &&
    branches.every((b) => b.every((files) => partCols.every((c) => (canonicalValue(files[0].partitionValues[c.name] ?? null)?.length ?? 0) <= MAX_CONSTANT_CHARS)));

  // Many distinct partition values: one helper table of typed values per file, joined per row.
  let filesTable: string | undefined;
  if (partCols.length && !constants) {
    const raw: Record<string, arrow.Vector> = {
      __fname: arrow.vectorFromArray(plan.files.map((f) => names.get(f.path)!), new arrow.Utf8()),
    };
    partCols.forEach((c, k) => (raw[`__p${k}`] = arrow.vectorFromArray(plan.files.map((f) => canonicalValue(f.partitionValues[c.name] ?? null)), new arrow.Utf8())));
    const rawName = `__pvraw_${id}`;
    await engine.insertArrow(rawName, new arrow.Table(raw), { schema });
    const rawRef = `${quoteIdent(schema)}.${quoteIdent(rawName)}`;
    filesTable = `${quoteIdent(schema)}.${quoteIdent(`__pv_${id}`)}`;
    await engine.query(
      `CREATE TABLE ${filesTable} AS SELECT __fname, ${partCols.map((c, k) => `${castCanonical(`__p${k}`, c.field.type)} AS ${quoteIdent(c.name)}`).join(', ')} FROM ${rawRef}; DROP TABLE ${rawRef}`,
    );
    helperTables.push(filesTable);
  }

  // Row tracking: baseRowId and defaultRowCommitVersion per file, joined per row by file name.
  let rtTable: string | undefined;
  if (rt) {
    const rtName = `__rt_${id}`;
    await engine.insertArrow(
      rtName,
      new arrow.Table({
        __fname: arrow.vectorFromArray(plan.files.map((f) => names.get(f.path)!), new arrow.Utf8()),
        __base: arrow.makeVector(BigInt64Array.from(plan.files, (f) => BigInt(f.baseRowId!))),
        __rcv: arrow.makeVector(BigInt64Array.from(plan.files, (f) => BigInt(f.defaultRowCommitVersion!))),
      }),
      { schema },
    );
    rtTable = `${quoteIdent(schema)}.${quoteIdent(rtName)}`;
    helperTables.push(rtTable);
  }

  const selects: string[] = [];
  const logical: LayoutGroup[] = [];
  for (const files of groups) {
    const sampleFile = names.get(files[0].path)!;
    logical.push({ ...(await logicalColumnSql(engine, sampleFile, cols, plan.mode, 'f', ctx.registry)), sampleFile });
  }
  // A variant column stored in different layouts by different files: one union type for all branches.
  await unifyVariantLayouts(engine, cols, logical, ctx.registry, plan.mode);
  for (const [g, files] of groups.entries()) {
    const { exprs, fields } = logical[g];
    const metaExpr = rt ? `, ${rowMetadataSql(fields, rt)} AS _metadata` : '';
    for (const part of constants ? branches[g] : [files]) {
      const hasDv = dvTable !== undefined && part.some((f) => f.deletionVector);
      const partNames = part.map((f) => names.get(f.path)!);
      // One file per branch: its index is a constant; several: its position in the branch's list.
      const needName = hasDv || filesTable !== undefined || rtTable !== undefined || (!!ctx.fileColumn && partNames.length > 1);
      let fileExpr = '';
      if (ctx.fileColumn) {
        const base = fileNames.length - 1;
        fileNames.push(...partNames);
        fileExpr = partNames.length === 1 ? `, CAST(${base + 1} AS INTEGER) AS __dx_file` : `, CAST(${base} + list_position([${partNames.map(quoteString).join(', ')}], d.filename) AS INTEGER) AS __dx_file`;
      }
      let from = `${ctx.registry.readSql(part.map((f) => names.get(f.path)!), { filename: needName, rowNumber: hasDv || rtTable !== undefined })} AS d`;
      if (filesTable) from += ` JOIN ${filesTable} AS f ON f.__fname = d.filename`;
      if (rtTable) from += ` JOIN ${rtTable} AS r ON r.__fname = d.filename`;
      if (hasDv) from += ` ANTI JOIN ${dvTable} AS x ON x.__fname = d.filename AND x.__row = d.file_row_number`;
      // Partition values as typed constants of this branch: DuckDB folds filters and casts on them.
      const sel = constants ? cols.map((c, k) => (c.partition ? `${partitionLiteral(part[0].partitionValues[c.name] ?? null, c.field.type)} AS ${quoteIdent(c.name)}` : exprs[k])) : exprs;
      selects.push(`${sel.length ? sel.join(', ') : 'NULL AS __row'}${metaExpr}${fileExpr} FROM ${from}`);
    }
  }
  const named = ctx.fileColumn ? { fileNames } : {};
  if (selects.length === 1) return { sql: `SELECT ${selects[0]}`, helperTables, ...named };
  // Every branch starts with a constant column the outer SELECT drops: a query that needs no
  // column (count(*)) then reads no column chunk, where DuckDB would otherwise keep (and decode)
  // the first column of each branch of a UNION ALL.
  const out = (cols.length ? cols.map((c) => quoteIdent(c.name)).join(', ') : '__row') + (rt ? ', _metadata' : '') + (ctx.fileColumn ? ', __dx_file' : '');
  return { sql: `SELECT ${out} FROM (${unionAll(selects.map((s) => `SELECT NULL AS __dx_lead, ${s}`))}) AS __u`, helperTables, ...named };
}

/** A NULL of the `_metadata` column's type (for reads without files). */
const ROW_METADATA_NULL = 'CAST(NULL AS STRUCT(row_id BIGINT, row_commit_version BIGINT, row_index BIGINT))';

/**
 * The `_metadata` struct of a row read as alias `d` (with `filename`, `file_row_number`) joined to
 * the per-file row-tracking table as alias `r`: materialized values where the file has the column
 * (`fields`: its Arrow fields) and the value is not NULL, else the default generated ones.
 */
function rowMetadataSql(fields: arrow.Field[], rt: RowTrackingColumns): string {
  const has = (name: string | undefined) => (name ? fields.find((f) => f.name === name) : undefined);
  const id = has(rt.materializedRowId);
  const cv = has(rt.materializedRowCommitVersion);
  const rowId = id ? `COALESCE(CAST(d.${quoteIdent(id.name)} AS BIGINT), r.__base + d.file_row_number)` : 'r.__base + d.file_row_number';
  const version = cv ? `COALESCE(CAST(d.${quoteIdent(cv.name)} AS BIGINT), r.__rcv)` : 'r.__rcv';
  return `struct_pack(row_id := CAST(${rowId} AS BIGINT), row_commit_version := CAST(${version} AS BIGINT), row_index := CAST(d.file_row_number AS BIGINT))`;
}

/**
 * The count invariant for deletion vectors: every row a DV deletes exists in its data file (row
 * indexes below the file's row count, PROTOCOL.md "Deletion Vectors"), so the rows read are exactly
 * the file's rows minus the DV's cardinality.
 * @throws DeltaError `DATA_INTEGRITY` naming the data file, version, the row index and the file's row count.
 */
export function checkDeletionVectorRows(path: string, version: number, rows: ArrayLike<number | bigint>, fileRows: number | null): void {
  if (fileRows === null || !rows.length) return;
  let max = -1;
  for (let i = 0; i < rows.length; i++) {
    const r = Number(rows[i]);
    if (r > max) max = r;
  }
  if (max >= fileRows) {
    throw new DeltaError('DATA_INTEGRITY', `The deletion vector of data file ${path} (table version ${version}) deletes row ${max}, but the file holds ${fileRows} rows.`, {
      path,
      version,
      hint: 'The deletion vector does not belong to this file: the table was changed outside Delta. No rows are shown rather than wrong ones.',
    });
  }
}

/**
 * Most `read_parquet` branches a scan's UNION ALL may have before partition values are joined
 * from a helper table instead of written as constants. Each branch costs DuckDB a pipeline
 * (about 1 ms of planning and start-up in DuckDB-WASM), and DuckDB-WASM 1.28 runs out of stack
 * near 100 left-nested UNION ALL branches (hence also the balanced nesting of {@link unionAll}).
 */
export const MAX_CONSTANT_BRANCHES = 32;

/**
 * Longest partition value (characters of its canonical text) written into SQL as a constant; a
 * longer one (values of megabytes are legal) makes the scan join the helper table instead, since
 * DuckDB-WASM 1.28 fails on SQL literals of a few MB ("memory access out of bounds").
 */
export const MAX_CONSTANT_CHARS = 4096;

/**
 * Splits files (one physical schema) into runs with equal values of the partition columns `cols`
 * (compared by canonical text, NULL distinct from every value), in order of first appearance.
 */
function groupByPartitionValues(files: PlannedFile[], cols: ScanColumn[]): PlannedFile[][] {
  const out = new Map<string, PlannedFile[]>();
  for (const f of files) {
    const key = JSON.stringify(cols.map((c) => canonicalValue(f.partitionValues[c.name] ?? null)));
    let g = out.get(key);
    if (!g) out.set(key, (g = []));
    g.push(f);
  }
  return [...out.values()];
}

/**
 * A partition value as a SQL constant of its column's DuckDB type: the same {@link castCanonical}
 * conversion the helper table applies, over a string literal (a typed NULL for null).
 */
export function partitionLiteral(v: PartitionValue, t: DataType): string {
  const text = canonicalValue(v);
  return text === null ? nullOf(t) : castCanonical(quoteString(text), t);
}

/**
 * Combines SELECTs with UNION ALL, nested as a balanced tree (`(a UNION ALL b) UNION ALL (c UNION
 * ALL d)`) so the plan's depth grows with log2 of the branch count. Empty input is not allowed.
 */
export function unionAll(selects: string[]): string {
  if (selects.length === 1) return selects[0];
  const mid = selects.length >> 1;
  const side = (s: string[]) => (s.length === 1 ? `(${s[0]})` : `(${unionAll(s)})`);
  return `${side(selects.slice(0, mid))}\nUNION ALL\n${side(selects.slice(mid))}`;
}

/**
 * Groups registered Parquet files by physical schema (the rows `parquet_schema` gives for each),
 * so each group can be read by one `read_parquet` call. Groups and the files in them keep the
 * order of `fileNames`; duplicate names are read once.
 */
export async function groupByPhysicalSchema(engine: SqlEngine, fileNames: string[], registry?: FileRegistry): Promise<string[][]> {
  const all = [...new Set(fileNames)];
  // Files decoded by the fallback decoder are tables, not parquet files: each is a group of its own.
  const decoded = registry ? all.filter((n) => registry.isDecoded(n)) : [];
  const unique = decoded.length ? all.filter((n) => !registry!.isDecoded(n)) : all;
  if (!unique.length) return decoded.map((n) => [n]);
  const schemaRows = await engine.query(
    `SELECT file_name, name, type, repetition_type, num_children, converted_type, logical_type, scale, precision FROM parquet_schema([${unique.map(quoteString).join(', ')}])`,
  );
  const sig = new Map<string, SchemaRow[]>();
  const get = (c: string) => schemaRows.getChild(c)!;
  const cFile = get('file_name');
  const parts = ['name', 'type', 'repetition_type', 'num_children', 'converted_type', 'logical_type', 'scale', 'precision'].map(get);
  for (let r = 0; r < schemaRows.numRows; r++) {
    const f = String(cFile.get(r));
    let list = sig.get(f);
    if (!list) sig.set(f, (list = []));
    list.push(parts.map((p) => String(p.get(r))).join('\u0001'));
  }
  const groups = new Map<string, string[]>();
  for (const f of unique) {
    const key = (sig.get(f) ?? []).join('\u0002');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(f);
  }
  // Groups in log order of their first file (decoded files stand where they are in the log).
  const first = new Map(all.map((n, i) => [n, i]));
  return [...groups.values(), ...decoded.map((n) => [n])].sort((x, y) => first.get(x[0])! - first.get(y[0])!);
}

/**
 * The SELECT expressions that turn the columns of a data file read as alias `d` into the logical
 * columns `cols` (`expr AS "logical name"`), resolved against the physical schema of `sampleFile`
 * (a registered file name): columns by physical name (exact, then case-insensitive), nested fields
 * mapped and renamed, narrower types widened (see `convertExpr`), columns missing from the file as
 * typed NULLs. Partition columns come from alias `partitionAlias` (a helper table of typed values
 * with one column per logical partition column name). Also returns the file's Arrow fields.
 */
export async function logicalColumnSql(
  engine: SqlEngine,
  sampleFile: string,
  cols: ScanColumn[],
  mode: ColumnMappingMode,
  partitionAlias: string,
  registry?: FileRegistry,
): Promise<{ exprs: string[]; fields: arrow.Field[] }> {
  const from = registry ? registry.readSql([sampleFile]) : `read_parquet(${quoteString(sampleFile)}, hive_partitioning=false)`;
  const sample = await engine.query(`SELECT * FROM ${from} LIMIT 0`);
  const fields = sample.schema.fields;
  const exprs = cols.map((c) => {
    if (c.partition) return `${partitionAlias}.${quoteIdent(c.name)} AS ${quoteIdent(c.name)}`;
    const src = fields.find((x) => x.name === c.physicalName) ?? fields.find((x) => x.name.toLowerCase() === c.physicalName.toLowerCase());
    if (!src) return `${nullOf(c.field.type)} AS ${quoteIdent(c.name)}`;
    const conv = convertExpr(`d.${quoteIdent(src.name)}`, src.type, c.field.type, mode);
    return `${conv.sql} AS ${quoteIdent(c.name)}`;
  });
  return { exprs, fields };
}


/** The DuckDB types of the plan's columns, by logical name (for empty results and documentation). */
export function planColumnTypes(plan: ScanPlan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of plan.columns) out[c.name] = c.field.type.type === 'void' ? 'NULL' : duckType(c.field.type);
  return out;
}
