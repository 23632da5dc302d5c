/**
 * A static file server with correct HTTP Range support, for the end-to-end tests and the CLI's
 * `serve` command (Node only).
 *
 * Files are sent by `send` (pillarjs, the engine of `express.static`), which implements RFC 9110
 * ranges: `bytes=a-b`, open `bytes=a-` and suffix `bytes=-n` ranges answer 206 with
 * `Content-Range` (a suffix longer than the file gives the whole file, as RFC 9110 says; we patch
 * the header for that one case, which range-parser refuses); an unsatisfiable range answers 416
 * with `Content-Range: bytes *\/size`; a multi-range request gets the whole file (200), which
 * RFC 9110 allows. Nothing is compressed
 * (Vite's preview server gzips 206 answers, which browsers reject, and gets suffix ranges wrong).
 *
 * CORS is open by default (`*`), with `Range` allowed in preflights (a suffix range is not a
 * CORS-safelisted header value, so browsers preflight it) and `Content-Range`/`Content-Length`/
 * `Accept-Ranges`/`ETag` exposed, so the app on another origin can read tables from this server.
 *
 * A mount with `listing: true` also answers S3 `ListObjectsV2` requests on its folders
 * (`GET /mount/dir/?list-type=2&prefix=...`, see {@link listObjectsV2}), so `HttpStore` lists
 * `_delta_log/` (and finds the tables of a folder) instead of probing commit by commit.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import send from 'send';
import { listObjectsV2, parseListRequest } from './listing.ts';

/** A folder served under a URL prefix. */
export interface StaticMount {
  /** URL path prefix, starting and ending with `/` (e.g. `/` or `/fixtures/`). */
  urlPrefix: string;
  /** Folder on disk. */
  root: string;
  /**
   * Serve dotfiles (`.crc` checksum files of Spark tables, ...). Default false (404), so that
   * `.git` and friends of a served folder stay private.
   */
  dotfiles?: boolean;
  /**
   * For a page navigation (`Accept: text/html`) to a path without a file extension that is not
   * found, serve this file of the mount instead (an SPA's `index.html`). Other requests get their
   * 404: `fetch` of a missing `_delta_log/_last_checkpoint` must not receive the app's HTML.
   */
  fallback?: string;
  /**
   * Answer S3 `ListObjectsV2` requests (`?list-type=2`) on the mount's folders with the files under
   * the folder requested (keys relative to it). Default false. Hidden files follow `dotfiles`.
   */
  listing?: boolean;
}

/** One answered request, for logs and for tests that check which bytes were read. */
export interface RequestRecord {
  method: string;
  /** Path and query as requested. */
  url: string;
  /** The `Range` header, if any. */
  range?: string;
  status: number;
}

/** Options of {@link createStaticHandler}. */
export interface StaticServerOptions {
  /** Mounts, matched longest prefix first. */
  mounts: StaticMount[];
  /** Send CORS headers (default true). */
  cors?: boolean;
  /** Extra headers on every answer (e.g. `Cross-Origin-Opener-Policy`). */
  headers?: Record<string, string>;
  /** Called once per answered request. */
  onRequest?: (r: RequestRecord) => void;
}

const EXPOSED_HEADERS = 'Content-Range, Content-Length, Content-Type, Accept-Ranges, ETag, Last-Modified';

/** Normalizes a URL prefix to `/…/`. */
function normalizePrefix(p: string): string {
  let s = p.startsWith('/') ? p : '/' + p;
  if (!s.endsWith('/')) s += '/';
  return s;
}

