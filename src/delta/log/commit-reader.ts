/**
 * Reads newline-delimited JSON log files: commits (`N.json`), log compaction files
 * (`X.Y.compacted.json`) and V2 JSON checkpoints (protocol "Delta Log Entries", "Log Compaction
 * Files", "V2 Spec"). Every line is one action; unknown actions and unknown fields are ignored, as the
 * protocol requires.
 */
import { emptyActionSet, type ActionSet } from '../actions.ts';
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
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo++;
    const line = text.slice(start, end);
    start = end + 1;
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
