/**
 * HttpStore against a real HTTP server on 127.0.0.1 serving fixture tables, in both listing modes:
 * a plain static server (the store probes commits) and one answering S3 ListObjectsV2.
 * Expected snapshots: the same table read from the filesystem (NodeFsStore), whose correctness the
 * snapshot tests establish against independent sources.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createReadStream, promises as fs, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HttpStore } from './http.ts';
import { NodeFsStore } from './node-fs.ts';
import { DeltaTable } from '../table.ts';
import { FIXTURES } from '../../../test/fixtures.ts';

let server: Server;
let base = '';
const requests: { method: string; url: string; range?: string }[] = [];

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x');
    requests.push({ method: req.method!, url: url.pathname + url.search, range: req.headers.range });
    // /s3/<table>/?list-type=2&prefix=... answers a listing; /plain/<table>/... never does.
    const [, mode, table, ...rest] = url.pathname.split('/');
    const root = join(FIXTURES, decodeURIComponent(table ?? ''));
    if (mode === 'denied') {
      res.writeHead(403).end('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    if (url.searchParams.get('list-type') === '2') {
      if (mode !== 's3') return void res.writeHead(404).end();
      const prefix = url.searchParams.get('prefix') ?? '';
      const files = (await walk(root)).map((f) => relative(root, f)).filter((k) => k.startsWith(prefix)).sort();
      const body = files
        .map((k) => `<Contents><Key>${k}</Key><Size>${statSync(join(root, k)).size}</Size><LastModified>${statSync(join(root, k)).mtime.toISOString()}</LastModified></Contents>`)
        .join('');
      res.writeHead(200, { 'content-type': 'application/xml' }).end(`<ListBucketResult><IsTruncated>false</IsTruncated>${body}</ListBucketResult>`);
      return;
    }
    const file = join(root, ...rest.map(decodeURIComponent));
    let st;
    try {
      st = statSync(file);
      if (!st.isFile()) throw new Error('dir');
    } catch {
      return void res.writeHead(404).end();
    }
    const headers = { 'last-modified': st.mtime.toUTCString(), 'accept-ranges': 'bytes' };
    const m = req.headers.range?.match(/^bytes=(\d+)-(\d+)$/);
    if (m) {
      const start = Number(m[1]);
      const end = Math.min(Number(m[2]), st.size - 1);
      res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${st.size}`, 'content-length': end - start + 1 });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(file, { start, end }).pipe(res);
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': st.size });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const summary = async (t: DeltaTable, version?: number) => {
  const s = await t.snapshot({ version });
  const keys: string[] = [];
  s.files.forEach((b, r) => keys.push(b.key(r)));
  return { version: s.version, keys: keys.sort(), size: s.totals.sizeInBytes, records: s.totals.numRecords, checkpoint: s.segment.checkpoint?.kind };
};

const TABLES = [
  'simple_table',
  'simple_table_with_checkpoint',
  'v1-multi-part-struct-stats-only',
  'v2-checkpoints-parquet-with-sidecars',
  'table_with_deletion_logs',
  'with_checkpoint_no_last_checkpoint-kernel',
];

describe('HttpStore', () => {
  for (const mode of ['plain', 's3'] as const) {
    for (const name of TABLES) {
      it(`${mode}: ${name} reads as from the filesystem`, async () => {
        const http = new DeltaTable(new HttpStore(`${base}/${mode}/${name}`));
        const local = new DeltaTable(new NodeFsStore(join(FIXTURES, name)));
        // Without a listing, a checkpoint that _last_checkpoint does not name cannot be found (its
        // commits are replayed instead): the state must match, the checkpoint used may differ.
        const strip = ({ checkpoint: _c, ...rest }: Awaited<ReturnType<typeof summary>>) => (mode === 'plain' ? rest : { checkpoint: _c, ...rest });
        expect(strip(await summary(http))).toEqual(strip(await summary(local)));
        expect(strip(await summary(http, 1))).toEqual(strip(await summary(local, 1)));
      });
    }
  }

  it('probing uses _last_checkpoint and HEADs only commits after it', async () => {
    requests.length = 0;
    const t = new DeltaTable(new HttpStore(`${base}/plain/simple_table_with_checkpoint`));
    const s = await t.snapshot();
    expect(s.version).toBe(10);
    const headed = requests.filter((r) => r.method === 'HEAD' && r.url.endsWith('.json')).map((r) => Number(r.url.match(/(\d{20})\.json/)![1]));
    expect(Math.min(...headed)).toBeGreaterThanOrEqual(0);
    // the commits before the checkpoint (0..9) are never read
    const gets = requests.filter((r) => r.method === 'GET' && /\d{20}\.json$/.test(r.url)).map((r) => Number(r.url.match(/(\d{20})\.json/)![1]));
    expect(gets.every((v) => v > 10)).toBe(true);
  });

  it('a probed listing is reused while a table opens (snapshot, then history)', async () => {
    const t = new DeltaTable(new HttpStore(`${base}/plain/simple_table`));
    requests.length = 0;
    await t.snapshot();
    const heads = () => requests.filter((r) => r.method === 'HEAD' && /\d{20}\.json$/.test(r.url)).length;
    const first = heads();
    expect(first).toBeGreaterThan(0);
    await t.history();
    await t.snapshot();
    expect(heads()).toBe(first);
  });

  it('ranged reads ask for exactly the range', async () => {
    const store = new HttpStore(`${base}/plain/simple_table`);
    const whole = await store.get('_delta_log/00000000000000000000.json');
    requests.length = 0;
    const part = await store.getRange('_delta_log/00000000000000000000.json', { start: 5, end: 25 });
    expect(Buffer.from(part)).toEqual(Buffer.from(whole.subarray(5, 25)));
    expect(requests[0].range).toBe('bytes=5-24');
  });

  it('missing file and refused access give typed errors without secrets', async () => {
    await expect(new HttpStore(`${base}/plain/simple_table`).get('_delta_log/nope.json')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    const err = await new HttpStore(`${base}/denied/x`, { resolveUrl: (p) => `${base}/denied/x/${p}?X-Amz-Signature=SECRET` })
      .get('_delta_log/00000000000000000000.json')
      .catch((e) => e);
    expect(err.code).toBe('ACCESS_DENIED');
    expect(err.message).not.toContain('SECRET');
  });

  it('an unreachable server is a STORAGE_ERROR naming the file, with a network hint (Node has no CORS to blame)', async () => {
    const err = await new HttpStore('http://127.0.0.1:9/t').get('_delta_log/_last_checkpoint').catch((e) => e);
    expect(err.code).toBe('STORAGE_ERROR');
    expect(err.message).toContain('_delta_log/_last_checkpoint');
    expect(err.hint).toMatch(/endpoint|network/);
  });
});
