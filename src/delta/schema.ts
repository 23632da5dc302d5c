/**
 * Table schemas (protocol appendix "Schema Serialization Format"), column metadata (sections
 * "Column Mapping", "Generated Columns", "Identity Columns", "Default Columns", "Column Invariants",
 * "Type Widening", collations), CHECK constraints, clustering columns ("Clustered Table") and
 * partition values (appendix "Partition Value Serialization").
 *
 * Pure TypeScript: no DOM, no I/O. Every failure is a {@link DeltaError}.
 */
import { DeltaError } from './errors.ts';
import type { Protocol } from './features.ts';

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** Names of the primitive types of the protocol ("Primitive Types", plus `void` and `variant`). */
export type PrimitiveTypeName =
  | 'string'
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'float'
  | 'double'
  | 'boolean'
  | 'binary'
  | 'date'
  | 'timestamp'
  | 'timestamp_ntz'
  | 'void'
  | 'variant';

/** Every primitive type name, in the protocol's order. */
export const PRIMITIVE_TYPE_NAMES: readonly PrimitiveTypeName[] = [
  'string',
  'long',
  'integer',
  'short',
  'byte',
  'float',
  'double',
  'boolean',
  'binary',
  'date',
  'timestamp',
  'timestamp_ntz',
  'void',
  'variant',
];

/** A primitive type other than decimal, e.g. `{ type: 'long' }` for the schema JSON `"long"`. */
export interface PrimitiveType {
  type: PrimitiveTypeName;
}

/** `decimal(precision,scale)`: precision 1..38 digits, scale 0..precision digits after the point. */
export interface DecimalType {
  type: 'decimal';
  precision: number;
  scale: number;
}

/** A struct: the table schema itself or a nested struct column ("Struct Type"). */
export interface StructType {
  type: 'struct';
  fields: StructField[];
}

/** An array ("Array Type"). */
export interface ArrayType {
  type: 'array';
  elementType: DataType;
  containsNull: boolean;
}

/** A map ("Map Type"). */
export interface MapType {
  type: 'map';
  keyType: DataType;
  valueType: DataType;
  valueContainsNull: boolean;
}

/**
 * A type name this reader does not know, kept verbatim so metadata views still work: e.g.
 * `geometry(OGC:CRS84)` (feature `geospatial`), interval types, a future type, or an object form
 * with an unknown `type` (then `name` is that `type` and `json` the whole object).
 *
 * {@link parseSchema} does not reject these: whether the table can be read is decided by the
 * protocol's reader features (see `features.ts`); use {@link findUnknownTypes} to list them.
 */
export interface UnknownType {
  type: 'unknown';
  /** The type name as written in the schema, e.g. `geography(OGC:CRS84, spherical)`. */
  name: string;
  /** The raw JSON when the type was an object. */
  json?: unknown;
}

/**
 * A Delta data type: a discriminated union on `type`, shaped like the schema JSON (a primitive
 * `"long"` becomes `{ type: 'long' }`, `"decimal(10,2)"` becomes `{ type: 'decimal', precision: 10, scale: 2 }`).
 */
export type DataType = PrimitiveType | DecimalType | StructType | ArrayType | MapType | UnknownType;

/** A (possibly nested) column ("Struct Field"). `metadata` is the raw column metadata JSON object. */
export interface StructField {
  name: string;
  type: DataType;
  nullable: boolean;
  metadata: Record<string, unknown>;
}

