/**
 * The static server's HTTP semantics: ranges (incl. suffix ranges), 416, HEAD, no compression,
 * mounts, SPA fallback, CORS preflight, path traversal, dotfiles.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('falls back to index.html for app routes but not for missing files', async () => {
    const app = await get('/some/route');
    expect(app.status).toBe(200);
    expect(await app.text()).toContain('<title>app</title>');
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/data/t/missing.bin')).status).toBe(404);
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
