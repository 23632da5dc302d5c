/**
 * A real S3-protocol server for tests: s3rver 3.7.1 on 127.0.0.1, loaded with fixture tables, with
 * a per-bucket CORS rule, and a count of the bytes it served per object (to show that previews read
 * data files by range, not whole).
 *
 * s3rver needs `node --openssl-legacy-provider` (its continuation tokens use a cipher Node 20
 * disables), so {@link startS3Server} runs this file in a child process and talks to it over HTTP:
 * `GET /__stats` returns `{ objects: { "<bucket>/<key>": { requests, bytes, methods } } }`,
 * `POST /__stats` resets the counts. Every folder gets a zero-byte folder marker object (`a/b/`):
 * s3rver's delimiter listing only reports folders that directly hold an object. s3rver does not verify SigV4 signatures (a wrong secret is
 * accepted); an unknown access key is refused (`InvalidAccessKeyId`). Its default account is
 * access key `S3RVER`, secret `S3RVER`.
 *
 * Child usage: `node --openssl-legacy-provider --import tsx e2e/s3-server.ts --port 0
 *   --bucket tables --cors-origin http://127.0.0.1:4329 --bucket nocors
 *   --table tables/key/prefix=/abs/dir ...` prints `S3_READY <port>` when ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The access key and secret s3rver's default account accepts. */
export const S3RVER_KEY = 'S3RVER';
export const S3RVER_SECRET = 'S3RVER';

/** What a test asks for. */
export interface S3ServerOptions {
  /** Buckets; `corsOrigin` set adds a CORS rule allowing that origin (GET, HEAD, PUT; all headers). */
  buckets: { name: string; corsOrigin?: string }[];
  /** Local folders uploaded as `bucket/prefix/...` (prefix without trailing `/`). */
  tables: { bucket: string; prefix: string; dir: string }[];
  port?: number;
}

/** Per-object serving counts (`bucket/key` → requests, bytes sent, methods seen). */
export type S3Stats = Record<string, { requests: number; bytes: number; methods: string[] }>;

/** A running server. */
export interface S3Server {
  endpoint: string;
  port: number;
  /** Bytes and requests served per object since the last {@link reset}. */
  stats(): Promise<S3Stats>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the server in a child process and waits until the tables are uploaded. */
export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const args = ['--openssl-legacy-provider', '--import', 'tsx', fileURLToPath(import.meta.url), '--port', String(options.port ?? 0)];
  for (const b of options.buckets) {
    args.push('--bucket', b.name);
    if (b.corsOrigin) args.push('--cors-origin', b.corsOrigin);
  }
  for (const t of options.tables) args.push('--table', `${t.bucket}/${t.prefix}=${t.dir}`);
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: join(fileURLToPath(import.meta.url), '..', '..') });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`s3 server did not start in 60 s: ${stderr}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /S3_READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3 server exited (${code}): ${stderr}`));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    async stats() {
      const res = await fetch(`${endpoint}/__stats`);
      return ((await res.json()) as { objects: S3Stats }).objects;
    },
    async reset() {
      await fetch(`${endpoint}/__stats`, { method: 'POST' });
    },
    async stop() {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

function corsXml(origin: string): string {
  return `<CORSConfiguration><CORSRule><AllowedOrigin>${origin}</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>Content-Length</ExposeHeader><ExposeHeader>Content-Range</ExposeHeader><ExposeHeader>ETag</ExposeHeader><ExposeHeader>Last-Modified</ExposeHeader><MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

async function main(argv: string[]): Promise<void> {
  const buckets: { name: string; configs: string[] }[] = [];
  const tables: { bucket: string; prefix: string; dir: string }[] = [];
  let port = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') port = Number(argv[++i]);
    else if (a === '--bucket') buckets.push({ name: argv[++i], configs: [] });
    else if (a === '--cors-origin') buckets[buckets.length - 1].configs.push(corsXml(argv[++i]));
    else if (a === '--table') {
      const [where, dir] = argv[++i].split(/=(.*)/s);
      const slash = where.indexOf('/');
      tables.push({ bucket: where.slice(0, slash), prefix: where.slice(slash + 1).replace(/\/+$/, ''), dir });
    }
  }
  const S3rver = (await import('s3rver')).default;
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const s3rver = new S3rver({ silent: true, directory, configureBuckets: buckets, resetOnClose: true });
  await s3rver.configureBuckets();
  const handler = s3rver.callback();
  const stats: S3Stats = {};
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/__stats') {
      if (req.method === 'POST') for (const k of Object.keys(stats)) delete stats[k];
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(JSON.stringify({ objects: stats }));
      return;
    }
    const key = decodeURIComponent(url.pathname.slice(1));
    let bytes = 0;
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
    const count = (chunk: unknown) => {
      if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk);
      else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
    };
    (res as unknown as { write: (...a: unknown[]) => boolean }).write = (...a: unknown[]) => {
      count(a[0]);
      return write(...a);
    };
    (res as unknown as { end: (...a: unknown[]) => ServerResponse }).end = (...a: unknown[]) => {
      if (typeof a[0] !== 'function') count(a[0]);
      return end(...a);
    };
    res.on('finish', () => {
      if (req.method === 'OPTIONS' || url.searchParams.has('list-type')) return;
      const s = (stats[key] ??= { requests: 0, bytes: 0, methods: [] });
      s.requests++;
      s.bytes += bytes;
      if (!s.methods.includes(req.method ?? '')) s.methods.push(req.method ?? '');
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const actualPort = (server.address() as { port: number }).port;
  // Upload the tables through the S3 API itself.
  const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${actualPort}`,
    forcePathStyle: true,
    credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_SECRET },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  // s3rver's delimiter listing finds a common prefix only when an object sits directly in it, so
  // every folder also gets a zero-byte folder marker (`a/b/`), as the S3 console creates them.
  const markers = new Set<string>();
  for (const t of tables) {
    for (const file of walk(t.dir)) {
      const rel = relative(t.dir, file).split(sep).join('/');
      const key = t.prefix ? `${t.prefix}/${rel}` : rel;
      await client.send(new PutObjectCommand({ Bucket: t.bucket, Key: key, Body: readFileSync(file) }));
      const parts = key.split('/');
      for (let i = 1; i < parts.length; i++) markers.add(`${t.bucket}\n${parts.slice(0, i).join('/')}/`);
    }
  }
  for (const m of markers) {
    const [bucket, key] = m.split('\n');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: new Uint8Array(0) }));
  }
  for (const k of Object.keys(stats)) delete stats[k];
  process.stdout.write(`S3_READY ${actualPort}\n`);
  const stop = () => {
    server.close();
    rmSync(directory, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(String(e?.stack ?? e) + '\n');
    process.exit(1);
  });
}
