/**
 * The parquet differential matrix, hermetic part (issue 11, item 4): the measured failure classes
 * of DuckDB 0.9.1 (DuckDB-WASM 1.28.0, read on the streaming path exactly as the data plane's
 * `read_parquet`) are still what the footer predicates of parquet-matrix-classes.ts say — every
 * column DuckDB refuses or gets wrong is predicted from the footer alone — and every column of
 * every file is decoded exactly by at least one fallback decoder (parquet-wasm 0.8 or hyparquet
 * 1.33), neither of which ever returns a wrong value. Files: the committed pyarrow / DuckDB 1.4
 * fixtures (test/fixtures/parquet-matrix) and a parquet-wasm subset generated here (cached).
 * The full matrix is `npx tsx test/gen/parquet-matrix-study.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateMatrix } from './parquet-matrix.ts';
import { checkPredictions, externalCells, measureCell, StreamingDuck, type CellResult, type StudyCell } from './parquet-matrix-study.ts';

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

function expectFallbackExact(results: CellResult[]) {
  const bad: string[] = [];
  for (const r of results)
    for (const [n, col] of Object.entries(r.columns)) {
      for (const [reader, o] of [['parquet-wasm', col.parquetWasm], ['hyparquet', col.hyparquet]] as const)
        if (o.kind === 'wrong' || o.kind === 'short') bad.push(`${reader} silently ${o.kind} on ${r.cell.name} ${n}: ${JSON.stringify(o)}`);
      if (col.parquetWasm.kind !== 'exact' && col.hyparquet.kind !== 'exact') bad.push(`no exact decoder for ${r.cell.name} ${n}`);
    }
  expect(bad).toEqual([]);
}

describe('parquet differential matrix', () => {
  it('pyarrow and DuckDB 1.4 fixtures: every DuckDB 0.9.1 failure is predicted by the footer, and a fallback decoder is exact', async () => {
    const cells = externalCells(FIXTURES);
    expect(cells.length).toBeGreaterThanOrEqual(13);
    const results = await measureAll(cells);
    const check = checkPredictions(results);
    expect(check.missed).toEqual([]);
    // the classes are really there (if DuckDB stopped failing, this test says so)
    expect([...observedClasses(results)].sort()).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6']);
    expectFallbackExact(results);
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
    expectFallbackExact(results);
  }, 240_000);
});
