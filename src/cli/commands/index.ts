/**
 * The CLI's commands, by name: the metadata views (`info`, `history`, `schema`, `files`), then the
 * data commands (`scan`, `changes`, `sql`). One file per command; `serve` is special-cased in `../main.ts`.
 */
import type { Command } from '../command.ts';
import { changes } from './changes.ts';
import { files } from './files.ts';
import { history } from './history.ts';
import { info } from './info.ts';
import { scan } from './scan.ts';
import { schema } from './schema.ts';
import { sql } from './sql.ts';

/** The commands, by name, in the order of the help text. */
export const COMMANDS: Readonly<Record<string, Command>> = { info, history, schema, files, scan, changes, sql };
