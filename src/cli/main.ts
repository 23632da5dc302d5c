/**
 * The `delta-explorer` command line: `delta-explorer <command> <table-path> [options]`.
 *
 * Commands live in {@link COMMANDS}, a table of name → {@link Command}; each one computes its whole
 * result (a JSON-ready value plus a function rendering it as text, or for the data commands `scan`,
 * `changes` and `sql` the exported bytes) before anything is printed, so a failure prints exactly
 * one `error:` line on stderr and nothing on stdout (and writes no `--output` file).
 *
 * Exit status: 0 success, 1 the table could not be read, 2 usage error.
 * JSON output (`--json`): one document on stdout; times are ISO-8601 UTC strings, sizes are bytes.
 * Data output (`--format csv|jsonl|parquet`, `--output FILE`): see `data.ts`.
 */
import { stat, writeFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CLUSTERING_DOMAIN,
  DeltaTable,
  checkConstraints,
  clusteringColumns,
  columnMappingMode,
  effectiveFeatures,
  fieldInfo,
  formatPartitionValue,
  formatType,
  leafColumns,
  numRecordsAt,
  parsePartitionValues,
  parseTimestamp,
  partitionColumnInfo,
  safeDecode,
  statsAt,
  toErrorInfo,
  unsupportedReaderFeatures,
  type DataType,
  type DeletionVectorDescriptor,
  type HistoryEntry,
  type IdentityInfo,
  type PartitionValue,
  type Snapshot,
  type SnapshotTarget,
  type StructField,
  type TypeChange,
} from '../delta/index.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { isRemoteLocation, openRemoteStore } from './remote-source.ts';
import type { ExportFormat } from '../query/export.ts';
import { changes, scan, sql } from './data.ts';
import { AS_ENGINES, handoffText, locationOf, queryOf } from './handoff-cli.ts';
import type { HandoffEngine } from '../explore/handoff.ts';

// ---------------------------------------------------------------------------------------------
// Command table
// ---------------------------------------------------------------------------------------------

/** Where the CLI writes. The default writes to the process's stdout and stderr. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Writes bytes to stdout (data commands). Default: `out` of the bytes decoded as UTF-8. */
  outBytes?(bytes: Uint8Array): void;
  /** Whether stdout is a terminal (binary Parquet is then refused without `--output`). */
  stdoutIsTTY?: boolean;
}

/** Options after parsing and validation. */
export interface CliOptions {
  json: boolean;
  /** `--version N`. */
  version?: number;
  /** `--timestamp TIME`, as given (validated). */
  timestamp?: string;
  /** `--limit N`. */
  limit?: number;
  /** `--format`: given, else implied by the `--output` file's extension, else `csv` (data commands only). */
  format?: ExportFormat;
  /** `--output FILE`, as given. */
  output?: string;
  /** `--columns a,b`: names split at commas, trimmed. */
  columns?: string[];
  /** `--where PREDICATE`. */
  where?: string;
  /** `--from V` / `--to V` (Change Data Feed versions). */
  from?: number;
  to?: number;
  /** `--from-timestamp T` / `--to-timestamp T`, as given (validated). */
  fromTimestamp?: string;
  toTimestamp?: string;
  /** Every option as parsed (for command-specific options of later commands). */
  raw: Record<string, string | boolean | undefined>;
}

/** What a command gets to work with. */
export interface CommandContext {
  /** Absolute path of the table folder. */
  location: string;
  table: DeltaTable;
  /** The snapshot asked for with `--version` / `--timestamp` (empty: latest). */
  target: SnapshotTarget;
  options: CliOptions;
  /** The positional arguments after the table path, one per name in {@link Command.args}. */
  args: string[];
  /** Records a warning for stderr (printed in human output, only when the command succeeds). */
  warn(message: string): void;
}

/** A metadata command's result: the JSON document and the human rendering of the same data. */
export interface ViewResult {
  json: unknown;
  text(): string;
}

/** A data command's result: the rows exported in `--format`, for stdout or the `--output` file. */
export interface DataResult {
  bytes: Uint8Array;
  rows: number;
}

export type CommandResult = ViewResult | DataResult;

/**
 * Options a command may accept beyond `--json` and `--help`: names in {@link OPTIONS}. A new
 * command with options of its own adds them to {@link OPTIONS} and reads them from
 * {@link CliOptions.raw}.
 */
export type CommandOption = Exclude<keyof typeof OPTIONS, 'json' | 'help'>;

/** One CLI command. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Paragraph for `delta-explorer <command> --help`. */
  description: string;
  accepts: readonly CommandOption[];
  /** Names of required positional arguments after the table path (e.g. `['query']`). */
  args?: readonly string[];
  /** False for data commands: no `--json`, they write rows in `--format` instead. Default true. */
  json?: boolean;
  /** Command-specific usage checks of the parsed options: a problem sentence, or undefined. */
  check?(options: CliOptions): string | undefined;
  run(ctx: CommandContext): Promise<CommandResult>;
}

/** Exit statuses. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const PROGRAM = 'delta-explorer';

// ---------------------------------------------------------------------------------------------
// Formatting helpers
// ---------------------------------------------------------------------------------------------

/** ms since the epoch → ISO-8601 UTC, or null. */
function iso(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Bytes as `12.3 KiB` (binary units). */
function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** Replaces control characters so one value stays on one line of a terminal. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Cuts a string to `max` characters, ending with `…` when cut. */
function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, Math.max(1, max - 1)).join('') + '…';
}

/** Text of any value for a table cell: null as `-`, strings verbatim, others as compact JSON. */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return printable(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return printable(JSON.stringify(v, jsonReplacer));
}

/** `k=v, k=v` of an object, or `-`. */
function keyValues(o: Record<string, unknown> | null | undefined): string {
  if (!o) return '-';
  const entries = Object.entries(o);
  if (!entries.length) return '-';
  return entries.map(([k, v]) => `${printable(k)}=${cell(v)}`).join(', ');
}

/** Display width of a string (code points; good enough for a terminal table). */
function width(s: string): number {
  return [...s].length;
}

