/**
 * Hand-off: the question a view asks, as ready-to-run code for an engine that scales — Spark SQL,
 * PySpark, delta-rs (Python `deltalake`), DuckDB (`delta` extension) and Trino. Pure: text in, text
 * out; no I/O.
 *
 * Questions ({@link HandoffQuery}): the rows of a version or timestamp (optionally some columns, a
 * predicate, a partition filter, a limit), the rows of given data files, the Change Data Feed
 * between two versions, and the difference between two versions (rows only in one of them, as a
 * multiset). Where an engine cannot express a question the result says so ({@link HandoffResult}
 * `unsupported`) instead of emitting code that would answer another question.
 *
 * Secrets are never written into the code: S3 and lakeFS credentials are read from the environment
 * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`) by the code, or by
 * the engine's own credential chain. Endpoints, regions and bucket names are not secrets and are written.
 */

/** The engines code is generated for. */
export const HANDOFF_ENGINES = ['spark', 'pyspark', 'deltalake', 'duckdb', 'trino'] as const;
export type HandoffEngine = (typeof HANDOFF_ENGINES)[number];

/** Display names. */
export const HANDOFF_ENGINE_NAMES: Record<HandoffEngine, string> = {
  spark: 'Spark SQL',
  pyspark: 'PySpark',
  deltalake: 'delta-rs (Python)',
  duckdb: 'DuckDB',
  trino: 'Trino',
};

/** Where the table lives. */
export type TableLocation =
  | { kind: 'local'; /** Absolute path of the table root. */ path: string }
  | { kind: 'http'; url: string }
  | {
      kind: 's3';
      bucket: string;
      /** Key prefix of the table root, no leading or trailing `/`. */
      prefix: string;
      /** Custom endpoint (MinIO, …), e.g. `http://127.0.0.1:9000`; absent for AWS. */
      endpoint?: string;
      region?: string;
      pathStyle?: boolean;
    }
  | {
      kind: 'lakefs';
      /** lakeFS server, e.g. `https://lakefs.example.com` (its S3 gateway is served there). */
      endpoint: string;
      repository: string;
      ref: string;
      /** Path of the table root inside the ref, no leading or trailing `/`. */
      path: string;
    };

/** A comparison of a partition column with a value (`null`: IS NULL). */
export interface PartitionFilter {
  column: string;
  value: string | number | boolean | null;
}

/** What to ask. Versions are table versions; timestamps ISO-8601 with a zone (e.g. `2024-05-01T12:00:00Z`). */
export type HandoffQuery =
  | {
      kind: 'data';
      version?: number;
      timestamp?: string;
      /**
       * The version `timestamp` resolves to, as Delta Explorer computed it; used by engines that
       * travel by version only (DuckDB's delta extension 1.4), stated in a comment.
       */
      resolvedVersion?: number;
      columns?: string[];
      /** A SQL predicate as the user wrote it for Delta Explorer (DuckDB syntax), passed through. */
      where?: string;
      partitions?: PartitionFilter[];
      limit?: number;
      /**
       * The rows with their row tracking metadata, as Delta Explorer's `"t$rows"` (PROTOCOL.md "Row
       * Tracking"): Spark's `_metadata.row_id` and `_metadata.row_commit_version` after the columns.
       * Only Spark expresses this ({@link ROW_TRACKING_UNSUPPORTED} says why the others cannot).
       * With `rowTracking`, `columns: []` selects the two row tracking fields alone.
       */
      rowTracking?: boolean;
    }
  | { kind: 'files'; version?: number; /** Data file paths as in the log (relative to the root). */ files: string[]; columns?: string[] }
  | { kind: 'changes'; startVersion: number; endVersion?: number }
  | { kind: 'compare'; fromVersion: number; toVersion: number };

/** Generated code, or why the engine cannot express the question. */
export type HandoffResult =
  | { engine: HandoffEngine; ok: true; language: 'sql' | 'python'; code: string; notes: string[] }
  | { engine: HandoffEngine; ok: false; unsupported: string };

// ---------------------------------------------------------------------------------------------
// Quoting
// ---------------------------------------------------------------------------------------------

