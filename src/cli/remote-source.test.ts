/**
 * The CLI reading remote tables (issue #16), run as users run it (`bin/delta-explorer.mjs` in a child
 * process, settings in its environment): `http://` through the fault-injecting proxy in front of the
 * project's static server, `s3://` against s3rver (`AWS_*` variables, `AWS_ENDPOINT_URL`), and
 * `lakefs://` against the lakeFS double (`~/.lakectl.yaml`-style file via `LAKECTL_CONFIG_FILE`).
 * Expected output: the same command on the fixture folder on disk (whose correctness `main.test.ts`
 * establishes), less the `location` line.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../../test/fixtures.ts';
import { startFaultProxy, type FaultProxy } from '../../test/fault-proxy.ts';
import { LakeFsDouble, seedDeltaRepositories, type SeededFacts } from '../../test/lakefs/double.ts';
import { S3RVER_KEY, S3RVER_SECRET, startS3Server, type S3Server } from '../../e2e/s3-server.ts';
import { startStaticServer, type RunningStaticServer } from '../server/static.ts';
import { isRemoteLocation } from './remote-source.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join('bin', 'delta-explorer.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const localRuns = new Map<string, Promise<Run>>();
/** {@link cli} on a local folder, run once per argument list. */
function local(args: string[]): Promise<Run> {
  const key = JSON.stringify(args);
  if (!localRuns.has(key)) localRuns.set(key, cli(args));
  return localRuns.get(key)!;
}

/** Runs the CLI with `args` and extra environment variables (no AWS or lakectl settings inherited). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|LAKECTL_)/.test(k)));
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...base, HOME: home, ...env }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** `info --json` without its location (which names where the table was read from). */
const infoOf = (r: Run) => {
  expect(r.stderr).not.toMatch(/^error/m);
  // The location names where it was read from; lastModified is the newest log file's time, which an upload sets.
  const { location: _l, lastModified: _m, ...rest } = JSON.parse(r.stdout) as Record<string, unknown>;
  return rest;
};

let server: RunningStaticServer;
let proxy: FaultProxy;
let s3: S3Server;
let double: LakeFsDouble;
let facts: SeededFacts;
let lakefsEndpoint = '';
const home = mkdtempSync(join(tmpdir(), 'dx-cli-home-'));
const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', name: 'admin' };

beforeAll(async () => {
  server = await startStaticServer({ mounts: [{ urlPrefix: '/fixtures/', root: FIXTURES, dotfiles: true, listing: true }, { urlPrefix: '/plain/', root: FIXTURES, dotfiles: true }] });
  proxy = await startFaultProxy({ target: server.url, seed: 7 });
  s3 = await startS3Server({ buckets: [{ name: 'lake', corsOrigin: 'http://127.0.0.1:1' }], tables: [{ bucket: 'lake', prefix: 'warehouse/dv_table', dir: join(FIXTURES, 'table_with_deletion_logs') }] });
  double = new LakeFsDouble({ users: [KEY], maxPage: 5 });
  facts = seedDeltaRepositories(double, FIXTURES);
  lakefsEndpoint = await double.listen();
}, 240_000);

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  await s3?.stop();
  await double?.close();
});

