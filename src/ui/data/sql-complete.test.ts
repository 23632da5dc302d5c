/**
 * Completion nodes come from the worker's schema rows (`summary.schema`), not from parsing the
 * schema in the UI: nested struct fields, the struct fields of array elements, Delta type names.
 */
import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../delta/schema.ts';
import { schemaRows } from '../../explore/schema-tree.ts';
import { schemaNodes } from './sql-complete.ts';

describe('schemaNodes', () => {
  it('offers struct fields, array-of-struct element fields, not map keys/values; types in Delta names', () => {
    const schema = parseSchema(
      JSON.stringify({
        type: 'struct',
        fields: [
          { name: 'id', type: 'long', nullable: false, metadata: {} },
          { name: 's', type: { type: 'struct', fields: [{ name: 'a', type: 'integer', nullable: true, metadata: {} }] }, nullable: true, metadata: {} },
          {
            name: 'items',
            type: { type: 'array', elementType: { type: 'struct', fields: [{ name: 'price', type: 'decimal(10,2)', nullable: true, metadata: {} }] }, containsNull: true },
            nullable: true,
            metadata: {},
          },
          {
            name: 'm',
            type: { type: 'map', keyType: 'string', valueType: { type: 'struct', fields: [{ name: 'v', type: 'short', nullable: true, metadata: {} }] }, valueContainsNull: true },
            nullable: true,
            metadata: {},
          },
        ],
      }),
    );
    const view = { rows: schemaRows(schema) } as Parameters<typeof schemaNodes>[0];
    expect(schemaNodes(view)).toEqual([
      { name: 'id', type: 'long' },
      { name: 's', type: 'struct', children: [{ name: 'a', type: 'integer' }] },
      { name: 'items', type: 'array<struct>', children: [{ name: 'price', type: 'decimal(10,2)' }] },
      { name: 'm', type: 'map<string,struct>' },
    ]);
    expect(schemaNodes(null)).toEqual([]);
  });
});
