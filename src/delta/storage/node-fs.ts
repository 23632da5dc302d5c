/**
 * {@link ObjectStore} over a folder of the local filesystem (Node only: the CLI, tests, benchmarks).
 */
import { openAsBlob, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { DeltaError, throwIfAborted } from '../errors.ts';
import { compareBytes, type ByteRange, type ListOptions, type ObjectMeta, type ObjectStore, type UrlSource, type BlobSource } from './object-store.ts';

/** Maps a Node `fs` error to a {@link DeltaError} naming the path. */
function fsError(e: unknown, path: string): DeltaError {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new DeltaError('FILE_NOT_FOUND', `File not found: ${path}`, { path, cause: e });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new DeltaError('ACCESS_DENIED', `Permission denied reading ${path}`, { path, cause: e });
  }
  return new DeltaError('STORAGE_ERROR', `Cannot read ${path}: ${(e as Error)?.message ?? e}`, { path, cause: e });
}

/**
 * A read-only store over the folder `root`. Listing walks sub-folders recursively; symbolic links
 * are followed. Paths that would escape `root` (`..`) are refused with `FILE_NOT_FOUND`.
 */
export class NodeFsStore implements UrlSource, BlobSource {
  readonly description: string;
  readonly capabilities = { list: true };
  private readonly root: string;

  /** @param root absolute or relative folder path. */
  constructor(root: string) {
    this.root = nodePath.resolve(root);
    this.description = this.root;
  }

  private resolve(path: string): string {
    const abs = nodePath.resolve(this.root, path);
    if (abs !== this.root && !abs.startsWith(this.root + nodePath.sep)) {
      throw new DeltaError('FILE_NOT_FOUND', `Path escapes the table root: ${path}`, { path });
    }
    return abs;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectMeta[]> {
    throwIfAborted(options.signal);
    const slash = prefix.lastIndexOf('/');
    const dirRel = slash >= 0 ? prefix.slice(0, slash) : '';
    const out: ObjectMeta[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(this.resolve(rel), { withFileTypes: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException)?.code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return; // an empty listing, as object stores answer
        throw fsError(e, rel);
      }
      await Promise.all(
        entries.map(async (ent) => {
          const p = rel ? `${rel}/${ent.name}` : ent.name;
          if (!(p.startsWith(prefix) || prefix.startsWith(p + '/'))) return;
          let isDir = ent.isDirectory();
          let isFile = ent.isFile();
          if (ent.isSymbolicLink()) {
            const st = await fs.stat(this.resolve(p)).catch(() => undefined);
            isDir = !!st?.isDirectory();
            isFile = !!st?.isFile();
          }
          if (isDir) return options.shallow && p.length >= prefix.length ? undefined : walk(p);
          if (!isFile || !p.startsWith(prefix)) return;
          if (options.startAfter !== undefined && compareBytes(p, options.startAfter) <= 0) return;
          const st = await fs.stat(this.resolve(p));
          out.push({ path: p, sizeBytes: st.size, lastModifiedMs: Math.floor(st.mtimeMs) });
        }),
      );
    };
    await walk(dirRel);
    throwIfAborted(options.signal);
    return out.sort((a, b) => compareBytes(a.path, b.path));
  }

  async get(path: string, signal?: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal);
    try {
      const buf = await fs.readFile(this.resolve(path), { signal });
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw new DeltaError('CANCELLED', 'Cancelled.');
      throw fsError(e, path);
    }
  }

  async getRange(path: string, range: ByteRange, signal?: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal);
    let fh: import('node:fs/promises').FileHandle | undefined;
    try {
      fh = await fs.open(this.resolve(path), 'r');
      const len = Math.max(0, range.end - range.start);
      const buf = new Uint8Array(len);
      let read = 0;
      while (read < len) {
        const { bytesRead } = await fh.read(buf, read, len - read, range.start + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return read === len ? buf : buf.subarray(0, read);
    } catch (e) {
      throw fsError(e, path);
    } finally {
      await fh?.close();
    }
  }

  async head(path: string, signal?: AbortSignal): Promise<ObjectMeta> {
    throwIfAborted(signal);
    try {
      const st = await fs.stat(this.resolve(path));
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      return { path, sizeBytes: st.size, lastModifiedMs: Math.floor(st.mtimeMs) };
    } catch (e) {
      throw fsError(e, path);
    }
  }

  async url(path: string): Promise<string | undefined> {
    return this.resolve(path);
  }

  /** The file as a lazily read `Blob` (`fs.openAsBlob`): its bytes are read by range when used. */
  async blob(path: string, signal?: AbortSignal): Promise<Blob> {
    throwIfAborted(signal);
    const abs = this.resolve(path);
    try {
      // openAsBlob's own error for a missing file is a generic one: stat first for the real cause.
      const st = await fs.stat(abs);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      return await openAsBlob(abs);
    } catch (e) {
      throw fsError(e, path);
    }
  }
}
