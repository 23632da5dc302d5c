/**
 * What every CLI command is and gets: the {@link Command} shape (name, help, accepted options, a
 * `run` that computes the whole result before anything is printed), the {@link CommandContext} it
 * runs in, its results ({@link ViewResult} for metadata views, {@link DataResult} for rows), exit
 * statuses, and the loading every metadata view shares.
 */
import {
  DeltaError,
  unsupportedReaderFeatures,
  type DeltaTable,
  type Snapshot,
  type SnapshotTarget,
} from '../delta/index.ts';
import type { ExportFormat } from '../query/export.ts';
import type { CommandOption } from './args.ts';
import { clusteringOf } from '../explore/clustering.ts';

export type { CommandOption };

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

/** The program's name, in usage and help texts. */
export const PROGRAM = 'delta-explorer';

/** Warns (once per run) when the table needs reader features this reader lacks. */
export function warnUnsupported(ctx: CommandContext, snap: Snapshot): void {
  if (!snap.readSupportProblems.length) return;
  const names = unsupportedReaderFeatures(snap.protocol);
  const what = names.length
    ? `the table needs reader feature${names.length > 1 ? 's' : ''} ${names.join(', ')}, which Delta Explorer does not support`
    : snap.readSupportProblems.join(' ').replace(/\.$/, '');
  ctx.warn(`${what}; metadata is shown, but its data cannot be read.`);
}

/** Loads the snapshot asked for (metadata views: unsupported reader features allowed, with a warning). */
export async function loadTarget(ctx: CommandContext): Promise<Snapshot> {
  const snap = await ctx.table.snapshot(ctx.target, { allowUnsupported: true });
  warnUnsupported(ctx, snap);
  return snap;
}

/**
 * Logical clustering column names, from the one resolver (`src/explore/clustering.ts`:
 * `delta.clustering` or the legacy `delta.liquid` domain). @throws DeltaError `INVALID_LOG` when
 * the domain's configuration cannot be read (the CLI fails rather than print no clustering).
 */
export function clusteringNames(snap: Snapshot): string[] {
  const c = clusteringOf(snap);
  if (c.error !== null) throw new DeltaError('INVALID_LOG', c.error, { version: snap.version });
  return c.columns.map((col) => col.name);
}
