/**
 * `delta-explorer history`: one row per retained commit, newest first, with the columns of
 * Spark's `DESCRIBE HISTORY`.
 */
import type { HistoryEntry } from '../../delta/index.ts';
import { warnUnsupported, type Command } from '../command.ts';
import { cell, iso, keyValues, renderTable, truncate } from '../render.ts';

/** JSON of one `history` row: the `DESCRIBE HISTORY` columns. */
export interface HistoryRowJson {
  version: number;
  /** Commit timestamp (in-commit timestamp, or the commit file's time made monotonic). */
  timestamp: string | null;
  userId: string | null;
  userName: string | null;
  operation: string | null;
  operationParameters: Record<string, unknown> | null;
  job: unknown;
  notebook: unknown;
  clusterId: string | null;
  readVersion: number | null;
  isolationLevel: string | null;
  isBlindAppend: boolean | null;
  operationMetrics: Record<string, unknown> | null;
  userMetadata: string | null;
  engineInfo: string | null;
}

function historyRow(h: HistoryEntry): HistoryRowJson {
  return {
    version: h.version,
    timestamp: iso(h.timestampMs),
    userId: h.userId,
    userName: h.userName,
    operation: h.operation,
    operationParameters: h.operationParameters,
    job: h.commitInfo?.job ?? null,
    notebook: h.commitInfo?.notebook ?? null,
    clusterId: h.clusterId,
    readVersion: h.readVersion,
    isolationLevel: h.isolationLevel,
    isBlindAppend: h.isBlindAppend,
    operationMetrics: h.operationMetrics,
    userMetadata: h.userMetadata,
    engineInfo: h.engineInfo,
  };
}

export const history: Command = {
  name: 'history',
  summary: 'One row per retained commit, newest first, like DESCRIBE HISTORY',
  description:
    "Prints one row per retained commit, newest first, with the columns of Spark's DESCRIBE HISTORY: version, timestamp, " +
    'userId, userName, operation, operationParameters, job, notebook, clusterId, readVersion, isolationLevel, ' +
    'isBlindAppend, operationMetrics, userMetadata, engineInfo. The human table shows a subset and truncates long values. ' +
    '--limit N keeps the N newest rows.',
  accepts: ['limit'],
  async run(ctx) {
    warnUnsupported(ctx, await ctx.table.latestSnapshot());
    const all = await ctx.table.history();
    const rows = (ctx.options.limit !== undefined ? all.slice(0, ctx.options.limit) : all).map(historyRow);
    return {
      json: rows,
      text: () => {
        const body = rows.map((r) => [
          String(r.version),
          cell(r.timestamp),
          cell(r.operation),
          cell(r.userName ?? r.userId),
          truncate(keyValues(r.operationParameters), 60),
          truncate(keyValues(r.operationMetrics), 60),
          truncate(cell(r.engineInfo), 40),
        ]);
        let text = renderTable(['VERSION', 'TIMESTAMP', 'OPERATION', 'USER', 'PARAMETERS', 'METRICS', 'ENGINE'], body, [true]);
        if (rows.length < all.length) text += `(${rows.length} of ${all.length} versions; use --json for every column)\n`;
        return text;
      },
    };
  },
};
