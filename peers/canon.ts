/**
 * Canonical JSON of our query results, the TypeScript side of `peers/gen/canon.py`: rows of two
 * engines compare as sorted lists of canonical strings (multisets).
 *
 * Rules: null; booleans; strings; integers as JSON numbers when safe (|x| ≤ 2^53 - 1), else decimal
 * strings; floats as numbers (NaN/±Infinity as strings); decimals as plain strings with their
 * scale; dates `YYYY-MM-DD`; timestamps `YYYY-MM-DDTHH:MM:SS.ffffffZ` (timestamp_ntz without `Z`);
 * binary as base64; structs as objects; lists as arrays; maps as `[key, value]` pairs sorted by the
 * key's canonical text; variant columns (read by the data plane as JSON text) as the parsed JSON
 * value. Object keys are sorted when printed.
 */
import type * as arrow from 'apache-arrow';
import { tableCells, type Cell } from '../src/query/values.ts';

/** A canonical value: what `JSON.stringify` of sorted keys prints. */
export type Canon = null | boolean | number | string | Canon[] | { [k: string]: Canon };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function intCanon(v: number | bigint): Canon {
  if (typeof v === 'number') return v;
  return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v.toString();
}

function floatCanon(v: number): Canon {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

function pad(n: number | bigint, w: number): string {
  return String(n).padStart(w, '0');
}

/** Proleptic Gregorian civil date of a day number (days since 1970-01-01). */
export function isoDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffff` (+ `Z` when `tz`) of µs since the epoch. */
export function isoMicros(micros: bigint, tz: boolean): string {
  const day = 86_400_000_000n;
  let days = micros / day;
  let rem = micros % day;
  if (rem < 0n) {
    rem += day;
    days -= 1n;
  }
  const us = rem % 1_000_000n;
  const secs = Number(rem / 1_000_000n);
  const text = `${isoDate(Number(days))}T${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor(secs / 60) % 60, 2)}:${pad(secs % 60, 2)}.${pad(us, 6)}`;
  return tz ? `${text}Z` : text;
}

/** Base64 of bytes. */
export function base64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** Canonical form of one result cell. */
export function cellCanon(c: Cell): Canon {
  if (c === null) return null;
  switch (c.t) {
    case 'bool':
      return c.v;
    case 'int':
      return intCanon(c.v);
    case 'float':
      return floatCanon(c.v);
    case 'dec':
      return c.text;
    case 'str':
      return c.v;
    case 'bin':
      return base64(c.v);
    case 'date':
      return isoDate(c.days);
    case 'ts':
      return isoMicros(c.micros, c.tz);
    case 'list':
      return c.items.map(cellCanon);
    case 'struct':
      return Object.fromEntries(c.fields.map(([k, v]) => [k, cellCanon(v)]));
    case 'map':
      return c.entries.map(([k, v]) => [cellCanon(k), cellCanon(v)] as Canon[]).sort((a, b) => cmp(canonText(a[0]), canonText(b[0])));
    case 'other':
      return c.text;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON text with object keys sorted (the canonical text of a value). */
export function canonText(v: Canon): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonText).join(',')}]`;
  const keys = Object.keys(v).sort(cmp);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonText(v[k])}`).join(',')}}`;
}

/**
 * Parses JSON text into a canonical value: integer literals beyond 2^53 stay exact (as strings),
 * `NaN`/`Infinity` strings stay strings. For variant JSON and for the peers' canonical rows.
 * @throws SyntaxError on invalid JSON.
 */
export function parseCanon(text: string): Canon {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (): Canon => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const obj: Record<string, Canon> = {};
      ws();
      if (text[i] === '}') return i++, obj;
      for (;;) {
        ws();
        const k = value() as string;
        ws();
        if (text[i++] !== ':') throw new SyntaxError(`expected : at ${i}`);
        obj[k] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i++] === '}') return obj;
        else throw new SyntaxError(`expected , or } at ${i}`);
      }
    }
    if (ch === '[') {
      i++;
      const arr: Canon[] = [];
      ws();
      if (text[i] === ']') return i++, arr;
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i++] === ']') return arr;
        else throw new SyntaxError(`expected , or ] at ${i}`);
      }
    }
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const s = JSON.parse(text.slice(i, j + 1)) as string;
      i = j + 1;
      return s;
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?|^true|^false|^null/.exec(text.slice(i, i + 400));
    if (!m) throw new SyntaxError(`unexpected ${JSON.stringify(text.slice(i, i + 10))} at ${i}`);
    i += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    if (!m[1] && !m[2]) return intCanon(BigInt(m[0]));
    return Number(m[0]);
  };
  const v = value();
  ws();
  if (i !== text.length) throw new SyntaxError(`trailing text at ${i}`);
  return v;
}

