/**
 * Measurement of the parquet differential matrix (issue 11, item 4): reads every matrix file
 * with DuckDB-WASM 1.28.0 (DuckDB 0.9.1) the way the data plane does — `read_parquet(name,
 * hive_partitioning=false)` over `registerFileBuffer`, through the streaming path
 * (`startPendingQuery` / `pollPendingQuery` / `fetchQueryResults`, which raises engine errors) —
 * and with the two fallback/reference decoders (parquet-wasm 0.8 `readParquet`, hyparquet 1.33 +
 * hyparquet-compressors), and compares every value with the ground truth.
 *
 * Ground truth: the Arrow table the generator wrote (parquet-wasm cells); for the pyarrow and
 * DuckDB-native cells (parquet-matrix-pyarrow.py), the Arrow IPC file the script wrote next to
 * each parquet file from the same in-memory table.
 *
 * Usage:
 *   npx tsx test/gen/parquet-matrix-study.ts [--pw] [--py] [--dir <folder of *.parquet + *.arrow>]
 *        [--only <substring>] [--out <results.json>]
 * Default: --pw --py (the pyarrow/duckdb cells are (re)generated when the peers venv exists).
 * Prints outcome counts and the non-exact cells grouped by footer features; writes every cell's
 * outcome and footer summary to the results JSON.
 */
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { createRequire } from 'node:module';
import { dirname, join, basename } from 'node:path';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { generateMatrix } from './parquet-matrix.ts';
import { footerClasses, readFooter, type ClassHit } from './parquet-matrix-classes.ts';
import { canonColumn, canonJs, compareColumns, EXACT_PARSERS, type ColumnOutcome } from './parquet-matrix-compare.ts';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- DuckDB-WASM, streaming

/** A blocking DuckDB-WASM 1.28 instance in Node with one connection, recreated after a wasm trap. */
export class StreamingDuck {
  private db: any;
  private conn = 0;
  private registered = new Set<string>();
  async open(): Promise<void> {
    const duck = require('@duckdb/duckdb-wasm/blocking');
    const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
    this.db = await duck.createDuckDB(
      { mvp: { mainModule: `${dist}/duckdb-mvp.wasm`, mainWorker: '' }, eh: { mainModule: `${dist}/duckdb-eh.wasm`, mainWorker: '' } },
      new duck.VoidLogger(),
      duck.NODE_RUNTIME,
    );
    await this.db.instantiate(() => {});
    this.db.open({ path: ':memory:', query: { castBigIntToDouble: false } });
    this.conn = this.db.connect().useUnsafe((_b: unknown, id: number) => id);
    this.registered.clear();
  }
  /** Drops the connection and the database (best effort). */
  close(): void {
    try {
      this.db?.disconnect(this.conn);
      this.db?.reset();
    } catch {
      // already gone
    }
    this.db = undefined;
  }
  /** Registers (once) a file buffer under `name`. */
  register(name: string, bytes: Uint8Array): void {
    if (this.registered.has(name)) return;
    this.db.registerFileBuffer(name, bytes.slice());
    this.registered.add(name);
  }
  /** Runs `sql` on the streaming path; engine errors throw. */
  stream(sql: string): arrow.Table {
    let h = this.db.startPendingQuery(this.conn, sql);
    while (h == null) h = this.db.pollPendingQuery(this.conn);
    const chunks: Uint8Array[] = [h.slice()];
    for (;;) {
      const c = this.db.fetchQueryResults(this.conn);
      if (c.length === 0) break;
      chunks.push(c.slice());
    }
    const all = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
    let o = 0;
    for (const c of chunks) all.set(c, o), (o += c.length);
    return arrow.tableFromIPC(all);
  }
  /** Creates table `name` from an Arrow table (`insertArrowFromIPCStream`, as the fallback decoder does). */
  insertArrow(name: string, table: arrow.Table): void {
    this.db.insertArrowFromIPCStream(this.conn, arrow.tableToIPC(table, 'stream'), { name, create: true });
  }
  /** Runs `sql` with `runQuery` (the path that can swallow errors); returns its row count or the error. */
  runQueryRows(sql: string): number | string {
    try {
      return arrow.tableFromIPC(this.db.runQuery(this.conn, sql)).numRows;
    } catch (e) {
      return 'ERR ' + String((e as Error).message).slice(0, 160);
    }
  }
}

// ---------------------------------------------------------------- footer

/** Footer summary of one leaf column (aggregated over row groups). */
export interface LeafFooter {
  path: string;
  physical: string;
  logical?: string;
  codec: string;
  encodings: string[];
  pageTypes: string[];
  /** Page (type:encoding) pairs from encoding_stats. */
  pageEncodings: string[];
  rowGroups: number;
  /** Row groups with num_values 0 or num_rows 0. */
  emptyChunks: number;
  hasStats: boolean;
}

