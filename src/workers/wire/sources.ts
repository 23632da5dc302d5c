/**
 * Wire types of opening tables: what an opened table or folder of tables looks like to the UI, remote
 * locations (never with credentials), S3 / lakeFS connections and their listings, share links.
 *
 * Part of the worker API (`../api.ts`, which re-exports every name): plain, structured-clone-safe
 * values. Units: sizes in bytes, times in ms since the Unix epoch, durations in ms.
 */
import type { S3StoreConfig } from '../../delta/storage/s3.ts';

/** A table the worker has opened and can answer about. */
export interface OpenedTable {
  kind: 'table';
  /** Id to pass to the other calls. */
  tableId: string;
  /** What the user opened: the dropped or picked folder's name, or the last path segment of an opened URL. */
  label: string;
  /**
   * The URL that was opened (the folder's URL when the table is one of several in it), without
   * query string or credentials; absent for a local folder.
   */
  url?: string;
  /**
   * The table root inside what was opened, `/`-separated; `''` when the opened folder is the table.
   * Set when a folder holding one table (or the user's pick among several) was opened.
   */
  root: string;
  /** Id of the opened folder (for {@link ExplorerApi.closeSource}, or to pick another table of it). */
  sourceId: string;
  /** Where a remote table lives (no credentials); absent for a local folder. */
  remote?: RemoteLocation;
  /** The table can be shared by a link: remote tables whose store can presign URLs, or public URLs. */
  shareable?: boolean;
  /**
   * Number of files under the table root (log and data files) of a local folder; for a URL, the
   * number of `_delta_log/` entries listed (or probed) when opening.
   */
  numFiles: number;
  /** True when only a `_delta_log` folder was opened (no data files): metadata views work, data reads cannot. */
  logOnly: boolean;
}

/** A sub-folder that holds a `_delta_log/`, offered when an opened folder holds several tables. */
export interface TableCandidate {
  /** Path of the table root inside the opened folder, `/`-separated, never empty. */
  path: string;
  /** Number of files in its `_delta_log/` (commits, checkpoints, checksums ...). */
  numLogFiles: number;
  /** Highest version named by a commit or checkpoint file, or null when none. */
  latestVersion: number | null;
  /** Whether the log holds at least one checkpoint file. */
  hasCheckpoint: boolean;
}

/** An opened folder that holds several tables: pick one with {@link ExplorerApi.openCandidate}. */
export interface TableCandidates {
  kind: 'candidates';
  /** Id of the opened folder, for {@link ExplorerApi.openCandidate}. */
  sourceId: string;
  label: string;
  /** The folder's URL when it was opened by URL (see {@link OpenedTable.url}). */
  url?: string;
  /** Sorted by path. */
  candidates: TableCandidate[];
}

/**
 * What opening a folder gives: the table, or the tables it holds. A folder with no `_delta_log/`
 * anywhere is an error with code `NOT_A_TABLE`. A folder holding exactly one table in a sub-folder
 * opens that table (`root` says where it is).
 */
export type OpenResult = OpenedTable | TableCandidates;

/**
 * Where a remote table lives, without any credential: enough to show it, to pin it in a share
 * link, and to reconnect (after the user gives credentials again).
 */
export type RemoteLocation =
  | { kind: 'http'; url: string }
  | {
      kind: 's3';
      /** Endpoint of an S3-compatible store (e.g. `http://127.0.0.1:9000`); absent for AWS S3. */
      endpoint?: string;
      region: string;
      bucket: string;
      /** Key prefix of the opened folder, no leading or trailing `/` (`''` for the bucket root). */
      prefix: string;
    }
  | {
      kind: 'lakefs';
      /** The lakeFS server (e.g. `https://lakefs.example.com`), no `/api/v1`. */
      endpoint: string;
      repository: string;
      /** Branch, tag or commit id as the user picked it. */
      ref: string;
      /** The commit id the ref pointed at when opened (share links pin it). */
      commitId?: string;
      /** Path of the opened folder inside the ref, no leading or trailing `/`. */
      path: string;
    }
  | {
      kind: 'share';
      /** When the link's presigned URLs stop working, ms since the epoch. */
      expiresAtMs: number;
      /** Where the shared table lives (no credentials). */
      origin: RemoteLocation;
    };

/**
 * Settings of an S3 or S3-compatible store (fields as {@link S3StoreConfig}: endpoint, region, bucket,
 * prefix, access key id, secret access key, session token). The secret key and session token stay
 * in the worker's memory; they are never put in a URL, a share link, a log line or an error message.
 */
