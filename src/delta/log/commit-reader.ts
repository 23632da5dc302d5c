/**
 * Reads newline-delimited JSON log files: commits (`N.json`), log compaction files
 * (`X.Y.compacted.json`) and V2 JSON checkpoints (protocol "Delta Log Entries", "Log Compaction
 * Files", "V2 Spec"). Every line is one action; unknown actions and unknown fields are ignored, as the
 * protocol requires.
 *
 * Speed: `add` and `remove` lines, which are nearly all of a big log, go through a small scanner
 * that reads their fields straight into the batch columns ({@link scanFileActionLine}); anything it
 * does not recognise (unknown fields, deletion vectors, whitespace, invalid JSON) falls back to
 * `JSON.parse`, which also produces the errors. Both paths give the same result.
 */
import { emptyActionSet, newScannedFileAction, type ActionSet, type ArrayStringColumn, type ScannedFileAction } from '../actions.ts';
import { DeltaError } from '../errors.ts';

const decoder = new TextDecoder('utf-8', { fatal: false });
const decoderKeepBom = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Where a log file came from, for error messages. */
export interface LogFileContext {
  /** Path relative to the table root, e.g. `_delta_log/00000000000000000003.json`. */
  path: string;
  /** Table version the file belongs to (a commit's version, a checkpoint's version). */
  version?: number;
}

/** Bytes of log text decoded and scanned at a time (see {@link JsonLogParser}). */
export const JSON_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Parses an NDJSON log file into an {@link ActionSet}.
 *
 * @param data the file's bytes (UTF-8) or text. Bytes are decoded `chunkBytes` at a time (cut at
 *   line ends), so a big commit never exists whole as a JS string.
 * @throws DeltaError `CORRUPT_COMMIT` naming the file, version and line when a line is not valid JSON,
 *   not an object, or a known action lacks a required field (e.g. an `add` without `path`).
 */
export function parseJsonLog(data: Uint8Array | string, ctx: LogFileContext, chunkBytes = JSON_CHUNK_BYTES): ActionSet {
  const p = new JsonLogParser(ctx);
  if (typeof data === 'string') p.pushText(data);
  else {
    for (let start = 0; start < data.length; ) {
      let end = Math.min(data.length, start + chunkBytes);
      if (end < data.length) {
        // Cut after a newline byte (never inside a UTF-8 sequence).
        const nl = data.lastIndexOf(10, end - 1);
        if (nl >= start) end = nl + 1;
        else {
          const next = data.indexOf(10, end);
          end = next < 0 ? data.length : next + 1;
        }
      }
      p.pushBytes(data.subarray(start, end));
      start = end;
    }
  }
  return p.finish();
}

/**
 * Incremental NDJSON parsing: text is pushed in pieces that end at line ends; line numbers run
 * on across pieces. Strings kept from a piece are compacted before the next one, so a piece's
 * text can be freed as soon as it is scanned.
 */
export class JsonLogParser {
  private readonly out = emptyActionSet();
  private lineNo = 0;
  private first = true;
  private pieces = 0;
  private readonly scratch = newScannedFileAction();
  private readonly intern = new Map<string, string>();

  constructor(private readonly ctx: LogFileContext) {}

  /** Decodes and parses UTF-8 bytes holding whole lines. */
  pushBytes(bytes: Uint8Array): void {
    // A byte-order mark is stripped at the start of the file only.
    this.pushText((this.pieces === 0 ? decoder : decoderKeepBom).decode(bytes));
  }

  /** Parses text holding whole lines (the last line of the file may lack its newline). */
  pushText(text: string): void {
    this.pieces++;
    const { out, ctx, scratch, intern } = this;
    const firstRows = [out.adds.length, out.removes.length];
    let start = 0;
    const n = text.length;
    while (start < n) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = n;
      const lineNo = ++this.lineNo;
      const lineStart = start;
      start = end + 1;
      if (text.charCodeAt(lineStart) === 123 /* { */ && text.charCodeAt(lineStart + 1) === 34 /* " */) {
        const batch = matchAt(text, lineStart, ADD_PREFIX) ? out.adds : matchAt(text, lineStart, REMOVE_PREFIX) ? out.removes : undefined;
        if (batch && scanFileActionLine(text, lineStart + (batch === out.adds ? ADD_PREFIX.length : REMOVE_PREFIX.length), end, scratch, intern)) {
          batch.pushScanned(scratch, lineNo);
          this.first = false;
          continue;
        }
      }
      const line = text.slice(lineStart, end);
      if (line.length === 0 || (line.length <= 2 && line.trim().length === 0)) continue;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch (e) {
        throw corrupt(ctx, lineNo, `is not valid JSON (${(e as Error).message})`);
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
        throw corrupt(ctx, lineNo, 'is not a JSON object');
      }
      const isFirst = this.first;
      this.first = false;
      addAction(out, obj as Record<string, any>, ctx, lineNo, isFirst);
    }
    // Strings sliced from this piece's text move to compact strings of their own.
    [out.adds, out.removes].forEach((b, k) => {
      compactStrings(b.path, firstRows[k]);
      compactStrings((b.stats as ArrayStringColumn).values, firstRows[k]);
    });
    scannedText = '';
  }

  /** The actions parsed. */
  finish(): ActionSet {
    const { out } = this;
    out.adds.padSparse();
    out.removes.padSparse();
    out.cdcs.padSparse();
    return out;
  }
}

