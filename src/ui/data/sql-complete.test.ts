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

describe('row tracking completion', () => {
  const info = () => ({ columns: [{ name: 'id', type: 'long' }], version: 4, latestVersion: 4, functions: [] as string[] });
  const complete = async (doc: string) => {
    const { EditorState } = await import('@codemirror/state');
    const { CompletionContext } = await import('@codemirror/autocomplete');
    const { deltaCompletions } = await import('./sql-complete.ts');
    const state = EditorState.create({ doc });
    return deltaCompletions(info)(new CompletionContext(state, doc.length, true));
  };
  it('offers "t$rows" after a quote and the _metadata fields after `_metadata.`', async () => {
    expect((await complete('SELECT * FROM "t'))?.options.map((o) => o.label)).toContain('"t$rows"');
    expect((await complete('SELECT _metadata.'))?.options.map((o) => o.label)).toEqual(['row_id', 'row_commit_version', 'row_index']);
    expect((await complete('SELECT _meta'))?.options.map((o) => o.label)).toContain('_metadata');
  });
});
