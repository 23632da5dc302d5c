/**
 * Comparing two versions (`compareSnapshots`; the worker's `compare` over it is tested in
 * `src/workers/compare-call.test.ts`) on real
 * fixtures. Expected values come from the tables' own logs, read by hand here, and from the
 * independent forward replay `referenceReplay`, never from `src/delta`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { DeltaTable } from '../delta/table.ts';
import { fixture, referenceReplay } from '../../test/fixtures.ts';
import { compareSnapshots, diffProperties, diffSchemas, type CompareColumnChange } from './compare.ts';
import { parseSchema } from '../delta/schema.ts';

/** The actions of commit `version` of a fixture, parsed by hand. */
function commit(table: string, version: number): any[] {
  const text = readFileSync(join(fixture(table), '_delta_log', `${String(version).padStart(20, '0')}.json`), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** The last `key` action (`metaData`, `protocol`) at or before `version`, read from the JSON commits. */
function lastAction(table: string, key: string, version: number): any {
  let found: any;
  for (let v = 0; v <= version; v++) for (const a of commit(table, v)) if (a[key]) found = a[key];
  return found;
}

async function snapshots(table: string, a: number, b: number) {
  const t = new DeltaTable(new NodeFsStore(fixture(table)));
  return [await t.snapshot({ version: a }), await t.snapshot({ version: b })] as const;
}

describe('compareSnapshots: files', () => {
  it('simple_table v0 vs v4: added and removed files equal the forward replay', async () => {
    const [a, b] = await snapshots('simple_table', 0, 4);
    const ra = referenceReplay(fixture('simple_table'), 0);
    const rb = referenceReplay(fixture('simple_table'), 4);
    const setA = new Set(ra.paths.map((p) => decodeURIComponent(p)));
    const setB = new Set(rb.paths.map((p) => decodeURIComponent(p)));
    const added = [...setB].filter((p) => !setA.has(p)).sort();
    const removed = [...setA].filter((p) => !setB.has(p)).sort();
    expect(added.length + removed.length).toBeGreaterThan(0);

    const r = compareSnapshots(a, b);
    expect(r.versionA).toBe(0);
    expect(r.versionB).toBe(4);
    expect(r.added.count).toBe(added.length);
    expect(r.removed.count).toBe(removed.length);
    expect(r.added.paths.map((p) => p.path).sort()).toEqual(added);
    expect(r.removed.paths.map((p) => p.path).sort()).toEqual(removed);
    expect(r.unchanged).toBe(rb.numFiles - added.length);
    expect(r.filesA.numFiles).toBe(ra.numFiles);
    expect(r.filesB.numFiles).toBe(rb.numFiles);
    expect(r.filesA.sizeBytes).toBe(ra.sizeBytes);
    expect(r.filesB.sizeBytes).toBe(rb.sizeBytes);
    // Sizes of the added files, from the commits.
    const sizeOf = new Map<string, number>();
    for (let v = 0; v <= 4; v++) for (const x of commit('simple_table', v)) if (x.add) sizeOf.set(decodeURIComponent(x.add.path), x.add.size);
    expect(r.added.sizeBytes).toBe(added.reduce((n, p) => n + sizeOf.get(p)!, 0));
    expect(r.removed.sizeBytes).toBe(removed.reduce((n, p) => n + sizeOf.get(p)!, 0));
    expect(r.recordDelta).toBe(rb.numRecords === null || ra.numRecords === null ? null : rb.numRecords - ra.numRecords);
  });

  it('the reverse comparison swaps added and removed; a version against itself changes nothing', async () => {
    const [a, b] = await snapshots('simple_table', 0, 4);
    const fwd = compareSnapshots(a, b);
    const back = compareSnapshots(b, a);
    expect(back.added.count).toBe(fwd.removed.count);
    expect(back.removed.count).toBe(fwd.added.count);
    expect(back.recordDelta).toBe(fwd.recordDelta === null ? null : -fwd.recordDelta);
    const same = compareSnapshots(b, b);
    expect(same.added.count).toBe(0);
    expect(same.removed.count).toBe(0);
    expect(same.unchanged).toBe(b.files.length);
    expect(same.schemaChanges).toEqual([]);
    expect(same.properties).toEqual({ added: [], removed: [], changed: [] });
  });

  it('lists at most maxPaths paths per side, and counts them all', async () => {
    const [a, b] = await snapshots('simple_table', 0, 4);
    const r = compareSnapshots(a, b, 1);
    const full = compareSnapshots(a, b);
    expect(r.added.count).toBe(full.added.count);
    expect(r.added.paths.length).toBe(Math.min(1, full.added.count));
    expect(r.removed.paths.length).toBe(Math.min(1, full.removed.count));
  });

  it('a deletion vector added to a file counts as removed and added, with the path on both sides (table_with_deletion_logs)', async () => {
    // Find a commit whose add carries a deletion vector for a path active before it.
    const table = 'table_with_deletion_logs';
    let dvVersion = -1;
    for (let v = 1; v <= 9 && dvVersion < 0; v++) {
      const actions = commit(table, v);
      const removes = new Set(actions.filter((x) => x.remove).map((x) => x.remove.path));
      if (actions.some((x) => x.add?.deletionVector && removes.has(x.add.path))) dvVersion = v;
    }
    expect(dvVersion).toBeGreaterThan(0);
    const [a, b] = await snapshots(table, dvVersion - 1, dvVersion);
    const r = compareSnapshots(a, b);
    const dvAdds = commit(table, dvVersion).filter((x) => x.add?.deletionVector && commit(table, dvVersion).some((y) => y.remove?.path === x.add.path));
    expect(r.added.withDeletionVectorChange).toBe(dvAdds.length);
    const ra = referenceReplay(fixture(table), dvVersion - 1);
    const rb = referenceReplay(fixture(table), dvVersion);
    expect(r.recordDelta).toBe(rb.numRecords! - ra.numRecords!);
  });
});

/** Flat schema diff by name, from two schema JSON strings (the fixtures below have no nesting and no mapping renames). */
function byHand(fromJson: string, toJson: string): CompareColumnChange[] {
  const from = JSON.parse(fromJson).fields as { name: string; type: string; nullable: boolean }[];
  const to = JSON.parse(toJson).fields as { name: string; type: string; nullable: boolean }[];
  const out: CompareColumnChange[] = [];
  for (const f of to) {
    const old = from.find((x) => x.name === f.name);
    if (!old) out.push({ kind: 'added', path: f.name, to: f.type, toNullable: f.nullable });
    else {
      if (old.type !== f.type) out.push({ kind: 'type', path: f.name, from: old.type, to: f.type });
      if (old.nullable !== f.nullable) out.push({ kind: 'nullability', path: f.name, fromNullable: old.nullable, toNullable: f.nullable });
    }
  }
  for (const f of from) if (!to.some((x) => x.name === f.name)) out.push({ kind: 'dropped', path: f.name, from: f.type, fromNullable: f.nullable });
  return out;
}

describe('compareSnapshots: schema', () => {
  it('table-with-cdf v0 vs v4: the change of nullability written in the log', async () => {
    const [a, b] = await snapshots('table-with-cdf', 0, 4);
    const expected = byHand(lastAction('table-with-cdf', 'metaData', 0).schemaString, lastAction('table-with-cdf', 'metaData', 4).schemaString);
    expect(expected.length).toBeGreaterThan(0);
    expect(compareSnapshots(a, b).schemaChanges).toEqual(expected);
  });

  it('delta-live-table v0 (no schema) vs v1: every column of the v1 metaData is added', async () => {
    const [a, b] = await snapshots('delta-live-table', 0, 1);
    const v0 = lastAction('delta-live-table', 'metaData', 0).schemaString || '{"type":"struct","fields":[]}';
    const expected = byHand(v0, lastAction('delta-live-table', 'metaData', 1).schemaString);
    expect(expected.length).toBe(10);
    expect(compareSnapshots(a, b).schemaChanges).toEqual(expected);
  });

  it('cdf-column-mapping-name-mode: columns keep their identity (no change between versions)', async () => {
    const [a, b] = await snapshots('cdf-column-mapping-name-mode', 0, 4);
    expect(compareSnapshots(a, b).schemaChanges).toEqual([]);
  });

  it('matches columns by column mapping physical name: a rename is a rename, not a drop and an add', () => {
    const field = (name: string, physical: string, id: number, type = 'long', nullable = true) => ({
      name,
      type,
      nullable,
      metadata: { 'delta.columnMapping.id': id, 'delta.columnMapping.physicalName': physical },
    });
    const a = parseSchema(JSON.stringify({ type: 'struct', fields: [field('id', 'col-1', 1), field('name', 'col-2', 2, 'string'), field('gone', 'col-3', 3)] }));
    const b = parseSchema(
      JSON.stringify({
        type: 'struct',
        fields: [
          field('id', 'col-1', 1, 'long', false),
          field('full_name', 'col-2', 2, 'string'),
          field('gone', 'col-4', 4, 'integer'),
          { name: 's', type: { type: 'struct', fields: [field('x', 'col-6', 6)] }, nullable: true, metadata: { 'delta.columnMapping.id': 5, 'delta.columnMapping.physicalName': 'col-5' } },
        ],
      }),
    );
    expect(diffSchemas(a, b)).toEqual([
      { kind: 'nullability', path: 'id', fromNullable: true, toNullable: false, physicalName: 'col-1', columnMappingId: 1 },
      { kind: 'renamed', path: 'full_name', fromPath: 'name', physicalName: 'col-2', columnMappingId: 2 },
      { kind: 'added', path: 'gone', to: 'integer', toNullable: true, physicalName: 'col-4', columnMappingId: 4 },
      { kind: 'added', path: 's', to: 'struct', toNullable: true, physicalName: 'col-5', columnMappingId: 5 },
      { kind: 'dropped', path: 'gone', from: 'long', fromNullable: true, physicalName: 'col-3', columnMappingId: 3 },
    ]);
  });
});

describe('compareSnapshots: properties and protocol', () => {
  it('table_with_deletion_logs v0 vs v2: the properties set by SET TBLPROPERTIES, as the log has them', async () => {
    const [a, b] = await snapshots('table_with_deletion_logs', 0, 2);
    const ca: Record<string, string> = lastAction('table_with_deletion_logs', 'metaData', 0).configuration;
    const cb: Record<string, string> = lastAction('table_with_deletion_logs', 'metaData', 2).configuration;
    const added = Object.keys(cb)
      .filter((k) => !(k in ca))
      .sort()
      .map((key) => ({ key, value: cb[key] }));
    const changed = Object.keys(cb)
      .filter((k) => k in ca && ca[k] !== cb[k])
      .sort()
      .map((key) => ({ key, from: ca[key], to: cb[key] }));
    const removed = Object.keys(ca)
      .filter((k) => !(k in cb))
      .sort()
      .map((key) => ({ key, value: ca[key] }));
    expect(added).toContainEqual({ key: 'delta.enableDeletionVectors', value: 'true' });
    const r = compareSnapshots(a, b);
    expect(r.properties).toEqual({ added, removed, changed });
    // The protocol as the log has it at each side.
    const pa = lastAction('table_with_deletion_logs', 'protocol', 0);
    const pb = lastAction('table_with_deletion_logs', 'protocol', 2);
    expect(r.protocol.from).toEqual({ minReaderVersion: pa.minReaderVersion, minWriterVersion: pa.minWriterVersion, readerFeatures: pa.readerFeatures ?? null, writerFeatures: pa.writerFeatures ?? null });
    expect(r.protocol.to).toEqual({ minReaderVersion: pb.minReaderVersion, minWriterVersion: pb.minWriterVersion, readerFeatures: pb.readerFeatures ?? null, writerFeatures: pb.writerFeatures ?? null });
  });

  it('diffProperties: added, removed and changed keys', () => {
    expect(diffProperties({ a: '1', b: '2', c: '3' }, { b: '2', c: '4', d: '5' })).toEqual({
      added: [{ key: 'd', value: '5' }],
      removed: [{ key: 'a', value: '1' }],
      changed: [{ key: 'c', from: '3', to: '4' }],
    });
  });

  it('delta-live-table v0 vs v1: protocol 1/2 → 2/5 as written, and the features that brings', async () => {
    const [a, b] = await snapshots('delta-live-table', 0, 1);
    const pa = lastAction('delta-live-table', 'protocol', 0);
    const pb = lastAction('delta-live-table', 'protocol', 1);
    const r = compareSnapshots(a, b);
    expect(r.protocol.from).toMatchObject({ minReaderVersion: pa.minReaderVersion, minWriterVersion: pa.minWriterVersion });
    expect(r.protocol.to).toMatchObject({ minReaderVersion: pb.minReaderVersion, minWriterVersion: pb.minWriterVersion });
    expect([pa.minReaderVersion, pa.minWriterVersion, pb.minReaderVersion, pb.minWriterVersion]).toEqual([1, 2, 2, 5]);
    // Protocol "Writer Version Requirements": writer 5 adds checkConstraints (3), changeDataFeed and generatedColumns (4), columnMapping (5).
    expect(r.protocol.featuresAdded.sort()).toEqual(['changeDataFeed', 'checkConstraints', 'columnMapping', 'generatedColumns']);
    expect(r.protocol.featuresRemoved).toEqual([]);
  });
});
