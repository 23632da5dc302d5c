/**
 * How a table's variant columns are shredded, for the schema view (Delta protocol "Variant
 * Shredding"; Parquet `VariantShredding.md`). Shredding is per data file: the Delta schema only says
 * `variant`, the table property `delta.enableVariantShredding` says writers may shred, and each
 * Parquet footer says which fields of which variant are stored as typed `typed_value` columns.
 *
 * {@link variantShredding} reads the footer of a sample of active files (hyparquet's footer parser)
 * and describes each variant column's `typed_value` layout, e.g. `object<a: int64, b: string,
 * tags: array<string>>`. Only variant columns reachable through structs are described; variants
 * inside arrays and maps are listed with `layouts: []` and `nested: true`.
 */
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { DeltaError } from '../delta/errors.ts';
import { effectiveFeatures } from '../delta/features.ts';
import { columnMappingMode, physicalName, type DataType, type StructType } from '../delta/schema.ts';
import { safeDecode, type Snapshot } from '../delta/snapshot.ts';

/** The shredding of one variant column. */
export interface VariantColumnShredding {
  /** Logical path of the column (struct fields), e.g. `["payload", "event"]`. */
  path: string[];
  /** True when the variant sits inside an array or map (its layout is not described). */
  nested: boolean;
  /**
   * Distinct `typed_value` layouts seen in the sampled files, e.g. `int64` or
   * `object<a: int64, b: string>`; `unshredded` for a file that stores only `value` + `metadata`.
   */
  layouts: string[];
  /** Per layout (same order as {@link layouts}): how many sampled files use it and what it shreds. */
  details: ShreddingLayout[];
}

/** One `typed_value` layout of a variant column, for the schema view. */
export interface ShreddingLayout {
  /** As in {@link VariantColumnShredding.layouts}. */
  layout: string;
  /** Sampled files that store the column this way. */
  files: number;
  /**
   * The shredded values: one entry per shredded object field (dotted path inside the variant,
   * e.g. `a`, `event.kind`) or `''` for a shredded top-level value, with its `typed_value` type
   * (`int64`, `string`, `array<string>`, …). Empty for `unshredded`.
   */
  fields: { path: string; type: string }[];
}

/** Shredding facts of a snapshot; see {@link variantShredding}. */
export interface VariantShreddingSummary {
  /** `variantShredding` or `variantShredding-preview` is in the protocol. */
  feature: string | null;
  /** The table property `delta.enableVariantShredding` is `true` (writers may shred new files). */
  propertyEnabled: boolean;
  /** Active files whose footer was read (paths as in the log, decoded). */
  sampledFiles: string[];
  columns: VariantColumnShredding[];
}

interface Tree {
  children: Tree[];
  element: { name: string; type?: string; logical_type?: { type: string; [k: string]: unknown }; converted_type?: string; precision?: number; scale?: number };
}

function variantPaths(t: DataType | StructType, prefix: string[], physical: string[], mode: ReturnType<typeof columnMappingMode>, out: { path: string[]; physical: string[]; nested: boolean }[], nested: boolean): void {
  if (t.type === 'variant') {
    out.push({ path: prefix, physical, nested });
    return;
  }
  if (t.type === 'struct') {
    for (const f of t.fields) variantPaths(f.type, [...prefix, f.name], [...physical, physicalName(f, mode)], mode, out, nested);
  } else if (t.type === 'array') variantPaths(t.elementType, [...prefix, 'element'], physical, mode, out, true);
  else if (t.type === 'map') variantPaths(t.valueType, [...prefix, 'value'], physical, mode, out, true);
}

function primitive(e: Tree['element']): string {
  const lt = e.logical_type?.type;
  if (lt === 'STRING' || e.converted_type === 'UTF8') return 'string';
  if (lt === 'DECIMAL' || e.converted_type === 'DECIMAL') return `decimal(${e.precision},${e.scale})`;
  if (lt === 'DATE' || e.converted_type === 'DATE') return 'date';
  if (lt === 'TIMESTAMP') return (e.logical_type as { isAdjustedToUTC?: boolean }).isAdjustedToUTC ? 'timestamp' : 'timestamp_ntz';
  if (lt === 'TIME') return 'time';
  if (lt === 'UUID') return 'uuid';
  if (lt === 'INTEGER') return `int${(e.logical_type as { bitWidth?: number }).bitWidth ?? ''}`;
  switch (e.type) {
    case 'INT32':
      return 'int32';
    case 'INT64':
      return 'int64';
    case 'FLOAT':
      return 'float';
    case 'DOUBLE':
      return 'double';
    case 'BOOLEAN':
      return 'boolean';
    case 'BYTE_ARRAY':
      return 'binary';
    default:
      return String(e.type ?? 'unknown').toLowerCase();
  }
}

