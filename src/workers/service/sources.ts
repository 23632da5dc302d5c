/**
 * The sources half of the explorer service: where tables come from. A source is an opened folder:
 * the files of a dropped folder, or a remote store (an HTTP(S) URL, S3, lakeFS, a share link).
 * This module finds the tables in a source (`table-root.ts`), registers them as {@link OpenTable}s,
 * keeps live S3 / lakeFS connections (credentials in memory only), and forgets sources and tables
 * when they are closed.
 *
 * Nothing per file is copied: a files source holds the `File` handles, a remote one its store.
 * Calls return plain values (the wire types of `../api.ts`) and throw `DeltaError`s; the facade
 * (`../explorer-service.ts`) wraps them in a `Result`.
 */
import { DeltaError, throwIfAborted } from '../../delta/errors.ts';
import { listLogFiles } from '../../delta/log/listing.ts';
import { BundlePrefetch, bundleSmallLogFiles, FileListStore, movedTo, type FolderFile } from '../../delta/storage/browser-files.ts';
import { HttpStore } from '../../delta/storage/http.ts';
import { isSigner, subStore, type ObjectMeta, type ObjectStore } from '../../delta/storage/object-store.ts';
import { DeltaTable } from '../../delta/table.ts';
import type {
  LakeFsConnectionConfig,
  LakeFsRefs,
  LakeFsRepositoryInfo,
  OpenedTable,
  OpenResult,
  RemoteBrowsePlace,
  RemoteConnection,
  RemoteListing,
  RemoteLocation,
  S3ConnectionConfig,
  TableCandidate,
} from '../api.ts';
import { browseFolder, cleanPrefix, requireConnection, type RemoteConnectionImpl } from '../remote.ts';
import { detectTableLayout } from '../table-root.ts';
import { parseTableUrl, urlLabel, withUrlHints } from '../table-url.ts';
import { newOpenTable, type OpenTable } from './tables.ts';

/** An opened folder: local files, or a remote store (an HTTP(S) URL, S3, lakeFS, a share link). */
type Source = {
  label: string;
  /** Tables opened from this source. */
  tables: Set<string>;
  /** True when the folder holds several tables (kept open so the user can pick another). */
  multi: boolean;
} & (
  | { kind: 'files'; files: FolderFile[]; prefetch?: BundlePrefetch }
  | {
      kind: 'url';
      /** The folder's URL (no trailing slash, no credentials), when it has a public one. */
      url?: string;
      store: ObjectStore;
      /** Where the store is (for share links): a public URL, an S3 or lakeFS location, a share. */
      remote?: RemoteLocation;
      /** Tables found under the URL when it is not one itself. */
      candidates: TableCandidate[];
      /** Entries of `_delta_log/` listed when the URL was opened (when it is the table). */
      logEntries: number;
    }
);

/** Opened sources, their open tables, staged files and live remote connections, by id. */
export class Sources {
  private readonly sources = new Map<string, Source>();
  /** Files handed over by `stageFiles`, by stage id, until `openFiles` takes them. */
  private readonly staged = new Map<string, { files: FolderFile[]; prefetch: BundlePrefetch }>();
  /** Live S3 / lakeFS connections (they hold credentials, in memory only). */
  private readonly connections = new Map<string, RemoteConnectionImpl>();
  private readonly tables = new Map<string, OpenTable>();
  private nextId = 1;

  /** @param fetchFn `fetch` for remote stores (default: the global one). */
  constructor(private readonly fetchFn?: typeof fetch) {}

  /** A new id: `prefix` and a counter shared by sources (`s`), tables (`t`) and connections (`c`). */
  id(prefix: string): string {
    return `${prefix}${this.nextId++}`;
  }

  /**
   * The open table `tableId`.
   * @throws DeltaError `INVALID_ARGUMENT` when it is unknown (closed, or the worker restarted).
   */
  table(tableId: string): OpenTable {
    const t = this.tables.get(tableId);
    if (!t) throw new DeltaError('INVALID_ARGUMENT', `Unknown table ${tableId}: it was closed, or the worker restarted. Open the folder again.`);
    return t;
  }

  // ---- Local files ----

  /** Adds `files` to stage `stageId` (see {@link ExplorerApi.stageFiles}); `null` drops the stage. */
  stage(stageId: string, files: FolderFile[] | null): void {
    if (files === null) {
      this.staged.delete(stageId);
      return;
    }
    let stage = this.staged.get(stageId);
    if (!stage) this.staged.set(stageId, (stage = { files: [], prefetch: new BundlePrefetch() }));
    // Bundled and read ahead while the page posts the next slice (see bundleSmallLogFiles).
    const bundled = bundleSmallLogFiles(files);
    stage.files.push(...bundled);
    stage.prefetch.add(bundled);
  }

