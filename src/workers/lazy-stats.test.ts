/**
 * The Overview opens without checkpoint stats (the worker layer): `snapshot` summarizes a
 * `stats: 'lazy'` snapshot — files, bytes, partitions, protocol at once, `numRecords` null with
 * `statsPending` and the stats-derived health hints `pending` — and starts loading the stats;
 * `snapshotStats` gives the counts once they arrive; every view that reads stats (files page,
 * partitions, SQL over `"t$files"`) waits for them instead of reading "no stats"; a failed stats load
 * is an error, never 0 or null, and the next call loads again.
 *
 * The table is `test/fixtures/tables-generated/lazy-stats/classic_2k` (2,000 files; its `add.stats`
 * column chunk lies outside the 64 KB footer probe), served by the project's static server behind a
 * small proxy that holds (or refuses) exactly the ranged reads that reach the stats chunk, until
 * the test releases them: nothing here depends on timing. Expected values come from an eager load
 * of the same folder from disk.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeltaTable } from '../delta/table.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { partitionSummary } from '../explore/aggregates.ts';
import { computeHealth } from '../explore/health.ts';
import { fileRows } from './summary.ts';
import { startStaticServer, type RunningStaticServer } from '../server/static.ts';
import { createNodeEngine } from '../query/engine.ts';
import type { OpenedTable, Result } from './api.ts';
import { ExplorerService } from './explorer-service.ts';

const GENERATED = join(import.meta.dirname, '../../test/fixtures/tables-generated');
const TABLE = 'lazy-stats/classic_2k';
const CHECKPOINT = '_delta_log/00000000000000001000.checkpoint.parquet';

/** Byte span of the checkpoint's `add.stats` column chunk (from its footer, read by hyparquet). */
function statsSpan(): { start: number; end: number; size: number } {
  const b = readFileSync(join(GENERATED, TABLE, CHECKPOINT));
  const meta = parquetMetadata(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  const md = meta.row_groups[0].columns.find((c) => c.meta_data!.path_in_schema.join('.') === 'add.stats')!.meta_data!;
  const start = Number(md.dictionary_page_offset ?? md.data_page_offset);
  return { start, end: start + Number(md.total_compressed_size), size: b.length };
}

type Mode = 'pass' | 'hold' | 'refuse';

/**
 * A proxy in front of the static server: requests for the checkpoint whose `Range` reaches into
 * the stats chunk (other than a footer probe, which ends at the file's end) are held until
 * `release()` (mode `hold`) or answered 403 (mode `refuse`). `held` resolves at the first one held.
 */
async function statsGate(target: string, span: { start: number; end: number; size: number }) {
  let mode: Mode = 'pass';
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  let heldOne!: () => void;
  const held = new Promise<void>((r) => (heldOne = r));
  let statsRequests = 0;
  const server = http.createServer(async (req, res) => {
    const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
    const isStats = !!m && (req.url ?? '').includes(CHECKPOINT) && Number(m[1]) < span.end && Number(m[2]) + 1 > span.start && Number(m[2]) + 1 < span.size;
    if (isStats) {
      statsRequests++;
      if (mode === 'refuse') {
        res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
        return;
      }
      if (mode === 'hold') {
        heldOne();
        await gate;
      }
    }
    const up = http.request(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    get statsRequests() {
      return statsRequests;
    },
    setMode(m: Mode) {
      mode = m;
      if (m !== 'hold') {
        release();
        gate = new Promise<void>((r) => (release = r));
      }
    },
    release: () => release(),
    close: () => {
      release();
      server.closeAllConnections();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

/** True when `p` has settled after the queued callbacks and I/O callbacks ran (it cannot, while held). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
}

let server: RunningStaticServer;
let gate: Awaited<ReturnType<typeof statsGate>>;
const span = statsSpan();

beforeAll(async () => {
  server = await startStaticServer({ mounts: [{ urlPrefix: '/generated/', root: GENERATED, dotfiles: true, listing: true }] });
  gate = await statsGate(server.url, span);
});
afterAll(async () => {
  await gate?.close();
  await server?.close();
});

describe('the Overview without checkpoint stats, then with them', () => {
  it('paints without stats, loads them in the background, and every stats reader waits for them', async () => {
    // The checkpoint's stats chunk is outside the footer probe (else there is nothing to hold).
    expect(span.end).toBeLessThan(span.size - 64 * 1024);
    const eager = await new DeltaTable(new NodeFsStore(join(GENERATED, TABLE))).snapshot();
    expect(eager.totals.numRecords).toBeGreaterThan(0);

    gate.setMode('hold');
    const svc = new ExplorerService({ engine: () => createNodeEngine() });
    const t = ok(await svc.openUrl(`${gate.url}/generated/${TABLE}`)) as OpenedTable;
    const s = ok(await svc.snapshot(t.tableId, {}));
    // Everything but the counts, at once.
    expect(s.version).toBe(eager.version);
    expect(s.totals).toMatchObject({ numFiles: eager.totals.numFiles, sizeInBytes: eager.totals.sizeInBytes, numRecords: null, statsPending: true });
    expect(s.metadata.partitionColumns).toEqual(['day']);
    expect(s.health.statsPending).toBe(true);
    expect(s.health.hints.find((h) => h.id === 'stats')?.status).toBe('pending');
    expect(s.health.hints.find((h) => h.id === 'small-files')).toEqual(computeHealth(eager).hints.find((h) => h.id === 'small-files'));
    // The background stats load has asked for the stats chunk (and is held there).
    await gate.held;

    const stats = svc.snapshotStats(t.tableId, s.version);
    const parts = svc.partitions(t.tableId, s.version);
    const page = svc.filesPage(t.tableId, s.version, 0, 50);
    const sql = svc.sql(t.tableId, 'SELECT sum(num_records) AS n, count(*) FILTER (WHERE num_records IS NULL) AS missing FROM "t$files"');
    const sizes = ok(await svc.fileSizes(t.tableId, s.version)); // sizes need no stats: not held
    expect(sizes.bins.reduce((n, b) => n + b.count, 0)).toBe(eager.totals.numFiles);
    // Nothing that reads stats can answer while their bytes are held.
    expect(await settled(stats)).toBe(false);
    expect(await settled(parts)).toBe(false);
    expect(await settled(page)).toBe(false);

    gate.setMode('pass');
    const got = ok(await stats);
    expect(got.totals).toEqual(eager.totals);
    // (The fixture's tombstones are from 2024: past any retention, whatever the clock says.)
    expect(got.health).toEqual(computeHealth(eager));
    expect(got.health.hints.map((h) => h.status)).not.toContain('pending');
    expect(ok(await parts)).toEqual(partitionSummary(eager));
    expect(ok(await page).rows).toEqual(fileRows(eager, 0, 50));
    const q = ok(await sql);
    const { decodeRows } = await import('../ui/data/decode.ts');
    expect(decodeRows(q.ipc)[0]).toEqual([String(eager.totals.numRecords), '0']);
    // The summary, asked again, now has the counts (the cached snapshot got its stats in place).
    expect(ok(await svc.snapshot(t.tableId, { version: s.version })).totals).toEqual(eager.totals);
  }, 120_000);

  it('a failed stats load is an error in place, never 0 or "no stats"; the next call loads again', async () => {
    gate.setMode('refuse');
    const svc = new ExplorerService();
    const t = ok(await svc.openUrl(`${gate.url}/generated/${TABLE}`)) as OpenedTable;
    const s = ok(await svc.snapshot(t.tableId, {}));
    expect(s.totals).toMatchObject({ numRecords: null, statsPending: true });
    const before = gate.statsRequests;
    const failed = await svc.snapshotStats(t.tableId, s.version);
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.error.code).toBe('ACCESS_DENIED');
      expect(failed.error.path ?? failed.error.message).toContain('checkpoint');
    }
    const parts = await svc.partitions(t.tableId, s.version);
    expect(parts.ok).toBe(false); // not partitions with null counts
    expect(gate.statsRequests).toBeGreaterThan(before);

    gate.setMode('pass');
    const eager = await new DeltaTable(new NodeFsStore(join(GENERATED, TABLE))).snapshot();
    expect(ok(await svc.snapshotStats(t.tableId, s.version)).totals).toEqual(eager.totals);
  }, 120_000);
});