/** A Node request handler serving the mounts. */
export function createStaticHandler(options: StaticServerOptions): http.RequestListener {
  const mounts = options.mounts
    .map((m) => ({ ...m, urlPrefix: normalizePrefix(m.urlPrefix), root: resolve(m.root) }))
    .sort((a, b) => b.urlPrefix.length - a.urlPrefix.length);
  const cors = options.cors ?? true;

  return (req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const range = req.headers.range;
    res.on('finish', () => options.onRequest?.({ method, url, range, status: res.statusCode }));
    for (const [k, v] of Object.entries(options.headers ?? {})) res.setHeader(k, v);
    if (cors) {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    if (method === 'OPTIONS') {
      if (cors) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'Range');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.statusCode = 204;
      res.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('Allow', 'GET, HEAD, OPTIONS');
      res.end();
      return;
    }
    // Keep the path percent-encoded: `send` decodes it (and refuses `..` and NUL bytes).
    const pathname = url.split('?')[0].split('#')[0];
    const mount = mounts.find((m) => pathname.startsWith(m.urlPrefix) || pathname + '/' === m.urlPrefix);
    if (!mount) {
      res.statusCode = 404;
      res.end('Not found');
      return;
    }
    const rel = '/' + pathname.slice(mount.urlPrefix.length);
    const query = url.includes('?') ? url.slice(url.indexOf('?') + 1).split('#')[0] : '';
    if (mount.listing && method === 'GET' && rel.endsWith('/') && query) {
      const request = parseListRequest(new URLSearchParams(query));
      if (request) {
        void listObjectsV2(mount.root, rel, request, { dotfiles: !!mount.dotfiles }).then(
          (answer) => {
            res.statusCode = answer.status;
            res.setHeader('Content-Type', 'application/xml; charset=utf-8');
            res.setHeader('Cache-Control', 'no-store');
            res.end(answer.body);
          },
          (err: unknown) => {
            res.statusCode = 500;
            res.setHeader('Content-Type', 'text/plain; charset=utf-8');
            res.end(`Listing failed: ${err instanceof Error ? err.message : String(err)}`);
          },
        );
        return;
      }
    }
    const serve = (path: string, allowFallback: boolean) => {
      send(req, path, {
        root: mount.root,
        dotfiles: mount.dotfiles ? 'allow' : 'ignore',
        index: ['index.html'],
        acceptRanges: true,
        etag: true,
        lastModified: true,
        maxAge: 0,
      })
        .on('file', (_path: string, stat: { size: number }) => {
          // range-parser (under send) answers 416 to a suffix range longer than the file; RFC 9110
          // §14.1.2 says the whole file is then used. Parquet readers ask for footers that way.
          const fixed = clampSuffixRange(req.headers.range, stat.size);
          if (fixed !== undefined) req.headers.range = fixed;
        })
        .on('directory', () => {
          // A folder without its trailing slash: redirect relative to the full URL (send would use the mount-relative path).
          res.statusCode = 301;
          res.setHeader('Location', pathname + '/');
          res.end();
        })
        .on('error', (err: { status?: number; statusCode?: number; message: string }) => {
          const status = err.status ?? err.statusCode ?? 500;
          const last = path.slice(path.lastIndexOf('/') + 1);
          const navigation = /text\/html/i.test(req.headers.accept ?? '');
          if (status === 404 && allowFallback && mount.fallback && navigation && !last.includes('.')) {
            serve('/' + mount.fallback, false);
            return;
          }
          res.statusCode = status;
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
          res.end(status === 404 ? 'Not found' : err.message);
        })
        .pipe(res);
    };
    serve(rel, true);
  };
}

/**
 * `bytes=0-` for a single suffix range (`bytes=-n`) longer than a non-empty file of `size` bytes;
 * undefined when the header needs no change.
 */
export function clampSuffixRange(header: string | undefined, size: number): string | undefined {
  const m = header ? /^\s*bytes\s*=\s*-\s*(\d+)\s*$/.exec(header) : null;
  if (!m || size <= 0) return undefined;
  const n = Number(m[1]);
  return n > size ? 'bytes=0-' : undefined;
}

/** A running server. */
export interface RunningStaticServer {
  server: http.Server;
  /** Base URL, e.g. `http://127.0.0.1:4329` (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

/** Starts a server on `host:port` (port 0 = any free port). */
export function startStaticServer(
  options: StaticServerOptions & { host?: string; port?: number },
): Promise<RunningStaticServer> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer(createStaticHandler(options));
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolvePromise({
        server,
        url: `http://${shownHost}:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((e) => (e ? fail(e) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