/** Per-leaf footer summary from hyparquet's `parquetMetadata`. */
export function footerSummary(ab: ArrayBuffer): { leaves: LeafFooter[]; createdBy?: string; rowGroups: number; numRows: number } {
  const md = parquetMetadata(ab);
  const leaves = new Map<string, LeafFooter>();
  const schemaByName = new Map<string, any>();
  for (const s of md.schema) schemaByName.set(s.name, s);
  for (const rg of md.row_groups)
    for (const c of rg.columns) {
      const m = c.meta_data!;
      const path = m.path_in_schema.join('.');
      let l = leaves.get(path);
      if (!l) {
        const el = schemaByName.get(m.path_in_schema[m.path_in_schema.length - 1]);
        l = { path, physical: m.type, logical: el?.logical_type?.type ?? el?.converted_type, codec: m.codec, encodings: [], pageTypes: [], pageEncodings: [], rowGroups: 0, emptyChunks: 0, hasStats: false };
        leaves.set(path, l);
      }
      l.rowGroups++;
      if (Number(m.num_values) === 0 || Number(rg.num_rows) === 0) l.emptyChunks++;
      for (const e of m.encodings) if (!l.encodings.includes(e)) l.encodings.push(e);
      for (const s of m.encoding_stats ?? []) {
        if (!l.pageTypes.includes(s.page_type)) l.pageTypes.push(s.page_type);
        const pe = `${s.page_type}:${s.encoding}`;
        if (!l.pageEncodings.includes(pe)) l.pageEncodings.push(pe);
      }
      if (m.statistics && (m.statistics.min_value !== undefined || m.statistics.min !== undefined)) l.hasStats = true;
    }
  return { leaves: [...leaves.values()], createdBy: md.created_by, rowGroups: md.row_groups.length, numRows: Number(md.num_rows) };
}

// ---------------------------------------------------------------- cells

/** A cell to measure: a parquet file, its ground truth and what it varies. */
export interface StudyCell {
  name: string;
  writer: string;
  codec?: string;
  version?: string;
  encoding?: string;
  profile?: string;
  path: string;
  truth: arrow.Table;
}

/** Per-reader outcome of one column. */
export type ReaderOutcome = ColumnOutcome | { kind: 'error'; message: string; runQuery?: number | string };

/** Measurement of one cell. */
export interface CellResult {
  cell: Omit<StudyCell, 'truth' | 'path'>;
  bytes: number;
  footer: ReturnType<typeof footerSummary>;
  /** Outcome per top-level column per reader. */
  columns: Record<string, { duckdb: ReaderOutcome; parquetWasm: ReaderOutcome; hyparquet: ReaderOutcome; arrowIntoDuckdb?: ReaderOutcome }>;
  /** Whole-file DuckDB outcome (SELECT *): error message when it failed. */
  duckdbFileError?: string;
  /** Whether `runQuery` returned the right row count where streaming raised. */
  runQueryOnError?: number | string;
  /** Classes the footer predicts (parquet-matrix-classes.ts, C6 included). */
  predicted: ClassHit[];
  ms: number;
}

/** Loads the pyarrow / DuckDB-native cells from a folder (`cells.json` maps each `<name>.parquet` to its `truth-*.arrow`). */
export function externalCells(dir: string): StudyCell[] {
  if (!existsSync(join(dir, 'cells.json'))) return [];
  const meta: Record<string, any> = JSON.parse(readFileSync(join(dir, 'cells.json'), 'utf8'));
  const truths = new Map<string, arrow.Table>();
  const truth = (f: string) => {
    if (!truths.has(f)) truths.set(f, arrow.tableFromIPC(readFileSync(join(dir, f))));
    return truths.get(f)!;
  };
  return Object.keys(meta)
    .filter((n) => n.endsWith('.parquet') && existsSync(join(dir, n)))
    .sort()
    .map((name) => ({ name, writer: meta[name].writer, codec: meta[name].codec, version: meta[name].version, encoding: meta[name].encoding, profile: meta[name].profile, path: join(dir, name), truth: truth(meta[name].truth) }));
}

const errMsg = (e: unknown) => String((e as Error)?.message ?? e).replace(/\s+/g, ' ').slice(0, 300);

