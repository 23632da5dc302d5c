/**
 * Shredding layouts for the schema view, from the footers of real files: the hand-built
 * shredded-variant table (test/gen/shredded-variant.py, built from the spec), its unshredded twin,
 * and the corpus's spark-shredded-variant-preview-delta (feature on, files unshredded).
 * Expected layouts come from the generator's pyarrow schema.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { DeltaTable } from '../delta/table.ts';
import { variantShredding } from './variant-shredding.ts';

const GENERATED = join(import.meta.dirname, '../../test/fixtures/tables-generated');
const snap = (dir: string) => new DeltaTable(new NodeFsStore(dir)).snapshot({}, { allowUnsupported: true });

describe('variantShredding', () => {
  it('describes typed_value layouts of a shredded file', async () => {
    const s = await variantShredding(await snap(join(GENERATED, 'shredded-variant')));
    expect(s.feature).toBe('variantShredding');
    expect(s.propertyEnabled).toBe(true);
    expect(s.sampledFiles).toHaveLength(1);
    expect(s.columns.map(({ path, nested, layouts }) => ({ path, nested, layouts }))).toEqual([
      { path: ['n'], nested: false, layouts: ['int64'] },
      {
        path: ['v'],
        nested: false,
        layouts: ['object<a: int64, b: string, d: decimal(9,2), day: date, tags: array<string>, ts: timestamp>'],
      },
    ]);
    expect(s.columns[0].details).toEqual([{ layout: 'int64', files: 1, fields: [{ path: '', type: 'int64' }] }]);
    expect(s.columns[1].details[0].fields).toEqual([
      { path: 'a', type: 'int64' },
      { path: 'b', type: 'string' },
      { path: 'd', type: 'decimal(9,2)' },
      { path: 'day', type: 'date' },
      { path: 'tags', type: 'array<string>' },
      { path: 'ts', type: 'timestamp' },
    ]);
  });

  it('says "unshredded" where files hold value + metadata only', async () => {
    const twin = await variantShredding(await snap(join(GENERATED, 'shredded-variant-twin')));
    expect(twin.feature).toBeNull();
    expect(twin.columns.map((c) => c.layouts)).toEqual([['unshredded'], ['unshredded']]);
    const spark = await variantShredding(await snap(fixture('spark-shredded-variant-preview-delta')));
    expect(spark.feature).toBe('variantShredding-preview');
    expect(spark.propertyEnabled).toBe(true);
    expect(spark.columns.find((c) => c.path.join('.') === 'v')!.layouts).toEqual(['unshredded']);
    expect(spark.columns.find((c) => c.path.join('.') === 'array_of_variants.element')!.nested).toBe(true);
    expect(spark.columns.find((c) => c.path.join('.') === 'struct_of_variants.v')!.layouts).toEqual(['unshredded']);
  });

  it('does no I/O for a table without variants', async () => {
    const s = await variantShredding(await snap(fixture('simple_table')));
    expect(s).toEqual({ feature: null, propertyEnabled: false, sampledFiles: [], columns: [] });
  });

  it('a Spark-written shredded table (spark_variant_shredded: a int, b string) in two files', async () => {
    const s = await variantShredding(await snap(join(GENERATED, 'peers/spark_variant_shredded')));
    expect(s.feature).toBe('variantShredding-preview');
    expect(s.columns).toEqual([
      { path: ['v'], nested: false, layouts: ['object<a: int32, b: string>'], details: [{ layout: 'object<a: int32, b: string>', files: 2, fields: [{ path: 'a', type: 'int32' }, { path: 'b', type: 'string' }] }] },
    ]);
  });

  it('three layouts of one column across six Spark files (variant-mixed), every file sampled', async () => {
    const s = await variantShredding(await snap(join(GENERATED, 'variant-mixed/spark_variant_mixed_shredding')));
    expect(s.sampledFiles).toHaveLength(6);
    const v = s.columns[0];
    expect([...v.layouts].sort()).toEqual(['object<a: int32, b: string>', 'object<a: string, c: array<int32>>', 'unshredded']);
    expect(v.details.map((d) => d.files)).toEqual([2, 2, 2]);
    expect(v.details.find((d) => d.layout.startsWith('object<a: string'))!.fields).toEqual([
      { path: 'a', type: 'string' },
      { path: 'c', type: 'array<int32>' },
    ]);
  });
});
