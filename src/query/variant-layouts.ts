/**
 * One variant, several physical layouts (Delta protocol "Variant Shredding"; Parquet
 * `VariantShredding.md`): a writer picks a shredding schema per file, so one variant can be
 * unshredded (`metadata`, `value`) in some files and shredded with different `typed_value` types in
 * others — a top-level variant column, or a variant nested in a struct, an array or a map value
 * (Spark 4.0.1 shreds variants in structs with the file's shredding schema). A scan (and the Change
 * Data Feed reader) reads each group of files with one physical schema in its own `read_parquet`
 * branch and combines the branches with UNION ALL, which needs one type per column: DuckDB cannot
 * unite the different structs.
 *
 * {@link unifyVariantLayouts} gives each such variant one "layout union" type in every branch:
 * `STRUCT(metadata BLOB, value BLOB, __dx_layout INTEGER, typed_value_0 T0, …, typed_value_n Tn)`,
 * where `Ti` are the distinct `typed_value` types of that variant, each branch fills its own slot
 * (the others are typed NULLs) and `__dx_layout` says which slot a row uses (-1: unshredded). The
 * column around it is converted as usual (`convertExpr`: renames, widening, missing fields), with the
 * variant replaced at its place — through `list_transform` for array elements and map values — and
 * every typed NULL of a part a file lacks given the column's combined type. Nothing is converted in
 * SQL; `decodeVariantColumns` (`variant.ts`) rebuilds each row from its own slot at any depth,
 * exactly as it would from the file's own layout. A case this cannot give one type (a variant whose
 * file type is neither layout) fails in DuckDB's UNION ALL as a QUERY_ERROR, never silently.
 */
import * as arrow from 'apache-arrow';
import type { ColumnMappingMode, DataType } from '../delta/schema.ts';
import { quoteIdent, type SqlEngine } from './engine.ts';
import type { FileRegistry } from './file-registry.ts';
import type { ScanColumn } from './scan-plan.ts';
import { convertExpr, duckType, type ConvertSite } from './types.ts';
import { isShreddedVariantStruct, LAYOUT_FIELD } from './variant.ts';

/** One branch group: its SELECT expressions (one per column, `… AS "name"`), Arrow fields and a registered file of it. */
export interface LayoutGroup {
  exprs: string[];
  fields: arrow.Field[];
  sampleFile: string;
}

function sourceField(fields: arrow.Field[], physical: string): arrow.Field | undefined {
  return fields.find((x) => x.name === physical) ?? fields.find((x) => x.name.toLowerCase() === physical.toLowerCase());
}

function containsVariant(t: DataType): boolean {
  switch (t.type) {
    case 'variant':
      return true;
    case 'struct':
      return t.fields.some((f) => containsVariant(f.type));
    case 'array':
      return containsVariant(t.elementType);
    case 'map':
      return containsVariant(t.keyType) || containsVariant(t.valueType);
    default:
      return false;
  }
}

/** The layout of one variant in one group's files: `plain` (unshredded) or the shredded struct's type text. */
function layoutKey(src: arrow.DataType): string {
  return isShreddedVariantStruct(src) ? String(src) : 'plain';
}

/** What the groups hold at one variant's place in a column. */
interface VariantPlace {
  /** Per group: the file type there (undefined: the group's files lack it). */
  srcs: (arrow.DataType | undefined)[];
  /** Per group: an expression reaching the place from the column, for DESCRIBE. */
  probes: (string | undefined)[];
  /** Distinct shredded layouts (keys), in order of first appearance; their slots in the union. */
  layouts: string[];
  /** DuckDB type of each layout's `typed_value`. */
  slotTypes: string[];
  /** The DuckDB type every group gives this place. */
  type: string;
  /** True when the groups hold more than one layout here (the union is used). */
  unified: boolean;
}

/**
 * Rewrites, in place, the expressions of columns holding a variant (at any depth) whose physical
 * types differ between `groups` into the layout union described in the module comment. Columns
 * with one type in every group are left as they are. Reads each distinct `typed_value` type from
 * DuckDB (DESCRIBE, no rows). `mode`: the table's column mapping mode (for nested field names).
 */
