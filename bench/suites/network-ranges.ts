/**
 * Network suite, bytes and round trips (issue #16 "Fewer bytes", "Fewer round trips"): the project's
 * static server (S3-listing mount) behind the fault proxy (`test/fault-proxy.ts`) with a round-trip
 * delay and no faults, tables opened by the protocol core over HTTP (`HttpStore`) as the app's worker
 * opens a URL — then the History read after the Overview, on the same store.
 *
 * Per table and round trip, against the minimum a reader needs:
 * - bytes of an open against the needed bytes: `_last_checkpoint`, the listing, the version checksum
 *   (when listed: the Overview shows its totals early), each checkpoint file's footer plus the column
 *   chunks of the columns the snapshot reads (`checkpointColumns`: file actions with stats, as the
 *   Overview's record count needs them; the footer spans are from hyparquet's metadata), and the
 *   commits after the checkpoint. Also the whole checkpoint files (what was read before ranged reads)
 *   and an open with `stats: 'lazy'` (views that need no stats);
 * - rounds (time over the round trip) against the minimum: `_last_checkpoint`, then the listing,
 *   then per checkpoint level (the top-level file, then its sidecars) a footer read and a
 *   column-chunk read (one read when the file fits the footer probe); commits go beside them;
 * - the History after the Overview: commit bytes against the commit files the snapshot did not read
 *   (those it read are not downloaded again), and the one listing of the whole log it needs (the
 *   open listed only from the checkpoint).
 *
 * Also ({@link runOverviewBytes}) the bytes before the app's Overview can paint: the snapshot with its
 * checkpoint stats (as the Overview read it before) against `stats: 'lazy'` (now; the stats follow
 * after the paint), on the same tables plus the bench's generated 1M-file checkpoint tables.
 *
 *   node bin/run-ts.mjs bench/suites/network-ranges.ts [--opens N] [--big DIR]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parquetMetadata } from 'hyparquet';
import { checkpointColumns, sidecarPath } from '../../src/delta/log/checkpoint-reader.ts';
import { buildLogSegment, listAllCommits, type LogSegment } from '../../src/delta/log/listing.ts';
import { columnChunkRanges, FOOTER_PROBE_BYTES, schemaShape, schemaTree } from '../../src/delta/parquet-reader.ts';
import { loadSnapshot } from '../../src/delta/snapshot.ts';
import { HttpStore } from '../../src/delta/storage/http.ts';
import { NodeFsStore } from '../../src/delta/storage/node-fs.ts';
import { DeltaTable } from '../../src/delta/table.ts';
import { startStaticServer } from '../../src/server/static.ts';
import { FIXTURES } from '../../test/fixtures.ts';
import { startFaultProxy } from '../../test/fault-proxy.ts';
import { readFileSync, statSync } from 'node:fs';
import type { ResultRow } from '../lib/report.ts';
import type { ObjectStore } from '../../src/delta/storage/object-store.ts';

/** The fixtures opened (classic checkpoint, V2 with sidecars, deletion vectors + checksums, many commits). */
export const RANGE_TABLES = ['simple_table_with_checkpoint', 'v2-checkpoints-parquet-with-sidecars', 'table_with_deletion_logs', 'checkpoints'];

/** What a reader needs of one table to open it. Bytes. */
export interface TableNeeds {
  /** `_last_checkpoint` + checksum + footers + needed column chunks + commits after the checkpoint (listing added per run). */
  neededBytes: number;
  /** The same with the checkpoint files whole (what was read before ranged reads). */
  wholeCheckpointBytes: number;
  /** Least sequential round trips. */
  minRounds: number;
  /** Commit files the snapshot does not read (the History needs them). */
  historyOnlyBytes: number;
  checkpointBytes: number;
}

