/**
 * Schema types and their JSON form (protocol appendix "Schema Serialization Format"): the
 * {@link DataType} tree, {@link parseSchema}, and the two type-name styles — Delta's own names
 * ({@link deltaTypeName}: `integer`, `long`, `array<integer>`), used by every view, the CLI and SQL
 * metadata tables, and Spark SQL's catalog strings ({@link formatType}: `int`, `bigint`), used where
 * SQL text is generated.
 *
 * Pure TypeScript: no DOM, no I/O. Every failure is a {@link DeltaError}.
 */
import { DeltaError } from '../errors.ts';
import { isObject, where } from './internal.ts';

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


function schemaError(detail: string, at: string, ctx: SchemaContext | undefined, cause?: unknown): DeltaError {
  const loc = at ? ` at ${at}` : '';
  return new DeltaError('INVALID_SCHEMA', `Invalid table schema${where(ctx)}${loc}: ${detail}`, {
    version: ctx?.version,
    path: ctx?.path,
    hint: 'The metaData.schemaString of this version is not a valid Delta schema; the table was probably written by a faulty writer.',
    cause,
  });
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
 * The type's name in Delta's own terms (the protocol's primitive names, as written in a schema JSON
 * and in `delta.typeChanges`): `integer`, `long`, `short`, `byte`, `decimal(10,2)`,
 * `timestamp_ntz`; nested types in the same style: `array<integer>`, `map<string,long>`,
 * `struct<a:integer,b:string>` (field names that are not plain identifiers in backticks). Unknown
 * types print their raw name. This is the one type-name style of every view, the CLI and the SQL
 * metadata tables; {@link formatType} is Spark SQL's form, for generated SQL text.
 */
export function deltaTypeName(t: DataType): string {
  switch (t.type) {
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'struct':
      return `struct<${t.fields.map((f) => `${quoteName(f.name)}:${deltaTypeName(f.type)}`).join(',')}>`;
    case 'array':
      return `array<${deltaTypeName(t.elementType)}>`;
    case 'map':
      return `map<${deltaTypeName(t.keyType)},${deltaTypeName(t.valueType)}>`;
    case 'unknown':
      return t.name;
    default:
      return t.type;
  }
}