/** Where a schema came from, for error messages. */
export interface SchemaContext {
  /** Table version of the `metaData` action. */
  version?: number;
  /** Object the schema was read from, e.g. `_delta_log/00000000000000000003.json`. */
  path?: string;
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const PRIMITIVES = new Set<string>(PRIMITIVE_TYPE_NAMES);
const DECIMAL_RE = /^decimal\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/i;

function where(ctx: SchemaContext | undefined): string {
  const parts: string[] = [];
  if (ctx?.version !== undefined) parts.push(`version ${ctx.version}`);
  if (ctx?.path) parts.push(ctx.path);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function schemaError(detail: string, at: string, ctx: SchemaContext | undefined, cause?: unknown): DeltaError {
  const loc = at ? ` at ${at}` : '';
  return new DeltaError('INVALID_SCHEMA', `Invalid table schema${where(ctx)}${loc}: ${detail}`, {
    version: ctx?.version,
    path: ctx?.path,
    hint: 'The metaData.schemaString of this version is not a valid Delta schema; the table was probably written by a faulty writer.',
    cause,
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseTypeName(name: string, at: string, ctx: SchemaContext | undefined): DataType {
  if (PRIMITIVES.has(name)) return { type: name as PrimitiveTypeName };
  if (name === 'decimal') return { type: 'decimal', precision: 10, scale: 0 };
  const m = DECIMAL_RE.exec(name);
  if (m) {
    const precision = Number(m[1]);
    const scale = Number(m[2]);
    if (precision < 1 || precision > 38 || scale > precision) {
      throw schemaError(`decimal precision must be 1..38 and scale 0..precision, got "${name}"`, at, ctx);
    }
    return { type: 'decimal', precision, scale };
  }
  if (name.trim() === '') throw schemaError('empty type name', at, ctx);
  return { type: 'unknown', name };
}

function parseBool(v: unknown, key: string, at: string, ctx: SchemaContext | undefined): boolean {
  // Missing flags default to true (nullable), as the protocol's own examples sometimes omit them.
  if (v === undefined || v === null) return true;
  if (typeof v !== 'boolean') throw schemaError(`"${key}" must be a boolean`, at, ctx);
  return v;
}

function parseType(json: unknown, at: string, ctx: SchemaContext | undefined): DataType {
  if (typeof json === 'string') return parseTypeName(json, at, ctx);
  if (!isObject(json)) throw schemaError('a type must be a type name or an object', at, ctx);
  const kind = json.type;
  if (typeof kind !== 'string') throw schemaError('a type object needs a string "type"', at, ctx);
  switch (kind) {
    case 'struct': {
      if (!Array.isArray(json.fields)) throw schemaError('a struct needs a "fields" array', at, ctx);
      return {
        type: 'struct',
        fields: json.fields.map((f, i) => parseField(f, `${at}.fields[${i}]`, ctx)),
      };
    }
    case 'array': {
      if (json.elementType === undefined) throw schemaError('an array needs an "elementType"', at, ctx);
      return {
        type: 'array',
        elementType: parseType(json.elementType, `${at}.elementType`, ctx),
        containsNull: parseBool(json.containsNull, 'containsNull', at, ctx),
      };
    }
    case 'map': {
      if (json.keyType === undefined || json.valueType === undefined) {
        throw schemaError('a map needs "keyType" and "valueType"', at, ctx);
      }
      return {
        type: 'map',
        keyType: parseType(json.keyType, `${at}.keyType`, ctx),
        valueType: parseType(json.valueType, `${at}.valueType`, ctx),
        valueContainsNull: parseBool(json.valueContainsNull, 'valueContainsNull', at, ctx),
      };
    }
    default: {
      // `{"type": "variant"}` (protocol "Variant Type") and other primitives in object form.
      const t = parseTypeName(kind, at, ctx);
      if (t.type === 'unknown') return { type: 'unknown', name: kind, json };
      return t;
    }
  }
}

function parseField(json: unknown, at: string, ctx: SchemaContext | undefined): StructField {
  if (!isObject(json)) throw schemaError('a struct field must be an object', at, ctx);
  if (typeof json.name !== 'string') throw schemaError('a struct field needs a string "name"', at, ctx);
  const here = `${at} ("${json.name}")`;
  if (json.type === undefined) throw schemaError('a struct field needs a "type"', here, ctx);
  const metadata = json.metadata;
  if (metadata !== undefined && metadata !== null && !isObject(metadata)) {
    throw schemaError('"metadata" must be an object', here, ctx);
  }
  return {
    name: json.name,
    type: parseType(json.type, `${at}.type`, ctx),
    nullable: parseBool(json.nullable, 'nullable', here, ctx),
    metadata: (metadata as Record<string, unknown> | undefined) ?? {},
  };
}

/**
 * Parses a `metaData.schemaString` (protocol appendix "Schema Serialization Format").
 *
 * Returns the top-level {@link StructType}. Lenient where the protocol's own examples are: a missing
 * `nullable` / `containsNull` / `valueContainsNull` means `true`, a missing `metadata` means `{}`,
 * `"decimal"` alone means `decimal(10,0)` (Spark's default) and `decimal(p, s)` may contain spaces.
 *
 * Unknown type names (e.g. `geometry(OGC:CRS84)`) are NOT an error: they become
 * `{ type: 'unknown', name }` so schema and history views keep working; refusing to read data is
 * the job of the reader-feature check (`features.ts`). Throws `INVALID_SCHEMA` (naming
 * `ctx.version` / `ctx.path` and the JSON location) for invalid JSON, a top level that is not a
 * struct, malformed fields, or a decimal outside precision 1..38 / scale 0..precision.
 */
export function parseSchema(schemaString: string, ctx?: SchemaContext): StructType {
  let json: unknown;
  try {
    json = JSON.parse(schemaString);
  } catch (e) {
    throw schemaError(`not valid JSON (${(e as Error).message})`, '', ctx, e);
  }
  const t = parseType(json, '$', ctx);
  if (t.type !== 'struct') throw schemaError('the top level must be a struct', '$', ctx);
  return t;
}

/**
 * Lists the {@link UnknownType}s in a schema with the logical path of the column holding each
 * (`element` / `key` / `value` segments for arrays and maps), e.g. `[{ path: ['geom'], name: 'geometry(OGC:CRS84)' }]`.
 */
export function findUnknownTypes(schema: StructType): { path: string[]; name: string }[] {
  const out: { path: string[]; name: string }[] = [];
  const visit = (t: DataType, path: string[]): void => {
    switch (t.type) {
      case 'unknown':
        out.push({ path, name: t.name });
        break;
      case 'struct':
        for (const f of t.fields) visit(f.type, [...path, f.name]);
        break;
      case 'array':
        visit(t.elementType, [...path, 'element']);
        break;
      case 'map':
        visit(t.keyType, [...path, 'key']);
        visit(t.valueType, [...path, 'value']);
        break;
      default:
        break;
    }
  };
  visit(schema, []);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

const SIMPLE_NAMES: Record<PrimitiveTypeName, string> = {
  string: 'string',
  long: 'bigint',
  integer: 'int',
  short: 'smallint',
  byte: 'tinyint',
  float: 'float',
  double: 'double',
  boolean: 'boolean',
  binary: 'binary',
  date: 'date',
  timestamp: 'timestamp',
  timestamp_ntz: 'timestamp_ntz',
  void: 'void',
  variant: 'variant',
};

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quoteName(name: string): string {
  return PLAIN_IDENTIFIER.test(name) ? name : '`' + name.replace(/`/g, '``') + '`';
}

/**
 * Formats a type the way Spark SQL prints it (`DataType.catalogString`): `int`, `bigint`,
 * `smallint`, `tinyint`, `decimal(10,2)`, `array<int>`, `map<string,bigint>`,
 * `struct<a:int,b:string>`. Struct field names that are not plain identifiers are quoted with
 * backticks (`` struct<`a b`:int> ``). Unknown types print their raw name.
 */
export function formatType(t: DataType): string {
  switch (t.type) {
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'struct':
      return `struct<${t.fields.map((f) => `${quoteName(f.name)}:${formatType(f.type)}`).join(',')}>`;
    case 'array':
      return `array<${formatType(t.elementType)}>`;
    case 'map':
      return `map<${formatType(t.keyType)},${formatType(t.valueType)}>`;
    case 'unknown':
      return t.name;
    default:
      return SIMPLE_NAMES[t.type];
  }
}

/**
 * The type's name as written in a Delta schema JSON for primitives (`integer`, `long`,
 * `decimal(10,2)`, `timestamp_ntz`), and the Spark form ({@link formatType}) for nested types.
 * Matches the names used in `delta.typeChanges`.
 */
export function deltaTypeName(t: DataType): string {
  switch (t.type) {
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'struct':
    case 'array':
    case 'map':
      return formatType(t);
    case 'unknown':
      return t.name;
    default:
      return t.type;
  }
}

// ---------------------------------------------------------------------------------------------
// Column metadata
// ---------------------------------------------------------------------------------------------

/** Column metadata keys defined by the protocol. */
export const METADATA_KEYS = {
  comment: 'comment',
  columnMappingId: 'delta.columnMapping.id',
  physicalName: 'delta.columnMapping.physicalName',
  nestedIds: 'delta.columnMapping.nested.ids',
  generationExpression: 'delta.generationExpression',
  identityStart: 'delta.identity.start',
  identityStep: 'delta.identity.step',
  identityHighWaterMark: 'delta.identity.highWaterMark',
  identityAllowExplicitInsert: 'delta.identity.allowExplicitInsert',
  currentDefault: 'CURRENT_DEFAULT',
  invariants: 'delta.invariants',
  typeChanges: 'delta.typeChanges',
  collations: '__COLLATIONS',
} as const;

/**
 * Identity column settings (protocol "Identity Columns"). Values are JS numbers: the log stores
 * longs as JSON numbers, so values beyond ±2^53 have already lost precision in `JSON.parse`.
 */
export interface IdentityInfo {
  /** `delta.identity.start`; absent only in a malformed schema. */
  start?: number;
  /** `delta.identity.step` (never 0); absent only in a malformed schema. */
  step?: number;
  /** `delta.identity.highWaterMark`: the highest (lowest, for a negative step) value generated so far. */
  highWaterMark?: number;
  /** `delta.identity.allowExplicitInsert`: whether users may insert their own values. */
  allowExplicitInsert?: boolean;
}

/** One entry of `delta.typeChanges` (protocol "Type Change Metadata"). */
export interface TypeChange {
  /** Delta type name before the change, e.g. `integer`, `decimal(10,2)`. */
  fromType: string;
  /** Delta type name after the change. */
  toType: string;
  /** Table version of the change, when the writer recorded it (Delta Spark does). */
  tableVersion?: number;
  /** For a map key/value or array element: `key`, `value`, `element`, dotted when nested (`element.value`). */
  fieldPath?: string;
}

/** Typed view of a field's metadata; see {@link fieldInfo}. Every member is absent when not set. */
export interface FieldInfo {
  /** `comment`: the column comment. */
  comment?: string;
  /** `delta.columnMapping.id` ("Column Mapping"). */
  columnMappingId?: number;
  /** `delta.columnMapping.physicalName` ("Column Mapping"). */
  physicalName?: string;
  /** `delta.generationExpression`: SQL expression of a generated column ("Generated Columns"). */
  generationExpression?: string;
  /** `delta.identity.*` ("Identity Columns"), present when any of those keys is. */
  identity?: IdentityInfo;
  /** `CURRENT_DEFAULT`: SQL default expression ("Default Columns"). */
  defaultExpression?: string;
  /**
   * `delta.invariants` ("Column Invariants"): the SQL boolean expression found at
   * `expression.expression` of the JSON value, or the raw value when it is not that shape.
   */
  invariants?: string;
  /** `delta.typeChanges` ("Type Widening"), oldest first. */
  typeChanges?: TypeChange[];
  /**
   * `__COLLATIONS` (collations feature): collation identifier (e.g. `ICU.de_DE`,
   * `spark.UTF8_LCASE`) keyed by the field name, or by `<name>.element`, `<name>.key`, ... for
   * strings nested in arrays and maps.
   */
  collations?: Record<string, string>;
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function asBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

function maybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function parseTypeChanges(v: unknown): TypeChange[] | undefined {
  const list = maybeJson(v);
  if (!Array.isArray(list)) return undefined;
  const out: TypeChange[] = [];
  for (const item of list) {
    if (!isObject(item)) continue;
    const fromType = asString(item.fromType);
    const toType = asString(item.toType);
    if (fromType === undefined || toType === undefined) continue;
    const change: TypeChange = { fromType, toType };
    const tableVersion = asNumber(item.tableVersion);
    if (tableVersion !== undefined) change.tableVersion = tableVersion;
    const fieldPath = asString(item.fieldPath);
    if (fieldPath !== undefined) change.fieldPath = fieldPath;
    out.push(change);
  }
  return out;
}

/**
 * Reads the protocol-defined keys of a field's metadata into a typed {@link FieldInfo}; keys that
 * are absent or of an unexpected shape are left out (never throws). `delta.typeChanges` and
 * `delta.invariants` are accepted both as JSON values and as JSON strings (the protocol says
 * "JSON string"; Delta Spark writes `delta.typeChanges` as a JSON array).
 */
export function fieldInfo(field: StructField): FieldInfo {
  const m = field.metadata ?? {};
  const info: FieldInfo = {};
  const comment = asString(m[METADATA_KEYS.comment]);
  if (comment !== undefined) info.comment = comment;
  const id = asNumber(m[METADATA_KEYS.columnMappingId]);
  if (id !== undefined) info.columnMappingId = id;
  const physical = asString(m[METADATA_KEYS.physicalName]);
  if (physical !== undefined) info.physicalName = physical;
  const gen = asString(m[METADATA_KEYS.generationExpression]);
  if (gen !== undefined) info.generationExpression = gen;

  if (Object.keys(m).some((k) => k.startsWith('delta.identity.'))) {
    const identity: IdentityInfo = {};
    const start = asNumber(m[METADATA_KEYS.identityStart]);
    if (start !== undefined) identity.start = start;
    const step = asNumber(m[METADATA_KEYS.identityStep]);
    if (step !== undefined) identity.step = step;
    const hwm = asNumber(m[METADATA_KEYS.identityHighWaterMark]);
    if (hwm !== undefined) identity.highWaterMark = hwm;
    const allow = asBoolean(m[METADATA_KEYS.identityAllowExplicitInsert]);
    if (allow !== undefined) identity.allowExplicitInsert = allow;
    info.identity = identity;
  }

  const def = asString(m[METADATA_KEYS.currentDefault]);
  if (def !== undefined) info.defaultExpression = def;

  const inv = m[METADATA_KEYS.invariants];
  if (inv !== undefined && inv !== null) {
    const parsed = maybeJson(inv);
    const expr =
      isObject(parsed) && isObject(parsed.expression) ? asString(parsed.expression.expression) : undefined;
    info.invariants = expr ?? (typeof inv === 'string' ? inv : JSON.stringify(inv));
  }

  const changes = parseTypeChanges(m[METADATA_KEYS.typeChanges]);
  if (changes !== undefined) info.typeChanges = changes;

  const coll = maybeJson(m[METADATA_KEYS.collations]);
  if (isObject(coll)) {
    const collations: Record<string, string> = {};
    for (const [k, v] of Object.entries(coll)) if (typeof v === 'string') collations[k] = v;
    info.collations = collations;
  }
  return info;
}

// ---------------------------------------------------------------------------------------------
// Column mapping
// ---------------------------------------------------------------------------------------------

/** Column mapping mode (protocol "Column Mapping"). */
export type ColumnMappingMode = 'none' | 'name' | 'id';

/** Table property holding the column mapping mode. */
export const COLUMN_MAPPING_MODE_KEY = 'delta.columnMapping.mode';

/**
 * The column mapping mode from the table `configuration` (`delta.columnMapping.mode`, matched
 * case-insensitively; absent → `'none'`).
 *
 * Per the protocol the property is only honoured when the protocol supports column mapping
 * (reader version 2, or reader version 3 with `columnMapping` in `readerFeatures`): pass `protocol`
 * to apply that rule (an unsupported protocol then yields `'none'`). Throws `INVALID_LOG` for a
 * value other than `none` / `name` / `id`.
 */
export function columnMappingMode(
  configuration: Record<string, string> | null | undefined,
  protocol?: Protocol,
): ColumnMappingMode {
  if (protocol) {
    const v = protocol.minReaderVersion;
    const supported = v === 2 || (v >= 3 && (protocol.readerFeatures ?? []).includes('columnMapping'));
    if (!supported) return 'none';
  }
  const raw = configuration?.[COLUMN_MAPPING_MODE_KEY];
  if (raw === undefined || raw === null) return 'none';
  const mode = String(raw).trim().toLowerCase();
  if (mode === 'none' || mode === 'name' || mode === 'id') return mode;
  throw new DeltaError('INVALID_LOG', `Unknown column mapping mode "${raw}" in table property ${COLUMN_MAPPING_MODE_KEY}.`, {
    hint: 'Valid modes are none, name and id.',
  });
}

/**
 * The name the column has in data files, statistics and `partitionValues`: `field.name` in mode
 * `'none'`, its `delta.columnMapping.physicalName` in modes `'name'` and `'id'` (protocol
 * "Column Mapping"). Throws `INVALID_SCHEMA` when mapping is on and the field has no physical name.
 */
export function physicalName(field: StructField, mode: ColumnMappingMode): string {
  if (mode === 'none') return field.name;
  const p = field.metadata?.[METADATA_KEYS.physicalName];
  if (typeof p !== 'string' || p === '') {
    throw new DeltaError(
      'INVALID_SCHEMA',
      `Column "${field.name}" has no ${METADATA_KEYS.physicalName} although column mapping mode is "${mode}".`,
    );
  }
  return p;
}

/** One leaf column of a schema; see {@link leafColumns}. */
export interface LeafColumn {
  /** Logical (display) names from the top level down, e.g. `['address', 'city']`. */
  logicalPath: string[];
  /** Physical names (the keys of `stats` and `partitionValues`, and data-file column names). */
  physicalPath: string[];
  type: DataType;
  /** The leaf field's own `nullable` flag. */
  nullable: boolean;
  /** True when the leaf or any enclosing struct field is nullable (the value can be null in a row). */
  nullableInPath: boolean;
  /** `delta.columnMapping.id` of the leaf, when present. */
  columnMappingId?: number;
  field: StructField;
}

/**
 * Walks the schema depth-first in field order and returns every leaf column: struct fields are
 * descended into; everything else (primitives, arrays, maps, variant, unknown) is a leaf, as in
 * the per-file statistics layout ("Per-file Statistics": stats mirror the schema's structs, keyed
 * by physical names under column mapping). Throws `INVALID_SCHEMA` as {@link physicalName} does.
 */
export function leafColumns(schema: StructType, mode: ColumnMappingMode): LeafColumn[] {
  const out: LeafColumn[] = [];
  const walk = (struct: StructType, logical: string[], physical: string[], parentNullable: boolean): void => {
    for (const field of struct.fields) {
      const lp = [...logical, field.name];
      const pp = [...physical, physicalName(field, mode)];
      const nullableInPath = parentNullable || field.nullable;
      if (field.type.type === 'struct') {
        walk(field.type, lp, pp, nullableInPath);
      } else {
        const leaf: LeafColumn = {
          logicalPath: lp,
          physicalPath: pp,
          type: field.type,
          nullable: field.nullable,
          nullableInPath,
          field,
        };
        const id = asNumber(field.metadata?.[METADATA_KEYS.columnMappingId]);
        if (id !== undefined) leaf.columnMappingId = id;
        out.push(leaf);
      }
    }
  };
  walk(schema, [], [], false);
  return out;
}

/** A partition column resolved against the schema; see {@link partitionColumnInfo}. */
export interface PartitionColumn {
  /** Logical name (as in `metaData.partitionColumns` / the schema). */
  name: string;
  /** The key of this column in `add.partitionValues` (the physical name under column mapping). */
  key: string;
  type: DataType;
  field: StructField;
}

/**
 * Resolves `metaData.partitionColumns` (logical top-level names) against the schema: the type of
 * each and the key its values have in `partitionValues` (physical name under column mapping,
 * protocol "Reader Requirements for Column Mapping"). Names match exactly, else case-insensitively
 * (Spark column names are case-insensitive). Throws `INVALID_SCHEMA` for a partition column that is
 * not a top-level field.
 */
export function partitionColumnInfo(
  schema: StructType,
  partitionColumns: readonly string[],
  mode: ColumnMappingMode,
  ctx?: SchemaContext,
): PartitionColumn[] {
  return partitionColumns.map((name) => {
    const field =
      schema.fields.find((f) => f.name === name) ??
      schema.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) {
      throw new DeltaError('INVALID_SCHEMA', `Partition column "${name}" is not a column of the schema${where(ctx)}.`, {
        version: ctx?.version,
        path: ctx?.path,
      });
    }
    return { name: field.name, key: physicalName(field, mode), type: field.type, field };
  });
}

// ---------------------------------------------------------------------------------------------
// Table-level metadata: CHECK constraints, clustering
// ---------------------------------------------------------------------------------------------

/** A CHECK constraint (protocol "CHECK Constraints"). */
export interface CheckConstraint {
  /** Constraint name: the part of the key after `delta.constraints.`. */
  name: string;
  /** SQL boolean expression every row must satisfy. */
  expression: string;
}

const CONSTRAINT_PREFIX = 'delta.constraints.';

/**
 * The CHECK constraints stored in the table `configuration` as `delta.constraints.{name}` →
 * SQL expression (protocol "CHECK Constraints"), in configuration order.
 */
export function checkConstraints(configuration: Record<string, string> | null | undefined): CheckConstraint[] {
  const out: CheckConstraint[] = [];
  for (const [key, value] of Object.entries(configuration ?? {})) {
    if (key.startsWith(CONSTRAINT_PREFIX) && key.length > CONSTRAINT_PREFIX.length) {
      out.push({ name: key.slice(CONSTRAINT_PREFIX.length), expression: String(value) });
    }
  }
  return out;
}

/** Domain holding the clustering columns (protocol "Clustered Table"). */
export const CLUSTERING_DOMAIN = 'delta.clustering';

/** A clustering column; see {@link clusteringColumns}. */
export interface ClusteringColumn {
  /** Physical path as stored in the domain configuration. */
  physicalPath: string[];
  /**
   * Logical path resolved against the schema; when {@link resolved} is false, the segments from
   * the first unresolvable one on are left physical.
   */
  logicalPath: string[];
  /** Whether every segment was found in the schema. */
  resolved: boolean;
  /** The leaf field, when resolved. */
  field?: StructField;
}

function resolvePhysicalPath(
  physical: string[],
  schema: StructType | undefined,
  mode: ColumnMappingMode | undefined,
): ClusteringColumn {
  const logical: string[] = [];
  let struct: StructType | undefined = schema;
  let field: StructField | undefined;
  for (let i = 0; i < physical.length; i++) {
    const seg = physical[i];
    const match: StructField | undefined = struct?.fields.find((f) => {
      const p = f.metadata?.[METADATA_KEYS.physicalName];
      if (mode === 'none') return f.name === seg;
      if (mode === 'name' || mode === 'id') return p === seg;
      return (typeof p === 'string' ? p : f.name) === seg;
    });
    if (!match) {
      return { physicalPath: physical, logicalPath: [...logical, ...physical.slice(i)], resolved: false };
    }
    logical.push(match.name);
    field = match;
    struct = match.type.type === 'struct' ? match.type : undefined;
  }
  return { physicalPath: physical, logicalPath: logical, resolved: field !== undefined, field };
}

/**
 * Parses the `configuration` string of the `delta.clustering` domain metadata (protocol
 * "Clustered Table") and resolves each column against `schema`.
 *
 * Accepted shapes of `clusteringColumns`: a list of physical paths (`[["a"],["b","c"]]`, what Delta
 * Spark writes), a list of names (`["col-…"]`, the protocol's example) and the legacy
 * `delta.liquid` form (`[{"physicalName":["id"]}]`). Names are physical when column mapping is on;
 * with `mode` omitted a field matches by its physical name when it has one, else by its name.
 * Without `schema` nothing resolves and logical paths equal physical ones. Throws `INVALID_LOG`
 * when the configuration is not JSON or has no `clusteringColumns` list.
 */
export function clusteringColumns(
  domainConfiguration: string,
  schema?: StructType,
  mode?: ColumnMappingMode,
): ClusteringColumn[] {
  let json: unknown;
  try {
    json = JSON.parse(domainConfiguration);
  } catch (e) {
    throw new DeltaError('INVALID_LOG', `The ${CLUSTERING_DOMAIN} domain configuration is not valid JSON.`, { cause: e });
  }
  const list = isObject(json) ? json.clusteringColumns : undefined;
  if (!Array.isArray(list)) {
    throw new DeltaError('INVALID_LOG', `The ${CLUSTERING_DOMAIN} domain configuration has no "clusteringColumns" list.`);
  }
  return list.map((item) => {
    let path: unknown = item;
    if (isObject(item)) path = item.physicalName;
    if (typeof path === 'string') path = [path];
    if (!Array.isArray(path) || path.length === 0 || !path.every((s) => typeof s === 'string')) {
      throw new DeltaError('INVALID_LOG', `Invalid clustering column ${JSON.stringify(item)} in the ${CLUSTERING_DOMAIN} domain.`);
    }
    return resolvePhysicalPath(path as string[], schema, mode);
  });
}

// ---------------------------------------------------------------------------------------------
// Partition values
// ---------------------------------------------------------------------------------------------

/**
 * A parsed partition value. The JS type depends on the column type:
 *
 * | column type | JS value |
 * |-|-|
 * | any, value `null` or `""` | `null` |
 * | `string` | `string` (verbatim) |
 * | `byte`, `short`, `integer` | `number` |
 * | `long` | `number` when within ±(2^53−1), else `bigint` |
 * | `float`, `double` | `number` (incl. `NaN`, `±Infinity`; a float is not rounded to 32 bits) |
 * | `boolean` | `boolean` |
 * | `date` | `string` `YYYY-MM-DD` (zero-padded, validated) |
 * | `timestamp` | `bigint` microseconds since 1970-01-01T00:00:00Z |
 * | `timestamp_ntz` | `bigint` microseconds since 1970-01-01 00:00:00 wall-clock (no zone) |
 * | `decimal(p,s)` | `string` with exactly `s` fraction digits, e.g. `-12.50` for decimal(4,2) |
 * | `binary` | `Uint8Array` (the UTF-8 bytes of the string) |
 */
export type PartitionValue = null | string | number | bigint | boolean | Uint8Array;

/** Where a partition value came from, for error messages. */
export interface PartitionValueContext {
  /** Column name (logical, or the `partitionValues` key). */
  column?: string;
  version?: number;
  path?: string;
}

function pvError(raw: string, type: DataType, ctx: PartitionValueContext | undefined, why?: string): DeltaError {
  const col = ctx?.column !== undefined ? ` of column "${ctx.column}"` : '';
  const parts: string[] = [];
  if (ctx?.version !== undefined) parts.push(`version ${ctx.version}`);
  if (ctx?.path) parts.push(ctx.path);
  const loc = parts.length ? ` (${parts.join(', ')})` : '';
  return new DeltaError(
    'INVALID_PARTITION_VALUE',
    `Partition value ${JSON.stringify(raw)}${col} is not a valid ${formatType(type)}${why ? `: ${why}` : ''}${loc}.`,
    { version: ctx?.version, path: ctx?.path },
  );
}

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT_RANGES: Record<'byte' | 'short' | 'integer', [number, number]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
};
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Days from 1970-01-01 to the proleptic Gregorian date y-m-d (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year, month (1-12), day of days since 1970-01-01 (proleptic Gregorian); inverse of `daysFromCivil`. */
export function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? era * 400 + yoe + 1 : era * 400 + yoe, m, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

const DATE_PART = '([+-]?\\d{4,6})-(\\d{1,2})-(\\d{1,2})';
const DATE_RE = new RegExp(`^${DATE_PART}$`);
const TIMESTAMP_RE = new RegExp(
  `^${DATE_PART}[ Tt](\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?([Zz]|[+-]\\d{2}(?::?\\d{2})?)?$`,
);

/** Validates y-m-d and returns days since the epoch, or undefined. */
function civilDays(ys: string, ms: string, ds: string): number | undefined {
  const y = Number(ys);
  const m = Number(ms);
  const d = Number(ds);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return daysFromCivil(y, m, d);
}

function parseTimestamp(raw: string, ntz: boolean): bigint | undefined {
  const match = TIMESTAMP_RE.exec(raw);
  if (!match) return undefined;
  const [, ys, ms, ds, hs, mins, ss, frac, zone] = match;
  const days = civilDays(ys, ms, ds);
  const h = Number(hs);
  const mi = Number(mins);
  const s = Number(ss);
  if (days === undefined || h > 23 || mi > 59 || s > 59) return undefined;
  if (ntz && zone !== undefined) return undefined; // a zone has no meaning for timestamp_ntz
  const micros = frac ? BigInt(frac.padEnd(9, '0').slice(0, 6)) : 0n; // nanoseconds are truncated
  let total = (BigInt(days) * 86400n + BigInt(h * 3600 + mi * 60 + s)) * 1_000_000n + micros;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return undefined;
    // local = UTC + offset, so UTC = local - offset
    total -= BigInt(sign * (oh * 3600 + om * 60)) * 1_000_000n;
  }
  return total;
}

function parseDecimal(raw: string, precision: number, scale: number): string | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(raw);
  if (!m) return undefined;
  const [, sign, intPart, fracPart = '', expPart] = m;
  if (intPart === '' && fracPart === '') return undefined;
  let digits = intPart + fracPart;
  let pointPos = intPart.length; // digits before the decimal point
  if (expPart !== undefined) {
    const exp = Number(expPart);
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return undefined;
    pointPos += exp;
  }
  if (pointPos < 0) {
    digits = '0'.repeat(-pointPos) + digits;
    pointPos = 0;
  }
  if (pointPos > digits.length) {
    digits = digits + '0'.repeat(pointPos - digits.length);
  }
  let whole = digits.slice(0, pointPos).replace(/^0+/, '');
  let frac = digits.slice(pointPos);
  if (frac.length > scale) {
    // Extra fraction digits are accepted only when they are zeros (no rounding).
    if (/[^0]/.test(frac.slice(scale))) return undefined;
    frac = frac.slice(0, scale);
  } else {
    frac = frac.padEnd(scale, '0');
  }
  if (whole.length > precision - scale) return undefined;
  if (whole === '') whole = '0';
  const isZero = /^0+$/.test(whole + frac);
  const body = scale > 0 ? `${whole}.${frac}` : whole;
  return sign === '-' && !isZero ? `-${body}` : body;
}

/**
 * Parses one serialized partition value (protocol appendix "Partition Value Serialization") into
 * the JS value documented at {@link PartitionValue}.
 *
 * - `null`, `undefined` and `""` are `null` for every type (the protocol: "An empty string for any
 *   type translates to a null partition value").
 * - Integers: optional sign and decimal digits, range-checked for the type.
 * - `float` / `double`: decimal or scientific notation, or `NaN`, `Infinity`, `+Infinity`, `-Infinity`.
 * - `boolean`: `true` / `false`, case-insensitive.
 * - `date`: `{year}-{month}-{day}`, validated against the calendar, normalised to `YYYY-MM-DD`.
 * - `timestamp`: `{y}-{m}-{d} {h}:{mi}:{s}[.{fraction}]` is read as UTC (the protocol says "the time
 *   zone of the system which wrote to the table", which a reader cannot know; delta-kernel-rs also
 *   reads it as UTC), as is the same with a `T` separator; ISO 8601 with `Z` or an offset
 *   (`+05:00`, `+0530`, `-05`) is converted to UTC. A date alone is rejected.
 * - `timestamp_ntz`: the same forms without a zone (a `Z` or offset is rejected).
 *   Fractions of up to 9 digits are accepted; digits beyond microseconds are truncated.
 * - `decimal(p,s)`: plain or scientific notation; fewer fraction digits are padded with zeros, extra
 *   fraction digits must be zeros (no rounding); at most `p - s` integer digits.
 * - `binary`: the UTF-8 bytes of the string (as delta-kernel-rs does).
 * - `void`: only null. `variant`, `struct`, `array`, `map` and unknown types cannot be partition
 *   columns: any non-null value is rejected.
 *
 * Throws `INVALID_PARTITION_VALUE` naming the column (`ctx.column`), the value and the type.
 */
export function parsePartitionValue(
  raw: string | null | undefined,
  type: DataType,
  ctx?: PartitionValueContext,
): PartitionValue {
  if (raw === null || raw === undefined || raw === '') return null;
  if (typeof raw !== 'string') throw pvError(String(raw), type, ctx, 'partition values must be strings');
  switch (type.type) {
    case 'string':
      return raw;
    case 'byte':
    case 'short':
    case 'integer': {
      if (!INT_RE.test(raw)) throw pvError(raw, type, ctx);
      const n = Number(raw);
      const [lo, hi] = INT_RANGES[type.type];
      if (n < lo || n > hi) throw pvError(raw, type, ctx, `out of range ${lo}..${hi}`);
      return n === 0 ? 0 : n;
    }
    case 'long': {
      if (!INT_RE.test(raw)) throw pvError(raw, type, ctx);
      const b = BigInt(raw);
      if (b < LONG_MIN || b > LONG_MAX) throw pvError(raw, type, ctx, 'out of the 64-bit range');
      return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    }
    case 'float':
    case 'double': {
      if (raw === 'NaN') return NaN;
      if (raw === 'Infinity' || raw === '+Infinity') return Infinity;
      if (raw === '-Infinity') return -Infinity;
      if (!FLOAT_RE.test(raw)) throw pvError(raw, type, ctx);
      return Number(raw);
    }
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw pvError(raw, type, ctx, 'expected true or false');
    }
    case 'date': {
      const m = DATE_RE.exec(raw);
      const days = m ? civilDays(m[1], m[2], m[3]) : undefined;
      if (days === undefined) throw pvError(raw, type, ctx, 'expected YYYY-MM-DD');
      return formatDateDays(days);
    }
    case 'timestamp':
    case 'timestamp_ntz': {
      const micros = parseTimestamp(raw, type.type === 'timestamp_ntz');
      if (micros === undefined) {
        const expected =
          type.type === 'timestamp'
            ? 'expected "YYYY-MM-DD HH:MM:SS[.ffffff]" or ISO 8601 with Z or an offset'
            : 'expected "YYYY-MM-DD HH:MM:SS[.ffffff]" without a time zone';
        throw pvError(raw, type, ctx, expected);
      }
      return micros;
    }
    case 'decimal': {
      const d = parseDecimal(raw, type.precision, type.scale);
      if (d === undefined) throw pvError(raw, type, ctx);
      return d;
    }
    case 'binary':
      return new TextEncoder().encode(raw);
    case 'void':
      throw pvError(raw, type, ctx, 'a void column only holds nulls');
    default:
      throw pvError(raw, type, ctx, `${formatType(type)} cannot be a partition column type`);
  }
}

/**
 * Parses the `partitionValues` map of one file action for the given partition columns (see
 * {@link partitionColumnInfo}), keyed by logical column name. A partition column missing from the
 * map is `null`; keys that are not partition columns are ignored. Throws `INVALID_PARTITION_VALUE`.
 */
export function parsePartitionValues(
  partitionValues: Record<string, string | null> | null | undefined,
  columns: readonly PartitionColumn[],
  ctx?: Omit<PartitionValueContext, 'column'>,
): Record<string, PartitionValue> {
  const out: Record<string, PartitionValue> = {};
  for (const c of columns) {
    out[c.name] = parsePartitionValue(partitionValues?.[c.key] ?? null, c.type, { ...ctx, column: c.name });
  }
  return out;
}

function formatDateDays(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

function formatMicros(micros: bigint, sep: string): string {
  const perDay = 86_400_000_000n;
  let days = micros / perDay;
  let rest = micros % perDay;
  if (rest < 0n) {
    rest += perDay;
    days -= 1n;
  }
  const secs = Number(rest / 1_000_000n);
  const frac = Number(rest % 1_000_000n);
  const time = `${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor((secs % 3600) / 60), 2)}:${pad(secs % 60, 2)}`;
  const fraction = frac ? '.' + String(frac).padStart(6, '0').replace(/0+$/, '') : '';
  return `${formatDateDays(Number(days))}${sep}${time}${fraction}`;
}

function toBigInt(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
}

/**
 * Text of a parsed partition value for display: `null` prints as `null`; numbers and booleans as
 * JS prints them (`NaN`, `Infinity`, `-Infinity`); dates and decimals verbatim; a `timestamp` as ISO
 * 8601 UTC (`1971-07-22T03:06:40Z`, `…T03:06:40.5Z`), a `timestamp_ntz` as
 * `2013-07-05 17:01:00.123456` (fraction only when non-zero, trailing zeros trimmed); binary as
 * hex (`0x0102ff`). Except for binary and null, the text parses back to the same value with
 * {@link parsePartitionValue}.
 */
export function formatPartitionValue(value: PartitionValue, type: DataType): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) {
    return '0x' + Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('');
  }
  if ((type.type === 'timestamp' || type.type === 'timestamp_ntz') && typeof value !== 'string' && typeof value !== 'boolean') {
    const micros = toBigInt(value);
    return type.type === 'timestamp' ? `${formatMicros(micros, 'T')}Z` : formatMicros(micros, ' ');
  }
  if (type.type === 'date' && typeof value === 'number') return formatDateDays(value);
  return String(value);
}