export type S3ConnectionConfig = Omit<S3StoreConfig, 'fetch'>;

/**
 * Settings of a lakeFS server. The secret stays in the worker's memory (an HTTP basic auth header
 * on each API call); it is never put in a URL, a share link, a log line or an error message.
 */
export interface LakeFsConnectionConfig {
  /**
   * The lakeFS server, e.g. `https://lakefs.example.com`, or `/lakefs` (resolved against the app)
   * behind `delta-explorer serve --lakefs`. lakeFS sends no CORS headers: it must be reachable from
   * the app's own origin. A trailing `/api/v1` is dropped.
   */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** A lakeFS repository (`GET /repositories`). */
export interface LakeFsRepositoryInfo {
  id: string;
  defaultBranch: string;
  /** e.g. `s3://bucket/prefix`. */
  storageNamespace: string;
  /** ms since the epoch. */
  createdMs: number;
}

/** A lakeFS branch or tag and the commit it points at. */
export interface LakeFsRefInfo {
  name: string;
  commitId: string;
}

/** A lakeFS commit (`GET /repositories/{repository}/refs/{ref}/commits`). */
export interface LakeFsCommitInfo {
  id: string;
  message: string;
  committer: string;
  /** ms since the epoch. */
  createdMs: number;
  parents: string[];
}

/** The refs of a lakeFS repository: branches, tags and the recent commits of its default branch. */
export interface LakeFsRefs {
  repository: string;
  defaultBranch: string;
  /** Sorted by name (at most 1,000). */
  branches: LakeFsRefInfo[];
  /** Sorted by name (at most 1,000). */
  tags: LakeFsRefInfo[];
  /** The newest commits (at most 50) reachable from the default branch, newest first. */
  commits: LakeFsCommitInfo[];
  /** More branches or tags exist than listed. */
  truncated: boolean;
  /** The repository's storage presigns URLs (data files are then read from the storage directly). */
  presign: boolean;
}

/** A live connection to a remote store (S3 or lakeFS), as the UI sees it: no secrets. */
export interface RemoteConnection {
  connectionId: string;
  kind: 's3' | 'lakefs';
  /** e.g. `s3://bucket/prefix` or `lakefs://endpoint`. */
  label: string;
  /** The endpoint requests go to (AWS S3: the regional endpoint). */
  endpoint: string;
}

/** A place inside a connection: S3 uses `prefix` only; lakeFS also `repository` and `ref`. */
export interface RemoteBrowsePlace {
  repository?: string;
  ref?: string;
  /** Folder path, no leading `/`; `''` for the top. */
  prefix: string;
}

/** One sub-folder of a browsed folder. */
export interface RemoteFolder {
  /** Full path of the folder (relative to the bucket, or to the ref for lakeFS), no trailing `/`. */
  path: string;
  /** Last path segment. */
  name: string;
  /** The folder holds a `_delta_log/` (it is a Delta table root). */
  isTable: boolean;
}

/** The answer of {@link ExplorerApi.browseRemote}. */
export interface RemoteListing {
  place: RemoteBrowsePlace;
  /** The browsed folder itself is a table root. */
  isTable: boolean;
  /** Sub-folders, sorted by name. */
  folders: RemoteFolder[];
  /** Number of plain objects directly in the folder (not listed one by one). */
  objectCount: number;
  /** The store had more entries than were listed (first 1,000 shown). */
  truncated: boolean;
}

/** Options of {@link ExplorerApi.createShareLink}. */
export interface ShareOptions {
  /** The version to share (default: the latest loaded). */
  version?: number;
  /** How long the link works, seconds (1 ... 604,800 = 7 days; S3 caps presigned URLs at 7 days). */
  expiresInSeconds: number;
  /**
   * Where the manifest of presigned URLs goes: in the link's fragment (`'fragment'`, refused when too
   * big), or an object written beside the table (`'object'`, needs write access), or `'auto'`:
   * the fragment when it fits, else an error asking to allow the write.
   */
  storage: 'fragment' | 'object' | 'auto';
}

/** A share link's payload, to put after `#` in the app URL (with the view state in the query string). */
export interface ShareLink {
  /** Fragment text, e.g. `share=<base64url>` or `share-url=<encoded URL>`. */
  fragment: string;
  /** When the link stops working, ms since the epoch. */
  expiresAtMs: number;
  /** Files the manifest names (log and data files). */
  files: number;
  /** Where the manifest is: in the fragment, or in an object beside the table. */
  storage: 'fragment' | 'object';
  /** Length of the fragment in characters. */
  length: number;
}
