/**
 * Partition columns and values: `metaData.partitionColumns` resolved against the schema (keys are
 * physical names under column mapping) and the values of `add.partitionValues` parsed and formatted
 * per column type (protocol appendix "Partition Value Serialization").
 *
 * Pure TypeScript: no DOM, no I/O. Every failure is a {@link DeltaError}.
 */
import { DeltaError } from '../errors.ts';
import { physicalName, type ColumnMappingMode } from './column-mapping.ts';
import { where } from './internal.ts';
import { deltaTypeName, type DataType, type SchemaContext, type StructField, type StructType } from './types.ts';

/** A partition column resolved against the schema; see {@link partitionColumnInfo}. */
export interface PartitionColumn {
  /** Logical name (as in `metaData.partitionColumns` / the schema). */
  name: string;
  /** The key of this column in `add.partitionValues` (the physical name under column mapping). */
  key: string;
  type: DataType;
  field: StructField;
}

/**
 * Resolves `metaData.partitionColumns` (logical top-level names) against the schema: the type of
 * each and the key its values have in `partitionValues` (physical name under column mapping,
 * protocol "Reader Requirements for Column Mapping"). Names match exactly, else case-insensitively
 * (Spark column names are case-insensitive). Throws `INVALID_SCHEMA` for a partition column that is
 * not a top-level field.
 */
export function partitionColumnInfo(
  schema: StructType,
  partitionColumns: readonly string[],
  mode: ColumnMappingMode,
  ctx?: SchemaContext,
): PartitionColumn[] {
  return partitionColumns.map((name) => {
    const field =
      schema.fields.find((f) => f.name === name) ??
      schema.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) {
      throw new DeltaError('INVALID_SCHEMA', `Partition column "${name}" is not a column of the schema${where(ctx)}.`, {
        version: ctx?.version,
        path: ctx?.path,
      });
    }
    return { name: field.name, key: physicalName(field, mode), type: field.type, field };
  });
}

/**
 * A parsed partition value. The JS type depends on the column type:
 *
 * | column type | JS value |
 * |-|-|
 * | any, value `null` or `""` | `null` |
 * | `string` | `string` (verbatim) |
 * | `byte`, `short`, `integer` | `number` |
 * | `long` | `number` when within ±(2^53−1), else `bigint` |
 * | `float`, `double` | `number` (incl. `NaN`, `±Infinity`; a float is not rounded to 32 bits) |
 * | `boolean` | `boolean` |
 * | `date` | `string` `YYYY-MM-DD` (zero-padded, validated) |
 * | `timestamp` | `bigint` microseconds since 1970-01-01T00:00:00Z |
 * | `timestamp_ntz` | `bigint` microseconds since 1970-01-01 00:00:00 wall-clock (no zone) |
 * | `decimal(p,s)` | `string` with exactly `s` fraction digits, e.g. `-12.50` for decimal(4,2) |
 * | `binary` | `Uint8Array` (the UTF-8 bytes of the string) |
 */
export type PartitionValue = null | string | number | bigint | boolean | Uint8Array;

/** Where a partition value came from, for error messages. */
export interface PartitionValueContext {
  /** Column name (logical, or the `partitionValues` key). */
  column?: string;
  version?: number;
  path?: string;
}

function pvError(raw: string, type: DataType, ctx: PartitionValueContext | undefined, why?: string): DeltaError {
  const col = ctx?.column !== undefined ? ` of column "${ctx.column}"` : '';
  const parts: string[] = [];
  if (ctx?.version !== undefined) parts.push(`version ${ctx.version}`);
  if (ctx?.path) parts.push(ctx.path);
  const loc = parts.length ? ` (${parts.join(', ')})` : '';
  return new DeltaError(
    'INVALID_PARTITION_VALUE',
    `Partition value ${JSON.stringify(raw)}${col} is not a valid ${deltaTypeName(type)}${why ? `: ${why}` : ''}${loc}.`,
    { version: ctx?.version, path: ctx?.path },
  );
}

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT_RANGES: Record<'byte' | 'short' | 'integer', [number, number]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
};
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Days from 1970-01-01 to the proleptic Gregorian date y-m-d (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year, month (1-12), day of days since 1970-01-01 (proleptic Gregorian); inverse of `daysFromCivil`. */
export function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? era * 400 + yoe + 1 : era * 400 + yoe, m, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

const DATE_PART = '([+-]?\\d{4,6})-(\\d{1,2})-(\\d{1,2})';
const DATE_RE = new RegExp(`^${DATE_PART}$`);
const TIMESTAMP_RE = new RegExp(
  `^${DATE_PART}[ Tt](\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?([Zz]|[+-]\\d{2}(?::?\\d{2})?)?$`,
);

/** Validates y-m-d and returns days since the epoch, or undefined. */
function civilDays(ys: string, ms: string, ds: string): number | undefined {
  const y = Number(ys);
  const m = Number(ms);
  const d = Number(ds);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return daysFromCivil(y, m, d);
}

function parseTimestamp(raw: string, ntz: boolean): bigint | undefined {
  const match = TIMESTAMP_RE.exec(raw);
  if (!match) return undefined;
  const [, ys, ms, ds, hs, mins, ss, frac, zone] = match;
  const days = civilDays(ys, ms, ds);
  const h = Number(hs);
  const mi = Number(mins);
  const s = Number(ss);
  if (days === undefined || h > 23 || mi > 59 || s > 59) return undefined;
  if (ntz && zone !== undefined) return undefined; // a zone has no meaning for timestamp_ntz
  const micros = frac ? BigInt(frac.padEnd(9, '0').slice(0, 6)) : 0n; // nanoseconds are truncated
  let total = (BigInt(days) * 86400n + BigInt(h * 3600 + mi * 60 + s)) * 1_000_000n + micros;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return undefined;
    // local = UTC + offset, so UTC = local - offset
    total -= BigInt(sign * (oh * 3600 + om * 60)) * 1_000_000n;
  }
  return total;
}

