/**
 * A partitioned Delta table with real data files for the data-plane benchmark, deterministic:
 * `rows` rows (id, amount, name, qty) partitioned by `category` into `partitions` folders, written
 * by native DuckDB (`@duckdb/node-api`, a dev dependency) as parquet, plus one commit that adds
 * every file with `numRecords` stats.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface DataTableSpec {
  rows: number;
  partitions: number;
}

export const DATA_TABLE_SCHEMA = {
  type: 'struct',
  fields: [
    { name: 'id', type: 'long', nullable: true, metadata: {} },
    { name: 'amount', type: 'double', nullable: true, metadata: {} },
    { name: 'name', type: 'string', nullable: true, metadata: {} },
    { name: 'qty', type: 'integer', nullable: true, metadata: {} },
    { name: 'category', type: 'string', nullable: true, metadata: {} },
  ],
};

/** The part of `@duckdb/node-api` the benchmarks use. */
export interface NativeConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
  closeSync(): void;
}
export interface NativeDuckDb {
  DuckDBInstance: { create(path: string): Promise<{ connect(): Promise<NativeConnection> }> };
}

/** Pinned version of native DuckDB for the data-plane comparison. */
const NATIVE_DUCKDB = '@duckdb/node-api@1.5.6-r.1';

/**
 * Loads `@duckdb/node-api` (native DuckDB), installing it on first use with `npm install --no-save`:
 * it is not a declared dependency because its lock entries name per-platform binaries that not every
 * registry mirror has, which would break `npm ci` for everyone. Returns the reason when unusable.
 */
export async function loadNativeDuckDb(): Promise<{ mod?: NativeDuckDb; reason?: string }> {
  const name = '@duckdb/node-api';
  const root = join(import.meta.dirname, '..', '..');
  try {
    // Install before the first import: a failed resolution would be remembered by this process.
    if (!existsSync(join(root, 'node_modules', '@duckdb', 'node-api', 'package.json'))) {
      const { execFileSync } = await import('node:child_process');
      console.error(`bench: installing ${NATIVE_DUCKDB} (not saved to package.json) for the native comparison…`);
      execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', NATIVE_DUCKDB], { stdio: 'inherit', cwd: root });
    }
    const mod = (await import(/* @vite-ignore */ name)) as NativeDuckDb;
    const db = await mod.DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run('SELECT 1');
    c.closeSync();
    return { mod };
  } catch (e) {
    return { reason: `@duckdb/node-api is not usable here: ${(e as Error).message}` };
  }
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.parquet')) out.push(p);
  }
  return out.sort();
}

export async function generateDataTable(dir: string, spec: DataTableSpec): Promise<void> {
  const { mod, reason } = await loadNativeDuckDb();
  if (!mod) throw new Error(reason);
  const db = await mod.DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const esc = (s: string) => s.replaceAll("'", "''");
  await c.run(
    `COPY (SELECT i::BIGINT AS id, ((i * 7919) % 100000) / 100.0 AS amount, 'name_' || (i % 1000)::VARCHAR AS name, (i % 50)::INTEGER AS qty,
            'c' || lpad((i % ${spec.partitions})::VARCHAR, 3, '0') AS category
          FROM range(${spec.rows}) t(i))
     TO '${esc(dir)}' (FORMAT parquet, PARTITION_BY (category), COMPRESSION snappy, ROW_GROUP_SIZE 122880)`,
  );
  const files = walk(dir);
  const adds: string[] = [];
  for (const f of files) {
    const rel = relative(dir, f).split('\\').join('/');
    const category = decodeURIComponent(rel.split('/')[0].split('=')[1]);
    const r = await c.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM read_parquet('${esc(f)}')`);
    const n = Number(r.getRows()[0][0]);
    adds.push(
      JSON.stringify({ add: { path: rel, partitionValues: { category }, size: statSync(f).size, modificationTime: Date.UTC(2024, 0, 1), dataChange: true, stats: JSON.stringify({ numRecords: n }) } }),
    );
  }
  c.closeSync();
  const log = join(dir, '_delta_log');
  mkdirSync(log, { recursive: true });
  const lines = [
    JSON.stringify({ commitInfo: { timestamp: Date.UTC(2024, 0, 1), operation: 'WRITE', operationParameters: { mode: 'Overwrite' }, engineInfo: 'delta-explorer-bench (DuckDB)' } }),
    JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }),
    JSON.stringify({
      metaData: {
        id: 'b3c0ffee-0000-4000-8000-000000000003',
        name: 'bench_data',
        format: { provider: 'parquet', options: {} },
        schemaString: JSON.stringify(DATA_TABLE_SCHEMA),
        partitionColumns: ['category'],
        configuration: {},
        createdTime: Date.UTC(2024, 0, 1),
      },
    }),
    ...adds,
  ];
  writeFileSync(join(log, '00000000000000000000.json'), lines.join('\n') + '\n');
}
