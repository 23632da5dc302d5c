/**
 * {@link ObjectStore} over HTTP(S): a table under any static web server, public bucket URL or set
 * of presigned URLs. Reads use `fetch` with `Range` headers (206 expected; a server that ignores
 * `Range` and answers 200 is handled by slicing).
 *
 * Every request goes through the retry loop of `retry.ts` (transient statuses, connection failures,
 * stalls and bodies shorter than their `Content-Length` are retried with backoff). A ranged answer
 * must cover exactly the range asked (`Content-Range`); an HTML page answered for a file that is not
 * HTML (a single-page-app fallback, a login or captive portal page) is not taken for the file: it is
 * `FILE_NOT_FOUND` saying what the server did ({@link isHtmlFallback}).
 *
 * Listing: plain HTTP cannot list a folder. The store asks the URL for an S3-style `ListObjectsV2`
 * listing (`?list-type=2&prefix=`), which S3-compatible endpoints and `delta-explorer serve` answer;
 * a listing is complete only when its document is (closing `</ListBucketResult>`, continuation
 * tokens followed). When the server answers no listing, `list` throws a `STORAGE_ERROR` marked
 * {@link isListingUnsupported}; the protocol core then finds the log by probing
 * (`src/delta/log/listing.ts`): this store knows no Delta file names. Sizes in bytes, times in ms.
 */
import { DeltaError, throwIfAborted } from '../errors.ts';
import { compareBytes, type ByteRange, type ListOptions, type ObjectMeta, type ObjectStore, type UrlSource, type StoreCapabilities } from './object-store.ts';
import { networkFailure, redactUrl, storeAnswerError } from './remote-errors.ts';
import { isRetryableStatus, markTransient, parseRetryAfter, readBody, transientError, withRetry, type AttemptContext } from './retry.ts';

/** Options of {@link HttpStore}. */
export interface HttpStoreOptions {
  /** `fetch` to use (default: global fetch). */
  fetch?: typeof fetch;
  /** A known file list (e.g. a bundled sample's index): used instead of listing or probing. */
  index?: ObjectMeta[];
  /** Maps a store path to the URL to fetch (e.g. a presigned URL); default `baseUrl + '/' + path`. */
  resolveUrl?: (path: string) => string | undefined;
  /** The bucket, when the base URL is an S3 bucket (named in the CORS explanation). */
  bucket?: string;
  /** URLs are valid for GET only (presigned): see {@link StoreCapabilities.getOnlyUrls}. */
  getOnlyUrls?: boolean;
  /** Store description for messages (default: the base URL without query). */
  description?: string;
}

/** The origin of a URL, or undefined. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** This app's origin when running in a browser (page or worker). */
function appOrigin(): string | undefined {
  const loc = (globalThis as { location?: { origin?: string } }).location;
  return loc?.origin && loc.origin !== 'null' ? loc.origin : undefined;
}

export { redactUrl };

/** How long a listing answer is reused, ms: long enough for one open, short enough to see new commits. */
export const LISTING_REUSE_MS = 5_000;

const NO_LISTING = Symbol('dx-no-listing');
const HTML_FALLBACK = Symbol('dx-html-fallback');

/** True for the error {@link HttpStore.list} throws when the server answers no listing (the caller may probe). */
export function isListingUnsupported(e: unknown): boolean {
  return e instanceof DeltaError && (e as { [NO_LISTING]?: boolean })[NO_LISTING] === true;
}

/**
 * True for a `FILE_NOT_FOUND` that was an HTML page answered (with a 2xx status) for a file that is
 * not HTML: the server answers every path with a page (single-page-app fallback, login or captive
 * portal), so "found" means nothing there.
 */
export function isHtmlFallback(e: unknown): boolean {
  return e instanceof DeltaError && (e as { [HTML_FALLBACK]?: boolean })[HTML_FALLBACK] === true;
}

/** Parses `Content-Range: bytes a-b/total` (`total` may be `*`). */
function parseContentRange(v: string | null): { start: number; end: number; total?: number } | undefined {
  const m = v ? /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(v.trim()) : null;
  if (!m) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? undefined : Number(m[3]) };
}

/** A read-only store over an HTTP(S) base URL (the table root). */
export class HttpStore implements UrlSource {
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private s3Listing: boolean | undefined;
  /** Recent listings by prefix (see {@link LISTING_REUSE_MS}). */
  private readonly listings = new Map<string, { atMs: number; result: Promise<ObjectMeta[] | undefined> }>();