/** Measures one cell with the three readers. */
export async function measureCell(duck: StreamingDuck, cell: StudyCell): Promise<CellResult> {
  const t0 = Date.now();
  const bytes = new Uint8Array(readFileSync(cell.path));
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const footer = footerSummary(ab);
  const names = cell.truth.schema.fields.map((f) => f.name);
  const truth = new Map(names.map((n) => [n, canonColumn(cell.truth.getChild(n)!)]));
  const columns: CellResult['columns'] = {};
  const predicted = footerClasses(readFooter(bytes), { includeNanos: true });
  const res: CellResult = { cell: { name: cell.name, writer: cell.writer, codec: cell.codec, version: cell.version, encoding: cell.encoding, profile: cell.profile }, bytes: bytes.length, footer, columns, predicted, ms: 0 };

  // DuckDB: whole file first; per column when the file errors
  const fname = cell.name;
  duck.register(fname, bytes);
  // PARQUET_MATRIX_DP_FLAGS=1: also ask for filename and file_row_number, as a scan with deletion vectors does
  const extra = process.env.PARQUET_MATRIX_DP_FLAGS ? ', filename=true, file_row_number=true' : '';
  const q = (cols: string) => `SELECT ${cols === '*' ? names.map((n) => `"${n}"`).join(', ') : cols} FROM read_parquet('${fname}', hive_partitioning=false${extra})`;
  const duckOut: Record<string, ReaderOutcome> = {};
  try {
    const t = duck.stream(q('*'));
    for (const n of names) {
      const v = t.getChild(n);
      duckOut[n] = v ? compareColumns(truth.get(n)!, canonColumn(v)) : { kind: 'error', message: 'column missing from result' };
    }
  } catch (e) {
    res.duckdbFileError = errMsg(e);
    res.runQueryOnError = duck.runQueryRows(q('*'));
    for (const n of names) {
      try {
        const t = duck.stream(q(`"${n}"`));
        duckOut[n] = compareColumns(truth.get(n)!, canonColumn(t.getChild(n)!));
      } catch (e2) {
        duckOut[n] = { kind: 'error', message: errMsg(e2), runQuery: duck.runQueryRows(q(`"${n}"`)) };
      }
    }
  }

  // parquet-wasm readParquet
  const pwOut: Record<string, ReaderOutcome> = {};
  try {
    const t = arrow.tableFromIPC(pw.readParquet(bytes).intoIPCStream());
    for (const n of names) {
      const v = t.getChild(n);
      pwOut[n] = v ? compareColumns(truth.get(n)!, canonColumn(v)) : { kind: 'error', message: 'column missing' };
    }
  } catch (e) {
    for (const n of names) pwOut[n] = { kind: 'error', message: errMsg(e) };
  }

  // hyparquet (+ compressors), exact timestamp/date parsers, binary kept as bytes
  const hyOut: Record<string, ReaderOutcome> = {};
  try {
    const rows = (await parquetReadObjects({ file: ab, compressors, parsers: EXACT_PARSERS as any, utf8: false })) as Record<string, unknown>[];
    for (const n of names) {
      const type = cell.truth.schema.fields.find((f) => f.name === n)!.type;
      try {
        hyOut[n] = compareColumns(truth.get(n)!, rows.map((r) => canonJs(r[n], type)));
      } catch (e) {
        hyOut[n] = { kind: 'error', message: errMsg(e) };
      }
    }
  } catch (e) {
    for (const n of names) hyOut[n] = { kind: 'error', message: errMsg(e) };
  }
  // the fallback's second half: the exact table inserted into DuckDB as Arrow and read back (PARQUET_MATRIX_ARROW=1)
  const arrOut: Record<string, ReaderOutcome> = {};
  if (process.env.PARQUET_MATRIX_ARROW) {
    const tname = 'arrow_' + cell.name.replace(/[^A-Za-z0-9]/g, '_');
    try {
      duck.insertArrow(tname, cell.truth);
      const t = duck.stream(`SELECT * FROM ${tname}`);
      for (const n of names) arrOut[n] = t.getChild(n) ? compareColumns(truth.get(n)!, canonColumn(t.getChild(n)!)) : { kind: 'error', message: 'column missing' };
      duck.stream(`DROP TABLE ${tname}`);
    } catch (e) {
      for (const n of names) {
        try {
          duck.stream(`DROP TABLE IF EXISTS ${tname}`);
          duck.insertArrow(tname, cell.truth.select([n]));
          const t = duck.stream(`SELECT * FROM ${tname}`);
          arrOut[n] = compareColumns(truth.get(n)!, canonColumn(t.getChild(n)!));
        } catch (e2) {
          arrOut[n] = { kind: 'error', message: errMsg(e2) };
        }
      }
      duck.stream(`DROP TABLE IF EXISTS ${tname}`);
    }
  }
  for (const n of names) columns[n] = { duckdb: duckOut[n], parquetWasm: pwOut[n], hyparquet: hyOut[n], ...(arrOut[n] ? { arrowIntoDuckdb: arrOut[n] } : {}) };
  res.ms = Date.now() - t0;
  return res;
}

// ---------------------------------------------------------------- main

