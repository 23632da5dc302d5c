/**
 * `npm run bench [-- --quick] [-- --json] [-- --only replay,checkpoint,browser,browser-node,data,peers,network] [-- --runs N] [-- --write-readme]`
 *
 * Benchmarks of Delta Explorer on this machine, reported as RATIOS against floors measured in the
 * same run (absolute times on a shared machine are noise):
 *
 * - replay:     JSON-heavy log replay (the corpus table `300k-add-files-100-col-partitioned` when
 *               `../shared` is there, else a generated table of the same shape) and a log of many
 *               small commits; floor: reading the same bytes and `JSON.parse` of every line.
 * - checkpoint: checkpoint-heavy replay (classic, multi-part, V2 with sidecars; 1M files, 100
 *               trailing commits); floor: parquet-wasm decoding of the checkpoint columns the
 *               snapshot reads plus the JSON floor of the commits.
 * - browser:    the built app in Chromium: cold start, opening tables in the worker, long tasks,
 *               renderer memory.
 * - browser-node: the same checkpoint tables opened cold in Chromium and in Node, paired run by
 *               run (ratio browser ÷ Node, wall and CPU), and the checkpoint decode pool's speed-up
 *               (in-thread ÷ pool, cold Node opens).
 * - data:       SQL through DuckDB-WASM vs native DuckDB on a generated partitioned table.
 * - peers:      delta-rs's snapshot vs ours on the replay and checkpoint tables, native DuckDB's
 *               delta_scan vs our data plane on the data table (needs the peers' Python venv).
 *
 * Generated tables go to `bench/generated/` (gitignored), cached by a hash of their parameters;
 * results to `bench/out/`. Not part of `npm test`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLogSegment } from '../src/delta/log/listing.ts';
import { NodeFsStore } from '../src/delta/storage/node-fs.ts';
import { cached, BENCH_DIR, OUT_DIR } from './gen/cache.ts';
import type { CheckpointTableSpec } from './gen/checkpoint-table.ts';
import { runChild } from './lib/measure.ts';
import { markdown, type BenchReport, type ResultRow, type Skipped, type TargetResult } from './lib/report.ts';
import { runBrowser, type BrowserCase } from './suites/browser.ts';
import { runBrowserVsNode } from './suites/browser-node.ts';
import { runDataPlane } from './suites/data-plane.ts';
import { runIntegrity } from './suites/integrity.ts';
import { runPeers } from './suites/peers.ts';
import { runNetwork } from './suites/network.ts';
import { RANGE_TABLES, runNetworkRanges, runOverviewBytes } from './suites/network-ranges.ts';
import { FIXTURES } from '../test/fixtures.ts';
import { replayRows, runReplayCase, type ReplayResult } from './suites/log-replay.ts';

const ROOT = dirname(BENCH_DIR);
const CORPUS_300K = resolve(ROOT, '../shared/corpus/tables/300k-add-files-100-col-partitioned');

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    runs: { type: 'string' },
    'write-readme': { type: 'boolean', default: false },
  },
});
const quick = opts.quick!;
const only = new Set((opts.only ?? 'replay,checkpoint,browser,browser-node,data,peers,network').split(',').map((s) => s.trim()));
const runs = Number(opts.runs ?? (quick ? 3 : 5));
const log = (m: string) => process.stderr.write(`${m}\n`);

const SIZES = quick
  ? { addHeavy: 100_000, checkpointFiles: 100_000, tombstones: 1_000, trailing: 100, commits: 2_000, dataRows: 1_000_000, coldRuns: 2, browserRuns: 1 }
  : { addHeavy: 300_000, checkpointFiles: 1_000_000, tombstones: 10_000, trailing: 100, commits: 20_000, dataRows: 10_000_000, coldRuns: 3, browserRuns: 2 };

/** Generates (or reuses) a table in a child process. */
async function table(name: string, kind: string, params: object): Promise<string> {
  const { dir } = await cached(name, { kind, params }, (d) => runChild(['gen', kind, d, JSON.stringify(params)], { timeoutMs: 1_800_000 }).then(() => {}), log);
  return dir;
}

