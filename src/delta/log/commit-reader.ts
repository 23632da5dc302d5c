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
import { emptyActionSet, newScannedFileAction, type ActionSet, type ScannedFileAction } from '../actions.ts';
import { DeltaError } from '../errors.ts';

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Where a log file came from, for error messages. */
export interface LogFileContext {
  /** Path relative to the table root, e.g. `_delta_log/00000000000000000003.json`. */
  path: string;
  /** Table version the file belongs to (a commit's version, a checkpoint's version). */
  version?: number;
}

/**
 * Parses an NDJSON log file into an {@link ActionSet}.
 *
 * @param data the file's bytes (UTF-8) or text.
 * @throws DeltaError `CORRUPT_COMMIT` naming the file, version and line when a line is not valid JSON,
 *   not an object, or a known action lacks a required field (e.g. an `add` without `path`).
 */
export function parseJsonLog(data: Uint8Array | string, ctx: LogFileContext): ActionSet {
  const text = typeof data === 'string' ? data : decoder.decode(data);
  const out = emptyActionSet();
  let lineNo = 0;
  let first = true;
  let start = 0;
  const n = text.length;
  const scratch = newScannedFileAction();
  const intern = new Map<string, string>();
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo++;
    const lineStart = start;
    start = end + 1;
    if (text.charCodeAt(lineStart) === 123 /* { */ && text.charCodeAt(lineStart + 1) === 34 /* " */) {
      const batch = text.startsWith(ADD_PREFIX, lineStart) ? out.adds : text.startsWith(REMOVE_PREFIX, lineStart) ? out.removes : undefined;
      if (batch && scanFileActionLine(text, lineStart + (batch === out.adds ? ADD_PREFIX.length : REMOVE_PREFIX.length), end, scratch, intern)) {
        batch.pushScanned(scratch, lineNo);
        first = false;
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
    const isFirst = first;
    first = false;
    addAction(out, obj as Record<string, any>, ctx, lineNo, isFirst);
  }
  out.adds.padSparse();
  out.removes.padSparse();
  out.cdcs.padSparse();
  return out;
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
/** Returned by the value readers when the text is not what the scanner handles. */
const FAIL = Symbol('fail');

/**
 * Reads the fields of one `add`/`remove` action from `text` (from `i`, just after `{"add":{`, to
 * `end`, the end of the line) into `row`. Returns false, with `row` in an unspecified state, when
 * the line holds anything the scanner does not handle: then the caller parses the line with
 * `JSON.parse`. Accepts exactly the compact JSON writers produce: no whitespace inside, known
 * fields only, no deletion vector, string partition values.
 */
export function scanFileActionLine(text: string, i: number, end: number, row: ScannedFileAction, intern: Map<string, string>): boolean {
  row.path = '';
  row.size = NaN;
  row.modificationTime = NaN;
  row.deletionTimestamp = NaN;
  row.dataChange = true;
  row.stats = null;
  row.hasPartitionValues = false;
  row.pvCount = 0;
  row.tags = null;
  row.baseRowId = NaN;
  row.defaultRowCommitVersion = NaN;
  row.clusteringProvider = null;
  row.extendedFileMetadata = NaN;
  let hasPath = false;
  if (text.charCodeAt(i) === 125 /* } */) return false; // no path: let JSON.parse report it
  for (;;) {
    if (text.charCodeAt(i) !== 34) return false;
    let field: number;
    // Keys in the order writers emit them; each test includes the closing quote and colon.
    if (text.startsWith('"path":', i)) (field = F_PATH), (i += 7);
    else if (text.startsWith('"partitionValues":', i)) (field = F_PV), (i += 18);
    else if (text.startsWith('"size":', i)) (field = F_SIZE), (i += 7);
    else if (text.startsWith('"modificationTime":', i)) (field = F_MTIME), (i += 19);
    else if (text.startsWith('"dataChange":', i)) (field = F_DATA_CHANGE), (i += 13);
    else if (text.startsWith('"stats":', i)) (field = F_STATS), (i += 8);
    else if (text.startsWith('"tags":', i)) (field = F_TAGS), (i += 7);
    else if (text.startsWith('"deletionTimestamp":', i)) (field = F_DEL_TS), (i += 20);
    else if (text.startsWith('"extendedFileMetadata":', i)) (field = F_EXT), (i += 23);
    else if (text.startsWith('"baseRowId":', i)) (field = F_BASE_ROW_ID), (i += 12);
    else if (text.startsWith('"defaultRowCommitVersion":', i)) (field = F_DRCV), (i += 26);
    else if (text.startsWith('"clusteringProvider":', i)) (field = F_CLUSTERING), (i += 21);
    else if (text.startsWith('"deletionVector":null', i)) (field = F_NONE), (i += 16);
    else return false;
    const c = text.charCodeAt(i);
    switch (field) {
      case F_PATH: {
        if (c !== 34) return false;
        const v = readString(text, i, end);
        if (v === FAIL) return false;
        row.path = v;
        hasPath = true;
        break;
      }
      case F_STATS:
      case F_CLUSTERING: {
        let v: string | null | typeof FAIL;
        if (c === 34) v = readString(text, i, end);
        else if (text.startsWith('null', i)) (v = null), (pos = i + 4);
        else return false;
        if (v === FAIL) return false;
        if (field === F_STATS) row.stats = v;
        else row.clusteringProvider = v;
        break;
      }
      case F_SIZE:
      case F_MTIME:
      case F_DEL_TS:
      case F_BASE_ROW_ID:
      case F_DRCV: {
        let v: number;
        if (c === 110 /* n */) {
          if (!text.startsWith('null', i)) return false;
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
        if (text.startsWith('true', i)) (v = 1), (pos = i + 4);
        else if (text.startsWith('false', i)) (v = 0), (pos = i + 5);
        else if (text.startsWith('null', i)) (v = NaN), (pos = i + 4);
        else return false;
        if (field === F_DATA_CHANGE) row.dataChange = v !== 0;
        else row.extendedFileMetadata = v;
        break;
      }
      case F_PV: {
        if (c === 110 /* n */) {
          if (!text.startsWith('null', i)) return false;
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
          if (!text.startsWith('null', i)) return false;
          row.tags = null;
          pos = i + 4;
        } else {
          if (c !== 123) return false;
          const keys: string[] = [];
          const values: (string | null)[] = [];
          if (!readStringMap(text, i, end, keys, values, intern)) return false;
          const tags: Record<string, string> = {};
          for (let k = 0; k < mapCount; k++) (tags as Record<string, string | null>)[keys[k]] = values[k];
          row.tags = tags;
        }
        break;
      }
      case F_NONE:
        pos = i;
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
const F_NONE = 13;

/**
 * Reads the JSON string starting at the quote at `i`. Short strings without escapes are sliced;
 * others go through `JSON.parse` (which decodes escapes and gives a string that does not keep
 * the whole log text alive, as a slice would).
 */
function readString(text: string, i: number, end: number): string | typeof FAIL {
  let j = i + 1;
  let plain = true;
  for (;;) {
    if (j >= end) return FAIL;
    const c = text.charCodeAt(j);
    if (c === 34) break;
    if (c === 92 /* \ */) {
      plain = false;
      j += 2;
      continue;
    }
    if (c < 32) return FAIL;
    j++;
  }
  pos = j + 1;
  if (plain && j - i - 1 < 13) return text.slice(i + 1, j);
  try {
    return JSON.parse(text.slice(i, j + 1)) as string;
  } catch {
    return FAIL;
  }
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
  c = text.charCodeAt(i);
  let simple = digits <= 15;
  if (c === 46 /* . */) {
    simple = false;
    c = text.charCodeAt(++i);
    if (c < 48 || c > 57) return FAIL;
    while (i < end && c >= 48 && c <= 57) c = text.charCodeAt(++i);
  }
  if (c === 101 || c === 69 /* e E */) {
    simple = false;
    c = text.charCodeAt(++i);
    if (c === 43 || c === 45) c = text.charCodeAt(++i);
    if (c < 48 || c > 57) return FAIL;
    while (i < end && c >= 48 && c <= 57) c = text.charCodeAt(++i);
  }
  pos = i;
  if (simple) return neg ? -v : v;
  return Number(text.slice(start, i));
}

/** Entries read by the last {@link readStringMap}. */
let mapCount = 0;

/**
 * Reads a flat JSON object of string (or null) values at `i` into `keys`/`values` (from index 0;
 * count in {@link mapCount}). Values are interned: a log repeats the same partition values.
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
    const k = readString(text, i, end);
    if (k === FAIL) return false;
    i = pos;
    if (text.charCodeAt(i) !== 58 /* : */) return false;
    i++;
    const c = text.charCodeAt(i);
    let v: string | null;
    if (c === 34) {
      const s = readString(text, i, end);
      if (s === FAIL) return false;
      const known = intern.get(s);
      if (known !== undefined) v = known;
      else {
        intern.set(s, s);
        v = s;
      }
      i = pos;
    } else if (text.startsWith('null', i)) {
      v = null;
      i += 4;
    } else return false;
    const knownKey = intern.get(k);
    if (knownKey !== undefined) keys[n] = knownKey;
    else {
      intern.set(k, k);
      keys[n] = k;
    }
    values[n] = v;
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
