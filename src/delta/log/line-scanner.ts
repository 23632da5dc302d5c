/**
 * The fast path of commit reading: a scanner that reads the fields of a compact `add` / `remove`
 * line (as writers produce them: no whitespace, known fields, no deletion vector) straight into a
 * {@link ScannedFileAction}, without `JSON.parse` or an object per line. Anything else makes it
 * return false, and `commit-reader.ts` parses that line with `JSON.parse` (which gives the same
 * result, and the errors). Module state: the scanner's cursor over the text being scanned.
 */
import type { ScannedFileAction } from '../actions.ts';

/** How a compact `add` line starts. */
export const ADD_PREFIX = '{"add":{';
/** How a compact `remove` line starts. */
export const REMOVE_PREFIX = '{"remove":{';

// The scanner's cursor: helpers return a value and leave the position after it here.
let pos = 0;
// Where the next backslash of the text being scanned is (Infinity when none): a string without
// one before its closing quote has no escapes, found without looking at its characters.
let nextBackslash = 0;
let scannedText = '';
// Set by readString: the string read had escapes.
let hadEscape = false;
/** Returned by the value readers when the text is not what the scanner handles. */
const FAIL = Symbol('fail');

/** Lets the scanner forget the last text it scanned (so it can be freed): call after each piece. */
export function releaseScannedText(): void {
  scannedText = '';
  nextBackslash = -1;
}

/** Prepares the scanner for a new text (`parseJsonLog` calls it once per file). */
function resetScanner(text: string): void {
  scannedText = text;
  nextBackslash = -1;
}

/** Index of the first backslash at or after `i` (Infinity when none). */
function backslashFrom(i: number): number {
  if (nextBackslash >= i) return nextBackslash;
  const b = scannedText.indexOf('\\', i);
  nextBackslash = b < 0 ? Infinity : b;
  return nextBackslash;
}

/**
 * Reads the fields of one `add`/`remove` action from `text` (from `i`, just after `{"add":{`, to
 * `end`, the end of the line) into `row`. Returns false, with `row` in an unspecified state, when
 * the line holds anything the scanner does not handle: then the caller parses the line with
 * `JSON.parse`. Accepts exactly the compact JSON writers produce: no whitespace inside, known
 * fields only, no deletion vector, string partition values. Strings are slices of `text` (the
 * caller compacts them, see {@link compactStrings}); `stats` stays escaped until read.
 */
