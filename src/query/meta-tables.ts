/**
 * The metadata tables of a query session (`"t$history"`, `"t$properties"`, `"t$files"`,
 * `"t$partitions"`; columns as in `session.ts`'s module comment): each built from the log as an
 * Arrow table, inserted into DuckDB and shaped by one SELECT into its SQL types.
 */
import * as arrow from 'apache-arrow';
import type { HistoryEntry } from '../delta/history.ts';
import { columnMappingMode, partitionColumnInfo, parsePartitionValues } from '../delta/schema.ts';
import { numRecordsAt, type Snapshot } from '../delta/snapshot.ts';
import { FileProjection } from '../explore/file-rows.ts';
import { quoteIdent, type SqlEngine } from './engine.ts';
import { nextId } from './scan-plan.ts';
import { canonicalValue, castCanonical } from './types.ts';

/** Where a metadata table is built: the engine and the DuckDB schema for its scratch tables. */
export interface MetaTableContext {
  engine: SqlEngine;
  /** DuckDB schema (must exist) for the temporary tables. */
  schema: string;
}

async function insertTemp(at: MetaTableContext, columns: Record<string, arrow.Vector>): Promise<string> {
  const name = `__meta_${nextId()}`;
  await at.engine.insertArrow(name, new arrow.Table(columns), { schema: at.schema });
  return `${quoteIdent(at.schema)}.${quoteIdent(name)}`;
}

async function createFromTemp(at: MetaTableContext, target: string, columns: Record<string, arrow.Vector>, select: string): Promise<void> {
  const tmp = await insertTemp(at, columns);
  try {
    await at.engine.query(`CREATE OR REPLACE TABLE ${target} AS SELECT ${select} FROM ${tmp}`);
  } finally {
    await at.engine.query(`DROP TABLE IF EXISTS ${tmp}`).catch(() => undefined);
  }
}

/** `"t$history"` into `target` (a qualified name): `entries` newest first, Trino's Delta connector columns. */
export async function createHistoryTable(at: MetaTableContext, target: string, entries: HistoryEntry[]): Promise<void> {
  const sorted = [...entries].sort((a, b) => b.version - a.version);
  const str = (f: (h: HistoryEntry) => unknown) => arrow.vectorFromArray(sorted.map((h) => { const v = f(h); return v === null || v === undefined ? null : String(v); }), new arrow.Utf8());
  const num = (f: (h: HistoryEntry) => number | null) => arrow.vectorFromArray(sorted.map((h) => f(h)), new arrow.Float64());
  const mapCol = (f: (h: HistoryEntry) => Record<string, unknown> | null) =>
    arrow.vectorFromArray(
      sorted.map((h) => {
        const o = f(h);
        return o ? new Map(Object.entries(o).map(([k, v]) => [k, v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v)])) : null;
      }),
      stringMapType(),
    );
  await createFromTemp(at, 
    target,
    {
      version: num((h) => h.version),
      ts: num((h) => h.timestampMs),
      user_id: str((h) => h.userId),
      user_name: str((h) => h.userName),
      operation: str((h) => h.operation),
      operation_parameters: mapCol((h) => h.operationParameters),
      cluster_id: str((h) => h.clusterId),
      read_version: num((h) => h.readVersion),
      isolation_level: str((h) => h.isolationLevel),
      is_blind_append: arrow.vectorFromArray(sorted.map((h) => h.isBlindAppend), new arrow.Bool()),
      operation_metrics: mapCol((h) => h.operationMetrics),
    },
    `CAST(version AS BIGINT) AS version, CAST(epoch_ms(CAST(ts AS BIGINT)) AS TIMESTAMPTZ) AS "timestamp", user_id, user_name, operation, operation_parameters, cluster_id, CAST(read_version AS BIGINT) AS read_version, isolation_level, is_blind_append, operation_metrics`,
  );
}

/** `"t$properties"` into `target`: `key, value` of the table properties plus reader/writer versions and `delta.feature.<name>`. */
export async function createPropertiesTable(at: MetaTableContext, target: string, snap: Snapshot): Promise<void> {
  const rows: [string, string][] = Object.entries(snap.properties).map(([k, v]) => [k, String(v)]);
  rows.push(['delta.minReaderVersion', String(snap.protocol.minReaderVersion)]);
  rows.push(['delta.minWriterVersion', String(snap.protocol.minWriterVersion)]);
  const features = new Set([...(snap.protocol.readerFeatures ?? []), ...(snap.protocol.writerFeatures ?? [])]);
  for (const f of [...features].sort()) rows.push([`delta.feature.${f}`, 'supported']);
  await createFromTemp(at, 
    target,
    { key: arrow.vectorFromArray(rows.map((r) => r[0]), new arrow.Utf8()), value: arrow.vectorFromArray(rows.map((r) => r[1]), new arrow.Utf8()) },
    'key, value',
  );
}