/** Renders an aligned table: two spaces between columns, right-aligned where `right[i]`. */
function renderTable(headers: string[], rows: string[][], right: boolean[] = []): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i] - width(c)));
        return right[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** Renders `key  value` lines, values of several lines indented under the first. */
function renderKeyValues(pairs: [string, string | string[]][]): string {
  const w = Math.max(...pairs.map(([k]) => width(k)));
  const out: string[] = [];
  for (const [k, v] of pairs) {
    const lines = Array.isArray(v) ? (v.length ? v : ['-']) : [v];
    out.push(`${k.padEnd(w)}  ${lines[0]}`.trimEnd());
    for (const l of lines.slice(1)) out.push(`${' '.repeat(w)}  ${l}`);
  }
  return out.join('\n') + '\n';
}

/** JSON.stringify replacer: bigint → number (string beyond ±2^53), bytes → hex, non-finite numbers → strings. */
function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v instanceof Uint8Array) return hex(v);
  return v;
}

function hex(b: Uint8Array): string {
  return '0x' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** A column path as one string: segments joined with `.`, backtick-quoted when they hold `.` or a backtick. */
function columnPath(path: readonly string[]): string {
  return path.map((s) => (/[.`]/.test(s) ? '`' + s.replace(/`/g, '``') + '`' : s)).join('.');
}

// ---------------------------------------------------------------------------------------------
// Shared loading
// ---------------------------------------------------------------------------------------------

/** Warns (once per run) when the table needs reader features this reader lacks. */
function warnUnsupported(ctx: CommandContext, snap: Snapshot): void {
  if (!snap.readSupportProblems.length) return;
  const names = unsupportedReaderFeatures(snap.protocol);
  const what = names.length
    ? `the table needs reader feature${names.length > 1 ? 's' : ''} ${names.join(', ')}, which Delta Explorer does not support`
    : snap.readSupportProblems.join(' ').replace(/\.$/, '');
  ctx.warn(`${what}; metadata is shown, but its data cannot be read.`);
}

/** Loads the snapshot asked for (metadata views: unsupported reader features allowed, with a warning). */
async function loadTarget(ctx: CommandContext): Promise<Snapshot> {
  const snap = await ctx.table.snapshot(ctx.target, { allowUnsupported: true });
  warnUnsupported(ctx, snap);
  return snap;
}

/** Logical clustering column names from the `delta.clustering` (or legacy `delta.liquid`) domain. */
function clusteringNames(snap: Snapshot): string[] {
  const dm = snap.domainMetadata.get(CLUSTERING_DOMAIN) ?? snap.domainMetadata.get('delta.liquid');
  if (!dm) return [];
  const mode = columnMappingMode(snap.metadata.configuration, snap.protocol);
  return clusteringColumns(dm.configuration, snap.schema, mode).map((c) => columnPath(c.logicalPath));
}

// ---------------------------------------------------------------------------------------------
// info
// ---------------------------------------------------------------------------------------------

/** JSON of `info`: the `DESCRIBE DETAIL` columns, then extras. */
export interface InfoJson {
  format: 'delta';
  id: string;
  name: string | null;
  description: string | null;
  location: string;
  createdAt: string | null;
  lastModified: string | null;
  partitionColumns: string[];
  clusteringColumns: string[];
  numFiles: number;
  sizeInBytes: number;
  properties: Record<string, string>;
  minReaderVersion: number;
  minWriterVersion: number;
  /** Sorted union of reader and writer features, including those implied by legacy protocol versions. */
  tableFeatures: string[];
  /** The protocol's explicit lists (null below reader version 3 / writer version 7). */
  readerFeatures: string[] | null;
  writerFeatures: string[] | null;
  version: number;
  numRecords: number | null;
  numDeletedRecords: number;
  /** Why this reader cannot read the table's data; empty when it can. */
  readSupportProblems: string[];
}

const info: Command = {
  name: 'info',
  summary: "Table details, like Spark's DESCRIBE DETAIL, plus version and record counts",
  description:
    "Prints the fields of Spark's DESCRIBE DETAIL (format, id, name, description, location, createdAt, lastModified, " +
    'partitionColumns, clusteringColumns, numFiles, sizeInBytes, properties, minReaderVersion, minWriterVersion, ' +
    'tableFeatures), the explicit readerFeatures/writerFeatures, the version, numRecords (sum of file stats minus ' +
    'deletion-vector cardinalities; null when a file has no stats) and numDeletedRecords.',
  accepts: ['version', 'timestamp'],
  async run(ctx) {
    const snap = await loadTarget(ctx);
    const history = await ctx.table.history();
    const entry = history.find((h) => h.version === snap.version);
    const md = snap.metadata;
    const totals = snap.totals;
    const json: InfoJson = {
      format: 'delta',
      id: md.id,
      name: md.name ?? null,
      description: md.description ?? null,
      location: ctx.location,
      createdAt: iso(md.createdTime),
      lastModified: iso(entry?.timestampMs),
      partitionColumns: [...md.partitionColumns],
      clusteringColumns: clusteringNames(snap),
      numFiles: totals.numFiles,
      sizeInBytes: totals.sizeInBytes,
      properties: { ...md.configuration },
      minReaderVersion: snap.protocol.minReaderVersion,
      minWriterVersion: snap.protocol.minWriterVersion,
      tableFeatures: [...effectiveFeatures(snap.protocol).all].sort(),
      readerFeatures: snap.protocol.readerFeatures ?? null,
      writerFeatures: snap.protocol.writerFeatures ?? null,
      version: snap.version,
      numRecords: totals.numRecords,
      numDeletedRecords: totals.numDeletedRecords,
      readSupportProblems: [...snap.readSupportProblems],
    };
    return {
      json,
      text: () => {
        const list = (l: string[] | null) => (l === null ? '-' : l.length ? l.join(', ') : '(none)');
        const props = Object.entries(json.properties).map(([k, v]) => `${printable(k)}=${printable(v)}`);
        const pairs: [string, string | string[]][] = [
          ['format', json.format],
          ['id', cell(json.id)],
          ['name', cell(json.name)],
          ['description', cell(json.description)],
          ['location', printable(json.location)],
          ['version', String(json.version)],
          ['createdAt', cell(json.createdAt)],
          ['lastModified', cell(json.lastModified)],
          ['partitionColumns', list(json.partitionColumns.map(printable))],
          ['clusteringColumns', list(json.clusteringColumns.map(printable))],
          ['numFiles', String(json.numFiles)],
          ['sizeInBytes', `${json.sizeInBytes} (${formatBytes(json.sizeInBytes)})`],
          ['numRecords', json.numRecords === null ? '- (some files have no stats)' : String(json.numRecords)],
          ['numDeletedRecords', String(json.numDeletedRecords)],
          ['properties', props.length ? props : ['(none)']],
          ['minReaderVersion', String(json.minReaderVersion)],
          ['minWriterVersion', String(json.minWriterVersion)],
          ['readerFeatures', list(json.readerFeatures)],
          ['writerFeatures', list(json.writerFeatures)],
          ['tableFeatures', list(json.tableFeatures)],
        ];
        return renderKeyValues(pairs);
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// history
// ---------------------------------------------------------------------------------------------

/** JSON of one `history` row: the `DESCRIBE HISTORY` columns. */
export interface HistoryRowJson {
  version: number;
  /** Commit timestamp (in-commit timestamp, or the commit file's time made monotonic). */
  timestamp: string | null;
  userId: string | null;
  userName: string | null;
  operation: string | null;
  operationParameters: Record<string, unknown> | null;
  job: unknown;
  notebook: unknown;
  clusterId: string | null;
  readVersion: number | null;
  isolationLevel: string | null;
  isBlindAppend: boolean | null;
  operationMetrics: Record<string, unknown> | null;
  userMetadata: string | null;
  engineInfo: string | null;
}

function historyRow(h: HistoryEntry): HistoryRowJson {
  return {
    version: h.version,
    timestamp: iso(h.timestampMs),
    userId: h.userId,
    userName: h.userName,
    operation: h.operation,
    operationParameters: h.operationParameters,
    job: h.commitInfo?.job ?? null,
    notebook: h.commitInfo?.notebook ?? null,
    clusterId: h.clusterId,
    readVersion: h.readVersion,
    isolationLevel: h.isolationLevel,
    isBlindAppend: h.isBlindAppend,
    operationMetrics: h.operationMetrics,
    userMetadata: h.userMetadata,
    engineInfo: h.engineInfo,
  };
}

const history: Command = {
  name: 'history',
  summary: 'One row per retained commit, newest first, like DESCRIBE HISTORY',
  description:
    "Prints one row per retained commit, newest first, with the columns of Spark's DESCRIBE HISTORY: version, timestamp, " +
    'userId, userName, operation, operationParameters, job, notebook, clusterId, readVersion, isolationLevel, ' +
    'isBlindAppend, operationMetrics, userMetadata, engineInfo. The human table shows a subset and truncates long values. ' +
    '--limit N keeps the N newest rows.',
  accepts: ['limit'],
  async run(ctx) {
    warnUnsupported(ctx, await ctx.table.latestSnapshot());
    const all = await ctx.table.history();
    const rows = (ctx.options.limit !== undefined ? all.slice(0, ctx.options.limit) : all).map(historyRow);
    return {
      json: rows,
      text: () => {
        const body = rows.map((r) => [
          String(r.version),
          cell(r.timestamp),
          cell(r.operation),
          cell(r.userName ?? r.userId),
          truncate(keyValues(r.operationParameters), 60),
          truncate(keyValues(r.operationMetrics), 60),
          truncate(cell(r.engineInfo), 40),
        ]);
        let text = renderTable(['VERSION', 'TIMESTAMP', 'OPERATION', 'USER', 'PARAMETERS', 'METRICS', 'ENGINE'], body, [true]);
        if (rows.length < all.length) text += `(${rows.length} of ${all.length} versions; use --json for every column)\n`;
        return text;
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// schema
// ---------------------------------------------------------------------------------------------

/**
 * JSON of one schema node. Struct fields carry their metadata; `element` (arrays), `key` and
 * `value` (maps) describe the nested types, with `nullable` from `containsNull` /
 * `valueContainsNull` (false for keys) and no metadata of their own.
 */
export interface SchemaNodeJson {
  name: string;
  /** Spark's simple string of the type, e.g. `bigint`, `decimal(10,2)`, `array<struct<a:int>>`. */
  type: string;
  nullable: boolean;
  comment?: string | null;
  columnMappingId?: number | null;
  physicalName?: string | null;
  generationExpression?: string | null;
  identity?: IdentityInfo | null;
  default?: string | null;
  invariants?: string | null;
  typeChanges?: TypeChange[] | null;
  collations?: Record<string, string> | null;
  /** Struct: its fields. */
  fields?: SchemaNodeJson[];
  /** Array: the element type. */
  element?: SchemaNodeJson;
  /** Map: the key and value types. */
  key?: SchemaNodeJson;
  value?: SchemaNodeJson;
}

/** JSON of `schema`. */
export interface SchemaJson {
  version: number;
  columnMappingMode: string;
  partitionColumns: string[];
  fields: SchemaNodeJson[];
  checkConstraints: { name: string; expression: string }[];
}

function typeNode(name: string, t: DataType, nullable: boolean): SchemaNodeJson {
  const node: SchemaNodeJson = { name, type: formatType(t), nullable };
  addChildren(node, t);
  return node;
}

function addChildren(node: SchemaNodeJson, t: DataType): void {
  if (t.type === 'struct') node.fields = t.fields.map(fieldNode);
  else if (t.type === 'array') node.element = typeNode('element', t.elementType, t.containsNull);
  else if (t.type === 'map') {
    node.key = typeNode('key', t.keyType, false);
    node.value = typeNode('value', t.valueType, t.valueContainsNull);
  }
}

function fieldNode(f: StructField): SchemaNodeJson {
  const i = fieldInfo(f);
  const node: SchemaNodeJson = {
    name: f.name,
    type: formatType(f.type),
    nullable: f.nullable,
    comment: i.comment ?? null,
    columnMappingId: i.columnMappingId ?? null,
    physicalName: i.physicalName ?? null,
    generationExpression: i.generationExpression ?? null,
    identity: i.identity ?? null,
    default: i.defaultExpression ?? null,
    invariants: i.invariants ?? null,
    typeChanges: i.typeChanges ?? null,
    collations: i.collations ?? null,
  };
  addChildren(node, f.type);
  return node;
}

/** The type with the contents of structs elided (their fields are rows of their own). */
function shortType(t: DataType): string {
  switch (t.type) {
    case 'struct':
      return 'struct';
    case 'array':
      return `array<${shortType(t.elementType)}>`;
    case 'map':
      return `map<${shortType(t.keyType)},${shortType(t.valueType)}>`;
    default:
      return formatType(t);
  }
}

function containsStruct(t: DataType): boolean {
  if (t.type === 'struct') return true;
  if (t.type === 'array') return containsStruct(t.elementType);
  if (t.type === 'map') return containsStruct(t.keyType) || containsStruct(t.valueType);
  return false;
}

function details(n: SchemaNodeJson): string {
  const parts: string[] = [];
  if (n.comment) parts.push(`comment: ${n.comment}`);
  if (n.generationExpression) parts.push(`generated: ${n.generationExpression}`);
  if (n.identity) {
    const id = n.identity;
    const bits = [`start=${id.start ?? '?'}`, `step=${id.step ?? '?'}`];
    if (id.highWaterMark !== undefined) bits.push(`highWaterMark=${id.highWaterMark}`);
    if (id.allowExplicitInsert !== undefined) bits.push(`allowExplicitInsert=${id.allowExplicitInsert}`);
    parts.push(`identity(${bits.join(', ')})`);
  }
  if (n.default) parts.push(`default: ${n.default}`);
  if (n.invariants) parts.push(`invariant: ${n.invariants}`);
  if (n.typeChanges?.length) {
    const changes = n.typeChanges.map(
      (c) => `${c.fieldPath ? `${c.fieldPath} ` : ''}${c.fromType} → ${c.toType}${c.tableVersion !== undefined ? ` (v${c.tableVersion})` : ''}`,
    );
    parts.push(`type changes: ${changes.join(', ')}`);
  }
  if (n.collations && Object.keys(n.collations).length) parts.push(`collation: ${keyValues(n.collations)}`);
  return printable(parts.join('; '));
}

const schema: Command = {
  name: 'schema',
  summary: 'The logical schema as a tree, with column metadata and CHECK constraints',
  description:
    'Prints the logical schema, nested fields indented under their parent, each with its type (Spark simple string), ' +
    'nullability, comment, column-mapping id and physical name, generation expression, identity settings, default, ' +
    'invariant and type changes; then the CHECK constraints. JSON: a tree (struct fields under "fields", array ' +
    'elements under "element", map keys and values under "key" and "value").',
  accepts: ['version', 'timestamp'],
  async run(ctx) {
    const snap = await loadTarget(ctx);
    const mode = columnMappingMode(snap.metadata.configuration, snap.protocol);
    const json: SchemaJson = {
      version: snap.version,
      columnMappingMode: mode,
      partitionColumns: [...snap.metadata.partitionColumns],
      fields: snap.schema.fields.map(fieldNode),
      checkConstraints: checkConstraints(snap.metadata.configuration),
    };
    return {
      json,
      text: () => {
        type Row = { node: SchemaNodeJson; depth: number; t: DataType };
        const rows: Row[] = [];
        const walkType = (t: DataType, depth: number) => {
          if (t.type === 'struct') for (const f of t.fields) walkField(f, depth);
          else if (t.type === 'array' && containsStruct(t.elementType)) {
            rows.push({ node: typeNode('element', t.elementType, t.containsNull), depth, t: t.elementType });
            walkType(t.elementType, depth + 1);
          } else if (t.type === 'map') {
            if (containsStruct(t.keyType)) {
              rows.push({ node: typeNode('key', t.keyType, false), depth, t: t.keyType });
              walkType(t.keyType, depth + 1);
            }
            if (containsStruct(t.valueType)) {
              rows.push({ node: typeNode('value', t.valueType, t.valueContainsNull), depth, t: t.valueType });
              walkType(t.valueType, depth + 1);
            }
          }
        };
        const walkField = (f: StructField, depth: number) => {
          rows.push({ node: fieldNode(f), depth, t: f.type });
          walkType(f.type, depth + 1);
        };
        walkType(snap.schema, 0);
        const mapped = rows.some((r) => r.node.columnMappingId != null || r.node.physicalName != null);
        const headers = ['COLUMN', 'TYPE', 'NULLABLE', ...(mapped ? ['ID', 'PHYSICAL NAME'] : []), 'DETAILS'];
        const body = rows.map(({ node, depth, t }) => [
          '  '.repeat(depth) + printable(node.name),
          printable(shortType(t)),
          String(node.nullable),
          ...(mapped ? [cell(node.columnMappingId ?? null), cell(node.physicalName ?? null)] : []),
          details(node),
        ]);
        let text = rows.length ? renderTable(headers, body) : '(no columns)\n';
        if (mode !== 'none') text += `\ncolumn mapping mode: ${mode}\n`;
        if (json.partitionColumns.length) text += `${mode !== 'none' ? '' : '\n'}partitioned by: ${json.partitionColumns.map(printable).join(', ')}\n`;
        if (json.checkConstraints.length) {
          text += '\nCHECK constraints:\n';
          for (const c of json.checkConstraints) text += `  ${printable(c.name)}: ${printable(c.expression)}\n`;
        }
        return text;
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// files
// ---------------------------------------------------------------------------------------------

/** JSON of one column's stats in `files`. */
export interface ColumnStatsJson {
  min: unknown;
  max: unknown;
  nullCount: unknown;
}

/** JSON of one active file in `files`. */
export interface FileJson {
  /** Decoded path, relative to the table root (or absolute / a URI, as written). */
  path: string;
  size: number;
  modificationTime: string | null;
  /**
   * Parsed partition values by logical column: numbers and booleans as JSON values, null as null,
   * everything else (dates, timestamps, decimals, big longs, binary as hex) as its formatted text.
   */
  partitionValues: Record<string, string | number | boolean | null>;
  /** `numRecords` from the stats (rows in the data file, deleted ones included), or null. */
  numRecords: number | null;
  /** The deletion vector descriptor (its `cardinality` is the number of deleted rows), or null. */
  deletionVector: DeletionVectorDescriptor | null;
  /** Per leaf column (logical dotted path): min, max and null count from the stats; null when the file has no stats. */
  stats: Record<string, ColumnStatsJson> | null;
  tightBounds: boolean | null;
  tags: Record<string, string> | null;
  baseRowId: number | null;
  defaultRowCommitVersion: number | null;
}

/** JSON of `files`. */
export interface FilesJson {
  version: number;
  /** All active files (the list may be cut by --limit). */
  numFiles: number;
  sizeInBytes: number;
  partitionColumns: string[];
  files: FileJson[];
}

function partitionJson(v: PartitionValue, t: DataType): string | number | boolean | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v) && t.type !== 'date') return v;
  return formatPartitionValue(v, t);
}

function getPath(o: Record<string, unknown> | undefined, path: readonly string[]): unknown {
  let cur: unknown = o;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** A stats value as JSON (the core gives checkpoint `stats_parsed` values in the JSON stats' form). */
function statValue(v: unknown, _t: DataType): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Uint8Array) return hex(v);
  return v;
}

const MAX_STATS_COLUMNS = 8;

const files: Command = {
  name: 'files',
  summary: 'The active data files with partition values, record counts and column statistics',
  description:
    'Lists the active data files of the snapshot, sorted by path: decoded path, size, partition values (parsed by ' +
    'column type), numRecords, deletion-vector cardinality, modification time, and per column the min, max and null ' +
    `count from the file statistics. The human table truncates long values and shows at most ${MAX_STATS_COLUMNS} ` +
    'statistics columns. --limit N shows the first N files.',
  accepts: ['version', 'timestamp', 'limit'],
  async run(ctx) {
    const snap = await loadTarget(ctx);
    const mode = columnMappingMode(snap.metadata.configuration, snap.protocol);
    const pcols = partitionColumnInfo(snap.schema, snap.metadata.partitionColumns, mode, { version: snap.version });
    const partitionNames = new Set(pcols.map((c) => c.name));
    const leaves = leafColumns(snap.schema, mode).filter((l) => !(l.logicalPath.length === 1 && partitionNames.has(l.logicalPath[0])));
    const af = snap.files;
    const order: { i: number; path: string }[] = [];
    af.forEach((batch, row, i) => {
      const raw = batch.path[row];
      order.push({ i, path: raw.includes('%') ? safeDecode(raw) : raw });
    });
    order.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const shown = ctx.options.limit !== undefined ? order.slice(0, ctx.options.limit) : order;
    const list: FileJson[] = shown.map(({ i, path }) => {
      const { batch, row } = af.locate(i);
      const raw = batch.partitionValuesAt(row);
      const parsed = parsePartitionValues(raw, pcols, { version: snap.version, path });
      const partitionValues: FileJson['partitionValues'] = {};
      for (const c of pcols) partitionValues[c.name] = partitionJson(parsed[c.name], c.type);
      const st = statsAt(batch, row);
      let stats: FileJson['stats'] = null;
      if (st) {
        stats = {};
        for (const l of leaves) {
          const min = getPath(st.minValues, l.physicalPath);
          const max = getPath(st.maxValues, l.physicalPath);
          const nullCount = getPath(st.nullCount, l.physicalPath);
          if (min === undefined && max === undefined && nullCount === undefined) continue;
          stats[columnPath(l.logicalPath)] = { min: statValue(min, l.type), max: statValue(max, l.type), nullCount: nullCount ?? null };
        }
      }
      const num = (c: number[] | undefined) => (c && !Number.isNaN(c[row]) ? c[row] : null);
      const dv = batch.deletionVector(row);
      return {
        path,
        size: batch.size[row],
        modificationTime: iso(batch.modificationTime[row]),
        partitionValues,
        numRecords: numRecordsAt(batch, row),
        deletionVector: dv ? { storageType: dv.storageType, pathOrInlineDv: dv.pathOrInlineDv, ...(dv.offset !== undefined ? { offset: dv.offset } : {}), sizeInBytes: dv.sizeInBytes, cardinality: dv.cardinality } : null,
        stats,
        tightBounds: st?.tightBounds ?? null,
        tags: batch.tags?.[row] ?? null,
        baseRowId: num(batch.baseRowId),
        defaultRowCommitVersion: num(batch.defaultRowCommitVersion),
      };
    });
    const totals = snap.totals;
    const json: FilesJson = {
      version: snap.version,
      numFiles: totals.numFiles,
      sizeInBytes: totals.sizeInBytes,
      partitionColumns: pcols.map((c) => c.name),
      files: list,
    };
    return {
      json,
      text: () => {
        const statCols: string[] = [];
        for (const f of list) for (const k of Object.keys(f.stats ?? {})) if (!statCols.includes(k)) statCols.push(k);
        const shownStats = statCols.slice(0, MAX_STATS_COLUMNS);
        const statCell = (s: ColumnStatsJson | undefined) => {
          if (!s) return '';
          const v = (x: unknown) => truncate(cell(x), 16);
          const range = s.min === null && s.max === null ? '' : `${v(s.min)} .. ${v(s.max)}`;
          const nulls = typeof s.nullCount === 'number' && s.nullCount > 0 ? `${range ? ' ' : ''}(${s.nullCount} null)` : '';
          return range || nulls ? range + nulls : typeof s.nullCount === 'number' ? '(0 null)' : '';
        };
        const headers = ['PATH', 'SIZE', ...(pcols.length ? ['PARTITION'] : []), 'RECORDS', 'DELETED', 'MODIFIED', ...shownStats.map(printable)];
        const body = list.map((f) => [
          printable(f.path),
          formatBytes(f.size),
          ...(pcols.length ? [Object.entries(f.partitionValues).map(([k, v]) => `${printable(k)}=${v === null ? 'null' : cell(v)}`).join(', ')] : []),
          f.numRecords === null ? '-' : String(f.numRecords),
          f.deletionVector ? String(f.deletionVector.cardinality) : '',
          cell(f.modificationTime),
          ...shownStats.map((c) => statCell(f.stats?.[c])),
        ]);
        const right = [false, true, ...(pcols.length ? [false] : []), true, true];
        let text = list.length ? renderTable(headers, body, right) : json.numFiles ? '' : '(no active files)\n';
        const shownBytes = list.reduce((s, f) => s + f.size, 0);
        text +=
          list.length < json.numFiles
            ? `${list.length} of ${json.numFiles} files shown (${shownBytes} of ${json.sizeInBytes} bytes, ${formatBytes(json.sizeInBytes)} in all)\n`
            : `${json.numFiles} file${json.numFiles === 1 ? '' : 's'}, ${json.sizeInBytes} bytes (${formatBytes(json.sizeInBytes)})\n`;
        if (statCols.length > shownStats.length) {
          text += `(statistics of ${statCols.length - shownStats.length} more column${statCols.length - shownStats.length === 1 ? '' : 's'} not shown; use --json)\n`;
        }
        return text;
      },
    };
  },
};

/**
 * The commands, by name: the metadata views above, then the data commands of `data.ts`. (`serve`
 * is special-cased in {@link main}.)
 */
export const COMMANDS: Readonly<Record<string, Command>> = { info, history, schema, files, scan, changes, sql };

// ---------------------------------------------------------------------------------------------
// Arguments, help and the main entry
// ---------------------------------------------------------------------------------------------

class UsageError extends Error {}

/** Every option: its parseArgs spec and its help line(s). */
const OPTIONS = {
  version: { type: 'string', help: '--version N        Read the table as of version N' },
  timestamp: {
    type: 'string',
    help:
      '--timestamp TIME   Read the table as of the version current at TIME\n' +
      '                   (ISO-8601 such as 2024-05-01T12:00:00Z, UTC when no zone is given;\n' +
      '                   a date YYYY-MM-DD; or ms since the epoch)',
  },
  limit: { type: 'string', help: '--limit N          Show at most N rows' },
  columns: { type: 'string', help: '--columns a,b      Only these columns, in this order' },
  where: { type: 'string', help: '--where PREDICATE  Only rows matching a SQL predicate (DuckDB syntax), e.g. "number > 2"' },
  from: { type: 'string', help: '--from V           First version of the Change Data Feed (inclusive)' },
  to: { type: 'string', help: '--to V             Last version of the Change Data Feed (inclusive; default: the latest)' },
  'from-timestamp': {
    type: 'string',
    help: '--from-timestamp T Start at the first commit at or after time T (instead of --from)',
  },
  'to-timestamp': {
    type: 'string',
    help: '--to-timestamp T   End at the last commit at or before time T (instead of --to)',
  },
  format: {
    type: 'string',
    help:
      '--format F         Output format: csv (default), jsonl or parquet\n' +
      '                   (without --format, an --output name ending in .csv, .jsonl/.ndjson or\n' +
      '                   .parquet picks it). Parquet is binary: it needs --output, or stdout\n' +
      '                   redirected to a file or pipe (not a terminal)',
  },
  output: { type: 'string', short: 'o', help: '-o, --output FILE  Write the rows to FILE instead of stdout (replaced if it exists)' },
  as: {
    type: 'string',
    help: '--as ENGINE        Print the same question as code for spark, pyspark, deltalake, duckdb or trino\n' +
      '                   instead of reading the table (scan, changes)',
  },
  json: {
    type: 'boolean',
    help:
      '--json             Print one JSON document on stdout instead of tables. Times are ISO-8601\n' +
      "                   UTC strings (like Spark's output), sizes are bytes.",
  },
  help: { type: 'boolean', short: 'h', help: "-h, --help         Show this help; '" + PROGRAM + " <command> --help' describes a command" },
} as const satisfies Record<string, { type: 'string' | 'boolean'; short?: string; help: string }>;

/** The `parseArgs` spec of {@link OPTIONS}. */
function optionSpec(): Record<string, { type: 'string' | 'boolean'; short?: string }> {
  return Object.fromEntries(
    Object.entries(OPTIONS).map(([k, o]) => [k, 'short' in o ? { type: o.type, short: o.short } : { type: o.type }]),
  );
}

/** Help lines of an option, indented by two spaces, with the commands taking it when `commands`. */
function optionHelp(name: keyof typeof OPTIONS, withCommands: boolean): string {
  let text = OPTIONS[name].help;
  if (withCommands && name !== 'json' && name !== 'help') {
    const users = Object.values(COMMANDS).filter((c) => c.accepts.includes(name as CommandOption)).map((c) => c.name);
    const [first, ...rest] = text.split('\n');
    text = [`${first} (${users.join(', ')})`, ...rest].join('\n');
  }
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** The general help text. */
function helpText(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const cmds = Object.values(COMMANDS)
    .map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`)
    .join('\n');
  return `Usage: ${PROGRAM} <command> <table-path> [options]
       ${PROGRAM} sql <table-path> <query> [options]

Reads the Delta Lake table in a local folder (the folder that holds _delta_log/) or at
http(s)://…, s3://bucket/path (AWS_* settings, profiles) or lakefs://repo/ref/path (LAKECTL_*,
~/.lakectl.yaml), and prints its metadata (info, history, schema, files), or its rows with
DuckDB-WASM (scan, changes, sql).
Tables that need reader features Delta Explorer does not support have their metadata shown
anyway, with a warning on stderr; reading their rows fails.

Commands:
${cmds}
  ${'serve'.padEnd(w)}  Serve the app and a local table (or folder of tables) on 127.0.0.1, and open the browser:
  ${''.padEnd(w)}  ${PROGRAM} serve <table-or-folder> [--port N] [--host H] [--no-open] [--lakefs URL]

Options:
${(Object.keys(OPTIONS) as (keyof typeof OPTIONS)[]).map((o) => optionHelp(o, true)).join('\n')}

Exit status: 0 on success; 1 when the table cannot be read (one 'error:' line on stderr,
nothing on stdout); 2 for a usage error.
`;
}

/** Help of one command. */
function commandHelp(c: Command): string {
  // Each line of the description is a paragraph, wrapped; indented lines are kept as they are.
  const lines: string[] = [];
  for (const source of c.description.split('\n')) {
    if (source.startsWith(' ')) {
      lines.push(source);
      continue;
    }
    let line = '';
    for (const word of source.split(' ')) {
      if (line && line.length + 1 + word.length > 96) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  const opts = [...c.accepts, ...(c.json === false ? [] : ['json' as const])].map((o) => optionHelp(o, false));
  opts.push('  -h, --help         Show this help');
  return `Usage: ${commandUsage(c)} [options]\n\n${lines.join('\n')}\n\nOptions:\n${opts.join('\n')}\n`;
}

/** `delta-explorer <name> <table-path> <arg>...`. */
function commandUsage(c: Command): string {
  return [PROGRAM, c.name, '<table-path>', ...(c.args ?? []).map((a) => `<${a}>`)].join(' ');
}

/** Export formats and the file name extensions that imply them. */
const FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'parquet'];
const FORMAT_OF_EXTENSION: Record<string, ExportFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.parquet': 'parquet' };

/** Validates a timestamp option (ISO-8601, a date, or ms since the epoch). */
function timestampOption(name: string, v: string): string {
  try {
    parseTimestamp(v);
  } catch (e) {
    throw new UsageError(`--${name}: ${toErrorInfo(e).message}`);
  }
  return v;
}

type Parsed =
  | { kind: 'help'; text: string }
  | { kind: 'run'; command: Command; path: string; options: CliOptions; args: string[] };

function nonNegativeInt(name: string, v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`--${name} needs a whole number >= 0, got '${v}'.`);
  return Number(v);
}

function parseRaw(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: optionSpec(), allowPositionals: true, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // Node's messages go on with advice about '--'; the first sentence says it all.
    throw new UsageError(msg.split(/\.\s/)[0].replace(/\.$/, '') + '.');
  }
}

function parseCli(argv: string[]): Parsed {
  const { values, positionals } = parseRaw(argv);
  const [name, path, ...extra] = positionals;
  if (values.help) {
    if (name !== undefined && Object.hasOwn(COMMANDS, name)) return { kind: 'help', text: commandHelp(COMMANDS[name]) };
    return { kind: 'help', text: helpText() };
  }
  if (name === undefined) throw new UsageError('Missing command.');
  if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`Unknown command '${name}'; the commands are ${Object.keys(COMMANDS).join(', ')}.`);
  const command = COMMANDS[name];
  const argNames = command.args ?? [];
  if (path === undefined) throw new UsageError(`Missing table path: ${commandUsage(command)}.`);
  if (extra.length < argNames.length) throw new UsageError(`Missing <${argNames[extra.length]}>: ${commandUsage(command)}.`);
  if (extra.length > argNames.length) throw new UsageError(`Unexpected argument '${extra[argNames.length]}'.`);
  const empty = extra.findIndex((a) => !a.trim());
  if (empty >= 0) throw new UsageError(`Empty <${argNames[empty]}>.`);
  for (const o of Object.keys(values)) {
    if (values[o] === undefined || o === 'help') continue;
    if (o === 'json') {
      if (command.json === false) throw new UsageError(`The ${name} command does not take --json; use --format jsonl for JSON Lines.`);
    } else if (!command.accepts.includes(o as CommandOption)) {
      throw new UsageError(`The ${name} command does not take --${o}.`);
    }
  }
  const str = (o: CommandOption): string | undefined => (typeof values[o] === 'string' ? (values[o] as string) : undefined);
  const options: CliOptions = { json: values.json === true, raw: { ...values } };
  const version = str('version');
  const limit = str('limit');
  const timestamp = str('timestamp');
  if (version !== undefined && timestamp !== undefined) throw new UsageError('Give either --version or --timestamp, not both.');
  if (version !== undefined) options.version = nonNegativeInt('version', version);
  if (limit !== undefined) options.limit = nonNegativeInt('limit', limit);
  if (timestamp !== undefined) {
    try {
      parseTimestamp(timestamp);
    } catch (e) {
      throw new UsageError(toErrorInfo(e).message);
    }
    options.timestamp = timestamp;
  }
  const columns = str('columns');
  if (columns !== undefined) {
    options.columns = columns.split(',').map((c) => c.trim());
    if (options.columns.some((c) => c === '')) throw new UsageError(`--columns needs column names separated by commas, got '${columns}'.`);
  }
  const where = str('where');
  if (where !== undefined) {
    if (!where.trim()) throw new UsageError('--where needs a predicate.');
    options.where = where;
  }
  const from = str('from');
  const to = str('to');
  const fromTimestamp = str('from-timestamp');
  const toTimestamp = str('to-timestamp');
  if (from !== undefined && fromTimestamp !== undefined) throw new UsageError('Give either --from or --from-timestamp, not both.');
  if (to !== undefined && toTimestamp !== undefined) throw new UsageError('Give either --to or --to-timestamp, not both.');
  if (from !== undefined) options.from = nonNegativeInt('from', from);
  if (to !== undefined) options.to = nonNegativeInt('to', to);
  if (fromTimestamp !== undefined) options.fromTimestamp = timestampOption('from-timestamp', fromTimestamp);
  if (toTimestamp !== undefined) options.toTimestamp = timestampOption('to-timestamp', toTimestamp);
  const output = str('output');
  if (output !== undefined) {
    if (!output) throw new UsageError('--output needs a file name.');
    options.output = output;
  }
  const format = str('format');
  if (format !== undefined) {
    const f = format.toLowerCase();
    if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${format}'.`);
    options.format = f as ExportFormat;
  } else if (command.accepts.includes('format')) {
    options.format = (output !== undefined && FORMAT_OF_EXTENSION[nodePath.extname(output).toLowerCase()]) || 'csv';
  }
  const problem = command.check?.(options);
  if (problem) throw new UsageError(problem);
  return { kind: 'run', command, path, options, args: extra };
}

/** Absolute path of the table folder given on the command line (a `file:` URL is accepted). */
function resolveLocation(p: string): string {
  if (p.startsWith('file:')) {
    try {
      return fileURLToPath(p);
    } catch (e) {
      throw new UsageError(`Invalid file URL '${p}': ${(e as Error).message}`);
    }
  }
  return nodePath.resolve(p);
}

/**
 * One line: `<message>` plus ` (<hint>)` when the error has one, newlines flattened. DuckDB's
 * messages (`QUERY_ERROR`) lose their `LINE n: <sql>` and caret lines (meaningless once flattened)
 * and the `Query: ...` hint: they show the user's own query, or SQL the CLI generated.
 */
function errorMessage(e: unknown): string {
  const info = toErrorInfo(e);
  let message = info.message;
  let hint = info.hint;
  if (info.code === 'QUERY_ERROR') {
    message = message
      .split('\n')
      .filter((l) => !/^\s*\^\s*$/.test(l) && !/^LINE \d+:/.test(l))
      .join('\n');
    if (hint?.startsWith('Query: ')) hint = undefined;
  }
  const text = hint ? `${message.trim()} (${hint.replace(/\.$/, '')})` : message.trim();
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Writes a data command's bytes to `--output` (relative to the current folder), replacing the file. */
async function writeOutput(file: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(file, bytes);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such folder' : err.code === 'EISDIR' ? 'it is a folder' : err.code === 'EACCES' ? 'permission denied' : err.message;
    throw new Error(`Cannot write ${nodePath.resolve(file)}: ${why}.`);
  }
}

/** Fails early, with a plain message, when the table folder does not exist or is a file. */
async function checkFolder(location: string): Promise<string | undefined> {
  try {
    const st = await stat(location);
    if (!st.isDirectory()) return `${location} is a file, not a table folder (the folder that holds _delta_log/).`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `No such folder: ${location}`;
    return `Cannot open ${location}: ${(e as Error).message}`;
  }
  return undefined;
}

const processIO: CliIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  outBytes: (b) => void process.stdout.write(b),
  get stdoutIsTTY() {
    return process.stdout.isTTY === true;
  },
};

