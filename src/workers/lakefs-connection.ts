/**
 * A lakeFS connection as a {@link RemoteConnectionImpl}: one {@link LakeFsClient} holding the access
 * key in memory, places `{ repository, ref, prefix }`, stores rooted at a folder of the commit a ref
 * points at (so an open table does not move when the branch does), and the lakeFS-only lists the
 * UI shows: repositories, branches, tags and recent commits.
 */
import { DeltaError } from '../delta/errors.ts';
import { LakeFsClient, LakeFsStore, lakeFsPresigns, normalizeLakeFsEndpoint, type LakeFsRepository } from '../delta/storage/lakefs.ts';
import type { LakeFsConnectionConfig, LakeFsRefs, LakeFsRepositoryInfo, RemoteBrowsePlace } from './api.ts';
import { cleanPrefix, type FolderPage, type RemoteConnectionImpl } from './remote.ts';

/** Most folder entries listed per browse (the UI says when there are more). */
const MAX_FOLDER_ENTRIES = 1000;
/** Recent commits shown per repository. */
const RECENT_COMMITS = 50;

/** A lakeFS connection: the generic contract plus the lakeFS lists. */
export interface LakeFsConnection extends RemoteConnectionImpl {
  /** See `ExplorerApi.lakeFsRepositories`. */
  repositories(signal?: AbortSignal): Promise<LakeFsRepositoryInfo[]>;
  /** See `ExplorerApi.lakeFsRefs`. */
  refs(repository: string, signal?: AbortSignal): Promise<LakeFsRefs>;
}

/** The connection as a lakeFS one, or `INVALID_ARGUMENT` when it is another kind. */
export function asLakeFs(conn: RemoteConnectionImpl): LakeFsConnection {
  if (conn.info.kind !== 'lakefs' || !('refs' in conn)) throw new DeltaError('INVALID_ARGUMENT', `${conn.info.label} is not a lakeFS connection.`);
  return conn as LakeFsConnection;
}

/**
 * Connects: validates the settings and checks the key with one `GET /repositories?amount=1`.
 * A relative endpoint (`/lakefs`) is resolved against `options.base` (default: the worker's location).
 * @throws DeltaError `INVALID_ARGUMENT` (missing field, bad endpoint), `WRONG_CREDENTIALS`,
 *   `CORS_REFUSED`, `STORAGE_ERROR`, `CANCELLED`.
 */
