/**
 * The table's history as one Arrow table, for the result grid of the History view (issue #13 item
 * 2): held in the worker (`workers/results.ts`), so the grid scrolls every retained commit and
 * sorts, filters, profiles and copies them there. One row per commit, newest first; columns with
 * the Delta fields' terms: `version`, `timestamp` (the commit time the protocol defines: in-commit
 * timestamp, else the commit file's time), `timestampSource`, `commitInfo.timestamp` (the writer's
 * clock), `operation`, `operationParameters` and `operationMetrics` (JSON text), `userId`,
 * `userName`, `clusterId`, `readVersion`, `isolationLevel`, `isBlindAppend`, `engineInfo`,
 * `userMetadata`, the commit's action counts (`add`, `remove`, `cdc`), `bytesAdded`,
 * `bytesRemoved`, `commitSizeBytes` and `fileModificationTime`.
 */
import * as arrow from 'apache-arrow';
import type { HistoryEntry } from '../delta/history.ts';

const big = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? null : BigInt(Math.trunc(n)));
const json = (o: Record<string, unknown> | null) => (o && Object.keys(o).length ? JSON.stringify(o) : null);

/** The writer's `commitInfo.timestamp` in ms, when it is a number (or numeric text). */
function writerMs(e: HistoryEntry): number | null {
  const t = (e.commitInfo as { timestamp?: unknown } | null)?.timestamp;
  const n = typeof t === 'number' ? t : typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** The history entries (newest first, as `DeltaTable.history` gives them) as an Arrow table. */
export function historyTable(entries: HistoryEntry[]): arrow.Table {
  const col = <T>(f: (e: HistoryEntry) => T) => entries.map(f);
  // TIMESTAMPTZ (µs, as DuckDB's type) of whole ms: an adjusted file time may carry a fraction of a ms.
  const ms = new arrow.TimestampMicrosecond('UTC');
  const whole = (n: number | null) => (n === null || !Number.isFinite(n) ? null : Math.trunc(n));
  return new arrow.Table({
    version: arrow.vectorFromArray(col((e) => BigInt(e.version)), new arrow.Int64()),
    timestamp: arrow.vectorFromArray(col((e) => whole(e.timestampMs)), ms),
    timestampSource: arrow.vectorFromArray(col((e) => e.timestampSource), new arrow.Utf8()),
    'commitInfo.timestamp': arrow.vectorFromArray(col((e) => whole(writerMs(e))), ms),
    operation: arrow.vectorFromArray(col((e) => e.operation), new arrow.Utf8()),
    operationParameters: arrow.vectorFromArray(col((e) => json(e.operationParameters)), new arrow.Utf8()),
    operationMetrics: arrow.vectorFromArray(col((e) => json(e.operationMetrics)), new arrow.Utf8()),
    userId: arrow.vectorFromArray(col((e) => e.userId), new arrow.Utf8()),
    userName: arrow.vectorFromArray(col((e) => e.userName), new arrow.Utf8()),
    clusterId: arrow.vectorFromArray(col((e) => e.clusterId), new arrow.Utf8()),
    readVersion: arrow.vectorFromArray(col((e) => big(e.readVersion)), new arrow.Int64()),
    isolationLevel: arrow.vectorFromArray(col((e) => e.isolationLevel), new arrow.Utf8()),
    isBlindAppend: arrow.vectorFromArray(col((e) => e.isBlindAppend), new arrow.Bool()),
    engineInfo: arrow.vectorFromArray(col((e) => e.engineInfo), new arrow.Utf8()),
    userMetadata: arrow.vectorFromArray(col((e) => e.userMetadata), new arrow.Utf8()),
    add: arrow.vectorFromArray(col((e) => BigInt(e.actionCounts.add)), new arrow.Int64()),
    remove: arrow.vectorFromArray(col((e) => BigInt(e.actionCounts.remove)), new arrow.Int64()),
    cdc: arrow.vectorFromArray(col((e) => BigInt(e.actionCounts.cdc)), new arrow.Int64()),
    bytesAdded: arrow.vectorFromArray(col((e) => big(e.bytesAdded)), new arrow.Int64()),
    bytesRemoved: arrow.vectorFromArray(col((e) => big(e.bytesRemoved)), new arrow.Int64()),
    commitSizeBytes: arrow.vectorFromArray(col((e) => big(e.commitSizeBytes)), new arrow.Int64()),
    fileModificationTime: arrow.vectorFromArray(col((e) => whole(e.fileModificationTimeMs)), ms),
  });
}