/**
 * Where variants sit in a Spark type (`DataType.simpleString()`): `true` for a variant, an
 * object for a struct (field name → its variant places), `{ element }` for an array, `{ value }`
 * for a map (Spark has no variant map keys); `undefined` where there is no variant.
 */
export type VariantPlaces = true | { fields: Record<string, VariantPlaces> } | { element: VariantPlaces } | { value: VariantPlaces };

/**
 * The variant places of a Spark type string such as `struct<v:variant,a:array<variant>>` or
 * `map<string,variant>` (field names with special characters are backquoted by Spark).
 * @throws SyntaxError on a type string it cannot parse.
 */
export function variantPlaces(type: string): VariantPlaces | undefined {
  let i = 0;
  const name = (): string => {
    if (type[i] === '`') {
      let j = i + 1;
      let out = '';
      for (; j < type.length; j++) {
        if (type[j] === '`' && type[j + 1] === '`') (out += '`'), j++;
        else if (type[j] === '`') break;
        else out += type[j];
      }
      i = j + 1;
      return out;
    }
    const start = i;
    while (i < type.length && type[i] !== ':') i++;
    return type.slice(start, i);
  };
  const parse = (): VariantPlaces | undefined => {
    const m = /^[a-z_]+/.exec(type.slice(i));
    if (!m) throw new SyntaxError(`type ${JSON.stringify(type)}: unexpected text at ${i}`);
    const word = m[0];
    i += word.length;
    if (word === 'variant') return true;
    if (type[i] === '(') {
      while (type[i] !== ')') i++;
      i++;
      return undefined;
    }
    if (type[i] !== '<') return undefined;
    i++;
    let out: VariantPlaces | undefined;
    if (word === 'array') {
      const e = parse();
      out = e && { element: e };
    } else if (word === 'map') {
      parse();
      i++; // ','
      const v = parse();
      out = v && { value: v };
    } else if (word === 'struct') {
      const fields: Record<string, VariantPlaces> = {};
      while (type[i] !== '>') {
        const n = name();
        i++; // ':'
        const f = parse();
        if (f) fields[n] = f;
        if (type[i] === ',') i++;
      }
      out = Object.keys(fields).length ? { fields } : undefined;
    } else {
      throw new SyntaxError(`type ${JSON.stringify(type)}: unknown type ${word}`);
    }
    if (type[i] !== '>') throw new SyntaxError(`type ${JSON.stringify(type)}: expected > at ${i}`);
    i++;
    return out;
  };
  return parse();
}

/** Parses the variant JSON texts of a canonical value at the given places (see {@link VariantPlaces}). */
export function reparseVariants(v: Canon, places: VariantPlaces): Canon {
  if (v === null) return null;
  if (places === true) return typeof v === 'string' ? parseCanon(v) : v;
  if ('element' in places) return (v as Canon[]).map((x) => reparseVariants(x, places.element));
  if ('value' in places) return (v as Canon[][]).map(([k, x]) => [k, reparseVariants(x, places.value)]);
  const obj = { ...(v as Record<string, Canon>) };
  for (const [k, p] of Object.entries(places.fields)) if (k in obj) obj[k] = reparseVariants(obj[k], p);
  return obj;
}

/**
 * The rows of a result as sorted canonical texts. `variants` gives, per top-level column, where
 * its variants are (their strings are variant JSON, parsed and canonicalised).
 */
export function canonRows(
  table: arrow.Table,
  options: { variants?: Map<string, VariantPlaces>; drop?: Set<string> } = {},
): string[] {
  const names = table.schema.fields.map((f) => f.name);
  const out: string[] = [];
  for (const row of tableCells(table)) {
    const obj: Record<string, Canon> = {};
    row.forEach((c, k) => {
      const name = names[k];
      if (options.drop?.has(name)) return;
      const places = options.variants?.get(name);
      obj[name] = places ? reparseVariants(cellCanon(c), places) : cellCanon(c);
    });
    out.push(canonText(obj));
  }
  return out.sort(cmp);
}

/** The peers' rows (Python canonical JSON) re-printed by {@link canonText}, sorted. */
export function recanon(rows: string[], drop?: Set<string>): string[] {
  return rows
    .map((r) => {
      const v = parseCanon(r) as Record<string, Canon>;
      if (drop) for (const d of drop) delete v[d];
      return canonText(v);
    })
    .sort(cmp);
}
