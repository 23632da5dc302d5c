/**
 * lakeFS over its HTTP API (`/api/v1`, specified by `api/swagger.yml` of treeverse/lakeFS): a
 * small typed client ({@link LakeFsClient}: repositories, branches, tags, commits, object listing,
 * stat and reads) and an {@link ObjectStore} rooted at a folder of one commit
 * ({@link LakeFsStore}).
 *
 * Authentication is HTTP basic auth with the access key id and secret on every call
 * (`Authorization` header, built once and kept in this object's memory only). Neither ever appears
 * in a URL, a message or a thrown error: messages name the endpoint, repository, ref and path.
 *
 * Reads: metadata and log files through the API's object endpoint
 * (`GET /repositories/{repository}/refs/{ref}/objects?path=`, with `Range`). Data files are read by
 * the data plane from presigned URLs (`objects/stat?presign=true` → `physical_address`) when the
 * server's storage presigns (`GET /config` → `storage_config.pre_sign_support`); else `url()` gives
 * nothing and the data plane reads through `get` too.
 *
 * lakeFS sends no CORS headers: a page can only call it from the same origin (lakeFS behind the
 * same reverse proxy as the app, or `delta-explorer serve --lakefs <endpoint>`, which proxies it at
 * `/lakefs/`). A refused cross-origin call is reported as `CORS_REFUSED` saying so.
 *
 * Units: sizes in bytes; lakeFS times are Unix seconds, converted to ms here.
 */
import { DeltaError, throwIfAborted } from '../errors.ts';
import { compareBytes, joinPath, type ByteRange, type ListOptions, type ObjectMeta, type ObjectStore, type UrlSource, type Signer, type StoreCapabilities } from './object-store.ts';
import { networkFailure } from './remote-errors.ts';
import { isRetryableStatus, markTransient, parseRetryAfter, readBody, withRetry } from './retry.ts';

/** Access key pair of a lakeFS user (lakeFS → Administration → Access keys). */
export interface LakeFsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Options of {@link LakeFsClient}. */
export interface LakeFsClientOptions {
  /** `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
  /** The app's origin, for the CORS explanation (default: `location.origin` where there is one). */
  appOrigin?: string;
}

/** lakeFS `Pagination` (swagger `#/components/schemas/Pagination`). */
export interface LakeFsPagination {
  has_more: boolean;
  next_offset: string;
  results: number;
  max_per_page: number;
}

/** lakeFS `Repository`; `creation_date` in Unix seconds. */
export interface LakeFsRepository {
  id: string;
  creation_date: number;
  default_branch: string;
  storage_namespace: string;
  storage_id?: string;
  read_only?: boolean;
}

/** lakeFS `Ref` (a branch or a tag and the commit it points at). */
export interface LakeFsRef {
  id: string;
  commit_id: string;
}

/** lakeFS `Commit`; `creation_date` in Unix seconds. */
export interface LakeFsCommit {
  id: string;
  parents: string[];
  committer: string;
  message: string;
  creation_date: number;
  meta_range_id: string;
  metadata?: Record<string, string>;
}

/** lakeFS `ObjectStats`; `mtime` and `physical_address_expiry` in Unix seconds. */
export interface LakeFsObjectStats {
  path: string;
  path_type: 'common_prefix' | 'object';
  physical_address: string;
  physical_address_expiry?: number;
  checksum: string;
  size_bytes?: number;
  mtime: number;
  metadata?: Record<string, string>;
  content_type?: string;
}

/** lakeFS `StorageConfig` (the fields read here). */
export interface LakeFsStorageConfig {
  blockstore_type: string;
  pre_sign_support: boolean;
  blockstore_id?: string;
}

/** lakeFS `Config` (`GET /config`). */
export interface LakeFsConfig {
  version_config?: { version?: string };
  storage_config?: LakeFsStorageConfig;
  storage_config_list?: LakeFsStorageConfig[];
}

/** A list answer of lakeFS: `{ pagination, results }`. */
interface LakeFsList<T> {
  pagination: LakeFsPagination;
  results: T[];
}