async function main() {
  const args = process.argv.slice(2);
  const flag = (f: string) => args.includes(f);
  const opt = (f: string) => (args.includes(f) ? args[args.indexOf(f) + 1] : undefined);
  const doPw = flag('--pw') || (!flag('--py') && !opt('--dir'));
  const doPy = flag('--py') || (!flag('--pw') && !opt('--dir'));
  const only = opt('--only');
  const root = join(import.meta.dirname, '..', '..', 'bench', 'generated', 'parquet-matrix');
  mkdirSync(root, { recursive: true });
  const cells: StudyCell[] = [];
  if (doPw) {
    const t0 = Date.now();
    cells.push(...generateMatrix());
    console.error(`parquet-wasm cells: ${cells.length} (${Date.now() - t0} ms)`);
  }
  if (doPy) {
    const py = '/root/.cache/delta-explorer/peers/venv/bin/python';
    const out = join(root, 'py');
    if (existsSync(py)) {
      const t0 = Date.now();
      execFileSync(py, [join(import.meta.dirname, 'parquet-matrix-pyarrow.py'), out], { stdio: ['ignore', 'ignore', 'inherit'] });
      const ext = externalCells(out);
      cells.push(...ext);
      console.error(`pyarrow/duckdb cells: ${ext.length} (${Date.now() - t0} ms)`);
    } else console.error(`no ${py}: pyarrow/duckdb cells skipped`);
  }
  if (opt('--dir')) cells.push(...externalCells(opt('--dir')!));
  const selected = only ? cells.filter((c) => c.name.includes(only)) : cells;

  const duck = new StreamingDuck();
  await duck.open();
  const results: CellResult[] = [];
  const t0 = Date.now();
  for (const [k, c] of selected.entries()) {
    if (k % 50 === 0) console.error(`${k}/${selected.length} ${Math.round((Date.now() - t0) / 1000)} s`);
    try {
      results.push(await measureCell(duck, c));
    } catch (e) {
      console.error(`${c.name}: measurement failed: ${errMsg(e)}; reopening DuckDB`);
      await duck.open();
    }
  }
  console.error(`measured ${results.length} cells in ${Date.now() - t0} ms`);
  const outPath = opt('--out') ?? join(root, 'results.json');
  writeFileSync(outPath, JSON.stringify(results, (_k, v) => (typeof v === 'bigint' ? String(v) : v), 1));

  // summary
  const counts: Record<string, Record<string, number>> = { duckdb: {}, parquetWasm: {}, hyparquet: {}, arrowIntoDuckdb: {} };
  for (const r of results)
    for (const col of Object.values(r.columns))
      for (const [reader, o] of Object.entries(col)) counts[reader][o.kind] = (counts[reader][o.kind] ?? 0) + 1;
  console.log('column-cells per outcome:', JSON.stringify(counts));
  const bad: string[] = [];
  for (const r of results)
    for (const [n, col] of Object.entries(r.columns))
      for (const [reader, o] of Object.entries(col)) {
        if (o.kind === 'exact') continue;
        const leaves = r.footer.leaves.filter((l) => l.path === n || l.path.startsWith(n + '.'));
        const fp = leaves.map((l) => `${l.path}:${l.physical}/${l.logical ?? ''} ${l.codec} [${l.pageEncodings.join(' ')}]`).join('; ');
        const detail = o.kind === 'error' ? o.message : o.kind === 'wrong' ? `row ${o.row}: expected ${o.expected} got ${o.actual} (${o.wrongRows} rows)` : `rows ${o.actualRows}/${o.expectedRows}`;
        bad.push(`${reader}\t${o.kind}\t${r.cell.name}\t${n}\t${fp}\t${detail}`);
      }
  console.log(bad.join('\n'));
  const check = checkPredictions(results);
  console.log('footer predicates vs DuckDB outcomes:', JSON.stringify(check.counts));
  for (const m of check.missed) console.log('MISSED (non-exact, not predicted):', m);
}

/**
 * Compares the footer predictions with DuckDB's outcomes per top-level column: `missed` lists
 * non-exact cells no class predicted (must be empty), counts give exact cells that were
 * predicted anyway (over-routing) per class.
 */
export function checkPredictions(results: CellResult[]): { counts: Record<string, number>; missed: string[] } {
  const counts: Record<string, number> = {};
  const missed: string[] = [];
  const inc = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
  for (const r of results)
    for (const [n, col] of Object.entries(r.columns)) {
      const hits = r.predicted.filter((h) => h.path === n || h.path.startsWith(n + '.'));
      const classes = [...new Set(hits.map((h) => h.cls))].sort().join('+') || 'none';
      const o = col.duckdb.kind;
      inc(`${o}:${classes}`);
      if (o !== 'exact' && classes === 'none') missed.push(`${r.cell.name} ${n} ${JSON.stringify(col.duckdb).slice(0, 200)}`);
    }
  return { counts, missed };
}

if (basename(process.argv[1] ?? '') === basename(import.meta.filename)) await main();
