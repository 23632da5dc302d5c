/**
 * Schema parsing, type names, column metadata, column mapping, CHECK constraints and clustering
 * columns (`src/delta/schema/`) on every fixture table and on hand-written schemas. Partition values
 * are tested in `schema/partition-values.test.ts`. Expected values are read from the logs by hand
 * (`test/schema-fixtures.ts`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkConstraints,
  clusteringColumns,
  columnMappingMode,
  deltaTypeName,
  fieldInfo,
  findUnknownTypes,
  formatType,
  leafColumns,
  parsePartitionValues,
  parseSchema,
  partitionColumnInfo,
  physicalName,
  type StructField,
} from './schema.ts';
import { catchError, commits, field, latestMetadata, logDir, schemaOf, tableNames, TABLES } from '../../test/schema-fixtures.ts';

describe('parseSchema on every fixture table', () => {
  it('parses the latest schema of every table that has one', async () => {
    const withoutMetadata: string[] = [];
    let parsed = 0;
    for (const table of tableNames()) {
      const m = await latestMetadata(table);
      if (!m) {
        withoutMetadata.push(table);
        continue;
      }
      const schema = parseSchema(m.meta.schemaString!, { path: m.source });
      expect(schema.type).toBe('struct');
      expect(schema.fields.length).toBeGreaterThan(0);
      // Every type formats, every leaf walks (mode from the table's own configuration).
      for (const f of schema.fields) expect(formatType(f.type)).not.toBe('');
      const mode = columnMappingMode(m.meta.configuration);
      expect(leafColumns(schema, mode).length).toBeGreaterThan(0);
      parsed++;
    }
    // crc-malformed holds nothing but a corrupt .crc file: no commit, no checkpoint.
    expect(withoutMetadata).toEqual(['crc-malformed']);
    expect(parsed).toBe(tableNames().length - 1);
  });

  it('reads schemas that live only in a checkpoint (parquet-wasm)', async () => {
    for (const table of ['checkpoint-cdf-table', 'checkpoint_with_partitions', 'checkpoints_vacuumed', 'table-with-domain-metadata']) {
      const m = await latestMetadata(table);
      expect(m?.source, table).toMatch(/checkpoint\.parquet$/);
    }
    // checkpoint-cdf-table: schema printed from 00000000000000000003.checkpoint.parquet.
    const { schema } = await schemaOf('checkpoint-cdf-table');
    expect(formatType(schema)).toBe('struct<id:int,name:string,birthday:date>');
  });
});

// -------------------------------------------------------------------------------------------------
// Specific tables
// -------------------------------------------------------------------------------------------------

describe('schemas of specific fixture tables', () => {
  it('stats-writing-all-types: every primitive, nested types, column mapping ids and physical names', async () => {
    const { schema, meta } = await schemaOf('stats-writing-all-types');
    // Expected strings hand-derived from the schemaString in _delta_log/00000000000000000000.json.
    expect(schema.fields.map((f) => formatType(f.type))).toEqual([
      'tinyint',
      'smallint',
      'int',
      'bigint',
      'float',
      'double',
      'date',
      'timestamp',
      'timestamp_ntz',
      'string',
      'decimal(10,2)',
      'boolean',
      'binary',
      'array<int>',
      'map<string,int>',
      'struct<inner_int:int,inner_string:string,inner_double:double>',
    ]);
    const mode = columnMappingMode(meta.configuration);
    expect(mode).toBe('name'); // "delta.columnMapping.mode":"name" in the metaData configuration
    const byte = fieldInfo(field(schema, 'byte_col'));
    expect(byte.columnMappingId).toBe(1);
    expect(byte.physicalName).toBe('col-042fadad-0f76-466d-a94d-e1159c2a9ed6');

    const leaves = leafColumns(schema, mode);
    expect(leaves).toHaveLength(18); // 15 top-level non-struct columns + 3 in nested_struct
    const inner = leaves.find((l) => l.logicalPath.join('.') === 'nested_struct.inner_double')!;
    // From the log: nested_struct → col-481c7590-…, inner_double → col-92dcf16d-… (id 19).
    expect(inner.physicalPath).toEqual([
      'col-481c7590-d3b8-4e9c-b40e-7b7128a972f4',
      'col-92dcf16d-d249-48a9-afb8-93deeaf7ce23',
    ]);
    expect(inner.columnMappingId).toBe(19);
    expect(inner.type).toEqual({ type: 'double' });
    // Without column mapping the physical path is the logical one.
    expect(leafColumns(schema, 'none').find((l) => l.columnMappingId === 19)!.physicalPath).toEqual([
      'nested_struct',
      'inner_double',
    ]);
  });

  it('table_with_column_mapping: names with spaces map to physical names', async () => {
    const { schema, meta } = await schemaOf('table_with_column_mapping');
    const mode = columnMappingMode(meta.configuration);
    expect(mode).toBe('name');
    // From _delta_log/00000000000000000000.json: "Company Very Short" → col-173b4db9-…, id 1.
    const cols = partitionColumnInfo(schema, meta.partitionColumns!, mode);
    expect(cols).toEqual([
      expect.objectContaining({ name: 'Company Very Short', key: 'col-173b4db9-b5ad-427f-9e75-516aae37fbbb' }),
    ]);
    expect(formatType(schema)).toBe('struct<`Company Very Short`:string,`Super Name`:string>');
  });

  it('table_with_partitioning_mapping: a renamed partition column keeps its physical name', async () => {
    const { schema, meta } = await schemaOf('table_with_partitioning_mapping');
    const mode = columnMappingMode(meta.configuration);
    // Version 3 renamed id → newid; metadata keeps "delta.columnMapping.physicalName":"id".
    const [col] = partitionColumnInfo(schema, meta.partitionColumns!, mode);
    expect(col).toMatchObject({ name: 'newid', key: 'id', type: { type: 'integer' } });
    // Raw line of version 4: "partitionValues":{"id":"2"}.
    expect(parsePartitionValues({ id: '2' }, [col])).toEqual({ newid: 2 });
    // The protocol supports column mapping (reader 3 with columnMapping), so the property is honoured.
    const protocol = {
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ['deletionVectors', 'columnMapping'],
      writerFeatures: ['columnMapping'],
    };
    expect(columnMappingMode(meta.configuration, protocol)).toBe('name');
    expect(columnMappingMode(meta.configuration, { ...protocol, readerFeatures: ['deletionVectors'] })).toBe('none');
  });

  it('type-widening: delta.typeChanges', async () => {
    const { schema } = await schemaOf('type-widening');
    // From _delta_log/00000000000000000002.json.
    expect(fieldInfo(field(schema, 'int_long')).typeChanges).toEqual([
      { fromType: 'integer', toType: 'long', tableVersion: 2 },
    ]);
    expect(fieldInfo(field(schema, 'decimal_decimal_greater_scale')).typeChanges).toEqual([
      { fromType: 'decimal(10,2)', toType: 'decimal(20,5)', tableVersion: 2 },
    ]);
    expect(fieldInfo(field(schema, 'date_timestamp_ntz')).typeChanges).toEqual([
      { fromType: 'date', toType: 'timestamp_ntz', tableVersion: 2 },
    ]);
    // toType always names the field's current type.
    for (const f of schema.fields) {
      const changes = fieldInfo(f).typeChanges!;
      expect(changes.at(-1)!.toType).toBe(deltaTypeName(f.type));
    }
  });

  it('type-widening: typeChanges given as a JSON string, with fieldPath (protocol example)', () => {
    // The third example of protocol "Type Change Metadata", with the metadata value as a string.
    const schema = parseSchema(
      JSON.stringify({
        type: 'struct',
        fields: [
          {
            name: 'e',
            type: {
              type: 'array',
              elementType: { type: 'map', keyType: 'string', valueType: 'decimal(10, 4)', valueContainsNull: true },
              containsNull: true,
            },
            nullable: true,
            metadata: {
              'delta.typeChanges': JSON.stringify([
                { fromType: 'decimal(6, 2)', toType: 'decimal(10, 4)', fieldPath: 'element.value' },
              ]),
            },
          },
        ],
      }),
    );
    expect(formatType(schema.fields[0].type)).toBe('array<map<string,decimal(10,4)>>');
    expect(fieldInfo(schema.fields[0]).typeChanges).toEqual([
      { fromType: 'decimal(6, 2)', toType: 'decimal(10, 4)', fieldPath: 'element.value' },
    ]);
  });

  it('checkpoint-v2-table and issue-2152: identity columns', async () => {
    // _delta_log/00000000000000000009.json of checkpoint-v2-table: start 1, step 1, highWaterMark 44.
    const v2 = (await schemaOf('checkpoint-v2-table')).schema;
    expect(fieldInfo(field(v2, 'id')).identity).toEqual({
      start: 1,
      step: 1,
      highWaterMark: 44,
      allowExplicitInsert: false,
    });
    expect(fieldInfo(field(v2, 'name')).identity).toBeUndefined();
    // issue-2152 _delta_log/00000000000000000000.json: no highWaterMark yet.
    const issue = (await schemaOf('issue-2152')).schema;
    expect(fieldInfo(field(issue, 'ID_D_DATE')).identity).toEqual({ start: 1, step: 1, allowExplicitInsert: false });
  });

  it('simple_table_features and table_with_partitioning_mapping: no generated columns or constraints in the fixtures', async () => {
    // Their protocols list generatedColumns/checkConstraints, but no fixture's schema or
    // configuration actually uses them (grep of test/fixtures for generationExpression and
    // delta.constraints finds nothing); the shapes are checked on the synthetic schema below.
    for (const table of ['simple_table_features', 'table_with_partitioning_mapping']) {
      const { schema, meta } = await schemaOf(table);
      expect(checkConstraints(meta.configuration)).toEqual([]);
      for (const leaf of leafColumns(schema, 'none')) expect(fieldInfo(leaf.field).generationExpression).toBeUndefined();
    }
    expect(formatType((await schemaOf('simple_table_features')).schema)).toBe('struct<id:bigint>');
  });

  it('generated columns, defaults, invariants, comments, collations, constraints (protocol examples)', () => {
    const schema = parseSchema(
      JSON.stringify({
        type: 'struct',
        fields: [
          // Protocol "Column Invariants" example.
          { name: 'x', type: 'integer', nullable: true, metadata: { 'delta.invariants': '{"expression": { "expression": "x > 3"} }' } },
          {
            name: 'y',
            type: 'date',
            nullable: true,
            metadata: { 'delta.generationExpression': 'CAST(ts AS DATE)', comment: 'day of ts' },
          },
          { name: 'z', type: 'long', nullable: false, metadata: { CURRENT_DEFAULT: '42' } },
          // Protocol RFC "Collated String Type" example.
          { name: 'col1', type: 'string', metadata: { __COLLATIONS: { col1: 'ICU.de_DE' } } },
        ],
      }),
    );
    expect(fieldInfo(schema.fields[0])).toEqual({ invariants: 'x > 3' });
    expect(fieldInfo(schema.fields[1])).toEqual({ generationExpression: 'CAST(ts AS DATE)', comment: 'day of ts' });
    expect(fieldInfo(schema.fields[2])).toEqual({ defaultExpression: '42' });
    expect(fieldInfo(schema.fields[3])).toEqual({ collations: { col1: 'ICU.de_DE' } });
    expect(schema.fields[3].nullable).toBe(true); // missing nullable defaults to true
    // Protocol "CHECK Constraints" example key/value.
    expect(
      checkConstraints({
        'delta.constraints.birthDateCheck': "birthDate > '1900-01-01'",
        'delta.enableChangeDataFeed': 'true',
      }),
    ).toEqual([{ name: 'birthDateCheck', expression: "birthDate > '1900-01-01'" }]);
  });

  it('basic-decimal-table: decimal precision and scale', async () => {
    const { schema } = await schemaOf('basic-decimal-table');
    // From _delta_log/00000000000000000000.json: part decimal(12,5), col1 (5,2), col2 (10,5), col3 (20,10).
    expect(schema.fields.map((f) => f.type)).toEqual([
      { type: 'decimal', precision: 12, scale: 5 },
      { type: 'decimal', precision: 5, scale: 2 },
      { type: 'decimal', precision: 10, scale: 5 },
      { type: 'decimal', precision: 20, scale: 10 },
    ]);
  });

  it('data-reader-timestamp_ntz, unshredded-variant, void-column, golden-data-reader-array-primitives', async () => {
    const ntz = (await schemaOf('data-reader-timestamp_ntz')).schema;
    expect(field(ntz, 'tsNtz').type).toEqual({ type: 'timestamp_ntz' });

    const variant = (await schemaOf('unshredded-variant')).schema;
    expect(field(variant, 'v').type).toEqual({ type: 'variant' });
    expect(formatType(variant)).toBe(
      'struct<id:bigint,v:variant,array_of_variants:array<variant>,struct_of_variants:struct<v:variant>,' +
        'map_of_variants:map<string,variant>,array_of_struct_of_variants:array<struct<v:variant>>,' +
        'struct_of_array_of_variants:struct<v:array<variant>>>',
    );

    const v = (await schemaOf('void-column')).schema;
    expect(field(v, 'void_col').type).toEqual({ type: 'void' });
    expect(formatType(field(v, 'void_col').type)).toBe('void');

    const arrays = (await schemaOf('golden-data-reader-array-primitives')).schema;
    expect(field(arrays, 'as_array_int').type).toEqual({ type: 'array', elementType: { type: 'integer' }, containsNull: true });
    expect(arrays.fields.map((f) => formatType(f.type))).toEqual([
      'array<int>',
      'array<bigint>',
      'array<tinyint>',
      'array<smallint>',
      'array<boolean>',
      'array<float>',
      'array<double>',
      'array<string>',
      'array<binary>',
      'array<decimal(1,0)>',
    ]);
  });

  it('table-with-geo: unknown types are kept, not rejected', async () => {
    const { schema } = await schemaOf('table-with-geo');
    expect(field(schema, 'geom').type).toEqual({ type: 'unknown', name: 'geometry(OGC:CRS84)' });
    expect(findUnknownTypes(schema)).toEqual([
      { path: ['geom'], name: 'geometry(OGC:CRS84)' },
      { path: ['geog'], name: 'geography(OGC:CRS84, spherical)' },
    ]);
    expect(formatType(field(schema, 'geog').type)).toBe('geography(OGC:CRS84, spherical)');
  });
});

// -------------------------------------------------------------------------------------------------
// parseSchema errors and the protocol's example
// -------------------------------------------------------------------------------------------------

describe('parseSchema', () => {
  it('parses the protocol appendix example', () => {
    // "Schema Serialization Format" → "Example" of PROTOCOL.md.
    const s = parseSchema(
      '{"type":"struct","fields":[{"name":"a","type":"integer","nullable":false,"metadata":{}},' +
        '{"name":"b","type":{"type":"struct","fields":[{"name":"d","type":"integer","nullable":false,"metadata":{}}]},"nullable":true,"metadata":{}},' +
        '{"name":"c","type":{"type":"array","elementType":"integer","containsNull":false},"nullable":true,"metadata":{}},' +
        '{"name":"e","type":{"type":"array","elementType":{"type":"struct","fields":[{"name":"d","type":"integer","nullable":false,"metadata":{}}]},"containsNull":true},"nullable":true,"metadata":{}},' +
        '{"name":"f","type":{"type":"map","keyType":"string","valueType":"string","valueContainsNull":true},"nullable":true,"metadata":{}}]}',
    );
    expect(formatType(s)).toBe('struct<a:int,b:struct<d:int>,c:array<int>,e:array<struct<d:int>>,f:map<string,string>>');
    expect(s.fields[0].nullable).toBe(false);
    expect(s.fields[2].type).toEqual({ type: 'array', elementType: { type: 'integer' }, containsNull: false });
    expect(leafColumns(s, 'none').map((l) => l.logicalPath.join('.'))).toEqual(['a', 'b.d', 'c', 'e', 'f']);
    expect(leafColumns(s, 'none').find((l) => l.logicalPath.join('.') === 'b.d')).toMatchObject({
      nullable: false,
      nullableInPath: true,
    });
  });

  it('accepts variant in object form and decimal with spaces', () => {
    // Protocol "Variant Data Type" example uses {"type":"variant"} as an element type.
    const s = parseSchema(
      '{"type":"struct","fields":[{"name":"variant_array","type":{"type":"array","elementType":{"type":"variant"},"containsNull":false},"nullable":false,"metadata":{}},' +
        '{"name":"d","type":"decimal(10, 4)","nullable":true,"metadata":{}},{"name":"d0","type":"decimal","nullable":true,"metadata":{}}]}',
    );
    expect(formatType(s)).toBe('struct<variant_array:array<variant>,d:decimal(10,4),d0:decimal(10,0)>');
  });

  it('throws INVALID_SCHEMA naming version and path', () => {
    const ctx = { version: 7, path: '_delta_log/00000000000000000007.json' };
    const bad = ['not json', '[]', '"long"', '{"type":"struct"}', '{"type":"struct","fields":[{"type":"long"}]}',
      '{"type":"struct","fields":[{"name":"a","type":"decimal(39,2)"}]}',
      '{"type":"struct","fields":[{"name":"a","type":"decimal(5,6)"}]}',
      '{"type":"struct","fields":[{"name":"a","type":{"type":"array"}}]}',
      '{"type":"struct","fields":[{"name":"a","type":"long","nullable":"yes"}]}',
      '{"type":"struct","fields":[{"name":"a","type":42}]}'];
    for (const s of bad) {
      const e = catchError(() => parseSchema(s, ctx));
      expect(e.code, s).toBe('INVALID_SCHEMA');
      expect(e.message).toContain('version 7');
      expect(e.message).toContain('_delta_log/00000000000000000007.json');
      expect(e.version).toBe(7);
    }
    expect(catchError(() => parseSchema('{"type":"struct","fields":[{"name":"a","type":{"type":"array"}}]}')).message).toContain(
      '$.fields[0].type',
    );
  });

  it('physicalName throws when column mapping is on and the name is missing', () => {
    const f: StructField = { name: 'a', type: { type: 'long' }, nullable: true, metadata: {} };
    expect(physicalName(f, 'none')).toBe('a');
    expect(catchError(() => physicalName(f, 'name')).code).toBe('INVALID_SCHEMA');
    expect(columnMappingMode({ 'delta.columnMapping.mode': 'ID' })).toBe('id');
    expect(columnMappingMode({})).toBe('none');
    expect(catchError(() => columnMappingMode({ 'delta.columnMapping.mode': 'both' })).code).toBe('INVALID_LOG');
  });
});

// -------------------------------------------------------------------------------------------------
// Clustering
// -------------------------------------------------------------------------------------------------

describe('clusteringColumns', () => {
  const schema = parseSchema(
    JSON.stringify({
      type: 'struct',
      fields: [
        { name: 'col1', type: 'long', nullable: true, metadata: {} },
        {
          name: 'user',
          type: { type: 'struct', fields: [{ name: 'address', type: { type: 'struct', fields: [{ name: 'city', type: 'string', nullable: true, metadata: {} }] }, nullable: true, metadata: {} }] },
          nullable: true,
          metadata: {},
        },
      ],
    }),
  );

  it('parses the delta.clustering domain of crc-full', () => {
    // crc-full/_delta_log/00000000000000000000.crc: domainMetadata delta.clustering configuration.
    const crc = JSON.parse(readFileSync(join(logDir('crc-full'), '00000000000000000000.crc'), 'utf8'));
    const dm = crc.domainMetadata.find((d: { domain: string }) => d.domain === 'delta.clustering');
    expect(dm.configuration).toBe('{"clusteringColumns":[["col1"],["user","address","city"]]}');
    // Against its real schema (only `id`), nothing resolves; against a matching schema everything does.
    const real = parseSchema(crc.metadata.schemaString);
    expect(clusteringColumns(dm.configuration, real)).toEqual([
      { physicalPath: ['col1'], logicalPath: ['col1'], resolved: false },
      { physicalPath: ['user', 'address', 'city'], logicalPath: ['user', 'address', 'city'], resolved: false },
    ]);
    const cols = clusteringColumns(dm.configuration, schema, 'none');
    expect(cols.map((c) => [c.logicalPath, c.resolved])).toEqual([
      [['col1'], true],
      [['user', 'address', 'city'], true],
    ]);
    expect(cols[1].field?.type).toEqual({ type: 'string' });
  });

  it('parses the legacy delta.liquid domain of table_with_liquid_clustering', () => {
    const dm = commits('table_with_liquid_clustering')
      .flatMap((c) => c.actions)
      .find((a) => a.domainMetadata?.domain === 'delta.liquid')!.domainMetadata!;
    // Raw: {"clusteringColumns":[{"physicalName":["id"]}],"domainName":"delta.liquid"}
    const s = parseSchema(commits('table_with_liquid_clustering')[0].actions.find((a) => a.metaData)!.metaData!.schemaString!);
    expect(clusteringColumns(dm.configuration, s)).toEqual([
      { physicalPath: ['id'], logicalPath: ['id'], resolved: true, field: field(s, 'id') },
    ]);
  });

  it('maps physical names to logical names under column mapping (protocol example shape)', () => {
    const mapped = parseSchema(
      JSON.stringify({
        type: 'struct',
        fields: [
          { name: 'a', type: 'long', nullable: true, metadata: { 'delta.columnMapping.id': 1, 'delta.columnMapping.physicalName': 'col-daadafd7-7c20-4697-98f8-bff70199b1f9' } },
          { name: 'b', type: 'long', nullable: true, metadata: { 'delta.columnMapping.id': 2, 'delta.columnMapping.physicalName': 'col-5abe0e80-cf57-47ac-9ffc-a861a3d1077e' } },
        ],
      }),
    );
    // Configuration from the protocol's "Clustered Table" example (a flat list of physical names).
    const config = '{"clusteringColumns":["col-daadafd7-7c20-4697-98f8-bff70199b1f9", "col-5abe0e80-cf57-47ac-9ffc-a861a3d1077e"]}';
    expect(clusteringColumns(config, mapped, 'name').map((c) => c.logicalPath)).toEqual([['a'], ['b']]);
    expect(clusteringColumns(config, mapped).map((c) => c.logicalPath)).toEqual([['a'], ['b']]);
    expect(clusteringColumns(config).map((c) => c.resolved)).toEqual([false, false]);
    expect(catchError(() => clusteringColumns('nope')).code).toBe('INVALID_LOG');
    expect(catchError(() => clusteringColumns('{"clusteringColumns":[3]}')).code).toBe('INVALID_LOG');
  });
});

// -------------------------------------------------------------------------------------------------
// Partition values
// -------------------------------------------------------------------------------------------------


describe('fixture sanity', () => {
  it('the fixture folder is where the tests expect it', () => {
    expect(existsSync(join(TABLES, 'basic-decimal-table', '_delta_log'))).toBe(true);
  });
});
