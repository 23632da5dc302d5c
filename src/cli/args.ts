/**
 * The CLI's arguments: every option ({@link OPTIONS}: its `parseArgs` spec and help), the general
 * and per-command help texts, and {@link parseCli}, which validates the command line into a
 * command, a table path and {@link CliOptions} or throws a {@link UsageError} (exit status 2).
 */
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseTimestamp, toErrorInfo } from '../delta/index.ts';
import type { ExportFormat } from '../query/export.ts';
import { PROGRAM, type CliOptions, type Command } from './command.ts';
import { COMMANDS } from './commands/index.ts';

/** A usage error: printed with a pointer to `--help`, exit status 2. */
export class UsageError extends Error {}

/** Every option: its parseArgs spec and its help line(s). */
export const OPTIONS = {
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
      '                   instead of reading the table (scan, sql, changes)',
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
export function helpText(): string {
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

/** What the command line asks for: help, or a command to run. */
export type Parsed =
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

/** Parses and validates the command line (the arguments after the program name). @throws UsageError */
export function parseCli(argv: string[]): Parsed {
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
export function resolveLocation(p: string): string {
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
 * Options a command may accept beyond `--json` and `--help`: names in {@link OPTIONS}. A new
 * command with options of its own adds them to {@link OPTIONS} and reads them from
 * {@link CliOptions.raw}.
 */
export type CommandOption = Exclude<keyof typeof OPTIONS, 'json' | 'help'>;
