/**
 * {@link ObjectStore} over HTTP(S): a table under any static web server, public bucket URL or set
 * of presigned URLs. Reads use `fetch` with `Range` headers (206 expected; a server that ignores
 * `Range` and answers 200 is handled by slicing).
 *
 * Listing: plain HTTP cannot list a folder. The store first asks the URL for an S3-style
 * `ListObjectsV2` listing (`?list-type=2&prefix=`), which S3-compatible endpoints and
 * `delta-explorer serve` answer; when that is refused it emulates the listing of `_delta_log/`:
 * `_last_checkpoint` names the newest checkpoint, and commits are probed forward from it (or from
 * version 0) with parallel HEAD requests until one is missing. Sizes in bytes, times in ms.
 */
import { DeltaError, throwIfAborted } from '../errors.ts';
import { compareBytes, type ByteRange, type ListOptions, type ObjectMeta, type ObjectStore, type StoreCapabilities } from './object-store.ts';
import { networkFailure, redactUrl, storeAnswerError } from './remote-errors.ts';

/** Options of {@link HttpStore}. */
export interface HttpStoreOptions {
  /** `fetch` to use (default: global fetch). */
  fetch?: typeof fetch;
  /** A known file list (e.g. a bundled sample's index): used instead of listing or probing. */
  index?: ObjectMeta[];
  /** Parallel HEAD requests when probing commits (default 8). */
  probeConcurrency?: number;
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

const pad = (v: number) => String(v).padStart(20, '0');

/** How long a probed listing is reused, ms (long enough for one open; short enough to see new commits). */
export const PROBE_REUSE_MS = 5_000;

export { redactUrl };

/** A read-only store over an HTTP(S) base URL (the table root). */
export class HttpStore implements ObjectStore {
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private s3Listing: boolean | undefined;
  /** Recent probe results by `startAfter`: opening a table lists the log several times in a row. */
  private readonly probes = new Map<string, { atMs: number; result: Promise<ObjectMeta[]> }>();

  constructor(baseUrl: string, private readonly options: HttpStoreOptions = {}) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.description = options.description ?? redactUrl(this.base);
    this.capabilities = { list: true, rangedReads: true, getOnlyUrls: !!options.getOnlyUrls };
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

  private async request(path: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    throwIfAborted(signal);
    const url = this.urlOf(path);
    let res: Response;
    try {
      res = await this.doFetch(url, { ...init, signal });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw new DeltaError('CANCELLED', 'Cancelled.');
      throw await networkFailure(e, { where: this.description, path, endpointOrigin: originOf(url), appOrigin: appOrigin(), bucket: this.options.bucket }, this.doFetch);
    }
    if (res.status === 404 || res.status === 410) {
      throw new DeltaError('FILE_NOT_FOUND', `File not found: ${path} (HTTP ${res.status} from ${redactUrl(url)})`, { path });
    }
    if (res.status === 401 || res.status === 403) {
      const body = await res.text().catch(() => '');
      throw storeAnswerError(res.status, xmlText(body, 'Code'), xmlText(body, 'Message'), { where: this.description, path });
    }
    if (!res.ok) {
      throw new DeltaError('STORAGE_ERROR', `HTTP ${res.status} ${res.statusText} reading ${path} from ${redactUrl(url)}.`, { path });
    }
    return res;
  }

  async get(path: string, signal?: AbortSignal): Promise<Uint8Array> {
    const res = await this.request(path, {}, signal);
    return new Uint8Array(await res.arrayBuffer());
  }

  async getRange(path: string, range: ByteRange, signal?: AbortSignal): Promise<Uint8Array> {
    if (range.end <= range.start) return new Uint8Array(0);
    const res = await this.request(path, { headers: { Range: `bytes=${range.start}-${range.end - 1}` } }, signal);
    const buf = new Uint8Array(await res.arrayBuffer());
    if (res.status === 206) return buf;
    return buf.subarray(range.start, range.end); // the server ignored Range
  }

