/**
 * In the browser (Debian Chromium through Playwright): the built app (`vite build` into
 * `bench/out/dist`, served by our static server with correct Range) measured
 *
 * - cold start: a fresh browser context, navigation to the app, until the first rendered view of
 *   the default sample table (`overview-version` visible);
 * - opening a local folder through `<input id="dir" webkitdirectory>` until the Overview shows the
 *   table's version: the JSON-heavy table and the big checkpoint table;
 * - for a table of many small commits: open folder → Overview → History listing every commit, as
 *   a ratio to the page just reading every file of the folder (metadata and bytes);
 * - during each load: main-thread long tasks (PerformanceObserver 'longtask') and the peak resident
 *   memory of the tab's renderer process (which also runs its workers), sampled from /proc.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStaticServer } from '../../src/server/static.ts';
import { OUT_DIR } from '../gen/cache.ts';
import { median } from '../lib/measure.ts';
import type { ResultRow, TargetResult } from '../lib/report.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface BrowserCase {
  name: string;
  dir: string;
  /** Version the Overview must show when the table is loaded. */
  version: number;
  runs: number;
  /**
   * When set: after the Overview, the History tab is opened and timed until it lists this many
   * entries, against a floor measured in the same run: the page reading every file of the folder
   * (each `File`'s size, modification time and bytes, 16 reads at a time) after the same
   * `setInputFiles` — what any open of the folder in the page must do.
   */
  historyEntries?: number;
}

interface LoadMeasure {
  ms: number;
  longTasks: number[];
  peakRendererRssBytes: number;
}

/** Children of `pid`, recursively, from /proc. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(e), ppid);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) if (pp === p) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** Largest resident set (bytes) among the renderer processes under `browserPid`. */
function rendererRss(browserPid: number): number {
  let max = 0;
  for (const pid of descendants(browserPid)) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer')) continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) max = Math.max(max, Number(m[1]) * 1024);
    } catch {
      /* gone */
    }
  }
  return max;
}

/**
 * Playwright's Chromium launcher for Debian's Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium)
 * with the project's quiet flags, or why a browser suite is skipped (no Chromium, no Playwright).
 * Launched, never `connect`ed: over a connection Playwright uploads the files given to
 * `setInputFiles` through its socket, which once made the browser look 6x slower than Node.
 */
export async function loadChromium(): Promise<{ launch(): Promise<import('@playwright/test').Browser> } | { skip: string }> {
  if (!existsSync(CHROMIUM)) return { skip: `no Chromium at ${CHROMIUM} (install it with apt-get install -y chromium, or set CHROMIUM_PATH)` };
  try {
    const { chromium } = await import('@playwright/test');
    return { launch: () => chromium.launch({ executablePath: CHROMIUM, args: ARGS }) };
  } catch (e) {
    return { skip: `@playwright/test cannot be loaded: ${(e as Error).message}` };
  }
}

