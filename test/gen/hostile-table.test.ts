/**
 * The checked-in hostile table (test/fixtures/tables-generated/hostile/) is what its generator
 * writes, and the protocol core and the data plane read its payloads back verbatim: as column
 * names, comments, partition values, values, properties, commitInfo fields, and in CSV / JSON
 * Lines exports. The browser side is e2e/hostile.spec.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DeltaTable } from '../../src/delta/table.ts';
import { NodeFsStore } from '../../src/delta/storage/node-fs.ts';
import { QuerySession } from '../../src/query/session.ts';
import { exportTable } from '../../src/query/export.ts';
import { testEngine } from '../query-helpers.ts';
import { COLUMNS, FILES, HOSTILE_DIR, PAYLOADS, generateHostileTable } from './hostile-table.ts';

afterAll(async () => (await testEngine()).close());

const ALL = Object.values(PAYLOADS);

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('hostile table', () => {
  it('the checked-in copy is exactly what the generator writes', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'dx-hostile-'));
    try {
      await generateHostileTable(join(tmp, 'hostile'));
      const mine = files(join(tmp, 'hostile'));
      expect(files(HOSTILE_DIR)).toEqual(mine);
      for (const f of mine) expect(readFileSync(join(HOSTILE_DIR, f)).equals(readFileSync(join(tmp, 'hostile', f))), f).toBe(true);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it('the protocol core reads every payload back as it was written', async () => {
    const t = new DeltaTable(new NodeFsStore(HOSTILE_DIR));
    const s = await t.snapshot();
    expect(s.version).toBe(3);
    expect(s.columnMappingMode).toBe('name');
    expect(s.metadata.name).toBe(PAYLOADS.img);
    expect(s.metadata.description).toBe(`${PAYLOADS.svg} ${PAYLOADS.img}`);
    expect(s.properties[PAYLOADS.svg]).toBe(PAYLOADS.js);
    expect(s.properties[PAYLOADS.script]).toBe(PAYLOADS.svg);
    expect(s.schema.fields.map((f) => f.name)).toEqual([COLUMNS.id.logical, PAYLOADS.img, 'note', PAYLOADS.svg, 'details']);
    expect(s.files.length).toBe(2); // three written, one removed by the DELETE
    const parts = Array.from({ length: s.files.length }, (_, i) => s.partitionValues(i)[PAYLOADS.svg]).sort();
    expect(parts).toEqual([FILES[1].partition, FILES[2].partition].sort());
    expect([...s.txns.keys()]).toEqual([PAYLOADS.img]);
    const h = await t.history();
    expect(h.map((e) => e.operation)).toEqual(['DELETE', 'SET TBLPROPERTIES', PAYLOADS.img, 'WRITE']);
    expect(h.every((e) => e.userName === PAYLOADS.img && e.engineInfo === PAYLOADS.script)).toBe(true);
    expect(h[0].commitInfo!.hostileCustomField).toBe(PAYLOADS.svg);
  });

  it('SELECT * and the CSV / JSON Lines exports carry the payloads as text', async () => {
    const s = await QuerySession.open(new DeltaTable(new NodeFsStore(HOSTILE_DIR)), { engine: await testEngine() });
    try {
      const result = await s.sql('SELECT * FROM t ORDER BY id');
      expect(result.schema.fields.map((f) => f.name)).toEqual([COLUMNS.id.logical, PAYLOADS.img, 'note', PAYLOADS.svg, 'details']);
      const rows = result.toArray().map((r) => r.toJSON());
      // rows 3, 4 (FILES[1]) and 5 (FILES[2]); FILES[0] was removed
      expect(rows.map((r) => Number(r.id))).toEqual([3, 4, 5]);
      expect(rows[0][PAYLOADS.img]).toBe(PAYLOADS.script);
      expect(rows[0][PAYLOADS.svg]).toBe(FILES[1].partition);
      expect(rows[2][PAYLOADS.svg]).toBe(FILES[2].partition);

      const jsonl = new TextDecoder().decode(await exportTable(result, 'jsonl'));
      const parsed = jsonl.trim().split('\n').map((l) => JSON.parse(l));
      expect(parsed[0][PAYLOADS.img]).toBe(PAYLOADS.script);
      expect(parsed[1].note).toBe(PAYLOADS.js);
      expect(parsed[2].details[PAYLOADS.script]).toBe(PAYLOADS.img);

      const csv = new TextDecoder().decode(await exportTable(result, 'csv'));
      // payloads without quotes appear verbatim; the others as RFC 4180 quoted fields
      for (const p of ALL) expect(csv).toContain(/["\n,]/.test(p) ? `"${p.replace(/"/g, '""')}"` : p);

      const changes = await s.sql('SELECT count(*) AS n FROM table_changes(0, 3)');
      expect(Number(changes.toArray()[0].n)).toBe(5 + 2); // 5 inserts, the 2 rows of the removed file deleted
    } finally {
      await s.close();
    }
  });
});
