/**
 * The generated hand-off text, hermetic (no engine runs here; `peers/handoff.test.ts` runs the same
 * code in Spark, delta-rs and DuckDB under `npm run test:peers`). Expected snippets are written from
 * each engine's documented syntax: Spark `VERSION AS OF` / `TIMESTAMP AS OF` / `table_changes_by_path`
 * / `_metadata.file_name`; deltalake `DeltaTable(..., version=)` / `load_cdf` / `storage_options`;
 * DuckDB `ATTACH ... (TYPE delta)` / `AT (VERSION => n)` / `CREATE SECRET (PROVIDER credential_chain)`;
 * Trino `FOR VERSION AS OF` / `table_changes(since_version)` / `"t$history"`.
 */
import { describe, expect, it } from 'vitest';
import { handoff, handoffAll, HANDOFF_ENGINES, pyString, sqlString, tableUri, type HandoffQuery, type TableLocation } from './handoff.ts';

const LOCAL: TableLocation = { kind: 'local', path: '/data/my table' };
const S3: TableLocation = { kind: 's3', bucket: 'lake', prefix: 'sales/orders', endpoint: 'http://127.0.0.1:9000', region: 'eu-west-1' };
const LAKEFS: TableLocation = { kind: 'lakefs', endpoint: 'https://lakefs.example.com', repository: 'repo', ref: 'main', path: 'tables/orders' };

function code(engine: Parameters<typeof handoff>[0], loc: TableLocation, q: HandoffQuery): string {
  const r = handoff(engine, loc, q);
  if (!r.ok) throw new Error(`unexpected refusal: ${r.unsupported}`);
  return r.code;
}

