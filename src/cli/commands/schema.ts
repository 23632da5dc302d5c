/**
 * `delta-explorer schema`: the logical schema as a tree with column metadata (comment, column
 * mapping id and physical name, generation expression, identity, default, invariants, type
 * changes, collations), then the CHECK constraints.
 */
import {
  checkConstraints,
  columnMappingMode,
  fieldInfo,
  formatType,
  type DataType,
  type IdentityInfo,
  type StructField,
  type TypeChange,
} from '../../delta/index.ts';
import { loadTarget, type Command } from '../command.ts';
import { cell, keyValues, printable, renderTable } from '../render.ts';

/**
 * JSON of one schema node. Struct fields carry their metadata; `element` (arrays), `key` and
 * `value` (maps) describe the nested types, with `nullable` from `containsNull` /
 * `valueContainsNull` (false for keys) and no metadata of their own.
 */
export interface SchemaNodeJson {
  name: string;
  /** Spark's simple string of the type, e.g. `bigint`, `decimal(10,2)`, `array<struct<a:int>>`. */
  type: string;
  nullable: boolean;
  comment?: string | null;
  columnMappingId?: number | null;
  physicalName?: string | null;
  generationExpression?: string | null;
  identity?: IdentityInfo | null;
  default?: string | null;
  invariants?: string | null;
  typeChanges?: TypeChange[] | null;
  collations?: Record<string, string> | null;
  /** Struct: its fields. */
  fields?: SchemaNodeJson[];
  /** Array: the element type. */
  element?: SchemaNodeJson;
  /** Map: the key and value types. */
  key?: SchemaNodeJson;
  value?: SchemaNodeJson;
}

/** JSON of `schema`. */
export interface SchemaJson {
  version: number;
  columnMappingMode: string;
  partitionColumns: string[];
  fields: SchemaNodeJson[];
  checkConstraints: { name: string; expression: string }[];
}

function typeNode(name: string, t: DataType, nullable: boolean): SchemaNodeJson {
  const node: SchemaNodeJson = { name, type: formatType(t), nullable };
  addChildren(node, t);
  return node;
}

function addChildren(node: SchemaNodeJson, t: DataType): void {
  if (t.type === 'struct') node.fields = t.fields.map(fieldNode);
  else if (t.type === 'array') node.element = typeNode('element', t.elementType, t.containsNull);
  else if (t.type === 'map') {
    node.key = typeNode('key', t.keyType, false);
    node.value = typeNode('value', t.valueType, t.valueContainsNull);
  }
}

function fieldNode(f: StructField): SchemaNodeJson {
  const i = fieldInfo(f);
  const node: SchemaNodeJson = {
    name: f.name,
    type: formatType(f.type),
    nullable: f.nullable,
    comment: i.comment ?? null,
    columnMappingId: i.columnMappingId ?? null,
    physicalName: i.physicalName ?? null,
    generationExpression: i.generationExpression ?? null,
    identity: i.identity ?? null,
    default: i.defaultExpression ?? null,
    invariants: i.invariants ?? null,
    typeChanges: i.typeChanges ?? null,
    collations: i.collations ?? null,
  };
  addChildren(node, f.type);
  return node;
}

/** The type with the contents of structs elided (their fields are rows of their own). */
function shortType(t: DataType): string {
  switch (t.type) {
    case 'struct':
      return 'struct';
    case 'array':
      return `array<${shortType(t.elementType)}>`;
    case 'map':
      return `map<${shortType(t.keyType)},${shortType(t.valueType)}>`;
    default:
      return formatType(t);
  }
}

function containsStruct(t: DataType): boolean {
  if (t.type === 'struct') return true;
  if (t.type === 'array') return containsStruct(t.elementType);
  if (t.type === 'map') return containsStruct(t.keyType) || containsStruct(t.valueType);
  return false;
}

