/**
 * Ranged checkpoint reads (issue #16 "Fewer bytes"): which byte ranges of real checkpoint files a
 * snapshot asks for, through a store that records every request and has no `blob` (as a remote
 * store). Footer first; then only the column chunks of the columns the snapshot reads; `add.stats`
 * not until `loadStats`; and the snapshot identical to the one read from whole files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, type FileMetaData } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCheckpointTable } from '../../../bench/gen/checkpoint-table.ts';
import { FIXTURES } from '../../../test/fixtures.ts';
import { createParquetWasmReader, FOOTER_PROBE_BYTES } from '../parquet-reader.ts';
import { loadSnapshot, statsAt, numRecordsAt, type Snapshot } from '../snapshot.ts';
import { NodeFsStore } from '../storage/node-fs.ts';
import type { ByteRange, ObjectStore } from '../storage/object-store.ts';
import { readCheckpoint } from './checkpoint-reader.ts';
import { buildLogSegment } from './listing.ts';

interface Request {
  path: string;
  range?: ByteRange;
  bytes: number;
}

/** A store over a folder that records every read and offers no `blob` (reads go by range, as remote ones). */
function recordingStore(dir: string): { store: ObjectStore; requests: Request[] } {
  const fs = new NodeFsStore(dir);
  const requests: Request[] = [];
  const store: ObjectStore = {
    description: fs.description,
    capabilities: fs.capabilities,
    list: (p, o) => fs.list(p, o),
    head: (p, s) => fs.head(p, s),
    async get(path, signal) {
      const b = await fs.get(path, signal);
      requests.push({ path, bytes: b.byteLength });
      return b;
    },
    async getRange(path, range, signal) {
      const b = await fs.getRange(path, range, signal);
      requests.push({ path, range, bytes: b.byteLength });
      return b;
    },
  };
  return { store, requests };
}

/**
 * The byte span of every column chunk, by dotted path, over all row groups (from hyparquet's
 * metadata directly): first page to the next chunk's first page (or the footer), as the pages lie.
 */
function chunkSpans(meta: FileMetaData, fileSize: number): { path: string; start: number; end: number }[] {
  const out: { path: string; start: number; end: number }[] = [];
  for (const rg of meta.row_groups) {
    for (const c of rg.columns) {
      const md = c.meta_data!;
      const dict = md.dictionary_page_offset !== undefined ? Number(md.dictionary_page_offset) : 0;
      const start = dict > 0 && dict < Number(md.data_page_offset) ? dict : Number(md.data_page_offset);
      out.push({ path: md.path_in_schema.join('.'), start, end: 0 });
    }
  }
  const sorted = [...out].sort((a, b) => a.start - b.start);
  sorted.forEach((s, i) => (s.end = i + 1 < sorted.length ? sorted[i + 1].start : fileSize - 8 - Number(meta.metadata_length)));
  return out;
}

const overlaps = (a: ByteRange, b: ByteRange) => a.start < b.end && b.start < a.end;
const covered = (span: ByteRange, ranges: ByteRange[]) => {
  // Every byte of `span` lies in some requested range.
  let at = span.start;
  for (const r of [...ranges].sort((x, y) => x.start - y.start)) if (r.start <= at && r.end > at) at = r.end;
  return at >= span.end;
};

/** What a snapshot says, file by file (keys, sizes, partition values, stats, record counts). */
function facts(s: Snapshot) {
  const rows: unknown[] = [];
  s.files.forEach((b, r) => rows.push([b.key(r), b.size[r], b.partitionValuesAt(r), statsAt(b, r), numRecordsAt(b, r), b.dvUniqueId(r)]));
  const tomb: unknown[] = [];
  s.tombstones.forEach((b, r) => tomb.push([b.key(r), b.size[r]]));
  return { version: s.version, protocol: s.protocol, metadata: s.metadata, rows: rows.sort((a, b) => String((a as unknown[])[0]).localeCompare(String((b as unknown[])[0]))), tomb: tomb.length, totals: s.totals, txns: [...s.txns], domains: [...s.domainMetadata] };
}

