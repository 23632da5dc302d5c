/**
 * Runs one measurement in a fresh process (started by `runChild` in lib/measure.ts with
 * `--expose-gc`) and prints one JSON line.
 *
 *   mem <tableDir>   load the latest snapshot and the Overview summaries once; report the peak
 *                    resident memory during the load and the size of the state it leaves.
 *   open <tableDir> <poolSize>   one cold open (snapshot + Overview summaries), checkpoint decoding on
 *                    `poolSize` worker threads (0: in-thread); wall and CPU time (all threads).
 *   gen <kind> <dir> <paramsJson>   run a table generator (generation churns a lot of memory,
 *                    so it runs away from the measuring process).
 */
import { DeltaTable } from '../src/delta/table.ts';
import { NodeFsStore } from '../src/delta/storage/node-fs.ts';
import { partitionAggregates, sizeHistogram } from '../src/delta/aggregates.ts';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Resident memory now (bytes) and heap + ArrayBuffers in use (bytes). */
function usage(): { rss: number; js: number } {
  const m = process.memoryUsage();
  return { rss: m.rss, js: m.heapUsed + m.arrayBuffers };
}

const [cmd, ...args] = process.argv.slice(2);

if (cmd === 'mem') {
  const dir = args[0];
  // Load the modules (and parquet-wasm) before the baseline, so the baseline is "ready to load".
  await import('../src/delta/parquet.ts').then((m) => m.parquetWasm());
  gc();
  gc();
  const before = usage();
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  const t = performance.now();
  const table = new DeltaTable(new NodeFsStore(dir));
  const snap = await table.snapshot();
  const totals = snap.totals;
  const parts = partitionAggregates(snap);
  const hist = sizeHistogram(snap);
  const loadMs = performance.now() - t;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  gc();
  gc();
  const after = usage();
  const out = {
    loadMs,
    numFiles: totals.numFiles,
    numPartitions: parts.numPartitions,
    buckets: hist.counts.length,
    rssBeforeBytes: before.rss,
    peakRssBytes: peakRss,
    /**
     * Peak growth of resident memory over the ready-to-load baseline. When the load never went
     * above the process's earlier peak, this is an upper bound (`peakIsUpperBound`).
     */
    peakGrowthBytes: Math.max(0, peakRss - before.rss),
    peakIsUpperBound: peakRss <= maxRssBefore,
    /** Heap + ArrayBuffers the snapshot keeps (after a full GC). */
    stateBytes: after.js - before.js,
    rssAfterBytes: after.rss,
  };
  // Keep the snapshot alive until the numbers are taken.
  if (snap.version < 0) console.error('unreachable');
  process.stdout.write(JSON.stringify(out) + '\n');
} else if (cmd === 'open') {
  // open <tableDir> <poolSize>: one cold open as a fresh tab does it — snapshot plus the Overview
  // summaries, parquet-wasm loaded first; checkpoint decoding on `poolSize` worker threads (0: in-thread).
  const [dir, pool] = args;
  await import('../src/delta/parquet.ts').then((m) => m.parquetWasm());
  if (Number(pool) > 0) (await import('../src/delta/log/decode-pool-node.ts')).startNodeDecodePool(Number(pool));
  const c = process.cpuUsage();
  const t = performance.now();
  const snap = await new DeltaTable(new NodeFsStore(dir)).snapshot();
  const parts = partitionAggregates(snap);
  const hist = sizeHistogram(snap);
  const loadMs = performance.now() - t;
  const cu = process.cpuUsage(c);
  const { decodePool } = await import('../src/delta/log/decode-pool.ts');
  process.stdout.write(JSON.stringify({ loadMs, cpuMs: (cu.user + cu.system) / 1000, numFiles: snap.totals.numFiles, partitions: parts.numPartitions, buckets: hist.counts.length, poolTasks: decodePool()?.counts.tasks ?? 0 }) + '\n');
  process.exit(0);
} else if (cmd === 'gen') {
  const [kind, dir, paramsJson] = args;
  const params = JSON.parse(paramsJson);
  if (kind === 'checkpoint') {
    const { generateCheckpointTable } = await import('./gen/checkpoint-table.ts');
    await generateCheckpointTable(dir, params);
  } else if (kind === 'add-heavy') {
    const { generateAddHeavyTable } = await import('./gen/json-tables.ts');
    await generateAddHeavyTable(dir, params);
  } else if (kind === 'many-commits') {
    const { generateManyCommitsTable } = await import('./gen/json-tables.ts');
    await generateManyCommitsTable(dir, params);
  } else if (kind === 'data') {
    const { generateDataTable } = await import('./gen/data-table.ts');
    await generateDataTable(dir, params);
  } else throw new Error(`unknown generator ${kind}`);
  process.stdout.write(JSON.stringify({ ok: true }) + '\n');
} else {
  process.stderr.write(`usage: child.ts mem <tableDir> | gen <kind> <dir> <paramsJson>\n`);
  process.exit(2);
}
