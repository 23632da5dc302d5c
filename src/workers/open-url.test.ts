/**
 * `ExplorerService.openUrl` in Node against real HTTP servers on 127.0.0.1: our static server over
 * `test/fixtures/tables` with the S3 listing on (`/listed/`) and off (`/plain/`, where `HttpStore`
 * probes), and small servers that refuse (403) or are gone (connection refused). Expected numbers
 * come from the fixtures (`.crc` files, MANIFEST.json) and the independent forward replay
 * `referenceReplay`, never from the code under test.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, manifestEntry, readCrc, referenceReplay } from '../../test/fixtures.ts';
import { startStaticServer, type RequestRecord, type RunningStaticServer } from '../server/static.ts';
import type { OpenedTable, OpenResult, Result, TableCandidates } from './api.ts';
import { ExplorerService } from './explorer-service.ts';
import { parseTableUrl, urlLabel } from './table-url.ts';

let server: RunningStaticServer;
let denied: http.Server;
let deniedUrl: string;
let goneUrl: string;
const requests: RequestRecord[] = [];
/** A folder holding three tables (one nested deeper), and one holding a single table in a sub-folder. */
let warehouse: string;

beforeAll(async () => {
  warehouse = mkdtempSync(join(tmpdir(), 'open-url-'));
  cpSync(join(FIXTURES, 'simple_table'), join(warehouse, 'several/simple_table'), { recursive: true });
  cpSync(join(FIXTURES, 'app-txn-checkpoint'), join(warehouse, 'several/app-txn-checkpoint'), { recursive: true });
  cpSync(join(FIXTURES, 'delta-0.8.0'), join(warehouse, 'several/deeper/delta-0.8.0'), { recursive: true });
  cpSync(join(FIXTURES, 'delta-0.8.0-partitioned'), join(warehouse, 'one/inner'), { recursive: true });
  cpSync(join(FIXTURES, 'simple_table/part-00000-a72b1fb3-f2df-41fe-a8f0-e65b746382dd-c000.snappy.parquet'), join(warehouse, 'no-table/x.parquet'));
  server = await startStaticServer({
    mounts: [
      { urlPrefix: '/listed/', root: FIXTURES, dotfiles: true, listing: true },
      { urlPrefix: '/plain/', root: FIXTURES, dotfiles: true },
      { urlPrefix: '/wh/', root: warehouse, dotfiles: true, listing: true },
      { urlPrefix: '/wh-plain/', root: warehouse, dotfiles: true },
    ],
    onRequest: (r) => requests.push(r),
  });
  denied = http.createServer((_req, res) => {
    res.statusCode = 403;
    res.end('<Error><Code>AccessDenied</Code></Error>');
  });
  await new Promise<void>((done) => denied.listen(0, '127.0.0.1', done));
  deniedUrl = `http://127.0.0.1:${(denied.address() as AddressInfo).port}`;
  // A port that was just free: nothing listens there any more.
  const gone = http.createServer();
  await new Promise<void>((done) => gone.listen(0, '127.0.0.1', done));
  goneUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
  await new Promise((done) => gone.close(done));
});
afterAll(async () => {
  await server?.close();
  denied?.closeAllConnections();
  await new Promise((done) => denied?.close(done));
});

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

async function openTable(svc: ExplorerService, url: string): Promise<OpenedTable> {
  const r: OpenResult = ok(await svc.openUrl(url));
  expect(r.kind).toBe('table');
  return r as OpenedTable;
}

/** Files and records of a version from the writer's `.crc` (records: stats minus DV-deleted rows). */
function crcState(table: string, version: number): { numFiles: number; numRecords: number } {
  const c = readCrc(join(FIXTURES, table), version);
  const stats = (c.allFiles as { stats: string }[]).reduce((n, f) => n + (JSON.parse(f.stats) as { numRecords: number }).numRecords, 0);
  return { numFiles: c.numFiles, numRecords: stats - (c.numDeletedRecordsOpt ?? 0) };
}

