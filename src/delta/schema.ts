/**
 * Table schemas and everything read from them, one module per concern (`src/delta/schema/`):
 *
 * | module | protocol sections |
 * |-|-|
 * | `types.ts` | "Schema Serialization Format": the type tree, parsing, type names |
 * | `column-metadata.ts` | column metadata: generated, identity, default columns, invariants, type changes, collations |
 * | `column-mapping.ts` | "Column Mapping": mode, physical names, leaf columns |
 * | `partition-values.ts` | partition columns and "Partition Value Serialization" |
 * | `constraints.ts` | "CHECK Constraints" |
 * | `clustering.ts` | "Clustered Table" (`delta.clustering`, legacy `delta.liquid`) |
 *
 * This file re-exports them so importers keep one path.
 */
export * from './schema/types.ts';
export * from './schema/column-metadata.ts';
export * from './schema/column-mapping.ts';
export * from './schema/partition-values.ts';
export * from './schema/constraints.ts';
export * from './schema/clustering.ts';