const checkpointSpec = (layout: CheckpointTableSpec['layout']): CheckpointTableSpec => ({
  layout,
  numFiles: SIZES.checkpointFiles,
  tombstones: SIZES.tombstones,
  parts: layout === 'classic' ? 1 : 10,
  trailingCommits: SIZES.trailing,
  addsPerCommit: 10,
  removesPerCommit: 5,
  partitions: 100,
  rowGroupRows: 131_072,
});

const human = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const t0 = performance.now();
const rows: ResultRow[] = [];
const targets: TargetResult[] = [];
const skipped: Skipped[] = [];
const replay: ReplayResult[] = [];

// The JSON-heavy table: the corpus one when present.
let jsonTable: { name: string; dir: string; description: string } | undefined;
const needJson = only.has('replay') || only.has('browser') || only.has('peers');
if (needJson) {
  if (existsSync(join(CORPUS_300K, '_delta_log'))) {
    jsonTable = { name: '300k adds (corpus)', dir: CORPUS_300K, description: 'corpus 300k-add-files-100-col-partitioned, 46 MB of commits' };
  } else {
    const dir = await table(`add-heavy-${human(SIZES.addHeavy)}`, 'add-heavy', { numFiles: SIZES.addHeavy, partitions: 100, columns: 100 });
    jsonTable = { name: `${human(SIZES.addHeavy)} adds (generated)`, dir, description: 'generated: the shape of the corpus 300k table (../shared not found)' };
  }
}

if (only.has('replay')) {
  log('replay (JSON-heavy)');
  const manyDir = await table(`many-commits-${human(SIZES.commits)}`, 'many-commits', { commits: SIZES.commits, addsPerCommit: 5, partitions: 100 });
  for (const c of [jsonTable!, { name: `${human(SIZES.commits)} commits`, dir: manyDir, description: `generated: ${human(SIZES.commits)} commits of 5 adds with stats, no checkpoint` }]) {
    const r = await runReplayCase(c, runs, log);
    replay.push(r);
    rows.push(...replayRows('replay', r));
  }
  const j = replay[0];
  targets.push({
    target: `snapshot of the ${j.case.name} table within 1.3x the JSON floor`,
    measured: j.snapshot.cpuRatio,
    limit: 1.3,
    unit: 'x',
    met: j.snapshot.cpuRatio <= 1.3,
    detail: `CPU time, median of ${runs} paired runs (${j.snapshot.cpuMs.toFixed(0)} ms vs ${j.snapshot.floorCpuMs.toFixed(0)} ms); wall ${j.snapshot.ratio.toFixed(2)}x`,
  });
}

let bigCheckpointDir: string | undefined;
if (only.has('checkpoint') || only.has('browser') || only.has('peers') || only.has('browser-node')) {
  bigCheckpointDir = await table(`checkpoint-classic-${human(SIZES.checkpointFiles)}`, 'checkpoint', checkpointSpec('classic'));
}
if (only.has('checkpoint')) {
  log('replay (checkpoint-heavy)');
  const cases = [
    { name: `${human(SIZES.checkpointFiles)} files, classic checkpoint`, dir: bigCheckpointDir!, description: `generated: classic checkpoint + ${SIZES.trailing} commits` },
    { name: `${human(SIZES.checkpointFiles)} files, 10-part checkpoint`, dir: await table(`checkpoint-multipart-${human(SIZES.checkpointFiles)}`, 'checkpoint', checkpointSpec('multipart')), description: `generated: multi-part checkpoint (10) + ${SIZES.trailing} commits` },
    { name: `${human(SIZES.checkpointFiles)} files, V2 + 10 sidecars`, dir: await table(`checkpoint-v2-${human(SIZES.checkpointFiles)}`, 'checkpoint', checkpointSpec('v2-sidecars')), description: `generated: V2 checkpoint with 10 sidecars + ${SIZES.trailing} commits` },
  ];
  const results: ReplayResult[] = [];
  for (const c of cases) {
    const r = await runReplayCase(c, runs, log);
    results.push(r);
    replay.push(r);
    rows.push(...replayRows('checkpoint', r));
  }
  const c = results[0];
  targets.push({
    target: `snapshot of the ${c.case.name} table within 1.5x the parquet floor`,
    measured: c.snapshot.cpuRatio,
    limit: 1.5,
    unit: 'x',
    met: c.snapshot.cpuRatio <= 1.5,
    detail: `CPU time, median of ${runs} paired runs (wall ${c.snapshot.ratio.toFixed(2)}x); others: ${results
      .slice(1)
      .map((r) => `${r.case.name}: ${r.snapshot.cpuRatio.toFixed(2)}x`)
      .join('; ')}`,
  });
}
if (replay.length) {
  const worst = replay.reduce((a, b) => (b.memory.ratio > a.memory.ratio ? b : a));
  targets.push({
    target: 'peak memory within 2x the decoded log state',
    measured: worst.memory.ratio,
    limit: 2,
    unit: 'x',
    met: worst.memory.ratio <= 2,
    detail: `worst: ${worst.case.name}; ${replay.map((r) => `${r.case.name}: ${r.memory.ratio.toFixed(2)}x`).join('; ')}`,
  });
}

