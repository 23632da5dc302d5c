/**
 * Errors that name the data file. DuckDB reports a file it cannot read (not parquet, truncated,
 * damaged pages) by the name it was registered under (`dx3_17.parquet`), which means nothing to a
 * user. {@link NamingFileRegistry} remembers which data file and table version each registered
 * name stands for, and {@link NamingFileRegistry.explain} rewrites such an error to name them.
 */
import { DeltaError, type DeltaErrorCode } from '../delta/errors.ts';
import { redactUrl } from '../delta/storage/remote-errors.ts';
import { hasUrls } from '../delta/storage/object-store.ts';
import { FileRegistry } from './file-registry.ts';
import { NETWORK_FAILURE_MARK } from './sized-http.ts';

/**
 * What a DuckDB read failure of a data file means, from its message: a network failure after our
 * retries (`sized-http.ts` marks those), an HTTP answer (DuckDB: `non-success status: 404`), or
 * else a file DuckDB could read but not decode (damaged).
 */
export function classifyReadFailure(message: string): { code: DeltaErrorCode; hint: string; status?: number } {
  if (message.includes(NETWORK_FAILURE_MARK)) {
    return { code: 'STORAGE_ERROR', hint: 'The network or the server failed while the file was read. Run the query again; nothing was read from a partial answer.' };
  }
  const status = Number(/non-success status:\s*(\d{3})|Unexpected return status from server \((\d{3})\)|HTTP (\d{3})/.exec(message)?.slice(1).find(Boolean) ?? NaN);
  if (status === 404 || status === 410) {
    return { code: 'FILE_NOT_FOUND', status, hint: 'The file may have been vacuumed, or not copied with the table. Try an older or newer version.' };
  }
  if (status === 401 || status === 403) {
    return { code: 'ACCESS_DENIED', status, hint: 'The server refused to let this link or these credentials read the file; a presigned URL may have expired: open the table again.' };
  }
  if (Number.isFinite(status)) return { code: 'STORAGE_ERROR', status, hint: 'The server failed to answer the read. Run the query again.' };
  return { code: 'QUERY_ERROR', hint: 'The file is damaged or not a parquet file. Restore it, or open a version that does not use it.' };
}

/** `text` with every URL's query string and fragment removed (presigned signatures, size tags). */
export function redactUrls(text: string): string {
  return text.replace(/https?:\/\/[^\s"'<>]+/g, (u) => redactUrl(u.replace(/#.*$/, '')));
}

export type { RegisteredFile } from './file-registry.ts';


/** A {@link FileRegistry} that can say which file a DuckDB error is about. */
export class NamingFileRegistry extends FileRegistry {
  /** Files read over HTTP whose last read failed: DuckDB keeps what it failed to read, so they are registered again. */
  private readonly broken = new Set<string>();

  /**
   * Registers again, under the same names, the files whose reads over HTTP failed (see
   * {@link explain}), then refreshes expiring URLs as {@link FileRegistry.refreshUrls} does.
   *
   * Why: DuckDB-WASM 1.28 keeps the pages of an HTTP file it failed to read (its read returned no
   * bytes after the error), so every later query of that file failed at once with "No magic bytes
   * found at end of file" and sent no request — one transient fault poisoned the table's SQL
   * session until it was reopened. Dropping the file and registering its URL again starts clean.
   * @throws store errors, `QUERY_ERROR` from the engine, `CANCELLED`.
   */
  override async refreshUrls(signal?: AbortSignal, nowMs = Date.now()): Promise<number> {
    for (const name of [...this.broken]) {
      const file = this.fileOf(name);
      this.broken.delete(name);
      if (!file) continue;
      const url = hasUrls(this.store) ? await this.store.url(file.path) : undefined;
      if (!url || !/^https?:\/\//i.test(url)) continue;
      await this.engine.dropFile(name);
      await this.engine.registerUrl(name, url, this.engine.capabilities.sizedUrls ? file.sizeBytes : undefined);
    }
    return super.refreshUrls(signal, nowMs);
  }

  /**
   * `e` rewritten to name the data file and version when it is a `QUERY_ERROR` whose message
   * mentions a file registered here (by its DuckDB name, or by its URL's file name for files read
   * over HTTP), with the code of what happened ({@link classifyReadFailure}): `FILE_NOT_FOUND`,
   * `ACCESS_DENIED`, `STORAGE_ERROR` (network, after retries) or `QUERY_ERROR` (damaged). URLs in
   * the message lose their query strings. Otherwise `e` unchanged.
   */
  explain(e: unknown): unknown {
    if (!(e instanceof DeltaError) || e.code !== 'QUERY_ERROR' || e.path !== undefined) return e;
    const re = this.namePattern();
    const names = e.message.match(re) ?? [];
    let file = names.map((n) => this.fileOf(n)).find((f) => f !== undefined);
    if (!file && /https?:\/\//.test(e.message)) {
      // Read over HTTP: DuckDB names the URL; find the registered file whose name it ends with.
      const urls = e.message.match(/https?:\/\/[^\s"'<>#?]+/g) ?? [];
      const tails = urls.map((u) => {
        const tail = u.slice(u.lastIndexOf('/') + 1);
        try {
          return decodeURIComponent(tail);
        } catch {
          return tail;
        }
      });
      for (const f of this.registered.values()) {
        const base = f.path.slice(f.path.lastIndexOf('/') + 1);
        if (tails.includes(base)) {
          file = f;
          break;
        }
      }
    }
    if (!file) return redactUrls(e.message) === e.message ? e : new DeltaError('QUERY_ERROR', redactUrls(e.message), { cause: e, hint: e.hint });
    const said = redactUrls(e.message.replace(re, (n) => this.fileOf(n)?.path ?? n)).replace(NETWORK_FAILURE_MARK + ' ', '');
    const kind = classifyReadFailure(e.message);
    if (kind.code !== 'QUERY_ERROR' || /https?:\/\//.test(e.message)) {
      const name = [...this.registered].find(([, f]) => f === file)?.[0];
      if (name) this.broken.add(name);
    }
    const what =
      kind.code === 'FILE_NOT_FOUND'
        ? 'not found'
        : kind.code === 'ACCESS_DENIED'
          ? 'refused'
          : kind.code === 'STORAGE_ERROR'
            ? 'could not be read over the network'
            : 'cannot be read';
    return new DeltaError(kind.code, `${file.what} ${file.path} of table version ${file.version} ${what}: ${said}`, {
      path: file.path,
      version: file.version,
      cause: e,
      hint: kind.hint,
    });
  }
}
