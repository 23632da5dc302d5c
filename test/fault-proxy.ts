/**
 * A fault-injecting HTTP proxy (Node only) for tests and the network benchmark: it forwards every
 * request to a real server (the project's static server, `src/server/static.ts`) and, where a rule
 * or the seeded random schedule says so, answers with the faults real object stores and networks
 * produce instead:
 *
 * - transient: `503` (S3 `SlowDown`, with or without `Retry-After`), `500`, `reset` (connection
 *   closed before any answer), `truncate` (headers with the full `Content-Length`, half the body,
 *   then the connection closed), `stall` (nothing, ever, until the client gives up);
 * - permanent: `404`, `403`, `html200` (a single-page-app fallback: an HTML page with status 200),
 *   `spa-fallback` (the same, only where the real server answers 404), `wrong-range` (a 206 whose
 *   `Content-Range` names other bytes than asked), `cut-fixed` (the body cut at a line end and
 *   `Content-Length` fixed up to match — what a broken proxy or a close-delimited body dropped by
 *   the network looks like: a shorter, valid-looking answer);
 * - latency: every answer delayed by `latencyMs` (half a round trip each way is not modelled; one
 *   delay per request).
 *
 * Deterministic: rules apply to the first `times` requests they match after `skip` (then pass), and the random
 * schedule draws from a seeded generator (mulberry32), so a failing run can be replayed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The faults the proxy can inject. */
export type FaultKind =
  | '503'
  | '503-retry-after'
  | '500'
  | 'reset'
  | 'truncate'
  | 'stall'
  | '404'
  | '403'
  | 'html200'
  | 'spa-fallback'
  | 'wrong-range'
  | 'cut-fixed';

/** Transient faults: the random schedule draws from these. */
export const TRANSIENT_FAULTS: readonly FaultKind[] = ['503', '503-retry-after', '500', 'reset', 'truncate'];

/** One rule: requests matching `match` (and `method`) get `fault`, the first `times` of them (default: all). */
export interface FaultRule {
  /** Matched against the request's path and query. */
  match: RegExp;
  method?: string;
  /** Matched against the `Range` header (a request without one does not match). */
  range?: RegExp;
  fault: FaultKind;
  /** Let the first `skip` matching requests (that reach this rule) pass. */
  skip?: number;
  times?: number;
}

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** The real server, e.g. `http://127.0.0.1:4329`. */
  target: string;
  rules?: FaultRule[];
  /** Probability (0..1) that a request not caught by a rule gets a random transient fault. */
  rate?: number;
  /** Seed of the random schedule. */
  seed?: number;
  /** Which transient faults the random schedule draws from (default {@link TRANSIENT_FAULTS}). */
  randomFaults?: readonly FaultKind[];
  /** Only requests whose path matches this get random faults (default: all). */
  randomMatch?: RegExp;
  /** Delay before each answer, ms. */
  latencyMs?: number;
  /** `Retry-After` seconds sent with `503-retry-after` (default 1). */
  retryAfterSeconds?: number;
}

/** One request as the proxy saw it. */
export interface ProxyRecord {
  method: string;
  url: string;
  range?: string;
  /** The fault injected, if any. */
  fault?: FaultKind;
  /** Body bytes sent to the client. */
  bytes: number;
}

/** A running proxy. */
export interface FaultProxy {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing `/`). */
  url: string;
  /** Every request, in order of arrival. */
  requests: ProxyRecord[];
  /** Replaces the rules (their counters start again). */
  setRules(rules: FaultRule[]): void;
  /** Changes the random fault rate. */
  setRate(rate: number): void;
  close(): Promise<void>;
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HTML_PAGE = '<!doctype html><html><head><title>App</title></head><body><div id="root"></div><script src="/assets/app.js"></script></body></html>';

