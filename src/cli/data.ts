/**
 * The data commands of the CLI: `scan`, `changes` and `sql`. They read rows with the data plane
 * (`src/query`: DuckDB-WASM, Node blocking bundle) and return them exported as CSV, JSON Lines or
 * Parquet (`exportTable`); `main.ts` writes the bytes to stdout or to the `--output` file.
 *
 * - The engine is created only after the arguments and the snapshot have been checked, and it is
 *   closed (with the query session) before the command returns, success or failure, so the process
 *   exits as soon as its output is written.
 * - Data files reach DuckDB as local paths (`fileAccess: 'direct'`): DuckDB reads only the column
 *   chunks a query needs, and a file missing from the folder fails with `FILE_NOT_FOUND` naming it.
 * - The query module is imported on first use, so the metadata commands never load it.
 */
import type { Snapshot } from '../delta/index.ts';
import type { ExportFormat } from '../query/export.ts';
import type { QuerySession } from '../query/session.ts';
import type { Command, CommandContext, DataResult } from './main.ts';

type QueryModule = typeof import('../query/index.ts');

/** Opens an engine and a session (over `snapshot`, or the latest), runs `fn`, then closes both. */
async function withSession<T>(ctx: CommandContext, snapshot: Snapshot | undefined, fn: (q: QueryModule, s: QuerySession) => Promise<T>): Promise<T> {
  const q = await import('../query/index.ts');
  const engine = await q.createNodeEngine();
  try {
    const session = await q.QuerySession.open(ctx.table, { engine, fileAccess: 'direct', ...(snapshot ? { snapshot } : {}) });
    try {
      return await fn(q, session);
    } finally {
      await session.close();
    }
  } finally {
    await engine.close();
  }
}

/** The rows in the chosen format. */
async function exported(q: QueryModule, table: import('apache-arrow').Table, format: ExportFormat | undefined): Promise<DataResult> {
  return { bytes: await q.exportTable(table, format ?? 'csv'), rows: table.numRows };
}

/** The snapshot asked for with `--version` / `--timestamp` (latest by default); readable or not. */
function targetSnapshot(ctx: CommandContext): Promise<Snapshot> {
  return ctx.table.snapshot(ctx.target, { allowUnsupported: true });
}

const FORMAT_NOTE =
  'Output: CSV (header row; NULL as an empty field; timestamps ISO-8601, decimals exact, binary base64, nested values as JSON), ' +
  'JSON Lines (one object per row; 64-bit integers and decimals as exact numbers) or Parquet (Delta types kept: ' +
  'decimals, timestamps with and without time zone, structs, lists and maps).';

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
    '  table_changes(2, 4)       Change Data Feed rows of versions 2..4 (table_changes(2): 2..latest;\n' +
    "                            times as strings: table_changes('2024-01-01', '2024-02-01'))\n" +
    'Quote names holding @ or $ with double quotes (in a shell, inside single quotes). A query of the shape ' +
    'SELECT ... FROM t [WHERE ...] [LIMIT n] reads only the files it needs. Metadata tables also work on tables whose ' +
    'data cannot be read. ' +
    FORMAT_NOTE,
  accepts: ['version', 'timestamp', 'format', 'output'],
  args: ['query'],
  json: false,
  async run(ctx) {
    const snap = await targetSnapshot(ctx);
    return withSession(ctx, snap, async (q, s) => exported(q, await s.sql(ctx.args[0]), ctx.options.format));
  },
};
