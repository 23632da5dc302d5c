/**
 * Errors that name the data file. DuckDB reports a file it cannot read (not parquet, truncated,
 * damaged pages) by the name it was registered under (`dx3_17.parquet`), which means nothing to a
 * user. {@link NamingFileRegistry} remembers which data file and table version each registered
 * name stands for, and {@link NamingFileRegistry.explain} rewrites such an error to name them.
 */
import { DeltaError } from '../delta/errors.ts';
import { FileRegistry } from './scan.ts';

/** What a registered DuckDB file name stands for. */
export interface RegisteredFile {
  /** The file's path in the store (relative to the table root). */
  path: string;
  /** The table version that read it first. */
  version: number;
  /** `Data file`, `Change data file`, ... */
  what: string;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A {@link FileRegistry} that can say which file a DuckDB error is about. */
export class NamingFileRegistry extends FileRegistry {
  private readonly files = new Map<string, RegisteredFile>();

  /** Registers the files as {@link FileRegistry.ensureFiles} does, remembering what each name stands for. */
  override async ensureFiles(
    files: { path: string; version: number; what?: string; sizeBytes?: number | null }[],
    signal?: AbortSignal,
  ): Promise<Map<string, string>> {
    const names = await super.ensureFiles(files, signal);
    for (const f of files) {
      const name = names.get(f.path);
      if (name && !this.files.has(name)) this.files.set(name, { path: f.path, version: f.version, what: f.what ?? 'Data file' });
    }
    return names;
  }

  /** The data file a registered DuckDB name stands for, if any. */
  fileOf(name: string): RegisteredFile | undefined {
    return this.files.get(name);
  }

  /**
   * `e` rewritten to name the data file and version when it is a `QUERY_ERROR` whose message
   * mentions a file registered here; otherwise `e` unchanged.
   */
  explain(e: unknown): unknown {
    if (!(e instanceof DeltaError) || e.code !== 'QUERY_ERROR' || e.path !== undefined) return e;
    const re = new RegExp(`${escapeRe(this.prefix)}_\\d+\\.parquet`, 'g');
    const names = e.message.match(re) ?? [];
    const file = names.map((n) => this.files.get(n)).find((f) => f !== undefined);
    if (!file) return e;
    const said = e.message.replace(re, (n) => this.files.get(n)?.path ?? n);
    return new DeltaError('QUERY_ERROR', `${file.what} ${file.path} of table version ${file.version} cannot be read: ${said}`, {
      path: file.path,
      version: file.version,
      cause: e,
      hint: 'The file is damaged or not a parquet file. Restore it, or open a version that does not use it.',
    });
  }
}
