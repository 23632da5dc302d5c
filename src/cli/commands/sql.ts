/** `delta-explorer sql`: one DuckDB query in which the table is named `t` (and `t@v3`, `t$files`, `table_changes(...)`...). */
import type { Command } from '../command.ts';
import { exported, FORMAT_NOTE, targetSnapshot, withSession } from './data-session.ts';

export const sql: Command = {
  name: 'sql',
  summary: 'Runs a DuckDB SQL query in which the table is named t',
  description:
    'Runs one query (DuckDB dialect; several statements: the result of the last) and writes its result. Table names:\n' +
    '  t                         the latest snapshot (or the one given with --version / --timestamp)\n' +
    '  "t@v3"                    version 3\n' +
    '  "t@2024-01-01T00:00:00Z"  the version current at that time (no zone = UTC)\n' +
    '  "t$history"               one row per commit, newest first (Trino\'s Delta connector columns)\n' +
    '  "t$properties"            key, value: table properties, protocol versions and features\n' +
    '  "t$files"                 one row per active file, with partition values and statistics\n' +
    '  "t$partitions"            one row per partition: file_count, total_size_bytes, record_count\n' +
    '  "t@v3$files" etc.         the metadata tables of another version\n' +
    '  "t$rows", "t@v3$rows"     the rows plus _metadata (row_id, row_commit_version, row_index) where\n' +
    '                            row tracking is enabled\n' +
    '  table_changes(2, 4)       Change Data Feed rows of versions 2..4 (table_changes(2): 2..latest;\n' +
    "                            times as strings: table_changes('2024-01-01', '2024-02-01'))\n" +
    'Quote names holding @ or $ with double quotes (in a shell, inside single quotes). A query of the shape ' +
    'SELECT ... FROM t (or "t$rows") [WHERE ...] [LIMIT n] reads only the files it needs; with --as it is printed as ' +
    'code for another engine instead (row IDs: Spark only). Metadata tables also work on tables whose ' +
    'data cannot be read. ' +
    FORMAT_NOTE,
  accepts: ['version', 'timestamp', 'format', 'output', 'as'],
  args: ['query'],
  json: false,
  async run(ctx) {
    const snap = await targetSnapshot(ctx);
    return withSession(ctx, snap, async (q, s) => exported(q, await s.sql(ctx.args[0]), ctx.options.format));
  },
};
