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
 * Data output (`--format csv|jsonl|parquet`, `--output FILE`): see `commands/data-session.ts`.
 *
 * Layout: `args.ts` (options, help, parsing), `render.ts` (text and JSON), `command.ts` (the
 * command shape and shared loading), `commands/*.ts` (one file per command); this file runs one.
 */
import { stat, writeFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { DeltaTable, toErrorInfo, type SnapshotTarget } from '../delta/index.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import type { HandoffEngine } from '../explore/handoff.ts';
import { helpText, parseCli, resolveLocation, UsageError, type Parsed } from './args.ts';
import { EXIT, PROGRAM, type CliIO, type CliOptions, type CommandContext } from './command.ts';
import { AS_ENGINES, handoffText, locationOf, queryOf } from './handoff-cli.ts';
import { isRemoteLocation, openRemoteStore } from './remote-source.ts';
import { jsonReplacer } from './render.ts';

export type { CliIO, CliOptions, Command, CommandContext, CommandOption, CommandResult, DataResult, ViewResult } from './command.ts';
export { EXIT } from './command.ts';
export { COMMANDS } from './commands/index.ts';
export type { InfoJson } from './commands/info.ts';
export type { HistoryRowJson } from './commands/history.ts';
export type { SchemaJson, SchemaNodeJson } from './commands/schema.ts';
export type { ColumnStatsJson, FileJson, FilesJson } from './commands/files.ts';

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
  if (typeof options.raw.as === 'string') return printHandoff(command.name, location, options, options.raw.as, io, args);
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
function printHandoff(commandName: string, location: string, options: CliOptions, engine: string, io: CliIO, args: string[] = []): number {
  if (!AS_ENGINES.includes(engine)) {
    io.err(`error: --as must be one of ${AS_ENGINES.join(', ')}, got '${engine}'. Run '${PROGRAM} --help' for usage.\n`);
    return EXIT.usage;
  }
  try {
    const r = handoffText(engine as HandoffEngine, locationOf(location), queryOf(commandName, options, args));
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
