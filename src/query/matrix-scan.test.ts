/**
 * The parquet differential matrix through the whole data plane (issue #11 item 4): every file of
 * the matrix — pyarrow, DuckDB 1.4 and Spark 4 files committed as fixtures, and parquet-wasm files
 * generated here — wrapped as a Delta table (`test/gen/delta-wrap.ts`) and read with
 * `SELECT * FROM t` (footer check, decoder routing, fallback decoding, count invariant), compared
 * value by value with the table that was written (the `.arrow` ground truth).
 *
 * Delta types are microsecond timestamps (PROTOCOL.md "Primitive Types"), so nanosecond and INT96
 * values are compared truncated to microseconds; columns with no Delta type (unsigned 64-bit
 * integers) are left out of the table's schema.
 */
import * as arrow from 'apache-arrow';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable } from '../delta/table.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { testEngine } from '../../test/query-helpers.ts';
import { deltaType, writeDeltaTable } from '../../test/gen/delta-wrap.ts';
import { canonColumn, compareColumns } from '../../test/gen/parquet-matrix-compare.ts';
import { generateMatrix } from '../../test/gen/parquet-matrix.ts';
import { QuerySession } from './session.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'parquet-matrix');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});


function usable(f: arrow.Field): boolean {
  try {
    deltaType(f.type);
  } catch {
    return false;
  }
  return !JSON.stringify(f.type.toString()).includes('Uint');
}

/** Truth column canonical strings, timestamps truncated to microseconds (either toward zero or floor). */
function truthStrings(v: arrow.Vector): { trunc: string[]; floor: string[] } {
  const raw = canonColumn(v);
  const t = v.type;
  if (!arrow.DataType.isTimestamp(t) || t.unit !== arrow.TimeUnit.NANOSECOND) return { trunc: raw, floor: raw };
  const cut = (s: string, mode: 'trunc' | 'floor') => {
    if (s === 'null') return s;
    const ns = BigInt(s);
    let us = ns / 1000n;
    if (mode === 'floor' && ns < 0n && ns % 1000n !== 0n) us -= 1n;
    return String(us * 1000n);
  };
  return { trunc: raw.map((s) => cut(s, 'trunc')), floor: raw.map((s) => cut(s, 'floor')) };
}

async function readThroughDelta(name: string, bytes: Uint8Array, truth: arrow.Table): Promise<{ table?: arrow.Table; error?: unknown; cols: string[] }> {
  const fields = truth.schema.fields.filter(usable);
  const dir = mkdtempSync(join(tmpdir(), 'dx-matrix-'));
  dirs.push(dir);
  writeDeltaTable(dir, new arrow.Schema(fields), [{ name, bytes, rows: truth.numRows }]);
  const s = await QuerySession.open(new DeltaTable(new NodeFsStore(dir)), { engine: await testEngine() });
  try {
    return { table: await s.sql(`SELECT ${fields.map((f) => `"${f.name}"`).join(', ')} FROM t`), cols: fields.map((f) => f.name) };
  } catch (error) {
    return { error, cols: [] };
  } finally {
    await s.close();
  }
}

function diffs(name: string, truth: arrow.Table, got: arrow.Table, cols: string[]): string[] {
  const out: string[] = [];
  expect(got.numRows, name).toBe(truth.numRows);
  for (const c of cols) {
    const expected = truthStrings(truth.getChild(c)!);
    const actual = canonColumn(got.getChild(c)!);
    const a = compareColumns(expected.trunc, actual);
    if (a.kind === 'exact' || compareColumns(expected.floor, actual).kind === 'exact') continue;
    out.push(`${name} ${c}: ${JSON.stringify(a)}`);
  }
  return out;
}

describe('differential matrix through the Delta data plane: every cell exact', () => {
  it('pyarrow, DuckDB 1.4 and Spark 4 files (every failure class of DuckDB 0.9.1)', async () => {
    const cells = JSON.parse(readFileSync(join(FIXTURES, 'cells.json'), 'utf8')) as Record<string, { truth: string }>;
    const bad: string[] = [];
    let checked = 0;
    for (const [file, cell] of Object.entries(cells)) {
      const truth = arrow.tableFromIPC(readFileSync(join(FIXTURES, cell.truth)));
      const r = await readThroughDelta(file, new Uint8Array(readFileSync(join(FIXTURES, file))), truth);
      if (r.error) {
        bad.push(`${file}: ${String((r.error as Error).message).slice(0, 200)}`);
        continue;
      }
      bad.push(...diffs(file, truth, r.table!, r.cols));
      checked++;
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(14);
  }, 300_000);

  it('parquet-wasm writer: ZSTD, LZ4_RAW and BROTLI × V1/V2 × every encoding, extreme and random values', async () => {
    const cells = generateMatrix({ scale: 0.1, codecs: ['ZSTD', 'LZ4_RAW', 'BROTLI'], profiles: ['extremes', 'random'] });
    expect(cells.length).toBeGreaterThanOrEqual(56);
    const bad: string[] = [];
    for (const c of cells) {
      const truth = c.truth;
      const r = await readThroughDelta(c.name, new Uint8Array(readFileSync(c.path)), truth);
      if (r.error) bad.push(`${c.name}: ${String((r.error as Error).message).slice(0, 200)}`);
      else bad.push(...diffs(c.name, truth, r.table!, r.cols));
    }
    expect(bad).toEqual([]);
  }, 300_000);
});
