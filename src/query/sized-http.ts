/**
 * Ranged reads of remote data files without a HEAD request.
 *
 * DuckDB-WASM 1.28 opens an HTTP file with `HEAD` (plus `Range: bytes=0-`) to learn its size, and
 * when that fails it downloads the whole file. A URL presigned for `GET` (S3, lakeFS `presign=true`,
 * a share link) refuses `HEAD` on real S3, so every preview would fetch whole files. Delta already
 * knows each data file's size (`add.size`, bytes), so the size travels in the URL's fragment
 * (`#dx-size=<bytes>`), which is never sent over the network, and an `XMLHttpRequest` subclass
 * installed in DuckDB's worker answers such a `HEAD` itself: status 206 and `Content-Length`. The
 * `GET`s with `Range: bytes=a-b` then go to the server unchanged.
 *
 * Retries (issue #16): DuckDB reads URLs with synchronous `XMLHttpRequest`s in its own worker and
 * takes the first answer as final: one 503 failed the query. The subclass retries its synchronous
 * `GET`/`HEAD`s of http(s) URLs on the statuses and failures of `src/delta/storage/retry.ts` (same
 * policy, same backoff schedule: 408/429/5xx, no answer, a request timeout (the stall timeout
 * plus the range's time at 64 KB/s), a body shorter than its range or than the log's size), waiting between attempts with `Atomics.wait` where shared memory exists, else a
 * bounded busy wait (the worker is blocked in DuckDB's read anyway). A 206 for other bytes than
 * asked is refused. After the last attempt it throws an error naming the file (URL without its
 * query: presigned signatures never appear), the attempts and the last status, which DuckDB turns
 * into the query's error. Other answers (404, 403) go to DuckDB unchanged.
 */
import { redactUrl } from '../delta/storage/remote-errors.ts';
import { backoffDelayMs, isRetryableStatus, parseRetryAfter, retryPolicy, type TransientInfo } from '../delta/storage/retry.ts';
import { countRead } from './read-meter.ts';

/** The fragment marker carrying a file's size in bytes. */
export const SIZE_FRAGMENT = 'dx-size=';

/** `url` with its size in bytes in the fragment (replacing any fragment it had). */
export function withSizeFragment(url: string, sizeBytes: number): string {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) throw new RangeError(`Not a file size: ${sizeBytes}`);
  const hash = url.indexOf('#');
  return `${hash < 0 ? url : url.slice(0, hash)}#${SIZE_FRAGMENT}${sizeBytes}`;
}

/** The size (bytes) a URL carries in its fragment, if any. */
export function sizeFromFragment(url: string): number | undefined {
  const m = /#dx-size=(\d+)$/.exec(url);
  return m ? Number(m[1]) : undefined;
}

/** Marks errors thrown by the retry loop, so the data plane can tell network failures from damaged files. */
export const NETWORK_FAILURE_MARK = '[dx-network]';

/** Blocks the (worker) thread for `ms`: `Atomics.wait` when shared memory exists, else a busy wait. */
function blockFor(ms: number): void {
  if (ms <= 0) return;
  if (typeof SharedArrayBuffer !== 'undefined') {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      return;
    } catch {
      // Atomics.wait is refused on some threads: fall through
    }
  }
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy wait (bounded by the policy's maxDelayMs)
  }
}

