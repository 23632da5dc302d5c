/**
 * `serve` in Node: the app and a local table on one origin, the S3 listing under `/local/`, the
 * worker's `openUrl` through it, the printed URL, port handling, host checks, the lakeFS proxy.
 * A stand-in app folder is served (the real `dist/` is the e2e tests' business).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, readCrc } from '../../test/fixtures.ts';
import type { OpenedTable } from '../workers/api.ts';
import { ExplorerService } from '../workers/explorer-service.ts';
import { serve, type ServeHandle } from './serve.ts';

let app: string;
const lines: string[] = [];
let handle: ServeHandle;

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'serve-app-'));
  writeFileSync(join(app, 'index.html'), '<!doctype html><title>app</title>');
  handle = await serve({ target: join(FIXTURES, 'table_with_deletion_logs'), port: 0, appDir: app, log: (l) => lines.push(l) });
});
afterAll(() => handle?.close());

describe('serve', () => {
  it('prints the app URL that opens the folder served at /local/<folder name>/ (the table is named after its folder)', () => {
    expect(handle.url).toBe(`${handle.baseUrl}/?url=${handle.baseUrl}/local/table_with_deletion_logs/`);
    expect(handle.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.join('\n')).toContain(`open ${handle.url}`);
    expect(lines.join('\n')).toContain(join(FIXTURES, 'table_with_deletion_logs'));
  });

  it('serves the app at / (index.html for app routes) and the table at /local/ with ranges and a listing, no CORS', async () => {
    const page = await fetch(handle.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>app</title>');
    const range = await fetch(`${handle.baseUrl}/local/table_with_deletion_logs/_delta_log/00000000000000000000.json`, { headers: { range: 'bytes=0-9' } });
    expect(range.status).toBe(206);
    expect((await range.arrayBuffer()).byteLength).toBe(10);
    expect(range.headers.get('access-control-allow-origin')).toBeNull();
    const list = await (await fetch(`${handle.baseUrl}/local/table_with_deletion_logs/?list-type=2&prefix=_delta_log/0000000000000000002`)).text();
    expect([...list.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1])).toEqual([
      '_delta_log/00000000000000000020.checkpoint.parquet',
      '_delta_log/00000000000000000020.crc',
      '_delta_log/00000000000000000020.json',
    ]);
  });

  it('lets the worker open the served table by the printed URL', async () => {
    const svc = new ExplorerService();
    const param = new URL(handle.url).searchParams.get('url')!;
    const r = await svc.openUrl(param);
    if (!r.ok) throw new Error(r.error.message);
    const s = await svc.snapshot((r.value as OpenedTable).tableId, {});
    if (!s.ok) throw new Error(s.error.message);
    expect(s.value.version).toBe(20);
    expect(s.value.totals.numFiles).toBe(readCrc(join(FIXTURES, 'table_with_deletion_logs'), 20).numFiles);
  });

  it('refuses requests naming another host (DNS rebinding)', async () => {
    const status = await new Promise<number>((done, fail) => {
      const u = new URL(handle.baseUrl);
      http.get({ host: u.hostname, port: u.port, path: '/local/table_with_deletion_logs/_delta_log/_last_checkpoint', headers: { host: 'evil.example:80' } }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      }).on('error', fail);
    });
    expect(status).toBe(403);
  });

  it('serves the parent of a _delta_log folder, and refuses a path that is not a folder', async () => {
    const h = await serve({ target: join(FIXTURES, 'simple_table/_delta_log'), port: 0, appDir: app, log: () => {} });
    try {
      expect(h.root).toBe(join(FIXTURES, 'simple_table'));
    } finally {
      await h.close();
    }
    await expect(serve({ target: join(FIXTURES, 'nope'), port: 0, appDir: app, log: () => {} })).rejects.toThrow(/not a folder/);
  });

  it('fails clearly when an explicit port is taken', async () => {
    const port = Number(new URL(handle.baseUrl).port);
    await expect(serve({ target: FIXTURES, port, appDir: app, log: () => {} })).rejects.toThrow(`Port ${port}`);
  });

  it('proxies a lakeFS endpoint at /lakefs/ and says 502 when it is gone', async () => {
    const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
    const upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const h = await serve({ target: FIXTURES, port: 0, appDir: app, lakefs: `${upstreamUrl}/api/v1`, log: () => {} });
    try {
      const r = await fetch(`${h.baseUrl}/lakefs/repositories?amount=5`, { method: 'POST', headers: { authorization: 'Basic abc' }, body: 'hello' });
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ ok: true });
      expect(seen).toEqual([{ method: 'POST', url: '/api/v1/repositories?amount=5', auth: 'Basic abc', body: 'hello' }]);
      upstream.closeAllConnections();
      await new Promise((done) => upstream.close(done));
      const gone = await fetch(`${h.baseUrl}/lakefs/repositories`);
      expect(gone.status).toBe(502);
    } finally {
      await h.close();
    }
    await expect(serve({ target: FIXTURES, port: 0, appDir: app, lakefs: 'ftp://x', log: () => {} })).rejects.toThrow(/lakeFS/);
  });

  it('never fails to "open a browser" where there is none', async () => {
    const { openBrowser } = await import('./serve.ts');
    const said: string[] = [];
    const display = process.env.DISPLAY;
    const wayland = process.env.WAYLAND_DISPLAY;
    delete process.env.DISPLAY;
    delete process.env.WAYLAND_DISPLAY;
    try {
      if (process.platform === 'linux') {
        expect(() => openBrowser('http://127.0.0.1:1/', (l) => said.push(l))).not.toThrow();
        expect(said.join('')).toMatch(/could not open a browser/);
      }
    } finally {
      if (display !== undefined) process.env.DISPLAY = display;
      if (wayland !== undefined) process.env.WAYLAND_DISPLAY = wayland;
    }
  });
});
