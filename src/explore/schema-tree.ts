/**
 * The one schema walker: a snapshot's logical schema as the flat, depth-first rows every view shows
 * (the Schema tab, the CLI `schema` command, SQL completion), with Delta's type names
 * (`deltaTypeName`: `integer`, `long`, `array<integer>`), each field's protocol metadata
 * (`fieldInfo`), its partition and clustering roles, the CHECK constraints and the clustering
 * columns. Computed where the snapshot lives (the worker, the CLI); the UI never parses a schema.
 *
 * Walking rule: struct fields are rows; an array element or a map key/value is a row of its own
 * (named `element`, `key`, `value`) only when a struct with fields is somewhere inside it, since
 * `array<integer>` says everything in its type. Paths are dotted logical names with those segments
 * (`items.element.price`), the same paths the schema diff ({@link diffSchemas}) reports.
 */
import { checkConstraints, columnMappingMode, deltaTypeName, fieldInfo, type CheckConstraint, type ColumnMappingMode, type DataType, type FieldInfo, type StructField, type StructType } from '../delta/schema.ts';
import type { Snapshot } from '../delta/snapshot.ts';
import { clusteringOf, type ClusteringInfo } from './clustering.ts';

/** One row of the schema tree. */
export interface SchemaRow {
  /** Dotted logical path (`element`, `key`, `value` segments inside arrays and maps). */
  path: string;
  /** The path of the row this one is nested under, or null at the top level. */
  parent: string | null;
  /** 0 for top-level columns. */
  depth: number;
  /** The field name, or `element` / `key` / `value`. */
  name: string;
  kind: 'field' | 'element' | 'key' | 'value';
  /** The whole type in Delta's names (`struct<a:integer>`, `array<long>`). */
  type: string;
  /** The type with struct contents elided (`struct`, `array<struct>`), for rows whose children are rows. */
  shortType: string;
  /** The field's `nullable`, an array's `containsNull`, a map's `valueContainsNull` (false for keys). */
  nullable: boolean;
  /** True when rows are nested under this one. */
  expandable: boolean;
  /** The field's protocol metadata (comment, column mapping, generated, identity, ...); null for element/key/value rows. */
  facts: FieldInfo | null;
  /** A top-level partition column. */
  partition: boolean;
  /** A clustering column (logical path resolved under column mapping). */
  clustering: boolean;
}

/** The Schema tab's and the CLI's data for one snapshot. */
export interface SchemaView {
  version: number;
  columnMappingMode: ColumnMappingMode;
  /** Top-level columns, or null when the schema cannot be parsed. */
  numColumns: number | null;
  /** Logical names, as in `metaData.partitionColumns`. */
  partitionColumns: string[];
  /** Every row, depth-first in schema order (the UI hides the rows of collapsed parents). */
  rows: SchemaRow[];
  constraints: CheckConstraint[];
  clustering: ClusteringInfo;
  /** Why the schema cannot be parsed (then `rows` is empty), or null. */
  error: string | null;
}

/** True when a struct with fields is inside `t` (then it has rows below). */
export function hasNestedFields(t: DataType): boolean {
  if (t.type === 'struct') return t.fields.length > 0;
  if (t.type === 'array') return hasNestedFields(t.elementType);
  if (t.type === 'map') return hasNestedFields(t.keyType) || hasNestedFields(t.valueType);
  return false;
}

/** A type in Delta's names with nested struct contents elided: `struct`, `array<struct>`, `map<string,struct>`. */
export function shortTypeName(t: DataType): string {
  switch (t.type) {
    case 'struct':
      return 'struct';
    case 'array':
      return `array<${shortTypeName(t.elementType)}>`;
    case 'map':
      return `map<${shortTypeName(t.keyType)},${shortTypeName(t.valueType)}>`;
    default:
      return deltaTypeName(t);
  }
}

/**
 * Every row of `schema`, depth-first in field order (see the module comment for the rule).
 * @param roles logical top-level partition names and dotted clustering paths, to mark rows.
 */
export function schemaRows(schema: StructType, roles: { partitionColumns?: readonly string[]; clusteringPaths?: readonly string[] } = {}): SchemaRow[] {
  const partitions = new Set(roles.partitionColumns ?? []);
  const clustering = new Set(roles.clusteringPaths ?? []);
  const out: SchemaRow[] = [];
  const row = (name: string, kind: SchemaRow['kind'], t: DataType, nullable: boolean, parent: string | null, depth: number, field: StructField | null): void => {
    const path = parent === null ? name : `${parent}.${name}`;
    const expandable = hasNestedFields(t);
    out.push({
      path,
      parent,
      depth,
      name,
      kind,
      type: deltaTypeName(t),
      shortType: shortTypeName(t),
      nullable,
      expandable,
      facts: field ? fieldInfo(field) : null,
      partition: depth === 0 && kind === 'field' && partitions.has(name),
      clustering: kind === 'field' && clustering.has(path),
    });
    if (expandable) children(t, path, depth + 1);
  };
  const children = (t: DataType, path: string | null, depth: number): void => {
    if (t.type === 'struct') for (const f of t.fields) row(f.name, 'field', f.type, f.nullable, path, depth, f);
    else if (t.type === 'array') {
      if (hasNestedFields(t.elementType)) row('element', 'element', t.elementType, t.containsNull, path, depth, null);
    } else if (t.type === 'map') {
      if (hasNestedFields(t.keyType)) row('key', 'key', t.keyType, false, path, depth, null);
      if (hasNestedFields(t.valueType)) row('value', 'value', t.valueType, t.valueContainsNull, path, depth, null);
    }
  };
  children(schema, null, 0);
  return out;
}

/** The {@link SchemaView} of a snapshot. Never throws: an unparsable schema or mapping mode is reported in `error`. */
export function schemaView(snapshot: Snapshot): SchemaView {
  const m = snapshot.metadata;
  let mode: ColumnMappingMode = 'none';
  let error: string | null = null;
  try {
    mode = columnMappingMode(m.configuration, snapshot.protocol);
  } catch (e) {
    error = (e as Error).message;
  }
  let schema: StructType | null = null;
  try {
    schema = snapshot.schema;
  } catch (e) {
    error = (e as Error).message;
  }
  const clustering = clusteringOf(snapshot);
  const partitionColumns = [...(m.partitionColumns ?? [])];
  return {
    version: snapshot.version,
    columnMappingMode: mode,
    numColumns: schema ? schema.fields.length : null,
    partitionColumns,
    rows: schema ? schemaRows(schema, { partitionColumns, clusteringPaths: clustering.columns.map((c) => c.logicalPath.join('.')) }) : [],
    constraints: checkConstraints(m.configuration),
    clustering,
    error,
  };
}
