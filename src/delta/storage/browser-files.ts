/**
 * {@link ObjectStore} over a folder the user dropped or picked in the browser: either a list of
 * `File`s with relative paths (`<input webkitdirectory>`, a drop's `webkitGetAsEntry()` walk) or a
 * `FileSystemDirectoryHandle` (File System Access API). Runs in the worker and on the UI thread.
 */
import { LRUCache } from 'lru-cache';
import { DeltaError, throwIfAborted } from '../errors.ts';
import { compareBytes, type ByteRange, type ListOptions, type ObjectMeta, type ObjectStore, type BlobSource, type FileHandleSource } from './object-store.ts';

/** A file and its path relative to the dropped folder, `/`-separated. */
export interface RelativeFile {
  path: string;
  file: File;
}

/**
 * A small file read as part of a bundle: `bundle` is one `Blob` concatenating several files of
 * the folder (`new Blob([f1, f2, ...])`, built by {@link bundleSmallLogFiles} in the worker as the
 * page's slices of files arrive), this file being the bytes `[offset, offset + size)`. Thousands
 * of commit files are then read as a few hundred blobs instead of one `File` each: in Chromium
 * every `Blob` read costs round trips to the browser process (~0.3 ms each), which made reading
 * a folder of 20,000 commits take 6–14 s after the page had posted them.
 */
export interface BundledFile {
  path: string;
  bundle: Blob;
  /** Byte offset of this file in `bundle`. */
  offset: number;
  /** The file's size in bytes (as `File.size` said when the bundle was built). */
  size: number;
  /** The file's `File.lastModified`, ms since the epoch. */
  lastModified: number;
  /** The file's name (last path segment), for the `File` made when a component asks for one. */
  name: string;
}

/** A file of an opened folder: itself, or a part of a bundle. */
export type FolderFile = RelativeFile | BundledFile;

/** Commit-sized files of a `_delta_log` folder worth bundling (`.json`, `.crc`), at most this big. */
const BUNDLE_FILE_MAX_BYTES = 1 << 20;
/** A bundle holds files totalling at most this many bytes. */
const BUNDLE_MAX_BYTES = 8 << 20;
const BUNDLED = /(^|\/)_delta_log\/[^/]+\.(json|crc)$/;

/**
 * Bundles the small `_delta_log` files (commits, checksums) of `files` into `Blob`s of up to
 * 8 MB; every other file (and any already bundled) is returned as it is. Reads `File.size` and
 * `lastModified` of the bundled files (their values go with the bundle): call it where the files
 * were received from a message (their metadata came with them), not on the page's own `File`s
 * (Chromium asks the browser for each one's metadata, ~0.25 ms).
 */
export function bundleSmallLogFiles(files: readonly FolderFile[]): FolderFile[] {
  const out: FolderFile[] = [];
  let group: { rf: RelativeFile; size: number; lastModified: number }[] = [];
  let bytes = 0;
  const flush = () => {
    if (group.length === 1) out.push(group[0].rf);
    else if (group.length > 1) {
      const bundle = new Blob(group.map((g) => g.rf.file));
      let offset = 0;
      for (const g of group) {
        out.push({ path: g.rf.path, bundle, offset, size: g.size, lastModified: g.lastModified, name: g.rf.file.name });
        offset += g.size;
      }
    }
    group = [];
    bytes = 0;
  };
  for (const rf of files) {
    if (isBundled(rf) || !BUNDLED.test(rf.path)) {
      out.push(rf);
      continue;
    }
    const size = rf.file.size;
    if (size > BUNDLE_FILE_MAX_BYTES) {
      out.push(rf);
      continue;
    }
    if (bytes + size > BUNDLE_MAX_BYTES) flush();
    group.push({ rf, size, lastModified: rf.file.lastModified });
    bytes += size;
  }
  flush();
  return out;
}

/**
 * The files in the order to hand them over in: first the ones not bundled (as given), then the
 * small `_delta_log` files by path, newest first, so that each bundle holds consecutive versions
 * (a replay reads commits in version order: each bundle once) and the commits after the last
 * checkpoint are read ahead first. O(n) plus a sort of the
 * log files' paths.
 */
export function bundleOrder(files: readonly FolderFile[]): FolderFile[] {
  const rest: FolderFile[] = [];
  const log: FolderFile[] = [];
  for (const f of files) (BUNDLED.test(f.path) ? log : rest).push(f);
  log.sort((a, b) => compareBytes(b.path, a.path));
  return rest.concat(log);
}

