/**
 * Differential conformance against real writers (issue #12), under `npm run test:peers`: the
 * tables of `peers/gen/` are written by Spark 4 + Delta and delta-rs (cached by generator hash in
 * `$DX_PEERS_CACHE/tables/<hash>/`; the first run takes a few minutes, later runs reuse them), and
 * for every table and version our snapshot, rows, CDF, timestamp travel and history must equal the
 * peers' answers recorded beside them (see `conformance.ts`).
 *
 * `DX_PEERS_TABLES=committed` checks the committed copy instead (no generation).
 *
 * Needs `DX_PEERS_VENV` (the peers' Python venv); without it the suite fails, since this file only
 * runs under test:peers, where the venv is provisioned.
 */
import { conformanceSuite } from './suite.ts';
import { COMMITTED_TABLES, generatedTables } from './generated.ts';

const dir = await generatedTables();
conformanceSuite(dir, { fileTimesPreserved: dir !== COMMITTED_TABLES });
