/**
 * Remote tables through network faults (issue #16): the project's static server
 * (`src/server/static.ts`) behind the fault-injecting proxy (`test/fault-proxy.ts`), read by the
 * protocol core over HTTP (`HttpStore`), both where the server answers S3 listings (`/fixtures/`)
 * and where the log is probed (`/plain/`).
 *
 * Expected values are the same tables read from the filesystem (`NodeFsStore`), whose correctness
 * the snapshot tests establish against independent sources. Transient faults must give exactly that;
 * permanent ones a named error naming the file — never a smaller log. Timeouts are shortened for
 * the run (`setRetryPolicy`), fault schedules are rules and seeded draws, not chance.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startStaticServer, type RunningStaticServer } from '../src/server/static.ts';
import { HttpStore } from '../src/delta/storage/http.ts';
import { NodeFsStore } from '../src/delta/storage/node-fs.ts';
import { DeltaTable } from '../src/delta/table.ts';
import { DeltaError } from '../src/delta/errors.ts';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, parseRetryAfter, resetRetryPolicy, setRetryPolicy, withRetry, transientError } from '../src/delta/storage/retry.ts';
import { FIXTURES } from './fixtures.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';

let server: RunningStaticServer;
let proxy: FaultProxy;

beforeAll(async () => {
  server = await startStaticServer({
    mounts: [
      { urlPrefix: '/fixtures/', root: FIXTURES, dotfiles: true, listing: true },
      { urlPrefix: '/plain/', root: FIXTURES, dotfiles: true },
    ],
  });
  proxy = await startFaultProxy({ target: server.url, seed: 16 });
  // Short, but not so short that a busy machine's slow answer counts as a stall.
  setRetryPolicy({ maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40, deadlineMs: 20_000, stallTimeoutMs: 1_500 });
});
afterAll(async () => {
  resetRetryPolicy();
  await proxy?.close();
  await server?.close();
});
afterEach(() => {
  proxy.setRules([]);
  proxy.setRate(0);
});

type Summary = { version: number; keys: string[]; size: number; records: number | null };
const summary = async (t: DeltaTable, version?: number): Promise<Summary> => {
  const s = await t.snapshot({ version });
  const keys: string[] = [];
  s.files.forEach((b, r) => keys.push(b.key(r)));
  return { version: s.version, keys: keys.sort(), size: s.totals.sizeInBytes, records: s.totals.numRecords };
};
const local = (name: string) => summary(new DeltaTable(new NodeFsStore(join(FIXTURES, name))));
const remote = (mode: 'fixtures' | 'plain', name: string) => new DeltaTable(new HttpStore(`${proxy.url}/${mode}/${name}`));
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected an error'); }, (e: unknown) => e as DeltaError);

describe('retry schedule', () => {
  it('full jitter below the exponential cap; Retry-After honoured and capped', () => {
    const p = { ...DEFAULT_RETRY_POLICY };
    expect(backoffDelayMs(1, p, undefined, () => 0.999)).toBeLessThan(p.baseDelayMs);
    expect(backoffDelayMs(4, p, undefined, () => 0.999)).toBeLessThan(p.baseDelayMs * 8);
    expect(backoffDelayMs(30, p, undefined, () => 0.999)).toBeLessThanOrEqual(p.maxDelayMs);
    expect(backoffDelayMs(1, p, 3000, () => 0)).toBe(3000);
    expect(backoffDelayMs(1, p, 60_000, () => 0)).toBe(p.maxDelayMs);
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('stops at the attempt limit with an error naming the file, the attempts and the last status', async () => {
    let n = 0;
    const e = await failure(
      withRetry({ file: '_delta_log/00000000000000000003.json', where: 'http://h/t' }, async () => {
        n++;
        throw transientError('HTTP 503', { status: 503, reason: 'HTTP 503 SlowDown' });
      }),
    );
    expect(n).toBe(4);
    expect(e.code).toBe('STORAGE_ERROR');
    expect(e.message).toMatch(/00000000000000000003\.json.*4 attempts.*HTTP 503 SlowDown/);
    expect(e.hint).toMatch(/throttling/);
  });

  it('does not retry a permanent error, and a cancel ends a wait at once', async () => {
    let n = 0;
    const e = await failure(withRetry({ file: 'f', where: 'w' }, async () => {
      n++;
      throw new DeltaError('ACCESS_DENIED', 'no');
    }));
    expect([n, e.code]).toEqual([1, 'ACCESS_DENIED']);
    const ctrl = new AbortController();
    const started = Date.now();
    setTimeout(() => ctrl.abort(), 50);
    const c = await failure(withRetry({ file: 'f', where: 'w' }, () => new Promise(() => undefined), { signal: ctrl.signal, policy: { ...DEFAULT_RETRY_POLICY, stallTimeoutMs: 60_000 } }));
    expect(c.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('transient faults give exactly the right table', () => {
  const tables = ['simple_table_with_checkpoint', 'v2-checkpoints-parquet-with-sidecars', 'table_with_deletion_logs'];
  for (const mode of ['fixtures', 'plain'] as const) {
    it(`${mode}: 503, 503 with Retry-After, 500, resets and truncated bodies on every log file`, async () => {
      for (const name of tables) {
        proxy.setRules([
          { match: /_last_checkpoint/, fault: '503-retry-after', times: 1 },
          { match: /list-type=2/, fault: 'truncate', times: 1 },
          { match: /\.checkpoint\..*parquet|_sidecars/, fault: 'reset', times: 2 },
          { match: /\d{20}\.json/, method: 'GET', fault: 'truncate', times: 2 },
          { match: /\d{20}\.json/, method: 'GET', fault: '503', times: 2 },
          { match: /\d{20}\.json/, method: 'HEAD', fault: '500', times: 2 },
        ]);
        const got = await summary(remote(mode, name));
        expect(got, name).toEqual(await local(name));
        expect(proxy.requests.some((r) => r.fault)).toBe(true);
      }
    });
  }

  it('a seeded 20% schedule of transient faults over many opens: every open right', async () => {
    proxy.setRate(0.2);
    const want = await local('simple_table_with_checkpoint');
    const before = proxy.requests.length;
    for (let i = 0; i < 10; i++) expect(await summary(remote('fixtures', 'simple_table_with_checkpoint'))).toEqual(want);
    const faults = proxy.requests.slice(before).filter((r) => r.fault).length;
    expect(faults).toBeGreaterThan(1);
  });

  it('a stall is abandoned after the stall timeout and retried', async () => {
    proxy.setRules([{ match: /00000000000000000001\.json/, method: 'GET', fault: 'stall', times: 1 }]);
    const started = Date.now();
    expect(await summary(remote('fixtures', 'simple_table'))).toEqual(await local('simple_table'));
    expect(Date.now() - started).toBeLessThan(8000);
  });
});

describe('never a shorter log', () => {
  it('a commit cut at a line end with its Content-Length fixed up is read again, then refused by name', async () => {
    proxy.setRules([{ match: /00000000000000000002\.json/, method: 'GET', fault: 'cut-fixed', times: 1 }]);
    expect(await summary(remote('fixtures', 'simple_table'))).toEqual(await local('simple_table'));
    proxy.setRules([{ match: /00000000000000000002\.json/, method: 'GET', fault: 'cut-fixed' }]);
    const e = await failure(remote('fixtures', 'simple_table').snapshot());
    expect(e.code).toBe('STORAGE_ERROR');
    expect(e.path).toBe('_delta_log/00000000000000000002.json');
    expect(e.message).toMatch(/listing says \d+ bytes/);
  });

  it('a listing document cut short is not taken for a shorter listing (an older version)', async () => {
    proxy.setRules([{ match: /list-type=2/, fault: 'cut-fixed' }]);
    const e = await failure(remote('fixtures', 'simple_table').snapshot());
    expect(e.code).toBe('STORAGE_ERROR');
    expect(e.message).toMatch(/listing.*cut off/);
    proxy.setRules([{ match: /list-type=2/, fault: 'cut-fixed', times: 1 }]);
    expect((await summary(remote('fixtures', 'simple_table'))).version).toBe((await local('simple_table')).version);
  });

  it('a truncated sidecar (every attempt) is a named storage error, not INTERNAL', async () => {
    proxy.setRules([{ match: /_sidecars\//, fault: 'truncate' }]);
    const e = await failure(remote('fixtures', 'v2-checkpoints-parquet-with-sidecars').snapshot());
    expect(e).toBeInstanceOf(DeltaError);
    expect(e.code).toBe('STORAGE_ERROR');
    expect(e.message).toMatch(/_sidecars\/.*4 attempts.*cut short|connection broken/);
  });
});

describe('permanent faults: named errors', () => {
  it('404 on a listed commit names it; 403 is ACCESS_DENIED', async () => {
    proxy.setRules([{ match: /00000000000000000001\.json/, fault: '404' }]);
    const nf = await failure(remote('fixtures', 'simple_table').snapshot());
    expect([nf.code, nf.path]).toEqual(['FILE_NOT_FOUND', '_delta_log/00000000000000000001.json']);
    proxy.setRules([{ match: /00000000000000000001\.json/, fault: '403' }]);
    const ad = await failure(remote('fixtures', 'simple_table').snapshot());
    expect(ad.code).toBe('ACCESS_DENIED');
    expect(ad.message).toContain('00000000000000000001.json');
  });

  it('a server answering an HTML page (200) for every path: a clear NOT_A_TABLE within a few requests', async () => {
    proxy.setRules([{ match: /./, fault: 'html200' }]);
    const before = proxy.requests.length;
    const e = await failure(remote('plain', 'simple_table').snapshot());
    expect(e.code).toBe('NOT_A_TABLE');
    expect(e.message).toMatch(/HTML page/);
    expect(proxy.requests.length - before).toBeLessThan(30);
  });

  it('a single-page-app fallback in front of a real table still opens it (HTML answers are not files)', async () => {
    proxy.setRules([{ match: /./, fault: 'spa-fallback' }]);
    expect(await summary(remote('plain', 'simple_table'))).toEqual(await local('simple_table'));
  });

  it('a 206 naming other bytes than asked is refused by name', async () => {
    proxy.setRules([{ match: /00000000000000000000\.json/, fault: 'wrong-range' }]);
    const store = new HttpStore(`${proxy.url}/fixtures/simple_table`);
    const e = await failure(store.getRange('_delta_log/00000000000000000000.json', { start: 10, end: 30 }));
    expect(e.code).toBe('STORAGE_ERROR');
    expect(e.message).toMatch(/Content-Range/);
  });

  it('a commit that always stalls: an error naming it within the deadline, and Cancel stops it sooner', async () => {
    proxy.setRules([{ match: /00000000000000000001\.json/, method: 'GET', fault: 'stall' }]);
    const started = Date.now();
    const e = await failure(remote('fixtures', 'simple_table').snapshot());
    expect(e.code).toBe('STORAGE_ERROR');
    expect(e.message).toMatch(/00000000000000000001\.json.*4 attempts.*no data/);
    expect(Date.now() - started).toBeLessThan(12_000);
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 300);
    const cancelledAt = Date.now();
    const c = await failure(remote('fixtures', 'simple_table').snapshot({}, { signal: ctrl.signal }));
    expect(c.code).toBe('CANCELLED');
    expect(Date.now() - cancelledAt).toBeLessThan(1500);
  });
});

describe('fewer bytes, fewer round trips', () => {
  it('the History after the Overview downloads no commit file again', async () => {
    // simple_table: 5 commits, no checkpoint — the snapshot reads them all.
    const t = remote('fixtures', 'simple_table');
    const before = proxy.requests.length;
    await t.snapshot();
    const gets = (from: number) => proxy.requests.slice(from).filter((r) => r.method === 'GET' && /\d{20}\.json$/.test(r.url)).map((r) => r.url);
    const bySnapshot = gets(before);
    expect(bySnapshot.length).toBeGreaterThan(0);
    const mid = proxy.requests.length;
    const history = await t.history();
    expect(history.length).toBe(bySnapshot.length);
    expect(gets(mid)).toEqual([]);
    // With a checkpoint, only the commits before it (which the snapshot did not need) are read.
    const c = remote('fixtures', 'table_with_deletion_logs');
    const s = await c.snapshot({ version: 15 });
    const m2 = proxy.requests.length;
    await c.history();
    const again = gets(m2).map((u) => Number(/(\d{20})\.json$/.exec(u)![1]));
    expect(s.segment.checkpoint?.version).toBe(10);
    expect(again.filter((v) => v > 10 && v <= 15)).toEqual([]);
  });

  it('one listing request per open (the table check, the snapshot and its history share it)', async () => {
    const store = new HttpStore(`${proxy.url}/fixtures/table_with_deletion_logs`);
    const before = proxy.requests.length;
    await store.list('_delta_log/');
    const t = new DeltaTable(store);
    await t.snapshot();
    await t.history();
    expect(proxy.requests.slice(before).filter((r) => /list-type=2/.test(r.url)).length).toBe(1);
  });

  it('a reset on the first listing request is retried: the listing is used, not given up for probing', async () => {
    proxy.setRules([{ match: /list-type=2/, fault: 'reset', times: 1 }]);
    const before = proxy.requests.length;
    expect(await summary(remote('fixtures', 'simple_table'))).toEqual(await local('simple_table'));
    const mine = proxy.requests.slice(before);
    expect(mine.filter((r) => /list-type=2/.test(r.url)).length).toBe(2);
    expect(mine.filter((r) => r.method === 'HEAD').length).toBe(0);
  });
});