/** Footer + needed column-chunk bytes of a parquet checkpoint file on disk, and whether it fits the footer probe. */
function fileNeeds(path: string): { bytes: number; small: boolean } {
  const buf = readFileSync(path);
  const u = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const meta = parquetMetadata(u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer);
  const footer = Number(meta.metadata_length) + 8;
  const cols = checkpointColumns(schemaShape(schemaTree(meta.schema)));
  const { neededBytes } = columnChunkRanges(meta, cols, u.length - footer);
  return { bytes: footer + neededBytes, small: u.length <= FOOTER_PROBE_BYTES };
}

/** What opening `dir` needs (see {@link TableNeeds}). */
export async function tableNeeds(dir: string): Promise<TableNeeds> {
  const seg: LogSegment = await buildLogSegment(new NodeFsStore(dir));
  const size = (p: string) => statSync(join(dir, p)).size;
  let needed = 0;
  let whole = 0;
  const hint = (() => {
    try {
      return size('_delta_log/_last_checkpoint');
    } catch {
      return 0;
    }
  })();
  needed += hint;
  whole += hint;
  if (seg.checksumFile) {
    needed += seg.checksumFile.sizeBytes;
    whole += seg.checksumFile.sizeBytes;
  }
  let rounds = 2; // _last_checkpoint, listing
  let cpBytes = 0;
  if (seg.checkpoint) {
    let levelRounds = 0;
    let sidecarRounds = 0;
    for (const p of seg.checkpoint.parts) {
      cpBytes += p.sizeBytes;
      whole += p.sizeBytes;
      if (p.path.endsWith('.json')) {
        needed += p.sizeBytes;
        levelRounds = Math.max(levelRounds, 1);
        continue;
      }
      const n = fileNeeds(join(dir, p.path));
      needed += n.bytes;
      levelRounds = Math.max(levelRounds, n.small ? 1 : 2);
    }
    // Sidecars named by the top-level file.
    const { readCheckpoint } = await import('../../src/delta/log/checkpoint-reader.ts');
    const sets = await readCheckpoint(new NodeFsStore(dir), { ...seg.checkpoint }, { stats: false });
    const sidecars = sets.flatMap((s) => s.sidecars);
    const seen = new Set<string>();
    for (const s of sidecars) {
      const path = sidecarPath(s.path);
      if (seen.has(path)) continue;
      seen.add(path);
      const n = fileNeeds(join(dir, path));
      needed += n.bytes;
      whole += s.sizeInBytes;
      cpBytes += s.sizeInBytes;
      sidecarRounds = Math.max(sidecarRounds, n.small ? 1 : 2);
    }
    rounds += levelRounds + sidecarRounds;
  } else rounds += 1;
  const commits = seg.deltas.reduce((n, d) => n + d.sizeBytes, 0);
  needed += commits;
  whole += commits;
  const read = new Set(seg.deltas.map((d) => d.path));
  const historyOnlyBytes = (await listAllCommits(new NodeFsStore(dir))).filter((c) => !read.has(c.path)).reduce((n, c) => n + c.sizeBytes, 0);
  return { neededBytes: needed, wholeCheckpointBytes: whole, minRounds: rounds, historyOnlyBytes, checkpointBytes: cpBytes };
}

/** One table at one round trip. Bytes and ms. */
export interface RangeCell {
  table: string;
  rttMs: number;
  needs: TableNeeds;
  listingBytes: number;
  medianMs: number;
  /** Time over the round trip (decoding included). */
  rounds: number;
  /** Sequential round trips: the longest chain of requests one after another. */
  chain: number;
  requests: number;
  bytes: number;
  lazyBytes: number;
  /** Bytes the History read after the Overview other than listings (commit files). */
  historyBytes: number;
  /** Listing bytes the History read (the whole log's listing: the open listed from the checkpoint). */
  historyListingBytes: number;
  historyRequests: number;
}

/**
 * An `HttpStore` that notes when each request started and ended, and the number of sequential
 * round trips they took: the longest chain of requests each started after the previous one ended
 * (decoding time between them does not count, as it does in time over the round trip).
 */
