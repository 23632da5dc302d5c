/**
 * The storage interface of the protocol core: five verbs every backend implements the same way
 * (local folder, Node filesystem, HTTP(S), S3, lakeFS), in the spirit of arrow-rs `object_store`.
 *
 * Paths are relative to the store's root and use `/` separators, never a leading `/`
 * (e.g. `_delta_log/00000000000000000000.json`). Sizes are in bytes, times in ms since the Unix epoch.
 * Every method may throw a {@link DeltaError}: `FILE_NOT_FOUND` for a missing object,
 * `ACCESS_DENIED` for refused credentials or expired URLs, `STORAGE_ERROR` otherwise.
 */

/** One object as listed or headed. */
export interface ObjectMeta {
  /** Path relative to the store root, `/`-separated. */
  path: string;
  /** Size in bytes. */
  sizeBytes: number;
  /** Last modification time in ms since the Unix epoch (0 when the backend cannot tell). */
  lastModifiedMs: number;
}

/** Options of {@link ObjectStore.list}. */
export interface ListOptions {
  /**
   * Only keys strictly greater (in UTF-8 byte order, as S3 sorts) than this full path are returned.
   * Backends that cannot seek must still filter.
   */
  startAfter?: string;
  /**
   * Only objects directly under the prefix's folder (no deeper `/`), as an S3 listing with
   * delimiter `/` gives. Default false (recursive).
   */
  shallow?: boolean;
  signal?: AbortSignal;
}

/** Byte range `[start, end)` (end exclusive), in bytes. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Facts about a store a caller may rely on; remote backends set these to steer how the core reads. */
export interface StoreCapabilities {
  /** `list` works (HTTP without a listing endpoint cannot list; the core then probes). */
  list: boolean;
  /**
   * `url()` gives URLs valid for `GET` only (presigned S3 / lakeFS URLs, share links): a `HEAD` is
   * refused, so readers must take sizes from the log.
   */
  getOnlyUrls?: boolean;
}

/**
 * A read-only object store rooted at a table (or a folder holding tables): the five verbs every
 * backend has. What only some backends can do is a separate small interface below
 * ({@link UrlSource}, {@link BlobSource}, {@link FileHandleSource}, {@link Signer}, {@link Writer}),
 * tested with its type guard ({@link hasUrls}, {@link hasBlobs}, {@link hasFileHandles},
 * {@link isSigner}, {@link isWriter}) instead of probing optional methods.
 *
 * `list(prefix)` returns every object whose path starts with `prefix` (a "directory" prefix should
 * end in `/`), recursively, sorted by path in byte order. `get` reads a whole object, `getRange`
 * a byte range, `head` its metadata.
 */