/** Text of a `typed_value` node (Parquet VariantShredding.md "Shredded Value Types"). */
export function describeTypedValue(node: Tree): string {
  const e = node.element;
  if (!node.children.length) return primitive(e);
  if (e.logical_type?.type === 'LIST' || e.converted_type === 'LIST') {
    const element = node.children[0]?.children[0];
    const tv = element?.children.find((c) => c.element.name === 'typed_value');
    return `array<${tv ? describeTypedValue(tv) : 'variant'}>`;
  }
  const fields = node.children.map((g) => {
    const tv = g.children.find((c) => c.element.name === 'typed_value');
    return `${g.element.name}: ${tv ? describeTypedValue(tv) : 'variant'}`;
  });
  return `object<${fields.join(', ')}>`;
}

/** The shredded leaves of a `typed_value` node: object fields flattened to dotted paths (see {@link ShreddingLayout.fields}). */
export function shreddedFields(node: Tree, prefix = ''): { path: string; type: string }[] {
  const e = node.element;
  if (!node.children.length || e.logical_type?.type === 'LIST' || e.converted_type === 'LIST') return [{ path: prefix, type: describeTypedValue(node) }];
  return node.children.flatMap((g) => {
    const tv = g.children.find((c) => c.element.name === 'typed_value');
    const path = prefix ? `${prefix}.${g.element.name}` : g.element.name;
    return tv ? shreddedFields(tv, path) : [{ path, type: 'variant' }];
  });
}

/** Reads the Parquet footer of one data file (two range reads). */
async function footerSchema(snapshot: Snapshot, path: string, size: number, signal?: AbortSignal): Promise<Tree> {
  if (!(size >= 12)) throw new DeltaError('DATA_INTEGRITY', `The data file ${path} is too small to be Parquet.`, { path, version: snapshot.version });
  const tail = await snapshot.store.getRange(path, { start: size - 8, end: size }, signal);
  const len = new DataView(tail.buffer, tail.byteOffset, 8).getUint32(0, true);
  if (len + 8 > size) throw new DeltaError('DATA_INTEGRITY', `The data file ${path} has a footer longer than the file.`, { path, version: snapshot.version });
  const footer = await snapshot.store.getRange(path, { start: size - 8 - len, end: size }, signal);
  return parquetSchema(parquetMetadata(footer)) as unknown as Tree;
}

/**
 * The variant columns of a snapshot and how the sampled files shred them. Reads the footers of up to
 * `maxFiles` active files (default 8, spread evenly over the log order, first and last included); no data pages. Cheap for tables
 * without variant columns (no I/O). Throws the store's `DeltaError` when a footer cannot be read.
 */
export async function variantShredding(snapshot: Snapshot, options: { maxFiles?: number; signal?: AbortSignal } = {}): Promise<VariantShreddingSummary> {
  const feature = effectiveFeatures(snapshot.protocol).all.find((f) => f === 'variantShredding' || f === 'variantShredding-preview') ?? null;
  const propertyEnabled = snapshot.metadata.configuration?.['delta.enableVariantShredding'] === 'true';
  const mode = columnMappingMode(snapshot.metadata.configuration, snapshot.protocol);
  const found: { path: string[]; physical: string[]; nested: boolean }[] = [];
  variantPaths(snapshot.schema, [], [], mode, found, false);
  const columns: VariantColumnShredding[] = found.map((f) => ({ path: f.path, nested: f.nested, layouts: [], details: [] }));
  const sampledFiles: string[] = [];
  if (!found.length) return { feature, propertyEnabled, sampledFiles, columns };
  // Files spread over the log (first and last included): writers pick a layout per file.
  const total = snapshot.files.length;
  const n = Math.min(options.maxFiles ?? 8, total);
  const picks = [...new Set(Array.from({ length: n }, (_, k) => (n === 1 ? 0 : Math.round((k * (total - 1)) / (n - 1)))))];
  for (const i of picks) {
    const { batch, row } = snapshot.files.locate(i);
    const path = safeDecode(batch.path[row]);
    const tree = await footerSchema(snapshot, path, batch.size[row], options.signal);
    sampledFiles.push(path);
    found.forEach((f, k) => {
      if (f.nested) return;
      let node: Tree | undefined = tree;
      for (const seg of f.physical) node = node?.children.find((c) => c.element.name === seg);
      if (!node) return; // column absent from this file (added later)
      const tv = node.children.find((c) => c.element.name === 'typed_value');
      const layout = tv ? describeTypedValue(tv) : 'unshredded';
      const c = columns[k];
      const at = c.layouts.indexOf(layout);
      if (at >= 0) c.details[at].files++;
      else {
        c.layouts.push(layout);
        c.details.push({ layout, files: 1, fields: tv ? shreddedFields(tv) : [] });
      }
    });
  }
  return { feature, propertyEnabled, sampledFiles, columns };
}
