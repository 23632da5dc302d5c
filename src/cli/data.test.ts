/**
 * The data commands (`scan`, `changes`, `sql`) run for real: `node bin/delta-explorer.mjs ...` as
 * subprocesses on the fixture tables. Expected rows are the upstream expectations already
 * transcribed in `src/query/*.test.ts` (delta-kernel-rs `read/mod.rs`, `dv.rs`, `cdf.rs`; delta-rs
 * python tests), named next to each. Parquet output is read back with DuckDB in this process.
 * Each start loads DuckDB-WASM (~1 s), so the tests run concurrently, a few subprocesses at a time.
 */
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { copyFixture, fixture } from '../../test/fixtures.ts';
import { DeltaError, loadSnapshot } from '../delta/index.ts';
import { planChanges } from '../delta/changes.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { createNodeEngine, type SqlEngine } from '../query/engine.ts';
import { main, type CliIO } from './main.ts';
import { BASIC_CDF, CDF_WITH_DV } from '../../test/expected/kernel-cdf.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join('bin', 'delta-explorer.mjs');
const OUT = mkdtempSync(join(tmpdir(), 'dx-cli-data-'));
const copies: string[] = [];

let enginePromise: Promise<SqlEngine> | undefined;
const engine = () => (enginePromise ??= createNodeEngine());

afterAll(async () => {
  if (enginePromise) await (await enginePromise).close();
  for (const d of [OUT, ...copies]) rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  /** stdout as bytes (Parquet). */
  bytes: Buffer;
  stderr: string;
}

// A few subprocesses at a time: each one compiles DuckDB-WASM, and other test files run alongside.
const MAX_RUNNING = Math.max(2, Math.min(6, availableParallelism()));
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const runs = new Map<string, Promise<Run>>();

/** Runs the CLI with `args` from the repository root (once per distinct argument list). */
function cli(...args: string[]): Promise<Run> {
  const key = JSON.stringify(args);
  let run = runs.get(key);
  if (!run) {
    run = slot(() => spawn(args));
    runs.set(key, run);
  }
  return run;
}

function spawn(args: string[]): Promise<Run> {
  return new Promise((done) => {
    // The timeout turns a process that does not exit (e.g. a DuckDB engine left open) into a failure.
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20, encoding: 'buffer', timeout: 90_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, stdout: stdout.toString('utf8'), bytes: stdout, stderr: stderr.toString('utf8') });
    });
  });
}

/** Runs the CLI, checks success with nothing on stderr, and returns stdout. */
async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  if (r.code !== 0 || r.stderr !== '') throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Asserts a failure: the status, exactly one stderr line, and nothing on stdout. */
function expectFailure(expect: any, r: Run, code: number): string {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(r.stderr.endsWith('\n')).toBe(true);
  return lines[0];
}

/** The CLI's error line for a core error: `error: <message> (<hint>)`. */
function errorLine(e: DeltaError): string {
  return `error: ${e.message}${e.hint ? ` (${e.hint.replace(/\.$/, '')})` : ''}`.replace(/\s*\n\s*/g, ' ');
}

/** CSV text (fields without quotes, as in these tables) → header and data rows. */
function csv(text: string): { header: string[]; rows: string[][] } {
  if (text.includes('"')) throw new Error('quoted CSV field: parse it properly');
  if (!text.endsWith('\n')) throw new Error('CSV output must end with a newline');
  const [head, ...rest] = text.slice(0, -1).split('\n');
  return { header: head.split(','), rows: rest.map((l) => l.split(',')) };
}