describe('CLI on remote tables', () => {
  it('tells remote locations from folders', () => {
    expect(['http://h/t', 'HTTPS://h/t', 's3://b/p', 'lakefs://r/main/t'].map(isRemoteLocation)).toEqual([true, true, true, true]);
    expect(['./t', '/abs/t', 'file:///t', 'C:\\t'].map(isRemoteLocation)).toEqual([false, false, false, false]);
  });

  it('http(s)://, through transient faults (503, reset, cut bodies): the same info and SQL answer as the folder', async () => {
    const name = 'table_with_deletion_logs';
    const localInfo = await local(['info', join(FIXTURES, name), '--json']);
    const localSql = await local(['sql', join(FIXTURES, name), 'SELECT count(*) AS n, sum(id) AS ids, string_agg(name, \',\' ORDER BY id) AS names FROM t', '--format', 'csv']);
    expect(localSql.code).toBe(0);
    proxy.setRules([
      { match: /list-type=2/, fault: '503-retry-after', times: 1 },
      { match: /\d{20}\.json/, fault: 'reset', times: 2 },
      { match: /part-.*\.parquet/, fault: 'truncate', times: 2 },
      { match: /part-.*\.parquet/, fault: '503', times: 2 },
      { match: /checkpoint\.parquet/, fault: '500', times: 1 },
    ]);
    for (const mode of ['fixtures', 'plain']) {
      const url = `${proxy.url}/${mode}/${name}`;
      const remote = await cli(['info', url, '--json']);
      expect(remote.code, remote.stderr).toBe(0);
      expect(infoOf(remote)).toEqual(infoOf(localInfo));
      if (mode === 'plain') continue; // the data plane is the same for both
      const sql = await cli(['sql', url, 'SELECT count(*) AS n, sum(id) AS ids, string_agg(name, \',\' ORDER BY id) AS names FROM t', '--format', 'csv']);
      expect(sql.code, sql.stderr).toBe(0);
      expect(sql.stdout).toBe(localSql.stdout);
    }
    expect(proxy.requests.filter((r) => r.fault).length).toBeGreaterThanOrEqual(6);
  }, 240_000);

  it('http(s)://: a missing table is NOT_A_TABLE-worded (not "No such folder"), a URL with a password is refused unprinted', async () => {
    proxy.setRules([]);
    const missing = await cli(['info', `${proxy.url}/plain/no_such_table`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No Delta (table|log)/);
    expect(missing.stderr).not.toMatch(/No such folder/);
    const secret = await cli(['info', `http://user:hunter2@127.0.0.1:9/t`]);
    expect(secret.code).toBe(1);
    expect(secret.stderr).toMatch(/must not carry a user name or password/);
    expect(secret.stderr).not.toContain('hunter2');
  }, 60_000);

  it('s3://bucket/path with AWS_* settings from the environment (AWS_ENDPOINT_URL for an S3-compatible store)', async () => {
    const env = { AWS_ACCESS_KEY_ID: S3RVER_KEY, AWS_SECRET_ACCESS_KEY: S3RVER_SECRET, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: s3.endpoint };
    const localInfo = await local(['info', join(FIXTURES, 'table_with_deletion_logs'), '--json']);
    const remote = await cli(['info', 's3://lake/warehouse/dv_table', '--json'], env);
    expect(remote.code, remote.stderr).toBe(0);
    expect(infoOf(remote)).toEqual(infoOf(localInfo));
    expect(JSON.parse(remote.stdout).location).toBe('s3://lake/warehouse/dv_table');
    const rows = await cli(['sql', 's3://lake/warehouse/dv_table', 'SELECT count(*) AS n FROM t', '--format', 'csv'], env);
    const localRows = await local(['sql', join(FIXTURES, 'table_with_deletion_logs'), 'SELECT count(*) AS n FROM t', '--format', 'csv']);
    expect(rows.stdout).toBe(localRows.stdout);
    expect(`${remote.stdout}${remote.stderr}${rows.stderr}`).not.toContain(S3RVER_SECRET);
  }, 240_000);

  it('lakefs://repo/ref/path with lakectl settings from its config file', async () => {
    const config = join(home, 'lakectl.yaml');
    writeFileSync(config, `credentials:\n  access_key_id: ${KEY.accessKeyId}\n  secret_access_key: ${KEY.secretAccessKey}\nserver:\n  endpoint_url: ${lakefsEndpoint}/api/v1\n`);
    const env = { LAKECTL_CONFIG_FILE: config };
    for (const [ref, version] of [['dev', facts.devVersion], ['main', facts.mainVersion]] as const) {
      const r = await cli(['history', `lakefs://${facts.repository}/${ref}/${facts.tablePath}`, '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      const rows = JSON.parse(r.stdout) as { version: number }[];
      expect(Math.max(...rows.map((x) => x.version))).toBe(version);
    }
    const none = await cli(['info', `lakefs://${facts.repository}/dev/${facts.tablePath}`], { LAKECTL_CONFIG_FILE: join(home, 'absent.yaml') });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/LAKECTL_SERVER_ENDPOINT_URL/);
    const env2 = { LAKECTL_SERVER_ENDPOINT_URL: lakefsEndpoint, LAKECTL_CREDENTIALS_ACCESS_KEY_ID: KEY.accessKeyId, LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY: 'wrong' };
    const wrong = await cli(['info', `lakefs://${facts.repository}/dev/${facts.tablePath}`], env2);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/refused the access key/);
    expect(wrong.stderr).not.toContain(KEY.secretAccessKey);
  }, 240_000);
});
