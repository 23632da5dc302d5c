import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeltaError } from './errors.ts';
import { parquetWasm } from './parquet.ts';
import {
  checkConstraints,
  clusteringColumns,
  columnMappingMode,
  deltaTypeName,
  fieldInfo,
  findUnknownTypes,
  formatPartitionValue,
  formatType,
  leafColumns,
  parsePartitionValue,
  parsePartitionValues,
  parseSchema,
  partitionColumnInfo,
  physicalName,
  type DataType,
  type PartitionValue,
  type StructField,
  type StructType,
} from './schema.ts';

const TABLES = join(import.meta.dirname, '../../test/fixtures/tables');
const COMMIT_RE = /^(\d{20})\.json$/;
const CLASSIC_CHECKPOINT_RE = /^(\d{20})\.checkpoint(\.\d{10}\.\d{10})?\.parquet$/;

interface RawMetadata {
  schemaString?: string;
  partitionColumns?: string[];
  configuration?: Record<string, string>;
}

interface RawAction {
  metaData?: RawMetadata;
  add?: { partitionValues?: Record<string, string | null> };
  remove?: { partitionValues?: Record<string, string | null> };
  cdc?: { partitionValues?: Record<string, string | null> };
  domainMetadata?: { domain: string; configuration: string; removed: boolean };
}

function tableNames(): string[] {
  return readdirSync(TABLES).sort();
}

function logDir(table: string): string {
  return join(TABLES, table, '_delta_log');
}

