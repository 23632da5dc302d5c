/**
 * `serve`: opens a local Delta table (or a folder of tables) in the browser app, with nothing
 * uploaded anywhere (Node only).
 *
 * One HTTP server on `host:port` (default `127.0.0.1:5173`) serves the built app (`dist/`, built
 * with Vite first when missing) at `/`, and the local folder at `/local/<folder name>/` with correct HTTP Range and
 * an S3 `ListObjectsV2` listing (see `src/server/static.ts`), so the app's `HttpStore` lists the log
 * instead of probing it. It prints the app URL that opens the folder,
 * `http://127.0.0.1:5173/?url=http://127.0.0.1:5173/local/my_table/`; for a folder holding several tables the
 * app lists them to pick from. With `lakefs`, a lakeFS endpoint is also reverse-proxied at
 * `/lakefs/`, so the page can call its API from its own origin (lakeFS sends no CORS headers).
 *
 * The server sends no CORS headers (the app is on the same origin; other sites must not read the
 * folder) and, when bound to a loopback address, answers only requests naming a loopback host.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStaticHandler, type StaticMount } from '../server/static.ts';

/** Options of {@link serve}. */
export interface ServeOptions {
  /** The table folder (the one holding `_delta_log/`), a folder of tables, or a `_delta_log` folder (its parent is served). */
  target: string;
  /** Port; default 5173, or any free port when 5173 is taken. An explicit port that is taken is an error. 0: any free port. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1` (this machine only). */
  host?: string;
  /** Open the app in the default browser (`open`, `xdg-open` or `start`); never fails when there is none. Default false. */
  open?: boolean;
  /** A lakeFS endpoint (`http(s)://host:port`) to reverse-proxy at `/lakefs/`. */
  lakefs?: string;
  /** The built app to serve; default the project's `dist/` (built with Vite when missing). */
  appDir?: string;
  /** Where progress lines go; default `console.log`. */
  log?: (line: string) => void;
}

/** A running `serve`. */
export interface ServeHandle {
  /** The app URL that opens the served folder. */
  url: string;
  /** The server's base URL, e.g. `http://127.0.0.1:5173`. */
  baseUrl: string;
  /** The folder served at `/local/<its name>/`. */
  root: string;
  /** The URL the folder is served at, `${baseUrl}/local/<its name>/`. */
  tableUrl: string;
  close(): Promise<void>;
}

/** The project's root folder (this file is `src/cli/serve.ts`). */
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const DEFAULT_PORT = 5173;

/** Host names of this machine. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The host name of a `Host` header (no port). */
function hostName(header: string | undefined): string {
  if (!header) return '';
  const m = /^(\[[^\]]*\]|[^:]+)/.exec(header.trim().toLowerCase());
  return m ? m[1] : '';
}

/** Encodes a query value, leaving `/` and `:` readable (as the app writes its links). */
const queryValue = (v: string) => encodeURIComponent(v).replace(/%2F/gi, '/').replace(/%3A/gi, ':');

/**
 * Serves the app and a local table folder, prints the URL that opens it, and (with `open`) opens
 * the browser. Resolves once the server listens; stop it with `close()`.
 * @throws Error when the target is not a folder, the port is taken, the lakeFS URL is invalid, or
 *   the app is not built and cannot be.
 */
