/**
 * Error codes as the user reads them: a short title, and a next step when the error brings no hint.
 * Partial on purpose: a code added to the core before this table learns it still gets a generic text.
 */
import type { ErrorInfo } from '../workers/api.ts';

const TEXT: Partial<Record<ErrorInfo['code'], { title: string; next: string }>> = {
  NOT_A_TABLE: { title: 'Not a Delta table', next: 'Open the folder that contains the _delta_log folder.' },
  FILE_NOT_FOUND: { title: 'A file is missing', next: 'Open the whole table folder, including _delta_log and the data files.' },
  MISSING_COMMIT: { title: 'The log has a gap', next: 'A commit file is missing; pick a version after the gap, or restore the file.' },
  VERSION_NOT_FOUND: { title: 'Version not available', next: 'Pick a version between the earliest retained one and the latest.' },
  TIMESTAMP_OUT_OF_RANGE: { title: 'Time out of range', next: 'Pick a time within the retained history.' },
  CORRUPT_COMMIT: { title: 'Unreadable commit', next: 'The commit file is damaged; it cannot be read as JSON lines.' },
  CORRUPT_CHECKPOINT: { title: 'Unreadable checkpoint', next: 'The checkpoint is damaged; the table may still open at a version before it.' },
  CORRUPT_DELETION_VECTOR: { title: 'Unreadable deletion vector', next: 'The deletion vector file is damaged or does not match the log.' },
  UNSUPPORTED_READER_FEATURE: { title: 'Unsupported table feature', next: 'This table needs a reader feature Delta Explorer does not implement yet.' },
  INVALID_LOG: { title: 'Invalid log', next: 'The log is incomplete or was not written by a Delta writer.' },
  INVALID_SCHEMA: { title: 'Invalid schema', next: 'The table schema in the log cannot be read.' },
  INVALID_PARTITION_VALUE: { title: 'Invalid partition value', next: 'A partition value does not match its column type.' },
  STORAGE_ERROR: { title: 'Cannot read storage', next: 'Check the connection or the folder, then try again.' },
  ACCESS_DENIED: { title: 'Access denied', next: 'Check the credentials or the link, which may have expired.' },
  CANCELLED: { title: 'Cancelled', next: 'Open the table again when you are ready.' },
  CDF_NOT_ENABLED: { title: 'Change Data Feed not available', next: 'Pick versions where the Change Data Feed was enabled.' },
  INVALID_ARGUMENT: { title: 'Invalid request', next: 'Check the version, time or range you entered.' },
  QUERY_ERROR: { title: 'Query failed', next: 'Check the query text.' },
  CDF_INCOMPATIBLE_SCHEMA: { title: 'Schema changed in the range', next: 'Pick a version range that does not cross the schema change.' },
  WRONG_CREDENTIALS: { title: 'Wrong credentials', next: 'Check the access key id and the secret key, then connect again.' },
  CORS_REFUSED: { title: 'Blocked by CORS', next: "The server must allow this page's origin (Access-Control-Allow-Origin)." },
  EXPIRED: { title: 'Expired', next: 'Ask for a new link, or connect again with fresh credentials.' },
  STATS_NOT_LOADED: { title: 'Stats not loaded yet', next: 'A view read file stats before they were loaded (a bug in Delta Explorer): open the view again, and please report it.' },
  DATA_INTEGRITY: { title: 'Data does not match the log', next: 'No result is shown: the rows read disagree with the Delta log. The file may be damaged or rewritten outside Delta.' },
  FILE_TOO_LARGE: { title: 'File too large to decode here', next: 'The file needs the in-browser fallback decoder but is larger than it can hold; read it with Spark, delta-rs or DuckDB.' },
  ENGINE_RESTARTED: { title: 'SQL engine restarted', next: 'The SQL engine crashed and was restarted; run the query again.' },
  INTERNAL: { title: 'Unexpected error', next: 'This is a bug in Delta Explorer; reloading the page may help.' },
};

/** Title and next step for an error. */
export function describeError(e: ErrorInfo): { title: string; next: string } {
  const t = TEXT[e.code] ?? { title: 'Error', next: 'Try again, or reload the page.' };
  return { title: t.title, next: e.hint ?? t.next };
}
