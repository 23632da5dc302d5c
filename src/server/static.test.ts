/**
 * The static server's HTTP semantics: ranges (incl. suffix ranges), 416, HEAD, no compression,
 * mounts, SPA fallback, CORS preflight, path traversal, dotfiles, and the S3 ListObjectsV2 listing
 * of mounts with `listing: true`.
 */
import http from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpStore } from '../delta/storage/http.ts';
import { startStaticServer, type RequestRecord, type RunningStaticServer } from './static.ts';

let server: RunningStaticServer;
const log: RequestRecord[] = [];
const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);

beforeAll(async () => {
  const app = mkdtempSync(join(tmpdir(), 'static-app-'));
  writeFileSync(join(app, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(app, 'main.js'), 'console.log(1)');
  const data = mkdtempSync(join(tmpdir(), 'static-data-'));
  mkdirSync(join(data, 't/_delta_log'), { recursive: true });
  writeFileSync(join(data, 't/blob.bin'), bytes);
  writeFileSync(join(data, 't/a%b c.bin'), 'odd name');
  writeFileSync(join(data, 't/.hidden.crc'), 'hidden');
  server = await startStaticServer({
    mounts: [
      { urlPrefix: '/', root: app, fallback: 'index.html' },
      { urlPrefix: '/data/', root: data, dotfiles: true },
    ],
    onRequest: (r) => log.push(r),
  });
});
afterAll(() => server?.close());

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(server.url + path, { method, headers: { 'accept-encoding': 'gzip, br', ...headers } });

describe('static server ranges', () => {
  it('serves a whole file with Accept-Ranges and no compression', async () => {
    const r = await get('/data/t/blob.bin');
    expect(r.status).toBe(200);
    expect(r.headers.get('accept-ranges')).toBe('bytes');
    expect(r.headers.get('content-encoding')).toBeNull();
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(bytes);
  });

  it.each([
    ['bytes=0-3', 0, 4],
    ['bytes=10-19', 10, 20],
    ['bytes=990-', 990, 1000],
    ['bytes=-8', 992, 1000],
    ['bytes=-5000', 0, 1000],
    ['bytes=995-5000', 995, 1000],
  ])('%s answers 206 with the right bytes', async (range, start, end) => {
    const r = await get('/data/t/blob.bin', { range });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe(`bytes ${start}-${end - 1}/1000`);
    expect(r.headers.get('content-length')).toBe(String(end - start));
    expect(r.headers.get('content-encoding')).toBeNull();
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(bytes.slice(start, end));
  });

  it.each(['bytes=1000-', 'bytes=2000-3000', 'bytes=-0'])('%s is unsatisfiable: 416', async (range) => {
    const r = await get('/data/t/blob.bin', { range });
    expect(r.status).toBe(416);
    expect(r.headers.get('content-range')).toBe('bytes */1000');
  });

  it('answers HEAD with the size and no body', async () => {
    const r = await get('/data/t/blob.bin', {}, 'HEAD');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-length')).toBe('1000');
    expect((await r.arrayBuffer()).byteLength).toBe(0);
  });

  it('records each request with its range', async () => {
    log.length = 0;
    await (await get('/data/t/blob.bin', { range: 'bytes=-8' })).arrayBuffer();
    expect(log).toEqual([{ method: 'GET', url: '/data/t/blob.bin', range: 'bytes=-8', status: 206 }]);
  });
});

describe('static server paths', () => {
  it('decodes percent-encoded names', async () => {
    const r = await get('/data/t/a%25b%20c.bin');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('odd name');
  });

  it('serves dotfiles only where allowed', async () => {
    expect((await get('/data/t/.hidden.crc')).status).toBe(200);
  });

  it('refuses to leave the root', async () => {
    const r = await get('/data/t/..%2F..%2F..%2Fetc%2Fpasswd');
    expect([400, 403, 404]).toContain(r.status);
  });

  it('falls back to index.html for app routes (navigations) but not for missing files or fetches', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const app = await get('/some/route', html);
    expect(app.status).toBe(200);
    expect(await app.text()).toContain('<title>app</title>');
    expect((await get('/missing.js', html)).status).toBe(404);
    expect((await get('/data/t/missing.bin', html)).status).toBe(404);
    // A reader probing a table under the app's mount must see the 404 of a file without extension.
    expect((await get('/samples/t/_delta_log/_last_checkpoint', { accept: '*/*' })).status).toBe(404);
    expect((await get('/some/route')).status).toBe(404);
  });

  it('redirects a folder without trailing slash under its mount', async () => {
    const r = await fetch(server.url + '/data/t', { redirect: 'manual' });
    expect(r.status).toBe(301);
    expect(r.headers.get('location')).toBe('/data/t/');
  });

  it('answers CORS preflights for Range and exposes Content-Range', async () => {
    const pre = await get('/data/t/blob.bin', { origin: 'http://elsewhere', 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' }, 'OPTIONS');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toBe('range');
    const r = await get('/data/t/blob.bin', { range: 'bytes=-8', origin: 'http://elsewhere' });
    expect(r.headers.get('access-control-expose-headers')).toContain('Content-Range');
  });

  it('refuses other methods', async () => {
    expect((await get('/data/t/blob.bin', {}, 'DELETE')).status).toBe(405);
  });
});

describe('static server S3 listing (ListObjectsV2)', () => {
  let listed: RunningStaticServer;
  const requests: RequestRecord[] = [];
  // Keys of the table folder `w/tbl`, in UTF-8 byte order (S3's order): U+FF5E sorts before an
  // astral character in UTF-8 although its UTF-16 code unit is larger.
  const tableKeys = [
    '_delta_log/00000000000000000000.json',
    '_delta_log/00000000000000000001.json',
    '_delta_log/_last_checkpoint',
    'part-0.parquet',
    'year=2020/part-1.parquet',
    'z.bin',
    '\uFF5E.bin',
    '\u{1F600}.bin',
  ];

  beforeAll(async () => {
    const data = mkdtempSync(join(tmpdir(), 'static-listing-'));
    for (const key of tableKeys) {
      const abs = join(data, 'w/tbl', key);
      mkdirSync(join(abs, '..'), { recursive: true });
      writeFileSync(abs, key);
    }
    writeFileSync(join(data, 'w/tbl/.hidden'), 'hidden');
    writeFileSync(join(data, 'w/tbl/_delta_log/.00000000000000000000.json.crc'), 'crc');
    mkdirSync(join(data, 'w/other/_delta_log'), { recursive: true });
    writeFileSync(join(data, 'w/other/_delta_log/00000000000000000000.json'), '{}');
    listed = await startStaticServer({
      mounts: [
        { urlPrefix: '/', root: data, fallback: 'index.html' },
        { urlPrefix: '/l/', root: data, listing: true },
        { urlPrefix: '/ld/', root: data, listing: true, dotfiles: true },
      ],
      onRequest: (r) => requests.push(r),
    });
  });
  afterAll(() => listed?.close());

  const list = async (dir: string, params: Record<string, string>) => {
    const r = await fetch(`${listed.url}${dir}?${new URLSearchParams({ 'list-type': '2', ...params })}`);
    return { status: r.status, type: r.headers.get('content-type'), cors: r.headers.get('access-control-allow-origin'), xml: await r.text() };
  };
  const tags = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);

  it('lists the files under the requested folder, keys relative to it, sizes, byte order', async () => {
    const r = await list('/l/w/tbl/', { prefix: '' });
    expect(r.status).toBe(200);
    expect(r.type).toContain('application/xml');
    expect(r.cors).toBe('*');
    expect(r.xml).toContain('<ListBucketResult');
    expect(tags(r.xml, 'Key')).toEqual(tableKeys);
    expect(tags(r.xml, 'Size')).toEqual(tableKeys.map((k) => String(Buffer.byteLength(k))));
    expect(tags(r.xml, 'IsTruncated')).toEqual(['false']);
    expect(tags(r.xml, 'KeyCount')).toEqual([String(tableKeys.length)]);
    for (const lm of tags(r.xml, 'LastModified')) expect(Date.parse(lm)).toBeGreaterThan(0);
  });

  it('filters by prefix, and lists hidden files only where dotfiles are served', async () => {
    expect(tags((await list('/l/w/tbl/', { prefix: '_delta_log/' })).xml, 'Key')).toEqual(tableKeys.slice(0, 3));
    expect(tags((await list('/l/w/tbl/', { prefix: '_delta_log/0' })).xml, 'Key')).toEqual(tableKeys.slice(0, 2));
    expect(tags((await list('/l/w/', { prefix: 'tbl/year' })).xml, 'Key')).toEqual(['tbl/year=2020/part-1.parquet']);
    expect(tags((await list('/ld/w/tbl/', { prefix: '_delta_log/' })).xml, 'Key')).toEqual([
      '_delta_log/.00000000000000000000.json.crc',
      ...tableKeys.slice(0, 3),
    ]);
    expect(tags((await list('/ld/w/tbl/', { prefix: '.' })).xml, 'Key')).toEqual(['.hidden']);
    expect(tags((await list('/l/w/tbl/', { prefix: '.' })).xml, 'Key')).toEqual([]);
  });

  it('pages with max-keys and continuation tokens, and honours start-after', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await list('/l/w/tbl/', { 'max-keys': '3', ...(token ? { 'continuation-token': token } : {}) });
      pages++;
      const keys = tags(r.xml, 'Key');
      expect(keys.length).toBeLessThanOrEqual(3);
      seen.push(...keys);
      token = tags(r.xml, 'IsTruncated')[0] === 'true' ? tags(r.xml, 'NextContinuationToken')[0] : undefined;
    } while (token && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(tableKeys);
    expect(tags((await list('/l/w/tbl/', { 'start-after': '_delta_log/_last_checkpoint' })).xml, 'Key')).toEqual(tableKeys.slice(3));
    expect(tags((await list('/l/w/tbl/', { prefix: '_delta_log/', 'start-after': '_delta_log/00000000000000000000.json' })).xml, 'Key')).toEqual(tableKeys.slice(1, 3));
  });

  it('rolls keys up into common prefixes with a delimiter, also across pages', async () => {
    const r = await list('/l/w/', { delimiter: '/' });
    expect(tags(r.xml, 'Key')).toEqual([]);
    expect(tags(r.xml, 'Prefix').slice(1)).toEqual(['other/', 'tbl/']);
    const top = await list('/l/w/tbl/', { delimiter: '/' });
    expect(tags(top.xml, 'Key')).toEqual(tableKeys.filter((k) => !k.includes('/')));
    expect(tags(top.xml, 'Prefix').slice(1)).toEqual(['_delta_log/', 'year=2020/']);
    const first = await list('/l/w/tbl/', { delimiter: '/', 'max-keys': '1' });
    expect(tags(first.xml, 'Prefix').slice(1)).toEqual(['_delta_log/']);
    const second = await list('/l/w/tbl/', { delimiter: '/', 'max-keys': '1', 'continuation-token': tags(first.xml, 'NextContinuationToken')[0] });
    expect(tags(second.xml, 'Key')).toEqual(['part-0.parquet']);
    expect(tags(second.xml, 'Prefix').slice(1)).toEqual([]);
  });

  it('answers 404 for a missing folder and 400 for paths leaving the root or bad tokens', async () => {
    const missing = await list('/l/w/nope/', {});
    expect(missing.status).toBe(404);
    expect(missing.xml).toContain('<Code>NoSuchBucket</Code>');
    expect((await list('/l/w/tbl/', { prefix: '../other/' })).status).toBe(400);
    // fetch() would resolve dot segments before sending; send the raw path.
    const raw = await new Promise<number>((done, fail) =>
      http.get(`${listed.url}/l/w/..%2F..%2F..%2F/?list-type=2`, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      }).on('error', fail),
    );
    expect(raw).toBe(400);
    expect((await list('/l/w/tbl/', { 'continuation-token': '!!' })).status).toBe(400);
    expect((await list('/l/w/tbl/', { 'max-keys': '-1' })).status).toBe(400);
  });

  it('leaves other queries and mounts without listing alone', async () => {
    const file = await fetch(`${listed.url}/l/w/tbl/z.bin?list-type=2`);
    expect(await file.text()).toBe('z.bin');
    const plain = await list('/w/tbl/', {});
    expect(plain.xml).not.toContain('<ListBucketResult');
    const other = await fetch(`${listed.url}/l/w/tbl/?foo=bar`);
    expect(await other.text()).not.toContain('<ListBucketResult');
  });

  it('lets HttpStore list _delta_log without probing', async () => {
    const store = new HttpStore(`${listed.url}/l/w/tbl`);
    requests.length = 0;
    const metas = await store.list('_delta_log/');
    expect(metas.map((m) => m.path)).toEqual(tableKeys.slice(0, 3));
    expect(metas[0].sizeBytes).toBe(Buffer.byteLength(tableKeys[0]));
    expect(requests.map((r) => r.method)).toEqual(['GET']);
    expect(requests[0].url).toContain('list-type=2');
  });
});
