/**
 * `--as ENGINE` on scan, sql and changes: the printed code (nothing is read), the refusals, and the
 * mapping of remote locations. Expected text follows the engines' documented syntax (see
 * src/explore/handoff.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures.ts';
import { locationOf, queryOf } from './handoff-cli.ts';
import { main } from './main.ts';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('--as', () => {
  it('scan --as spark prints VERSION AS OF with the columns and predicate', async () => {
    const r = await run('scan', fixture('simple_table'), '--version', '2', '--columns', 'id', '--where', 'id > 5', '--as', 'spark');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`SELECT \`id\`\nFROM delta.\`file://${fixture('simple_table')}\` VERSION AS OF 2\nWHERE (id > 5);\n-- The predicate is passed as written for Delta Explorer (DuckDB SQL); check its functions in Spark SQL.\n`);
  });

  it('changes --as pyspark / deltalake / trino; duckdb refuses with the reason', async () => {
    expect((await run('changes', fixture('cdf-table-simple'), '--from', '1', '--to', '3', '--as', 'pyspark')).out).toContain('.option("endingVersion", 3)');
    expect((await run('changes', fixture('cdf-table-simple'), '--from', '1', '--as', 'deltalake')).out).toContain('dt.load_cdf(starting_version=1)');
    expect((await run('changes', fixture('cdf-table-simple'), '--from', '1', '--as', 'trino')).out).toContain('since_version => 0');
    const duck = await run('changes', fixture('cdf-table-simple'), '--from', '1', '--as', 'duckdb');
    expect(duck.code).toBe(1);
    expect(duck.out).toBe('');
    expect(duck.err).toMatch(/^error: DuckDB's delta extension cannot read the Change Data Feed/);
  });

  it('sql --as spark carries a plain query over "t$rows" with row IDs; other engines and other SQL refuse', async () => {
    const dir = fixture('simple_table');
    const r = await run('sql', dir, 'SELECT id, _metadata.row_id FROM "t$rows" WHERE id > 5', '--version', '2', '--as', 'spark');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`SELECT \`id\`, _metadata.row_id, _metadata.row_commit_version\nFROM delta.\`file://${dir}\` VERSION AS OF 2\nWHERE (id > 5);`);
    const duck = await run('sql', dir, 'SELECT * FROM "t$rows"', '--as', 'duckdb');
    expect(duck.code).toBe(1);
    expect(duck.err).toMatch(/^error: DuckDB's delta extension does not expose row tracking/);
    expect((await run('sql', dir, 'SELECT * FROM t LIMIT 3', '--as', 'duckdb')).out).toContain('FROM t\nLIMIT 3;');
    const other = await run('sql', dir, 'SELECT count(*) FROM t', '--as', 'spark');
    expect(other.code).toBe(2);
    expect(other.err).toContain('--as carries over only SELECT');
  });

  it('rejects an unknown engine, another command, and a time range for changes', async () => {
    expect((await run('scan', fixture('simple_table'), '--as', 'oracle')).code).toBe(2);
    expect((await run('info', fixture('simple_table'), '--as', 'spark')).err).toContain('does not take --as');
    const ts = await run('changes', fixture('cdf-table-simple'), '--from-timestamp', '2020-01-01', '--as', 'spark');
    expect(ts.code).toBe(2);
    expect(ts.err).toContain('give --from V');
  });

  it('maps s3:// and lakefs:// locations with endpoints from the environment, never credentials', () => {
    const env = { AWS_ENDPOINT_URL: 'http://minio:9000', AWS_REGION: 'eu-west-1', AWS_SECRET_ACCESS_KEY: 'sekrit', LAKECTL_SERVER_ENDPOINT_URL: 'https://lakefs.example.com/api/v1' };
    expect(locationOf('s3://b/x/y', env)).toEqual({ kind: 's3', bucket: 'b', prefix: 'x/y', endpoint: 'http://minio:9000', region: 'eu-west-1', pathStyle: true });
    expect(locationOf('lakefs://repo/main/t', env)).toEqual({ kind: 'lakefs', endpoint: 'https://lakefs.example.com', repository: 'repo', ref: 'main', path: 't' });
    expect(JSON.stringify(locationOf('s3://b/x', env))).not.toContain('sekrit');
    expect(queryOf('scan', { limit: 5 })).toEqual({ kind: 'data', version: undefined, timestamp: undefined, columns: undefined, where: undefined, limit: 5 });
  });
});
