/**
 * Early totals from the version checksum (issue #16): while a snapshot loads, the totals of
 * `<version>.crc` are reported before the replay starts, marked as the checksum's; the replay then
 * checks them, and a disagreement is a warning of the snapshot (shown on the Overview). Real
 * fixtures: tables whose checksums agree, and `crc-full`, whose checksum disagrees with its log.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../test/fixtures.ts';
import { checkVersionChecksum } from './checksum.ts';
import { loadSnapshot, type LoadProgress } from './snapshot.ts';
import { NodeFsStore } from './storage/node-fs.ts';
import type { BlobSource, ObjectStore } from './storage/object-store.ts';

async function load(table: string, version?: number) {
  const events: LoadProgress[] = [];
  const fs = new NodeFsStore(join(FIXTURES, table));
  const gets: string[] = [];
  const store: ObjectStore & BlobSource = { ...fs, description: fs.description, capabilities: fs.capabilities, list: (p, o) => fs.list(p, o), head: (p, s) => fs.head(p, s), getRange: (p, r, s) => fs.getRange(p, r, s), get: (p, s) => (gets.push(p), fs.get(p, s)), blob: (p, s) => fs.blob(p, s) };
  const snapshot = await loadSnapshot(store, { version, allowUnsupported: true, onProgress: (p) => events.push(p) });
  return { snapshot, events, gets };
}

const crcOf = (table: string, version: number) => JSON.parse(readFileSync(join(FIXTURES, table, '_delta_log', `${String(version).padStart(20, '0')}.crc`), 'utf8'));

describe('version checksum totals while loading', () => {
  it.each(['table_with_deletion_logs', 'v2-checkpoints-parquet-with-sidecars', 'cdf-table-with-cdc-and-dvs-kernel'])('%s: the checksum totals come before the replay, and agree with it', async (table) => {
    const { snapshot, events } = await load(table);
    const crc = crcOf(table, snapshot.version);
    const first = events.findIndex((e) => e.checksum);
    const replay = events.findIndex((e) => e.phase === 'replay');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(replay);
    expect(events[first].checksum).toMatchObject({ version: snapshot.version, numFiles: crc.numFiles, tableSizeBytes: crc.tableSizeBytes });
    // Every later report still carries them (a UI showing the last report keeps showing them).
    expect(events.slice(first).every((e) => e.checksum)).toBe(true);
    expect(snapshot.checksumReport?.status).toBe('match');
    expect(snapshot.totals.numFiles).toBe(crc.numFiles);
    expect(snapshot.totals.sizeInBytes).toBe(crc.tableSizeBytes);
    expect(snapshot.segment.warnings.join(' ')).not.toMatch(/checksum/);
  });

  it('crc-full: the checksum totals are shown early, then the replay disagrees and says so', async () => {
    const { snapshot, events, gets } = await load('crc-full');
    const crc = crcOf('crc-full', 0);
    expect(events.find((e) => e.checksum)?.checksum).toMatchObject({ numFiles: crc.numFiles, tableSizeBytes: crc.tableSizeBytes });
    expect(snapshot.totals.numFiles).not.toBe(crc.numFiles);
    expect(snapshot.checksumReport?.status).toBe('mismatch');
    const warning = snapshot.segment.warnings.find((w) => /checksum/.test(w));
    expect(warning).toContain('00000000000000000000.crc');
    expect(warning).toContain(`numFiles ${crc.numFiles} in the checksum, ${snapshot.totals.numFiles} from the log`);
    // The health view's check reuses what was read: no second download of the checksum.
    const n = gets.filter((p) => p.endsWith('.crc')).length;
    expect(n).toBe(1);
    expect((await checkVersionChecksum(snapshot)).status).toBe('mismatch');
    expect(gets.filter((p) => p.endsWith('.crc')).length).toBe(n);
  });

  it('a table without a checksum for the version: no early totals, nothing read for it', async () => {
    const { snapshot, events, gets } = await load('simple_table_with_checkpoint');
    expect(events.some((e) => e.checksum)).toBe(false);
    expect(snapshot.checksumReport).toBeUndefined();
    expect(gets.some((p) => p.endsWith('.crc'))).toBe(false);
  });

  it('time travel: the checksum of the version asked for', async () => {
    const { snapshot, events } = await load('v2-checkpoints-parquet-with-sidecars', 3);
    expect(events.find((e) => e.checksum)?.checksum).toMatchObject({ version: 3, numFiles: crcOf('v2-checkpoints-parquet-with-sidecars', 3).numFiles });
    expect(snapshot.checksumReport?.status).toBe('match');
  });
});
