/**
 * While a table loads: the totals its version checksum (`<version>.crc`, protocol "Version Checksum
 * File") gives, shown as soon as the worker has read it, marked as the writer's numbers and as not
 * yet checked. The replay then checks them: a disagreement is a warning on the Overview (see
 * `snapshotFromSegment` and `checksumReport`).
 */
import type { WorkerProgress } from '../../workers/api.ts';
import { formatBytes, formatCount } from '../../explore/format.ts';

export function EarlyTotals({ progress }: { progress: WorkerProgress | null }) {
  const c = progress?.checksum;
  if (!c) return null;
  return (
    <p className="muted" data-testid="early-totals" data-num-files={c.numFiles} data-size-bytes={c.tableSizeBytes}>
      From the version checksum ({c.path.slice(c.path.lastIndexOf('/') + 1)}), version {c.version}: {formatCount(c.numFiles)} files,{' '}
      {formatBytes(c.tableSizeBytes)}
      {c.numDeletionVectors !== undefined && c.numDeletionVectors > 0
        ? `, ${formatCount(c.numDeletionVectors)} deletion vectors (${formatCount(c.numDeletedRecords ?? 0)} rows deleted)`
        : ''}
      {' '}— being checked against the log replay…
    </p>
  );
}
