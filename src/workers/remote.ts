/**
 * The contract between the worker service and a remote store connection (S3 in `s3-connection.ts`,
 * lakeFS in `lakefs-connection.ts`). A connection holds the credentials (in memory only) and
 * hands out {@link ObjectStore}s rooted at places inside it; the service does the rest (browsing
 * for tables, opening them, share links) the same way for every kind.
 */
import { DeltaError, throwIfAborted } from '../delta/errors.ts';
import { mapLimit } from '../delta/concurrency.ts';
import type { ObjectStore } from '../delta/storage/object-store.ts';
import type { RemoteBrowsePlace, RemoteConnection, RemoteListing, RemoteLocation } from './api.ts';

/** A store rooted at a place, with the credential-free description of where it is. */
export interface PlacedStore {
  store: ObjectStore;
  /** Where it is, for the UI and share links (no credentials). */
  location: RemoteLocation;
  /** Short name for the UI (the folder's last segment, or the bucket/repository). */
  label: string;
}

/** One page of a folder listing (delimiter `/`). */
export interface FolderPage {
  /** Full paths of the sub-folders (relative to the connection's top for the place's repository/ref), no trailing `/`. */
  folders: string[];
  /** Objects directly in the folder. */
  objectCount: number;
  /** More entries exist than this page holds. */
  truncated: boolean;
}

/** A live connection (S3 bucket, lakeFS server). Every method may throw store errors (typed `DeltaError`s). */
export interface RemoteConnectionImpl {
  readonly info: RemoteConnection;
  /** A store rooted at `place` (a folder that may be a table or hold tables). */
  storeAt(place: RemoteBrowsePlace, signal?: AbortSignal): Promise<PlacedStore>;
  /** Sub-folders of `place.prefix` (at most 1,000) and how many objects sit directly in it. */
  listFolder(place: RemoteBrowsePlace, signal?: AbortSignal): Promise<FolderPage>;
  /** Whether any object's key starts with `place.prefix` (a folder prefix ending in `/`). */
  hasObjects(place: RemoteBrowsePlace, signal?: AbortSignal): Promise<boolean>;
  /** Drops the credentials. */
  close?(): void;
}

/** Most sub-folders checked for a `_delta_log/` per browse call (each check is one small listing). */
const MAX_TABLE_CHECKS = 200;

/** Normalises a folder path: no leading or trailing `/`. */
export function cleanPrefix(prefix: string | undefined): string {
  return (prefix ?? '').replace(/^\/+|\/+$/g, '');
}

/**
 * Lists a folder of a connection and marks the sub-folders that are Delta tables (hold
 * `_delta_log/`), checking at most {@link MAX_TABLE_CHECKS} of them, 8 at a time.
 * @throws store errors of the connection, `CANCELLED`.
 */
export async function browseFolder(conn: RemoteConnectionImpl, place: RemoteBrowsePlace, signal?: AbortSignal): Promise<RemoteListing> {
  const prefix = cleanPrefix(place.prefix);
  const at = (p: string): RemoteBrowsePlace => ({ ...place, prefix: p });
  const page = await conn.listFolder(at(prefix), signal);
  throwIfAborted(signal);
  const isTable = page.folders.some((f) => f.split('/').pop() === '_delta_log');
  const sub = page.folders.filter((f) => f.split('/').pop() !== '_delta_log').sort();
  const flags = await mapLimit(sub.slice(0, MAX_TABLE_CHECKS), 8, (f) => conn.hasObjects(at(`${f}/_delta_log/`), signal));
  return {
    place: { ...place, prefix },
    isTable,
    folders: sub.map((path, i) => ({ path, name: path.split('/').pop()!, isTable: flags[i] ?? false })),
    objectCount: page.objectCount,
    truncated: page.truncated,
  };
}

/** The connection with this id, or an `INVALID_ARGUMENT` error telling the user to connect again. */
export function requireConnection(connections: Map<string, RemoteConnectionImpl>, id: string): RemoteConnectionImpl {
  const c = connections.get(id);
  if (!c) throw new DeltaError('INVALID_ARGUMENT', 'This connection was closed (or the page was reloaded): connect again.');
  return c;
}
