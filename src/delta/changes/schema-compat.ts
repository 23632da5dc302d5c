/**
 * Whether the data written under each schema in force within a change feed range can be read with
 * the range's end schema (Spark `DeltaColumnMapping.hasNoColumnMappingSchemaChanges` and
 * `SchemaUtils.isReadCompatible`; delta-kernel-rs requires equal schemas instead). Pure.
 */
import { METADATA_KEYS, type ColumnMappingMode, type DataType, type StructType } from '../schema.ts';

function physicalOf(field: StructType['fields'][number], mode: ColumnMappingMode): string {
  const p = field.metadata?.[METADATA_KEYS.physicalName];
  return mode !== 'none' && typeof p === 'string' && p !== '' ? p : field.name;
}

/** physical path → logical path of every field, through structs, array elements and map values. */
function physicalNameMap(schema: StructType, mode: ColumnMappingMode): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (t: DataType, phys: string[], logical: string[]): void => {
    if (t.type === 'struct') {
      for (const f of t.fields) {
        const p = [...phys, physicalOf(f, mode)];
        const l = [...logical, f.name];
        out.set(JSON.stringify(p), l.join('.'));
        walk(f.type, p, l);
      }
    } else if (t.type === 'array') walk(t.elementType, [...phys, 'element'], [...logical, 'element']);
    else if (t.type === 'map') {
      walk(t.keyType, [...phys, 'key'], [...logical, 'key']);
      walk(t.valueType, [...phys, 'value'], [...logical, 'value']);
    }
  };
  walk(schema, [], []);
  return out;
}

/**
 * Why data written with `older` cannot be read as `read`, or null when it can: dropped or renamed
 * columns under column mapping, missing columns, changed types, tightened nullability.
 */
export function schemaReadIncompatibility(older: StructType, olderMode: ColumnMappingMode, read: StructType, readMode: ColumnMappingMode): string | null {
  if (olderMode !== 'none' || readMode !== 'none') {
    const before = physicalNameMap(older, olderMode);
    const after = physicalNameMap(read, readMode);
    for (const [phys, logical] of before) {
      const now = after.get(phys);
      if (now === undefined) return `column "${logical}" was dropped`;
      if (now !== logical) return `column "${logical}" was renamed to "${now}"`;
    }
  }
  return typeIncompatibility(older, read, '');
}

function typeIncompatibility(o: DataType, r: DataType, path: string): string | null {
  const at = path ? ` of "${path}"` : '';
  if (o.type === 'struct' && r.type === 'struct') {
    for (const f of o.fields) {
      const name = path ? `${path}.${f.name}` : f.name;
      const rf = r.fields.find((x) => x.name === f.name) ?? r.fields.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
      if (!rf) return `column "${name}" is missing from the read schema`;
      if (f.nullable && !rf.nullable) return `column "${name}" became NOT NULL`;
      const p = typeIncompatibility(f.type, rf.type, name);
      if (p) return p;
    }
    return null;
  }
  if (o.type === 'array' && r.type === 'array') {
    if (o.containsNull && !r.containsNull) return `the elements${at} became NOT NULL`;
    return typeIncompatibility(o.elementType, r.elementType, `${path}.element`);
  }
  if (o.type === 'map' && r.type === 'map') {
    if (o.valueContainsNull && !r.valueContainsNull) return `the map values${at} became NOT NULL`;
    return typeIncompatibility(o.keyType, r.keyType, `${path}.key`) ?? typeIncompatibility(o.valueType, r.valueType, `${path}.value`);
  }
  if (o.type === 'decimal' && r.type === 'decimal') {
    return o.precision === r.precision && o.scale === r.scale ? null : `the type${at} changed from decimal(${o.precision},${o.scale}) to decimal(${r.precision},${r.scale})`;
  }
  if (o.type === 'unknown' && r.type === 'unknown') return o.name === r.name ? null : `the type${at} changed from ${o.name} to ${r.name}`;
  if (o.type === r.type && o.type !== 'struct' && o.type !== 'array' && o.type !== 'map' && o.type !== 'decimal' && o.type !== 'unknown') return null;
  return `the type${at} changed from ${typeLabel(o)} to ${typeLabel(r)}`;
}

function typeLabel(t: DataType): string {
  if (t.type === 'decimal') return `decimal(${t.precision},${t.scale})`;
  if (t.type === 'unknown') return t.name;
  return t.type;
}

