/**
 * The parquet differential matrix, hermetic part (issue 11, item 4): the measured failure classes
 * of DuckDB 0.9.1 (DuckDB-WASM 1.28.0, read on the streaming path exactly as the data plane's
 * `read_parquet`) are still what the footer predicates of parquet-matrix-classes.ts say — every
 * column DuckDB refuses or gets wrong is predicted from the footer alone — and every column of
 * every file is decoded exactly by at least one fallback decoder (parquet-wasm 0.8 or hyparquet
 * 1.33, the one `preferredFallback` picks); hyparquet never returns a wrong value, parquet-wasm
 * only on INT96 timestamps outside its nanosecond range (F3). Files: the committed pyarrow /
 * DuckDB 1.4 / Spark 4 fixtures (test/fixtures/parquet-matrix) and a parquet-wasm subset
 * generated here (cached under bench/generated).
 * The full matrix is `npx tsx test/gen/parquet-matrix-study.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateMatrix } from './parquet-matrix.ts';
import { checkPredictions, externalCells, measureCell, StreamingDuck, type CellResult, type StudyCell } from './parquet-matrix-study.ts';
import { preferredFallback, readFooter } from './parquet-matrix-classes.ts';
import { readFileSync } from 'node:fs';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'parquet-matrix');
let duck: StreamingDuck;

beforeAll(async () => {
  duck = new StreamingDuck();
  await duck.open();
}, 60_000);
afterAll(() => duck?.close());

async function measureAll(cells: StudyCell[]): Promise<CellResult[]> {
  const out: CellResult[] = [];
  for (const c of cells) out.push(await measureCell(duck, c));
  return out;
}

/** Classes of the columns DuckDB did not read exactly (a codec error is C1 alone; otherwise the other predicted classes). */
function observedClasses(results: CellResult[]): Set<string> {
  const seen = new Set<string>();
  for (const r of results)
    for (const [n, col] of Object.entries(r.columns)) {
      const o = col.duckdb;
      if (o.kind === 'exact') continue;
      if (o.kind === 'error' && /compression codec/.test(o.message)) seen.add('C1');
      else for (const h of r.predicted) if (h.cls !== 'C1' && (h.path === n || h.path.startsWith(n + '.'))) seen.add(h.cls);
    }
  return seen;
}

/**
 * hyparquet is never wrong; parquet-wasm is wrong only on INT96 columns (F3: values outside the
 * int64-nanosecond range wrap) — returned so a test can require it; every file a footer class
 * routes is decoded exactly by its preferred fallback decoder.
 */
function expectFallbacks(results: CellResult[], paths: Map<string, string>): string[] {
  const bad: string[] = [];
  const pwWrongInt96: string[] = [];
  for (const r of results) {
    const int96 = new Set(r.footer.leaves.filter((l) => l.physical === 'INT96').map((l) => l.path.split('.')[0]));
    const routed = r.predicted.some((h) => h.cls !== 'C6');
    const pref = preferredFallback(readFooter(new Uint8Array(readFileSync(paths.get(r.cell.name)!)))).decoder;
    for (const [n, col] of Object.entries(r.columns)) {
      if (col.hyparquet.kind === 'wrong' || col.hyparquet.kind === 'short') bad.push(`hyparquet silently ${col.hyparquet.kind} on ${r.cell.name} ${n}`);
      if (col.parquetWasm.kind === 'wrong' || col.parquetWasm.kind === 'short') {
        if (int96.has(n)) pwWrongInt96.push(`${r.cell.name} ${n}`);
        else bad.push(`parquet-wasm silently ${col.parquetWasm.kind} on ${r.cell.name} ${n}`);
      }
      const o = pref === 'hyparquet' ? col.hyparquet : col.parquetWasm;
      if (routed && o.kind !== 'exact') bad.push(`preferred fallback ${pref} not exact on routed ${r.cell.name} ${n}: ${JSON.stringify(o).slice(0, 120)}`);
    }
  }
  expect(bad).toEqual([]);
  return pwWrongInt96;
}

describe('parquet differential matrix', () => {
  it('pyarrow, DuckDB 1.4 and Spark 4 fixtures: every DuckDB 0.9.1 failure is predicted by the footer, and the preferred fallback decoder is exact', async () => {
    const cells = externalCells(FIXTURES);
    expect(cells.length).toBeGreaterThanOrEqual(16);
    const results = await measureAll(cells);
    const check = checkPredictions(results);
    expect(check.missed).toEqual([]);
    // the classes are really there (if DuckDB stopped failing, this test says so)
    expect([...observedClasses(results)].sort()).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']);
    const pwInt96 = expectFallbacks(results, new Map(cells.map((c) => [c.name, c.path])));
    expect(pwInt96.length).toBeGreaterThan(0); // F3 is real: parquet-wasm alone is not a safe fallback
    // F1 / F2: each fallback decoder fails loudly somewhere, so neither alone is enough
    const pwErr = results.filter((r) => Object.values(r.columns).some((c) => c.parquetWasm.kind === 'error')).map((r) => r.cell.name);
    const hyErr = results.filter((r) => Object.values(r.columns).some((c) => c.hyparquet.kind === 'error')).map((r) => r.cell.name);
    expect(pwErr.every((n) => n.startsWith('duck-') && n.includes('-V2-'))).toBe(true);
    expect(hyErr.every((n) => n.includes('LZ4'))).toBe(true);
  }, 240_000);

  it('parquet-wasm writer (ZSTD and LZ4_RAW × V1/V2 × every encoding, extreme values): same', async () => {
    const cells = generateMatrix({ scale: 0.1, codecs: ['ZSTD', 'LZ4_RAW'], profiles: ['extremes'] });
    expect(cells.length).toBe(28);
    const results = await measureAll(cells);
    expect(checkPredictions(results).missed).toEqual([]);
    expect([...observedClasses(results)].sort()).toEqual(['C1', 'C2', 'C3', 'C4', 'C6']);
    expect(expectFallbacks(results, new Map(cells.map((c) => [c.name, c.path])))).toEqual([]);
  }, 240_000);
});