export function scanFileActionLine(text: string, i: number, end: number, row: ScannedFileAction, intern: Map<string, string>): boolean {
  if (scannedText !== text) resetScanner(text);
  row.path = '';
  row.size = NaN;
  row.modificationTime = NaN;
  row.deletionTimestamp = NaN;
  row.dataChange = true;
  row.stats = null;
  row.statsEscaped = false;
  row.hasPartitionValues = false;
  row.pvCount = 0;
  row.tags = null;
  row.baseRowId = NaN;
  row.defaultRowCommitVersion = NaN;
  row.clusteringProvider = null;
  row.extendedFileMetadata = NaN;
  let hasPath = false;
  let nKeys = 0;
  for (;;) {
    if (text.charCodeAt(i) !== 34) return false;
    // The key. Rows of one writer repeat the same keys in the same order: first check, in place,
    // the key the previous row had at this position; else slice it and look it up.
    let field = keyOrder[nKeys];
    let q: number;
    if (field !== undefined && text.charCodeAt(i + 1 + KEY_NAMES[field].length) === 34 && matchAt(text, i + 1, KEY_NAMES[field])) {
      q = i + 1 + KEY_NAMES[field].length;
      if (text.charCodeAt(q + 1) !== 58 /* : */) return false;
    } else {
      q = text.indexOf('"', i + 1);
      if (q < 0 || q >= end || text.charCodeAt(q + 1) !== 58 /* : */) return false;
      field = KEY_INDEX.get(text.slice(i + 1, q)) ?? 0;
      keyOrder[nKeys] = field;
    }
    nKeys++;
    if (field === 0) return false;
    i = q + 2;
    const c = text.charCodeAt(i);
    switch (field) {
      case F_PATH: {
        if (c !== 34) return false;
        const v = readString(text, i, end);
        if (v === FAIL) return false;
        const path = hadEscape ? decodeBody(v) : hasControlChar(text, i + 1, pos - 1) ? FAIL : v;
        if (path === FAIL) return false;
        row.path = path;
        hasPath = true;
        break;
      }
      case F_STATS:
      case F_CLUSTERING: {
        let v: string | null | typeof FAIL;
        if (c === 34) v = readString(text, i, end);
        else if (matchAt(text, i, 'null')) (v = null), (hadEscape = false), (pos = i + 4);
        else return false;
        if (v === FAIL) return false;
        if (field === F_STATS) {
          row.stats = v;
          row.statsEscaped = hadEscape;
        } else {
          const cp = v === null ? v : decodeBody(v); // a fresh string, not a slice of the text
          if (cp === FAIL) return false;
          row.clusteringProvider = cp;
        }
        break;
      }
      case F_SIZE:
      case F_MTIME:
      case F_DEL_TS:
      case F_BASE_ROW_ID:
      case F_DRCV: {
        let v: number;
        if (c === 110 /* n */) {
          if (!matchAt(text, i, 'null')) return false;
          v = NaN;
          pos = i + 4;
        } else {
          const x = readNumber(text, i, end);
          if (x === FAIL) return false;
          v = x;
        }
        if (field === F_SIZE) row.size = v;
        else if (field === F_MTIME) row.modificationTime = v;
        else if (field === F_DEL_TS) row.deletionTimestamp = v;
        else if (field === F_BASE_ROW_ID) row.baseRowId = v;
        else row.defaultRowCommitVersion = v;
        break;
      }
      case F_DATA_CHANGE:
      case F_EXT: {
        let v: number;
        if (c === 116 && matchAt(text, i, 'true')) (v = 1), (pos = i + 4);
        else if (c === 102 && matchAt(text, i, 'false')) (v = 0), (pos = i + 5);
        else if (c === 110 && matchAt(text, i, 'null')) (v = NaN), (pos = i + 4);
        else return false;
        if (field === F_DATA_CHANGE) row.dataChange = v !== 0;
        else row.extendedFileMetadata = v;
        break;
      }
      case F_PV: {
        if (c === 110 /* n */) {
          if (!matchAt(text, i, 'null')) return false;
          row.hasPartitionValues = false;
          row.pvCount = 0;
          pos = i + 4;
        } else {
          if (c !== 123) return false;
          row.hasPartitionValues = true;
          row.pvCount = 0;
          if (!readStringMap(text, i, end, row.pvKeys, row.pvValues, intern)) return false;
          row.pvCount = mapCount;
        }
        break;
      }
      case F_TAGS: {
        if (c === 110 /* n */) {
          if (!matchAt(text, i, 'null')) return false;
          row.tags = null;
          pos = i + 4;
        } else {
          if (c !== 123) return false;
          const keys: string[] = [];
          const values: (string | null)[] = [];
          if (!readStringMap(text, i, end, keys, values, intern)) return false;
          const tags: Record<string, string | null> = {};
          for (let k = 0; k < mapCount; k++) tags[keys[k]] = values[k];
          row.tags = tags as Record<string, string>;
        }
        break;
      }
      case F_DV:
        // Only a null deletion vector; a real one goes through JSON.parse.
        if (c !== 110 || !matchAt(text, i, 'null')) return false;
        pos = i + 4;
        break;
      default:
        return false;
    }
    i = pos;
    const d = text.charCodeAt(i);
    if (d === 44 /* , */) {
      i++;
      continue;
    }
    if (d !== 125 /* } */) return false;
    i++;
    break;
  }
  if (!hasPath || text.charCodeAt(i) !== 125) return false;
  i++;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 13 && c !== 9) return false;
  }
  return true;
}