describe('openUrl: a table root over HTTP', () => {
  it.each(['listed', 'plain'])('opens table_with_deletion_logs (%s) at its latest version as its .crc says', async (mount) => {
    const svc = new ExplorerService();
    requests.length = 0;
    const t = await openTable(svc, `${server.url}/${mount}/table_with_deletion_logs`);
    expect(t).toMatchObject({ label: 'table_with_deletion_logs', root: '', url: `${server.url}/${mount}/table_with_deletion_logs`, logOnly: false });
    expect(t.numFiles).toBeGreaterThan(0);
    const s = ok(await svc.snapshot(t.tableId, {}));
    expect(s.version).toBe(20);
    expect(ok(await svc.snapshotStats(t.tableId, s.version)).totals).toMatchObject(crcState('table_with_deletion_logs', 20));
    expect(s.checkpoint).toMatchObject({ version: 20, kind: 'classic' });
    // The listing mount is listed, never probed; the plain one is probed with HEAD requests.
    const listings = requests.filter((r) => r.url.includes('list-type=2'));
    const heads = requests.filter((r) => r.method === 'HEAD');
    if (mount === 'listed') {
      expect(listings.every((r) => r.status === 200)).toBe(true);
      expect(heads).toEqual([]);
    } else {
      expect(heads.length).toBeGreaterThan(0);
    }
  });

  it.each(['listed', 'plain'])('time travels simple_table (%s) to version 2 as a forward replay says', async (mount) => {
    const svc = new ExplorerService();
    const t = await openTable(svc, `${server.url}/${mount}/simple_table/`);
    const ref = referenceReplay(join(FIXTURES, 'simple_table'), 2);
    const s = ok(await svc.snapshot(t.tableId, { version: 2 }));
    expect(s.version).toBe(2);
    expect(s.latestVersion).toBe(manifestEntry('simple_table').latest_version);
    expect(s.totals.numFiles).toBe(ref.numFiles);
    expect(s.totals.sizeInBytes).toBe(ref.sizeBytes);
    const page = ok(await svc.filesPage(t.tableId, 2, 0, 100));
    expect(page.rows.map((r) => r.path).sort()).toEqual(ref.paths);
    const rows = ok(await svc.history(t.tableId));
    expect(rows.map((r) => r.version)).toEqual([4, 3, 2, 1, 0]);
  });

  it('opens the parent of a URL naming the _delta_log folder', async () => {
    const svc = new ExplorerService();
    const t = await openTable(svc, `${server.url}/listed/simple_table/_delta_log/`);
    expect(t.url).toBe(`${server.url}/listed/simple_table`);
    expect(ok(await svc.snapshot(t.tableId, {})).version).toBe(4);
  });

  it('reads a V2 checkpoint with sidecars over HTTP (MANIFEST row count)', async () => {
    const name = 'v2-checkpoints-parquet-with-sidecars';
    const svc = new ExplorerService();
    const t = await openTable(svc, `${server.url}/listed/${name}`);
    const s = ok(await svc.snapshot(t.tableId, {}));
    expect(s.version).toBe(manifestEntry(name).latest_version);
    expect(ok(await svc.snapshotStats(t.tableId, s.version)).totals.numRecords).toBe(manifestEntry(name).num_rows_expected);
  });
});