describe('locations and quoting', () => {
  it('builds table URIs', () => {
    expect(tableUri(LOCAL)).toBe('file:///data/my table');
    expect(tableUri(S3, 's3a')).toBe('s3a://lake/sales/orders');
    expect(tableUri(LAKEFS)).toBe('s3://repo/main/tables/orders');
  });
  it('quotes strings for SQL and Python', () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(pyString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});

describe('Spark SQL', () => {
  it('time travel by version and timestamp, columns, filters, limit', () => {
    expect(code('spark', LOCAL, { kind: 'data', version: 3 })).toBe('SELECT *\nFROM delta.`file:///data/my table` VERSION AS OF 3;');
    const c = code('spark', LOCAL, {
      kind: 'data',
      timestamp: '2024-05-01T12:00:00Z',
      columns: ['id', 'we`ird'],
      partitions: [{ column: 'day', value: '2024-05-01' }, { column: 'region', value: null }],
      where: 'amount > 10',
      limit: 100,
    });
    expect(c).toBe(
      "SELECT `id`, `we``ird`\nFROM delta.`file:///data/my table` TIMESTAMP AS OF '2024-05-01T12:00:00Z'\nWHERE `day` = '2024-05-01'\n  AND `region` IS NULL\n  AND (amount > 10)\nLIMIT 100;",
    );
  });
  it('files, changes, compare', () => {
    expect(code('spark', LOCAL, { kind: 'files', files: ['p=1/part-0%20a.parquet'] })).toContain("WHERE _metadata.file_name IN ('part-0 a.parquet')");
    expect(code('spark', LOCAL, { kind: 'changes', startVersion: 2, endVersion: 5 })).toBe("SELECT *\nFROM table_changes_by_path('file:///data/my table', 2, 5);");
    const cmp = code('spark', LOCAL, { kind: 'compare', fromVersion: 1, toVersion: 4 });
    expect(cmp).toContain("SELECT 'added' AS _diff, * FROM (SELECT * FROM delta.`file:///data/my table` VERSION AS OF 4 EXCEPT ALL SELECT * FROM delta.`file:///data/my table` VERSION AS OF 1)");
    expect(cmp).toContain("SELECT 'removed' AS _diff");
  });
  it('S3: s3a path and connector settings, credentials from the environment only', () => {
    const c = code('spark', S3, { kind: 'data' });
    expect(c).toContain('delta.`s3a://lake/sales/orders`');
    expect(c).toContain('--conf spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000');
    expect(c).toContain('EnvironmentVariableCredentialsProvider');
    expect(c).toContain('path.style.access=true');
  });
});

describe('PySpark', () => {
  it('reads with options and builds df', () => {
    const c = code('pyspark', LOCAL, { kind: 'data', version: 7, partitions: [{ column: 'n', value: 3 }], columns: ['a'] });
    expect(c).toContain('spark.read.format("delta").option("versionAsOf", 7).load(path).where(F.col("n") == 3).select("a")');
    expect(c).toContain('configure_spark_with_delta_pip(builder).getOrCreate()');
    expect(c).toContain('path = "file:///data/my table"');
    const cdf = code('pyspark', LOCAL, { kind: 'changes', startVersion: 1 });
    expect(cdf).toContain('.option("readChangeFeed", "true")');
    expect(cdf).toContain('.option("startingVersion", 1)');
    expect(cdf).not.toContain('endingVersion');
    expect(code('pyspark', LOCAL, { kind: 'compare', fromVersion: 0, toVersion: 2 })).toContain('after.exceptAll(before)');
    expect(code('pyspark', LOCAL, { kind: 'files', files: ['x/f.parquet'] })).toContain('F.col("_metadata.file_name").isin(files)');
  });
});

describe('delta-rs (Python)', () => {
  it('version, timestamp, CDF', () => {
    const c = code('deltalake', LOCAL, { kind: 'data', version: 2, where: 'id > 1' });
    expect(c).toContain('dt = DeltaTable(path, version=2)');
    expect(c).toContain('path = "/data/my table"');
    expect(c).toContain('QueryBuilder().register("t", dt).execute("SELECT * FROM t WHERE (id > 1)")');
    expect(code('deltalake', LOCAL, { kind: 'data', timestamp: '2024-01-01T00:00:00Z' })).toContain('dt.load_as_version("2024-01-01T00:00:00Z")');
    expect(code('deltalake', LOCAL, { kind: 'changes', startVersion: 0, endVersion: 3 })).toContain('dt.load_cdf(starting_version=0, ending_version=3).read_all()');
  });
  it('S3 and lakeFS: storage_options from the environment, no secret in the text', () => {
    const c = code('deltalake', S3, { kind: 'data' });
    expect(c).toContain('"AWS_ACCESS_KEY_ID": os.environ["AWS_ACCESS_KEY_ID"]');
    expect(c).toContain('"AWS_SECRET_ACCESS_KEY": os.environ["AWS_SECRET_ACCESS_KEY"]');
    expect(c).toContain('"AWS_ENDPOINT_URL": "http://127.0.0.1:9000"');
    expect(c).toContain('"AWS_ALLOW_HTTP": "true"');
    expect(c).toContain('DeltaTable(path, storage_options=storage_options)');
    const l = code('deltalake', LAKEFS, { kind: 'data' });
    expect(l).toContain('path = "s3://repo/main/tables/orders"');
    expect(l).toContain('"AWS_ENDPOINT_URL": "https://lakefs.example.com"');
    expect(handoff('deltalake', LAKEFS, { kind: 'data' })).toMatchObject({ notes: [expect.stringContaining('lakeFS access key')] });
  });
  it('says it cannot read a list of files', () => {
    const r = handoff('deltalake', LOCAL, { kind: 'files', files: ['a.parquet'] });
    expect(r.ok).toBe(false);
  });
});

describe('DuckDB', () => {
  it('ATTACH with AT (VERSION/TIMESTAMP), secrets through the credential chain', () => {
    expect(code('duckdb', LOCAL, { kind: 'data', version: 1 })).toBe("INSTALL delta;\nLOAD delta;\nATTACH '/data/my table' AS t (TYPE delta);\nSELECT *\nFROM t AT (VERSION => 1);");
    // The extension (1.4.4, measured) refuses AT (TIMESTAMP => …): a timestamp needs the version it resolves to.
    expect(handoff('duckdb', LOCAL, { kind: 'data', timestamp: '2024-01-01T00:00:00Z' })).toMatchObject({ ok: false, unsupported: expect.stringContaining('version only') });
    const ts = code('duckdb', LOCAL, { kind: 'data', timestamp: '2024-01-01T00:00:00Z', resolvedVersion: 6 });
    expect(ts).toContain('-- Version 6 was current at 2024-01-01T00:00:00Z');
    expect(ts).toContain('FROM t AT (VERSION => 6);');
    const s3 = code('duckdb', S3, { kind: 'data' });
    expect(s3).toContain("CREATE SECRET delta_explorer_s3 (TYPE s3, PROVIDER credential_chain, CHAIN 'env', REGION 'eu-west-1', ENDPOINT '127.0.0.1:9000', USE_SSL false, URL_STYLE 'path');");
    expect(s3).toContain("ATTACH 's3://lake/sales/orders' AS t (TYPE delta);");
    expect(code('duckdb', LOCAL, { kind: 'compare', fromVersion: 1, toVersion: 2 })).toContain('FROM t AT (VERSION => 2) EXCEPT ALL FROM t AT (VERSION => 1)');
  });
  it('says it has no Change Data Feed and no file filter', () => {
    const cdf = handoff('duckdb', LOCAL, { kind: 'changes', startVersion: 0 });
    expect(cdf).toMatchObject({ ok: false, unsupported: expect.stringContaining('Change Data Feed') });
    expect(handoff('duckdb', LOCAL, { kind: 'files', files: ['a'] }).ok).toBe(false);
  });
});

describe('Trino', () => {
  it('FOR VERSION / TIMESTAMP AS OF, table_changes one before the start, $history', () => {
    const c = code('trino', S3, { kind: 'data', version: 5, columns: ['a'] });
    expect(c).toContain("CALL delta.system.register_table(schema_name => 'default', table_name => 't', table_location => 's3://lake/sales/orders')");
    expect(c).toContain('SELECT "a"\nFROM delta.default.t FOR VERSION AS OF 5;');
    expect(c).toContain('"t$history"');
    expect(code('trino', S3, { kind: 'data', timestamp: '2024-05-01T12:00:00Z' })).toContain("FOR TIMESTAMP AS OF TIMESTAMP '2024-05-01 12:00:00 UTC'");
    const ch = code('trino', S3, { kind: 'changes', startVersion: 3, endVersion: 6 });
    expect(ch).toContain('since_version => 2');
    expect(ch).toContain('WHERE _commit_version <= 6');
    expect(code('trino', S3, { kind: 'files', files: ['d=1/f.parquet'] })).toContain(`WHERE element_at(split("$path", '/'), -1) IN ('f.parquet')`);
  });
  it('refuses plain HTTP tables', () => {
    expect(handoff('trino', { kind: 'http', url: 'https://x/t' }, { kind: 'data' }).ok).toBe(false);
  });
});

describe('no secrets, every engine', () => {
  it('never writes a credential value, whatever the location', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    process.env.AWS_SECRET_ACCESS_KEY = secret;
    try {
      for (const loc of [S3, LAKEFS])
        for (const q of [{ kind: 'data' }, { kind: 'changes', startVersion: 0 }, { kind: 'compare', fromVersion: 0, toVersion: 1 }] as HandoffQuery[])
          for (const r of handoffAll(loc, q)) if (r.ok) expect(r.code).not.toContain(secret);
    } finally {
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
    expect(handoffAll(LOCAL, { kind: 'data' }).map((r) => r.engine)).toEqual([...HANDOFF_ENGINES]);
  });
});

describe('dataQueryFromSql (Data tab)', () => {
  it('carries a plain SELECT over t, nothing else', async () => {
    const { dataQueryFromSql } = await import('./handoff.ts');
    expect(dataQueryFromSql('SELECT id, "my col" FROM t WHERE id > 3 LIMIT 10;', 4)).toEqual({
      query: { kind: 'data', version: 4, columns: ['id', 'my col'], where: 'id > 3', limit: 10 },
      translated: true,
    });
    expect(dataQueryFromSql('select * from t', 2)).toEqual({ query: { kind: 'data', version: 2, columns: undefined, where: undefined, limit: undefined }, translated: true });
    for (const sql of ['SELECT count(*) FROM t', 'SELECT * FROM "t@v1"', 'SELECT * FROM t JOIN u ON 1=1', 'SELECT * FROM t WHERE id IN (SELECT 1 FROM t)']) {
      expect(dataQueryFromSql(sql, 7), sql).toEqual({ query: { kind: 'data', version: 7 }, translated: false });
    }
  });
});

describe('row tracking ("t$rows")', () => {
  const q: HandoffQuery = { kind: 'data', version: 3, columns: ['id'], where: 'id > 2', rowTracking: true };
  it('Spark SQL and PySpark select _metadata.row_id and _metadata.row_commit_version after the columns', () => {
    expect(code('spark', LOCAL, q)).toBe('SELECT `id`, _metadata.row_id, _metadata.row_commit_version\nFROM delta.`file:///data/my table` VERSION AS OF 3\nWHERE (id > 2);');
    expect(code('spark', LOCAL, { kind: 'data', rowTracking: true })).toContain('SELECT *, _metadata.row_id, _metadata.row_commit_version\nFROM');
    expect(code('spark', LOCAL, { kind: 'data', columns: [], rowTracking: true })).toContain('SELECT _metadata.row_id, _metadata.row_commit_version\nFROM');
    expect(code('pyspark', LOCAL, q)).toContain('.where("id > 2").select("id", "_metadata.row_id", "_metadata.row_commit_version")');
    expect(code('pyspark', LOCAL, { kind: 'data', rowTracking: true })).toContain('.select("*", "_metadata.row_id", "_metadata.row_commit_version")');
  });

  it('delta-rs, DuckDB and Trino say plainly that they expose no row IDs (never code without them)', () => {
    for (const e of ['deltalake', 'duckdb', 'trino'] as const) {
      const r = handoff(e, S3, q);
      expect(r.ok, e).toBe(false);
      if (!r.ok) expect(r.unsupported, e).toMatch(/row tracking.*Use Spark for row IDs/s);
    }
  });

  it('dataQueryFromSql carries SELECT … FROM "t$rows" over with rowTracking', async () => {
    const { dataQueryFromSql } = await import('./handoff.ts');
    expect(dataQueryFromSql('SELECT id, _metadata.row_id FROM "t$rows" WHERE p = \'b\' LIMIT 5', 6)).toEqual({
      query: { kind: 'data', version: 6, rowTracking: true, columns: ['id'], where: "p = 'b'", limit: 5 },
      translated: true,
    });
    expect(dataQueryFromSql('select * from "t$rows"', 2).query).toEqual({ kind: 'data', version: 2, rowTracking: true, columns: undefined, where: undefined, limit: undefined });
    expect(dataQueryFromSql('SELECT _metadata FROM "t$rows"', 2).query.columns).toEqual([]);
    expect(dataQueryFromSql('SELECT id, _metadata.row_id AS row_id FROM "t$rows"', 2)).toMatchObject({ query: { columns: ['id'], rowTracking: true }, translated: true });
    // Other SQL over "t$rows": the version's rows, still with row tracking, not translated.
    expect(dataQueryFromSql('SELECT count(*) FROM "t@v1$rows"', 7)).toEqual({ query: { kind: 'data', version: 7, rowTracking: true }, translated: false });
    expect(dataQueryFromSql('SELECT * FROM t', 7).query.rowTracking).toBeUndefined();
  });
});
