/**
 * The differential conformance suite (peers/conformance.ts) over the corpus copy in
 * `test/fixtures/tables` — tables written by delta-kernel-rs, delta-rs, Spark and others, not by us
 * — against what Spark 4.0.1 + Delta 4.0.0 and delta-rs 1.6.6 answered about each of them
 * (`test/fixtures/corpus-references/`, written by `peers/corpus/refs.py`; see its NOTICE):
 * per version the snapshot vs delta-rs and the rows vs Spark's `versionAsOf`, then `DESCRIBE
 * HISTORY`, `table_changes` and `timestampAsOf`. Hermetic: no Python or Java needed.
 *
 * Where a peer fails on a table (a feature it lacks, a vacuumed file, a log-only table) we must
 * fail too or, for delta-rs's "unsupported table features", equal Spark's input files. Commit
 * timestamps without in-commit timestamps come from file modification times, which a git checkout
 * does not keep: those are compared only for tables with in-commit timestamps from version 0.
 * `npm run peers:conformance -- <folder>` runs the same suite on any folder of tables against
 * freshly asked peers (`DX_CORPUS_REFS`: the references, `DX_CORPUS_TABLES`: the tables,
 * `DX_CORPUS_FILE_TIMES=1`: the references were taken from these very files, so commit times
 * without in-commit timestamps compare too).
 */
import { join } from 'node:path';
import { conformanceSuite } from '../peers/suite.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
conformanceSuite(
  process.env.DX_CORPUS_REFS ?? join(fixtures, 'corpus-references'),
  { fileTimesPreserved: process.env.DX_CORPUS_FILE_TIMES === '1' },
  process.env.DX_CORPUS_TABLES ?? join(fixtures, 'tables'),
);
