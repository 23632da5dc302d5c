/**
 * Wire types of the data calls (`sql`, `exportQuery`, `changes`, held results, row diff): requests,
 * result columns, what a call read, and the answers with their Arrow IPC bytes.
 *
 * Part of the worker API (`../api.ts`, which re-exports every name): plain, structured-clone-safe
 * values. Units: sizes in bytes, times in ms since the Unix epoch, durations in ms.
 */
import type { ChangeVersionSummary } from '../../query/changes.ts';

/** Rows a data call sends back when the caller does not say ({@link SqlRequest.maxRows}). */
export const DEFAULT_MAX_ROWS = 1_000;
/** Largest `maxRows` honoured (more rows are counted, not sent). */
export const MAX_RESULT_ROWS = 100_000;

/** Options of {@link ExplorerApi.sql}. */
export interface SqlRequest {
  /** The version the name `t` stands for (default: the latest). `"t@v3"` etc. still work inside the SQL. */
  version?: number;
  /** At most this many rows are sent back (default {@link DEFAULT_MAX_ROWS}, capped at {@link MAX_RESULT_ROWS}). */
  maxRows?: number;
  /**
   * Keep the whole result in the worker for {@link ExplorerApi.resultPage} (sorted, filtered pages),
   * {@link ExplorerApi.resultProfile} and {@link ExplorerApi.resultColumn}; its id is
   * {@link QueryResult.resultId}. Release it with {@link ExplorerApi.releaseResult}.
   */
  hold?: boolean;
}

export type { ColumnProfile, ResultFilter, ResultPage, ResultPageRequest, ResultSort } from '../results.ts';
export type { RowDiffCounts, RowDiffRequest, RowDiffResult } from '../row-diff-call.ts';

/** One column of a result: its name and DuckDB type name (`BIGINT`, `VARCHAR`, `DECIMAL(10,2)`, `STRUCT(...)`...). */
export interface ResultColumn {
  name: string;
  type: string;
}

/**
 * What a data call read, summed over the scans it planned (one per table reference; Change Data
 * Feed reads included). Sizes come from the log.
 */
export interface ReadSummary {
  /** Data files (and change data files) given to DuckDB. */
  filesRead: number;
  /** Active files of the snapshots scanned (plus the change feed's reads), before pruning. */
  totalFiles: number;
  /** Sum of the sizes of the files read: what DuckDB reads at most (it reads only the column chunks it needs). */
  bytesRead: number;
  /** Sum of the sizes of `totalFiles`. */
  totalBytes: number;
  /** Files skipped by partition values, by statistics, by a LIMIT. */
  prunedByPartition: number;
  prunedByStats: number;
  prunedByLimit: number;
  /**
   * Bytes this call copied from storage into the engine. Files are loaded once per session, and
   * DuckDB reads a dropped folder's files itself by range, so this is often 0.
   */
  bytesFetched: number;
}

/** The answer of {@link ExplorerApi.sql}. */
export interface QueryResult {
  /** The version `t` stood for. */
  version: number;
  columns: ResultColumn[];
  /** Rows of the whole result (the worker holds them all while encoding). */
  numRows: number;
  /** True when `numRows` exceeds the rows in `ipc`. */
  truncated: boolean;
  /**
   * The first `maxRows` rows as an Arrow IPC stream (decode with apache-arrow `tableFromIPC`).
   * Its buffer is transferred, not copied. Variant columns arrive as JSON text.
   */
  ipc: Uint8Array;
  plans: ReadSummary;
  /** Time in the query session: planning, reading files, running the query, encoding, ms. */
  durationMs: number;
  /** Time this call spent starting the SQL engine (first data call of the worker only), ms. */
  engineStartMs?: number;
  /** With {@link SqlRequest.hold}: the id of the whole result, held in the worker. */
  resultId?: string;
}

/** The answer of {@link ExplorerApi.exportQuery}: a whole result as a file. */
export interface ExportResult {
  /** The file's bytes (UTF-8 for CSV and JSON Lines); the buffer is transferred. */
  bytes: Uint8Array;
  /** MIME type of the format. */
  mime: string;
  /** A suggested file name, e.g. `my_table_v3.csv`. */
  fileName: string;
  numRows: number;
  durationMs: number;
}

/**
 * The answer of {@link ExplorerApi.changes}: a result shaped as {@link QueryResult} (its columns are
 * the table's plus `_change_type`, `_commit_version`, `_commit_timestamp`; `resultId` with `hold`),
 * for the versions `startVersion`..`endVersion`.
 */
export interface ChangesResult extends Omit<QueryResult, 'version'> {
  startVersion: number;
  endVersion: number;
  /** One entry per commit of the range: files and rows per change type. */
  summary: ChangeVersionSummary[];
}