/**
 * `"t$files"` into `target`: one row per active file of `snap`, from the one file-row projection
 * (`src/explore/file-rows.ts`): the same paths, sizes, record counts, deleted rows and partition
 * value texts as the Files view and the CLI `files` command.
 */
export async function createFilesTable(at: MetaTableContext, target: string, snap: Snapshot): Promise<void> {
  const f = new FileProjection(snap).columns();
  await createFromTemp(at, 
    target,
    {
      path: arrow.vectorFromArray(f.path, new arrow.Utf8()),
      partition_values: arrow.vectorFromArray(f.partitionValues, stringMapType()),
      size: arrow.vectorFromArray(f.size, new arrow.Float64()),
      mtime: arrow.vectorFromArray(f.modificationTime, new arrow.Float64()),
      nrec: arrow.vectorFromArray(f.numRecords, new arrow.Float64()),
      del: arrow.vectorFromArray(f.deletedRecords, new arrow.Float64()),
      has_deletion_vector: arrow.vectorFromArray(f.hasDeletionVector, new arrow.Bool()),
      stats: arrow.vectorFromArray(f.stats, new arrow.Utf8()),
    },
    `path, partition_values, CAST(size AS BIGINT) AS size_bytes, CAST(epoch_ms(CAST(mtime AS BIGINT)) AS TIMESTAMPTZ) AS modification_time, CAST(nrec AS BIGINT) AS num_records, CAST(del AS BIGINT) AS deleted_records, has_deletion_vector, stats`,
  );
}

/** `"t$partitions"` into `target`: one row per partition of `snap` (live record counts, NULL when a file lacks stats). */
export async function createPartitionsTable(at: MetaTableContext, target: string, snap: Snapshot): Promise<void> {
  const mode = columnMappingMode(snap.metadata.configuration, snap.protocol);
  const pcols = partitionColumnInfo(snap.schema, snap.metadata.partitionColumns ?? [], mode, { version: snap.version });
  const pv: (string | null)[][] = pcols.map(() => []);
  const size: number[] = [];
  const nrec: (number | null)[] = [];
  const del: number[] = [];
  snap.files.forEach((b, r) => {
    if (pcols.length) {
      const values = parsePartitionValues(b.partitionValuesAt(r), pcols, { version: snap.version, path: b.path[r] });
      pcols.forEach((p, k) => pv[k].push(canonicalValue(values[p.name])));
    }
    size.push(b.size[r]);
    nrec.push(numRecordsAt(b, r));
    const card = b.dvCardinality?.[r];
    del.push(card !== undefined && !Number.isNaN(card) ? card : 0);
  });
  const cols: Record<string, arrow.Vector> = {
    size: arrow.vectorFromArray(size, new arrow.Float64()),
    nrec: arrow.vectorFromArray(nrec, new arrow.Float64()),
    del: arrow.vectorFromArray(del, new arrow.Float64()),
  };
  pcols.forEach((_p, k) => (cols[`__p${k}`] = arrow.vectorFromArray(pv[k], new arrow.Utf8())));
  const keys = pcols.map((p, k) => `${castCanonical(`__p${k}`, p.type)} AS ${quoteIdent(p.name)}`);
  const aggs = [
    'CAST(count(*) AS BIGINT) AS file_count',
    'CAST(sum(size) AS BIGINT) AS total_size_bytes',
    'CASE WHEN count(nrec) = count(*) THEN CAST(sum(nrec) - sum(del) AS BIGINT) END AS record_count',
    'CAST(sum(del) AS BIGINT) AS deleted_record_count',
  ];
  const tmp = await insertTemp(at, cols);
  try {
    if (!snap.files.length && !pcols.length) {
      await at.engine.query(
        `CREATE OR REPLACE TABLE ${target} AS SELECT CAST(0 AS BIGINT) AS file_count, CAST(0 AS BIGINT) AS total_size_bytes, CAST(0 AS BIGINT) AS record_count, CAST(0 AS BIGINT) AS deleted_record_count WHERE false`,
      );
    } else if (pcols.length) {
      const inner = `SELECT ${keys.join(', ')}, size, nrec, del FROM ${tmp}`;
      const names = pcols.map((p) => quoteIdent(p.name)).join(', ');
      await at.engine.query(`CREATE OR REPLACE TABLE ${target} AS SELECT ${names}, ${aggs.join(', ')} FROM (${inner}) GROUP BY ${names} ORDER BY ${names} NULLS FIRST`);
    } else {
      await at.engine.query(`CREATE OR REPLACE TABLE ${target} AS SELECT ${aggs.join(', ')} FROM ${tmp}`);
    }
  } finally {
    await at.engine.query(`DROP TABLE IF EXISTS ${tmp}`).catch(() => undefined);
  }
}

function stringMapType(): arrow.Map_ {
  return new arrow.Map_(
    new arrow.Field('entries', new arrow.Struct([new arrow.Field('key', new arrow.Utf8(), false), new arrow.Field('value', new arrow.Utf8(), true)]), false),
  );
}

