/**
 * The one schema diff: which columns were added, dropped, renamed, retyped, made (not) nullable or
 * recommented between two schemas. Used by the schema timeline (Schema tab, per commit) and by
 * Compare (any two versions), so both name the same changes with the same type names.
 *
 * One identity rule (protocol "Column Mapping"): a field is the same column across versions when it
 * has the same `delta.columnMapping.id` (ids are unique in the table); else the same
 * `delta.columnMapping.physicalName` under the same parent; else the same name under the same
 * parent. A column that had no mapping identity before and has one after (column mapping turned on
 * in between: ids and physical names assigned) is matched by its logical path instead. A rename is a change of the
 * field's own name (its children are not renamed with it).
 *
 * Type names are Delta's (`integer`, `long`, `array<integer>`) with nested struct contents elided
 * (`struct`, `array<struct>`), so a change inside a struct is reported at the nested column only.
 * Nested columns are walked through structs, array elements and map keys/values (paths with
 * `element` / `key` / `value` segments, as the schema tree names them).
 */
import { fieldInfo, type DataType, type StructType } from '../delta/schema.ts';
import { shortTypeName } from './schema-tree.ts';

/** One column change from schema A to schema B. */
export interface SchemaColumnChange {
  kind: 'added' | 'dropped' | 'renamed' | 'type' | 'nullability' | 'comment';
  /** Dotted logical path on side B (on side A for `dropped`). */
  path: string;
  /** `renamed`: the path on side A. */
  previousPath?: string;
  /** `renamed`: the field names; `type`, `added`, `dropped`: Delta type names (struct contents elided); `comment`: the comments (absent = none). */
  from?: string;
  to?: string;
  /** Nullability on side A / B (`added`: B only; `dropped`: A only). */
  fromNullable?: boolean;
  toNullable?: boolean;
  /** Column mapping identity of the column (side B, side A for `dropped`), when it has one. */
  physicalName?: string;
  columnMappingId?: number;
  /** `added` / `dropped`: an enclosing column is itself added / dropped in the same diff. */
  withParent?: boolean;
}

/** A schema flattened for {@link diffFlatSchemas}; see {@link flattenSchema}. */
export interface FlatSchema {
  /** Every struct field (nested ones too) by identity key, in schema order. */
  columns: Map<string, FlatColumn>;
  /** The strongest identity any field was keyed by. */
  matchedBy: 'columnMappingId' | 'physicalName' | 'name';
}

/** One field of a {@link FlatSchema}. */
export interface FlatColumn {
  path: string;
  name: string;
  type: string;
  nullable: boolean;
  comment?: string;
  physicalName?: string;
  columnMappingId?: number;
  /** Identity key of the enclosing field, or undefined at the top level. */
  parentKey?: string;
}

/** Every field of a schema keyed by the identity rule (see the module comment). */
export function flattenSchema(schema: StructType): FlatSchema {
  const columns = new Map<string, FlatColumn>();
  let matchedBy: FlatSchema['matchedBy'] = 'name';
  const walkType = (t: DataType, parentKey: string | undefined, keyPrefix: string, parentPath: string) => {
    if (t.type === 'struct') walkStruct(t, parentKey, keyPrefix, parentPath);
    else if (t.type === 'array') walkType(t.elementType, parentKey, `${keyPrefix}/element`, `${parentPath}.element`);
    else if (t.type === 'map') {
      walkType(t.keyType, parentKey, `${keyPrefix}/key`, `${parentPath}.key`);
      walkType(t.valueType, parentKey, `${keyPrefix}/value`, `${parentPath}.value`);
    }
  };
  const walkStruct = (s: StructType, parentKey: string | undefined, keyPrefix: string, parentPath: string) => {
    for (const f of s.fields) {
      const info = fieldInfo(f);
      let key: string;
      if (info.columnMappingId !== undefined) {
        key = `id:${info.columnMappingId}`;
        matchedBy = 'columnMappingId';
      } else if (info.physicalName !== undefined) {
        key = `${keyPrefix}/p:${info.physicalName}`;
        if (matchedBy === 'name') matchedBy = 'physicalName';
      } else key = `${keyPrefix}/n:${f.name}`;
      const path = parentPath ? `${parentPath}.${f.name}` : f.name;
      const col: FlatColumn = { path, name: f.name, type: shortTypeName(f.type), nullable: f.nullable };
      if (info.comment !== undefined) col.comment = info.comment;
      if (info.physicalName !== undefined) col.physicalName = info.physicalName;
      if (info.columnMappingId !== undefined) col.columnMappingId = info.columnMappingId;
      if (parentKey !== undefined) col.parentKey = parentKey;
      columns.set(key, col);
      walkType(f.type, key, key, path);
    }
  };
  walkStruct(schema, undefined, '', '');
  return { columns, matchedBy };
}

