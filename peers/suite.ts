/**
 * Registers the Vitest tests of the differential conformance suite over one folder of generated
 * tables (see `peers/conformance.ts` for what is compared): per table, per version the snapshot
 * (vs delta-rs) and rows (vs Spark `versionAsOf`), then history, CDF ranges and timestamp travel.
 *
 * Known gaps ({@link KNOWN_GAPS}) are tests whose mismatch has an open issue: when such a test
 * finds a mismatch it is skipped with the reason (shown in the report), and it passes on its own
 * once the gap is closed.
 */
import { describe, it, beforeAll, afterAll, type TestContext } from 'vitest';
import { join } from 'node:path';
import { DeltaTable } from '../src/delta/table.ts';
import { NodeFsStore } from '../src/delta/storage/node-fs.ts';
import { createNodeEngine, type SqlEngine } from '../src/query/engine.ts';
import { QuerySession } from '../src/query/session.ts';
import {
  checkChanges,
  checkFilter,
  checkHistory,
  checkRows,
  checkSnapshot,
  checkTimestamp,
  ictFromStart,
  loadReferences,
  strictSnapshotRefuses,
  timestampVersion,
  type CompareOptions,
  type Reference,
} from './conformance.ts';
import { PEER_DIFFERENCES, type Check, type EvidenceInput } from './peer-differences.ts';

/**
 * Mismatches with an open issue, by table and check (`rows`, `snapshot`, `changes`, `timestamp`,
 * `history`, `filter`; `*` for all): the reason is printed when the test is skipped for it. Empty now: the
 * one gap found (lz4_raw data files, issue #11) was closed by the fallback parquet decoder.
 */
export const KNOWN_GAPS: Record<string, Partial<Record<string, string>>> = {};

async function attempt<T>(fn: () => Promise<T>): Promise<T | Error> {
  try {
    return await fn();
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/**
 * Passes when there is no mismatch; a documented peer difference ({@link PEER_DIFFERENCES}) passes
 * only while its evidence holds (the note is printed); a known gap is skipped; anything else fails
 * with the mismatch (table, version, first differing field or row).
 */
async function verdict(ctx: TestContext, ref: Reference, check: Check, mismatch: string | undefined, input: Omit<EvidenceInput, 'ref'>): Promise<void> {
  if (!mismatch) return;
  const documented = PEER_DIFFERENCES[ref.table]?.[check];
  if (documented) {
    const against = await documented.evidence({ ref, ...input });
    if (against === undefined) {
      console.info(`peer difference (documented, evidence holds): ${mismatch.slice(0, 300)} — ${documented.reason}`);
      return;
    }
    throw new Error(`${mismatch} — documented as "${documented.reason}", but the evidence does not hold: ${against}`);
  }
  const known = KNOWN_GAPS[ref.table]?.[check] ?? KNOWN_GAPS[ref.table]?.['*'];
  if (known) {
    ctx.skip(`known gap: ${known} — ${mismatch}`);
    return;
  }
  throw new Error(mismatch);
}

/**
 * delta-rs refuses a protocol or schema it does not know (not its "Unsupported table features",
 * which the Spark input files settle) while our lenient load shows the log: agreement when our
 * strict snapshot — what data reads use — refuses too.
 */
async function strictAlsoRefuses(tableDir: string, version: number, mismatch: string | undefined): Promise<string | undefined> {
  if (!mismatch?.includes(': delta-rs failed (')) return mismatch;
  return (await strictSnapshotRefuses(tableDir, version)) ? undefined : `${mismatch}; our strict snapshot loads it too`;
}

/**
 * Defines the tests for every `<table>.reference.json` in `dir`; the tables are the folders of the
 * same names in `tablesDir` (default: `dir` itself).
 */
export function conformanceSuite(dir: string, opts: CompareOptions, tablesDir = dir): void {
  const refs = loadReferences(dir);
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await createNodeEngine();
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
  });

  it('has reference tables', () => {
    if (refs.length === 0) throw new Error(`no *.reference.json in ${dir}`);
  });

  for (const ref of refs) {
    describe(ref.table, () => {
      const tableDir = join(tablesDir, ref.table);
      const table = () => new DeltaTable(new NodeFsStore(tableDir));
      let session: QuerySession | Error;
      beforeAll(async () => {
        session = await attempt(() => QuerySession.open(table(), { engine, fileAccess: 'direct' }));
      }, 120_000);
      afterAll(async () => {
        if (!(session instanceof Error)) await session?.close();
      });
      const open = () => {
        if (session instanceof Error) throw session;
        return session;
      };

      for (const v of Object.keys(ref.versions).map(Number).sort((a, b) => a - b)) {
        it(`v${v} snapshot equals delta-rs`, async (ctx) => {
          const ours = await attempt(() => table().snapshot({ version: v }, { allowUnsupported: true }));
          const mismatch = await strictAlsoRefuses(tableDir, v, await checkSnapshot(ref, v, ours));
          await verdict(ctx, ref, 'snapshot', mismatch, { tableDir: tableDir, version: v, ours });
        });
        it(`v${v} rows equal Spark versionAsOf`, async (ctx) => {
          const ours = await attempt(() => open().scan({ version: v }));
          await verdict(ctx, ref, 'rows', checkRows(ref, v, ours), { tableDir: tableDir, version: v, ours });
        });
      }

      it('history equals DESCRIBE HISTORY', async (ctx) => {
        const ours = await attempt(() => table().history());
        await verdict(ctx, ref, 'history', checkHistory(ref, ours, opts), { tableDir: tableDir, ours });
      });

      (ref.changes ?? []).forEach((c, i) => {
        it(`changes ${c.from}..${c.to} equal Spark table_changes`, async (ctx) => {
          const ours = await attempt(() => open().changes({ from: c.from, to: c.to }));
          await verdict(ctx, ref, 'changes', checkChanges(ref, i, ours, opts), { tableDir: tableDir, index: i, ours });
        });
      });

      (ref.filters ?? []).forEach((f, i) => {
        it(`where ${f.where} equals Spark`, async (ctx) => {
          const ours = await attempt(() => open().scan({ version: f.version, where: f.where }));
          await verdict(ctx, ref, 'filter', checkFilter(ref, i, ours), { tableDir: tableDir, index: i, ours });
        });
      });

      (ref.timestampAsOf ?? []).forEach((t, i) => {
        it(`timestamp ${t.timestamp} equals Spark timestampAsOf`, async (ctx) => {
          if (!opts.fileTimesPreserved && !ictFromStart(ref)) {
            ctx.skip('commit times are file modification times, which a git checkout does not keep');
            return;
          }
          const ours = await attempt(() => open().scan({ timestamp: t.timestampMs }));
          await verdict(ctx, ref, 'timestamp', checkTimestamp(ref, i, ours), { tableDir: tableDir, index: i, version: timestampVersion(ref, i), ours });
        });
      });
    });
  }
}