if (only.has('browser')) {
  log('browser');
  const versionOf = async (dir: string) => (await buildLogSegment(new NodeFsStore(dir), {})).version;
  const cases: BrowserCase[] = [
    { name: jsonTable!.name, dir: jsonTable!.dir, version: await versionOf(jsonTable!.dir), runs: SIZES.browserRuns },
    { name: `${human(SIZES.checkpointFiles)} files, classic checkpoint`, dir: bigCheckpointDir!, version: await versionOf(bigCheckpointDir!), runs: SIZES.browserRuns },
  ];
  const manyDir = await table(`many-commits-${human(SIZES.commits)}`, 'many-commits', { commits: SIZES.commits, addsPerCommit: 5, partitions: 100 });
  cases.push({ name: `${human(SIZES.commits)} commits (local folder)`, dir: manyDir, version: SIZES.commits - 1, runs: SIZES.browserRuns, historyEntries: SIZES.commits });
  try {
    const b = await runBrowser(ROOT, cases, SIZES.coldRuns, log);
    if ('skip' in b) skipped.push({ suite: 'browser', reason: b.skip });
    else {
      rows.push(...b.rows);
      targets.push(...b.targets);
    }
  } catch (e) {
    skipped.push({ suite: 'browser', reason: `failed: ${(e as Error).message.split('\n')[0]}` });
  }
  if (skipped.some((s) => s.suite === 'browser')) {
    for (const t of ['Overview of the big checkpoint table in the browser under 4 GB', 'no main-thread long task over 50 ms during any load']) {
      targets.push({ target: t, measured: null, limit: t.includes('4 GB') ? 4 * 2 ** 30 : 50, unit: t.includes('4 GB') ? 'bytes' : 'ms', met: null, detail: skipped.find((s) => s.suite === 'browser')!.reason });
    }
  }
}

if (only.has('browser-node')) {
  log('browser vs Node, decode pool');
  const versionOf = async (dir: string) => (await buildLogSegment(new NodeFsStore(dir), {})).version;
  const multipart = await table(`checkpoint-multipart-${human(SIZES.checkpointFiles)}`, 'checkpoint', checkpointSpec('multipart'));
  const cases = [
    { name: `${human(SIZES.checkpointFiles)} files, classic checkpoint`, dir: bigCheckpointDir!, version: await versionOf(bigCheckpointDir!) },
    { name: `${human(SIZES.checkpointFiles)} files, 10-part checkpoint`, dir: multipart, version: await versionOf(multipart) },
  ];
  try {
    const b = await runBrowserVsNode(ROOT, cases, SIZES.browserRuns + 1, log);
    if ('skip' in b) skipped.push({ suite: 'browser-node', reason: b.skip });
    else {
      rows.push(...b.rows);
      targets.push(...b.targets);
    }
  } catch (e) {
    skipped.push({ suite: 'browser-node', reason: `failed: ${(e as Error).message.split('\n')[0]}` });
  }
}