/** `bytes=a-b` → [a, b]. */
function requestedRange(headers: [string, string][]): [number, number] | undefined {
  const v = headers.find(([n]) => n.toLowerCase() === 'range')?.[1];
  const m = v ? /^bytes=(\d+)-(\d+)$/.exec(v.trim()) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * Replaces `scope.XMLHttpRequest` with a subclass that answers `HEAD` requests of URLs carrying a
 * size fragment without touching the network (status 206, `Content-Length` = the size), and retries
 * synchronous `GET`/`HEAD`s of http(s) URLs as the module doc says; every other request is the
 * native one. Idempotent.
 */
export function installSizedHttp(scope: { XMLHttpRequest: typeof XMLHttpRequest }): void {
  const Native = scope.XMLHttpRequest as typeof XMLHttpRequest & { dxSized?: boolean };
  if (Native.dxSized) return;
  class SizedXMLHttpRequest extends Native {
    static override dxSized = true;
    private dxSize: number | undefined;
    private dxOpen: { method: string; url: string; async: boolean; user?: string | null; password?: string | null } | undefined;
    private dxHeaders: [string, string][] = [];
    override open(method: string, url: string | URL, async = true, user?: string | null, password?: string | null): void {
      const size = method.toUpperCase() === 'HEAD' ? sizeFromFragment(String(url)) : undefined;
      this.dxSize = size;
      this.dxOpen = { method: method.toUpperCase(), url: String(url), async, user, password };
      this.dxHeaders = [];
      super.open(method, url, async, user, password);
    }
    override setRequestHeader(name: string, value: string): void {
      this.dxHeaders.push([name, value]);
      super.setRequestHeader(name, value);
    }
    override send(body?: Document | XMLHttpRequestBodyInit | null): void {
      if (this.dxSize !== undefined) return;
      const o = this.dxOpen;
      if (!o || o.async || (o.method !== 'GET' && o.method !== 'HEAD') || !/^https?:/i.test(o.url)) {
        super.send(body);
        return;
      }
      this.sendWithRetries(o, body);
    }
    private sendWithRetries(o: NonNullable<SizedXMLHttpRequest['dxOpen']>, body?: Document | XMLHttpRequestBodyInit | null): void {
      const policy = retryPolicy();
      const started = Date.now();
      const file = redactUrl(o.url.replace(/#.*$/, ''));
      // The size from the log, which travels in the URL's fragment (see withSizeFragment).
      const known = /#dx-size=(\d+)$/.exec(o.url) ? Number(/#dx-size=(\d+)$/.exec(o.url)![1]) : undefined;
      for (let attempt = 1; ; attempt++) {
        let info: TransientInfo | undefined;
        try {
          try {
            // A synchronous request has no progress events to watch: its timeout is the stall
            // timeout plus the time the range takes at 64 KB/s, so a big read on a slow link is not cut.
            const asked = requestedRange(this.dxHeaders);
            this.timeout = policy.stallTimeoutMs + (asked ? Math.ceil((asked[1] - asked[0] + 1) / 64) : 0);
          } catch {
            // timeouts on synchronous requests are refused outside workers
          }
          super.send(body);
          const status = super.status;
          if (isRetryableStatus(status)) {
            info = { status, retryAfterMs: parseRetryAfter(super.getResponseHeader('Retry-After')), reason: `HTTP ${status}` };
          } else if (status === 0) {
            info = { reason: 'no answer' };
          } else if (status === 206 && o.method === 'GET') {
            const asked = requestedRange(this.dxHeaders);
            const cr = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(super.getResponseHeader('Content-Range') ?? '');
            const got = (super.response as ArrayBuffer | null)?.byteLength ?? 0;
            if (asked && cr && Number(cr[1]) !== asked[0]) {
              throw new Error(`${NETWORK_FAILURE_MARK} ${file} answered bytes ${cr[1]}-${cr[2]} when bytes ${asked[0]}-${asked[1]} were asked (wrong Content-Range).`);
            }
            if (cr && known !== undefined && cr[3] !== '*' && Number(cr[3]) !== known) {
              throw new Error(`${NETWORK_FAILURE_MARK} ${file} is ${cr[3]} bytes on the server, but the Delta log says ${known}: not the file the table refers to.`);
            }
            const expected = cr ? Number(cr[2]) - Number(cr[1]) + 1 : asked ? asked[1] - asked[0] + 1 : undefined;
            if (expected !== undefined && got < expected) info = { status, reason: `body cut short (${got} of ${expected} bytes)` };
          } else if (status === 200 && o.method === 'GET' && known !== undefined) {
            // A server that ignores Range sends the whole file: it must be whole.
            const got = (super.response as ArrayBuffer | null)?.byteLength ?? 0;
            if (got < known) info = { status, reason: `body cut short (${got} of ${known} bytes)` };
          }
        } catch (e) {
          if (e instanceof Error && e.message.startsWith(NETWORK_FAILURE_MARK)) throw e;
          const name = (e as Error)?.name;
          info = { reason: name === 'TimeoutError' ? `no answer within ${(policy.stallTimeoutMs / 1000).toFixed(1)} s` : `connection failed (${name ?? 'error'})` };
        }
        if (!info) {
          if (o.method === 'GET' && (super.status === 200 || super.status === 206)) countRead((super.response as ArrayBuffer | null)?.byteLength ?? 0);
          return;
        }
        const elapsed = Date.now() - started;
        const delay = backoffDelayMs(attempt, policy, info.retryAfterMs);
        if (attempt >= policy.maxAttempts || elapsed + delay >= policy.deadlineMs) {
          throw new Error(`${NETWORK_FAILURE_MARK} Could not read ${file}: ${attempt} attempt${attempt === 1 ? '' : 's'} in ${(elapsed / 1000).toFixed(1)} s failed; the last: ${info.reason}.`);
        }
        blockFor(delay);
        super.open(o.method, o.url, false, o.user, o.password);
        for (const [n, v] of this.dxHeaders) super.setRequestHeader(n, v);
      }
    }
    override get status(): number {
      return this.dxSize === undefined ? super.status : 206;
    }
    override get readyState(): number {
      return this.dxSize === undefined ? super.readyState : 4;
    }
    override getResponseHeader(name: string): string | null {
      if (this.dxSize === undefined) return super.getResponseHeader(name);
      return name.toLowerCase() === 'content-length' ? String(this.dxSize) : null;
    }
  }
  scope.XMLHttpRequest = SizedXMLHttpRequest;
}
