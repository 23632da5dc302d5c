/**
 * One variant column, several physical layouts (Delta protocol "Variant Shredding"; Parquet
 * `VariantShredding.md`): a writer picks a shredding schema per file, so one column can be
 * unshredded (`metadata`, `value`) in some files and shredded with different `typed_value` types in
 * others. A scan (and the Change Data Feed reader) reads each group of files with one physical schema in its own `read_parquet` branch
 * and combines the branches with UNION ALL, which needs one type per column: DuckDB cannot unite the
 * different structs.
 *
 * {@link unifyVariantLayouts} gives such a column one "layout union" type in every branch:
 * `STRUCT(metadata BLOB, value BLOB, __dx_layout INTEGER, typed_value_0 T0, …, typed_value_n Tn)`,
 * where `Ti` are the distinct `typed_value` types, each branch fills its own slot (the others are
 * typed NULLs) and `__dx_layout` says which slot a row uses (-1: unshredded). Nothing is converted
 * in SQL; `decodeVariantColumns` (`variant.ts`) rebuilds each row from its own slot, exactly as it
 * would from the file's own layout. Top-level variant columns only; a variant nested in a struct,
 * array or map with mixed layouts still fails loudly in DuckDB (QUERY_ERROR), never silently.
 */
import * as arrow from 'apache-arrow';
import { quoteIdent, type SqlEngine } from './engine.ts';
import type { FileRegistry } from './file-registry.ts';
import type { ScanColumn } from './scan-plan.ts';
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

/**
 * Rewrites, in place, the expressions of top-level variant columns whose layout differs between
 * `groups` into the layout union described in the module comment. Columns with one layout in every
 * group are left as they are. Reads each distinct `typed_value` type from DuckDB (DESCRIBE, no rows).
 */
export async function unifyVariantLayouts(engine: SqlEngine, cols: ScanColumn[], groups: LayoutGroup[], registry: FileRegistry): Promise<void> {
  if (groups.length < 2) return;
  for (const [k, c] of cols.entries()) {
    if (c.partition || c.field.type.type !== 'variant') continue;
    const srcs = groups.map((g) => sourceField(g.fields, c.physicalName));
    const keys = srcs.map((s) => (!s ? 'absent' : isShreddedVariantStruct(s.type) ? String(s.type) : 'plain'));
    if (new Set(keys.filter((x) => x !== 'absent')).size < 2) continue;
    // Distinct shredded layouts, in order of first appearance, with their DuckDB type text.
    const layouts: string[] = [];
    const types: string[] = [];
    for (const [g, s] of srcs.entries()) {
      if (!s || keys[g] === 'plain' || layouts.includes(keys[g])) continue;
      layouts.push(keys[g]);
      const from = registry.readSql([groups[g].sampleFile]);
      const desc = await engine.query(`DESCRIBE SELECT struct_extract(d.${quoteIdent(s.name)}, 'typed_value') AS x FROM ${from} AS d`);
      types.push(String(desc.getChild('column_type')!.get(0)));
    }
    for (const [g, s] of srcs.entries()) {
      if (!s) continue; // absent from these files: the typed NULL logicalColumnSql wrote
      const col = `d.${quoteIdent(s.name)}`;
      const own = keys[g] === 'plain' ? -1 : layouts.indexOf(keys[g]);
      const hasValue = (s.type as arrow.Struct).children.some((f) => f.name === 'value');
      const parts = [
        `"metadata" := struct_extract(${col}, 'metadata')`,
        `"value" := ${hasValue ? `struct_extract(${col}, 'value')` : 'CAST(NULL AS BLOB)'}`,
        `${quoteIdent(LAYOUT_FIELD)} := CAST(${own} AS INTEGER)`,
        ...types.map((t, i) => `${quoteIdent(`typed_value_${i}`)} := ${i === own ? `struct_extract(${col}, 'typed_value')` : `CAST(NULL AS ${t})`}`),
      ];
      groups[g].exprs[k] = `CASE WHEN ${col} IS NULL THEN NULL ELSE struct_pack(${parts.join(', ')}) END AS ${quoteIdent(c.name)}`;
    }
  }
}