/**
 * True when `text` has `lit` at `i`. A plain loop: `startsWith` with a position is far slower in
 * V8 on this path, and this runs several times per log line.
 */
export function matchAt(text: string, i: number, lit: string): boolean {
  const n = lit.length;
  for (let k = 0; k < n; k++) if (text.charCodeAt(i + k) !== lit.charCodeAt(k)) return false;
  return true;
}

/** Field numbers by key, and keys by field number (index 0: not a field the scanner reads). */
const KEY_NAMES = [
  '',
  'path',
  'partitionValues',
  'size',
  'modificationTime',
  'dataChange',
  'stats',
  'tags',
  'deletionTimestamp',
  'extendedFileMetadata',
  'baseRowId',
  'defaultRowCommitVersion',
  'clusteringProvider',
  'deletionVector',
];
const KEY_INDEX = new Map(KEY_NAMES.map((k, i) => [k, i] as [string, number]).slice(1));
/** The fields of the previous row in order (see the key lookup in {@link scanFileActionLine}). */
const keyOrder: number[] = [];

const F_PATH = 1;
const F_PV = 2;
const F_SIZE = 3;
const F_MTIME = 4;
const F_DATA_CHANGE = 5;
const F_STATS = 6;
const F_TAGS = 7;
const F_DEL_TS = 8;
const F_EXT = 9;
const F_BASE_ROW_ID = 10;
const F_DRCV = 11;
const F_CLUSTERING = 12;
const F_DV = 13;

/**
 * Reads the JSON string literal whose opening quote is at `i` and returns its body as a slice of
 * `text`, escapes still in ({@link hadEscape} tells). FAIL when it is not a valid JSON string.
 */
function readString(text: string, i: number, end: number): string | typeof FAIL {
  let q = text.indexOf('"', i + 1);
  if (q < 0 || q >= end) return FAIL;
  if (backslashFrom(i + 1) > q) {
    // No escapes. Control characters are checked where the string is kept as it is (paths);
    // interned strings are checked by JSON.parse, stats when they are decoded.
    hadEscape = false;
    pos = q + 1;
    return text.slice(i + 1, q);
  }
  // Escapes: find the quote not preceded by an odd run of backslashes, then validate by decoding.
  for (;;) {
    let b = q - 1;
    while (text.charCodeAt(b) === 92) b--;
    if ((q - 1 - b) % 2 === 0) break;
    q = text.indexOf('"', q + 1);
    if (q < 0 || q >= end) return FAIL;
  }
  // Not validated here: callers that keep the string decode it (stats are decoded when read).
  hadEscape = true;
  pos = q + 1;
  return text.slice(i + 1, q);
}

/** Decodes the body of a JSON string literal with escapes; FAIL when the escapes are invalid. */
function decodeBody(body: string): string | typeof FAIL {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return FAIL;
  }
}

/** True when `text[from, to)` holds a control character (invalid unescaped in a JSON string). */
function hasControlChar(text: string, from: number, to: number): boolean {
  for (let j = from; j < to; j++) if (text.charCodeAt(j) < 32) return true;
  return false;
}

/** Reads a JSON number at `i` (strict JSON grammar); FAIL when it is not one. */
function readNumber(text: string, i: number, end: number): number | typeof FAIL {
  const start = i;
  let c = text.charCodeAt(i);
  let neg = false;
  if (c === 45 /* - */) {
    neg = true;
    c = text.charCodeAt(++i);
  }
  if (c < 48 || c > 57) return FAIL;
  let v = 0;
  let digits = 0;
  if (c === 48) {
    i++;
    digits = 1;
  } else {
    while (i < end && c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      c = text.charCodeAt(++i);
    }
  }
  c = i < end ? text.charCodeAt(i) : 0;
  let simple = digits <= 15;
  if (c === 46 /* . */) {
    simple = false;
    c = text.charCodeAt(++i);
    if (i >= end || c < 48 || c > 57) return FAIL;
    while (i < end && c >= 48 && c <= 57) c = text.charCodeAt(++i);
  }
  if (i < end && (c === 101 || c === 69) /* e E */) {
    simple = false;
    c = text.charCodeAt(++i);
    if (c === 43 || c === 45) c = text.charCodeAt(++i);
    if (i >= end || c < 48 || c > 57) return FAIL;
    while (i < end && c >= 48 && c <= 57) c = text.charCodeAt(++i);
  }
  pos = i;
  if (simple) return neg ? -v : v;
  return Number(text.slice(start, i));
}