/** A SQL string literal (single quotes doubled). */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A Python string literal (JSON's escapes are valid Python escapes). */
export function pyString(s: string): string {
  return JSON.stringify(s);
}

const ident = {
  spark: (n: string) => '`' + n.replace(/`/g, '``') + '`',
  ansi: (n: string) => '"' + n.replace(/"/g, '""') + '"',
};

function sqlLiteral(v: PartitionFilter['value']): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`Cannot write ${v} as a SQL literal`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return sqlString(v);
}

function fileName(p: string): string {
  let name = p.slice(p.lastIndexOf('/') + 1);
  try {
    name = decodeURIComponent(name);
  } catch {
    /* keep as is */
  }
  return name;
}

// ---------------------------------------------------------------------------------------------
// Locations
// ---------------------------------------------------------------------------------------------

/** The table URI an engine opens: `file:///…`, `s3://bucket/prefix` (lakeFS: `s3://repo/ref/path` through its S3 gateway). */
export function tableUri(loc: TableLocation, scheme: 's3' | 's3a' = 's3'): string {
  switch (loc.kind) {
    case 'local':
      return 'file://' + (loc.path.startsWith('/') ? '' : '/') + loc.path.replace(/\/+$/, '');
    case 'http':
      return loc.url.replace(/\/+$/, '');
    case 's3':
      return `${scheme}://${loc.bucket}/${loc.prefix}`.replace(/\/+$/, '');
    case 'lakefs':
      return `${scheme}://${loc.repository}/${loc.ref}/${loc.path}`.replace(/\/+$/, '');
  }
}

/** The S3 endpoint, region and addressing style a location needs (lakeFS: its S3 gateway). */
function s3Settings(loc: TableLocation): { endpoint?: string; region?: string; pathStyle: boolean } | null {
  if (loc.kind === 's3') return { endpoint: loc.endpoint, region: loc.region, pathStyle: !!loc.pathStyle || !!loc.endpoint };
  if (loc.kind === 'lakefs') return { endpoint: loc.endpoint, region: 'us-east-1', pathStyle: true };
  return null;
}

function credentialNote(loc: TableLocation): string[] {
  if (loc.kind === 'lakefs') {
    return ['Credentials: set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY to your lakeFS access key pair (the S3 gateway accepts them); nothing secret is written in this code.'];
  }
  if (loc.kind === 's3') return ['Credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or the default AWS credential chain; nothing secret is written in this code.'];
  return [];
}

/**
 * Why an engine cannot hand back row IDs (checked against their documentation, 2026-12):
 * - delta-rs: no row tracking read support; its Row Tracking feature is an open request
 *   (delta-io/delta-rs issue #3254 "RowTracking feature") and its scans have no `_metadata` column.
 * - DuckDB `delta` extension: its documented features (duckdb/duckdb-delta README: scans,
 *   deletion vectors, structs, VARIANT, blind inserts) include no row tracking column.
 * - Trino Delta Lake connector: its metadata columns are `$path`, `$file_modified_time`,
 *   `$file_size` (and `$partition`); no row ID or row commit version.
 */
export const ROW_TRACKING_UNSUPPORTED: Record<'deltalake' | 'duckdb' | 'trino', string> = {
  deltalake:
    'delta-rs does not expose row tracking: it has no _metadata.row_id / row_commit_version column (row tracking reads are an open request, delta-io/delta-rs#3254). Use Spark for row IDs.',
  duckdb: "DuckDB's delta extension does not expose row tracking (no row_id or row_commit_version column on delta scans). Use Spark for row IDs.",
  trino: "Trino's Delta Lake connector does not expose row tracking: its hidden columns are $path, $file_modified_time and $file_size, no row ID or row commit version. Use Spark for row IDs.",
};

/** Spark's row tracking fields, selected after the data columns of a `rowTracking` question. */
const SPARK_ROW_TRACKING = ['_metadata.row_id', '_metadata.row_commit_version'];

// ---------------------------------------------------------------------------------------------
// Spark SQL and PySpark
// ---------------------------------------------------------------------------------------------

function sparkTravel(q: { version?: number; timestamp?: string }): string {
  if (q.version !== undefined) return ` VERSION AS OF ${q.version}`;
  if (q.timestamp) return ` TIMESTAMP AS OF ${sqlString(q.timestamp)}`;
  return '';
}

function whereParts(q: Extract<HandoffQuery, { kind: 'data' }>, quote: (n: string) => string): string[] {
  const parts: string[] = [];
  for (const p of q.partitions ?? []) parts.push(p.value === null ? `${quote(p.column)} IS NULL` : `${quote(p.column)} = ${sqlLiteral(p.value)}`);
  if (q.where?.trim()) parts.push(`(${q.where.trim()})`);
  return parts;
}

function selectList(cols: string[] | undefined, quote: (n: string) => string): string {
  return cols?.length ? cols.map(quote).join(', ') : '*';
}

function sparkS3Conf(loc: TableLocation): [string, string][] {
  const s = s3Settings(loc);
  if (!s) return [];
  const conf: [string, string][] = [['spark.hadoop.fs.s3a.aws.credentials.provider', 'com.amazonaws.auth.EnvironmentVariableCredentialsProvider']];
  if (s.endpoint) conf.push(['spark.hadoop.fs.s3a.endpoint', s.endpoint]);
  if (s.pathStyle) conf.push(['spark.hadoop.fs.s3a.path.style.access', 'true']);
  if (s.endpoint?.startsWith('http://')) conf.push(['spark.hadoop.fs.s3a.connection.ssl.enabled', 'false']);
  return conf;
}

function sparkSql(loc: TableLocation, q: HandoffQuery): HandoffResult {
  const uri = tableUri(loc, 's3a');
  const t = `delta.${ident.spark(uri)}`;
  const notes = [...credentialNote(loc)];
  const conf = sparkS3Conf(loc);
  const header = conf.length ? `-- Start Spark with Delta Lake and:\n${conf.map(([k, v]) => `--   --conf ${k}=${v}`).join('\n')}\n` : '';
  let sql: string;
  switch (q.kind) {
    case 'data': {
      const where = whereParts(q, ident.spark);
      if (q.where) notes.push('The predicate is passed as written for Delta Explorer (DuckDB SQL); check its functions in Spark SQL.');
      const sel = q.rowTracking ? [...(q.columns ? q.columns.map(ident.spark) : ['*']), ...SPARK_ROW_TRACKING].join(', ') : selectList(q.columns, ident.spark);
      if (q.rowTracking) notes.push('_metadata.row_id and _metadata.row_commit_version are Spark\'s row tracking fields (Delta 3.2+ on a table with delta.enableRowTracking = true).');
      sql = `SELECT ${sel}\nFROM ${t}${sparkTravel(q)}${where.length ? `\nWHERE ${where.join('\n  AND ')}` : ''}${q.limit !== undefined ? `\nLIMIT ${q.limit}` : ''};`;
      break;
    }
    case 'files':
      sql = `SELECT ${selectList(q.columns, ident.spark)}\nFROM ${t}${sparkTravel(q)}\nWHERE _metadata.file_name IN (${q.files.map((f) => sqlString(fileName(f))).join(', ')});`;
      break;
    case 'changes':
      sql = `SELECT *\nFROM table_changes_by_path(${sqlString(uri)}, ${q.startVersion}${q.endVersion !== undefined ? `, ${q.endVersion}` : ''});`;
      break;
    case 'compare': {
      const a = `SELECT * FROM ${t} VERSION AS OF ${q.fromVersion}`;
      const b = `SELECT * FROM ${t} VERSION AS OF ${q.toVersion}`;
      sql = `SELECT 'added' AS _diff, * FROM (${b} EXCEPT ALL ${a})\nUNION ALL\nSELECT 'removed' AS _diff, * FROM (${a} EXCEPT ALL ${b});`;
      break;
    }
  }
  return { engine: 'spark', ok: true, language: 'sql', code: header + sql, notes };
}

function pyspark(loc: TableLocation, q: HandoffQuery): HandoffResult {
  const uri = tableUri(loc, 's3a');
  const notes = [...credentialNote(loc)];
  const conf = sparkS3Conf(loc);
  const lines: string[] = [
    '# pip install pyspark delta-spark   (hadoop-aws on the classpath for s3a://)',
    'from delta import configure_spark_with_delta_pip',
    'from pyspark.sql import SparkSession, functions as F',
    '',
    'builder = (',
    '    SparkSession.builder.appName("delta-explorer-handoff")',
    '    .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")',
    '    .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")',
    ...conf.map(([k, v]) => `    .config(${pyString(k)}, ${pyString(v)})`),
    ')',
    'spark = configure_spark_with_delta_pip(builder).getOrCreate()',
    `path = ${pyString(uri)}`,
    '',
  ];
  const reader = (v?: number, ts?: string) =>
    `spark.read.format("delta")${v !== undefined ? `.option("versionAsOf", ${v})` : ts ? `.option("timestampAsOf", ${pyString(ts)})` : ''}.load(path)`;
  switch (q.kind) {
    case 'data': {
      let expr = reader(q.version, q.timestamp);
      for (const p of q.partitions ?? []) {
        expr += p.value === null ? `.where(F.col(${pyString(p.column)}).isNull())` : `.where(F.col(${pyString(p.column)}) == ${typeof p.value === 'string' ? pyString(p.value) : typeof p.value === 'boolean' ? (p.value ? 'True' : 'False') : String(p.value)})`;
      }
      if (q.where?.trim()) {
        expr += `.where(${pyString(q.where.trim())})`;
        notes.push('The predicate is passed as written for Delta Explorer (DuckDB SQL); check its functions in Spark SQL.');
      }
      if (q.rowTracking) expr += `.select(${[...(q.columns ?? ['*']), ...SPARK_ROW_TRACKING].map(pyString).join(', ')})`;
      else if (q.columns?.length) expr += `.select(${q.columns.map(pyString).join(', ')})`;
      if (q.limit !== undefined) expr += `.limit(${q.limit})`;
      lines.push(`df = ${expr}`);
      break;
    }
    case 'files':
      lines.push(`files = [${q.files.map((f) => pyString(fileName(f))).join(', ')}]`);
      lines.push(`df = ${reader(q.version)}.where(F.col("_metadata.file_name").isin(files))${q.columns?.length ? `.select(${q.columns.map(pyString).join(', ')})` : ''}`);
      break;
    case 'changes':
      lines.push(
        `df = (spark.read.format("delta").option("readChangeFeed", "true")\n      .option("startingVersion", ${q.startVersion})${q.endVersion !== undefined ? `\n      .option("endingVersion", ${q.endVersion})` : ''}\n      .load(path))`,
      );
      break;
    case 'compare':
      lines.push(`before = ${reader(q.fromVersion)}`);
      lines.push(`after = ${reader(q.toVersion)}`);
      lines.push('df = (after.exceptAll(before).withColumn("_diff", F.lit("added"))');
      lines.push('      .unionByName(before.exceptAll(after).withColumn("_diff", F.lit("removed"))))');
      break;
  }
  lines.push('df.show(truncate=False)');
  return { engine: 'pyspark', ok: true, language: 'python', code: lines.join('\n'), notes };
}

// ---------------------------------------------------------------------------------------------
// delta-rs (Python deltalake)
// ---------------------------------------------------------------------------------------------

function deltalakePy(loc: TableLocation, q: HandoffQuery): HandoffResult {
  if (q.kind === 'files') {
    return {
      engine: 'deltalake',
      ok: false,
      unsupported:
        'delta-rs has no way to read only given data files while applying deletion vectors and partition values; filter by a partition or a predicate instead.',
    };
  }
  if (q.kind === 'data' && q.rowTracking) return { engine: 'deltalake', ok: false, unsupported: ROW_TRACKING_UNSUPPORTED.deltalake };
  if (loc.kind === 'http') return { engine: 'deltalake', ok: false, unsupported: 'delta-rs cannot open a table over plain HTTP(S); download it or use its S3 location.' };
  const uri = tableUri(loc, 's3');
  const notes = [...credentialNote(loc)];
  const s3 = s3Settings(loc);
  const lines: string[] = ['# pip install deltalake', 'import os', 'from deltalake import DeltaTable, QueryBuilder', ''];
  let opts = '';
  if (s3) {
    lines.push('storage_options = {');
    lines.push('    "AWS_ACCESS_KEY_ID": os.environ["AWS_ACCESS_KEY_ID"],');
    lines.push('    "AWS_SECRET_ACCESS_KEY": os.environ["AWS_SECRET_ACCESS_KEY"],');
    lines.push(`    "AWS_REGION": os.environ.get("AWS_REGION", ${pyString(s3.region ?? 'us-east-1')}),`);
    if (s3.endpoint) lines.push(`    "AWS_ENDPOINT_URL": ${pyString(s3.endpoint)},`);
    if (s3.endpoint?.startsWith('http://')) lines.push('    "AWS_ALLOW_HTTP": "true",');
    if (s3.pathStyle) lines.push('    "AWS_VIRTUAL_HOSTED_STYLE_REQUEST": "false",');
    lines.push('}');
    lines.push('if os.environ.get("AWS_SESSION_TOKEN"):');
    lines.push('    storage_options["AWS_SESSION_TOKEN"] = os.environ["AWS_SESSION_TOKEN"]');
    opts = ', storage_options=storage_options';
  }
  const path = loc.kind === 'local' ? loc.path : uri;
  lines.push(`path = ${pyString(path)}`);
  const open = (v?: number) => `DeltaTable(path${v !== undefined ? `, version=${v}` : ''}${opts})`;
  const q2 = ident.ansi;
  switch (q.kind) {
    case 'data': {
      lines.push(`dt = ${open(q.version)}`);
      if (q.timestamp && q.version === undefined) lines.push(`dt.load_as_version(${pyString(q.timestamp)})`);
      const where = whereParts(q, q2);
      if (q.where) notes.push('The predicate is passed as written for Delta Explorer (DuckDB SQL) to DataFusion SQL; check its functions.');
      const sql = `SELECT ${selectList(q.columns, q2)} FROM t${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${q.limit !== undefined ? ` LIMIT ${q.limit}` : ''}`;
      lines.push(`table = QueryBuilder().register("t", dt).execute(${pyString(sql)}).read_all()`);
      break;
    }
    case 'changes':
      lines.push(`dt = ${open()}`);
      lines.push(`table = dt.load_cdf(starting_version=${q.startVersion}${q.endVersion !== undefined ? `, ending_version=${q.endVersion}` : ''}).read_all()`);
      break;
    case 'compare':
      lines.push(`before = ${open(q.fromVersion)}`);
      lines.push(`after = ${open(q.toVersion)}`);
      lines.push(
        `table = (QueryBuilder().register("a", before).register("b", after)\n         .execute("SELECT 'added' AS _diff, * FROM (SELECT * FROM b EXCEPT ALL SELECT * FROM a) UNION ALL SELECT 'removed' AS _diff, * FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM b)")\n         .read_all())`,
      );
      break;
  }
  lines.push('print(table)');
  return { engine: 'deltalake', ok: true, language: 'python', code: lines.join('\n'), notes };
}

// ---------------------------------------------------------------------------------------------
// DuckDB
// ---------------------------------------------------------------------------------------------

function duckdb(loc: TableLocation, q: HandoffQuery): HandoffResult {
  if (q.kind === 'changes') {
    return { engine: 'duckdb', ok: false, unsupported: "DuckDB's delta extension cannot read the Change Data Feed (no table_changes); use Spark or delta-rs for changes." };
  }
  if (q.kind === 'data' && q.rowTracking) return { engine: 'duckdb', ok: false, unsupported: ROW_TRACKING_UNSUPPORTED.duckdb };
  if (q.kind === 'data' && q.version === undefined && q.timestamp && q.resolvedVersion === undefined) {
    return {
      engine: 'duckdb',
      ok: false,
      unsupported: "DuckDB's delta extension (1.4) travels by version only (AT (VERSION => n); a TIMESTAMP is refused): pick the version current at that time (Delta Explorer shows it) and ask again.",
    };
  }
  const notes = [...credentialNote(loc)];
  const lines: string[] = ['INSTALL delta;', 'LOAD delta;'];
  const s3 = s3Settings(loc);
  if (s3) {
    const parts = ['TYPE s3', 'PROVIDER credential_chain', "CHAIN 'env'"];
    if (s3.region) parts.push(`REGION ${sqlString(s3.region)}`);
    if (s3.endpoint) {
      parts.push(`ENDPOINT ${sqlString(s3.endpoint.replace(/^https?:\/\//, ''))}`);
      if (s3.endpoint.startsWith('http://')) parts.push('USE_SSL false');
    }
    if (s3.pathStyle) parts.push("URL_STYLE 'path'");
    lines.push(`-- Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment:`);
    lines.push(`CREATE SECRET delta_explorer_s3 (${parts.join(', ')});`);
  }
  const uri = loc.kind === 'local' ? loc.path : tableUri(loc, 's3');
  lines.push(`ATTACH ${sqlString(uri)} AS t (TYPE delta);`);
  const at = (v?: number) => (v !== undefined ? ` AT (VERSION => ${v})` : '');
  const q2 = ident.ansi;
  switch (q.kind) {
    case 'data': {
      const where = whereParts(q, q2);
      const v = q.version ?? q.resolvedVersion;
      if (q.version === undefined && q.timestamp) lines.push(`-- Version ${v} was current at ${q.timestamp} (resolved by Delta Explorer; the extension travels by version only).`);
      lines.push(`SELECT ${selectList(q.columns, q2)}\nFROM t${at(v)}${where.length ? `\nWHERE ${where.join('\n  AND ')}` : ''}${q.limit !== undefined ? `\nLIMIT ${q.limit}` : ''};`);
      break;
    }
    case 'files':
      return {
        engine: 'duckdb',
        ok: false,
        unsupported: "DuckDB's delta extension does not expose a row's data file name (no filename column on delta tables), so a read of given files cannot be written; filter by a partition or a predicate instead.",
      };
    case 'compare':
      lines.push(
        `SELECT 'added' AS _diff, * FROM (FROM t${at(q.toVersion)} EXCEPT ALL FROM t${at(q.fromVersion)})\nUNION ALL\nSELECT 'removed' AS _diff, * FROM (FROM t${at(q.fromVersion)} EXCEPT ALL FROM t${at(q.toVersion)});`,
      );
      break;
  }
  return { engine: 'duckdb', ok: true, language: 'sql', code: lines.join('\n'), notes };
}

// ---------------------------------------------------------------------------------------------
// Trino
// ---------------------------------------------------------------------------------------------

function trino(loc: TableLocation, q: HandoffQuery): HandoffResult {
  if (q.kind === 'data' && q.rowTracking) return { engine: 'trino', ok: false, unsupported: ROW_TRACKING_UNSUPPORTED.trino };
  if (loc.kind === 'http') return { engine: 'trino', ok: false, unsupported: 'Trino reads Delta tables from object storage or HDFS, not over plain HTTP.' };
  const notes = ['Trino needs a catalog with the delta_lake connector (here named delta) and the table registered once; S3 credentials go in the catalog properties, never in queries.'];
  const uri = tableUri(loc, 's3');
  const name = 'delta.default.t';
  const lines = [
    `-- Once: CALL delta.system.register_table(schema_name => 'default', table_name => 't', table_location => ${sqlString(uri)});`,
  ];
  const travel = (v?: number, ts?: string) => (v !== undefined ? ` FOR VERSION AS OF ${v}` : ts ? ` FOR TIMESTAMP AS OF TIMESTAMP ${sqlString(ts.replace('T', ' ').replace(/Z$/, ' UTC'))}` : '');
  const q2 = ident.ansi;
  switch (q.kind) {
    case 'data': {
      const where = whereParts(q, q2);
      if (q.where) notes.push('The predicate is passed as written for Delta Explorer (DuckDB SQL); check its functions in Trino.');
      lines.push(`SELECT ${selectList(q.columns, q2)}\nFROM ${name}${travel(q.version, q.timestamp)}${where.length ? `\nWHERE ${where.join('\n  AND ')}` : ''}${q.limit !== undefined ? `\nLIMIT ${q.limit}` : ''};`);
      break;
    }
    case 'files':
      lines.push(
        `SELECT ${selectList(q.columns, q2)}\nFROM ${name}${travel(q.version)}\nWHERE element_at(split("$path", '/'), -1) IN (${q.files.map((f) => sqlString(fileName(f))).join(', ')});`,
      );
      break;
    case 'changes':
      // table_changes returns the changes AFTER since_version: start one before.
      lines.push(
        `SELECT *\nFROM TABLE(delta.system.table_changes(schema_name => 'default', table_name => 't', since_version => ${q.startVersion - 1}))${q.endVersion !== undefined ? `\nWHERE _commit_version <= ${q.endVersion}` : ''};`,
      );
      notes.push('table_changes returns changes after since_version, so it is one less than the first version asked for.');
      break;
    case 'compare':
      lines.push(
        `SELECT 'added' AS _diff, * FROM (SELECT * FROM ${name} FOR VERSION AS OF ${q.toVersion} EXCEPT ALL SELECT * FROM ${name} FOR VERSION AS OF ${q.fromVersion})\nUNION ALL\nSELECT 'removed' AS _diff, * FROM (SELECT * FROM ${name} FOR VERSION AS OF ${q.fromVersion} EXCEPT ALL SELECT * FROM ${name} FOR VERSION AS OF ${q.toVersion});`,
      );
      break;
  }
  lines.push('-- History: SELECT * FROM delta.default."t$history" ORDER BY version DESC;');
  return { engine: 'trino', ok: true, language: 'sql', code: lines.join('\n'), notes };
}

/**
 * Code for one engine. Never throws for a valid query; returns `ok: false` with the reason when the
 * engine cannot express the question (DuckDB and Change Data Feed or file lists, delta-rs and file
 * lists, plain-HTTP tables for delta-rs and Trino).
 */
export function handoff(engine: HandoffEngine, location: TableLocation, query: HandoffQuery): HandoffResult {
  switch (engine) {
    case 'spark':
      return sparkSql(location, query);
    case 'pyspark':
      return pyspark(location, query);
    case 'deltalake':
      return deltalakePy(location, query);
    case 'duckdb':
      return duckdb(location, query);
    case 'trino':
      return trino(location, query);
  }
}

/** Code for every engine, in {@link HANDOFF_ENGINES} order. */
export function handoffAll(location: TableLocation, query: HandoffQuery): HandoffResult[] {
  return HANDOFF_ENGINES.map((e) => handoff(e, location, query));
}

/**
 * The hand-off question of a Data-tab SQL text: a plain `SELECT <columns|*> FROM t [WHERE …]
 * [LIMIT n]` carries its columns, predicate and limit over; so does the same over `"t$rows"`
 * (row tracking: `rowTracking`, with `_metadata`, `_metadata.row_id` or
 * `_metadata.row_commit_version`, aliased or not, allowed in the select list — Spark's code selects
 * both fields under Spark's names).
 * Anything else (joins, aggregates, `"t@v3"`, functions in the select list) gives the rows of the
 * version (with their row tracking metadata when the SQL reads `"t$rows"`) and `translated: false`,
 * so the UI can say the SQL itself was not carried over. `version` undefined: the latest.
 */
export function dataQueryFromSql(sql: string, version: number | undefined): { query: Extract<HandoffQuery, { kind: 'data' }>; translated: boolean } {
  const m = /^\s*select\s+(.+?)\s+from\s+(t|"t\$rows")(?:\s+where\s+(.+?))?(?:\s+limit\s+(\d+))?\s*;?\s*$/is.exec(sql);
  const readsRows = /"t(@[^"$]*)?\$rows"/i.test(sql);
  const base = { kind: 'data' as const, version, ...(readsRows ? { rowTracking: true } : {}) };
  if (!m) return { query: base, translated: false };
  const [, sel, from, where, limit] = m;
  const rowTracking = from.toLowerCase() !== 't';
  let columns: string[] | undefined;
  if (sel.trim() !== '*') {
    let parts = sel.split(',').map((c) => c.trim());
    if (rowTracking) parts = parts.filter((c) => !/^_metadata(\.(row_id|row_commit_version))?(\s+as\s+("[^"]+"|[A-Za-z_][A-Za-z0-9_]*))?$/i.test(c));
    if (!parts.every((c) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(c) || /^"[^"]+"$/.test(c))) return { query: base, translated: false };
    // With row tracking an empty list means "only the row tracking fields".
    columns = parts.map((c) => (c.startsWith('"') ? c.slice(1, -1) : c));
  }
  if (where && /\b(select|from|join)\b/i.test(where)) return { query: base, translated: false };
  return { query: { ...base, columns, where: where?.trim() || undefined, limit: limit !== undefined ? Number(limit) : undefined }, translated: true };
}