function parseDecimal(raw: string, precision: number, scale: number): string | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(raw);
  if (!m) return undefined;
  const [, sign, intPart, fracPart = '', expPart] = m;
  if (intPart === '' && fracPart === '') return undefined;
  let digits = intPart + fracPart;
  let pointPos = intPart.length; // digits before the decimal point
  if (expPart !== undefined) {
    const exp = Number(expPart);
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return undefined;
    pointPos += exp;
  }
  if (pointPos < 0) {
    digits = '0'.repeat(-pointPos) + digits;
    pointPos = 0;
  }
  if (pointPos > digits.length) {
    digits = digits + '0'.repeat(pointPos - digits.length);
  }
  let whole = digits.slice(0, pointPos).replace(/^0+/, '');
  let frac = digits.slice(pointPos);
  if (frac.length > scale) {
    // Extra fraction digits are accepted only when they are zeros (no rounding).
    if (/[^0]/.test(frac.slice(scale))) return undefined;
    frac = frac.slice(0, scale);
  } else {
    frac = frac.padEnd(scale, '0');
  }
  if (whole.length > precision - scale) return undefined;
  if (whole === '') whole = '0';
  const isZero = /^0+$/.test(whole + frac);
  const body = scale > 0 ? `${whole}.${frac}` : whole;
  return sign === '-' && !isZero ? `-${body}` : body;
}

/**
 * Parses one serialized partition value (protocol appendix "Partition Value Serialization") into
 * the JS value documented at {@link PartitionValue}.
 *
 * - `null`, `undefined` and `""` are `null` for every type (the protocol: "An empty string for any
 *   type translates to a null partition value").
 * - Integers: optional sign and decimal digits, range-checked for the type.
 * - `float` / `double`: decimal or scientific notation, or `NaN`, `Infinity`, `+Infinity`, `-Infinity`.
 * - `boolean`: `true` / `false`, case-insensitive.
 * - `date`: `{year}-{month}-{day}`, validated against the calendar, normalised to `YYYY-MM-DD`.
 * - `timestamp`: `{y}-{m}-{d} {h}:{mi}:{s}[.{fraction}]` is read as UTC (the protocol says "the time
 *   zone of the system which wrote to the table", which a reader cannot know; delta-kernel-rs also
 *   reads it as UTC), as is the same with a `T` separator; ISO 8601 with `Z` or an offset
 *   (`+05:00`, `+0530`, `-05`) is converted to UTC. A date alone is rejected.
 * - `timestamp_ntz`: the same forms without a zone (a `Z` or offset is rejected).
 *   Fractions of up to 9 digits are accepted; digits beyond microseconds are truncated.
 * - `decimal(p,s)`: plain or scientific notation; fewer fraction digits are padded with zeros, extra
 *   fraction digits must be zeros (no rounding); at most `p - s` integer digits.
 * - `binary`: the UTF-8 bytes of the string (as delta-kernel-rs does).
 * - `void`: only null. `variant`, `struct`, `array`, `map` and unknown types cannot be partition
 *   columns: any non-null value is rejected.
 *
 * Throws `INVALID_PARTITION_VALUE` naming the column (`ctx.column`), the value and the type.
 */