/** Entries read by the last {@link readStringMap}. */
let mapCount = 0;

/** The canonical copy of `s` (a slice of the log text): one string per distinct value, not tied to the text. */
function interned(s: string, escaped: boolean, intern: Map<string, string>): string | typeof FAIL {
  const known = intern.get(s);
  if (known !== undefined) return known;
  // JSON.parse gives a fresh string: a slice would keep the whole log text alive.
  const copy = escaped ? decodeBody(s) : (JSON.parse(`"${s}"`) as string);
  if (copy === FAIL) return FAIL;
  intern.set(s, copy);
  return copy;
}

/**
 * Reads a flat JSON object of string (or null) values at `i` into `keys`/`values` (from index 0;
 * count in {@link mapCount}). Keys and values are interned: a log repeats the same partition values.
 */
function readStringMap(text: string, i: number, end: number, keys: string[], values: (string | null)[], intern: Map<string, string>): boolean {
  let n = 0;
  i++; // {
  if (text.charCodeAt(i) === 125) {
    mapCount = 0;
    pos = i + 1;
    return true;
  }
  for (;;) {
    if (text.charCodeAt(i) !== 34) return false;
    // Every row repeats the same keys: check the previous row's key in place before slicing.
    const prev = keys[n];
    if (prev !== undefined && text.charCodeAt(i + 1 + prev.length) === 34 && matchAt(text, i + 1, prev) && backslashFrom(i + 1) > i + prev.length) {
      i += prev.length + 2;
    } else {
      const k = readString(text, i, end);
      if (k === FAIL) return false;
      const key = interned(k, hadEscape, intern);
      if (key === FAIL) return false;
      keys[n] = key;
      i = pos;
    }
    if (text.charCodeAt(i) !== 58 /* : */) return false;
    i++;
    const c = text.charCodeAt(i);
    if (c === 34) {
      const s = readString(text, i, end);
      if (s === FAIL) return false;
      const v = interned(s, hadEscape, intern);
      if (v === FAIL) return false;
      values[n] = v;
      i = pos;
    } else if (c === 110 && matchAt(text, i, 'null')) {
      values[n] = null;
      i += 4;
    } else return false;
    n++;
    const d = text.charCodeAt(i);
    if (d === 44) {
      i++;
      continue;
    }
    if (d !== 125) return false;
    mapCount = n;
    pos = i + 1;
    return true;
  }
}

/**
 * Re-homes strings that are slices of a big text into one compact string per chunk, so that the
 * text can be freed: V8 keeps the whole parent alive for every slice of 13 characters or more.
 */
export function compactStrings(values: (string | null)[], start = 0): void {
  const CHUNK = 1 << 24; // characters per joined string
  let from = start;
  while (from < values.length) {
    let to = from;
    let chars = 0;
    const parts: string[] = [];
    while (to < values.length && chars < CHUNK) {
      const v = values[to++];
      if (v !== null && v !== undefined && v.length >= 13) {
        parts.push(v);
        chars += v.length;
      }
    }
    if (parts.length) {
      const joined = parts.join('');
      let p = 0;
      for (let i = from; i < to; i++) {
        const v = values[i];
        if (v !== null && v !== undefined && v.length >= 13) {
          values[i] = joined.slice(p, p + v.length);
          p += v.length;
        }
      }
    }
    from = to;
  }
}