/** What a request was about, for messages. */
interface RequestContext {
  repository?: string;
  ref?: string;
  /** Object path (relative to the ref) when the request was for one object. */
  path?: string;
  /** What a 404 means for this request. */
  notFound?: 'object' | 'repository' | 'ref';
}

/** Most entries lakeFS returns per page (`amount` maximum in the spec). */
const MAX_PAGE = 1000;
/** Presigned URLs are reused until this close to their expiry, ms. */
const PRESIGN_MARGIN_MS = 10 * 60_000;
/** Assumed lifetime of a presigned URL whose answer names no expiry (lakeFS's default is 15 min), s. */
const DEFAULT_PRESIGN_SECONDS = 900;

/** Base64 of UTF-8 text (`btoa` takes Latin-1 only). */
function base64Utf8(text: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Encodes one path segment of the API (repository, ref). */
const seg = (s: string) => encodeURIComponent(s);

/**
 * Normalises a lakeFS endpoint as the user types it: trims, drops a trailing `/` and a trailing
 * `/api/v1` (the client adds it). Relative endpoints (`/lakefs`) are resolved against `base`.
 * @throws DeltaError `INVALID_ARGUMENT` when it is not an http(s) URL, or carries user info or a query.
 */
export function normalizeLakeFsEndpoint(endpoint: string, base?: string): string {
  const text = endpoint.trim();
  let u: URL;
  try {
    u = new URL(text, base);
  } catch {
    throw new DeltaError('INVALID_ARGUMENT', `Not a lakeFS address: "${text}".`, { hint: 'Give the http(s):// URL of the lakeFS server, e.g. https://lakefs.example.com (or /lakefs behind delta-explorer serve --lakefs).' });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new DeltaError('INVALID_ARGUMENT', `A lakeFS address starts with http:// or https://, not ${u.protocol}`);
  }
  if (u.username || u.password || u.search || u.hash) {
    throw new DeltaError('INVALID_ARGUMENT', 'The lakeFS address must not carry credentials, a query or a fragment.', { hint: 'Give the access key id and secret in their own fields.' });
  }
  return `${u.origin}${u.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '')}`;
}

/**
 * A client of the lakeFS HTTP API for one endpoint and one access key. Every method throws typed
 * {@link DeltaError}s: `WRONG_CREDENTIALS` (401), `ACCESS_DENIED` (403), `FILE_NOT_FOUND` (missing
 * object), `STORAGE_ERROR` (no such repository or ref, other HTTP errors, unreachable server),
 * `CORS_REFUSED` (the browser refused a cross-origin call: lakeFS sends no CORS headers),
 * `CANCELLED`.
 */
export class LakeFsClient {
  /** The server, e.g. `https://lakefs.example.com` or `http://127.0.0.1:5173/lakefs`; no `/api/v1`. */
  readonly endpoint: string;
  #authorization: string;
  #secret: string;
  private readonly doFetch: typeof fetch;
  private readonly appOrigin?: string;

  /**
   * @param endpoint the server's URL (see {@link normalizeLakeFsEndpoint}).
   * @param credentials kept in this object only, as an `Authorization` header value.
   */
  constructor(endpoint: string, credentials: LakeFsCredentials, options: LakeFsClientOptions = {}) {
    this.endpoint = normalizeLakeFsEndpoint(endpoint);
    this.#authorization = `Basic ${base64Utf8(`${credentials.accessKeyId}:${credentials.secretAccessKey}`)}`;
    this.#secret = credentials.secretAccessKey;
    this.doFetch = options.fetch ?? ((...a) => fetch(...a));
    this.appOrigin = options.appOrigin ?? (globalThis as { location?: { origin?: string } }).location?.origin;
  }

  /** Forgets the credentials; later calls fail with `WRONG_CREDENTIALS`. */
  close(): void {
    this.#authorization = '';
    this.#secret = '';
  }

  /** `lakeFS at <endpoint>`, for messages. */
  get where(): string {
    return `lakeFS at ${this.endpoint}`;
  }

  /** Text safe to show: the secret (should a server echo it) and the header value removed. */
  private scrub(text: string): string {
    let out = text;
    if (this.#secret) out = out.split(this.#secret).join('…');
    if (this.#authorization) out = out.split(this.#authorization).join('…');
    return out.length > 300 ? `${out.slice(0, 300)}…` : out;
  }

  /**
   * One API call: `GET {endpoint}/api/v1{path}?{query}` with basic auth.
   * @returns the response when it is 2xx (or 3xx with `redirect: 'manual'`); throws typed errors otherwise.
   */
  async request(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    ctx: RequestContext,
    init: { headers?: Record<string, string>; method?: string; signal?: AbortSignal } = {},
  ): Promise<Response> {
    throwIfAborted(init.signal);
    if (!this.#authorization) {
      throw new DeltaError('WRONG_CREDENTIALS', `The connection to ${this.where} was closed.`, { hint: 'Connect again.' });
    }
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString();
    const url = `${this.endpoint}/api/v1${path}${qs ? `?${qs}` : ''}`;
    let res: Response;
    try {
      res = await this.doFetch(url, {
        method: init.method ?? 'GET',
        headers: { Authorization: this.#authorization, Accept: 'application/json, */*', ...init.headers },
        signal: init.signal,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError' || init.signal?.aborted) throw new DeltaError('CANCELLED', 'Cancelled.');
      const err = await this.networkError(e, ctx);
      throw err.code === 'CORS_REFUSED' ? err : markTransient(err, { reason: `no answer (${(e as Error)?.message ?? String(e)})` });
    }
    if (res.ok) return res;
    const body = await res.text().catch(() => '');
    let message = '';
    // lakeFS answers every error with its `Error` JSON (`{"message": ...}`).
    let fromLakeFs = false;
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      fromLakeFs = typeof parsed === 'object' && parsed !== null && typeof parsed.message === 'string';
      message = String(parsed?.message ?? '');
    } catch {
      message = body.trim().split('\n')[0] ?? '';
    }
    if (!fromLakeFs && res.status >= 400 && res.status < 500 && res.status !== 401) {
      // Another server (an S3 store, a web server) at this address: its 403 or 404 says nothing about lakeFS keys or objects.
      throw new DeltaError('STORAGE_ERROR', `${this.where} answered HTTP ${res.status} without a lakeFS error (${(res.headers.get('content-type') ?? 'no content type').split(';')[0]}): is this the lakeFS API?`, {
        path: ctx.path,
        hint: 'Give the lakeFS server address (the one its web UI is at), without /api/v1.',
      });
    }
    const err = this.answerError(res.status, this.scrub(message), ctx);
    if (isRetryableStatus(res.status)) markTransient(err, { status: res.status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')), reason: `HTTP ${res.status}` });
    throw err;
  }

  /**
   * {@link request} with retries (`retry.ts`: transient statuses, no answer, stalls, bodies shorter
   * than their `Content-Length`), the body read whole inside the attempt.
   */
  private fetchBytes(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    ctx: RequestContext,
    init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<{ res: Response; bytes: Uint8Array }> {
    const file = ctx.path ?? path;
    return withRetry(
      { file, where: ctx.repository ? `lakefs://${ctx.repository}/${ctx.ref ?? ''} at ${this.endpoint}` : this.where },
      async (attempt) => {
        const res = await this.request(path, query, ctx, { ...init, signal: attempt.signal });
        attempt.progress();
        return { res, bytes: await readBody(res, attempt.progress, file) };
      },
      { signal: init.signal },
    );
  }

  /** Like {@link request} (with retries), parsing a JSON answer. */
  async json<T>(path: string, query: Record<string, string | number | boolean | undefined>, ctx: RequestContext, signal?: AbortSignal): Promise<T> {
    const { bytes } = await this.fetchBytes(path, query, ctx, { signal });
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as T;
    } catch (e) {
      if (signal?.aborted) throw new DeltaError('CANCELLED', 'Cancelled.');
      throw new DeltaError('STORAGE_ERROR', `${this.where} answered ${path.split('?')[0]} with something that is not JSON: is this the lakeFS API?`, {
        cause: e,
        hint: 'Give the lakeFS server address (the one its web UI is at), without /api/v1.',
      });
    }
  }

  private async networkError(cause: unknown, ctx: RequestContext): Promise<DeltaError> {
    let endpointOrigin: string | undefined;
    try {
      endpointOrigin = new URL(this.endpoint).origin;
    } catch {
      endpointOrigin = undefined;
    }
    const sameOrigin = this.appOrigin !== undefined && endpointOrigin === this.appOrigin;
    const e = await networkFailure(cause, { where: this.where, path: ctx.path, endpointOrigin: sameOrigin ? undefined : endpointOrigin, appOrigin: this.appOrigin }, this.doFetch);
    const proxyHint =
      'lakeFS sends no CORS headers, so the browser lets this app call it only from the same origin: serve the app and lakeFS behind one reverse proxy, ' +
      `or run \`npx delta-explorer serve <folder> --lakefs ${this.endpoint}\` and connect to ${this.appOrigin ?? 'the app'}/lakefs.`;
    if (e.code === 'CORS_REFUSED') {
      return new DeltaError('CORS_REFUSED', `The browser blocked the call to ${this.where}: lakeFS answers without CORS headers.`, { path: ctx.path, cause, hint: proxyHint });
    }
    return new DeltaError('STORAGE_ERROR', e.message, { path: ctx.path, cause, hint: sameOrigin ? 'Check that lakeFS (or the proxy in front of it) is running.' : `The server may be down, or refused by CORS. ${proxyHint}` });
  }

  private answerError(status: number, message: string, ctx: RequestContext): DeltaError {
    const said = message ? `: ${message}` : '';
    const at = ctx.repository ? `repository "${ctx.repository}"${ctx.ref ? ` at "${ctx.ref}"` : ''} of ${this.where}` : this.where;
    if (status === 401) {
      return new DeltaError('WRONG_CREDENTIALS', `${this.where} refused the access key (HTTP 401): the key is unknown or the secret does not match.`, {
        path: ctx.path,
        hint: 'Check the access key id and secret (lakeFS → Administration → Access keys), then connect again.',
      });
    }
    if (status === 403) {
      return new DeltaError('ACCESS_DENIED', `Access denied to ${ctx.path ? `${ctx.path} in ` : ''}${at} (HTTP 403)${said}.`, {
        path: ctx.path,
        hint: 'The key is valid but its policies do not allow reading this; ask a lakeFS admin for fs:ReadRepository and fs:ListObjects / fs:ReadObject.',
      });
    }
    if (status === 404 || status === 410) {
      if (ctx.notFound === 'repository') {
        return new DeltaError('STORAGE_ERROR', `${this.where} has no repository "${ctx.repository}" (or this key cannot see it).`, { hint: 'Pick a repository from the list.' });
      }
      if (ctx.notFound === 'ref') {
        return new DeltaError('STORAGE_ERROR', `No branch, tag or commit "${ctx.ref}" in ${ctx.repository ? `repository "${ctx.repository}" of ` : ''}${this.where}${said}.`, {
          hint: 'Pick a branch, a tag or a commit id from the lists.',
        });
      }
      return new DeltaError('FILE_NOT_FOUND', `File not found: ${ctx.path ?? 'object'} in ${at} (HTTP ${status}${status === 410 ? ', removed by garbage collection' : ''}).`, { path: ctx.path });
    }
    return new DeltaError('STORAGE_ERROR', `${this.where} answered HTTP ${status} for ${ctx.path ?? 'the request'}${said}.`, { path: ctx.path });
  }

  /** Collects every page of a list endpoint (at most `limit` entries), following `pagination.next_offset`. */
  private async allPages<T>(path: string, query: Record<string, string | number | boolean | undefined>, ctx: RequestContext, limit: number, signal?: AbortSignal): Promise<{ items: T[]; truncated: boolean }> {
    const items: T[] = [];
    let after: string | undefined = typeof query.after === 'string' ? query.after : undefined;
    for (;;) {
      const page = await this.json<LakeFsList<T>>(path, { ...query, after, amount: Math.min(MAX_PAGE, limit - items.length) }, ctx, signal);
      items.push(...page.results);
      if (!page.pagination?.has_more || !page.results.length) return { items, truncated: false };
      if (items.length >= limit) return { items, truncated: true };
      after = page.pagination.next_offset;
    }
  }

  /** `GET /config`: server version and storage settings (whether it presigns). Throws as the class doc says. */
  config(signal?: AbortSignal): Promise<LakeFsConfig> {
    return this.json<LakeFsConfig>('/config', {}, {}, signal);
  }

  /** `GET /repositories` (every page, at most `limit`), sorted by id as lakeFS returns them. */
  async repositories(limit = 10_000, signal?: AbortSignal): Promise<{ items: LakeFsRepository[]; truncated: boolean }> {
    return this.allPages<LakeFsRepository>('/repositories', {}, {}, limit, signal);
  }

  /** `GET /repositories/{repository}`. A missing repository is a `STORAGE_ERROR` naming it. */
  repository(repository: string, signal?: AbortSignal): Promise<LakeFsRepository> {
    return this.json<LakeFsRepository>(`/repositories/${seg(repository)}`, {}, { repository, notFound: 'repository' }, signal);
  }

  /** `GET /repositories/{repository}/branches` (every page, at most `limit`). */
  branches(repository: string, limit = 10_000, signal?: AbortSignal): Promise<{ items: LakeFsRef[]; truncated: boolean }> {
    return this.allPages<LakeFsRef>(`/repositories/${seg(repository)}/branches`, {}, { repository, notFound: 'repository' }, limit, signal);
  }

  /** `GET /repositories/{repository}/tags` (every page, at most `limit`). */
  tags(repository: string, limit = 10_000, signal?: AbortSignal): Promise<{ items: LakeFsRef[]; truncated: boolean }> {
    return this.allPages<LakeFsRef>(`/repositories/${seg(repository)}/tags`, {}, { repository, notFound: 'repository' }, limit, signal);
  }

  /** `GET /repositories/{repository}/refs/{ref}/commits`: the newest `amount` commits reachable from `ref`. */
  async log(repository: string, ref: string, amount: number, signal?: AbortSignal): Promise<LakeFsCommit[]> {
    const page = await this.json<LakeFsList<LakeFsCommit>>(`/repositories/${seg(repository)}/refs/${seg(ref)}/commits`, { amount: Math.min(MAX_PAGE, amount) }, { repository, ref, notFound: 'ref' }, signal);
    return page.results;
  }

  /**
   * `GET /repositories/{repository}/commits/{ref}`: the commit a branch, tag or commit id (or any
   * lakeFS ref expression) points at. Throws `STORAGE_ERROR` naming the ref when there is none.
   */
  commit(repository: string, ref: string, signal?: AbortSignal): Promise<LakeFsCommit> {
    return this.json<LakeFsCommit>(`/repositories/${seg(repository)}/commits/${seg(ref)}`, {}, { repository, ref, notFound: 'ref' }, signal);
  }

  /**
   * One page of `GET /repositories/{repository}/refs/{ref}/objects/ls` (`prefix`, `after`,
   * `amount` up to 1,000, `delimiter` `/` for one folder level: sub-folders come as `common_prefix`
   * entries whose path ends in `/`).
   */
  listObjects(
    repository: string,
    ref: string,
    options: { prefix?: string; after?: string; amount?: number; delimiter?: string; presign?: boolean },
    signal?: AbortSignal,
  ): Promise<LakeFsList<LakeFsObjectStats>> {
    return this.json<LakeFsList<LakeFsObjectStats>>(
      `/repositories/${seg(repository)}/refs/${seg(ref)}/objects/ls`,
      { prefix: options.prefix, after: options.after, amount: options.amount ?? MAX_PAGE, delimiter: options.delimiter, presign: options.presign || undefined, user_metadata: false },
      { repository, ref, notFound: 'ref' },
      signal,
    );
  }

  /** `GET /repositories/{repository}/refs/{ref}/objects/stat?path=` (with `presign=true`: an HTTP `physical_address`). */
  stat(repository: string, ref: string, path: string, presign: boolean, signal?: AbortSignal): Promise<LakeFsObjectStats> {
    return this.json<LakeFsObjectStats>(
      `/repositories/${seg(repository)}/refs/${seg(ref)}/objects/stat`,
      { path, presign: presign || undefined, user_metadata: false },
      { repository, ref, path, notFound: 'object' },
      signal,
    );
  }

  /** `GET /repositories/{repository}/refs/{ref}/objects?path=`, the whole object or `[range.start, range.end)`. */
  async getObject(repository: string, ref: string, path: string, range: ByteRange | undefined, signal?: AbortSignal): Promise<Uint8Array> {
    const headers: Record<string, string> = range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {};
    const { res, bytes } = await this.fetchBytes(`/repositories/${seg(repository)}/refs/${seg(ref)}/objects`, { path }, { repository, ref, path, notFound: 'object' }, { headers, signal });
    if (range && res.status !== 206) return bytes.subarray(range.start, range.end); // the server ignored Range
    return bytes;
  }
}

/** Where a {@link LakeFsStore} is rooted. */
export interface LakeFsStoreOptions {
  repository: string;
  /** The ref to read at; give a commit id so that the view does not move under the user. */
  ref: string;
  /** Folder inside the ref, no leading or trailing `/` (`''`: the ref's root). */
  root: string;
  /** The server presigns URLs (`storage_config.pre_sign_support`): data files are read from them. */
  presign: boolean;
}

/**
 * An {@link ObjectStore} over one folder of one lakeFS ref (read-only). Paths are relative to
 * `root`. Errors: as {@link LakeFsClient}.
 */
export class LakeFsStore implements UrlSource, Signer {
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  private readonly prefix: string;
  private readonly presigned = new Map<string, { url: string; expiresAtMs: number }>();

  constructor(
    private readonly client: LakeFsClient,
    private readonly options: LakeFsStoreOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.prefix = options.root ? `${joinPath(options.root)}/` : '';
    this.description = `lakefs://${options.repository}/${options.ref}${options.root ? `/${joinPath(options.root)}` : ''}`;
    this.capabilities = { list: true, getOnlyUrls: options.presign };
  }

  private full(path: string): string {
    return this.prefix + path;
  }

  /** Lists through `objects/ls`, 1,000 per page (`after` = the last path of a page), sorted by path. */
  async list(prefix: string, options: ListOptions = {}): Promise<ObjectMeta[]> {
    const { repository, ref } = this.options;
    const out: ObjectMeta[] = [];
    let after = options.startAfter !== undefined ? this.full(options.startAfter) : undefined;
    for (;;) {
      throwIfAborted(options.signal);
      const page = await this.client.listObjects(repository, ref, { prefix: this.full(prefix), after, delimiter: options.shallow ? '/' : undefined }, options.signal);
      for (const o of page.results) {
        if (o.path_type !== 'object' || !o.path.startsWith(this.prefix)) continue;
        out.push({ path: o.path.slice(this.prefix.length), sizeBytes: o.size_bytes ?? 0, lastModifiedMs: o.mtime * 1000 });
      }
      if (!page.pagination?.has_more) break;
      // A page that says more follows but gives nothing to continue from would end the log early.
      if (!page.results.length && !page.pagination.next_offset) {
        throw new DeltaError('STORAGE_ERROR', `${this.client.where} said the listing of ${this.full(prefix) || '/'} continues but gave no next page.`, {
          path: prefix,
          hint: 'The server answered the listing incorrectly; try again.',
        });
      }
      after = page.pagination.next_offset || page.results[page.results.length - 1].path;
    }
    return out.sort((a, b) => compareBytes(a.path, b.path));
  }

  get(path: string, signal?: AbortSignal): Promise<Uint8Array> {
    return this.client.getObject(this.options.repository, this.options.ref, this.full(path), undefined, signal);
  }

  async getRange(path: string, range: ByteRange, signal?: AbortSignal): Promise<Uint8Array> {
    if (range.end <= range.start) return new Uint8Array(0);
    return this.client.getObject(this.options.repository, this.options.ref, this.full(path), range, signal);
  }

  async head(path: string, signal?: AbortSignal): Promise<ObjectMeta> {
    const s = await this.client.stat(this.options.repository, this.options.ref, this.full(path), false, signal);
    return { path, sizeBytes: s.size_bytes ?? 0, lastModifiedMs: s.mtime * 1000 };
  }

  /**
   * A presigned GET URL of the object (reused until a minute before it expires), or undefined when
   * the server does not presign or its address is not an http(s) URL: the data plane then reads
   * through {@link get}.
   */
  async url(path: string): Promise<string | undefined> {
    if (!this.options.presign) return undefined;
    try {
      return (await this.presign(path, DEFAULT_PRESIGN_SECONDS)).url;
    } catch (e) {
      if (e instanceof DeltaError && e.code === 'STORAGE_ERROR' && /presign/i.test(e.message)) return undefined;
      throw e;
    }
  }

  /**
   * `objects/stat?presign=true`: the object's presigned URL and its expiry (`physical_address_expiry`,
   * or 15 minutes when the answer names none; lakeFS sets the lifetime, `expiresInSeconds` only
   * shortens what is reported).
   * @throws DeltaError `STORAGE_ERROR` when the server does not presign; store errors.
   */
  async presign(path: string, expiresInSeconds: number, signal?: AbortSignal): Promise<{ url: string; expiresAtMs: number }> {
    if (!this.options.presign) {
      throw new DeltaError('STORAGE_ERROR', `${this.client.where} does not presign URLs for this repository's storage.`, { path });
    }
    const hit = this.presigned.get(path);
    const nowMs = this.now();
    if (hit && hit.expiresAtMs - nowMs > PRESIGN_MARGIN_MS) return { url: hit.url, expiresAtMs: Math.min(hit.expiresAtMs, nowMs + expiresInSeconds * 1000) };
    const s = await this.client.stat(this.options.repository, this.options.ref, this.full(path), true, signal);
    if (!/^https?:\/\//i.test(s.physical_address)) {
      throw new DeltaError('STORAGE_ERROR', `${this.client.where} gave no presigned URL for ${path} (its storage cannot presign).`, { path });
    }
    const expiresAtMs = s.physical_address_expiry ? s.physical_address_expiry * 1000 : nowMs + DEFAULT_PRESIGN_SECONDS * 1000;
    this.presigned.set(path, { url: s.physical_address, expiresAtMs });
    return { url: s.physical_address, expiresAtMs: Math.min(expiresAtMs, nowMs + expiresInSeconds * 1000) };
  }
}

/**
 * Whether the server presigns URLs for a repository: `GET /config` → the `storage_config_list`
 * entry of the repository's `storage_id` (multi-storage servers), else `storage_config.pre_sign_support`.
 * False when the config cannot be read for another reason than credentials.
 */
export async function lakeFsPresigns(client: LakeFsClient, repo: LakeFsRepository | undefined, signal?: AbortSignal): Promise<boolean> {
  let config: LakeFsConfig;
  try {
    config = await client.config(signal);
  } catch (e) {
    if (e instanceof DeltaError && (e.code === 'WRONG_CREDENTIALS' || e.code === 'CANCELLED' || e.code === 'CORS_REFUSED')) throw e;
    return false;
  }
  const list = config.storage_config_list ?? [];
  const own = repo?.storage_id ? list.find((s) => s.blockstore_id === repo.storage_id) : undefined;
  return !!(own ?? config.storage_config ?? list[0])?.pre_sign_support;
}
