/**
 * Which engines can read and write a table, from its `protocol` action and the engine data in
 * `engines.ts`: per engine a verdict (`yes` / `no` / `unknown`), the features that block it, the
 * features whose support is unknown, and what would unblock it (protocol "Table Features";
 * Delta Lake docs "Drop Delta table features").
 *
 * Pure TypeScript, no I/O: the Overview panel and the CLI call it with the snapshot's protocol.
 */
import { effectiveFeatures, type Protocol } from '../../delta/features.ts';
import { ENGINES, SOURCES, type CompatCell, type EngineCompat } from './engines.ts';

/** A feature and the cell that decided it. */
export interface FeatureFinding {
  feature: string;
  cell: CompatCell;
}

/** One engine's answer for one table. */
export interface EngineVerdict {
  engineId: string;
  name: string;
  release: string;
  /** `no` when something blocks, `unknown` when nothing blocks but a needed cell is unknown. */
  read: 'yes' | 'no' | 'unknown';
  write: 'yes' | 'no' | 'unknown';
  /** Features (or the protocol version, as `readerVersion N`) that stop reading. */
  readBlockers: FeatureFinding[];
  readUnknown: FeatureFinding[];
  writeBlockers: FeatureFinding[];
  writeUnknown: FeatureFinding[];
  /** The latest `since` among the needed features, when every one has one (e.g. "3.3.0"). */
  readSince?: string;
  /** What would let this engine read the table, one suggestion per blocking feature. */
  unblock: string[];
}

/**
 * How to remove a feature from a table, where a source says it can be (Delta Lake docs "Drop
 * Delta table features"; `REORG ... APPLY (PURGE)` rewrites files carrying deletion vectors first).
 */
export const DROP_FEATURE: Readonly<Record<string, string>> = {
  deletionVectors:
    "ALTER TABLE t SET TBLPROPERTIES ('delta.enableDeletionVectors' = false); REORG TABLE t APPLY (PURGE); ALTER TABLE t DROP FEATURE deletionVectors (Delta Lake 4.0+ / Databricks)",
  v2Checkpoint: 'ALTER TABLE t DROP FEATURE v2Checkpoint (Delta Lake 3.1+)',
  columnMapping: "ALTER TABLE t DROP FEATURE columnMapping (Delta Lake 3.3+; rewrites the data with the logical names)",
  vacuumProtocolCheck: 'ALTER TABLE t DROP FEATURE vacuumProtocolCheck (Delta Lake 3.3+)',
  'typeWidening-preview': 'ALTER TABLE t DROP FEATURE `typeWidening-preview` (Delta Lake 3.2+; rewrites files written with the old types)',
  typeWidening: 'ALTER TABLE t DROP FEATURE typeWidening (Delta Lake 4.0+; rewrites files written with the old types)',
  checkConstraints: 'ALTER TABLE t DROP CONSTRAINT …, then ALTER TABLE t DROP FEATURE checkConstraints (Delta Lake 3.3+)',
  inCommitTimestamp: 'ALTER TABLE t DROP FEATURE inCommitTimestamp (Delta Lake 3.3+)',
  'collations-preview': 'ALTER TABLE t DROP FEATURE `collations-preview` (Databricks)',
};

function versionKey(v: string): number[] {
  return (v.match(/\d+/g) ?? []).map(Number);
}

function laterOf(a: string, b: string): string {
  const x = versionKey(a);
  const y = versionKey(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0) ? a : b;
  }
  return a;
}

function judge(engine: EngineCompat, features: string[], side: 'read' | 'write', version: number, maxVersion: number | null) {
  const blockers: FeatureFinding[] = [];
  const unknown: FeatureFinding[] = [];
  let since: string | undefined = '';
  if (maxVersion !== null && version > maxVersion) {
    blockers.push({
      feature: `${side === 'read' ? 'reader' : 'writer'}Version ${version}`,
      cell: { support: 'no', note: `implements ${side === 'read' ? 'reader' : 'writer'} versions up to ${maxVersion}`, source: engine.versionsSource },
    });
  } else if (maxVersion === null && version > 1) {
    unknown.push({ feature: `${side === 'read' ? 'reader' : 'writer'}Version ${version}`, cell: { support: 'unknown', note: 'highest protocol version not stated in the sources read', source: engine.versionsSource } });
  }
  for (const f of features) {
    const table = side === 'read' ? engine.read : engine.write;
    const cell: CompatCell = table[f] ?? { support: 'unknown', note: `"${f}" is not a feature the compatibility data knows`, source: engine.versionsSource };
    if (cell.support === 'no') blockers.push({ feature: f, cell });
    else if (cell.support === 'unknown') unknown.push({ feature: f, cell });
    else if (since !== undefined) since = cell.since ? (since ? laterOf(since, cell.since) : cell.since) : undefined;
  }
  const verdict: 'yes' | 'no' | 'unknown' = blockers.length ? 'no' : unknown.length ? 'unknown' : 'yes';
  return { verdict, blockers, unknown, since: since || undefined };
}

/**
 * The verdict of every engine (default: {@link ENGINES}) for a table's protocol. Reading needs the
 * protocol's reader features (reader version 2 means column mapping); writing needs every writer
 * feature and, since writers must also read, every reader feature. Never throws; a feature the
 * data does not know is `unknown` for every engine.
 */
export function compatibilityFor(protocol: Protocol, engines: readonly EngineCompat[] = ENGINES): EngineVerdict[] {
  const eff = effectiveFeatures(protocol);
  const writeNeeds = [...new Set([...eff.readerFeatures, ...eff.writerFeatures])];
  return engines.map((e) => {
    const r = judge(e, eff.readerFeatures, 'read', protocol.minReaderVersion, e.maxReaderVersion);
    const w = judge(e, writeNeeds, 'write', protocol.minWriterVersion, e.maxWriterVersion);
    const unblock: string[] = [];
    for (const b of r.blockers) {
      const drop = DROP_FEATURE[b.feature];
      if (drop) unblock.push(`${b.feature}: ${drop}`);
      else if (b.feature.startsWith('readerVersion')) unblock.push(`${b.feature}: use a newer release of ${e.name}`);
      else unblock.push(`${b.feature}: no DROP FEATURE for it in the sources read; rewrite the table without it (CREATE TABLE … AS SELECT) or use an engine that supports it`);
    }
    return {
      engineId: e.id,
      name: e.name,
      release: e.release,
      read: r.verdict,
      write: w.verdict,
      readBlockers: r.blockers,
      readUnknown: r.unknown,
      writeBlockers: w.blockers,
      writeUnknown: w.unknown,
      readSince: r.verdict === 'yes' ? r.since : undefined,
      unblock,
    };
  });
}

/** The title and address of a cell's source, for tooltips and links. */
export function sourceOf(cell: CompatCell): { title: string; url: string } {
  const s = SOURCES[cell.source];
  return s ? { title: s.title, url: s.url } : { title: cell.source, url: '' };
}
