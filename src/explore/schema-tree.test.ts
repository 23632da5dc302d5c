/**
 * The one schema walker: row paths and nesting, Delta type names, field facts, and the partition
 * and clustering marks, on hand-built schemas and real tables (expected names read from the logs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSchema } from '../delta/schema.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { DeltaTable } from '../delta/table.ts';
import { schemaRows, schemaView, shortTypeName } from './schema-tree.ts';

const TABLES = join(import.meta.dirname, '../../test/fixtures/tables');

/** The last `metaData` action written in a table's JSON commits. */
function lastMetaData(name: string): { schemaString: string; partitionColumns: string[] } {
  const log = join(TABLES, name, '_delta_log');
  let m: { schemaString: string; partitionColumns: string[] } | undefined;
  for (const f of readdirSync(log).filter((n) => /^\d{20}\.json$/.test(n)).sort()) {
    for (const line of readFileSync(join(log, f), 'utf8').split('\n')) if (line.trim() && JSON.parse(line).metaData) m = JSON.parse(line).metaData;
  }
  return m!;
}

describe('schemaRows', () => {
  const schema = parseSchema(
    JSON.stringify({
      type: 'struct',
      fields: [
        { name: 'id', type: 'long', nullable: false, metadata: { comment: 'key' } },
        { name: 'tags', type: { type: 'array', elementType: 'integer', containsNull: true }, nullable: true, metadata: {} },
        {
          name: 'items',
          type: { type: 'array', elementType: { type: 'struct', fields: [{ name: 'qty', type: 'short', nullable: true, metadata: {} }] }, containsNull: false },
          nullable: true,
          metadata: {},
        },
        { name: 'm', type: { type: 'map', keyType: 'string', valueType: { type: 'struct', fields: [{ name: 'v', type: 'byte', nullable: true, metadata: {} }] }, valueContainsNull: true }, nullable: true, metadata: {} },
        { name: 'empty', type: { type: 'struct', fields: [] }, nullable: true, metadata: {} },
      ],
    }),
  );

  it('walks structs, array elements and map values holding structs; element/key/value rows only where a struct is inside', () => {
    const rows = schemaRows(schema, { partitionColumns: ['id'], clusteringPaths: ['items.element.qty'] });
    expect(rows.map((r) => [r.path, r.parent, r.depth, r.kind, r.type, r.shortType, r.nullable, r.expandable])).toEqual([
      ['id', null, 0, 'field', 'long', 'long', false, false],
      ['tags', null, 0, 'field', 'array<integer>', 'array<integer>', true, false],
      ['items', null, 0, 'field', 'array<struct<qty:short>>', 'array<struct>', true, true],
      ['items.element', 'items', 1, 'element', 'struct<qty:short>', 'struct', false, true],
      ['items.element.qty', 'items.element', 2, 'field', 'short', 'short', true, false],
      ['m', null, 0, 'field', 'map<string,struct<v:byte>>', 'map<string,struct>', true, true],
      ['m.value', 'm', 1, 'value', 'struct<v:byte>', 'struct', true, true],
      ['m.value.v', 'm.value', 2, 'field', 'byte', 'byte', true, false],
      ['empty', null, 0, 'field', 'struct<>', 'struct', true, false],
    ]);
    expect(rows.filter((r) => r.partition).map((r) => r.path)).toEqual(['id']);
    expect(rows.filter((r) => r.clustering).map((r) => r.path)).toEqual(['items.element.qty']);
    expect(rows[0].facts).toEqual({ comment: 'key' });
    expect(rows[3].facts).toBeNull();
  });

  it('shortTypeName elides struct contents only', () => {
    expect(shortTypeName(schema.fields[2].type)).toBe('array<struct>');
    expect(shortTypeName({ type: 'decimal', precision: 10, scale: 2 })).toBe('decimal(10,2)');
  });
});

describe('schemaView on real tables', () => {
  it('table_with_partitioning_mapping: logical names, the partition mark on the logical column, ids and physical names as facts', async () => {
    const view = schemaView(await new DeltaTable(new NodeFsStore(join(TABLES, 'table_with_partitioning_mapping'))).snapshot());
    const meta = lastMetaData('table_with_partitioning_mapping');
    const fields = JSON.parse(meta.schemaString).fields as { name: string; metadata: Record<string, unknown> }[];
    expect(view.columnMappingMode).not.toBe('none');
    expect(view.rows.map((r) => r.path)).toEqual(fields.map((f) => f.name));
    expect(view.rows.filter((r) => r.partition).map((r) => r.path)).toEqual(meta.partitionColumns);
    for (const r of view.rows) {
      const f = fields.find((x) => x.name === r.path)!;
      expect(r.facts?.physicalName).toBe(f.metadata['delta.columnMapping.physicalName']);
      expect(r.facts?.columnMappingId).toBe(f.metadata['delta.columnMapping.id']);
    }
  });

  it('table_with_liquid_clustering: the clustering mark and the clustering columns by logical name', async () => {
    const view = schemaView(await new DeltaTable(new NodeFsStore(join(TABLES, 'table_with_liquid_clustering'))).snapshot());
    expect(view.clustering.columns.length).toBeGreaterThan(0);
    expect(view.rows.filter((r) => r.clustering).map((r) => r.path)).toEqual(view.clustering.columns.map((c) => c.logicalPath.join('.')));
    expect(view.error).toBeNull();
  });
});
