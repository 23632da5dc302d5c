/** `delta-explorer scan`: the snapshot's rows, with column, row and file pruning (see `data-session.ts`). */
import type { Command } from '../command.ts';
import { exported, FORMAT_NOTE, targetSnapshot, withSession } from './data-session.ts';

export const scan: Command = {
  name: 'scan',
  summary: "The snapshot's rows (CSV, JSON Lines or Parquet), with column, row and file pruning",
  description:
    'Reads the rows of the latest snapshot, or of the one given with --version or --timestamp, deletion vectors applied, ' +
    'partition values from the log, column mapping resolved. --columns keeps (and orders) columns, --where keeps rows ' +
    'matching a SQL predicate over column names (DuckDB syntax; it also skips files by partition values and statistics), ' +
    '--limit N keeps at most N rows. ' +
    FORMAT_NOTE,
  accepts: ['version', 'timestamp', 'columns', 'where', 'limit', 'format', 'output', 'as'],
  json: false,
  async run(ctx) {
    const snap = await targetSnapshot(ctx);
    snap.assertReadable(); // refused tables fail before DuckDB is loaded
    const { columns, where, limit, format } = ctx.options;
    return withSession(ctx, snap, async (q, s) => exported(q, await s.scan({ columns, where, limit }), format));
  },
};