/**
 * Starts reading bundles as they reach the worker, while the UI thread still bundles the next files
 * (newest commits come first, see {@link bundleOrder}), up to `maxBytes` in all; the store takes
 * each bundle's bytes from here when it first reads one of its files. Bundles never asked for
 * (commits older than a checkpoint) stay held until the store is dropped: at most `maxBytes`.
 */
export class BundlePrefetch {
  private readonly pending = new Map<Blob, Promise<Uint8Array>>();
  private bytes = 0;

  /** @param maxBytes most bytes read ahead (default 128 MiB). */
  constructor(private readonly maxBytes = 128 << 20) {}

  /** Starts reading the bundles of `files` not seen before, while under `maxBytes`. */
  add(files: readonly FolderFile[]): void {
    for (const f of files) {
      if (!isBundled(f) || this.pending.has(f.bundle) || this.bytes + f.bundle.size > this.maxBytes) continue;
      this.bytes += f.bundle.size;
      const read = readBlob(f.bundle, f.path);
      read.catch(() => {}); // seen by the store, which then reads the bundle itself
      this.pending.set(f.bundle, read);
    }
  }

  /** The read started for `bundle` (handed over once), or undefined. */
  take(bundle: Blob): Promise<Uint8Array> | undefined {
    const read = this.pending.get(bundle);
    this.pending.delete(bundle);
    return read;
  }
}

/** Whether a folder file is a part of a bundle. */
export function isBundled(f: FolderFile): f is BundledFile {
  return (f as BundledFile).bundle !== undefined;
}

/** The same file under another root-relative path. */
export function movedTo(f: FolderFile, path: string): FolderFile {
  return { ...f, path };
}

function notFound(path: string): DeltaError {
  return new DeltaError('FILE_NOT_FOUND', `File not found in the opened folder: ${path}`, {
    path,
    hint: 'The folder may be incomplete: open the whole table folder, including _delta_log and the data files.',
  });
}

async function readBlob(blob: Blob, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await blob.arrayBuffer());
  } catch (e) {
    throw new DeltaError('STORAGE_ERROR', `Cannot read ${path}: ${(e as Error)?.message ?? e}`, {
      path,
      cause: e,
      hint: 'The file may have changed or been removed since the folder was opened; open it again.',
    });
  }
}

/**
 * A store over an in-memory list of `File`s. Paths given are relative to the store root; use
 * {@link filesFromInput} to turn `webkitRelativePath`s (which start with the picked folder's name)
 * into root-relative paths.
 */
export class FileListStore implements BlobSource, FileHandleSource {
  readonly description: string;
  readonly capabilities = { list: true };
  private readonly byPath = new Map<string, File | BundledFile>();
  private readonly sorted: string[];
  /** Bytes of the last few bundles read (a replay reads a bundle's files one after another, a few dozen at a time). */
  private readonly bundleBytes = new LRUCache<Blob, Promise<Uint8Array>>({ max: 8 });

  /**
   * @param files files with paths relative to the root. @param description e.g. the folder name.
   * @param prefetch bundles already being read (see {@link BundlePrefetch}).
   */
  constructor(files: readonly FolderFile[], description = 'local folder', private readonly prefetch?: BundlePrefetch) {
    for (const f of files) this.byPath.set(f.path.replace(/^\/+/, ''), isBundled(f) ? f : f.file);
    this.sorted = [...this.byPath.keys()].sort(compareBytes);
    this.description = description;
  }

  /**
   * The bytes of a bundled file: the whole bundle is read once (or taken from `prefetch`), kept for
   * the next few files, and checked to be as long as the files it was built from.
   * @throws DeltaError `STORAGE_ERROR` naming `path` when the bundle cannot be read or changed size.
   */
  private async bundled(part: BundledFile, path: string): Promise<Uint8Array> {
    let bytes = this.bundleBytes.get(part.bundle);
    if (!bytes) {
      const early = this.prefetch?.take(part.bundle);
      // A failed prefetch is read again here, so that the error names the file asked for.
      bytes = early ? early.catch(() => readBlob(part.bundle, path)) : readBlob(part.bundle, path);
      this.bundleBytes.set(part.bundle, bytes);
      bytes.catch(() => this.bundleBytes.delete(part.bundle));
    }
    const all = await bytes;
    if (all.length !== part.bundle.size || part.offset + part.size > all.length) {
      throw new DeltaError('STORAGE_ERROR', `Cannot read ${path}: the folder's files changed since it was opened (read ${all.length} of ${part.bundle.size} bytes).`, {
        path,
        hint: 'Open the folder again.',
      });
    }
    return all.slice(part.offset, part.offset + part.size);
  }