if (only.has('data')) {
  log('data plane');
  let dir: string | undefined;
  try {
    dir = await table(`data-${human(SIZES.dataRows)}`, 'data', { rows: SIZES.dataRows, partitions: 20 });
  } catch (e) {
    skipped.push({ suite: 'data plane', reason: `cannot generate the data table: ${(e as Error).message.split('\n')[0]}` });
  }
  if (dir) {
    try {
      rows.push(...(await runIntegrity(dir, SIZES.dataRows, runs, log)));
    } catch (e) {
      skipped.push({ suite: 'integrity', reason: `failed: ${(e as Error).message.split('\n')[0]}` });
    }
    const d = await runDataPlane(dir, SIZES.dataRows, runs, log);
    if ('skip' in d) skipped.push({ suite: 'data plane', reason: d.skip });
    else {
      rows.push(...d.rows);
      targets.push(d.target);
    }
  }
  if (skipped.some((s) => s.suite === 'data plane')) {
    targets.push({ target: 'data plane within 3x native DuckDB', measured: null, limit: 3, unit: 'x', met: null, detail: skipped.find((s) => s.suite === 'data plane')!.reason });
  }
}

if (only.has('peers')) {
  log('peers');
  const snapshotTables = [
    { name: jsonTable!.name, dir: jsonTable!.dir },
    { name: `${human(SIZES.checkpointFiles)} files, classic checkpoint`, dir: bigCheckpointDir! },
    { name: `${human(SIZES.checkpointFiles)} files, 10-part checkpoint`, dir: await table(`checkpoint-multipart-${human(SIZES.checkpointFiles)}`, 'checkpoint', checkpointSpec('multipart')) },
    { name: `${human(SIZES.checkpointFiles)} files, V2 + 10 sidecars`, dir: await table(`checkpoint-v2-${human(SIZES.checkpointFiles)}`, 'checkpoint', checkpointSpec('v2-sidecars')) },
  ];
  let data: { dir: string; label: string } | undefined;
  try {
    data = { dir: await table(`data-${human(SIZES.dataRows)}`, 'data', { rows: SIZES.dataRows, partitions: 20 }), label: `${human(SIZES.dataRows)} rows` };
  } catch (e) {
    skipped.push({ suite: 'peers (delta_scan)', reason: `cannot generate the data table: ${(e as Error).message.split('\n')[0]}` });
  }
  const p = await runPeers(snapshotTables, data, runs, log);
  if ('skip' in p) skipped.push({ suite: 'peers', reason: p.skip });
  else rows.push(...p.rows);
}