/** Builds the app into bench/out/dist (a separate folder: the e2e tests use dist/). */
export function buildApp(root: string, outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (${code}): ${err.trim().split('\n').slice(-3).join(' | ')}`))));
  });
}

const LONGTASK_SCRIPT = `
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__longTasks = null; }
`;

/**
 * The floor of opening a folder in the page: `setInputFiles` on a bare page, then every `File`'s
 * size and modification time and all its bytes (16 reads at a time), ms. Fresh context.
 */
async function readEveryFile(browser: import('@playwright/test').Browser, dir: string): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.setContent('<input id="dir" type="file" webkitdirectory multiple>');
  const t0 = performance.now();
  await page.setInputFiles('#dir', dir);
  const bytes = await page.evaluate(`(async () => {
    const files = Array.from(document.getElementById('dir').files);
    let meta = 0, bytes = 0, next = 0;
    for (const f of files) meta += f.size + f.lastModified;
    const reader = async () => { while (next < files.length) { const b = await files[next++].arrayBuffer(); bytes += b.byteLength; } };
    await Promise.all(Array.from({ length: 16 }, reader));
    return meta > 0 ? bytes : -1;
  })()`);
  const ms = performance.now() - t0;
  await context.close();
  if (typeof bytes !== 'number' || bytes <= 0) throw new Error(`the read floor read nothing from ${dir}`);
  return ms;
}

export async function runBrowser(
  root: string,
  cases: BrowserCase[],
  coldRuns: number,
  log: (m: string) => void,
): Promise<{ rows: ResultRow[]; targets: TargetResult[] } | { skip: string }> {
  const chromium = await loadChromium();
  if ('skip' in chromium) return chromium;
  const dist = join(OUT_DIR, 'dist');
  log('  browser: building the app (vite build → bench/out/dist)');
  try {
    await buildApp(root, dist);
  } catch (e) {
    return { skip: `the app does not build: ${(e as Error).message}` };
  }
  const server = await startStaticServer({ mounts: [{ urlPrefix: '/', root: dist, fallback: 'index.html' }] });
  // Launched, not connected: over `chromium.connect` Playwright uploads every file given to
  // setInputFiles through its socket (39 s for the 100 MB 1M-file table at load 30, against 0.7 s
  // launched) — that upload was most of the "open folder" time measured before. Chromium's
  // processes are found under this one.
  const browser = await chromium.launch();
  const browserPid = process.pid;
  const rows: ResultRow[] = [];
  const targets: TargetResult[] = [];
  const allLongTasks: { load: string; max: number; count: number }[] = [];
  try {
    const overview = (page: import('@playwright/test').Page, version?: number) =>
      page.locator(version === undefined ? '[data-testid="overview-version"]' : `[data-testid="overview-version"][data-value="${version}"]`).waitFor({ state: 'visible', timeout: 300_000 });

    /** Runs `act` and waits for `done`, sampling renderer memory and collecting long tasks. */
    const measureLoad = async (page: import('@playwright/test').Page, act: () => Promise<void>, done: () => Promise<void>, since?: number): Promise<LoadMeasure> => {
      let peak = rendererRss(browserPid);
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, rendererRss(browserPid));
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const t0 = performance.now();
      await act();
      await done();
      const ms = performance.now() - t0;
      sampling = false;
      await sampler;
      peak = Math.max(peak, rendererRss(browserPid));
      const tasks = (await page.evaluate(() => (window as unknown as { __longTasks: [number, number][] | null }).__longTasks)) ?? [];
      return { ms, longTasks: tasks.filter(([start]) => since === undefined || start >= since).map(([, d]) => d), peakRendererRssBytes: peak };
    };

    // Cold start.
    log(`  browser: cold start × ${coldRuns}`);
    const cold: LoadMeasure[] = [];
    for (let r = 0; r < coldRuns; r++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(LONGTASK_SCRIPT);
      cold.push(await measureLoad(page, async () => void (await page.goto(server.url + '/')), () => overview(page)));
      await context.close();
    }
    const coldLong = cold.flatMap((m) => m.longTasks);
    rows.push({
      suite: 'browser',
      case: 'cold start',
      metric: 'to first view of the sample table',
      value: median(cold.map((m) => m.ms)),
      unit: 'ms',
      note: `median of ${coldRuns}, fresh context each; long tasks: ${coldLong.length} (max ${coldLong.length ? Math.max(...coldLong).toFixed(0) : 0} ms)`,
    });
    allLongTasks.push({ load: 'cold start', count: coldLong.length, max: coldLong.length ? Math.max(...coldLong) : 0 });

    for (const c of cases) {
      log(`  browser: open ${c.name} × ${c.runs}`);
      const ms: LoadMeasure[] = [];
      const toHistory: number[] = [];
      const readFloor: number[] = [];
      for (let r = 0; r < c.runs; r++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.addInitScript(LONGTASK_SCRIPT);
        await page.goto(server.url + '/');
        await overview(page);
        await page.waitForTimeout(300);
        const since = await page.evaluate(() => performance.now());
        const t0 = performance.now();
        ms.push(await measureLoad(page, () => page.setInputFiles('#dir', c.dir), () => overview(page, c.version), since));
        if (c.historyEntries !== undefined) {
          await page.getByTestId('tab-history').click();
          await page.locator(`[data-testid="history-count"][data-value="${c.historyEntries}"]`).waitFor({ state: 'visible', timeout: 300_000 });
          toHistory.push(performance.now() - t0);
        }
        await context.close();
        if (c.historyEntries !== undefined) readFloor.push(await readEveryFile(browser, c.dir));
      }
      if (c.historyEntries !== undefined) {
        const ratios = toHistory.map((v, i) => v / readFloor[i]);
        rows.push({
          suite: 'browser',
          case: c.name,
          metric: 'open folder → Overview → History ready',
          value: median(toHistory),
          unit: 'ms',
          floor: median(readFloor),
          ratio: median(ratios),
          note: `median of ${c.runs} (${c.historyEntries} History entries); floor: the page reading every file's size, time and bytes after the same setInputFiles, paired per run`,
        });
      }
      const long = ms.flatMap((m) => m.longTasks);
      const peak = Math.max(...ms.map((m) => m.peakRendererRssBytes));
      rows.push({
        suite: 'browser',
        case: c.name,
        metric: 'open folder → Overview (worker)',
        value: median(ms.map((m) => m.ms)),
        unit: 'ms',
        note: `median of ${c.runs}; long tasks: ${long.length} (max ${long.length ? Math.max(...long).toFixed(0) : 0} ms)`,
      });
      rows.push({ suite: 'browser', case: c.name, metric: 'peak renderer memory', value: peak, unit: 'bytes', note: 'largest renderer process RSS sampled every 100 ms (the tab, with its workers)' });
      allLongTasks.push({ load: c.name, count: long.length, max: long.length ? Math.max(...long) : 0 });
      if (c.name.includes('checkpoint')) {
        targets.push({ target: 'Overview of the big checkpoint table in the browser under 4 GB', measured: peak, limit: 4 * 2 ** 30, unit: 'bytes', met: peak < 4 * 2 ** 30, detail: `${c.name}: peak renderer RSS` });
      }
    }
    const worst = allLongTasks.reduce((a, b) => (b.max > a.max ? b : a), { load: '', count: 0, max: 0 });
    const count = allLongTasks.reduce((n, x) => n + x.count, 0);
    targets.push({
      target: 'no main-thread long task over 50 ms during any load',
      measured: worst.max,
      limit: 50,
      unit: 'ms',
      met: count === 0,
      detail: count === 0 ? 'no long task in any load' : `${count} long task(s); longest ${worst.max.toFixed(0)} ms during ${worst.load} (${allLongTasks.map((l) => `${l.load}: ${l.count}`).join(', ')})`,
    });
  } finally {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
  }
  return { rows, targets };
}
