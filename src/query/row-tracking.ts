/**
 * Row tracking in the data plane (delta-io/delta `PROTOCOL.md` "Row Tracking"): the stable Row ID
 * and Row Commit Version of every row, as Spark's `_metadata.row_id` / `_metadata.row_commit_version`.
 *
 * - Row ID: the materialized Row ID (the hidden column named by the table property
 *   `delta.rowTracking.materializedRowIdColumnName`) when the file has that column and the value is
 *   not NULL, else the default generated Row ID `add.baseRowId` + the row's physical index in the
 *   file (DuckDB's `file_row_number`, counted before deletion vectors remove rows).
 * - Row Commit Version: the materialized value (`delta.rowTracking.materializedRowCommitVersionColumnName`)
 *   when present and not NULL, else `add.defaultRowCommitVersion`.
 *
 * Readers may rely on these only when Row Tracking is **enabled** (writer feature `rowTracking` and
 * `delta.enableRowTracking = true`); a table where it is only supported, or an active file without
 * `baseRowId`/`defaultRowCommitVersion`, is refused rather than answered with made-up IDs.
 */
import { DeltaError } from '../delta/errors.ts';
import { effectiveFeatures } from '../delta/features.ts';
import type { Snapshot } from '../delta/snapshot.ts';
import type { PlannedFile } from './scan-plan.ts';

/** Physical names of the hidden materialized columns (absent when the table property is not set). */
export interface RowTrackingColumns {
  /** `delta.rowTracking.materializedRowIdColumnName`. */
  materializedRowId?: string;
  /** `delta.rowTracking.materializedRowCommitVersionColumnName`. */
  materializedRowCommitVersion?: string;
}

/** Table property that enables Row Tracking. */
export const ENABLE_ROW_TRACKING = 'delta.enableRowTracking';

/**
 * The materialized column names of a snapshot whose Row Tracking is enabled.
 * @throws DeltaError `QUERY_ERROR` when the table lacks the `rowTracking` feature or does not
 *   enable it (naming which, and the version).
 */
export function rowTrackingColumns(snapshot: Snapshot): RowTrackingColumns {
  const conf = snapshot.metadata.configuration ?? {};
  const supported = effectiveFeatures(snapshot.protocol).all.includes('rowTracking');
  if (!supported || conf[ENABLE_ROW_TRACKING] !== 'true') {
    throw new DeltaError(
      'QUERY_ERROR',
      supported
        ? `Row tracking is supported but not enabled at version ${snapshot.version} (${ENABLE_ROW_TRACKING} is ${conf[ENABLE_ROW_TRACKING] === undefined ? 'not set' : `'${conf[ENABLE_ROW_TRACKING]}'`}): row IDs and row commit versions cannot be relied upon (PROTOCOL.md "Row Tracking").`
        : `Version ${snapshot.version} of the table has no row tracking (the writer feature rowTracking is not in its protocol), so it has no row IDs or row commit versions.`,
      { version: snapshot.version, hint: 'Query t instead of "t$rows", or enable row tracking on the table (ALTER TABLE … SET TBLPROPERTIES (\'delta.enableRowTracking\' = \'true\') in Spark).' },
    );
  }
  const out: RowTrackingColumns = {};
  const id = conf['delta.rowTracking.materializedRowIdColumnName'];
  const cv = conf['delta.rowTracking.materializedRowCommitVersionColumnName'];
  if (id) out.materializedRowId = id;
  if (cv) out.materializedRowCommitVersion = cv;
  return out;
}

/**
 * Every file of a row-tracking read must carry `baseRowId` and `defaultRowCommitVersion` (writers
 * must set them on all active files once Row Tracking is enabled).
 * @throws DeltaError `DATA_INTEGRITY` naming the first file without them and the version.
 */
export function checkRowTrackingFields(files: PlannedFile[], version: number): void {
  const bad = files.find((f) => f.baseRowId === null || f.defaultRowCommitVersion === null);
  if (!bad) return;
  const missing = [bad.baseRowId === null ? 'baseRowId' : '', bad.defaultRowCommitVersion === null ? 'defaultRowCommitVersion' : ''].filter(Boolean).join(' and ');
  throw new DeltaError('DATA_INTEGRITY', `Data file ${bad.path} of table version ${version} has no ${missing} in its add action, though row tracking is enabled: its row IDs cannot be computed.`, {
    path: bad.path,
    version,
    hint: 'A writer broke the row tracking rules (PROTOCOL.md "Row Tracking"). No row IDs are shown rather than wrong ones; t still reads the rows.',
  });
}
