/**
 * Delta types in DuckDB: type names, conversions of data-file columns (physical names and types)
 * into logical columns, and canonical text of partition values and statistics that SQL can cast
 * back to the column type.
 *
 * Mapping (DuckDB 0.9.1, no ICU extension, so TIMESTAMPTZ is always UTC):
 *
 * | Delta | DuckDB |
 * |-|-|
 * | string | VARCHAR |
 * | long / integer / short / byte | BIGINT / INTEGER / SMALLINT / TINYINT |
 * | float / double | FLOAT / DOUBLE |
 * | boolean | BOOLEAN |
 * | binary | BLOB |
 * | date | DATE |
 * | timestamp | TIMESTAMPTZ (a UTC instant; files may hold INT96, micros or millis) |
 * | timestamp_ntz | TIMESTAMP |
 * | decimal(p,s) | DECIMAL(p,s) |
 * | struct / array / map | STRUCT(...) / T[] / MAP(K, V) |
 * | variant | STRUCT("value" BLOB, "metadata" BLOB), decoded to JSON text after the query (see `variant.ts`) |
 * | void | NULL (INTEGER when nested) |
 */
import * as arrow from 'apache-arrow';
import { DeltaError } from '../delta/errors.ts';
import { physicalName, type ColumnMappingMode, type DataType, type PartitionValue } from '../delta/schema.ts';
import { quoteIdent, quoteString } from './engine.ts';
import { isShreddedVariantStruct } from './variant.ts';

/** The DuckDB type name of a Delta type (see the module table). @throws DeltaError `QUERY_ERROR` for unknown types. */
export function duckType(t: DataType): string {
  switch (t.type) {
    case 'string':
      return 'VARCHAR';
    case 'long':
      return 'BIGINT';
    case 'integer':
      return 'INTEGER';
    case 'short':
      return 'SMALLINT';
    case 'byte':
      return 'TINYINT';
    case 'float':
      return 'FLOAT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'binary':
      return 'BLOB';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMPTZ';
    case 'timestamp_ntz':
      return 'TIMESTAMP';
    case 'decimal':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'void':
      return 'INTEGER';
    case 'variant':
      return 'STRUCT("value" BLOB, "metadata" BLOB)';
    case 'struct':
      return `STRUCT(${t.fields.map((f) => `${quoteIdent(f.name)} ${duckType(f.type)}`).join(', ')})`;
    case 'array':
      return `${duckType(t.elementType)}[]`;
    case 'map':
      return `MAP(${duckType(t.keyType)}, ${duckType(t.valueType)})`;
    case 'unknown':
      throw new DeltaError('QUERY_ERROR', `Columns of type ${t.name} cannot be read by this reader.`);
  }
}

/** A typed NULL of a Delta type, as SQL. */
export function nullOf(t: DataType): string {
  return t.type === 'void' ? 'NULL' : `CAST(NULL AS ${duckType(t)})`;
}

/** DuckDB's type name for an Arrow type produced by DuckDB itself (used to decide whether a CAST is needed). */
export function duckTypeOfArrow(t: arrow.DataType): string {
  if (arrow.DataType.isInt(t)) {
    const names: Record<number, string> = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' };
    return (t.isSigned ? '' : 'U') + names[t.bitWidth];
  }
  if (arrow.DataType.isFloat(t)) return t.precision === arrow.Precision.DOUBLE ? 'DOUBLE' : 'FLOAT';
  if (arrow.DataType.isBool(t)) return 'BOOLEAN';
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t)) return 'VARCHAR';
  if (arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t) || arrow.DataType.isFixedSizeBinary(t)) return 'BLOB';
  if (arrow.DataType.isDate(t)) return 'DATE';
  if (arrow.DataType.isTimestamp(t)) {
    if (t.unit !== arrow.TimeUnit.MICROSECOND) return `TIMESTAMP_${arrow.TimeUnit[t.unit]}`;
    return t.timezone ? 'TIMESTAMPTZ' : 'TIMESTAMP';
  }
  if (arrow.DataType.isDecimal(t)) return `DECIMAL(${t.precision},${t.scale})`;
  if (arrow.DataType.isStruct(t)) return `STRUCT(${t.children.map((f) => `${quoteIdent(f.name)} ${duckTypeOfArrow(f.type)}`).join(', ')})`;
  if (arrow.DataType.isList(t)) return `${duckTypeOfArrow(t.children[0].type)}[]`;
  if (arrow.DataType.isMap(t)) {
    const entries = t.children[0].type as arrow.Struct;
    return `MAP(${duckTypeOfArrow(entries.children[0].type)}, ${duckTypeOfArrow(entries.children[1].type)})`;
  }
  return t.toString();
}

