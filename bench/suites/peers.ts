/**
 * Peers: the same work done by the engines our users compare us with, measured in the same run.
 *
 * - Snapshot: delta-rs (`DeltaTable(path)` plus `get_add_actions()`, the Python `deltalake`
 *   package) vs our `DeltaTable.snapshot()` on the JSON-heavy and checkpoint tables.
 * - Data: native DuckDB's `delta_scan` (Python `duckdb` + `duckdb-ext-delta`, the extension loaded
 *   from the package, no network) vs our data plane (`QuerySession` over DuckDB-WASM) for the
 *   data-plane suite's queries on its table.
 *
 * The peer runs in one long-lived Python process (`bench/peers_worker.py`) that times its own
 * work, so the pipe is not counted; each run times the peer, then us, and the reported ratio is
 * the median of the per-run ratios (ours / peer: above 1 means we are slower). Needs the peers'
 * venv (`DX_PEERS_VENV`, default `/root/.cache/delta-explorer/peers/venv`); without it the suite is
 * skipped with that reason.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DeltaTable } from '../../src/delta/table.ts';
import { NodeFsStore } from '../../src/delta/storage/node-fs.ts';
import { createNodeEngine, QuerySession } from '../../src/query/index.ts';
import { median, timeIt } from '../lib/measure.ts';
import type { ResultRow } from '../lib/report.ts';
import { DATA_QUERIES } from './data-plane.ts';

export interface PeerAnswer {
  ms: number;
  cpuMs: number;
  rows: number;
  result: unknown[][] | null;
}

/** The peers' venv folder, or a reason it cannot be used. */
export function peersVenv(): { venv?: string; reason?: string } {
  const venv = process.env.DX_PEERS_VENV ?? '/root/.cache/delta-explorer/peers/venv';
  if (!existsSync(join(venv, 'bin', 'python'))) {
    return { reason: `no peers venv at ${venv} (set DX_PEERS_VENV or run npm run peers:install): delta-rs and native delta_scan not measured` };
  }
  return { venv };
}

/** A long-lived `peers_worker.py`: one JSON command in, one JSON answer out. */
export class PeerWorker {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private stderr = '';

  constructor(venv: string) {
    this.proc = spawn(join(venv, 'bin', 'python'), [join(import.meta.dirname, '..', 'peers_worker.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d) => (this.stderr = (this.stderr + d).slice(-2000)));
    this.lines = createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }

  async ask(cmd: object): Promise<PeerAnswer> {
    this.proc.stdin.write(JSON.stringify(cmd) + '\n');
    const next = await this.lines.next();
    if (next.done) throw new Error(`peers worker exited: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const out = JSON.parse(next.value) as PeerAnswer | { error: string };
    if ('error' in out) throw new Error(`peer: ${out.error}`);
    return out;
  }

  close(): void {
    this.proc.stdin.end();
    this.proc.kill();
  }
}

/** Runs `runs` rounds of (peer, ours) after one unmeasured round; medians and median ratio. */
async function pairedWithPeer(runs: number, peer: () => Promise<PeerAnswer>, ours: () => Promise<unknown>) {
  await peer();
  await ours();
  const s: { p: number; o: number; pc: number; oc: number }[] = [];
  for (let r = 0; r < runs; r++) {
    const p = await peer();
    const o = await timeIt(ours);
    s.push({ p: p.ms, o: o.ms, pc: p.cpuMs, oc: o.cpuMs });
  }
  return {
    peerMs: median(s.map((x) => x.p)),
    oursMs: median(s.map((x) => x.o)),
    ratio: median(s.map((x) => x.o / x.p)),
    cpuRatio: median(s.map((x) => x.oc / x.pc)),
  };
}

/** Snapshot cases: delta-rs vs ours. `tables`: name and folder. */
async function snapshotRows(w: PeerWorker, tables: { name: string; dir: string }[], runs: number, log: (m: string) => void): Promise<ResultRow[]> {
  const out: ResultRow[] = [];
  for (const t of tables) {
    log(`  peers: snapshot ${t.name}`);
    let files = 0;
    let peerFiles = 0;
    try {
      const p = await pairedWithPeer(
        runs,
        async () => {
          const a = await w.ask({ op: 'rs_snapshot', dir: t.dir });
          peerFiles = a.rows;
          return a;
        },
        async () => {
          const snap = await new DeltaTable(new NodeFsStore(t.dir)).snapshot();
          files = snap.files.length;
        },
      );
      out.push({
        suite: 'peers',
        case: t.name,
        metric: 'snapshot: ours vs delta-rs DeltaTable + get_add_actions',
        value: p.oursMs,
        unit: 'ms',
        floor: p.peerMs,
        ratio: p.ratio,
        note: `median of ${runs} paired runs; CPU ratio ${p.cpuRatio.toFixed(2)}x; ${files} active files${files === peerFiles ? '' : `, delta-rs ${peerFiles}: FILE COUNTS DIFFER`}`,
      });
    } catch (e) {
      out.push({ suite: 'peers', case: t.name, metric: 'snapshot: ours vs delta-rs', value: 0, unit: 'ms', note: `failed: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  return out;
}

/** Data cases: native DuckDB delta_scan vs our data plane on the data-plane suite's table. */
async function dataRows(w: PeerWorker, dir: string, label: string, runs: number, log: (m: string) => void): Promise<ResultRow[]> {
  const out: ResultRow[] = [];
  await w.ask({ op: 'duck_open' });
  const engine = await createNodeEngine();
  try {
    const session = await QuerySession.open(new DeltaTable(new NodeFsStore(dir)), { engine, fileAccess: 'direct' });
    const scan = `delta_scan('${dir.replaceAll("'", "''")}')`;
    for (const q of DATA_QUERIES) {
      log(`  peers: delta_scan ${q.name}`);
      const peerSql = q.sql.replace(/\bFROM t\b/, `FROM ${scan}`);
      let same = true;
      const p = await pairedWithPeer(
        runs,
        async () => w.ask({ op: 'duck_sql', sql: peerSql }),
        async () => {
          const r = await session.sql(q.sql);
          if (q.name.startsWith('COUNT')) {
            const peer = await w.ask({ op: 'duck_sql', sql: peerSql });
            same &&= Number(r.getChildAt(0)!.get(0)) === Number(peer.result![0][0]);
          }
        },
      );
      out.push({
        suite: 'peers',
        case: label,
        metric: `${q.name}: ours vs native DuckDB delta_scan`,
        value: p.oursMs,
        unit: 'ms',
        floor: p.peerMs,
        ratio: p.ratio,
        note: `warm, median of ${runs} paired runs${same ? '' : '; COUNTS DIFFER'}`,
      });
    }
    await session.close();
  } finally {
    await engine.close();
  }
  return out;
}

/**
 * The peers suite. `snapshotTables`: JSON-heavy and checkpoint tables; `dataTable`: the data-plane
 * suite's table (or undefined when it could not be generated).
 */
export async function runPeers(
  snapshotTables: { name: string; dir: string }[],
  dataTable: { dir: string; label: string } | undefined,
  runs: number,
  log: (m: string) => void,
): Promise<{ rows: ResultRow[] } | { skip: string }> {
  const { venv, reason } = peersVenv();
  if (!venv) return { skip: reason! };
  const w = new PeerWorker(venv);
  try {
    const rows = await snapshotRows(w, snapshotTables, runs, log);
    if (dataTable) rows.push(...(await dataRows(w, dataTable.dir, dataTable.label, runs, log)));
    return { rows };
  } finally {
    w.close();
  }
}

