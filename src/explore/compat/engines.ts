/**
 * Engine compatibility data: which engines can read and write which Delta table features, from
 * which release, with a source for every cell. Kept as data so it is easy to update: add a source
 * to {@link SOURCES}, then change the engine's lists below; `compat.test.ts` checks that every
 * feature Delta Explorer knows (`src/delta/features.ts`) has a read and a write cell for every
 * engine and that every cell names a known source.
 *
 * Rules the data follows:
 * - A writer-only feature imposes nothing on readers (protocol "Table Features": readers only need
 *   the features in `readerFeatures`), so its read cell is `yes` for every engine, sourced to the protocol.
 * - When the source is an engine's own list of supported features (its code, or the list it prints
 *   when it refuses a table), a feature absent from the list is `no`, sourced to that list.
 * - When the source is documentation that lists only what is supported, a feature it does not
 *   mention is `unknown`, with the reason, never a guess.
 * - `measured:` sources were run on this machine on the project's fixture tables
 *   (`src/explore/compat/probe.py`, output in `probe-results.json`).
 */
import { FEATURE_DESCRIPTIONS, featureKind, SUPPORTED_READER_FEATURES } from '../../delta/features.ts';

/** Where a cell's answer comes from. */
export interface CompatSource {
  id: string;
  kind: 'protocol' | 'docs' | 'release-notes' | 'code' | 'issue' | 'measured';
  title: string;
  /** Web address, or `repo@commit:path` for code, or a repo-relative path for measured results. */
  url: string;
}

