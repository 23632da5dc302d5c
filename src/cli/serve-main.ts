/**
 * Runs {@link serve} from the command line, until Ctrl+C:
 *
 *   npx tsx src/cli/serve-main.ts <table-or-folder> [--port N] [--host H] [--no-open] [--lakefs URL]
 *
 * Exit status: 0 after Ctrl+C (or SIGTERM), 1 when serving failed, 2 usage error.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve, type ServeHandle } from './serve.ts';

const USAGE = 'usage: serve-main <table-or-folder> [--port N] [--host HOST] [--no-open] [--lakefs URL]';

/**
 * Parses `argv` (without node and the script), starts serving, and returns the handle; or prints
 * an `error:` line and returns the exit status when the arguments are wrong or serving fails.
 */
export async function serveMain(argv: string[]): Promise<ServeHandle | number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        open: { type: 'boolean' },
        'no-open': { type: 'boolean' },
        lakefs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`error: give one table folder (or folder of tables) to serve.\n${USAGE}\n`);
    return 2;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`error: --port needs a port number (0-65535), not "${values.port}".\n`);
      return 2;
    }
  }
  try {
    return await serve({
      target: positionals[0],
      port,
      host: values.host,
      open: !values['no-open'],
      lakefs: values.lakefs,
    });
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await serveMain(process.argv.slice(2));
  if (typeof result === 'number') {
    process.exitCode = result;
  } else {
    const stop = () => {
      void result.close().finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
}
