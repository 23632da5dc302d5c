/**
 * Browser against Node on the same table (issue #16 item 5), and what the checkpoint decode pool
 * (`src/delta/log/decode-pool.ts`) gains, as ratios measured in the same run:
 *
 * - browser/Node: per run, one cold open in Node (a fresh process, `bench/child.ts open`: snapshot
 *   plus the Overview summaries, the pool of worker threads as the app has one) and then one in
 *   the built app in Chromium (a fresh context; folder input → Overview) — back to back, ratio per
 *   run, median over runs. Wall time, and CPU time: all threads of the Node process against all
 *   threads of the tab's renderer process (which runs the explorer worker and its decode workers),
 *   from /proc — the CPU ratio holds on a busy machine where wall time says how busy it was;
 * - pool speed-up: per run, a cold Node open with checkpoint decoding in-thread and one with the
 *   pool; ratio in-thread / pool (above 1: the pool is faster).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { startStaticServer } from '../../src/server/static.ts';
import { OUT_DIR } from '../gen/cache.ts';
import { fmtMs, median, runChild } from '../lib/measure.ts';
import type { ResultRow, TargetResult } from '../lib/report.ts';
import { buildApp, descendants, loadChromium } from './browser.ts';

const TICK_MS = 10; // USER_HZ = 100 on Linux

interface NodeOpen {
  loadMs: number;
  cpuMs: number;
  numFiles: number;
  poolTasks: number;
}

/** CPU time (ms, user + system, all threads) of the renderer processes under `browserPid` (this process: Chromium is launched from it). */
function rendererCpuMs(browserPid: number): number {
  let ticks = 0;
  for (const pid of descendants(browserPid)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
    } catch {
      /* gone */
    }
  }
  return ticks * TICK_MS;
}

/** "Snapshot built in 7.6 s" / "850 ms" → ms. */
const builtMs = (text: string): number => {
  const m = /Snapshot built in ([\d.]+) (ms|s)/.exec(text);
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : NaN;
};

export interface BrowserNodeCase {
  name: string;
  dir: string;
  version: number;
}

export async function runBrowserVsNode(
  root: string,
  cases: BrowserNodeCase[],
  runs: number,
  log: (m: string) => void,
  options: { pool?: boolean } = {},
): Promise<{ rows: ResultRow[]; targets: TargetResult[] } | { skip: string }> {
  const pool = Math.min(8, availableParallelism());
  const rows: ResultRow[] = [];
  const targets: TargetResult[] = [];

  // Pool speed-up (Node only).
  for (const c of options.pool === false ? [] : cases) {
    log(`  pool: ${c.name}, in-thread vs ${pool} worker threads × ${runs}`);
    const plain: NodeOpen[] = [];
    const pooled: NodeOpen[] = [];
    for (let r = 0; r < runs; r++) {
      plain.push(await runChild<NodeOpen>(['open', c.dir, '0'], { timeoutMs: 900_000 }));
      pooled.push(await runChild<NodeOpen>(['open', c.dir, String(pool)], { timeoutMs: 900_000 }));
    }
    const speed = median(plain.map((p, i) => p.loadMs / pooled[i].loadMs));
    const cpu = median(plain.map((p, i) => p.cpuMs / pooled[i].cpuMs));
    rows.push({
      suite: 'pool',
      case: c.name,
      metric: `open, in-thread ÷ ${pool} decode workers (speed-up)`,
      value: median(pooled.map((p) => p.loadMs)),
      unit: 'ms',
      floor: median(plain.map((p) => p.loadMs)),
      ratio: speed,
      note: `cold Node process each; value = with the pool, floor = in-thread; median of ${runs} paired runs; CPU in-thread ÷ pool ${cpu.toFixed(2)}x; ${pooled[0].poolTasks} tasks on the workers`,
    });
  }

  const chromium = await loadChromium();
  if ('skip' in chromium) return chromium;
  const dist = join(OUT_DIR, 'dist');
  log('  browser-node: building the app (vite build → bench/out/dist)');
  await buildApp(root, dist);
  const server = await startStaticServer({ mounts: [{ urlPrefix: '/', root: dist, fallback: 'index.html' }] });
  // Launched, not connected: over `chromium.connect` Playwright uploads every file of a folder given
  // to setInputFiles through its socket (39 s for the 100 MB 1M-file table at load 30, against
  // 0.7 s launched), which once made the browser look 6x slower than Node. Its processes are found
  // under this one.
  const browser = await chromium.launch();
  const browserPid = process.pid;
  try {
    for (const c of cases) {
      log(`  browser-node: ${c.name} × ${runs}`);
      const samples: { node: NodeOpen; ms: number; workerMs: number; cpuMs: number }[] = [];
      for (let r = 0; r < runs; r++) {
        const node = await runChild<NodeOpen>(['open', c.dir, String(pool)], { timeoutMs: 900_000 });
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(server.url + '/');
        await page.locator('[data-testid="overview-version"]').waitFor({ state: 'visible', timeout: 300_000 });
        await page.waitForTimeout(300);
        const cpu0 = rendererCpuMs(browserPid);
        const t0 = performance.now();
        await page.setInputFiles('#dir', c.dir);
        await page.locator(`[data-testid="overview-version"][data-value="${c.version}"]`).waitFor({ state: 'visible', timeout: 900_000 });
        const built = page.getByText(/Snapshot built in/);
        await built.waitFor({ timeout: 60_000 });
        const ms = performance.now() - t0;
        const cpuMs = rendererCpuMs(browserPid) - cpu0;
        samples.push({ node, ms, workerMs: builtMs((await built.textContent()) ?? ''), cpuMs });
        await context.close();
      }
      const wall = median(samples.map((s) => s.ms / s.node.loadMs));
      const cpu = median(samples.map((s) => s.cpuMs / s.node.cpuMs));
      const snap = median(samples.map((s) => s.workerMs / s.node.loadMs));
      rows.push({
        suite: 'browser-node',
        case: c.name,
        metric: 'open → Overview: Chromium ÷ Node (wall)',
        value: median(samples.map((s) => s.ms)),
        unit: 'ms',
        floor: median(samples.map((s) => s.node.loadMs)),
        ratio: wall,
        note: `fresh tab vs fresh Node process, both with ${pool} decode workers; median of ${runs} paired runs; the worker's own snapshot time ÷ Node: ${snap.toFixed(2)}x`,
      });
      rows.push({
        suite: 'browser-node',
        case: c.name,
        metric: 'open → Overview: Chromium ÷ Node (CPU, all threads)',
        value: median(samples.map((s) => s.cpuMs)),
        unit: 'ms',
        floor: median(samples.map((s) => s.node.cpuMs)),
        ratio: cpu,
        note: 'renderer process (page, explorer worker, decode workers) vs the Node process, from /proc',
      });
      targets.push({
        target: `browser within 1.5x Node opening the ${c.name} table`,
        measured: wall,
        limit: 1.5,
        unit: 'x',
        met: wall <= 1.5,
        detail: `wall, median of ${runs} paired runs (${fmtMs(median(samples.map((s) => s.ms)))} vs ${fmtMs(median(samples.map((s) => s.node.loadMs)))}); CPU ${cpu.toFixed(2)}x`,
      });
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
  }
  return { rows, targets };
}