/** JSON Lines → objects. */
function jsonl(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

const sortedNums = (xs: unknown[]) => xs.map(Number).sort((a, b) => a - b);
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** Types and rows of a Parquet file, read by DuckDB. */
async function readParquet(bytes: Uint8Array): Promise<{ types: Record<string, string>; rows: Record<string, unknown>[] }> {
  const e = await engine();
  const name = `cli_${Math.random().toString(36).slice(2)}.parquet`;
  await e.registerBuffer(name, bytes);
  try {
    const d = await e.query(`DESCRIBE SELECT * FROM read_parquet('${name}')`);
    const types = Object.fromEntries(d.toArray().map((r) => [r.column_name as string, r.column_type as string]));
    // Values as DuckDB's own text, so the comparison does not depend on Arrow decoding.
    const cols = Object.keys(types).map((c) => `CAST("${c}" AS VARCHAR) AS "${c}"`);
    const rows = (await e.query(`SELECT ${cols.join(', ')} FROM read_parquet('${name}')`)).toArray().map((r) => r.toJSON());
    return { types, rows };
  } finally {
    await e.dropFile(name);
  }
}

// Upstream expectations: delta-kernel-rs kernel/tests/cdf.rs `basic_cdf` and `cdf_with_deletion_vector`
// (test/expected/kernel-cdf.ts), compared without `_commit_timestamp` (kernel projects it out: file
// modification times change with each checkout).
/** The rows of an expectation table (header row dropped), each as its cells joined by spaces, sorted. */
const upstreamRows = (table: string) =>
  table
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .slice(1)
    .map((l) => l.slice(1, -1).split('|').map((c) => c.trim()).join(' '))
    .sort();

// kernel read/mod.rs::data (basic_partitioned): letter, number, a_float; null letter as an empty CSV field.
const BASIC_PARTITIONED = [',6,6.6', 'a,1,1.1', 'a,4,4.4', 'b,2,2.2', 'c,3,3.3', 'e,5,5.5'];

// Generous timeout: every test waits for subprocesses, which crawl when the machine is busy.
describe.concurrent('delta-explorer data commands', { timeout: 600_000 }, () => {
  describe('scan', () => {
    it('table-with-dv-small-kernel: values 1..8 as CSV and as JSON Lines (deletion vector applied)', async ({ expect }) => {
      // delta-kernel-rs features/dv.rs::test_table_scan(with_dv) and read/mod.rs::with_predicate_and_removes: 1..8.
      const dir = fixture('table-with-dv-small-kernel');
      const [text, lines] = await Promise.all([ok('scan', dir), ok('scan', dir, '--format', 'jsonl')]);
      const c = csv(text);
      expect(c.header).toEqual(['value']);
      expect(sortedNums(c.rows.map((r) => r[0]))).toEqual(range(1, 8));
      const objs = jsonl(lines);
      expect(objs.every((o) => Object.keys(o).join() === 'value' && typeof o.value === 'number')).toBe(true);
      expect(sortedNums(objs.map((o) => o.value))).toEqual(range(1, 8));
    });

    it('basic_partitioned: every row, null partition value as an empty field (kernel read/mod.rs::data)', async ({ expect }) => {
      const c = csv(await ok('scan', fixture('basic_partitioned')));
      expect(c.header).toEqual(['letter', 'number', 'a_float']);
      expect(c.rows.map((r) => r.join(',')).sort()).toEqual(BASIC_PARTITIONED);
    });

    it('--columns orders and projects (kernel read/mod.rs::column_ordering_and_projection)', async ({ expect }) => {
      const c = csv(await ok('scan', fixture('basic_partitioned'), '--columns', 'a_float,number'));
      expect(c.header).toEqual(['a_float', 'number']);
      expect(c.rows.map((r) => r.join(',')).sort()).toEqual(['1.1,1', '2.2,2', '3.3,3', '4.4,4', '5.5,5', '6.6,6']);
    });

    it('--where on a partition column and on a data column, with --columns', async ({ expect }) => {
      const dir = fixture('basic_partitioned');
      const [a, gt] = await Promise.all([
        ok('scan', dir, '--where', "letter = 'a'", '--columns', 'number'),
        ok('scan', dir, '--where', 'number > 2 AND a_float < 6', '--columns', 'letter, number'),
      ]);
      expect(csv(a).header).toEqual(['number']);
      expect(sortedNums(csv(a).rows.map((r) => r[0]))).toEqual([1, 4]);
      expect(csv(gt).header).toEqual(['letter', 'number']);
      expect(csv(gt).rows.map((r) => r.join(',')).sort()).toEqual(['a,4', 'c,3', 'e,5']);
    });

    it('--limit keeps at most N rows of the table, also after --where', async ({ expect }) => {
      const dir = fixture('basic_partitioned');
      const [two, zero, whereOne] = await Promise.all([
        ok('scan', dir, '--limit', '2'),
        ok('scan', dir, '--limit', '0'),
        ok('scan', dir, '--where', "letter = 'a'", '--limit', '1', '--format', 'jsonl'),
      ]);
      const rows = csv(two).rows.map((r) => r.join(','));
      expect(rows).toHaveLength(2);
      for (const r of rows) expect(BASIC_PARTITIONED).toContain(r);
      expect(new Set(rows).size).toBe(2);
      expect(zero).toBe('letter,number,a_float\n');
      const one = jsonl(whereOne);
      expect(one).toHaveLength(1);
      expect(one[0].letter).toBe('a');
      expect([1, 4]).toContain(one[0].number);
    });

    it('--version time travel on simple_table (src/query/session.test.ts expectations)', async ({ expect }) => {
      const dir = fixture('simple_table');
      const ids = async (...extra: string[]) => sortedNums(csv(await ok('scan', dir, ...extra)).rows.map((r) => r[0]));
      const [v0, v1, v2, v3, latest] = await Promise.all([ids('--version', '0'), ids('--version', '1'), ids('--version', '2'), ids('--version', '3'), ids()]);
      // v0 and latest: delta-rs test_read_simple_table_update_incremental / test_read_simple_table_to_dict.
      expect(v0).toEqual([0, 1, 2, 3, 4]);
      expect(latest).toEqual([5, 7, 9]);
      // v1..v3: derived by hand from the log (session.test.ts).
      expect(v1).toEqual(range(0, 19));
      expect(v2).toEqual([5, 6, 7, 8, 9]);
      expect(v3).toEqual([5, 7, 9, 106, 108]);
    });

    it('--timestamp reads the version current at that time (commit times from history --json)', async ({ expect }) => {
      const dir = fixture('simple_table');
      const history = JSON.parse(await ok('history', dir, '--json'));
      const ts = (v: number) => history.find((h: any) => h.version === v).timestamp as string;
      const before3 = new Date(Date.parse(ts(3)) - 1).toISOString();
      const [at2, justBefore3] = await Promise.all([ok('scan', dir, '--timestamp', ts(2)), ok('scan', dir, '--timestamp', before3)]);
      expect(sortedNums(csv(at2).rows.map((r) => r[0]))).toEqual([5, 6, 7, 8, 9]);
      expect(sortedNums(csv(justBefore3).rows.map((r) => r[0]))).toEqual([5, 6, 7, 8, 9]);
    });

    it('--output writes the same bytes as stdout, and nothing to stdout', async ({ expect }) => {
      const dir = fixture('table-with-dv-small-kernel');
      const file = join(OUT, 'dv.csv');
      const [toFile, toStdout] = await Promise.all([cli('scan', dir, '--output', file), ok('scan', dir)]);
      expect(toFile.code).toBe(0);
      expect(toFile.stdout).toBe('');
      expect(toFile.stderr).toBe('');
      expect(readFileSync(file, 'utf8')).toBe(toStdout);
    });
  });

  describe('parquet output keeps the Delta types', () => {
    it('basic-decimal-table: DECIMAL(p,s) columns and values (kernel read/mod.rs::basic_decimal)', async ({ expect }) => {
      const file = join(OUT, 'decimal.parquet');
      const r = await cli('scan', fixture('basic-decimal-table'), '--format', 'parquet', '--output', file);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
      const { types, rows } = await readParquet(readFileSync(file));
      expect(types).toEqual({ part: 'DECIMAL(12,5)', col1: 'DECIMAL(5,2)', col2: 'DECIMAL(10,5)', col3: 'DECIMAL(20,10)' });
      expect(rows.map((x) => `${x.part} ${x.col1} ${x.col2} ${x.col3}`).sort()).toEqual(
        [
          '-2342342.23423 -999.99 -99999.99999 -9999999999.9999999999',
          '0.00004 0.00 0.00000 0.0000000000',
          '234.00000 1.00 2.00000 3.0000000000',
          '2342222.23454 111.11 22222.22222 3333333333.3333333333',
        ].sort(),
      );
    });

    it('data-reader-timestamp_ntz: TIMESTAMP (no zone) data and partition columns; the format follows the .parquet extension', async ({ expect }) => {
      const file = join(OUT, 'ntz.parquet');
      const r = await cli('scan', fixture('data-reader-timestamp_ntz'), '-o', file);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
      const { types, rows } = await readParquet(readFileSync(file));
      expect(types).toEqual({ id: 'INTEGER', tsNtz: 'TIMESTAMP', tsNtzPartition: 'TIMESTAMP' });
      // kernel read/mod.rs::timestamp_ntz
      const a = '2021-11-18 02:30:00.123456';
      const b = '2013-07-05 17:01:00.123456';
      expect(rows.map((x) => `${x.id}|${x.tsNtz}|${x.tsNtzPartition}`).sort()).toEqual(
        [`0|${a}|${a}`, `1|${b}|${a}`, `2|null|${a}`, `3|${a}|${b}`, `4|${b}|${b}`, `5|null|${b}`, `6|${a}|null`, `7|${b}|null`, '8|null|null'].sort(),
      );
    });

    it('stats-writing-all-types: TIMESTAMP WITH TIME ZONE, lists, maps and structs stay typed (to a pipe, not a TTY)', async ({ expect }) => {
      const r = await cli('sql', fixture('stats-writing-all-types'), 'SELECT timestamp_col, decimal_col, array_col, map_col, nested_struct FROM t', '--format', 'parquet');
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
      const { types, rows } = await readParquet(r.bytes);
      expect(types.timestamp_col).toBe('TIMESTAMP WITH TIME ZONE');
      expect(types.decimal_col).toMatch(/^DECIMAL\(\d+,2\)$/);
      expect(types.array_col).toBe('INTEGER[]');
      expect(types.map_col).toMatch(/^MAP\(VARCHAR, (INTEGER|BIGINT)\)$/);
      expect(types.nested_struct).toBe('STRUCT(inner_int INTEGER, inner_string VARCHAR, inner_double DOUBLE)');
      expect(rows.length).toBeGreaterThan(0);
    });
  });

  describe('changes', () => {
    const rowsOf = (text: string) => {
      const c = csv(text);
      return { header: c.header, rows: c.rows.map((r) => r.slice(0, -1).join(' ')).sort(), times: c.rows.map((r) => r[r.length - 1]) };
    };

    it('cdf-table-kernel from version 0 equals kernel cdf.rs basic_cdf', async ({ expect }) => {
      const { header, rows, times } = rowsOf(await ok('changes', fixture('cdf-table-kernel'), '--from', '0'));
      expect(header).toEqual(['id', 'name', 'birthday', '_change_type', '_commit_version', '_commit_timestamp']);
      expect(rows).toEqual(upstreamRows(BASIC_CDF));
      for (const t of times) expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    });

    it('cdf-table-with-dv from version 0 equals kernel cdf.rs cdf_with_deletion_vector (JSON Lines)', async ({ expect }) => {
      const objs = jsonl(await ok('changes', fixture('cdf-table-with-dv'), '--from', '0', '--format', 'jsonl'));
      expect(Object.keys(objs[0])).toEqual(['value', '_change_type', '_commit_version', '_commit_timestamp']);
      expect(objs.map((o) => `${o.value} ${o._change_type} ${o._commit_version}`).sort()).toEqual(upstreamRows(CDF_WITH_DV));
    });

    it('--to and timestamp bounds select versions (cdf-table-kernel)', async ({ expect }) => {
      const dir = fixture('cdf-table-kernel');
      const history = JSON.parse(await ok('history', dir, '--json'));
      const ts = (v: number) => history.find((h: any) => h.version === v).timestamp as string;
      const [only0, v1to2, byTime] = await Promise.all([
        ok('changes', dir, '--from', '0', '--to', '0'),
        ok('changes', dir, '--from', '1', '--to', '2'),
        ok('changes', dir, '--from-timestamp', ts(1), '--to-timestamp', ts(2)),
      ]);
      const all = upstreamRows(BASIC_CDF);
      expect(rowsOf(only0).rows).toEqual(all.filter((r) => r.endsWith(' 0')));
      expect(rowsOf(v1to2).rows).toEqual(all.filter((r) => r.endsWith(' 1') || r.endsWith(' 2')));
      expect(byTime).toBe(v1to2);
    });
  });

  describe('sql', () => {
    it('"t$history": simple_table\'s five commits, newest first (session.test.ts)', async ({ expect }) => {
      const c = csv(await ok('sql', fixture('simple_table'), 'SELECT version, operation FROM "t$history"'));
      expect(c.header).toEqual(['version', 'operation']);
      expect(c.rows.map((r) => r.join(' '))).toEqual(['4 DELETE', '3 UPDATE', '2 WRITE', '1 MERGE', '0 WRITE']);
    });

    it('"t@v1" and --version for t (simple_table)', async ({ expect }) => {
      const dir = fixture('simple_table');
      const [v1, t2, diff] = await Promise.all([
        ok('sql', dir, 'SELECT id FROM "t@v1" ORDER BY id', '--format', 'jsonl'),
        ok('sql', dir, 'SELECT id FROM t ORDER BY id', '--version', '2'),
        ok('sql', dir, 'SELECT id FROM "t@v3" EXCEPT SELECT id FROM t ORDER BY id'),
      ]);
      expect(jsonl(v1).map((o) => o.id)).toEqual(range(0, 19));
      expect(csv(t2).rows.map((r) => Number(r[0]))).toEqual([5, 6, 7, 8, 9]);
      expect(diff).toBe('id\n106\n108\n');
    });

    it('table_changes(a, b) and metadata tables of a table whose data cannot be read', async ({ expect }) => {
      const [changes, props] = await Promise.all([
        ok('sql', fixture('cdf-table-kernel'), "SELECT id, _change_type FROM table_changes(3, 3)"),
        ok('sql', fixture('table-with-geo'), `SELECT value FROM "t$properties" WHERE key = 'delta.feature.geospatial'`),
      ]);
      expect(changes).toBe('id,_change_type\n7,delete\n');
      expect(props).toBe('value\nsupported\n');
    });
  });

  describe('errors', () => {
    for (const name of ['simple_table_features', 'table-with-geo']) {
      it(`${name}: scan and sql refused with the core's UNSUPPORTED_READER_FEATURE message`, async ({ expect }) => {
        const snap = await loadSnapshot(new NodeFsStore(fixture(name)), { allowUnsupported: true });
        let err: unknown;
        try {
          snap.assertReadable();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(DeltaError);
        expect((err as DeltaError).code).toBe('UNSUPPORTED_READER_FEATURE');
        const [s, q] = await Promise.all([cli('scan', fixture(name)), cli('sql', fixture(name), 'SELECT count(*) FROM t')]);
        expect(expectFailure(expect, s, 1)).toBe(errorLine(err as DeltaError));
        expect(expectFailure(expect, q, 1)).toBe(errorLine(err as DeltaError));
      });
    }

    it('a missing data file: FILE_NOT_FOUND naming it; other partitions still readable', async ({ expect }) => {
      const dir = copyFixture('basic_partitioned');
      copies.push(dir);
      const snap = await loadSnapshot(new NodeFsStore(dir));
      let victim = '';
      snap.files.forEach((b, r) => {
        const p = decodeURIComponent(b.path[r]);
        if (p.startsWith('letter=b/')) victim = p;
      });
      expect(victim).not.toBe('');
      rmSync(join(dir, victim));
      const [all, a] = await Promise.all([cli('scan', dir), cli('scan', dir, '--where', "letter = 'a'", '--columns', 'number')]);
      const line = expectFailure(expect, all, 1);
      expect(line).toContain(victim);
      expect(line).toMatch(/not found/);
      expect(a.code).toBe(0);
      expect(sortedNums(csv(a.stdout).rows.map((r) => r[0]))).toEqual([1, 4]);
    });

    it('a missing deletion vector file: FILE_NOT_FOUND naming it', async ({ expect }) => {
      const dir = copyFixture('table-with-dv-small-kernel');
      copies.push(dir);
      const dv = 'deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin';
      rmSync(join(dir, dv));
      const line = expectFailure(expect, await cli('scan', dir, '--format', 'jsonl'), 1);
      expect(line).toContain(dv);
    });

    it('bad SQL: QUERY_ERROR as one line, no --output file written', async ({ expect }) => {
      const file = join(OUT, 'never.csv');
      const [syntax, binder, where] = await Promise.all([
        cli('sql', fixture('simple_table'), 'SELEC id FROM t', '--output', file),
        cli('sql', fixture('simple_table'), 'SELECT nope FROM t'),
        cli('scan', fixture('simple_table'), '--where', 'nope > 1'),
      ]);
      expect(expectFailure(expect, syntax, 1)).toMatch(/^error: Parser Error: syntax error at or near "SELEC"$/);
      expect(expectFailure(expect, binder, 1)).toMatch(/^error: Binder Error: .*"nope"/);
      expect(expectFailure(expect, where, 1)).toMatch(/^error: Binder Error: .*"nope"/);
      expect(() => readFileSync(file)).toThrow();
    });

    it("changes on simple_table (CDF never enabled): the core's CDF_NOT_ENABLED message", async ({ expect }) => {
      const err = await planChanges(new NodeFsStore(fixture('simple_table')), { startVersion: 0 }).catch((e) => e);
      expect(err).toBeInstanceOf(DeltaError);
      expect((err as DeltaError).code).toBe('CDF_NOT_ENABLED');
      const line = expectFailure(expect, await cli('changes', fixture('simple_table'), '--from', '0'), 1);
      expect(line).toBe(errorLine(err as DeltaError));
    });

    it('a start version past the latest and an unknown column fail with exit 1', async ({ expect }) => {
      const [late, col] = await Promise.all([
        cli('changes', fixture('cdf-table-kernel'), '--from', '9'),
        cli('scan', fixture('simple_table'), '--columns', 'id,nope'),
      ]);
      expect(expectFailure(expect, late, 1)).toMatch(/9/);
      expect(expectFailure(expect, col, 1)).toMatch(/nope/);
    });

    it('usage errors exit 2', async ({ expect }) => {
      const dir = fixture('simple_table');
      const runs = await Promise.all([
        cli('scan', dir, '--json'),
        cli('scan', dir, '--format', 'xml'),
        cli('scan', dir, '--columns', 'id,'),
        cli('scan', dir, '--from', '1'),
        cli('changes', dir),
        cli('changes', dir, '--from', '2', '--to', '1'),
        cli('changes', dir, '--from', '1', '--from-timestamp', '2024-01-01'),
        cli('changes', dir, '--from-timestamp', 'yesterday'),
        cli('sql', dir),
        cli('sql', dir, ' '),
        cli('sql', dir, 'SELECT 1', 'SELECT 2'),
        cli('sql', dir, 'SELECT 1', '--limit', '3'),
      ]);
      for (const r of runs) expectFailure(expect, r, 2);
      expect(runs[0].stderr).toMatch(/--format jsonl/);
      expect(runs[8].stderr).toMatch(/<query>/);
    });

    it('Parquet to a terminal is refused before anything is read', async ({ expect }) => {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), outBytes: () => void out.push('bytes'), stdoutIsTTY: true };
      const code = await main(['scan', fixture('simple_table'), '--format', 'parquet'], io);
      expect(code).toBe(2);
      expect(out).toEqual([]);
      expect(err.join('')).toMatch(/^error: Parquet is binary .*--output/);
    });
  });

  describe('help', () => {
    it('lists the data commands and documents the SQL table names', async ({ expect }) => {
      const [general, sqlHelp, scanHelp] = await Promise.all([ok('--help'), ok('sql', '--help'), ok('scan', '--help')]);
      for (const c of ['scan', 'changes', 'sql']) expect(general).toContain(`  ${c} `);
      expect(sqlHelp).toMatch(/^Usage: delta-explorer sql <table-path> <query> \[options\]/);
      for (const n of ['"t@v3"', '"t@2024-01-01T00:00:00Z"', '"t$history"', '"t$properties"', '"t$files"', '"t$partitions"', 'table_changes(2, 4)']) expect(sqlHelp).toContain(n);
      expect(sqlHelp).not.toMatch(/--json/);
      expect(scanHelp).toMatch(/--where PREDICATE/);
    });
  });
});