/** The sources cited by the cells. */
export const SOURCES: Record<string, CompatSource> = Object.fromEntries(
  (
    [
      { id: 'protocol-table-features', kind: 'protocol', title: 'Delta PROTOCOL.md, "Table Features" (readers need only readerFeatures)', url: 'https://github.com/delta-io/delta/blob/master/PROTOCOL.md#table-features' },
      { id: 'explorer-features', kind: 'code', title: 'Delta Explorer src/delta/features.ts SUPPORTED_READER_FEATURES (read-only: it never writes)', url: 'src/delta/features.ts' },
      { id: 'delta-versioning', kind: 'docs', title: 'Delta Lake docs, "How does Delta Lake manage feature compatibility?" (feature → Delta Lake version)', url: 'https://docs.delta.io/latest/versioning.html' },
      { id: 'delta-versioning-3.2', kind: 'docs', title: 'Delta Lake 3.2.0 docs, feature compatibility (Variant Type (Preview): Delta Lake 4.0.0 Preview)', url: 'https://docs.delta.io/3.2.0/versioning.html' },
      { id: 'delta-default-columns', kind: 'docs', title: 'Delta Lake docs index: default column values (3.1.0+)', url: 'https://docs.delta.io/' },
      { id: 'delta-type-widening', kind: 'docs', title: 'Delta Lake docs, type widening: preview in 3.2, fully supported in 4.0', url: 'https://docs.delta.io/delta-type-widening' },
      { id: 'delta-drop-feature', kind: 'docs', title: 'Delta Lake docs, "Drop Delta table features" (which features, from which release)', url: 'https://docs.delta.io/delta-drop-feature' },
      { id: 'delta-3.3-release', kind: 'release-notes', title: 'Delta Lake 3.3.0 release notes', url: 'https://github.com/delta-io/delta/releases/tag/v3.3.0' },
      { id: 'dbr-compat', kind: 'docs', title: 'Databricks docs, "How does Databricks manage Delta Lake feature compatibility?" (feature → Databricks Runtime)', url: 'https://docs.databricks.com/delta/feature-compatibility.html' },
      { id: 'dbr-row-tracking', kind: 'docs', title: 'Databricks docs, row tracking (Databricks Runtime 14.1 and above)', url: 'https://docs.databricks.com/delta/row-tracking.html' },
      { id: 'delta-rs-protocol', kind: 'code', title: 'delta-rs crates/core/src/kernel/transaction/protocol.rs, ProtocolChecker INSTANCE (reader and writer feature sets)', url: 'delta-io/delta-rs@00cd0c9688b9ce7db7ae91cc4e5270bdb9ced635:crates/core/src/kernel/transaction/protocol.rs' },
      { id: 'measured-deltalake', kind: 'measured', title: 'Measured here: deltalake 1.6.6 (Python) reading fixture tables with to_pyarrow_table() and QueryBuilder (DataFusion)', url: 'src/explore/compat/probe-results.json' },
      { id: 'measured-duckdb', kind: 'measured', title: 'Measured here: DuckDB 1.4.4 + delta extension 50de511 (duckdb-ext-delta 1.4.4.20260205); its refusal lists the supported TableFeatures', url: 'src/explore/compat/probe-results.json' },
      { id: 'duckdb-delta-docs', kind: 'docs', title: 'DuckDB docs 1.4, Delta extension: read and limited write (blind insert) support', url: 'https://duckdb.org/docs/1.4/core_extensions/delta.html' },
      { id: 'trino-features', kind: 'code', title: 'Trino DeltaLakeTableFeatures.java (SUPPORTED_READER_FEATURES / SUPPORTED_WRITER_FEATURES)', url: 'trinodb/trino@4695f8897ed004d340395854ff73928167950148:plugin/trino-delta-lake/src/main/java/io/trino/plugin/deltalake/transactionlog/DeltaLakeTableFeatures.java' },
      { id: 'trino-discussion', kind: 'docs', title: 'Trino discussion #21035: reader version 3 and writer version 7 are supported (not every feature)', url: 'https://github.com/trinodb/trino/discussions/21035' },
      { id: 'flink-issue', kind: 'issue', title: 'delta-io/delta#2874 (open): Flink source connector cannot read deletion-vector tables; upgrade to protocol (3, 7) requested', url: 'https://github.com/delta-io/delta/issues/2874' },
      { id: 'flink-kernel-issue', kind: 'issue', title: 'delta-io/delta#4586: the Flink connector is built on the deprecated Delta Standalone; a Kernel-based connector is proposed', url: 'https://github.com/delta-io/delta/issues/4586' },
      { id: 'snowflake-2026-03', kind: 'release-notes', title: 'Snowflake release note 2026-03-02: Delta-based Iceberg tables with deletion vectors and liquid clustering; minReaderVersion 3, Delta Lake 4.0.0', url: 'https://docs.snowflake.com/en/release-notes/2026/other/2026-03-02-iceberg-delta-deletion-vectors' },
      { id: 'bigquery-delta', kind: 'docs', title: 'Delta Lake docs, Google BigQuery connector: reads reader version 3 with Deletion Vectors and Column Mapping', url: 'https://docs.delta.io/bigquery-integration' },
      { id: 'clickhouse-kernel', kind: 'code', title: 'ClickHouse src/Storages/ObjectStorage/DataLakes/DeltaLakeMetadataDeltaKernel.h: DeltaLake engine on delta-kernel-rs behind allow_experimental_delta_kernel_rs', url: 'https://github.com/ClickHouse/ClickHouse/tree/master/src/Storages/ObjectStorage/DataLakes/DeltaLake' },
    ] satisfies CompatSource[]
  ).map((s) => [s.id, s]),
);

/** One answer: can the engine read (or write) tables using a feature. */
export interface CompatCell {
  support: 'yes' | 'no' | 'unknown';
  /** First release with the support, in the engine's own numbering. */
  since?: string;
  /** Why, or a limit (e.g. which API path), or why it is unknown. */
  note?: string;
  /** Key of {@link SOURCES}. */
  source: string;
}

/** One engine's column of the matrix. */
export interface EngineCompat {
  id: string;
  name: string;
  /** The release the cells describe (e.g. the version measured or the code commit's line). */
  release: string;
  /** Highest reader / writer protocol version it implements (null when unknown). */
  maxReaderVersion: number | null;
  maxWriterVersion: number | null;
  versionsSource: string;
  /** Keyed by feature name; every known feature has a cell. */
  read: Record<string, CompatCell>;
  write: Record<string, CompatCell>;
  /** How to open a Delta table in it (shown in the matrix). */
  howTo: string;
}

/** Every feature name Delta Explorer knows, in `features.ts` order. */
export const KNOWN_FEATURES: readonly string[] = Object.keys(FEATURE_DESCRIPTIONS);

type CellMap = Record<string, Omit<CompatCell, 'source'> & { source?: string }>;

/**
 * Builds one side (read or write) of an engine: explicit cells first, then `rest` for the others.
 * For reads, writer-only features are `yes` by the protocol unless given explicitly.
 */
