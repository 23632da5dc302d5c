/**
 * Column mapping (protocol "Column Mapping"): the mode from the table properties, the physical name
 * of a field, and the leaf columns of a schema with their logical and physical paths (the layout of
 * per-file statistics and data-file columns).
 *
 * Pure TypeScript: no DOM, no I/O. Every failure is a {@link DeltaError}.
 */
import { DeltaError } from '../errors.ts';
import type { Protocol } from '../features.ts';
import { METADATA_KEYS } from './column-metadata.ts';
import { asNumber } from './internal.ts';
import type { DataType, StructField, StructType } from './types.ts';

/** Column mapping mode (protocol "Column Mapping"). */
export type ColumnMappingMode = 'none' | 'name' | 'id';

/** Table property holding the column mapping mode. */
export const COLUMN_MAPPING_MODE_KEY = 'delta.columnMapping.mode';

/**
 * The column mapping mode from the table `configuration` (`delta.columnMapping.mode`, matched
 * case-insensitively; absent → `'none'`).
 *
 * Per the protocol the property is only honoured when the protocol supports column mapping
 * (reader version 2, or reader version 3 with `columnMapping` in `readerFeatures`): pass `protocol`
 * to apply that rule (an unsupported protocol then yields `'none'`). Throws `INVALID_LOG` for a
 * value other than `none` / `name` / `id`.
 */
export function columnMappingMode(
  configuration: Record<string, string> | null | undefined,
  protocol?: Protocol,
): ColumnMappingMode {
  if (protocol) {
    const v = protocol.minReaderVersion;
    const supported = v === 2 || (v >= 3 && (protocol.readerFeatures ?? []).includes('columnMapping'));
    if (!supported) return 'none';
  }
  const raw = configuration?.[COLUMN_MAPPING_MODE_KEY];
  if (raw === undefined || raw === null) return 'none';
  const mode = String(raw).trim().toLowerCase();
  if (mode === 'none' || mode === 'name' || mode === 'id') return mode;
  throw new DeltaError('INVALID_LOG', `Unknown column mapping mode "${raw}" in table property ${COLUMN_MAPPING_MODE_KEY}.`, {
    hint: 'Valid modes are none, name and id.',
  });
}

/**
 * The name the column has in data files, statistics and `partitionValues`: `field.name` in mode
 * `'none'`, its `delta.columnMapping.physicalName` in modes `'name'` and `'id'` (protocol
 * "Column Mapping"). Throws `INVALID_SCHEMA` when mapping is on and the field has no physical name.
 */
export function physicalName(field: StructField, mode: ColumnMappingMode): string {
  if (mode === 'none') return field.name;
  const p = field.metadata?.[METADATA_KEYS.physicalName];
  if (typeof p !== 'string' || p === '') {
    throw new DeltaError(
      'INVALID_SCHEMA',
      `Column "${field.name}" has no ${METADATA_KEYS.physicalName} although column mapping mode is "${mode}".`,
    );
  }
  return p;
}

/** One leaf column of a schema; see {@link leafColumns}. */
export interface LeafColumn {
  /** Logical (display) names from the top level down, e.g. `['address', 'city']`. */
  logicalPath: string[];
  /** Physical names (the keys of `stats` and `partitionValues`, and data-file column names). */
  physicalPath: string[];
  type: DataType;
  /** The leaf field's own `nullable` flag. */
  nullable: boolean;
  /** True when the leaf or any enclosing struct field is nullable (the value can be null in a row). */
  nullableInPath: boolean;
  /** `delta.columnMapping.id` of the leaf, when present. */
  columnMappingId?: number;
  field: StructField;
}

/**
 * Walks the schema depth-first in field order and returns every leaf column: struct fields are
 * descended into; everything else (primitives, arrays, maps, variant, unknown) is a leaf, as in
 * the per-file statistics layout ("Per-file Statistics": stats mirror the schema's structs, keyed
 * by physical names under column mapping). Throws `INVALID_SCHEMA` as {@link physicalName} does.
 */
export function leafColumns(schema: StructType, mode: ColumnMappingMode): LeafColumn[] {
  const out: LeafColumn[] = [];
  const walk = (struct: StructType, logical: string[], physical: string[], parentNullable: boolean): void => {
    for (const field of struct.fields) {
      const lp = [...logical, field.name];
      const pp = [...physical, physicalName(field, mode)];
      const nullableInPath = parentNullable || field.nullable;
      if (field.type.type === 'struct') {
        walk(field.type, lp, pp, nullableInPath);
      } else {
        const leaf: LeafColumn = {
          logicalPath: lp,
          physicalPath: pp,
          type: field.type,
          nullable: field.nullable,
          nullableInPath,
          field,
        };
        const id = asNumber(field.metadata?.[METADATA_KEYS.columnMappingId]);
        if (id !== undefined) leaf.columnMappingId = id;
        out.push(leaf);
      }
    }
  };
  walk(schema, [], [], false);
  return out;
}