const checkpointTables = readdirSync(FIXTURES).filter((t) => {
  const log = join(FIXTURES, t, '_delta_log');
  return existsSync(log) && readdirSync(log).some((f) => /\.checkpoint\..*parquet$|\.checkpoint\.parquet$/.test(f));
});

describe('ranged checkpoint reads', () => {
  // A real Spark-written checkpoint, 41 KB: with a 1 KiB footer probe its column chunks are read by range.
  const table = 'delta-checkpoint-stats-optional';
  const cpFile = '_delta_log/00000000000000000002.checkpoint.parquet';
  const reader = createParquetWasmReader({ footerProbeBytes: 1024 });
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, table, cpFile)));
  const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const spans = chunkSpans(meta, bytes.length);
  const footerLen = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 4).getUint32(0, true) + 8;

  it('reads the footer first, then only the column chunks the snapshot needs; stats not until asked', async () => {
    const { store, requests } = recordingStore(join(FIXTURES, table));
    const seg = await buildLogSegment(store);
    expect(seg.checkpoint?.parts[0].path).toBe(cpFile);
    requests.length = 0;
    const sets = await readCheckpoint(store, seg.checkpoint!, { stats: 'lazy', reader });
    const ranges = requests.filter((r) => r.path === cpFile).map((r) => r.range!);
    expect(requests.every((r) => r.path === cpFile && r.range)).toBe(true); // never the whole file
    // First request: the suffix holding the footer.
    expect(ranges[0]).toEqual({ start: bytes.length - 1024, end: bytes.length });
    // No byte of a stats column chunk was asked for.
    const statsSpans = spans.filter((s) => s.path === 'add.stats' || s.path.startsWith('add.stats_parsed'));
    expect(statsSpans.length).toBeGreaterThan(0);
    for (const s of statsSpans) for (const r of ranges) expect(overlaps(s, r), `${s.path} ${s.start}-${s.end} read by ${r.start}-${r.end}`).toBe(false);
    // Every needed chunk was read.
    const needed = spans.filter((s) => /^(add\.(path|size|partitionValues|modificationTime|deletionVector|dataChange)|metaData|protocol)(\.|$)/.test(s.path));
    for (const s of needed) expect(covered(s, ranges), s.path).toBe(true);
    // Bytes: at most 1.2x the footer plus the column chunks of the columns read.
    const read = requests.reduce((n, r) => n + r.bytes, 0);
    const want = ['add.path', 'add.partitionValues', 'add.size', 'add.modificationTime', 'add.dataChange', 'add.tags', 'add.deletionVector', 'add.baseRowId', 'add.defaultRowCommitVersion', 'add.clusteringProvider', 'remove.', 'metaData', 'protocol', 'txn', 'domainMetadata', 'sidecar', 'checkpointMetadata'];
    const neededBytes = spans.filter((s) => want.some((w) => s.path === w || s.path.startsWith(w.endsWith('.') ? w : `${w}.`))).reduce((n, s) => n + s.end - s.start, 0);
    expect(read).toBeLessThanOrEqual(1.2 * (footerLen + neededBytes) + 1024);
    expect(read).toBeLessThan(bytes.length);
    expect(sets.reduce((n, s) => n + s.adds.length, 0)).toBeGreaterThan(0);
  });

  it('a checkpoint read whole by the footer probe loads its stats without a request, and then reads like an eager load', async () => {
    const { store, requests } = recordingStore(join(FIXTURES, table));
    const snap = await loadSnapshot(store, { stats: 'lazy' });
    expect(snap.statsPending).toBe(true);
    expect(snap.totals.statsPending).toBe(true);
    expect(snap.totals.numRecords).toBeNull();
    const before = requests.length;
    await snap.loadStats();
    // The 41 KB file fit the 64 KB footer probe: it was read whole, and kept for its stats.
    expect(bytes.length).toBeLessThanOrEqual(FOOTER_PROBE_BYTES);
    expect(requests.slice(before)).toEqual([]);
    expect(snap.statsPending).toBe(false);
    const eager = await loadSnapshot(new NodeFsStore(join(FIXTURES, table)));
    expect(facts(snap)).toEqual(facts(eager));
    const n = requests.length;
    await snap.loadStats();
    expect(requests.length).toBe(n); // nothing fetched twice
  });

  it('a short ranged answer is a STORAGE_ERROR naming the file, never a damaged checkpoint', async () => {
    const { store } = recordingStore(join(FIXTURES, table));
    const cut: ObjectStore = { ...store, getRange: async (p, r, s) => (await store.getRange(p, r, s)).subarray(0, Math.max(0, r.end - r.start - 10)) };
    await expect(loadSnapshot(cut)).rejects.toMatchObject({ code: 'STORAGE_ERROR', path: cpFile });
  });

  describe('a generated 3-row-group checkpoint of 20,000 files', () => {
    let dir = '';
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'dx-ranges-'));
      await generateCheckpointTable(dir, { layout: 'classic', numFiles: 20_000, tombstones: 200, parts: 1, trailingCommits: 3, addsPerCommit: 5, removesPerCommit: 5, partitions: 10, rowGroupRows: 8192 });
    }, 120_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('one footer read and one round of coalesced chunk ranges; stats chunks skipped; same snapshot', async () => {
      const { store, requests } = recordingStore(dir);
      const snap = await loadSnapshot(store, { stats: 'lazy' });
      const file = '_delta_log/00000000000000001000.checkpoint.parquet';
      const cp = new Uint8Array(readFileSync(join(dir, file)));
      expect(cp.length).toBeGreaterThan(FOOTER_PROBE_BYTES * 4);
      const m = parquetMetadata(cp.buffer.slice(cp.byteOffset, cp.byteOffset + cp.byteLength) as ArrayBuffer);
      expect(m.row_groups.length).toBe(3);
      const ranges = requests.filter((r) => r.path === file).map((r) => r.range!);
      // Footer probe + one range per run of needed chunks (row groups separated by their stats chunks).
      expect(ranges.length).toBeLessThanOrEqual(1 + m.row_groups.length);
      const statsSpans = chunkSpans(m, cp.length).filter((s) => s.path === 'add.stats');
      // (The footer probe, the first request, may reach into the last row group's chunks.)
      for (const s of statsSpans) for (const r of ranges.slice(1)) expect(overlaps(s, r)).toBe(false);
      const cpBytes = requests.filter((r) => r.path === file).reduce((n, r) => n + r.bytes, 0);
      const statsBytes = statsSpans.reduce((n, s) => n + s.end - s.start, 0);
      expect(cpBytes).toBeLessThanOrEqual(cp.length - statsBytes + FOOTER_PROBE_BYTES);
      const before = requests.length;
      await snap.loadStats();
      // The stats load: only ranges that reach the stats chunks (the footer is the one the open read), once.
      const statsReads = requests.slice(before);
      expect(statsReads.length).toBeGreaterThan(0);
      expect(statsReads.every((r) => r.path === file && r.range)).toBe(true);
      for (const r of statsReads) expect(statsSpans.some((st) => overlaps(st, r.range!))).toBe(true);
      const n = requests.length;
      await snap.loadStats();
      expect(requests.length).toBe(n);
      const eager = await loadSnapshot(new NodeFsStore(dir));
      expect(facts(snap)).toEqual(facts(eager));
    }, 120_000);
  });

  it.each(checkpointTables)('%s: the snapshot read by ranges (lazy stats, then loaded) equals the one read from whole files', async (t) => {
    const { store } = recordingStore(join(FIXTURES, t));
    const eager = await loadSnapshot(new NodeFsStore(join(FIXTURES, t)), { allowUnsupported: true });
    const ranged = await loadSnapshot(store, { allowUnsupported: true });
    expect(facts(ranged)).toEqual(facts(eager));
    const lazy = await loadSnapshot(store, { allowUnsupported: true, stats: 'lazy' });
    await lazy.loadStats();
    expect(facts(lazy)).toEqual(facts(eager));
  });
});
