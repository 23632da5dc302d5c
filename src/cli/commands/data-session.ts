/**
 * What the data commands of the CLI (`scan`, `changes`, `sql`: one file each beside this one)
 * share. They read rows with the data plane
 * (`src/query`: DuckDB-WASM, Node blocking bundle) and return them exported as CSV, JSON Lines or
 * Parquet (`exportTable`); `../main.ts` writes the bytes to stdout or to the `--output` file.
 *
 * - The engine is created only after the arguments and the snapshot have been checked, and it is
 *   closed (with the query session) before the command returns, success or failure, so the process
 *   exits as soon as its output is written.
 * - Data files reach DuckDB as local paths (`fileAccess: 'direct'`): DuckDB reads only the column
 *   chunks a query needs, and a file missing from the folder fails with `FILE_NOT_FOUND` naming it.
 * - The query module is imported on first use, so the metadata commands never load it.
 */
import type { Snapshot } from '../../delta/index.ts';
import type { ExportFormat } from '../../query/export.ts';
import type { QuerySession } from '../../query/session.ts';
import type { CommandContext, DataResult } from '../command.ts';

/** The data plane, imported on first use. */
export type QueryModule = typeof import('../../query/index.ts');

/** Opens an engine and a session (over `snapshot`, or the latest), runs `fn`, then closes both. */
export async function withSession<T>(ctx: CommandContext, snapshot: Snapshot | undefined, fn: (q: QueryModule, s: QuerySession) => Promise<T>): Promise<T> {
  const q = await import('../../query/index.ts');
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
export async function exported(q: QueryModule, table: import('apache-arrow').Table, format: ExportFormat | undefined): Promise<DataResult> {
  return { bytes: await q.exportTable(table, format ?? 'csv'), rows: table.numRows };
}

/** The snapshot asked for with `--version` / `--timestamp` (latest by default); readable or not. */
export function targetSnapshot(ctx: CommandContext): Promise<Snapshot> {
  return ctx.table.snapshot(ctx.target, { allowUnsupported: true });
}

/** The output formats, for the commands' help. */
export const FORMAT_NOTE =
  'Output: CSV (header row; NULL as an empty field; timestamps ISO-8601, decimals exact, binary base64, nested values as JSON), ' +
  'JSON Lines (one object per row; 64-bit integers and decimals as exact numbers) or Parquet (Delta types kept: ' +
  'decimals, timestamps with and without time zone, structs, lists and maps).';