/**
 * `delta-explorer serve <table-or-folder> [--port N] [--host H] [--no-open] [--lakefs URL]`: serves
 * the app and the folder (see `serve.ts`) until Ctrl+C or SIGTERM; resolves with the exit status.
 */
async function runServe(argv: string[]): Promise<number> {
  const { serveMain } = await import('./serve-main.ts');
  const handle = await serveMain(argv);
  if (typeof handle === 'number') return handle;
  return new Promise<number>((resolveExit) => {
    const stop = () => void handle.close().finally(() => resolveExit(EXIT.ok));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * Runs the CLI with `argv` (the arguments after the program name) and returns the exit status:
 * 0 success, 1 failure (one `error:` line on stderr, nothing on stdout), 2 usage error.
 * Output goes to `io` (the process's stdout / stderr by default); nothing is printed on stdout
 * until the command has succeeded. The data commands close their DuckDB engine before returning,
 * so nothing keeps the process alive afterwards.
 */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  if (io === processIO) {
    // `delta-explorer ... | head`: a closed pipe is not an error.
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  if (argv[0] === 'serve') return runServe(argv.slice(1));
  let parsed: Parsed;
  let location: string;
  try {
    if (argv.length === 0) {
      io.err(helpText());
      return EXIT.usage;
    }
    parsed = parseCli(argv);
    if (parsed.kind === 'help') {
      io.out(parsed.text);
      return EXIT.ok;
    }
    location = isRemoteLocation(parsed.path) ? parsed.path : resolveLocation(parsed.path);
    const o = parsed.options;
    if (o.format === 'parquet' && o.output === undefined && io.stdoutIsTTY) {
      throw new UsageError('Parquet is binary and stdout is a terminal: give --output FILE, or redirect stdout to a file or pipe.');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message} Run '${PROGRAM} --help' for usage.\n`);
      return EXIT.usage;
    }
    throw e;
  }
  const { command, options, args } = parsed;
  if (typeof options.raw.as === 'string') return printHandoff(command.name, location, options, options.raw.as, io);
  const warnings: string[] = [];
  try {
    const remote = isRemoteLocation(location) ? await openRemoteStore(location) : undefined;
    const problem = remote ? undefined : await checkFolder(location);
    if (problem) {
      io.err(`error: ${problem}\n`);
      return EXIT.failure;
    }
    const target: SnapshotTarget = {};
    if (options.version !== undefined) target.version = options.version;
    if (options.timestamp !== undefined) target.timestamp = options.timestamp;
    const ctx: CommandContext = {
      location: remote?.description ?? location,
      table: new DeltaTable(remote ?? new NodeFsStore(location)),
      target,
      options,
      args,
      warn: (m) => void (warnings.includes(m) || warnings.push(m)),
    };
    const result = await command.run(ctx);
    if ('bytes' in result) {
      if (options.output !== undefined) await writeOutput(options.output, result.bytes);
      for (const w of warnings) io.err(`warning: ${w}\n`);
      if (options.output === undefined) {
        if (io.outBytes) io.outBytes(result.bytes);
        else io.out(new TextDecoder().decode(result.bytes));
      }
      return EXIT.ok;
    }
    const text = options.json ? JSON.stringify(result.json, jsonReplacer, 2) + '\n' : result.text();
    if (!options.json) for (const w of warnings) io.err(`warning: ${w}\n`);
    io.out(text);
    return EXIT.ok;
  } catch (e) {
    io.err(`error: ${errorMessage(e)}\n`);
    return EXIT.failure;
  }
}

/** `--as ENGINE`: prints the hand-off code (see `handoff-cli.ts`); nothing is read. */
function printHandoff(commandName: string, location: string, options: CliOptions, engine: string, io: CliIO): number {
  if (!AS_ENGINES.includes(engine)) {
    io.err(`error: --as must be one of ${AS_ENGINES.join(', ')}, got '${engine}'. Run '${PROGRAM} --help' for usage.\n`);
    return EXIT.usage;
  }
  try {
    const r = handoffText(engine as HandoffEngine, locationOf(location), queryOf(commandName, options));
    if ('error' in r) {
      io.err(`error: ${r.error}\n`);
      return EXIT.failure;
    }
    io.out(r.text);
    return EXIT.ok;
  } catch (e) {
    io.err(`error: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
}
