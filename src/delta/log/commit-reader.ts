/**
 * Reads newline-delimited JSON log files: commits (`N.json`), log compaction files
 * (`X.Y.compacted.json`) and V2 JSON checkpoints (protocol "Delta Log Entries", "Log Compaction
 * Files", "V2 Spec"). Every line is one action; unknown actions and unknown fields are ignored, as the
 * protocol requires.
 *
 * Speed: `add` and `remove` lines, which are nearly all of a big log, go through a small scanner
 * that reads their fields straight into the batch columns ({@link scanFileActionLine}, `line-scanner.ts`); anything it
 * does not recognise (unknown fields, deletion vectors, whitespace, invalid JSON) falls back to
 * `JSON.parse`, which also produces the errors. Both paths give the same result.
 */
import { emptyActionSet, newScannedFileAction, type ActionSet, type ArrayStringColumn } from '../actions.ts';
import { DeltaError } from '../errors.ts';
import { ADD_PREFIX, compactStrings, matchAt, releaseScannedText, REMOVE_PREFIX, scanFileActionLine } from './line-scanner.ts';

export { compactStrings, scanFileActionLine };

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
    releaseScannedText();
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