function details(n: SchemaNodeJson): string {
  const parts: string[] = [];
  if (n.comment) parts.push(`comment: ${n.comment}`);
  if (n.generationExpression) parts.push(`generated: ${n.generationExpression}`);
  if (n.identity) {
    const id = n.identity;
    const bits = [`start=${id.start ?? '?'}`, `step=${id.step ?? '?'}`];
    if (id.highWaterMark !== undefined) bits.push(`highWaterMark=${id.highWaterMark}`);
    if (id.allowExplicitInsert !== undefined) bits.push(`allowExplicitInsert=${id.allowExplicitInsert}`);
    parts.push(`identity(${bits.join(', ')})`);
  }
  if (n.default) parts.push(`default: ${n.default}`);
  if (n.invariants) parts.push(`invariant: ${n.invariants}`);
  if (n.typeChanges?.length) {
    const changes = n.typeChanges.map(
      (c) => `${c.fieldPath ? `${c.fieldPath} ` : ''}${c.fromType} → ${c.toType}${c.tableVersion !== undefined ? ` (v${c.tableVersion})` : ''}`,
    );
    parts.push(`type changes: ${changes.join(', ')}`);
  }
  if (n.collations && Object.keys(n.collations).length) parts.push(`collation: ${keyValues(n.collations)}`);
  return printable(parts.join('; '));
}

export const schema: Command = {
  name: 'schema',
  summary: 'The logical schema as a tree, with column metadata and CHECK constraints',
  description:
    'Prints the logical schema, nested fields indented under their parent, each with its type (Spark simple string), ' +
    'nullability, comment, column-mapping id and physical name, generation expression, identity settings, default, ' +
    'invariant and type changes; then the CHECK constraints. JSON: a tree (struct fields under "fields", array ' +
    'elements under "element", map keys and values under "key" and "value").',
  accepts: ['version', 'timestamp'],
  async run(ctx) {
    const snap = await loadTarget(ctx);
    const mode = columnMappingMode(snap.metadata.configuration, snap.protocol);
    const json: SchemaJson = {
      version: snap.version,
      columnMappingMode: mode,
      partitionColumns: [...snap.metadata.partitionColumns],
      fields: snap.schema.fields.map(fieldNode),
      checkConstraints: checkConstraints(snap.metadata.configuration),
    };
    return {
      json,
      text: () => {
        type Row = { node: SchemaNodeJson; depth: number; t: DataType };
        const rows: Row[] = [];
        const walkType = (t: DataType, depth: number) => {
          if (t.type === 'struct') for (const f of t.fields) walkField(f, depth);
          else if (t.type === 'array' && containsStruct(t.elementType)) {
            rows.push({ node: typeNode('element', t.elementType, t.containsNull), depth, t: t.elementType });
            walkType(t.elementType, depth + 1);
          } else if (t.type === 'map') {
            if (containsStruct(t.keyType)) {
              rows.push({ node: typeNode('key', t.keyType, false), depth, t: t.keyType });
              walkType(t.keyType, depth + 1);
            }
            if (containsStruct(t.valueType)) {
              rows.push({ node: typeNode('value', t.valueType, t.valueContainsNull), depth, t: t.valueType });
              walkType(t.valueType, depth + 1);
            }
          }
        };
        const walkField = (f: StructField, depth: number) => {
          rows.push({ node: fieldNode(f), depth, t: f.type });
          walkType(f.type, depth + 1);
        };
        walkType(snap.schema, 0);
        const mapped = rows.some((r) => r.node.columnMappingId != null || r.node.physicalName != null);
        const headers = ['COLUMN', 'TYPE', 'NULLABLE', ...(mapped ? ['ID', 'PHYSICAL NAME'] : []), 'DETAILS'];
        const body = rows.map(({ node, depth, t }) => [
          '  '.repeat(depth) + printable(node.name),
          printable(shortType(t)),
          String(node.nullable),
          ...(mapped ? [cell(node.columnMappingId ?? null), cell(node.physicalName ?? null)] : []),
          details(node),
        ]);
        let text = rows.length ? renderTable(headers, body) : '(no columns)\n';
        if (mode !== 'none') text += `\ncolumn mapping mode: ${mode}\n`;
        if (json.partitionColumns.length) text += `${mode !== 'none' ? '' : '\n'}partitioned by: ${json.partitionColumns.map(printable).join(', ')}\n`;
        if (json.checkConstraints.length) {
          text += '\nCHECK constraints:\n';
          for (const c of json.checkConstraints) text += `  ${printable(c.name)}: ${printable(c.expression)}\n`;
        }
        return text;
      },
    };
  },
};