if (only.has('network')) {
  log('network');
  const n = await runNetwork(quick ? 4 : 8, log);
  rows.push(...n.rows);
  const at20 = n.cells.filter((c) => c.retries && c.rate === 0.2);
  const right = at20.reduce((k, c) => k + c.correct, 0);
  const all = at20.reduce((k, c) => k + c.opens, 0);
  targets.push({ target: 'every open right at 20% transient faults (share of opens)', measured: right / Math.max(1, all), limit: 1, unit: 'x', met: right === all, detail: `${right} of ${all} opens right (HttpStore through the fault proxy)` });
  // Against delta-rs through the same proxy settings: bytes and requests per open, at 0% faults.
  const vsPeer = n.cells.filter((c) => c.retries && c.rate === 0 && c.peer && !Number.isNaN(c.peer.medianBytes));
  if (vsPeer.length) {
    const worst = (f: (c: (typeof vsPeer)[number]) => number) => vsPeer.reduce((a, b) => (f(b) > f(a) ? b : a));
    const bytesRatio = (c: (typeof vsPeer)[number]) => c.medianBytes / c.peer!.medianBytes;
    const reqRatio = (c: (typeof vsPeer)[number]) => c.medianRequests / c.peer!.medianRequests;
    const wb = worst(bytesRatio);
    const wr = worst(reqRatio);
    targets.push({ target: 'fewer bytes per open than delta-rs (worst table, ours ÷ delta-rs)', measured: bytesRatio(wb), limit: 1, unit: 'x', met: bytesRatio(wb) < 1, detail: `worst: ${wb.table} at ${wb.rttMs} ms (${wb.medianBytes} vs ${wb.peer!.medianBytes} bytes); ${vsPeer.filter((c) => c.rttMs === 50).map((c) => `${c.table} ${bytesRatio(c).toFixed(2)}x`).join(', ')}` });
    targets.push({ target: 'fewer requests per open than delta-rs (worst table, ours ÷ delta-rs)', measured: reqRatio(wr), limit: 1, unit: 'x', met: reqRatio(wr) < 1, detail: `worst: ${wr.table} at ${wr.rttMs} ms (${wr.medianRequests} vs ${wr.peer!.medianRequests} requests); ${vsPeer.filter((c) => c.rttMs === 50).map((c) => `${c.table} ${reqRatio(c).toFixed(2)}x`).join(', ')}` });
    const p20 = n.cells.filter((c) => c.retries && c.rate === 0.2 && c.peer);
    const pr = p20.reduce((k, c) => k + c.peer!.correct, 0);
    const pa = p20.reduce((k, c) => k + c.peer!.opens, 0);
    rows.push({ suite: 'network', case: 'all tables, 20% faults', metric: 'right opens: ours | delta-rs', value: right, unit: 'count', floor: pr, note: `ours ${right} of ${all}; delta-rs ${pr} of ${pa} (object_store's own retries)` });
  } else if (n.peerSkip) skipped.push({ suite: 'network (delta-rs)', reason: n.peerSkip });
  // Bytes and sequential rounds of an open against what a reader needs (ranged checkpoint reads).
  const r = await runNetworkRanges(quick ? 2 : 4, [], log);
  rows.push(...r.rows);
  const worstOf = (metric: string) => r.rows.filter((x) => x.metric === metric && x.ratio !== undefined).reduce<ResultRow | undefined>((a, b) => (!a || b.ratio! > a.ratio! ? b : a), undefined);
  const wb = worstOf('bytes per open vs needed');
  if (wb) targets.push({ target: 'bytes per open ≤ 1.2× the needed bytes (listing, checksum, footers, needed column chunks, commits)', measured: wb.ratio!, limit: 1.2, unit: 'x', met: wb.ratio! <= 1.2, detail: `worst: ${wb.case} (${wb.value} vs ${wb.floor} bytes)` });
  const rr = r.rows.filter((x) => x.metric === 'sequential rounds per open vs minimum');
  if (rr.length) {
    const over = rr.reduce((a, b) => (b.value - (b.floor ?? 0) > a.value - (a.floor ?? 0) ? b : a));
    const extra = over.value - (over.floor ?? 0);
    targets.push({ target: 'sequential rounds per open ≤ the minimum + 1', measured: extra, limit: 1, unit: 'count', met: extra <= 1, detail: `worst: ${over.case} (${over.value} rounds, minimum ${over.floor})` });
  }
  // Bytes before the Overview paints, stats read after it (lazy) vs with the snapshot (eager): the
  // fixtures and the generated classic and 10-part checkpoint tables.
  const o = await runOverviewBytes(
    [
      ...RANGE_TABLES.map((t) => ({ name: t, dir: join(FIXTURES, t) })),
      { name: `checkpoint-classic-${human(SIZES.checkpointFiles)}`, dir: await table(`checkpoint-classic-${human(SIZES.checkpointFiles)}`, 'checkpoint', checkpointSpec('classic')) },
      { name: `checkpoint-multipart-${human(SIZES.checkpointFiles)}`, dir: await table(`checkpoint-multipart-${human(SIZES.checkpointFiles)}`, 'checkpoint', checkpointSpec('multipart')) },
    ],
    log,
  );
  rows.push(...o.rows);
}

const report: BenchReport = {
  machine: {
    nproc: availableParallelism(),
    memoryBytes: totalmem(),
    node: process.version,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    platform: `${process.platform}-${process.arch}`,
    loadAverage: loadavg(),
  },
  mode: quick ? 'quick' : 'full',
  durationMs: performance.now() - t0,
  rows,
  targets,
  skipped,
};
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, `results-${report.mode}.json`), JSON.stringify(report, null, 2));
const md = markdown(report);
writeFileSync(join(OUT_DIR, `results-${report.mode}.md`), md + '\n');
if (opts['write-readme']) {
  const readme = join(ROOT, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const begin = `<!-- bench:${report.mode}:begin -->`;
  const end = `<!-- bench:${report.mode}:end -->`;
  const block = `${begin}\n${md}\n${end}`;
  if (text.includes(begin) && text.includes(end)) writeFileSync(readme, text.slice(0, text.indexOf(begin)) + block + text.slice(text.indexOf(end) + end.length));
  else log(`README.md has no ${begin} … ${end} block; not written (results are in bench/out/results-${report.mode}.md)`);
}
if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
else process.stdout.write(md + '\n');