export async function serve(options: ServeOptions): Promise<ServeHandle> {
  const log = options.log ?? ((line: string) => console.log(line));
  let root = resolve(options.target);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`${options.target} is not a folder.`);
  if (basename(root) === '_delta_log') {
    root = dirname(root);
    log(`serve: ${options.target} is a _delta_log folder; serving its table, ${root}.`);
  }
  let lakefs: URL | undefined;
  if (options.lakefs !== undefined) {
    try {
      lakefs = new URL(options.lakefs);
    } catch {
      lakefs = undefined;
    }
    if (!lakefs || (lakefs.protocol !== 'http:' && lakefs.protocol !== 'https:')) {
      throw new Error(`--lakefs needs the http(s):// URL of a lakeFS server, not "${options.lakefs}".`);
    }
  }

  const appDir = options.appDir ?? join(PROJECT_ROOT, 'dist');
  if (!existsSync(join(appDir, 'index.html'))) {
    if (options.appDir !== undefined) throw new Error(`${appDir} holds no index.html.`);
    await buildApp(log);
  }

  // Under the folder's own name, so the app names the table after it (not "local").
  const tablePrefix = `/local/${encodeURIComponent(basename(root) || 'table')}/`;
  const mounts: StaticMount[] = [
    { urlPrefix: '/', root: appDir, fallback: 'index.html', listing: true },
    { urlPrefix: tablePrefix, root, listing: true },
  ];
  // No CORS: the app is served from this origin, and other sites must not read the folder.
  const files = createStaticHandler({ mounts, cors: false, headers: { 'Cache-Control': 'no-cache' } });
  const proxy = lakefs ? reverseProxy(lakefs) : undefined;
  const host = options.host ?? '127.0.0.1';
  const loopbackOnly = LOOPBACK.has(host);
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    // Bound to this machine only: refuse other Host names (a DNS-rebinding page could otherwise read the folder).
    if (loopbackOnly && !LOOPBACK.has(hostName(req.headers.host))) {
      res.statusCode = 403;
      res.end('Forbidden host');
      return;
    }
    if (proxy && (path === '/lakefs' || path.startsWith('/lakefs/') || path.startsWith('/lakefs?'))) proxy(req, res, path.slice('/lakefs'.length) || '/');
    else files(req, res);
  });

  let port: number;
  try {
    port = await listen(server, options.port ?? DEFAULT_PORT, host);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    if (options.port !== undefined) throw new Error(`Port ${options.port} on ${host} is in use: pick another with --port.`);
    port = await listen(server, 0, host);
  }
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${shownHost}:${port}`;
  const url = `${baseUrl}/?url=${queryValue(`${baseUrl}${tablePrefix}`)}`;

  const hasLog = existsSync(join(root, '_delta_log'));
  log(`Delta Explorer is serving ${root}${hasLog ? '' : ' (no _delta_log/ in it: the app lists the tables in its sub-folders)'}`);
  if (lakefs) log(`  lakeFS ${lakefs.origin} is proxied at ${baseUrl}/lakefs/`);
  log(`  open ${url}`);
  log('  Press Ctrl+C to stop.');
  if (options.open) openBrowser(url, log);

  return {
    url,
    baseUrl,
    root,
    tableUrl: `${baseUrl}${tablePrefix}`,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((e) => (e ? fail(e) : done()));
        server.closeAllConnections();
      }),
  };
}

/** Builds the app into `dist/` with Vite (a dev dependency, present after `npm ci`). */
async function buildApp(log: (line: string) => void): Promise<void> {
  log('serve: the app is not built yet (no dist/index.html); building it with Vite, once…');
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch (e) {
    throw new Error(`Cannot build the app: Vite is not installed (${(e as Error).message}). Run "npm ci", then "npm run build".`);
  }
  await vite.build({ root: PROJECT_ROOT, logLevel: 'warn' });
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((done, fail) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      fail(e);
    };
    const onListening = () => {
      server.off('error', onError);
      done((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Forwards requests to `target` (path appended to its path), streaming both ways; 502 when it cannot be reached. */
function reverseProxy(target: URL): (req: http.IncomingMessage, res: http.ServerResponse, path: string) => void {
  const client = target.protocol === 'https:' ? https : http;
  const basePath = target.pathname.replace(/\/+$/, '');
  return (req, res, path) => {
    const headers = { ...req.headers, host: target.host };
    delete headers.connection;
    const upstream = client.request(
      { protocol: target.protocol, hostname: target.hostname, port: target.port || undefined, method: req.method, path: basePath + path, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (res.headersSent) {
        res.destroy(e);
        return;
      }
      res.statusCode = 502;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(`lakeFS at ${target.origin} cannot be reached: ${e.message}`);
    });
    req.pipe(upstream);
  };
}

/**
 * Opens `url` in the default browser when this machine has a way to (never throws; says so when
 * it cannot). On Linux without a display, nothing is started.
 */
export function openBrowser(url: string, log: (line: string) => void = console.log): void {
  const cannot = (why: string) => log(`  (could not open a browser: ${why}; open the URL above yourself)`);
  let command: string;
  let args: string[];
  if (process.platform === 'darwin') [command, args] = ['open', [url]];
  else if (process.platform === 'win32') [command, args] = ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  else {
    if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return cannot('no graphical display');
    [command, args] = ['xdg-open', [url]];
  }
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', (e) => cannot(`${command}: ${e.message}`));
    child.unref();
  } catch (e) {
    cannot(`${command}: ${(e as Error).message}`);
  }
}