  constructor(baseUrl: string, private readonly options: HttpStoreOptions = {}) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.description = options.description ?? redactUrl(this.base);
    this.capabilities = { list: true, getOnlyUrls: !!options.getOnlyUrls };
    this.doFetch = options.fetch ?? ((...a) => fetch(...a));
  }

  /** The URL of an object. */
  urlOf(path: string): string {
    const custom = this.options.resolveUrl?.(path);
    if (custom) return custom;
    return `${this.base}/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  async url(path: string): Promise<string | undefined> {
    return this.urlOf(path);
  }

  /**
   * One attempt: fetch, map the status to a typed error (transient ones marked), refuse an HTML page
   * for a non-HTML file, read the body checked against its length.
   */
  private async attempt(path: string, url: string, init: RequestInit, ctx: AttemptContext): Promise<{ res: Response; bytes: Uint8Array }> {
    let res: Response;
    try {
      res = await this.doFetch(url, { ...init, signal: ctx.signal });
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      const err = await networkFailure(e, { where: this.description, path, endpointOrigin: originOf(url), appOrigin: appOrigin(), bucket: this.options.bucket }, this.doFetch);
      // A CORS refusal will not pass by itself; no answer at all may.
      throw err.code === 'CORS_REFUSED' ? err : markTransient(err, { reason: `no answer (${(e as Error)?.message ?? String(e)})` });
    }
    ctx.progress();
    const method = init.method ?? 'GET';
    if (res.status === 404 || res.status === 410) {
      await res.body?.cancel().catch(() => undefined);
      throw new DeltaError('FILE_NOT_FOUND', `File not found: ${path} (HTTP ${res.status} from ${redactUrl(url)})`, { path });
    }
    if (res.status === 401 || res.status === 403) {
      const body = await res.text().catch(() => '');
      throw storeAnswerError(res.status, xmlText(body, 'Code'), xmlText(body, 'Message'), { where: this.description, path });
    }
    if (isRetryableStatus(res.status)) {
      const code = xmlText(await res.text().catch(() => ''), 'Code');
      throw transientError(`HTTP ${res.status} reading ${path} from ${redactUrl(url)}.`, {
        status: res.status,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
        reason: `HTTP ${res.status}${code ? ` ${code}` : res.statusText ? ` ${res.statusText}` : ''}`,
      }, path);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new DeltaError('STORAGE_ERROR', `HTTP ${res.status} ${res.statusText} reading ${path} from ${redactUrl(url)}.`, { path });
    }
    const type = res.headers.get('content-type') ?? '';
    if (/^\s*text\/html/i.test(type) && !/\.x?html?$/i.test(path)) {
      await res.body?.cancel().catch(() => undefined);
      const err = new DeltaError(
        'FILE_NOT_FOUND',
        `${path} is not on ${this.description}: the server answered an HTML page (HTTP ${res.status}, ${type.split(';')[0]}) instead of the file, as a single-page-app fallback, login or captive-portal page does for every path.`,
        { path, hint: 'Give the URL of the table folder itself (the one holding _delta_log/), served as plain files; a web app or a login page cannot stand in front of it.' },
      );
      (err as { [HTML_FALLBACK]?: boolean })[HTML_FALLBACK] = true;
      throw err;
    }
    const bytes = method === 'HEAD' ? new Uint8Array(0) : await readBody(res, ctx.progress, `${path} from ${this.description}`);
    return { res, bytes };
  }

  /** A request with retries (see `retry.ts`). */
  private request(path: string, init: RequestInit, signal?: AbortSignal): Promise<{ res: Response; bytes: Uint8Array }> {
    throwIfAborted(signal);
    const url = this.urlOf(path);
    return withRetry({ file: path, where: this.description }, (ctx) => this.attempt(path, url, init, ctx), { signal });
  }

  async get(path: string, signal?: AbortSignal): Promise<Uint8Array> {
    return (await this.request(path, {}, signal)).bytes;
  }

  async getRange(path: string, range: ByteRange, signal?: AbortSignal): Promise<Uint8Array> {
    if (range.end <= range.start) return new Uint8Array(0);
    throwIfAborted(signal);
    const url = this.urlOf(path);
    const want = range.end - range.start;
    return withRetry(
      { file: path, where: this.description },
      async (ctx) => {
        const { res, bytes } = await this.attempt(path, url, { headers: { Range: `bytes=${range.start}-${range.end - 1}` } }, ctx);
        if (res.status === 206) {
          const cr = parseContentRange(res.headers.get('content-range'));
          // The range must be the one asked (it may end early only at the end of the file).
          const lastByte = cr ? Math.min(range.end - 1, (cr.total ?? Infinity) - 1) : undefined;
          if (cr && (cr.start !== range.start || cr.end !== lastByte)) {
            throw new DeltaError(
              'STORAGE_ERROR',
              `${redactUrl(url)} answered bytes ${cr.start}-${cr.end} of ${path} when bytes ${range.start}-${range.end - 1} were asked (Content-Range: ${res.headers.get('content-range')}).`,
              { path, hint: 'The server (or a proxy or cache in front of it) gets HTTP Range requests wrong; serve the table from a server that implements them (any object store, nginx, delta-explorer serve).' },
            );
          }
          const expected = cr ? cr.end - cr.start + 1 : want;
          if (bytes.byteLength < expected) {
            throw transientError(`The answer for ${path} was cut short: ${bytes.byteLength} of ${expected} bytes.`, { status: 206, reason: `body cut short (${bytes.byteLength} of ${expected} bytes)` }, path);
          }
          return bytes.byteLength > expected ? bytes.subarray(0, expected) : bytes;
        }
        // The server ignored Range and sent the whole object.
        return bytes.subarray(range.start, range.end);
      },
      { signal },
    );
  }

  async head(path: string, signal?: AbortSignal): Promise<ObjectMeta> {
    let res: Response;
    try {
      res = (await this.request(path, { method: 'HEAD' }, signal)).res;
    } catch (e) {
      // Presigned GET URLs refuse HEAD (403): ask for one byte instead.
      if (!(e instanceof DeltaError) || e.code !== 'ACCESS_DENIED') throw e;
      res = (await this.request(path, { headers: { Range: 'bytes=0-0' } }, signal)).res;
    }
    const total = parseContentRange(res.headers.get('content-range'))?.total;
    const size = Number(total ?? res.headers.get('content-length') ?? NaN);
    const lm = res.headers.get('last-modified');
    return { path, sizeBytes: Number.isFinite(size) ? size : 0, lastModifiedMs: lm ? Date.parse(lm) || 0 : 0 };
  }

  /**
   * Lists through S3 `ListObjectsV2` (or the index given). Throws a `STORAGE_ERROR` marked
   * {@link isListingUnsupported} when the server answers no listing, store errors otherwise
   * (a cut-off listing is retried, then a `STORAGE_ERROR`).
   */
  async list(prefix: string, options: ListOptions = {}): Promise<ObjectMeta[]> {
    throwIfAborted(options.signal);
    let all: ObjectMeta[] | undefined;
    if (this.options.index) all = this.options.index;
    else if (this.s3Listing !== false) {
      // One listing pass per open: opening a table lists the log several times in a row (the table
      // check, the snapshot, its history); an answer younger than LISTING_REUSE_MS is reused. A
      // listing after a key (`start-after`: the snapshot lists from the checkpoint `_last_checkpoint`
      // names) is asked of the server as such, so a long log is not listed whole to open it; a
      // whole listing in hand serves it too.
      const after = options.startAfter;
      const fresh = (k: string) => {
        const e = this.listings.get(k);
        return e && Date.now() - e.atMs < LISTING_REUSE_MS ? e : undefined;
      };
      const key = after === undefined ? prefix : `${prefix}\u0000${after}`;
      const hit = fresh(prefix) ?? (after !== undefined ? fresh(key) : undefined);
      if (hit) all = await hit.result;
      else {
        const result = this.tryS3List(prefix, options.signal, after);
        const entry = { atMs: Date.now(), result };
        this.listings.set(key, entry);
        result.then(
          (r) => (r === undefined ? this.listings.delete(key) : undefined),
          () => this.listings.delete(key),
        );
        all = await result;
      }
      this.s3Listing = all !== undefined;
    }
    if (!all) {
      const err = new DeltaError('STORAGE_ERROR', `Cannot list ${prefix || 'the folder'} over plain HTTP: ${this.description} answers no listing.`, {
        path: prefix,
        hint: 'Open the table root URL (the folder holding _delta_log), or serve it with a server that answers S3 ListObjectsV2 (delta-explorer serve, any object store).',
      });
      (err as { [NO_LISTING]?: boolean })[NO_LISTING] = true;
      throw err;
    }
    return all
      .filter((m) => m.path.startsWith(prefix))
      .filter((m) => options.startAfter === undefined || compareBytes(m.path, options.startAfter) > 0)
      .filter((m) => !options.shallow || !m.path.slice(prefix.lastIndexOf('/') + 1).includes('/'))
      .sort((a, b) => compareBytes(a.path, b.path));
  }

  /**
   * S3 ListObjectsV2 against the base URL, every page; undefined when the server does not answer one
   * (its first page is not a `ListBucketResult`).
   */
  private async tryS3List(prefix: string, signal?: AbortSignal, startAfter?: string): Promise<ObjectMeta[] | undefined> {
    const out: ObjectMeta[] = [];
    let token: string | undefined;
    let first = true;
    do {
      const q = new URLSearchParams({ 'list-type': '2', prefix });
      // (Servers that ignore `start-after` list more: the keys are filtered here as well.)
      if (startAfter !== undefined) q.set('start-after', startAfter);
      if (token) q.set('continuation-token', token);
      const url = `${this.base}/?${q}`;
      const what = `the listing of ${prefix || '/'}`;
      const page = await withRetry(
        { file: `${prefix || '/'} (listing)`, where: this.description },
        async (ctx) => {
          let res: Response;
          try {
            res = await this.doFetch(url, { signal: ctx.signal });
          } catch (e) {
            if (ctx.signal.aborted) throw e;
            const err = await networkFailure(e, { where: this.description, path: `${prefix || '/'} (listing)`, endpointOrigin: originOf(url), appOrigin: appOrigin(), bucket: this.options.bucket }, this.doFetch);
            // A browser refusing the listing request (CORS) on a host that lists nothing: probe.
            if (err.code === 'CORS_REFUSED' && first) return undefined;
            // No answer at all (reset, refused): retried like any read; a server without listings
            // answers the request (404, an HTML page), it does not drop the connection.
            throw err.code === 'CORS_REFUSED' ? err : markTransient(err, { reason: `no answer (${(e as Error)?.message ?? String(e)})` });
          }
          ctx.progress();
          if (isRetryableStatus(res.status)) {
            await res.body?.cancel().catch(() => undefined);
            throw transientError(`HTTP ${res.status} for ${what}.`, { status: res.status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')), reason: `HTTP ${res.status}` });
          }
          if (res.status === 401 || res.status === 403) {
            const body = await res.text().catch(() => '');
            if (body.includes('<Error')) throw storeAnswerError(res.status, xmlText(body, 'Code'), xmlText(body, 'Message'), { where: this.description });
            return undefined;
          }
          if (!res.ok) {
            await res.body?.cancel().catch(() => undefined);
            if (first) return undefined;
            throw new DeltaError('STORAGE_ERROR', `HTTP ${res.status} for ${what} (page after token).`, {});
          }
          const text = new TextDecoder().decode(await readBody(res, ctx.progress, what));
          if (!text.includes('<ListBucketResult')) {
            if (first) return undefined;
            throw transientError(`${what} is not a listing document.`, { status: res.status, reason: 'not a listing document' });
          }
          // A document cut off (a close-delimited body dropped mid-way) must not be taken for a shorter listing.
          if (!/<\/ListBucketResult>\s*$/.test(text)) {
            throw transientError(`${what} from ${this.description} was cut off before its end.`, { status: res.status, reason: 'listing document cut off' });
          }
          return text;
        },
        { signal },
      );
      if (page === undefined) return undefined;
      first = false;
      for (const m of page.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const key = xmlText(m[1], 'Key');
        if (key === undefined) continue;
        const size = xmlText(m[1], 'Size');
        out.push({ path: key, sizeBytes: size !== undefined && /^\d+$/.test(size) ? Number(size) : 0, lastModifiedMs: Date.parse(xmlText(m[1], 'LastModified') ?? '') || 0 });
      }
      const truncated = xmlText(page, 'IsTruncated') === 'true';
      token = truncated ? xmlText(page, 'NextContinuationToken') : undefined;
      if (truncated && !token) {
        throw new DeltaError('STORAGE_ERROR', `The listing of ${prefix || '/'} from ${this.description} says it continues but gives no continuation token.`, {
          path: prefix,
          hint: 'The server answers S3 ListObjectsV2 incorrectly; the listing cannot be completed.',
        });
      }
    } while (token);
    return out;
  }
}

function xmlText(xml: string, tag: string): string | undefined {
  const m = xml.match(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`));
  if (!m) return undefined;
  return m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