export function parsePartitionValue(
  raw: string | null | undefined,
  type: DataType,
  ctx?: PartitionValueContext,
): PartitionValue {
  if (raw === null || raw === undefined || raw === '') return null;
  if (typeof raw !== 'string') throw pvError(String(raw), type, ctx, 'partition values must be strings');
  switch (type.type) {
    case 'string':
      return raw;
    case 'byte':
    case 'short':
    case 'integer': {
      if (!INT_RE.test(raw)) throw pvError(raw, type, ctx);
      const n = Number(raw);
      const [lo, hi] = INT_RANGES[type.type];
      if (n < lo || n > hi) throw pvError(raw, type, ctx, `out of range ${lo}..${hi}`);
      return n === 0 ? 0 : n;
    }
    case 'long': {
      if (!INT_RE.test(raw)) throw pvError(raw, type, ctx);
      const b = BigInt(raw);
      if (b < LONG_MIN || b > LONG_MAX) throw pvError(raw, type, ctx, 'out of the 64-bit range');
      return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    }
    case 'float':
    case 'double': {
      if (raw === 'NaN') return NaN;
      if (raw === 'Infinity' || raw === '+Infinity') return Infinity;
      if (raw === '-Infinity') return -Infinity;
      if (!FLOAT_RE.test(raw)) throw pvError(raw, type, ctx);
      return Number(raw);
    }
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw pvError(raw, type, ctx, 'expected true or false');
    }
    case 'date': {
      const m = DATE_RE.exec(raw);
      const days = m ? civilDays(m[1], m[2], m[3]) : undefined;
      if (days === undefined) throw pvError(raw, type, ctx, 'expected YYYY-MM-DD');
      return formatDateDays(days);
    }
    case 'timestamp':
    case 'timestamp_ntz': {
      const micros = parseTimestamp(raw, type.type === 'timestamp_ntz');
      if (micros === undefined) {
        const expected =
          type.type === 'timestamp'
            ? 'expected "YYYY-MM-DD HH:MM:SS[.ffffff]" or ISO 8601 with Z or an offset'
            : 'expected "YYYY-MM-DD HH:MM:SS[.ffffff]" without a time zone';
        throw pvError(raw, type, ctx, expected);
      }
      return micros;
    }
    case 'decimal': {
      const d = parseDecimal(raw, type.precision, type.scale);
      if (d === undefined) throw pvError(raw, type, ctx);
      return d;
    }
    case 'binary':
      return new TextEncoder().encode(raw);
    case 'void':
      throw pvError(raw, type, ctx, 'a void column only holds nulls');
    default:
      throw pvError(raw, type, ctx, `${deltaTypeName(type)} cannot be a partition column type`);
  }
}

/**
 * Parses the `partitionValues` map of one file action for the given partition columns (see
 * {@link partitionColumnInfo}), keyed by logical column name. A partition column missing from the
 * map is `null`; keys that are not partition columns are ignored. Throws `INVALID_PARTITION_VALUE`.
 */
export function parsePartitionValues(
  partitionValues: Record<string, string | null> | null | undefined,
  columns: readonly PartitionColumn[],
  ctx?: Omit<PartitionValueContext, 'column'>,
): Record<string, PartitionValue> {
  const out: Record<string, PartitionValue> = {};
  for (const c of columns) {
    out[c.name] = parsePartitionValue(partitionValues?.[c.key] ?? null, c.type, { ...ctx, column: c.name });
  }
  return out;
}

function formatDateDays(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

function formatMicros(micros: bigint, sep: string): string {
  const perDay = 86_400_000_000n;
  let days = micros / perDay;
  let rest = micros % perDay;
  if (rest < 0n) {
    rest += perDay;
    days -= 1n;
  }
  const secs = Number(rest / 1_000_000n);
  const frac = Number(rest % 1_000_000n);
  const time = `${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor((secs % 3600) / 60), 2)}:${pad(secs % 60, 2)}`;
  const fraction = frac ? '.' + String(frac).padStart(6, '0').replace(/0+$/, '') : '';
  return `${formatDateDays(Number(days))}${sep}${time}${fraction}`;
}

function toBigInt(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
}

/**
 * Text of a parsed partition value for display: `null` prints as `null`; numbers and booleans as
 * JS prints them (`NaN`, `Infinity`, `-Infinity`); dates and decimals verbatim; a `timestamp` as ISO
 * 8601 UTC (`1971-07-22T03:06:40Z`, `…T03:06:40.5Z`), a `timestamp_ntz` as
 * `2013-07-05 17:01:00.123456` (fraction only when non-zero, trailing zeros trimmed); binary as
 * hex (`0x0102ff`). Except for binary and null, the text parses back to the same value with
 * {@link parsePartitionValue}.
 */
export function formatPartitionValue(value: PartitionValue, type: DataType): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) {
    return '0x' + Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('');
  }
  if ((type.type === 'timestamp' || type.type === 'timestamp_ntz') && typeof value !== 'string' && typeof value !== 'boolean') {
    const micros = toBigInt(value);
    return type.type === 'timestamp' ? `${formatMicros(micros, 'T')}Z` : formatMicros(micros, ' ');
  }
  if (type.type === 'date' && typeof value === 'number') return formatDateDays(value);
  return String(value);
}
