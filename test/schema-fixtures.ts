/**
 * Reading the fixture tables' logs by hand for the schema tests (`src/delta/schema.test.ts`,
 * `src/delta/schema/partition-values.test.ts`): JSON commits, classic checkpoints read with
 * parquet-wasm, the latest `metaData`. Independent of `src/delta`'s log replay.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { DeltaError } from '../src/delta/errors.ts';
import { parquetWasm } from '../src/delta/parquet.ts';
import { parseSchema, type StructField, type StructType } from '../src/delta/schema.ts';

export const TABLES = join(import.meta.dirname, 'fixtures/tables');
const COMMIT_RE = /^(\d{20})\.json$/;
const CLASSIC_CHECKPOINT_RE = /^(\d{20})\.checkpoint(\.\d{10}\.\d{10})?\.parquet$/;

export interface RawMetadata {
  schemaString?: string;
  partitionColumns?: string[];
  configuration?: Record<string, string>;
}

export interface RawAction {
  metaData?: RawMetadata;
  add?: { partitionValues?: Record<string, string | null> };
  remove?: { partitionValues?: Record<string, string | null> };
  cdc?: { partitionValues?: Record<string, string | null> };
  domainMetadata?: { domain: string; configuration: string; removed: boolean };
}

export function tableNames(): string[] {
  return readdirSync(TABLES).sort();
}

export function logDir(table: string): string {
  return join(TABLES, table, '_delta_log');
}

/** JSON commits of a table in version order, each as its list of actions. */
export function commits(table: string): { version: number; file: string; actions: RawAction[] }[] {
  return readdirSync(logDir(table))
    .filter((f) => COMMIT_RE.test(f))
    .sort()
    .map((file) => ({
      version: Number(COMMIT_RE.exec(file)![1]),
      file: `_delta_log/${file}`,
      actions: readFileSync(join(logDir(table), file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as RawAction),
    }));
}

/** Arrow values (structs, maps) to plain JS. */
export function plain(v: unknown): unknown {
  if (v === null || v === undefined) return v;
  if (typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return plain((v as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** The `metaData` and `add` rows of a classic checkpoint (single or multi-part) read with parquet-wasm. */
export async function readCheckpoint(table: string, file: string): Promise<RawAction[]> {
  const wasm = await parquetWasm();
  const bytes = new Uint8Array(readFileSync(join(logDir(table), file)));
  const t = tableFromIPC(wasm.readParquet(bytes, { columns: ['metaData', 'add'] }).intoIPCStream());
  const out: RawAction[] = [];
  for (const row of t) {
    const r = plain(row) as RawAction;
    if (r.metaData) out.push({ metaData: r.metaData });
    if (r.add) out.push({ add: r.add });
  }
  return out;
}

export function classicCheckpoints(table: string): { version: number; file: string }[] {
  return readdirSync(logDir(table))
    .filter((f) => CLASSIC_CHECKPOINT_RE.test(f))
    .sort()
    .map((file) => ({ version: Number(CLASSIC_CHECKPOINT_RE.exec(file)![1]), file }));
}

/** The latest metaData of a table: from its JSON commits, else from its newest classic checkpoint. */
export async function latestMetadata(table: string): Promise<{ meta: RawMetadata; source: string } | undefined> {
  let found: { meta: RawMetadata; source: string } | undefined;
  for (const c of commits(table)) {
    for (const a of c.actions) if (a.metaData?.schemaString) found = { meta: a.metaData, source: c.file };
  }
  if (found) return found;
  const cps = classicCheckpoints(table);
  for (const cp of cps.reverse()) {
    const meta = (await readCheckpoint(table, cp.file)).find((a) => a.metaData?.schemaString)?.metaData;
    if (meta) return { meta, source: `_delta_log/${cp.file}` };
  }
  return undefined;
}

export async function schemaOf(table: string): Promise<{ schema: StructType; meta: RawMetadata }> {
  const m = await latestMetadata(table);
  if (!m) throw new Error(`no metaData in ${table}`);
  return { schema: parseSchema(m.meta.schemaString!, { path: m.source }), meta: m.meta };
}

export function field(schema: StructType, name: string): StructField {
  const f = schema.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
}

export function catchError(fn: () => unknown): DeltaError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DeltaError) return e;
    throw e;
  }
  throw new Error('expected a DeltaError');
}

// -------------------------------------------------------------------------------------------------
// parseSchema over every fixture
// -------------------------------------------------------------------------------------------------
