/**
 * `delta-explorer schema`: the logical schema as a tree with column metadata (comment, column
 * mapping id and physical name, generation expression, identity, default, invariants, type
 * changes, collations), then the CHECK constraints.
 */
import {
  checkConstraints,
  columnMappingMode,
  deltaTypeName,
  fieldInfo,
  type DataType,
  type FieldInfo,
  type IdentityInfo,
  type StructField,
  type TypeChange,
} from '../../delta/index.ts';
import { schemaRows } from '../../explore/schema-tree.ts';
import { loadTarget, type Command } from '../command.ts';
import { cell, keyValues, printable, renderTable } from '../render.ts';

/**
 * JSON of one schema node. Struct fields carry their metadata; `element` (arrays), `key` and
 * `value` (maps) describe the nested types, with `nullable` from `containsNull` /
 * `valueContainsNull` (false for keys) and no metadata of their own.
 */
export interface SchemaNodeJson {
  name: string;
  /** The type in Delta's names (as every view and SQL metadata table), e.g. `long`, `decimal(10,2)`, `array<struct<a:integer>>`. */
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
  const node: SchemaNodeJson = { name, type: deltaTypeName(t), nullable };
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

/** The metadata members of a field's JSON node. */
function factsJson(i: FieldInfo): Omit<SchemaNodeJson, 'name' | 'type' | 'nullable'> {
  return {
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
}

function fieldNode(f: StructField): SchemaNodeJson {
  const node: SchemaNodeJson = {
    name: f.name,
    type: deltaTypeName(f.type),
    nullable: f.nullable,
    ...factsJson(fieldInfo(f)),
  };
  addChildren(node, f.type);
  return node;
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
    'Prints the logical schema, nested fields indented under their parent, each with its type (Delta type names, as the app shows them), ' +
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
        // The one schema walker (src/explore/schema-tree.ts): the same rows as the app's Schema tab.
        const rows = schemaRows(snap.schema);
        const mapped = rows.some((r) => r.facts?.columnMappingId !== undefined || r.facts?.physicalName !== undefined);
        const headers = ['COLUMN', 'TYPE', 'NULLABLE', ...(mapped ? ['ID', 'PHYSICAL NAME'] : []), 'DETAILS'];
        const body = rows.map((r) => {
          const node: SchemaNodeJson = { name: r.name, type: r.type, nullable: r.nullable, ...(r.facts ? factsJson(r.facts) : {}) };
          return [
            '  '.repeat(r.depth) + printable(r.name),
            printable(r.expandable ? r.shortType : r.type),
            String(r.nullable),
            ...(mapped ? [cell(node.columnMappingId ?? null), cell(node.physicalName ?? null)] : []),
            details(node),
          ];
        });
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