function side(kind: 'read' | 'write', cells: CellMap, source: string, rest: Omit<CompatCell, 'source'> & { source?: string }): Record<string, CompatCell> {
  const out: Record<string, CompatCell> = {};
  for (const f of KNOWN_FEATURES) {
    const c = cells[f];
    if (c) out[f] = { source, ...c } as CompatCell;
    else if (kind === 'read' && featureKind(f) === 'writer') out[f] = { support: 'yes', note: 'writer-only feature: nothing to do for readers', source: 'protocol-table-features' };
    else out[f] = { source, ...rest } as CompatCell;
  }
  return out;
}

const yes = (since?: string, note?: string) => ({ support: 'yes' as const, since, note });
const no = (note?: string) => ({ support: 'no' as const, note });
const unknown = (note: string) => ({ support: 'unknown' as const, note });
const listed = (names: readonly string[], since?: string, note?: string): CellMap => Object.fromEntries(names.map((n) => [n, yes(since, note)]));

// ---------------------------------------------------------------------------------------------
// Delta Lake on Spark: docs.delta.io feature → version table (both read and write).
// ---------------------------------------------------------------------------------------------
const DELTA_SPARK: CellMap = {
  appendOnly: yes(undefined, 'legacy writer-version-2 feature; the source gives no release'),
  invariants: yes(undefined, 'legacy writer-version-2 feature; the source gives no release'),
  checkConstraints: yes('0.8.0'),
  generatedColumns: yes('1.0.0'),
  columnMapping: yes('1.2.0'),
  changeDataFeed: yes('2.0.0'),
  deletionVectors: yes('2.3.0', 'scan 2.3.0; DELETE 2.4.0, UPDATE 3.0.0, MERGE 3.1.0 write them'),
  timestampNtz: yes('2.4.0'),
  icebergCompatV1: yes('3.0.0'),
  icebergCompatV2: yes('3.1.0'),
  v2Checkpoint: yes('3.0.0'),
  domainMetadata: yes('3.0.0'),
  clustering: yes('3.1.0'),
  rowTracking: yes('3.2.0'),
  'typeWidening-preview': yes('3.2.0'),
  identityColumns: yes('3.3.0'),
  inCommitTimestamp: yes('3.3.0'),
  allowColumnDefaults: { ...yes('3.1.0'), source: 'delta-default-columns' },
  typeWidening: { ...yes('4.0.0'), source: 'delta-type-widening' },
  'variantType-preview': { ...yes('4.0.0 Preview'), source: 'delta-versioning-3.2' },
  vacuumProtocolCheck: { ...yes('3.3.0', 'dropping it needs 3.3.0; support itself may be older'), source: 'delta-drop-feature' },
};

// ---------------------------------------------------------------------------------------------
// Databricks Runtime: docs.databricks.com feature → runtime table.
// ---------------------------------------------------------------------------------------------
const DATABRICKS: CellMap = {
  checkConstraints: yes('9.1 LTS'),
  changeDataFeed: yes('9.1 LTS'),
  generatedColumns: yes('9.1 LTS'),
  columnMapping: yes('10.4 LTS'),
  identityColumns: yes('10.4 LTS'),
  deletionVectors: yes('12.2 LTS', 'reads from 12.2 LTS; writing with every optimization recommended from 14.3 LTS'),
  timestampNtz: yes('13.3 LTS'),
  clustering: yes('13.3 LTS'),
  typeWidening: yes('15.2'),
  variantType: yes('15.3'),
  rowTracking: { ...yes('14.1'), source: 'dbr-row-tracking' },
};

const DELTA_RS_READ = ['timestampNtz', 'deletionVectors', 'columnMapping'];
const DELTA_RS_WRITE = ['appendOnly', 'timestampNtz', 'changeDataFeed', 'invariants', 'checkConstraints', 'generatedColumns', 'deletionVectors', 'columnMapping'];
const DUCKDB_READ = [
  'catalogManaged', 'catalogOwned-preview', 'columnMapping', 'deletionVectors', 'timestampNtz', 'typeWidening', 'typeWidening-preview',
  'vacuumProtocolCheck', 'v2Checkpoint', 'variantType', 'variantType-preview', 'variantShredding-preview',
];
const TRINO_READ = ['columnMapping', 'timestampNtz', 'typeWidening', 'typeWidening-preview', 'deletionVectors', 'vacuumProtocolCheck', 'variantType', 'variantType-preview', 'v2Checkpoint'];
const TRINO_WRITE = ['appendOnly', 'deletionVectors', 'invariants', 'checkConstraints', 'changeDataFeed', 'columnMapping', 'timestampNtz', 'vacuumProtocolCheck'];