function corrupt(ctx: LogFileContext, lineNo: number, what: string): DeltaError {
  const where = ctx.version !== undefined ? ` (version ${ctx.version})` : '';
  return new DeltaError('CORRUPT_COMMIT', `${ctx.path}${where}: line ${lineNo} ${what}`, {
    path: ctx.path,
    version: ctx.version,
    hint: 'The log file is damaged. Restore it from a backup or open an earlier version of the table.',
  });
}

function need(cond: unknown, ctx: LogFileContext, lineNo: number, what: string): void {
  if (!cond) throw corrupt(ctx, lineNo, what);
}

/** Adds one parsed action object (`{"add": {...}}` etc.) to `out`. Exposed for JSON checkpoints. */
export function addAction(
  out: ActionSet,
  obj: Record<string, any>,
  ctx: LogFileContext,
  lineNo: number,
  isFirst: boolean,
): void {
  let a: any;
  if ((a = obj.add) != null) {
    need(typeof a.path === 'string', ctx, lineNo, 'has an add action without a path');
    out.adds.push(a, lineNo);
  } else if ((a = obj.remove) != null) {
    need(typeof a.path === 'string', ctx, lineNo, 'has a remove action without a path');
    out.removes.push(a, lineNo);
  } else if ((a = obj.commitInfo) != null) {
    need(typeof a === 'object', ctx, lineNo, 'has a commitInfo that is not an object');
    out.commitInfo = a;
    out.commitInfoFirst = isFirst;
  } else if ((a = obj.metaData) != null) {
    need(typeof a === 'object', ctx, lineNo, 'has a metaData action that is not an object');
    // schemaString is required by the protocol, but real writers (Delta Live Tables' first
    // version) omit it: read such a table as having no columns yet.
    out.metaData = {
      id: String(a.id ?? ''),
      name: a.name ?? null,
      description: a.description ?? null,
      format: { provider: a.format?.provider ?? 'parquet', options: a.format?.options ?? {} },
      schemaString: typeof a.schemaString === 'string' ? a.schemaString : '',
      partitionColumns: Array.isArray(a.partitionColumns) ? a.partitionColumns.map(String) : [],
      configuration: a.configuration && typeof a.configuration === 'object' ? a.configuration : {},
      createdTime: typeof a.createdTime === 'number' ? a.createdTime : null,
    };
  } else if ((a = obj.protocol) != null) {
    need(typeof a.minReaderVersion === 'number' && typeof a.minWriterVersion === 'number', ctx, lineNo, 'has a protocol action without reader/writer versions');
    out.protocol = {
      minReaderVersion: a.minReaderVersion,
      minWriterVersion: a.minWriterVersion,
      ...(Array.isArray(a.readerFeatures) ? { readerFeatures: a.readerFeatures.map(String) } : {}),
      ...(Array.isArray(a.writerFeatures) ? { writerFeatures: a.writerFeatures.map(String) } : {}),
    };
  } else if ((a = obj.cdc) != null) {
    need(typeof a.path === 'string', ctx, lineNo, 'has a cdc action without a path');
    out.cdcs.push(a, lineNo);
  } else if ((a = obj.txn) != null) {
    need(typeof a.appId === 'string', ctx, lineNo, 'has a txn action without appId');
    out.txns.push({ appId: a.appId, version: Number(a.version), lastUpdated: typeof a.lastUpdated === 'number' ? a.lastUpdated : null });
  } else if ((a = obj.domainMetadata) != null) {
    need(typeof a.domain === 'string', ctx, lineNo, 'has a domainMetadata action without domain');
    out.domainMetadata.push({ domain: a.domain, configuration: String(a.configuration ?? ''), removed: a.removed === true });
  } else if ((a = obj.sidecar) != null) {
    need(typeof a.path === 'string', ctx, lineNo, 'has a sidecar action without path');
    out.sidecars.push({
      path: a.path,
      sizeInBytes: Number(a.sizeInBytes),
      modificationTime: Number(a.modificationTime),
      tags: a.tags ?? null,
    });
  } else if ((a = obj.checkpointMetadata) != null) {
    out.checkpointMetadata = { version: Number(a.version), tags: a.tags ?? null };
  } else {
    out.unknownActions++;
  }
}

const ADD_PREFIX = '{"add":{';
const REMOVE_PREFIX = '{"remove":{';

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
function matchAt(text: string, i: number, lit: string): boolean {
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