  /** The files staged under `stageId` followed by `files`, and their bundles' reads; the stage is emptied. */
  takeStaged(stageId: string | undefined, files: FolderFile[]): { files: FolderFile[]; prefetch?: BundlePrefetch } {
    const staged = stageId === undefined ? undefined : this.staged.get(stageId);
    if (stageId !== undefined) this.staged.delete(stageId);
    if (!staged) return { files };
    const bundled = bundleSmallLogFiles(files);
    staged.prefetch.add(bundled);
    return { files: staged.files.concat(bundled), prefetch: staged.prefetch };
  }

  /**
   * Opens the files of a folder as a source: the table at its root (or its bare log), its only
   * table, or the list of its tables.
   * @throws DeltaError `NOT_A_TABLE` when the folder is empty or holds no `_delta_log` folder.
   */
  openFiles(files: FolderFile[], label: string, prefetch?: BundlePrefetch): OpenResult {
    if (!files.length) {
      throw new DeltaError('NOT_A_TABLE', `The folder "${label}" is empty.`, {
        hint: 'Open the folder that contains the table\'s _delta_log folder.',
      });
    }
    const layout = detectTableLayout(
      files.map((f) => f.path),
      label,
    );
    if (layout.kind === 'none') {
      throw new DeltaError(
        'NOT_A_TABLE',
        `No Delta table in "${label}": neither it nor any of its sub-folders holds a _delta_log folder (${files.length} files looked at).`,
        { hint: 'Open the table\'s folder (the one that contains _delta_log), or a folder that holds tables.' },
      );
    }
    const sourceId = this.id('s');
    this.sources.set(sourceId, { kind: 'files', label, files, prefetch, tables: new Set(), multi: layout.kind === 'nested' && layout.candidates.length > 1 });
    if (layout.kind === 'root') return this.openTable(sourceId, '', false);
    if (layout.kind === 'log-only') return this.openTable(sourceId, '', true);
    if (layout.candidates.length === 1) return this.openTable(sourceId, layout.candidates[0].path, false);
    return { kind: 'candidates', sourceId, label, candidates: layout.candidates };
  }

  /**
   * Opens the table at `path` of a source that holds several (see {@link ExplorerApi.openCandidate}).
   * @throws DeltaError `INVALID_ARGUMENT` for an unknown source, or a path that is not one of its tables.
   */
  openCandidate(sourceId: string, path: string): OpenedTable {
    const source = this.sources.get(sourceId);
    if (!source) throw new DeltaError('INVALID_ARGUMENT', `Unknown source ${sourceId}: open the folder again.`);
    if (source.kind === 'url') {
      if (!source.candidates.some((c) => c.path === path)) {
        throw new DeltaError('INVALID_ARGUMENT', `"${path}" is not a table under ${source.label}.`);
      }
      return this.openUrlTable(sourceId, path);
    }
    const layout = detectTableLayout(
      source.files.map((f) => f.path),
      source.label,
    );
    if (layout.kind !== 'nested' || !layout.candidates.some((c) => c.path === path)) {
      throw new DeltaError('INVALID_ARGUMENT', `"${path}" is not a table in "${source.label}".`);
    }
    return this.openTable(sourceId, path, false);
  }

  /** Registers a table of a source: a sub-folder `root` of it, or (`logOnly`) the source as a bare `_delta_log`. */
  private openTable(sourceId: string, root: string, logOnly: boolean): OpenedTable {
    const source = this.sources.get(sourceId)!;
    if (source.kind === 'url') return this.openUrlTable(sourceId, root);
    const prefix = root ? root + '/' : '';
    const files: FolderFile[] = [];
    for (const f of source.files) {
      if (logOnly) files.push(movedTo(f, `_delta_log/${f.path}`));
      else if (!prefix) files.push(f);
      else if (f.path.startsWith(prefix)) files.push(movedTo(f, f.path.slice(prefix.length)));
    }
    const description = root ? `${source.label}/${root}` : source.label;
    const tableId = this.id('t');
    const info: OpenedTable = { kind: 'table', tableId, sourceId, label: source.label, root, numFiles: files.length, logOnly };
    this.tables.set(tableId, newOpenTable(info, new DeltaTable(new FileListStore(files, description, source.prefetch)), 'direct'));
    source.tables.add(tableId);
    return info;
  }