export interface ObjectStore {
  /** Human-readable description of the root (a folder name, a URL without credentials). */
  readonly description: string;
  readonly capabilities: StoreCapabilities;
  /** Lists objects under `prefix`, sorted by path. Throws `STORAGE_ERROR` / `ACCESS_DENIED`. */
  list(prefix: string, options?: ListOptions): Promise<ObjectMeta[]>;
  /** Reads a whole object. Throws `FILE_NOT_FOUND` when it does not exist. */
  get(path: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** Reads bytes `[range.start, range.end)`. Throws `FILE_NOT_FOUND` when it does not exist. */
  getRange(path: string, range: ByteRange, signal?: AbortSignal): Promise<Uint8Array>;
  /** Metadata of one object. Throws `FILE_NOT_FOUND` when it does not exist. */
  head(path: string, signal?: AbortSignal): Promise<ObjectMeta>;
}

/** A store whose objects other components (DuckDB, a share link) can read by URL. */
export interface UrlSource extends ObjectStore {
  /** A URL readable by other components, or undefined when this object (or configuration) has none. */
  url(path: string): Promise<string | undefined>;
}

/**
 * A store that gives an object as a `Blob` whose bytes are read lazily, by range (a local `File`,
 * a local file in Node): big checkpoint files are then decoded without first being read whole.
 */
export interface BlobSource extends ObjectStore {
  /** The object as a lazily read `Blob`. Throws `FILE_NOT_FOUND` when it does not exist. */
  blob(path: string, signal?: AbortSignal): Promise<Blob>;
}

/** A store holding the browser's own `File` handles (a dropped folder): DuckDB-WASM can read them directly. */
export interface FileHandleSource extends ObjectStore {
  /** The `File` (or `Blob`) at `path`, or undefined when the store has no such file. */
  fileAt(path: string): Blob | undefined;
}

/** A store that presigns: hands out credential-free URLs valid for a while (S3 SigV4; lakeFS `presign=true`). */
export interface Signer extends ObjectStore {
  /**
   * A URL anyone can `GET` the object from, without credentials, for `expiresInSeconds`.
   * @returns the URL and when it expires (ms since the epoch; may be earlier than asked when the
   *   backend caps it). Throws store errors.
   */
  presign(path: string, expiresInSeconds: number, signal?: AbortSignal): Promise<{ url: string; expiresAtMs: number }>;
}

/** A store that writes (the only write the app ever does: a share link's manifest, when the user allows it). */
export interface Writer extends ObjectStore {
  /** Writes an object. Throws `ACCESS_DENIED` when refused, other store errors. */
  put(path: string, bytes: Uint8Array, contentType: string, signal?: AbortSignal): Promise<void>;
}

/** Whether `store` gives URLs ({@link UrlSource}). */
export function hasUrls(store: ObjectStore): store is UrlSource {
  return typeof (store as Partial<UrlSource>).url === 'function';
}

/** Whether `store` gives lazily read `Blob`s ({@link BlobSource}). */
export function hasBlobs(store: ObjectStore): store is BlobSource {
  return typeof (store as Partial<BlobSource>).blob === 'function';
}

/** Whether `store` holds browser `File` handles ({@link FileHandleSource}). */
export function hasFileHandles(store: ObjectStore): store is FileHandleSource {
  return typeof (store as Partial<FileHandleSource>).fileAt === 'function';
}

/** Whether `store` presigns ({@link Signer}). */
export function isSigner(store: ObjectStore): store is Signer {
  return typeof (store as Partial<Signer>).presign === 'function';
}

/** Whether `store` writes ({@link Writer}). */
export function isWriter(store: ObjectStore): store is Writer {
  return typeof (store as Partial<Writer>).put === 'function';
}

/** Joins path segments with `/`, dropping empty segments and duplicate separators. */
export function joinPath(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p.length > 0 && p !== '.')
    .join('/');
}

/** Compares two strings in UTF-8 byte order (the order S3 and the Delta log listing use). */
export function compareBytes(a: string, b: string): number {
  // For code points below U+D800 UTF-16 order equals UTF-8 byte order; fall back to a
  // code-point comparison so astral characters sort as their UTF-8 bytes do.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * Wraps a store so that every path is resolved under `prefix` (a sub-folder, e.g. one table of
 * many). The wrapper has exactly the capabilities of the store it wraps.
 */
export function subStore(store: ObjectStore, prefix: string): ObjectStore {
  const p = joinPath(prefix);
  if (!p) return store;
  const full = (path: string) => joinPath(p, path);
  const strip = (m: ObjectMeta): ObjectMeta => ({ ...m, path: m.path.slice(p.length + 1) });
  const sub: ObjectStore & Partial<UrlSource & BlobSource & FileHandleSource & Signer & Writer> = {
    description: `${store.description}/${p}`,
    capabilities: store.capabilities,
    async list(prefix, options) {
      const fp = prefix ? full(prefix) + (prefix.endsWith('/') ? '/' : '') : p + '/';
      const metas = await store.list(fp, {
        ...options,
        startAfter: options?.startAfter !== undefined ? full(options.startAfter) : undefined,
      });
      return metas.map(strip);
    },
    get: (path, signal) => store.get(full(path), signal),
    getRange: (path, range, signal) => store.getRange(full(path), range, signal),
    head: async (path, signal) => strip(await store.head(full(path), signal)),
  };
  if (hasUrls(store)) sub.url = (path) => store.url(full(path));
  if (hasBlobs(store)) sub.blob = (path, signal) => store.blob(full(path), signal);
  if (hasFileHandles(store)) sub.fileAt = (path) => store.fileAt(full(path));
  if (isSigner(store)) sub.presign = (path, expiresInSeconds, signal) => store.presign(full(path), expiresInSeconds, signal);
  if (isWriter(store)) sub.put = (path, bytes, contentType, signal) => store.put(full(path), bytes, contentType, signal);
  return sub;
}
