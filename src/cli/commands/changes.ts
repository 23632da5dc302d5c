/** `delta-explorer changes`: Change Data Feed rows of a version or time range, like Spark's `table_changes`. */
import type { Command } from '../command.ts';
import { exported, FORMAT_NOTE, withSession } from './data-session.ts';

export const changes: Command = {
  name: 'changes',
  summary: 'Change Data Feed rows of a version or time range, like table_changes',
  description:
    "Reads the Change Data Feed (the table must have delta.enableChangeDataFeed set over the whole range) like Spark's " +
    'table_changes: the columns of the end version, then _change_type (insert, delete, update_preimage, ' +
    'update_postimage), _commit_version and _commit_timestamp, ordered by version. The range starts at --from V or at ' +
    'the first commit at or after --from-timestamp T, and ends at --to V, at the last commit at or before ' +
    '--to-timestamp T, or at the latest version. ' +
    FORMAT_NOTE,
  accepts: ['from', 'to', 'from-timestamp', 'to-timestamp', 'format', 'output', 'as'],
  json: false,
  check(o) {
    if (o.from === undefined && o.fromTimestamp === undefined) return 'The changes command needs a start: --from V or --from-timestamp T.';
    if (o.from !== undefined && o.to !== undefined && o.to < o.from) return `--to ${o.to} is before --from ${o.from}.`;
    return undefined;
  },
  async run(ctx) {
    const { from, to, fromTimestamp, toTimestamp, format } = ctx.options;
    return withSession(ctx, undefined, async (q, s) => exported(q, await s.changes({ from, to, fromTimestamp, toTimestamp }), format));
  },
};
