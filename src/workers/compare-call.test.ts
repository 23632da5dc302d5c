/**
 * The worker's `compare` call: loads both versions through its cache and answers exactly what
 * `compareSnapshots` (src/explore/compare.ts) computes; unknown versions are structured errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { DeltaTable } from '../delta/table.ts';
import { compareSnapshots } from '../explore/compare.ts';
import { fixture } from '../../test/fixtures.ts';
import { ExplorerService } from './explorer-service.ts';

async function snapshots(name: string, va: number, vb: number) {
  const t = new DeltaTable(new NodeFsStore(fixture(name)));
  return [await t.snapshot({ version: va }), await t.snapshot({ version: vb })] as const;
}

describe('ExplorerService.compare', () => {
  it('loads both versions and compares them; unknown versions are structured errors', async () => {
    const svc = new ExplorerService();
    const { readdirSync, statSync } = await import('node:fs');
    const dir = fixture('simple_table');
    const files: { path: string; file: File }[] = [];
    const walk = (d: string, prefix: string) => {
      for (const name of readdirSync(d)) {
        const abs = join(d, name);
        if (statSync(abs).isDirectory()) walk(abs, `${prefix}${name}/`);
        else files.push({ path: prefix + name, file: new File([readFileSync(abs)], name) });
      }
    };
    walk(dir, '');
    const opened = await svc.openFiles(files, 'simple_table');
    if (!opened.ok || opened.value.kind !== 'table') throw new Error('not opened');
    const id = opened.value.tableId;
    const r = await svc.compare(id, 0, 4);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const [a, b] = await snapshots('simple_table', 0, 4);
    expect(r.value).toEqual(compareSnapshots(a, b));
    const bad = await svc.compare(id, 0, 99);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('VERSION_NOT_FOUND');
  });
});
