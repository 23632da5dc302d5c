/**
 * Helpers of the generated bad-input suites (src/delta/bad-input.test.ts, src/query/bad-input.test.ts):
 * ways to damage a copy of a real fixture table, a time bound for every case, and a fingerprint of
 * a snapshot to compare a damaged table's snapshot with the undamaged one's.
 */
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../src/delta/snapshot.ts';
import { commitPath, logLines } from './fixtures.ts';

/** The file name of commit `v` under `_delta_log/`. */
export const commitName = (v: number) => `_delta_log/${String(v).padStart(20, '0')}.json`;

/**
 * Settles with `p`, or rejects after `ms` with "timed out" so that a hang fails the case instead
 * of hanging the run.
 */
export function within<T>(ms: number, p: Promise<T>, what = 'case'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms (a hang)`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Replaces the actions of commit `v` with `fn(actions)` (one JSON object per line). */
export function rewriteCommit(dir: string, v: number, fn: (actions: any[]) => any[]): void {
  writeFileSync(commitPath(dir, v), fn(logLines(dir, v)).map((a) => JSON.stringify(a)).join('\n') + '\n');
}

/** Writes commit `v` with these actions. */
export function writeCommit(dir: string, v: number, actions: any[]): void {
  writeFileSync(commitPath(dir, v), actions.map((a) => JSON.stringify(a)).join('\n') + '\n');
}

/** Replaces line `index` (0-based, among non-empty lines) of commit `v` with `text`. */
export function replaceLine(dir: string, v: number, index: number, text: string): void {
  const lines = readFileSync(commitPath(dir, v), 'utf8').split('\n').filter((l) => l.trim());
  if (index < 0 || index >= lines.length) throw new Error(`commit ${v} has no line ${index}`);
  lines[index] = text;
  writeFileSync(commitPath(dir, v), lines.join('\n') + '\n');
}

/** Number of action lines of commit `v`. */
export function lineCount(dir: string, v: number): number {
  return readFileSync(commitPath(dir, v), 'utf8').split('\n').filter((l) => l.trim()).length;
}

/** Bytes that are neither JSON nor UTF-8 (deterministic). */
export function garbage(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 16) & 0xff;
  }
  out[0] = 0xff; // never a valid UTF-8 or JSON start
  return out;
}

/** The files of `dir/_delta_log/<sub>` whose name starts with `prefix`, sorted. */
export function logFiles(dir: string, prefix: string, sub = ''): string[] {
  return readdirSync(join(dir, '_delta_log', sub))
    .filter((f) => f.startsWith(prefix))
    .sort();
}

/** What a snapshot says about a table, as plain data (for deep equality across damaged/undamaged copies). */
export interface SnapshotFingerprint {
  version: number;
  protocol: { minReaderVersion: number; minWriterVersion: number; readerFeatures: string[]; writerFeatures: string[] };
  metadata: Record<string, unknown>;
  /** `key|size|numRecords` of every active file, sorted. */
  files: string[];
  /** Keys of the tombstones, sorted. */
  tombstones: string[];
  totals: Snapshot['totals'];
  txns: [string, number][];
  domains: [string, string][];
}

/** The {@link SnapshotFingerprint} of a snapshot. */
export function fingerprint(s: Snapshot): SnapshotFingerprint {
  const files: string[] = [];
  s.files.forEach((b, r, i) => files.push(`${b.key(r)}|${b.size[r]}|${s.files.stats(i)?.numRecords ?? '-'}`));
  const tombstones: string[] = [];
  s.tombstones.forEach((b, r) => tombstones.push(b.key(r)));
  const m = s.metadata;
  return {
    version: s.version,
    protocol: {
      minReaderVersion: s.protocol.minReaderVersion,
      minWriterVersion: s.protocol.minWriterVersion,
      readerFeatures: [...(s.protocol.readerFeatures ?? [])].sort(),
      writerFeatures: [...(s.protocol.writerFeatures ?? [])].sort(),
    },
    metadata: {
      id: m.id,
      name: m.name,
      description: m.description,
      schemaString: m.schemaString,
      partitionColumns: m.partitionColumns,
      configuration: m.configuration,
      createdTime: m.createdTime,
    },
    files: files.sort(),
    tombstones: tombstones.sort(),
    totals: s.totals,
    txns: [...s.txns.entries()].map(([k, t]): [string, number] => [k, t.version]).sort(),
    domains: [...s.domainMetadata.entries()].map(([k, d]): [string, string] => [k, d.configuration]).sort(),
  };
}