/** Starts the proxy on 127.0.0.1 (a free port). */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  let rules = (options.rules ?? []).map((r) => ({ ...r, used: 0, seen: 0 }));
  let rate = options.rate ?? 0;
  const random = seededRandom(options.seed ?? 1);
  const requests: ProxyRecord[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const pick = (method: string, url: string, range: string | undefined): FaultKind | undefined => {
    for (const r of rules) {
      if (r.method && r.method !== method) continue;
      if (r.range && !(range !== undefined && r.range.test(range))) continue;
      if (!r.match.test(url)) continue;
      if (r.times !== undefined && r.used >= r.times) continue;
      if (++r.seen <= (r.skip ?? 0)) continue;
      r.used++;
      return r.fault;
    }
    if (rate > 0 && (!options.randomMatch || options.randomMatch.test(url))) {
      const roll = random();
      const kinds = options.randomFaults ?? TRANSIENT_FAULTS;
      const which = kinds[Math.floor(random() * kinds.length)];
      if (roll < rate) return which;
    }
    return undefined;
  };

  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const fault = pick(method, url, req.headers.range);
    const record: ProxyRecord = { method, url, range: req.headers.range, fault, bytes: 0 };
    requests.push(record);
    const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Content-Length, Content-Range, Retry-After, ETag, Last-Modified' };
    const answer = () => {
      if (fault === 'stall') return; // never answers; the socket closes with the client or the proxy
      if (fault === 'reset') return void req.socket.destroy();
      if (fault === '503' || fault === '503-retry-after' || fault === '500') {
        const body = fault === '500' ? '<Error><Code>InternalError</Code></Error>' : '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
        res.writeHead(fault === '500' ? 500 : 503, { ...cors, 'content-type': 'application/xml', ...(fault === '503-retry-after' ? { 'retry-after': String(options.retryAfterSeconds ?? 1) } : {}) });
        record.bytes = body.length;
        return void res.end(method === 'HEAD' ? undefined : body);
      }
      if (fault === '404' || fault === '403') {
        res.writeHead(Number(fault), { ...cors, 'content-type': 'application/xml' });
        return void res.end(method === 'HEAD' ? undefined : `<Error><Code>${fault === '404' ? 'NoSuchKey' : 'AccessDenied'}</Code></Error>`);
      }
      if (fault === 'html200') {
        res.writeHead(200, { ...cors, 'content-type': 'text/html; charset=utf-8', 'content-length': HTML_PAGE.length });
        record.bytes = HTML_PAGE.length;
        return void res.end(method === 'HEAD' ? undefined : HTML_PAGE);
      }
      // Forward, then maybe spoil the answer.
      const up = http.request(
        { host: target.hostname, port: target.port, method, path: url, headers: { ...req.headers, host: target.host } },
        (ur) => {
          const chunks: Buffer[] = [];
          ur.on('data', (c: Buffer) => chunks.push(c));
          ur.on('end', () => {
            let body = Buffer.concat(chunks);
            const headers = { ...ur.headers } as http.OutgoingHttpHeaders;
            let status = ur.statusCode ?? 502;
            if (fault === 'spa-fallback' && status === 404) {
              res.writeHead(200, { ...cors, 'content-type': 'text/html; charset=utf-8', 'content-length': HTML_PAGE.length });
              record.bytes = HTML_PAGE.length;
              return void res.end(method === 'HEAD' ? undefined : HTML_PAGE);
            }
            if (fault === 'truncate' && method !== 'HEAD' && body.length > 1) {
              res.writeHead(status, headers);
              const half = body.subarray(0, Math.floor(body.length / 2));
              record.bytes = half.length;
              res.write(half, () => setTimeout(() => req.socket.destroy(), 5));
              return;
            }
            if (fault === 'cut-fixed' && method !== 'HEAD' && body.length > 1) {
              // Cut at the last line end before the middle (or the middle), and fix the length up.
              const mid = Math.floor(body.length / 2);
              const nl = body.lastIndexOf(0x0a, mid);
              body = body.subarray(0, nl > 0 ? nl + 1 : mid);
              headers['content-length'] = String(body.length);
              delete headers['content-range'];
              if (status === 206) status = 200;
            }
            if (fault === 'wrong-range' && status === 206 && typeof headers['content-range'] === 'string') {
              const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headers['content-range']);
              if (m) headers['content-range'] = `bytes ${Number(m[1]) + 1}-${Number(m[2]) + 1}/${m[3]}`;
            }
            res.writeHead(status, headers);
            record.bytes = method === 'HEAD' ? 0 : body.length;
            res.end(method === 'HEAD' ? undefined : body);
          });
          ur.on('error', () => req.socket.destroy());
        },
      );
      up.on('error', () => {
        if (!res.headersSent) res.writeHead(502).end();
      });
      req.pipe(up);
    };
    if (options.latencyMs) setTimeout(answer, options.latencyMs);
    else answer();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setRules(next) {
      rules = next.map((r) => ({ ...r, used: 0, seen: 0 }));
    },
    setRate(r) {
      rate = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