  // ---- Remote stores ----

  /** Registers a table of a URL source: the source's store, or a sub-folder of it. */
  private openUrlTable(sourceId: string, root: string): OpenedTable {
    const source = this.sources.get(sourceId)!;
    if (source.kind !== 'url') throw new Error('not a URL source');
    const tableId = this.id('t');
    const numFiles = root ? (source.candidates.find((c) => c.path === root)?.numLogFiles ?? 0) : source.logEntries;
    const remote = source.remote ? locationAt(source.remote, root) : undefined;
    const shareable = remote?.kind === 'http' || (remote !== undefined && remote.kind !== 'share' && isSigner(source.store));
    const info: OpenedTable = { kind: 'table', tableId, sourceId, label: source.label, url: source.url, remote, shareable, root, numFiles, logOnly: false };
    // Ranged reads of URLs, sizes from the log (no HEAD): see sized-http.ts.
    this.tables.set(tableId, newOpenTable(info, new DeltaTable(root ? subStore(source.store, root) : source.store), 'direct'));
    source.tables.add(tableId);
    return info;
  }

  /** See {@link ExplorerApi.openUrl}. Lists `_delta_log/` once to tell a table from a folder of tables. */
  openUrl(url: string, signal: AbortSignal): Promise<OpenResult> {
    const base = parseTableUrl(url);
    const store = new HttpStore(base, this.fetchFn ? { fetch: this.fetchFn } : {});
    return withUrlHints(base, () => this.openStoreSource(store, { label: urlLabel(base), url: base, remote: { kind: 'http', url: base } }, signal));
  }

  /**
   * Opens a remote store as a source: the table at its root, or the tables under it (when the store
   * lists). Used by every remote kind (HTTP(S), S3, lakeFS, share links).
   * @throws DeltaError `NOT_A_TABLE` when neither the root nor (for listing stores) a sub-folder holds `_delta_log/`; store errors.
   */
  async openStoreSource(
    store: ObjectStore,
    where: { label: string; url?: string; remote?: RemoteLocation },
    signal: AbortSignal,
  ): Promise<OpenResult> {
    const { label, url: base } = where;
    const shown = base ?? label;
    const log = await listLogFiles(store, '_delta_log/', { signal });
    throwIfAborted(signal);
    const register = (candidates: TableCandidate[], logEntries: number): string => {
      const sourceId = this.id('s');
      this.sources.set(sourceId, { kind: 'url', label, url: base, store, remote: where.remote, candidates, logEntries, tables: new Set(), multi: candidates.length > 1 });
      return sourceId;
    };
    if (log.length) return this.openUrlTable(register([], log.length), '');

    // Not a table root: a folder of tables? Only a store that lists can tell.
    let all: ObjectMeta[] | undefined;
    try {
      all = await store.list('', { signal });
    } catch (e) {
      // Only a refused listing is expected here; anything else (access, network) is the answer.
      if (!(e instanceof DeltaError) || e.code !== 'STORAGE_ERROR' || !/Cannot list/.test(e.message)) throw e;
    }
    throwIfAborted(signal);
    const layout = all ? detectTableLayout(all.map((m) => m.path), label) : { kind: 'none' as const };
    if (layout.kind === 'nested') {
      const sourceId = register(layout.candidates, 0);
      if (layout.candidates.length === 1) return this.openUrlTable(sourceId, layout.candidates[0].path);
      return { kind: 'candidates', sourceId, label, url: base, candidates: layout.candidates };
    }
    // A server without a listing answers list('') by probing _delta_log/ again: only a listing
    // gives files outside it, so "nor in its sub-folders" is said only when files were listed.
    const listedFiles = !!all?.length;
    throw new DeltaError('NOT_A_TABLE', `No Delta table at ${shown}: there is no _delta_log/ folder under it${listedFiles ? ', nor in its sub-folders' : ''}.`, {
      path: '_delta_log/',
      hint: listedFiles
        ? 'Give the table root: the folder that holds _delta_log/ (e.g. https://host/warehouse/my_table/).'
        : 'Give the table root: the folder that holds _delta_log/ (e.g. https://host/warehouse/my_table/). A folder of several tables can be opened only from a server that lists folders (S3 ListObjectsV2, delta-explorer serve).',
    });
  }

  /** Registers a live connection and returns what the UI may see of it. */
  addConnection(conn: RemoteConnectionImpl): RemoteConnection {
    this.connections.set(conn.info.connectionId, conn);
    return conn.info;
  }