export async function unifyVariantLayouts(engine: SqlEngine, cols: ScanColumn[], groups: LayoutGroup[], registry: FileRegistry, mode: ColumnMappingMode = 'none'): Promise<void> {
  if (groups.length < 2) return;
  for (const [k, c] of cols.entries()) {
    if (c.partition || !containsVariant(c.field.type)) continue;
    const srcs = groups.map((g) => sourceField(g.fields, c.physicalName));
    if (new Set(srcs.map((s) => (s ? String(s.type) : 'absent'))).size < 2) continue;
    const roots = srcs.map((s) => (s ? `d.${quoteIdent(s.name)}` : undefined));

    // Pass 1: every variant place of the column and its file type in each group.
    const places = new Map<string, VariantPlace>();
    for (const [g, s] of srcs.entries()) {
      if (!s) continue;
      convertExpr(roots[g]!, s.type, c.field.type, mode, {
        variant(_expr, src, site) {
          let p = places.get(site.path);
          if (!p) places.set(site.path, (p = { srcs: groups.map(() => undefined), probes: groups.map(() => undefined), layouts: [], slotTypes: [], type: '', unified: false }));
          p.srcs[g] = src;
          p.probes[g] = site.probe(roots[g]!);
          return undefined;
        },
      });
    }
    // Needed where a place has several layouts, or a shredded one some group lacks (its typed NULL
    // must then have the shredded type, not the plain variant's).
    const needed = [...places.values()].some((p) => {
      const keys = p.srcs.map((x) => (x ? layoutKey(x) : undefined));
      const present = new Set(keys.filter((x) => x !== undefined));
      return present.size > 1 || (keys.includes(undefined) && [...present].some((x) => x !== 'plain'));
    });
    if (!needed) continue;

    // The type of each place: the union where layouts differ, else the one layout's own type.
    for (const p of places.values()) {
      const keys = p.srcs.map((x) => (x ? layoutKey(x) : undefined));
      p.unified = new Set(keys.filter((x) => x !== undefined)).size > 1;
      for (const [g, key] of keys.entries()) {
        if (key === undefined || key === 'plain' || p.layouts.includes(key)) continue;
        p.layouts.push(key);
        if (p.unified) p.slotTypes.push(await describe(engine, registry, groups[g].sampleFile, `struct_extract(${p.probes[g]}, 'typed_value')`));
        else p.type = await describe(engine, registry, groups[g].sampleFile, p.probes[g]!);
      }
      if (p.unified) {
        const slots = p.slotTypes.map((t, i) => `${quoteIdent(`typed_value_${i}`)} ${t}`);
        p.type = `STRUCT("metadata" BLOB, "value" BLOB, ${quoteIdent(LAYOUT_FIELD)} INTEGER, ${slots.join(', ')})`;
      } else if (!p.type) {
        p.type = duckType({ type: 'variant' });
      }
    }
    const typeAt = (t: DataType, path: string): string => combinedType(t, path, places);
    const nullAt = (t: DataType, site: ConvertSite) => (containsVariant(t) ? `CAST(NULL AS ${typeAt(t, site.path)})` : undefined);

    // Pass 2: each group's expression, with the union at the places that need it.
    for (const [g, s] of srcs.entries()) {
      if (!s) {
        groups[g].exprs[k] = `CAST(NULL AS ${typeAt(c.field.type, '')}) AS ${quoteIdent(c.name)}`;
        continue;
      }
      const conv = convertExpr(roots[g]!, s.type, c.field.type, mode, {
        variant(expr, src, site) {
          const p = places.get(site.path);
          if (!p?.unified) return undefined;
          return unionExpr(expr, src, p.layouts.indexOf(layoutKey(src)), p.slotTypes);
        },
        nullOf: nullAt,
      });
      groups[g].exprs[k] = `${conv.sql} AS ${quoteIdent(c.name)}`;
    }
  }
}

/** The DuckDB type text of `expr` over a registered file read as `d` (DESCRIBE, no rows). */
async function describe(engine: SqlEngine, registry: FileRegistry, file: string, expr: string): Promise<string> {
  const desc = await engine.query(`DESCRIBE SELECT ${expr} AS x FROM ${registry.readSql([file])} AS d`);
  return String(desc.getChild('column_type')!.get(0));
}

/** The DuckDB type of the logical type `t` at `path` in a column whose variants have the types of `places`. */
function combinedType(t: DataType, path: string, places: Map<string, VariantPlace>): string {
  switch (t.type) {
    case 'variant':
      return places.get(path)?.type ?? duckType(t);
    case 'struct':
      return `STRUCT(${t.fields.map((f) => `${quoteIdent(f.name)} ${combinedType(f.type, `${path}.${f.name}`, places)}`).join(', ')})`;
    case 'array':
      return `${combinedType(t.elementType, `${path}[]`, places)}[]`;
    case 'map':
      return `MAP(${combinedType(t.keyType, `${path}{key}`, places)}, ${combinedType(t.valueType, `${path}{value}`, places)})`;
    default:
      return duckType(t);
  }
}

/** The layout union value of the variant `expr` (file type `src`) using slot `own` (-1: unshredded). */
function unionExpr(expr: string, src: arrow.DataType, own: number, slotTypes: string[]): string {
  const hasValue = (src as arrow.Struct).children.some((f) => f.name === 'value');
  const parts = [
    `"metadata" := struct_extract(${expr}, 'metadata')`,
    `"value" := ${hasValue ? `struct_extract(${expr}, 'value')` : 'CAST(NULL AS BLOB)'}`,
    `${quoteIdent(LAYOUT_FIELD)} := CAST(${own} AS INTEGER)`,
    ...slotTypes.map((t, i) => `${quoteIdent(`typed_value_${i}`)} := ${i === own ? `struct_extract(${expr}, 'typed_value')` : `CAST(NULL AS ${t})`}`),
  ];
  return `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack(${parts.join(', ')}) END`;
}
