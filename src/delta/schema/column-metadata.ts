/**
 * Column metadata defined by the protocol (sections "Column Mapping", "Generated Columns",
 * "Identity Columns", "Default Columns", "Column Invariants", "Type Widening", collations), read
 * into a typed {@link FieldInfo}.
 *
 * Pure TypeScript: no DOM, no I/O; never throws.
 */
import { asNumber, isObject } from './internal.ts';
import type { StructField } from './types.ts';

/** Column metadata keys defined by the protocol. */
export const METADATA_KEYS = {
  comment: 'comment',
  columnMappingId: 'delta.columnMapping.id',
  physicalName: 'delta.columnMapping.physicalName',
  nestedIds: 'delta.columnMapping.nested.ids',
  generationExpression: 'delta.generationExpression',
  identityStart: 'delta.identity.start',
  identityStep: 'delta.identity.step',
  identityHighWaterMark: 'delta.identity.highWaterMark',
  identityAllowExplicitInsert: 'delta.identity.allowExplicitInsert',
  currentDefault: 'CURRENT_DEFAULT',
  invariants: 'delta.invariants',
  typeChanges: 'delta.typeChanges',
  collations: '__COLLATIONS',
} as const;

/**
 * Identity column settings (protocol "Identity Columns"). Values are JS numbers: the log stores
 * longs as JSON numbers, so values beyond ±2^53 have already lost precision in `JSON.parse`.
 */
export interface IdentityInfo {
  /** `delta.identity.start`; absent only in a malformed schema. */
  start?: number;
  /** `delta.identity.step` (never 0); absent only in a malformed schema. */
  step?: number;
  /** `delta.identity.highWaterMark`: the highest (lowest, for a negative step) value generated so far. */
  highWaterMark?: number;
  /** `delta.identity.allowExplicitInsert`: whether users may insert their own values. */
  allowExplicitInsert?: boolean;
}

/** One entry of `delta.typeChanges` (protocol "Type Change Metadata"). */
export interface TypeChange {
  /** Delta type name before the change, e.g. `integer`, `decimal(10,2)`. */
  fromType: string;
  /** Delta type name after the change. */
  toType: string;
  /** Table version of the change, when the writer recorded it (Delta Spark does). */
  tableVersion?: number;
  /** For a map key/value or array element: `key`, `value`, `element`, dotted when nested (`element.value`). */
  fieldPath?: string;
}

/** Typed view of a field's metadata; see {@link fieldInfo}. Every member is absent when not set. */
export interface FieldInfo {
  /** `comment`: the column comment. */
  comment?: string;
  /** `delta.columnMapping.id` ("Column Mapping"). */
  columnMappingId?: number;
  /** `delta.columnMapping.physicalName` ("Column Mapping"). */
  physicalName?: string;
  /** `delta.generationExpression`: SQL expression of a generated column ("Generated Columns"). */
  generationExpression?: string;
  /** `delta.identity.*` ("Identity Columns"), present when any of those keys is. */
  identity?: IdentityInfo;
  /** `CURRENT_DEFAULT`: SQL default expression ("Default Columns"). */
  defaultExpression?: string;
  /**
   * `delta.invariants` ("Column Invariants"): the SQL boolean expression found at
   * `expression.expression` of the JSON value, or the raw value when it is not that shape.
   */
  invariants?: string;
  /** `delta.typeChanges` ("Type Widening"), oldest first. */
  typeChanges?: TypeChange[];
  /**
   * `__COLLATIONS` (collations feature): collation identifier (e.g. `ICU.de_DE`,
   * `spark.UTF8_LCASE`) keyed by the field name, or by `<name>.element`, `<name>.key`, ... for
   * strings nested in arrays and maps.
   */
  collations?: Record<string, string>;
}


function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function asBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

function maybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function parseTypeChanges(v: unknown): TypeChange[] | undefined {
  const list = maybeJson(v);
  if (!Array.isArray(list)) return undefined;
  const out: TypeChange[] = [];
  for (const item of list) {
    if (!isObject(item)) continue;
    const fromType = asString(item.fromType);
    const toType = asString(item.toType);
    if (fromType === undefined || toType === undefined) continue;
    const change: TypeChange = { fromType, toType };
    const tableVersion = asNumber(item.tableVersion);
    if (tableVersion !== undefined) change.tableVersion = tableVersion;
    const fieldPath = asString(item.fieldPath);
    if (fieldPath !== undefined) change.fieldPath = fieldPath;
    out.push(change);
  }
  return out;
}

/**
 * Reads the protocol-defined keys of a field's metadata into a typed {@link FieldInfo}; keys that
 * are absent or of an unexpected shape are left out (never throws). `delta.typeChanges` and
 * `delta.invariants` are accepted both as JSON values and as JSON strings (the protocol says
 * "JSON string"; Delta Spark writes `delta.typeChanges` as a JSON array).
 */
export function fieldInfo(field: StructField): FieldInfo {
  const m = field.metadata ?? {};
  const info: FieldInfo = {};
  const comment = asString(m[METADATA_KEYS.comment]);
  if (comment !== undefined) info.comment = comment;
  const id = asNumber(m[METADATA_KEYS.columnMappingId]);
  if (id !== undefined) info.columnMappingId = id;
  const physical = asString(m[METADATA_KEYS.physicalName]);
  if (physical !== undefined) info.physicalName = physical;
  const gen = asString(m[METADATA_KEYS.generationExpression]);
  if (gen !== undefined) info.generationExpression = gen;

  if (Object.keys(m).some((k) => k.startsWith('delta.identity.'))) {
    const identity: IdentityInfo = {};
    const start = asNumber(m[METADATA_KEYS.identityStart]);
    if (start !== undefined) identity.start = start;
    const step = asNumber(m[METADATA_KEYS.identityStep]);
    if (step !== undefined) identity.step = step;
    const hwm = asNumber(m[METADATA_KEYS.identityHighWaterMark]);
    if (hwm !== undefined) identity.highWaterMark = hwm;
    const allow = asBoolean(m[METADATA_KEYS.identityAllowExplicitInsert]);
    if (allow !== undefined) identity.allowExplicitInsert = allow;
    info.identity = identity;
  }

  const def = asString(m[METADATA_KEYS.currentDefault]);
  if (def !== undefined) info.defaultExpression = def;

  const inv = m[METADATA_KEYS.invariants];
  if (inv !== undefined && inv !== null) {
    const parsed = maybeJson(inv);
    const expr =
      isObject(parsed) && isObject(parsed.expression) ? asString(parsed.expression.expression) : undefined;
    info.invariants = expr ?? (typeof inv === 'string' ? inv : JSON.stringify(inv));
  }

  const changes = parseTypeChanges(m[METADATA_KEYS.typeChanges]);
  if (changes !== undefined) info.typeChanges = changes;

  const coll = maybeJson(m[METADATA_KEYS.collations]);
  if (isObject(coll)) {
    const collations: Record<string, string> = {};
    for (const [k, v] of Object.entries(coll)) if (typeof v === 'string') collations[k] = v;
    info.collations = collations;
  }
  return info;
}