const R3_FEATURES = KNOWN_FEATURES.filter((f) => featureKind(f) === 'reader-writer' && f !== 'columnMapping');

/** The engines of the matrix, in display order. */
export const ENGINES: readonly EngineCompat[] = [
  {
    id: 'explorer',
    name: 'Delta Explorer (this app)',
    release: 'this build',
    maxReaderVersion: 3,
    maxWriterVersion: null,
    versionsSource: 'explorer-features',
    read: side('read', listed([...SUPPORTED_READER_FEATURES]), 'explorer-features', no('not in SUPPORTED_READER_FEATURES: refused with an error naming the feature')),
    write: side('write', {}, 'explorer-features', no('Delta Explorer never writes tables')),
    howTo: 'Open the folder, URL, S3 or lakeFS location',
  },
  {
    id: 'spark',
    name: 'Apache Spark + Delta Lake',
    release: 'Delta Lake 4.0',
    maxReaderVersion: 3,
    maxWriterVersion: 7,
    versionsSource: 'delta-versioning',
    read: side('read', DELTA_SPARK, 'delta-versioning', unknown('not in the Delta Lake feature-compatibility table or release notes read')),
    write: side('write', DELTA_SPARK, 'delta-versioning', unknown('not in the Delta Lake feature-compatibility table or release notes read')),
    howTo: 'spark.read.format("delta").load(path)',
  },
  {
    id: 'databricks',
    name: 'Databricks Runtime',
    release: 'current runtimes',
    maxReaderVersion: 3,
    maxWriterVersion: 7,
    versionsSource: 'dbr-compat',
    read: side('read', DATABRICKS, 'dbr-compat', unknown('not in the Databricks feature-compatibility table read (it lists only the lowest supported runtime per feature)')),
    write: side('write', DATABRICKS, 'dbr-compat', unknown('not in the Databricks feature-compatibility table read')),
    howTo: 'SELECT * FROM delta.`path` (or the catalog table)',
  },
  {
    id: 'delta-rs',
    name: 'delta-rs (Python deltalake / Rust deltalake)',
    release: 'deltalake 1.6.6',
    maxReaderVersion: 3,
    maxWriterVersion: 7,
    versionsSource: 'delta-rs-protocol',
    read: side(
      'read',
      {
        ...listed(DELTA_RS_READ),
        deletionVectors: yes(undefined, 'QueryBuilder (DataFusion) reads them; to_pyarrow_table() refuses the table (measured)'),
        v2Checkpoint: { ...yes(undefined, 'QueryBuilder reads it; to_pyarrow_table() refuses (measured)'), source: 'measured-deltalake' },
        vacuumProtocolCheck: { ...yes(undefined, 'with v2Checkpoint on checkpoint-v2-table through QueryBuilder (measured)'), source: 'measured-deltalake' },
        'variantType-preview': { ...yes(undefined, 'unshredded-variant (variantType-preview) read through both paths (measured)'), source: 'measured-deltalake' },
        variantType: unknown('only variantType-preview was measured (unshredded-variant); the ProtocolChecker set read does not list it'),
        typeWidening: { ...no('refused: TypeWideningPreview on type-widening (measured; same checker)'), source: 'measured-deltalake' },
        'typeWidening-preview': { ...no('refused on type-widening (measured)'), source: 'measured-deltalake' },
        variantShredding: { ...no('refused (measured on the hand-built shredded-variant table)'), source: 'measured-deltalake' },
        'variantShredding-preview': { ...no('refused (measured on spark-shredded-variant-preview-delta)'), source: 'measured-deltalake' },
        geospatial: { ...no('schema error: unsupported type geometry(OGC:CRS84) (measured on table-with-geo)'), source: 'measured-deltalake' },
      },
      'delta-rs-protocol',
      no('not in the ProtocolChecker reader feature set'),
    ),
    write: side('write', listed(DELTA_RS_WRITE, undefined, 'changeDataFeed, invariants, checkConstraints, generatedColumns only in builds with the datafusion feature (the Python wheel has it)'), 'delta-rs-protocol', no('not in the ProtocolChecker writer feature set')),
    howTo: 'DeltaTable(path).to_pyarrow_table() / QueryBuilder',
  },
  {
    id: 'duckdb',
    name: 'DuckDB delta extension',
    release: 'DuckDB 1.4.4, delta 50de511',
    maxReaderVersion: 3,
    maxWriterVersion: null,
    versionsSource: 'measured-duckdb',
    read: side('read', listed(DUCKDB_READ, undefined, 'listed as supported by the extension (delta-kernel-rs); catalogManaged tables read from the path see published commits only'), 'measured-duckdb', no('absent from the TableFeatures list the extension prints when it refuses a table')),
    write: side('write', {}, 'duckdb-delta-docs', unknown('the docs promise only a limited blind INSERT; no per-feature writer list found')),
    howTo: "ATTACH 'path' AS t (TYPE delta); SELECT * FROM t",
  },
  {
    id: 'trino',
    name: 'Trino Delta Lake connector',
    release: 'trinodb/trino master @4695f88',
    maxReaderVersion: 3,
    maxWriterVersion: 7,
    versionsSource: 'trino-discussion',
    read: side('read', listed(TRINO_READ), 'trino-features', no('not in SUPPORTED_READER_FEATURES')),
    write: side('write', listed(TRINO_WRITE), 'trino-features', no('not in SUPPORTED_WRITER_FEATURES')),
    howTo: 'CALL delta.system.register_table(...) then SELECT',
  },
  {
    id: 'flink',
    name: 'Apache Flink (Delta connector)',
    release: 'delta-flink 3.x',
    maxReaderVersion: null,
    maxWriterVersion: null,
    versionsSource: 'flink-issue',
    read: side(
      'read',
      { ...Object.fromEntries(R3_FEATURES.map((f) => [f, no('the connector does not read reader-version-3 tables (open request to upgrade to protocol (3, 7))')])), columnMapping: unknown('not stated in the sources read') },
      'flink-issue',
      unknown('not stated in the sources read'),
    ),
    write: side(
      'write',
      Object.fromEntries(R3_FEATURES.map((f) => [f, no('the connector does not handle protocol (3, 7)')])),
      'flink-issue',
      unknown('not stated in the sources read; the connector is built on the deprecated Delta Standalone (delta-io/delta#4586)'),
    ),
    howTo: 'DeltaSource / DeltaSink (Flink DataStream API)',
  },
  {
    id: 'snowflake',
    name: 'Snowflake (Delta-based Iceberg tables)',
    release: 'since 2026-03-02',
    maxReaderVersion: 3,
    maxWriterVersion: null,
    versionsSource: 'snowflake-2026-03',
    read: side('read', { deletionVectors: yes('2026-03-02', 'Delta Lake 4.0.0 tables; before: reader version 2 only') }, 'snowflake-2026-03', unknown('the release note names deletion vectors and liquid clustering only')),
    write: side('write', {}, 'snowflake-2026-03', unknown('the sources read say nothing about writing Delta')),
    howTo: 'CREATE ICEBERG TABLE ... (Delta files in object storage)',
  },
  {
    id: 'bigquery',
    name: 'BigQuery (BigLake Delta Lake tables)',
    release: 'current',
    maxReaderVersion: 3,
    maxWriterVersion: null,
    versionsSource: 'bigquery-delta',
    read: side('read', listed(['deletionVectors', 'columnMapping']), 'bigquery-delta', unknown('the source names deletion vectors and column mapping only')),
    write: side('write', {}, 'bigquery-delta', unknown('the source covers reading only')),
    howTo: 'CREATE EXTERNAL TABLE ... OPTIONS (format = "DELTA_LAKE", ...)',
  },
  {
    id: 'clickhouse',
    name: 'ClickHouse (DeltaLake engine)',
    release: 'experimental kernel path',
    maxReaderVersion: null,
    maxWriterVersion: null,
    versionsSource: 'clickhouse-kernel',
    read: side('read', {}, 'clickhouse-kernel', unknown('reads through the delta-kernel-rs version each ClickHouse release bundles, which the sources read do not state')),
    write: side('write', {}, 'clickhouse-kernel', unknown('not stated in the sources read')),
    howTo: "SELECT * FROM deltaLake('s3://…')",
  },
];
