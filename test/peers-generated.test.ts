/**
 * The differential conformance suite (peers/conformance.ts) over the committed copy of the tables
 * Spark 4 + Delta and delta-rs wrote, with the answers they gave (test/fixtures/tables-generated/
 * peers/, see its NOTICE): hermetic, no Python or Java needed. `npm run test:peers` runs the same
 * checks on freshly generated tables. Timestamps that depend on commit-file modification times
 * (which a git checkout does not keep) are compared only for tables with in-commit timestamps.
 */
import { join } from 'node:path';
import { conformanceSuite } from '../peers/suite.ts';

conformanceSuite(join(import.meta.dirname, 'fixtures', 'tables-generated', 'peers'), { fileTimesPreserved: false });