function mapping(c: FlatColumn): Pick<SchemaColumnChange, 'physicalName' | 'columnMappingId'> {
  const o: Pick<SchemaColumnChange, 'physicalName' | 'columnMappingId'> = {};
  if (c.physicalName !== undefined) o.physicalName = c.physicalName;
  if (c.columnMappingId !== undefined) o.columnMappingId = c.columnMappingId;
  return o;
}

/**
 * The changes from `before` to `after` (flattened by {@link flattenSchema}): in `after`'s order
 * (per column: renamed, type, nullability, comment), then the dropped columns in `before`'s order.
 */
export function diffFlatSchemas(before: FlatSchema['columns'], after: FlatSchema['columns']): SchemaColumnChange[] {
  const out: SchemaColumnChange[] = [];
  // Columns whose key changed (column mapping turned on assigns ids and physical names) are
  // matched by their logical path instead.
  const unmatchedBefore = new Map<string, string>();
  // Only columns without a mapping identity before qualify: under column mapping the same path
  // with another id or physical name is a dropped column and a new one.
  for (const [key, b] of before) if (!after.has(key) && b.columnMappingId === undefined && b.physicalName === undefined) unmatchedBefore.set(b.path, key);
  const matched = new Set<string>();
  const added = new Set<string>();
  for (const [key, a] of after) {
    let b = before.get(key);
    if (!b) {
      const old = unmatchedBefore.get(a.path);
      if (old !== undefined && !matched.has(old)) {
        matched.add(old);
        b = before.get(old);
      }
    }
    if (!b) {
      added.add(key);
      const c: SchemaColumnChange = { kind: 'added', path: a.path, to: a.type, toNullable: a.nullable, ...mapping(a) };
      if (a.parentKey !== undefined && added.has(a.parentKey)) c.withParent = true;
      out.push(c);
      continue;
    }
    if (b.name !== a.name) out.push({ kind: 'renamed', path: a.path, previousPath: b.path, from: b.name, to: a.name, ...mapping(a) });
    if (b.type !== a.type) out.push({ kind: 'type', path: a.path, from: b.type, to: a.type, ...mapping(a) });
    if (b.nullable !== a.nullable) out.push({ kind: 'nullability', path: a.path, fromNullable: b.nullable, toNullable: a.nullable, ...mapping(a) });
    if (b.comment !== a.comment) {
      const c: SchemaColumnChange = { kind: 'comment', path: a.path, ...mapping(a) };
      if (b.comment !== undefined) c.from = b.comment;
      if (a.comment !== undefined) c.to = a.comment;
      out.push(c);
    }
  }
  const dropped = new Set<string>();
  for (const [key, b] of before) {
    if (after.has(key) || matched.has(key)) continue;
    dropped.add(key);
    const c: SchemaColumnChange = { kind: 'dropped', path: b.path, from: b.type, fromNullable: b.nullable, ...mapping(b) };
    if (b.parentKey !== undefined && dropped.has(b.parentKey)) c.withParent = true;
    out.push(c);
  }
  return out;
}

/** The changes from schema `a` to schema `b` ({@link flattenSchema} then {@link diffFlatSchemas}). */
export function diffSchemas(a: StructType, b: StructType): SchemaColumnChange[] {
  return diffFlatSchemas(flattenSchema(a).columns, flattenSchema(b).columns);
}
