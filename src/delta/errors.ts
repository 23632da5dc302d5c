/**
 * Typed errors of the protocol core.
 *
 * Every failure the core reports is a {@link DeltaError}: a stable `code` the UI and CLI turn into a
 * sentence and a next step, plus the object path and table version involved when they are known.
 */

/** Stable error codes. Add new codes at the end; the UI maps each one to a message and a next step. */
export type DeltaErrorCode =
  /** The location holds no `_delta_log/` or no commit/checkpoint in it. */
  | 'NOT_A_TABLE'
  /** An object the log refers to (commit, checkpoint part, sidecar, data or DV file) does not exist. */
  | 'FILE_NOT_FOUND'
  /** Commits are not contiguous: a version between the checkpoint and the target is missing. */
  | 'MISSING_COMMIT'
  /** The requested version is not in the retained log (before the earliest or after the latest). */
  | 'VERSION_NOT_FOUND'
  /** A timestamp is before the earliest commit (or after the latest, for exact lookups). */
  | 'TIMESTAMP_OUT_OF_RANGE'
  /** A commit (NDJSON) line cannot be parsed. */
  | 'CORRUPT_COMMIT'
  /** A checkpoint part, sidecar or `_last_checkpoint` cannot be decoded. */
  | 'CORRUPT_CHECKPOINT'
  /** A deletion vector cannot be decoded or its checksum does not match. */
  | 'CORRUPT_DELETION_VECTOR'
  /** The table needs a reader version or reader feature this reader does not implement. */
  | 'UNSUPPORTED_READER_FEATURE'
  /** The log is structurally invalid (no protocol or metaData in the snapshot, bad schema JSON, ...). */
  | 'INVALID_LOG'
  /** The schema string is not a valid Delta schema. */
  | 'INVALID_SCHEMA'
  /** A partition value cannot be parsed as its column's type. */
  | 'INVALID_PARTITION_VALUE'
  /** The storage backend failed (network, permission, CORS, expired URL ...). */
  | 'STORAGE_ERROR'
  /** Access denied by the storage backend (wrong credentials, expired URL, forbidden). */
  | 'ACCESS_DENIED'
  /** The operation was cancelled by the caller (AbortSignal). */
  | 'CANCELLED'
  /** A Change Data Feed range where the feed was not enabled, or an invalid range. */
  | 'CDF_NOT_ENABLED'
  /** Invalid argument from the caller (bad version number, bad range ...). */
  | 'INVALID_ARGUMENT'
  /** A query failed in the data plane. */
  | 'QUERY_ERROR'
  /** A Change Data Feed range spans a schema change the feed cannot be read across. */
  | 'CDF_INCOMPATIBLE_SCHEMA'
  /** The store does not know the access key, or the secret does not match it (S3 `InvalidAccessKeyId`, `SignatureDoesNotMatch`; HTTP 401). */
  | 'WRONG_CREDENTIALS'
  /** The browser blocked a cross-origin request: the server sent no (or no matching) CORS headers. */
  | 'CORS_REFUSED'
  /** A presigned URL, temporary credentials or a share link have expired. */
  | 'EXPIRED'
  /**
   * What the data plane read disagrees with what the log says: a data file's row count differs from
   * `stats.numRecords` (minus its deletion vector's cardinality), a deletion vector names a row the
   * file does not have, or a result is shorter than the rows read. Never shown as a result.
   */
  | 'DATA_INTEGRITY'
  /** A data file needs the fallback decoder (a codec or encoding DuckDB cannot read) but is larger than it can hold in memory. */
  | 'FILE_TOO_LARGE'
  /** The SQL engine crashed (a WebAssembly trap) and was restarted: the query did not complete; run it again. */
  | 'ENGINE_RESTARTED'
  /**
   * A file's checkpoint stats were read before `Snapshot.loadStats` loaded them (a snapshot loaded
   * with `stats: 'lazy'`): a reader bug, raised instead of reading the missing stats as "no stats".
   */
  | 'STATS_NOT_LOADED';

/** Where and why: the extra facts a {@link DeltaError} carries. */
export interface DeltaErrorDetails {
  /** The object involved, relative to the table root where possible (e.g. `_delta_log/00000000000000000003.json`). */
  path?: string;
  /** The table version involved. */
  version?: number;
  /** What the user can do about it, one sentence. */
  hint?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The one error type of the protocol core.
 *
 * `message` is a one-line sentence that already names the file and version; `code`, `path` and
 * `version` are there for programs. Serializable across the worker boundary with {@link toErrorInfo}.
 */
export class DeltaError extends Error {
  readonly code: DeltaErrorCode;
  readonly path?: string;
  readonly version?: number;
  readonly hint?: string;

  constructor(code: DeltaErrorCode, message: string, details: DeltaErrorDetails = {}) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = 'DeltaError';
    this.code = code;
    this.path = details.path;
    this.version = details.version;
    this.hint = details.hint;
  }
}

/** A plain, structured-clone-safe view of an error, as sent from the worker to the UI. */
export interface ErrorInfo {
  code: DeltaErrorCode | 'INTERNAL';
  message: string;
  path?: string;
  version?: number;
  hint?: string;
}

/** Turns any thrown value into an {@link ErrorInfo}; non-Delta errors get code `INTERNAL`. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof DeltaError) {
    return { code: e.code, message: e.message, path: e.path, version: e.version, hint: e.hint };
  }
  if (isAbortError(e)) return { code: 'CANCELLED', message: 'Cancelled.' };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message };
}

/** True for an `AbortError` (from an `AbortSignal`) or a `DeltaError` with code `CANCELLED`. */
export function isAbortError(e: unknown): boolean {
  return (
    (e instanceof DeltaError && e.code === 'CANCELLED') ||
    (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'AbortError')
  );
}

/** Throws a `CANCELLED` {@link DeltaError} when the signal is aborted. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new DeltaError('CANCELLED', 'Cancelled.');
}