  /** Every path held, sorted. */
  paths(): readonly string[] {
    return this.sorted;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectMeta[]> {
    throwIfAborted(options.signal);
    const out: ObjectMeta[] = [];
    for (const p of this.sorted) {
      if (!p.startsWith(prefix)) continue;
      if (options.shallow && p.indexOf('/', prefix.lastIndexOf('/') + 1) >= 0) continue;
      if (options.startAfter !== undefined && compareBytes(p, options.startAfter) <= 0) continue;
      const f = this.byPath.get(p)!;
      out.push({ path: p, sizeBytes: f.size, lastModifiedMs: f.lastModified });
    }
    return out;
  }

  private entry(path: string): File | BundledFile {
    const f = this.byPath.get(path.replace(/^\/+/, ''));
    if (!f) throw notFound(path);
    return f;
  }

  /** The entry as a `File` (a bundled file: its slice of the bundle, read lazily). */
  private file(path: string): File {
    return asFile(this.entry(path));
  }

  async get(path: string, signal?: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal);
    const f = this.entry(path);
    return f instanceof Blob ? readBlob(f, path) : this.bundled(f, path);
  }

  async getRange(path: string, range: ByteRange, signal?: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal);
    const f = this.entry(path);
    if (f instanceof Blob) return readBlob(f.slice(range.start, range.end), path);
    const all = await this.bundled(f, path);
    return all.slice(Math.min(range.start, all.length), Math.min(range.end, all.length));
  }

  async head(path: string): Promise<ObjectMeta> {
    const f = this.entry(path);
    return { path, sizeBytes: f.size, lastModifiedMs: f.lastModified };
  }

  /** The `File` itself (a lazily read `Blob`). */
  async blob(path: string, signal?: AbortSignal): Promise<Blob> {
    throwIfAborted(signal);
    return this.file(path);
  }

  /** The `File` itself, for components (DuckDB) that read files directly. */
  fileAt(path: string): File | undefined {
    const f = this.byPath.get(path.replace(/^\/+/, ''));
    return f && asFile(f);
  }
}

function asFile(f: File | BundledFile): File {
  return f instanceof Blob ? f : new File([f.bundle.slice(f.offset, f.offset + f.size)], f.name, { lastModified: f.lastModified });
}

/**
 * Turns the `File`s of an `<input webkitdirectory>` (whose `webkitRelativePath` starts with the
 * picked folder's name) into root-relative {@link RelativeFile}s, and returns that folder name.
 */
export function filesFromInput(files: ArrayLike<File>): { root: string; files: RelativeFile[] } {
  const list = Array.from(files);
  const first = (list[0] as File & { webkitRelativePath?: string })?.webkitRelativePath ?? '';
  const root = first.includes('/') ? first.slice(0, first.indexOf('/')) : '';
  return {
    root,
    files: list.map((file) => {
      const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
      return { path: root && rel.startsWith(root + '/') ? rel.slice(root.length + 1) : rel, file };
    }),
  };
}

/** Minimal structural types of the File System Access API (not in every TS DOM lib). */
interface FsHandle {
  kind: 'file' | 'directory';
  name: string;
}
interface FsFileHandle extends FsHandle {
  kind: 'file';
  getFile(): Promise<File>;
}
interface FsDirHandle extends FsHandle {
  kind: 'directory';
  entries(): AsyncIterableIterator<[string, FsFileHandle | FsDirHandle]>;
}

/**
 * Walks a `FileSystemDirectoryHandle` and returns every file with its root-relative path.
 * Reads only directory entries and file metadata, not contents.
 */
export async function filesFromDirectoryHandle(
  dir: FileSystemDirectoryHandle,
  signal?: AbortSignal,
): Promise<RelativeFile[]> {
  const out: RelativeFile[] = [];
  const walk = async (handle: FsDirHandle, prefix: string): Promise<void> => {
    for await (const [name, child] of handle.entries()) {
      throwIfAborted(signal);
      const p = prefix + name;
      if (child.kind === 'directory') await walk(child, p + '/');
      else out.push({ path: p, file: await child.getFile() });
    }
  };
  await walk(dir as unknown as FsDirHandle, '');
  return out;
}