  /** See {@link ExplorerApi.connectS3}: `s3-connection.ts`, loaded on first use. */
  async connectS3(config: S3ConnectionConfig, signal: AbortSignal): Promise<RemoteConnection> {
    const { connectS3 } = await import('../s3-connection.ts');
    return this.addConnection(await connectS3(this.id('c'), config, { fetch: this.fetchFn, signal }));
  }

  /** See {@link ExplorerApi.connectLakeFs}: `lakefs-connection.ts`, loaded on first use. */
  async connectLakeFs(config: LakeFsConnectionConfig, signal: AbortSignal): Promise<RemoteConnection> {
    const { connectLakeFs } = await import('../lakefs-connection.ts');
    return this.addConnection(await connectLakeFs(this.id('c'), config, { fetch: this.fetchFn, signal }));
  }

  /** See {@link ExplorerApi.lakeFsRepositories}. */
  async lakeFsRepositories(connectionId: string, signal: AbortSignal): Promise<LakeFsRepositoryInfo[]> {
    const { asLakeFs } = await import('../lakefs-connection.ts');
    return asLakeFs(requireConnection(this.connections, connectionId)).repositories(signal);
  }

  /** See {@link ExplorerApi.lakeFsRefs}. */
  async lakeFsRefs(connectionId: string, repository: string, signal: AbortSignal): Promise<LakeFsRefs> {
    const { asLakeFs } = await import('../lakefs-connection.ts');
    return asLakeFs(requireConnection(this.connections, connectionId)).refs(repository, signal);
  }

  /** See {@link ExplorerApi.browseRemote}. */
  browseRemote(connectionId: string, place: RemoteBrowsePlace, signal: AbortSignal): Promise<RemoteListing> {
    return browseFolder(requireConnection(this.connections, connectionId), place, signal);
  }

  /** See {@link ExplorerApi.openRemote}. */
  async openRemote(connectionId: string, place: RemoteBrowsePlace, signal: AbortSignal): Promise<OpenResult> {
    const conn = requireConnection(this.connections, connectionId);
    const placed = await conn.storeAt({ ...place, prefix: cleanPrefix(place.prefix) }, signal);
    return this.openStoreSource(placed.store, { label: placed.label, remote: placed.location }, signal);
  }

  /** See {@link ExplorerApi.openShare}: the page's clock (`nowMs`) decides whether the link has expired. */
  async openShare(fragment: string, nowMs: number | undefined, signal: AbortSignal): Promise<OpenResult> {
    const { openShareStore } = await import('../share.ts');
    // Later reads keep time from the page's clock.
    const skew = nowMs !== undefined ? nowMs - Date.now() : 0;
    const { store, location, label } = await openShareStore(fragment, { fetch: this.fetchFn, now: () => Date.now() + skew, signal });
    return this.openStoreSource(store, { label, remote: location }, signal);
  }

  /** Forgets a connection and the credentials it holds. */
  closeConnection(connectionId: string): void {
    this.connections.get(connectionId)?.close?.();
    this.connections.delete(connectionId);
  }

  // ---- Closing ----

  /** Forgets a table, and its source unless that holds several tables. Returns the table (to retire its sessions). */
  close(tableId: string): OpenTable | undefined {
    const t = this.tables.get(tableId);
    if (!t) return undefined;
    this.tables.delete(tableId);
    const source = this.sources.get(t.sourceId);
    if (source) {
      source.tables.delete(tableId);
      if (!source.tables.size && !source.multi) this.sources.delete(t.sourceId);
    }
    return t;
  }

  /** Forgets a source and its tables. Returns the tables (to retire their sessions). */
  closeSource(sourceId: string): OpenTable[] {
    const source = this.sources.get(sourceId);
    if (!source) return [];
    const closed: OpenTable[] = [];
    for (const id of source.tables) {
      const t = this.tables.get(id);
      if (t) closed.push(t);
      this.tables.delete(id);
    }
    this.sources.delete(sourceId);
    return closed;
  }
}

/** The location of a sub-folder `root` of a remote location. */
function locationAt(loc: RemoteLocation, root: string): RemoteLocation {
  if (!root) return loc;
  const join = (a: string) => (a ? `${a}/${root}` : root);
  switch (loc.kind) {
    case 'http':
      return { ...loc, url: `${loc.url}/${root}` };
    case 's3':
      return { ...loc, prefix: join(loc.prefix) };
    case 'lakefs':
      return { ...loc, path: join(loc.path) };
    case 'share':
      return { ...loc, origin: locationAt(loc.origin, root) };
  }
}