describe('openUrl: a folder of tables', () => {
  it('lists the tables of a listed folder, opens the one picked, and another after closing it', async () => {
    const svc = new ExplorerService();
    const r = ok(await svc.openUrl(`${server.url}/wh/several/`));
    expect(r.kind).toBe('candidates');
    const c = r as TableCandidates;
    expect(c.label).toBe('several');
    expect(c.url).toBe(`${server.url}/wh/several`);
    expect(c.candidates.map((x) => x.path)).toEqual(['app-txn-checkpoint', 'deeper/delta-0.8.0', 'simple_table']);
    expect(c.candidates.find((x) => x.path === 'simple_table')).toMatchObject({ latestVersion: 4, hasCheckpoint: false, numLogFiles: 5 });
    expect(c.candidates.find((x) => x.path === 'app-txn-checkpoint')).toMatchObject({ latestVersion: 1, hasCheckpoint: true });

    const t = ok(await svc.openCandidate(c.sourceId, 'deeper/delta-0.8.0'));
    expect(t).toMatchObject({ root: 'deeper/delta-0.8.0', url: `${server.url}/wh/several` });
    const s = ok(await svc.snapshot(t.tableId, {}));
    expect(s.version).toBe(manifestEntry('delta-0.8.0').latest_version);
    expect(s.totals.numFiles).toBe(referenceReplay(join(FIXTURES, 'delta-0.8.0'), s.version).numFiles);
    await svc.close(t.tableId);
    const t2 = ok(await svc.openCandidate(c.sourceId, 'simple_table'));
    expect(ok(await svc.snapshot(t2.tableId, { version: 1 })).totals.numFiles).toBe(referenceReplay(join(FIXTURES, 'simple_table'), 1).numFiles);
    expect(await svc.openCandidate(c.sourceId, 'nope')).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    await svc.closeSource(c.sourceId);
    expect(await svc.openCandidate(c.sourceId, 'simple_table')).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('opens the only table of a listed folder directly', async () => {
    const svc = new ExplorerService();
    const t = await openTable(svc, `${server.url}/wh/one`);
    expect(t).toMatchObject({ label: 'one', root: 'inner' });
    const s = ok(await svc.snapshot(t.tableId, {}));
    expect(s.metadata.partitionColumns).toEqual(manifestEntry('delta-0.8.0-partitioned').partition_columns);
  });
});

describe('openUrl: structured errors', () => {
  it('says NOT_A_TABLE with a hint for a listed folder without any _delta_log', async () => {
    const r = await new ExplorerService().openUrl(`${server.url}/wh/no-table`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('NOT_A_TABLE');
    expect(r.error.message).toContain(`${server.url}/wh/no-table`);
    expect(r.error.message).toContain('nor in its sub-folders');
    expect(r.error.hint).toMatch(/table root.*_delta_log/);
  });

  it('says NOT_A_TABLE for a folder of tables on a server that cannot list, hinting why', async () => {
    const r = await new ExplorerService().openUrl(`${server.url}/wh-plain/several`);
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_A_TABLE' } });
    if (!r.ok) expect(r.error.hint).toMatch(/lists folders/);
  });

  it('says NOT_A_TABLE where the server answers 404 to everything', async () => {
    const r = await new ExplorerService().openUrl(`${server.url}/nothing-mounted-here/t`);
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_A_TABLE' } });
  });

  it('says ACCESS_DENIED when the server answers 403', async () => {
    const r = await new ExplorerService().openUrl(`${deniedUrl}/bucket/table`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('ACCESS_DENIED');
    expect(r.error.message).toContain('403');
    expect(r.error.hint).toBeTruthy();
  });

  it('says STORAGE_ERROR with a network hint when nothing answers (in a browser a CORS refusal is told apart: e2e/s3.spec.ts)', async () => {
    const r = await new ExplorerService().openUrl(`${goneUrl}/table`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('STORAGE_ERROR');
    expect(r.error.message).toContain('Cannot reach');
    expect(r.error.hint).toMatch(/network|down/);
  });

  it.each([
    ['samples/table', /full http\(s\):\/\/ URL/],
    ['s3://bucket/table', /HTTPS endpoint/],
    ['file:///tmp/table', /Open folder/],
    ['http://user:secret@127.0.0.1/t', /user name/],
    ['http://127.0.0.1/t?X-Amz-Signature=abc', /without "\?…"/],
  ])('refuses %s with INVALID_ARGUMENT and a hint', async (url, hint) => {
    const r = await new ExplorerService().openUrl(url);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_ARGUMENT');
    expect(r.error.hint).toMatch(hint);
    expect(r.error.message).not.toContain('secret');
    expect(r.error.message).not.toContain('Signature');
  });

  it('cancels an open by request id', async () => {
    const svc = new ExplorerService();
    const pending = svc.openUrl(`${server.url}/plain/table_with_deletion_logs`, 'open-1');
    await svc.cancel('open-1');
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });
});

describe('table URLs', () => {
  it('normalizes to the table root without trailing slash, fragment, or _delta_log', () => {
    expect(parseTableUrl(' https://h.example/a/b/ ')).toBe('https://h.example/a/b');
    expect(parseTableUrl('https://h.example/a/b#x')).toBe('https://h.example/a/b');
    expect(parseTableUrl('https://h.example/a/b/_delta_log')).toBe('https://h.example/a/b');
    expect(parseTableUrl('https://h.example/a/b/_delta_log//')).toBe('https://h.example/a/b');
    expect(parseTableUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(parseTableUrl('https://h.example/a%20b/')).toBe('https://h.example/a%20b');
  });

  it('labels a URL by its last segment, decoded, or its host', () => {
    expect(urlLabel('https://h.example/w/my%20table')).toBe('my table');
    expect(urlLabel('http://127.0.0.1:8080')).toBe('127.0.0.1:8080');
  });
});