  async head(path: string, signal?: AbortSignal): Promise<ObjectMeta> {
    let res: Response;
    try {
      res = await this.request(path, { method: 'HEAD' }, signal);
    } catch (e) {
      // Presigned GET URLs refuse HEAD (403): ask for one byte instead.
      if (!(e instanceof DeltaError) || e.code !== 'ACCESS_DENIED') throw e;
      res = await this.request(path, { headers: { Range: 'bytes=0-0' } }, signal);
      await res.arrayBuffer().catch(() => undefined);
    }
    const total = res.headers.get('content-range')?.match(/\/(\d+)$/)?.[1];
    const size = Number(total ?? res.headers.get('content-length') ?? NaN);
    const lm = res.headers.get('last-modified');
    return { path, sizeBytes: Number.isFinite(size) ? size : 0, lastModifiedMs: lm ? Date.parse(lm) || 0 : 0 };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectMeta[]> {
    throwIfAborted(options.signal);
    let all: ObjectMeta[];
    if (this.options.index) all = this.options.index;
    else if (this.s3Listing !== false && (all = (await this.tryS3List(prefix, options.signal)) as ObjectMeta[]) !== undefined) {
      this.s3Listing = true;
    } else {
      this.s3Listing = false;
      all = await this.cachedProbe(prefix, options);
    }
    return all
      .filter((m) => m.path.startsWith(prefix))
      .filter((m) => options.startAfter === undefined || compareBytes(m.path, options.startAfter) > 0)
      .filter((m) => !options.shallow || !m.path.slice(prefix.lastIndexOf('/') + 1).includes('/'))
      .sort((a, b) => compareBytes(a.path, b.path));
  }

  /** S3 ListObjectsV2 against the base URL; undefined when the server does not answer one. */
  private async tryS3List(prefix: string, signal?: AbortSignal): Promise<ObjectMeta[] | undefined> {
    const out: ObjectMeta[] = [];
    let token: string | undefined;
    do {
      const q = new URLSearchParams({ 'list-type': '2', prefix });
      if (token) q.set('continuation-token', token);
      let res: Response;
      try {
        res = await this.doFetch(`${this.base}/?${q}`, { signal });
      } catch (e) {
        if ((e as Error)?.name === 'AbortError') throw new DeltaError('CANCELLED', 'Cancelled.');
        return undefined;
      }
      if (!res.ok) return undefined;
      const text = await res.text();
      if (!text.includes('<ListBucketResult')) return undefined;
      for (const m of text.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const key = xmlText(m[1], 'Key');
        if (key === undefined) continue;
        out.push({ path: key, sizeBytes: Number(xmlText(m[1], 'Size') ?? 0), lastModifiedMs: Date.parse(xmlText(m[1], 'LastModified') ?? '') || 0 });
      }
      token = xmlText(text, 'IsTruncated') === 'true' ? xmlText(text, 'NextContinuationToken') : undefined;
    } while (token);
    return out;
  }

  /**
   * {@link probeLog}, reusing a probe made less than {@link PROBE_REUSE_MS} ago with the same
   * `startAfter` (a snapshot, its history and the timestamp lookup each list the log).
   */
  private cachedProbe(prefix: string, options: ListOptions): Promise<ObjectMeta[]> {
    const key = `${prefix}\u0000${options.startAfter ?? ''}`;
    const hit = this.probes.get(key);
    if (hit && Date.now() - hit.atMs < PROBE_REUSE_MS) return hit.result;
    const result = this.probeLog(prefix, options);
    this.probes.set(key, { atMs: Date.now(), result });
    result.catch(() => this.probes.delete(key));
    return result;
  }

  /** Emulates a listing of `_delta_log/` by `_last_checkpoint` and parallel HEAD probes of commits. */
  private async probeLog(prefix: string, options: ListOptions): Promise<ObjectMeta[]> {
    if (!'_delta_log/'.startsWith(prefix) && !prefix.startsWith('_delta_log/')) {
      throw new DeltaError('STORAGE_ERROR', `Cannot list ${prefix} over plain HTTP: the server answers no listing.`, {
        path: prefix,
        hint: 'Open the table root URL (the folder holding _delta_log), or serve it with a server that answers S3 ListObjectsV2.',
      });
    }
    const { signal } = options;
    const out: ObjectMeta[] = [];
    const tryHead = async (path: string) => this.head(path, signal).catch((e) => {
      if (e instanceof DeltaError && e.code === 'FILE_NOT_FOUND') return undefined;
      throw e;
    });
    let hint: { version: number; parts?: number; v2Checkpoint?: { path: string; sidecarFiles?: unknown } } | undefined;
    try {
      hint = JSON.parse(new TextDecoder().decode(await this.get('_delta_log/_last_checkpoint', signal)));
      out.push(await this.head('_delta_log/_last_checkpoint', signal));
    } catch (e) {
      if (e instanceof DeltaError && (e.code === 'CANCELLED' || e.code === 'ACCESS_DENIED')) throw e;
      hint = undefined;
    }
    const afterVersion = options.startAfter?.match(/_delta_log\/(\d{20})/)?.[1];
    let from = afterVersion !== undefined ? Number(afterVersion) : 0;
    if (hint && Number.isSafeInteger(hint.version)) {
      const v = hint.version;
      if (v >= from) {
        const names = hint.v2Checkpoint?.path
          ? [hint.v2Checkpoint.path]
          : hint.parts && hint.parts > 1
            ? Array.from({ length: hint.parts }, (_, i) => `${pad(v)}.checkpoint.${String(i + 1).padStart(10, '0')}.${String(hint!.parts).padStart(10, '0')}.parquet`)
            : [`${pad(v)}.checkpoint.parquet`];
        for (const n of names) {
          const m = await tryHead(`_delta_log/${n}`);
          if (m) out.push(m);
        }
        if (afterVersion !== undefined || !(await tryHead(`_delta_log/${pad(0)}.json`))) from = Math.max(from, v);
      }
    }
    const conc = this.options.probeConcurrency ?? 8;
    for (let v = from; ; v += conc) {
      const window = await Promise.all(Array.from({ length: conc }, (_, i) => tryHead(`_delta_log/${pad(v + i)}.json`)));
      let missing = false;
      for (const m of window) {
        if (m && !missing) out.push(m);
        else missing = true;
      }
      if (missing) break;
    }
    return out;
  }
}

function xmlText(xml: string, tag: string): string | undefined {
  const m = xml.match(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`));
  if (!m) return undefined;
  return m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