export async function connectLakeFs(
  connectionId: string,
  config: LakeFsConnectionConfig,
  options: { fetch?: typeof fetch; signal?: AbortSignal; base?: string; appOrigin?: string } = {},
): Promise<LakeFsConnection> {
  if (!config.endpoint?.trim()) throw new DeltaError('INVALID_ARGUMENT', 'Give the lakeFS server address.', { hint: 'e.g. https://lakefs.example.com, or /lakefs behind delta-explorer serve --lakefs.' });
  if (!config.accessKeyId?.trim() || !config.secretAccessKey) throw new DeltaError('INVALID_ARGUMENT', 'Give the access key id and the secret access key.');
  const base = options.base ?? (globalThis as { location?: { href?: string } }).location?.href;
  const endpoint = normalizeLakeFsEndpoint(config.endpoint, base);
  const client = new LakeFsClient(endpoint, { accessKeyId: config.accessKeyId.trim(), secretAccessKey: config.secretAccessKey }, { fetch: options.fetch, appOrigin: options.appOrigin });
  // One cheap call proves the address, the same-origin path (CORS) and the key.
  await client.json('/repositories', { amount: 1 }, {}, options.signal);

  let closed = false;
  const live = () => {
    if (closed) throw new DeltaError('INVALID_ARGUMENT', 'This lakeFS connection was closed: connect again.');
  };
  const repos = new Map<string, Promise<LakeFsRepository>>();
  const repoInfo = (id: string, signal?: AbortSignal) => {
    let p = repos.get(id);
    if (!p) {
      p = client.repository(id, signal);
      repos.set(id, p);
      p.catch(() => repos.delete(id));
    }
    return p;
  };
  const presigns = new Map<string, Promise<boolean>>();
  const presignFor = (id: string, signal?: AbortSignal) => {
    let p = presigns.get(id);
    if (!p) {
      p = repoInfo(id, signal).then((r) => lakeFsPresigns(client, r, signal));
      presigns.set(id, p);
      p.catch(() => presigns.delete(id));
    }
    return p;
  };
  const need = (place: RemoteBrowsePlace): { repository: string; ref?: string; prefix: string } => {
    live();
    const repository = place.repository?.trim();
    if (!repository) throw new DeltaError('INVALID_ARGUMENT', 'Pick a lakeFS repository first.');
    return { repository, ref: place.ref?.trim() || undefined, prefix: cleanPrefix(place.prefix) };
  };
  const refOf = async (repository: string, ref: string | undefined, signal?: AbortSignal) => ref ?? (await repoInfo(repository, signal)).default_branch;

  return {
    info: { connectionId, kind: 'lakefs', label: `lakefs://${new URL(endpoint).host}${new URL(endpoint).pathname.replace(/\/$/, '')}`, endpoint },

    async storeAt(place, signal) {
      const { repository, prefix } = need(place);
      const ref = await refOf(repository, place.ref?.trim() || undefined, signal);
      const [commit, presign] = await Promise.all([client.commit(repository, ref, signal), presignFor(repository, signal)]);
      const store = new LakeFsStore(client, { repository, ref: commit.id, root: prefix, presign });
      const name = prefix ? prefix.split('/').pop()! : repository;
      return {
        store,
        location: { kind: 'lakefs', endpoint, repository, ref, commitId: commit.id, path: prefix },
        label: `${name} @ ${ref}`,
      };
    },

    async listFolder(place, signal): Promise<FolderPage> {
      const { repository, prefix } = need(place);
      const ref = await refOf(repository, place.ref?.trim() || undefined, signal);
      const folders: string[] = [];
      let objectCount = 0;
      let after: string | undefined;
      for (;;) {
        const page = await client.listObjects(repository, ref, { prefix: prefix ? `${prefix}/` : '', after, delimiter: '/' }, signal);
        for (const e of page.results) {
          if (e.path_type === 'common_prefix') folders.push(e.path.replace(/\/+$/, ''));
          else objectCount++;
        }
        if (!page.pagination.has_more || !page.results.length) return { folders, objectCount, truncated: false };
        if (folders.length + objectCount >= MAX_FOLDER_ENTRIES) return { folders, objectCount, truncated: true };
        after = page.pagination.next_offset || page.results[page.results.length - 1].path;
      }
    },

    async hasObjects(place, signal) {
      const { repository } = need(place);
      const ref = await refOf(repository, place.ref?.trim() || undefined, signal);
      const page = await client.listObjects(repository, ref, { prefix: place.prefix.replace(/^\/+/, ''), amount: 1 }, signal);
      return page.results.length > 0;
    },

    async repositories(signal) {
      live();
      const { items } = await client.repositories(10_000, signal);
      return items.map((r) => ({ id: r.id, defaultBranch: r.default_branch, storageNamespace: r.storage_namespace, createdMs: r.creation_date * 1000 }));
    },

    async refs(repository, signal) {
      live();
      const repo = await repoInfo(repository, signal);
      const [branches, tags, commits, presign] = await Promise.all([
        client.branches(repository, MAX_FOLDER_ENTRIES, signal),
        client.tags(repository, MAX_FOLDER_ENTRIES, signal),
        client.log(repository, repo.default_branch, RECENT_COMMITS, signal),
        presignFor(repository, signal),
      ]);
      const refInfo = (r: { id: string; commit_id: string }) => ({ name: r.id, commitId: r.commit_id });
      return {
        repository,
        defaultBranch: repo.default_branch,
        branches: branches.items.map(refInfo).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        tags: tags.items.map(refInfo).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        commits: commits.map((c) => ({ id: c.id, message: c.message, committer: c.committer, createdMs: c.creation_date * 1000, parents: c.parents })),
        truncated: branches.truncated || tags.truncated,
        presign,
      };
    },

    close() {
      closed = true;
      client.close();
    },
  };
}