function timedStore(url: string): { store: ObjectStore; chain: () => number; reset: () => void } {
  const h = new HttpStore(url);
  let spans: { start: number; end: number }[] = [];
  const timed = <T,>(p: Promise<T>): Promise<T> => {
    const start = performance.now();
    return p.finally(() => spans.push({ start, end: performance.now() }));
  };
  const store: ObjectStore = {
    description: h.description,
    capabilities: h.capabilities,
    list: (p, o) => timed(h.list(p, o)),
    get: (p, s) => timed(h.get(p, s)),
    getRange: (p, r, s) => timed(h.getRange(p, r, s)),
    head: (p, s) => timed(h.head(p, s)),
  };
  const chain = () => {
    const byEnd = [...spans].sort((a, b) => a.end - b.end);
    const depth = new Map<{ start: number; end: number }, number>();
    for (const r of [...spans].sort((a, b) => a.start - b.start)) {
      let d = 0;
      for (const q of byEnd) {
        if (q.end > r.start) break;
        d = Math.max(d, depth.get(q) ?? 0);
      }
      depth.set(r, d + 1);
    }
    return Math.max(0, ...depth.values());
  };
  return { store, chain, reset: () => (spans = []) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/**
 * Runs the suite over the fixtures and, when given, more tables (`extra`: name and folder, e.g. a
 * generated checkpoint table), at 50 and 300 ms round trip, `opens` opens each.
 */
export async function runNetworkRanges(opens = 4, extra: { name: string; dir: string }[] = [], log: (m: string) => void = () => undefined): Promise<{ rows: ResultRow[]; cells: RangeCell[] }> {
  const tables = [...RANGE_TABLES.map((t) => ({ name: t, dir: join(FIXTURES, t) })), ...extra];
  const mounts = tables.map((t) => ({ urlPrefix: `/${t.name}/`, root: t.dir, dotfiles: true, listing: true }));
  const server = await startStaticServer({ mounts });
  const cells: RangeCell[] = [];
  const rows: ResultRow[] = [];
  try {
    for (const t of tables) {
      const needs = await tableNeeds(t.dir);
      for (const rttMs of [50, 300]) {
        const proxy = await startFaultProxy({ target: server.url, latencyMs: rttMs, rate: 0, seed: 7 });
        const times: number[] = [];
        const chains: number[] = [];
        const reqs: number[] = [];
        const bytes: number[] = [];
        const lazy: number[] = [];
        const hist: number[] = [];
        const histList: number[] = [];
        const histReqs: number[] = [];
        let listingBytes = 0;
        for (let i = 0; i < opens; i++) {
          let before = proxy.requests.length;
          const timed = timedStore(`${proxy.url}/${t.name}`);
          const table = new DeltaTable(timed.store);
          const t0 = performance.now();
          await table.snapshot({}, { allowUnsupported: true });
          times.push(performance.now() - t0);
          chains.push(timed.chain());
          const mine = proxy.requests.slice(before);
          reqs.push(mine.length);
          bytes.push(mine.reduce((n, r) => n + r.bytes, 0));
          listingBytes = mine.filter((r) => r.url.includes('list-type=2')).reduce((n, r) => n + r.bytes, 0);
          before = proxy.requests.length;
          await table.history();
          const h = proxy.requests.slice(before);
          hist.push(h.filter((r) => !r.url.includes('list-type=2')).reduce((n, r) => n + r.bytes, 0));
          histList.push(h.filter((r) => r.url.includes('list-type=2')).reduce((n, r) => n + r.bytes, 0));
          histReqs.push(h.length);
          before = proxy.requests.length;
          await loadSnapshot(new HttpStore(`${proxy.url}/${t.name}`), { allowUnsupported: true, stats: 'lazy' });
          lazy.push(proxy.requests.slice(before).reduce((n, r) => n + r.bytes, 0));
        }
        await proxy.close();
        const medianMs = median(times);
        const cell: RangeCell = {
          table: t.name,
          rttMs,
          needs,
          listingBytes,
          medianMs,
          rounds: medianMs / rttMs,
          chain: median(chains),
          requests: median(reqs),
          bytes: median(bytes),
          lazyBytes: median(lazy),
          historyBytes: median(hist),
          historyListingBytes: median(histList),
          historyRequests: median(histReqs),
        };
        cells.push(cell);
        const needed = needs.neededBytes + listingBytes;
        log(`network-ranges ${t.name} rtt=${rttMs}: ${Math.round(medianMs)} ms (${cell.rounds.toFixed(1)} RTTs; ${cell.chain} sequential rounds, min ${needs.minRounds}), ${cell.requests} requests, ${cell.bytes} bytes (${(cell.bytes / needed).toFixed(2)}x needed ${needed}; whole checkpoint ${needs.wholeCheckpointBytes + listingBytes}); lazy ${cell.lazyBytes}; history ${cell.historyBytes} bytes of commits for ${needs.historyOnlyBytes} not read by the snapshot, + ${cell.historyListingBytes} listing`);
        const c = `${t.name}, ${rttMs} ms RTT`;
        rows.push({ suite: 'network', case: c, metric: 'bytes per open vs needed', value: cell.bytes, unit: 'bytes', floor: needed, ratio: cell.bytes / needed, note: `before ranged reads the floor was ${needs.wholeCheckpointBytes + listingBytes} (whole checkpoint)` });
        rows.push({ suite: 'network', case: c, metric: 'sequential rounds per open vs minimum', value: cell.chain, unit: 'count', floor: needs.minRounds, ratio: cell.chain / needs.minRounds, note: `${Math.round(medianMs)} ms = ${cell.rounds.toFixed(1)} RTTs with decoding; ${cell.requests} requests` });
        rows.push({ suite: 'network', case: c, metric: 'History after the Overview, commit bytes', value: cell.historyBytes, unit: 'bytes', floor: needs.historyOnlyBytes, ratio: cell.historyBytes / Math.max(1, needs.historyOnlyBytes), note: `floor: commit files the snapshot did not read; plus ${cell.historyListingBytes} bytes listing the whole log` });
      }
    }
  } finally {
    await server.close();
  }
  return { rows, cells };
}

/** What opening one table for the Overview moves, with its checkpoint stats read first (eager) or after the paint (lazy). Bytes, ms. */
export interface OverviewBytesCell {
  table: string;
  /** Bytes before the Overview can paint when the stats are read with the snapshot (the app before). */
  eagerBytes: number;
  /** Bytes before the Overview can paint with `stats: 'lazy'` (the app now). */
  lazyBytes: number;
  /** Bytes the stats load moves after the paint (`Snapshot.loadStats`). */
  statsBytes: number;
  eagerMs: number;
  lazyMs: number;
}

/**
 * Bytes (and time) before the app's Overview can paint, eager against lazy checkpoint stats: the
 * project's static server behind the proxy (no delay, no faults) so every byte is counted, one
 * open per table and mode (bytes do not vary between opens), a fresh `DeltaTable` each time. The
 * eager open is `DeltaTable.snapshot()` (stats read with the snapshot, as the Overview did before);
 * the lazy one is `stats: 'lazy'` (the worker's summary now), then `loadStats()` (the stats the
 * Overview fills in after the paint).
 */
export async function runOverviewBytes(tables: { name: string; dir: string }[], log: (m: string) => void = () => undefined): Promise<{ rows: ResultRow[]; cells: OverviewBytesCell[] }> {
  const server = await startStaticServer({ mounts: tables.map((t) => ({ urlPrefix: `/${t.name}/`, root: t.dir, dotfiles: true, listing: true })) });
  const proxy = await startFaultProxy({ target: server.url, latencyMs: 0, rate: 0, seed: 7 });
  const rows: ResultRow[] = [];
  const cells: OverviewBytesCell[] = [];
  const moved = async (fn: () => Promise<unknown>): Promise<{ bytes: number; ms: number }> => {
    const before = proxy.requests.length;
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    return { bytes: proxy.requests.slice(before).reduce((n, r) => n + r.bytes, 0), ms };
  };
  try {
    for (const t of tables) {
      const url = `${proxy.url}/${t.name}`;
      const eager = await moved(() => new DeltaTable(new HttpStore(url)).snapshot({}, { allowUnsupported: true }));
      let snap: Awaited<ReturnType<DeltaTable['snapshot']>> | undefined;
      const lazy = await moved(async () => (snap = await new DeltaTable(new HttpStore(url)).snapshot({}, { allowUnsupported: true, stats: 'lazy' })));
      const stats = await moved(() => snap!.loadStats());
      const cell: OverviewBytesCell = { table: t.name, eagerBytes: eager.bytes, lazyBytes: lazy.bytes, statsBytes: stats.bytes, eagerMs: eager.ms, lazyMs: lazy.ms };
      cells.push(cell);
      log(`network-overview ${t.name}: before the Overview paints ${lazy.bytes} bytes lazy vs ${eager.bytes} eager (${(lazy.bytes / eager.bytes).toFixed(3)}x), ${Math.round(lazy.ms)} vs ${Math.round(eager.ms)} ms; stats after the paint ${stats.bytes} bytes`);
      rows.push({
        suite: 'network',
        case: `${t.name}, Overview first paint`,
        metric: 'bytes before the Overview paints: lazy stats vs eager',
        value: lazy.bytes,
        unit: 'bytes',
        floor: eager.bytes,
        ratio: lazy.bytes / eager.bytes,
        note: `stats read after the paint: ${stats.bytes} bytes (lazy + stats ${((lazy.bytes + stats.bytes) / eager.bytes).toFixed(2)}x eager); snapshot ${Math.round(lazy.ms)} vs ${Math.round(eager.ms)} ms (${(lazy.ms / eager.ms).toFixed(2)}x, no network delay)`,
      });
    }
  } finally {
    await proxy.close();
    await server.close();
  }
  return { rows, cells };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { opens: { type: 'string', default: '4' }, big: { type: 'string', multiple: true } } });
  const extra = (values.big ?? []).map((dir) => ({ name: dir.split('/').filter(Boolean).pop()!, dir }));
  const { cells } = await runNetworkRanges(Number(values.opens), extra, (m) => console.error(m));
  console.log('| table | RTT | time to Overview (RTTs) | sequential rounds (min) | requests | bytes | needed | ratio | whole-checkpoint floor | lazy-stats open | History after Overview: commits (floor) + listing |');
  console.log('|-|-|-|-|-|-|-|-|-|-|-|');
  for (const c of cells) {
    const needed = c.needs.neededBytes + c.listingBytes;
    console.log(`| ${c.table} | ${c.rttMs} ms | ${Math.round(c.medianMs)} ms (${c.rounds.toFixed(1)}) | ${c.chain} (${c.needs.minRounds}) | ${c.requests} | ${c.bytes} | ${needed} | ${(c.bytes / needed).toFixed(2)}x | ${c.needs.wholeCheckpointBytes + c.listingBytes} | ${c.lazyBytes} | ${c.historyBytes} (${c.needs.historyOnlyBytes}) + ${c.historyListingBytes} |`);
  }
  const o = await runOverviewBytes([...RANGE_TABLES.map((t) => ({ name: t, dir: join(FIXTURES, t) })), ...extra], (m) => console.error(m));
  console.log('\n| table | bytes before the Overview paints: lazy / eager | ratio | stats after the paint | snapshot ms lazy / eager |');
  console.log('|-|-|-|-|-|');
  for (const c of o.cells) console.log(`| ${c.table} | ${c.lazyBytes} / ${c.eagerBytes} | ${(c.lazyBytes / c.eagerBytes).toFixed(3)}x | ${c.statsBytes} | ${Math.round(c.lazyMs)} / ${Math.round(c.eagerMs)} |`);
}