/** JSON commits of a table in version order, each as its list of actions. */
function commits(table: string): { version: number; file: string; actions: RawAction[] }[] {
  return readdirSync(logDir(table))
    .filter((f) => COMMIT_RE.test(f))
    .sort()
    .map((file) => ({
      version: Number(COMMIT_RE.exec(file)![1]),
      file: `_delta_log/${file}`,
      actions: readFileSync(join(logDir(table), file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as RawAction),
    }));
}

/** Arrow values (structs, maps) to plain JS. */
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return v;
  if (typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return plain((v as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** The `metaData` and `add` rows of a classic checkpoint (single or multi-part) read with parquet-wasm. */
async function readCheckpoint(table: string, file: string): Promise<RawAction[]> {
  const wasm = await parquetWasm();
  const bytes = new Uint8Array(readFileSync(join(logDir(table), file)));
  const t = tableFromIPC(wasm.readParquet(bytes, { columns: ['metaData', 'add'] }).intoIPCStream());
  const out: RawAction[] = [];
  for (const row of t) {
    const r = plain(row) as RawAction;
    if (r.metaData) out.push({ metaData: r.metaData });
    if (r.add) out.push({ add: r.add });
  }
  return out;
}

function classicCheckpoints(table: string): { version: number; file: string }[] {
  return readdirSync(logDir(table))
    .filter((f) => CLASSIC_CHECKPOINT_RE.test(f))
    .sort()
    .map((file) => ({ version: Number(CLASSIC_CHECKPOINT_RE.exec(file)![1]), file }));
}

/** The latest metaData of a table: from its JSON commits, else from its newest classic checkpoint. */
async function latestMetadata(table: string): Promise<{ meta: RawMetadata; source: string } | undefined> {
  let found: { meta: RawMetadata; source: string } | undefined;
  for (const c of commits(table)) {
    for (const a of c.actions) if (a.metaData?.schemaString) found = { meta: a.metaData, source: c.file };
  }
  if (found) return found;
  const cps = classicCheckpoints(table);
  for (const cp of cps.reverse()) {
    const meta = (await readCheckpoint(table, cp.file)).find((a) => a.metaData?.schemaString)?.metaData;
    if (meta) return { meta, source: `_delta_log/${cp.file}` };
  }
  return undefined;
}

async function schemaOf(table: string): Promise<{ schema: StructType; meta: RawMetadata }> {
  const m = await latestMetadata(table);
  if (!m) throw new Error(`no metaData in ${table}`);
  return { schema: parseSchema(m.meta.schemaString!, { path: m.source }), meta: m.meta };
}

function field(schema: StructType, name: string): StructField {
  const f = schema.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
}

function catchError(fn: () => unknown): DeltaError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DeltaError) return e;
    throw e;
  }
  throw new Error('expected a DeltaError');
}

// -------------------------------------------------------------------------------------------------
// parseSchema over every fixture
// -------------------------------------------------------------------------------------------------

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

const T = (type: DataType['type']): DataType => ({ type }) as DataType;
const dec = (precision: number, scale: number): DataType => ({ type: 'decimal', precision, scale });

describe('partition values of every fixture', () => {
  it('parses every partitionValues entry of every JSON commit and classic checkpoint', async () => {
    let parsedValues = 0;
    const orphanKeys = new Set<string>();
    for (const table of tableNames()) {
      const cps = classicCheckpoints(table);
      // Metadata in force before the first JSON commit: from the first checkpoint, if any.
      let meta: RawMetadata | undefined;
      const checkpointActions = new Map<string, RawAction[]>();
      for (const cp of cps) checkpointActions.set(cp.file, await readCheckpoint(table, cp.file));
      const first = cps[0] && checkpointActions.get(cps[0].file)!.find((a) => a.metaData?.schemaString);
      meta = first?.metaData;

      const check = (m: RawMetadata, pvs: Record<string, string | null>, version: number | undefined, path: string): void => {
        const schema = parseSchema(m.schemaString!, { version, path });
        const cols = partitionColumnInfo(schema, m.partitionColumns ?? [], columnMappingMode(m.configuration), { version, path });
        const keys = new Set(cols.map((c) => c.key));
        for (const k of Object.keys(pvs)) if (!keys.has(k)) orphanKeys.add(`${table}:${k}`);
        const values = parsePartitionValues(pvs, cols, { version, path });
        parsedValues += Object.keys(values).length;
      };

      for (const [file, actions] of checkpointActions) {
        const m = actions.find((a) => a.metaData?.schemaString)?.metaData;
        for (const a of actions) if (a.add?.partitionValues && m) check(m, a.add.partitionValues, undefined, file);
      }
      for (const c of commits(table)) {
        for (const a of c.actions) {
          if (a.metaData?.schemaString) meta = a.metaData;
          for (const fa of [a.add, a.remove, a.cdc]) {
            if (fa?.partitionValues && meta) check(meta, fa.partitionValues, c.version, c.file);
          }
        }
      }
    }
    expect(parsedValues).toBeGreaterThan(200);
    // table-with-cdf carries a partition value for a column that is neither a partition column
    // nor in its schema ("partitionValues":{"partition_foo":"partition_bar"}, partitionColumns []).
    expect([...orphanKeys]).toEqual(['table-with-cdf:partition_foo']);
  });
});

describe('parsePartitionValue on fixture values', () => {
  it('delta-2.2.0-partitioned-types', () => {
    // Raw: "partitionValues":{"c1":"4","c2":"c"} (c1 integer, c2 string).
    expect(parsePartitionValue('4', T('integer'))).toBe(4);
    expect(parsePartitionValue('c', T('string'))).toBe('c');
  });

  it('partition-type-primitives: all partition columns are strings', async () => {
    const { schema, meta } = await schemaOf('partition-type-primitives');
    const cols = partitionColumnInfo(schema, meta.partitionColumns!, 'none');
    // Raw: {"is_active":"true","event_date":"2023-01-02","category":"A","year":"2021.0"}; all four are `string` columns.
    expect(parsePartitionValues({ is_active: 'true', event_date: '2023-01-02', category: 'A', year: '2021.0' }, cols)).toEqual({
      year: '2021.0',
      is_active: 'true',
      event_date: '2023-01-02',
      category: 'A',
    });
    // Hand-worked: the same raw strings under the types the names suggest.
    expect(parsePartitionValue('true', T('boolean'))).toBe(true);
    expect(parsePartitionValue('2023-01-02', T('date'))).toBe('2023-01-02');
    expect(catchError(() => parsePartitionValue('2021.0', T('integer'), { column: 'year' })).message).toContain('"year"');
    expect(parsePartitionValue('2021.0', T('double'))).toBe(2021);
  });

  it('basic-decimal-table: negative, small and large decimals', () => {
    // Raw values of the four add actions, column part decimal(12,5).
    const t = dec(12, 5);
    expect(parsePartitionValue('-2342342.23423', t)).toBe('-2342342.23423');
    expect(parsePartitionValue('0.00004', t)).toBe('0.00004');
    expect(parsePartitionValue('234.00000', t)).toBe('234.00000');
    expect(parsePartitionValue('2342222.23454', t)).toBe('2342222.23454');
    // Hand-worked: 12-5 = 7 integer digits at most.
    expect(parsePartitionValue('9999999.99999', t)).toBe('9999999.99999');
    expect(catchError(() => parsePartitionValue('10000000', t)).code).toBe('INVALID_PARTITION_VALUE');
    expect(parsePartitionValue('234', t)).toBe('234.00000');
  });

  it('decimal cases from delta-kernel-rs (kernel/src/expressions/scalars.rs test_parse_decimal)', () => {
    expect(parsePartitionValue('0.999', dec(3, 3))).toBe('0.999');
    expect(parsePartitionValue('0', dec(1, 0))).toBe('0');
    expect(parsePartitionValue('0.00', dec(3, 2))).toBe('0.00');
    expect(parsePartitionValue('-123', dec(3, 0))).toBe('-123');
    expect(parsePartitionValue('-123.', dec(3, 0))).toBe('-123');
    expect(parsePartitionValue('12.3', dec(3, 1))).toBe('12.3');
    expect(parsePartitionValue('0.00123', dec(5, 5))).toBe('0.00123');
    expect(parsePartitionValue('1234.5E-4', dec(5, 5))).toBe('0.12345');
    expect(parsePartitionValue('-0', dec(1, 0))).toBe('0');
    expect(parsePartitionValue('12.000000000000000000', dec(38, 18))).toBe('12.000000000000000000');
    // test_parse_decimal_expect_fail
    for (const [raw, p, s] of [
      ['1.000', 3, 3], ['iowjef', 1, 0], ['123Ef', 1, 0], ['1d2E3', 1, 0], ['a', 1, 0], ['2.a', 1, 1],
      ['E45', 1, 0], ['1.2.3', 1, 0], ['1.2E1.3', 1, 0], ['123.45', 5, 1], ['.45', 5, 1], ['+', 1, 0],
      ['-', 1, 0], ['0.-0', 2, 1], ['--1.0', 1, 1], ['+-1.0', 1, 1], ['-+1.0', 1, 1], ['++1.0', 1, 1], ['1.0E1+', 1, 1],
    ] as const) {
      expect(catchError(() => parsePartitionValue(raw, dec(p, s))).code, raw).toBe('INVALID_PARTITION_VALUE');
    }
    // Divergence (documented): trailing zero digits beyond the scale are accepted, kernel rejects them.
    expect(parsePartitionValue('12.30', dec(3, 1))).toBe('12.3');
  });

  it('timestamp-partitioned-table', () => {
    // Raw: "partitionValues":{"time":"1971-07-22T03:06:40.000000Z"}; delta-kernel-rs
    // test_timestamp_iso8601_parse case z_seconds gives "1971-07-22T03:06:40Z" → 49000000000000.
    expect(parsePartitionValue('1971-07-22T03:06:40.000000Z', T('timestamp'))).toBe(49000000000000n);
    expect(formatPartitionValue(49000000000000n, T('timestamp'))).toBe('1971-07-22T03:06:40Z');
  });

  it('delta-0.8.0-null-partition', () => {
    // Raw: {"k":"A"} and {"k":null}.
    expect(parsePartitionValue('A', T('string'))).toBe('A');
    expect(parsePartitionValue(null, T('string'))).toBeNull();
    expect(parsePartitionValues({ k: null }, [{ name: 'k', key: 'k', type: T('string'), field: { name: 'k', type: T('string'), nullable: true, metadata: {} } }])).toEqual({ k: null });
  });

  it('data-reader-timestamp_ntz', () => {
    // Raw: {"tsNtzPartition":"2013-07-05 17:01:00.123456"}, {"tsNtzPartition":"2021-11-18 02:30:00.123456"}, {"tsNtzPartition":null}.
    // Expected: Date.UTC(2013,6,5,17,1,0)*1000 + 123456 and Date.UTC(2021,10,18,2,30,0)*1000 + 123456, computed by hand with node.
    expect(parsePartitionValue('2013-07-05 17:01:00.123456', T('timestamp_ntz'))).toBe(1373043660123456n);
    expect(parsePartitionValue('2021-11-18 02:30:00.123456', T('timestamp_ntz'))).toBe(1637202600123456n);
    expect(parsePartitionValue(null, T('timestamp_ntz'))).toBeNull();
    expect(formatPartitionValue(1373043660123456n, T('timestamp_ntz'))).toBe('2013-07-05 17:01:00.123456');
  });

  it('table_with_column_mapping: values keyed by physical name', async () => {
    const { schema, meta } = await schemaOf('table_with_column_mapping');
    const cols = partitionColumnInfo(schema, meta.partitionColumns!, columnMappingMode(meta.configuration));
    // Raw: "partitionValues":{"col-173b4db9-b5ad-427f-9e75-516aae37fbbb":"BMS"}
    expect(parsePartitionValues({ 'col-173b4db9-b5ad-427f-9e75-516aae37fbbb': 'BMS' }, cols)).toEqual({ 'Company Very Short': 'BMS' });
  });
});

describe('parsePartitionValue rules', () => {
  it('null and empty string are null for every type (protocol "Partition Value Serialization")', () => {
    const types: DataType[] = [
      T('string'), T('long'), T('integer'), T('short'), T('byte'), T('float'), T('double'), T('boolean'), T('binary'),
      T('date'), T('timestamp'), T('timestamp_ntz'), T('void'), T('variant'), dec(10, 2),
      { type: 'array', elementType: T('long'), containsNull: true }, { type: 'unknown', name: 'geometry(OGC:CRS84)' },
    ];
    for (const t of types) {
      expect(parsePartitionValue('', t)).toBeNull();
      expect(parsePartitionValue(null, t)).toBeNull();
      expect(parsePartitionValue(undefined, t)).toBeNull();
    }
  });

  it('integers: ranges, long as number or bigint', () => {
    expect(parsePartitionValue('-128', T('byte'))).toBe(-128);
    expect(catchError(() => parsePartitionValue('128', T('byte'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(parsePartitionValue('32767', T('short'))).toBe(32767);
    expect(catchError(() => parsePartitionValue('-32769', T('short'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(parsePartitionValue('2147483647', T('integer'))).toBe(2147483647);
    expect(catchError(() => parsePartitionValue('2147483648', T('integer'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(catchError(() => parsePartitionValue('1.5', T('integer'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(catchError(() => parsePartitionValue(' 1', T('integer'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(parsePartitionValue('9007199254740991', T('long'))).toBe(9007199254740991);
    expect(parsePartitionValue('9007199254740992', T('long'))).toBe(9007199254740992n);
    expect(parsePartitionValue('-9223372036854775808', T('long'))).toBe(-9223372036854775808n);
    expect(catchError(() => parsePartitionValue('9223372036854775808', T('long'))).code).toBe('INVALID_PARTITION_VALUE');
  });

  it('floating point incl. NaN and infinities', () => {
    // delta-0.8.0-numeric-partition raw values for y (double): "9.9", "10.0".
    expect(parsePartitionValue('9.9', T('double'))).toBe(9.9);
    expect(parsePartitionValue('10.0', T('double'))).toBe(10);
    expect(parsePartitionValue('NaN', T('double'))).toBeNaN();
    expect(parsePartitionValue('Infinity', T('float'))).toBe(Infinity);
    expect(parsePartitionValue('-Infinity', T('double'))).toBe(-Infinity);
    expect(parsePartitionValue('1.0E10', T('double'))).toBe(1e10);
    expect(catchError(() => parsePartitionValue('abc', T('double'))).code).toBe('INVALID_PARTITION_VALUE');
  });

  it('booleans, dates, binary, void, nested types', () => {
    expect(parsePartitionValue('TRUE', T('boolean'))).toBe(true);
    expect(catchError(() => parsePartitionValue('yes', T('boolean'))).code).toBe('INVALID_PARTITION_VALUE');
    // Protocol: date "Encoded as {year}-{month}-{day}. For example, 1970-01-01".
    expect(parsePartitionValue('1970-01-01', T('date'))).toBe('1970-01-01');
    expect(parsePartitionValue('2020-2-9', T('date'))).toBe('2020-02-09');
    expect(parsePartitionValue('2024-02-29', T('date'))).toBe('2024-02-29');
    expect(catchError(() => parsePartitionValue('2023-02-29', T('date'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(catchError(() => parsePartitionValue('2023-13-01', T('date'))).code).toBe('INVALID_PARTITION_VALUE');
    // Protocol: binary example "\u0001\u0002\u0003".
    expect(parsePartitionValue('\u0001\u0002\u0003', T('binary'))).toEqual(new Uint8Array([1, 2, 3]));
    expect(formatPartitionValue(new Uint8Array([1, 2, 255]), T('binary'))).toBe('0x0102ff');
    expect(catchError(() => parsePartitionValue('x', T('void'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(catchError(() => parsePartitionValue('x', T('variant'))).code).toBe('INVALID_PARTITION_VALUE');
  });

  it('timestamps: cases from delta-kernel-rs (scalars.rs test_timestamp_*_parse)', () => {
    // test_timestamp_space_form_parse, both types.
    for (const t of [T('timestamp'), T('timestamp_ntz')]) {
      expect(parsePartitionValue('2011-01-11 13:06:07', t)).toBe(1294751167000000n);
      expect(parsePartitionValue('2011-01-11 13:06:07.123456', t)).toBe(1294751167123456n);
      expect(parsePartitionValue('1970-01-01 00:00:00', t)).toBe(0n);
    }
    // test_timestamp_iso8601_parse.
    const iso: [string, bigint][] = [
      ['1971-07-22T03:06:40.678910Z', 49000000678910n],
      ['1971-07-22T03:06:40Z', 49000000000000n],
      ['2024-06-15T14:30:00Z', 1718461800000000n],
      ['2024-06-15t14:30:00z', 1718461800000000n],
      ['2024-06-15T14:30:00+00:00', 1718461800000000n],
      ['2024-06-15T14:30:00-00:00', 1718461800000000n],
      ['2024-06-15T14:30:00+05:00', 1718443800000000n],
      ['2024-06-15T14:30:00-05:00', 1718479800000000n],
      ['2024-06-15T14:30:00+05:30', 1718442000000000n],
      ['2024-06-15T14:30:00+0530', 1718442000000000n],
      ['2024-06-15T14:30:00.456+05:00', 1718443800456000n],
      ['2024-06-15 14:30:00+05:00', 1718443800000000n],
      ['1970-01-01T00:00:00+05:00', -18000000000n],
    ];
    for (const [raw, micros] of iso) expect(parsePartitionValue(raw, T('timestamp')), raw).toBe(micros);
    // test_timestamp_parse_fails (timestamp_ntz rejects zones and date-only; timestamp rejects date-only and +24:00).
    for (const raw of ['1971-07-22T03:06:40.678910Z', '1971-07-22T03:06:40Z', '2024-06-15T14:30:00+05:00', '2024-06-15 14:30:00+05:00', '1971-07-22']) {
      expect(catchError(() => parsePartitionValue(raw, T('timestamp_ntz'))).code, raw).toBe('INVALID_PARTITION_VALUE');
    }
    for (const raw of ['1971-07-22', '2024-06-15T14:30:00+24:00']) {
      expect(catchError(() => parsePartitionValue(raw, T('timestamp'))).code, raw).toBe('INVALID_PARTITION_VALUE');
    }
    // Divergence (documented): a zoneless T form is read as UTC, like the space form; kernel rejects it.
    expect(parsePartitionValue('2024-06-15T14:30:00', T('timestamp'))).toBe(1718461800000000n);
    // Hand-worked: nanoseconds are truncated; pre-epoch values are negative.
    expect(parsePartitionValue('1970-01-01 00:00:00.123456789', T('timestamp'))).toBe(123456n);
    expect(parsePartitionValue('1969-12-31 23:59:59.999999', T('timestamp'))).toBe(-1n);
    expect(formatPartitionValue(-1n, T('timestamp'))).toBe('1969-12-31T23:59:59.999999Z');
    expect(catchError(() => parsePartitionValue('2024-06-15 24:00:00', T('timestamp'))).code).toBe('INVALID_PARTITION_VALUE');
  });

  it('errors name the column, value, type and location', () => {
    const e = catchError(() =>
      parsePartitionValue('abc', T('integer'), { column: 'year', version: 3, path: '_delta_log/00000000000000000003.json' }),
    );
    expect(e.code).toBe('INVALID_PARTITION_VALUE');
    expect(e.message).toContain('"abc"');
    expect(e.message).toContain('"year"');
    expect(e.message).toContain('int');
    expect(e.message).toContain('version 3');
    expect(e.version).toBe(3);
    expect(e.path).toBe('_delta_log/00000000000000000003.json');
  });
});

describe('formatPartitionValue', () => {
  it('formats each family', () => {
    expect(formatPartitionValue(null, T('long'))).toBe('null');
    expect(formatPartitionValue(9223372036854775807n, T('long'))).toBe('9223372036854775807');
    expect(formatPartitionValue(NaN, T('double'))).toBe('NaN');
    expect(formatPartitionValue(true, T('boolean'))).toBe('true');
    expect(formatPartitionValue('-12.50', dec(4, 2))).toBe('-12.50');
    expect(formatPartitionValue(1500000n, T('timestamp'))).toBe('1970-01-01T00:00:01.5Z');
  });

  it('round-trips through parsePartitionValue (property)', () => {
    const micros = fc.bigInt({ min: -62135596800000000n, max: 253402300799999999n }); // years 0001..9999
    fc.assert(
      fc.property(micros, (m) => {
        for (const t of [T('timestamp'), T('timestamp_ntz')]) {
          expect(parsePartitionValue(formatPartitionValue(m, t), t)).toBe(m);
        }
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -719162, max: 2932896 }), (days) => {
        // Date's own calendar (proleptic Gregorian, UTC) as the independent reference.
        const d = new Date(days * 86400000).toISOString().slice(0, 10);
        expect(parsePartitionValue(d, T('date'))).toBe(d);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n) + 1n, max: 10n ** 12n - 1n }), fc.integer({ min: 0, max: 12 }), (unscaled, scale) => {
        const t = dec(12, scale);
        const neg = unscaled < 0n;
        const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
        const text = (neg ? '-' : '') + (scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits);
        const parsed = parsePartitionValue(text, t);
        expect(parsePartitionValue(formatPartitionValue(parsed, t), t)).toBe(parsed);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const v: PartitionValue = parsePartitionValue(n.toString(), T('long'));
        expect(BigInt(v as number | bigint)).toBe(n);
        expect(formatPartitionValue(v, T('long'))).toBe(n.toString());
      }),
    );
    fc.assert(
      fc.property(fc.double(), (x) => {
        const v = parsePartitionValue(formatPartitionValue(x, T('double')), T('double'));
        expect(Object.is(v, x) || (x === 0 && v === 0)).toBe(true);
      }),
    );
  });
});

describe('fixture sanity', () => {
  it('the fixture folder is where the tests expect it', () => {
    expect(existsSync(join(TABLES, 'basic-decimal-table', '_delta_log'))).toBe(true);
  });
});
