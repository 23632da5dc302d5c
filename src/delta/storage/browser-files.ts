/**
 * {@link ObjectStore} over a folder the user dropped or picked in the browser: either a list of
 * `File`s with relative paths (`<input webkitdirectory>`, a drop's `webkitGetAsEntry()` walk) or a
 * `FileSystemDirectoryHandle` (File System Access API). Runs in the worker and on the UI thread.
 */
import { DeltaError, throwIfAborted } from '../errors.ts';
import { compareBytes, type ByteRange, type ListOptions, type ObjectMeta, type ObjectStore, type BlobSource, type FileHandleSource } from './object-store.ts';

/** A file and its path relative to the dropped folder, `/`-separated. */
export interface RelativeFile {
  path: string;
  file: File;
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
  private readonly byPath = new Map<string, File>();
  private readonly sorted: string[];

  /** @param files files with paths relative to the root. @param description e.g. the folder name. */
  constructor(files: RelativeFile[], description = 'local folder') {
    for (const f of files) this.byPath.set(f.path.replace(/^\/+/, ''), f.file);
    this.sorted = [...this.byPath.keys()].sort(compareBytes);
    this.description = description;
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

  private file(path: string): File {
    const f = this.byPath.get(path.replace(/^\/+/, ''));
    if (!f) throw notFound(path);
    return f;
  }

  async get(path: string, signal?: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal);
    return readBlob(this.file(path), path);
  }

  async getRange(path: string, range: ByteRange, signal?: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal);
    return readBlob(this.file(path).slice(range.start, range.end), path);
  }

  async head(path: string): Promise<ObjectMeta> {
    const f = this.file(path);
    return { path, sizeBytes: f.size, lastModifiedMs: f.lastModified };
  }

  /** The `File` itself (a lazily read `Blob`). */
  async blob(path: string, signal?: AbortSignal): Promise<Blob> {
    throwIfAborted(signal);
    return this.file(path);
  }

  /** The `File` itself, for components (DuckDB) that read files directly. */
  fileAt(path: string): File | undefined {
    return this.byPath.get(path.replace(/^\/+/, ''));
  }
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