/** Finds a child field by name: exact match first, then case-insensitive. */
function findField(fields: arrow.Field[], name: string): arrow.Field | undefined {
  return fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

let lambdaCounter = 0;

/**
 * Where {@link convertExpr} stands inside a column: `path` is the logical path from the column
 * (`''` the column itself, then `.name` per struct field, `[]` per array element, `{key}` /
 * `{value}` per map part); `probe(root)` is an expression reaching the same place from the
 * column's expression `root` outside any lambda (array element `[1]`, map value through
 * `map_entries`), for `DESCRIBE` (its value on a row is meaningless).
 */
export interface ConvertSite {
  path: string;
  probe: (root: string) => string;
}

/** Overrides for {@link convertExpr} (used by `variant-layouts.ts` for variants with several layouts). */
export interface ConvertHooks {
  /** SQL for the variant `expr` (file type `src`) at `site`, or undefined for the default conversion. */
  variant?(expr: string, src: arrow.DataType, site: ConvertSite): string | undefined;
  /** A typed NULL for `dst` at `site` (a field or column the file lacks), or undefined for `nullOf(dst)`. */
  nullOf?(dst: DataType, site: ConvertSite): string | undefined;
}

const ROOT_SITE: ConvertSite = { path: '', probe: (r) => r };

/**
 * SQL converting a data-file value (`expr`, whose type in the file is `src`) into the logical
 * column type `dst`: nested struct fields are looked up by physical name and renamed to logical
 * names (`struct_pack`), missing fields become NULL, extra fields are dropped, narrower primitive
 * types are CAST to the table type (type widening, INT96/millis timestamps to TIMESTAMPTZ, BLOB
 * strings decoded as UTF-8). Returns `expr` unchanged when nothing needs converting. `hooks`
 * replace the conversion of variants and the typed NULLs of missing parts (`site`: where `expr`
 * stands in its column, see {@link ConvertSite}).
 */
export function convertExpr(
  expr: string,
  src: arrow.DataType,
  dst: DataType,
  mode: ColumnMappingMode,
  hooks?: ConvertHooks,
  site: ConvertSite = ROOT_SITE,
): { sql: string; identity: boolean } {
  const missing = (t: DataType, at: ConvertSite) => hooks?.nullOf?.(t, at) ?? nullOf(t);
  switch (dst.type) {
    case 'struct': {
      if (!arrow.DataType.isStruct(src)) return { sql: missing(dst, site), identity: false };
      const children = src.children;
      let identity = children.length === dst.fields.length;
      const parts: string[] = [];
      dst.fields.forEach((f, k) => {
        const phys = physicalName(f, mode);
        const child = findField(children, phys);
        if (!child) {
          identity = false;
          parts.push(`${quoteIdent(f.name)} := ${missing(f.type, { path: `${site.path}.${f.name}`, probe: site.probe })}`);
          return;
        }
        const at: ConvertSite = { path: `${site.path}.${f.name}`, probe: (r) => `struct_extract(${site.probe(r)}, ${quoteString(child.name)})` };
        const conv = convertExpr(`struct_extract(${expr}, ${quoteString(child.name)})`, child.type, f.type, mode, hooks, at);
        if (!conv.identity || children[k]?.name !== f.name) identity = false;
        parts.push(`${quoteIdent(f.name)} := ${conv.sql}`);
      });
      if (identity) return { sql: expr, identity: true };
      return { sql: `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack(${parts.join(', ')}) END`, identity: false };
    }
    case 'variant': {
      if (!arrow.DataType.isStruct(src)) return { sql: missing(dst, site), identity: false };
      const hooked = hooks?.variant?.(expr, src, site);
      if (hooked !== undefined) return { sql: hooked, identity: false };
      const names = src.children.map((c) => c.name);
      if (names.length === 2 && names[0] === 'value' && names[1] === 'metadata' && src.children.every((c) => arrow.DataType.isBinary(c.type))) {
        return { sql: expr, identity: true };
      }
      // A shredded variant (protocol "Variant Shredding"): kept whole; decodeVariantColumns rebuilds it.
      if (isShreddedVariantStruct(src)) return { sql: expr, identity: true };
      const value = findField(src.children, 'value');
      const metadata = findField(src.children, 'metadata');
      if (!value || !metadata) {
        throw new DeltaError('QUERY_ERROR', 'A variant column in a data file has neither value/metadata fields nor a shredded (metadata, value, typed_value) layout.');
      }
      return {
        sql: `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack("value" := struct_extract(${expr}, 'value'), "metadata" := struct_extract(${expr}, 'metadata')) END`,
        identity: false,
      };
    }
    case 'array': {
      if (!arrow.DataType.isList(src)) return { sql: missing(dst, site), identity: false };
      const v = `__x${++lambdaCounter}`;
      const el = convertExpr(v, src.children[0].type, dst.elementType, mode, hooks, { path: `${site.path}[]`, probe: (r) => `(${site.probe(r)})[1]` });
      if (el.identity) return { sql: expr, identity: true };
      return { sql: `list_transform(${expr}, ${v} -> ${el.sql})`, identity: false };
    }
    case 'map': {
      if (!arrow.DataType.isMap(src)) return { sql: missing(dst, site), identity: false };
      const entries = src.children[0].type as arrow.Struct;
      const v = `__e${++lambdaCounter}`;
      const entry = (part: 'key' | 'value'): ConvertSite => ({ path: `${site.path}{${part}}`, probe: (r) => `struct_extract(map_entries(${site.probe(r)})[1], '${part}')` });
      const k = convertExpr(`struct_extract(${v}, 'key')`, entries.children[0].type, dst.keyType, mode, hooks, entry('key'));
      const val = convertExpr(`struct_extract(${v}, 'value')`, entries.children[1].type, dst.valueType, mode, hooks, entry('value'));
      if (k.identity && val.identity) return { sql: expr, identity: true };
      return {
        sql: `CASE WHEN ${expr} IS NULL THEN NULL ELSE map_from_entries(list_transform(map_entries(${expr}), ${v} -> struct_pack("key" := ${k.sql}, "value" := ${val.sql}))) END`,
        identity: false,
      };
    }
    case 'void':
      return { sql: 'NULL', identity: false };
    case 'unknown':
      throw new DeltaError('QUERY_ERROR', `Columns of type ${dst.name} cannot be read by this reader.`);
    default: {
      const target = duckType(dst);
      const have = duckTypeOfArrow(src);
      if (have === target) return { sql: expr, identity: true };
      if (target === 'VARCHAR' && have === 'BLOB') return { sql: `decode(${expr})`, identity: false };
      if (arrow.DataType.isStruct(src) || arrow.DataType.isList(src) || arrow.DataType.isMap(src)) return { sql: nullOf(dst), identity: false };
      return { sql: `CAST(${expr} AS ${target})`, identity: false };
    }
  }
}

/**
 * SQL that turns a VARCHAR holding {@link canonicalValue} text back into the Delta type: timestamps
 * are carried as microseconds since the epoch (`make_timestamp`), binary as the raw string's UTF-8
 * bytes (`encode`), everything else by CAST.
 */
export function castCanonical(expr: string, t: DataType): string {
  switch (t.type) {
    case 'timestamp':
      return `CAST(make_timestamp(CAST(${expr} AS BIGINT)) AS TIMESTAMPTZ)`;
    case 'timestamp_ntz':
      return `make_timestamp(CAST(${expr} AS BIGINT))`;
    case 'binary':
      return `encode(${expr})`;
    case 'void':
      return 'NULL';
    default:
      return `TRY_CAST(${expr} AS ${duckType(t)})`;
  }
}

/**
 * Canonical text of a parsed partition value (see `parsePartitionValue`) for {@link castCanonical}:
 * numbers as JS prints them (`NaN`, `Infinity`), bigints and timestamp microseconds as decimal digits,
 * booleans as `true`/`false`, dates and decimals verbatim, binary as the original UTF-8 text.
 */
export function canonicalValue(v: PartitionValue): string | null {
  if (v === null) return null;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return String(v);
}
