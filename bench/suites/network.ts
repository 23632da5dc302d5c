/**
 * Network suite (issue #16): the project's static server (`src/server/static.ts`, S3-listing mount)
 * behind the fault-injecting proxy (`test/fault-proxy.ts`) with a round-trip delay and a seeded
 * schedule of transient faults (503, 503 + Retry-After, 500, resets, truncated bodies), opened by the
 * protocol core over HTTP (`HttpStore`) as the app's worker opens a URL.
 *
 * Per table, round trip and fault rate: time to the Overview (a snapshot), requests and bytes per
 * open, rounds (time at 0% faults over the round trip), bytes against the log bytes a reader needs
 * (the checkpoint and the commits after it: what the snapshot reads whole today), and the share of
 * opens that gave the right table (same files, size and records as the folder read from disk) —
 * with retries (now) and with one attempt only (as before retries existed).
 *
 * Beside ours, delta-rs (Python `deltalake` from the peers' venv, `bench/peers_worker.py`) opens the
 * same tables through its own proxy with the same round trip, fault rate and seed, as an S3 client
 * (path-style requests to the server's `ListObjectsV2` mount; its object_store retries on): time
 * (its own measure of `DeltaTable(uri)` + `get_add_actions()`), requests, bytes, and right opens
 * (same version, files, total size). Without the venv the delta-rs columns are skipped with the reason.
 *
 *   node bin/run-ts.mjs bench/suites/network.ts [--opens N]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLogSegment } from '../../src/delta/log/listing.ts';
import { HttpStore } from '../../src/delta/storage/http.ts';
import { NodeFsStore } from '../../src/delta/storage/node-fs.ts';
import { DEFAULT_RETRY_POLICY, setRetryPolicy } from '../../src/delta/storage/retry.ts';
import { DeltaTable } from '../../src/delta/table.ts';
import { startStaticServer } from '../../src/server/static.ts';
import { FIXTURES } from '../../test/fixtures.ts';
import { startFaultProxy } from '../../test/fault-proxy.ts';
import type { ResultRow } from '../lib/report.ts';
import { PeerWorker, peersVenv, type PeerAnswer } from './peers.ts';

/** Tables opened (small real fixtures: classic checkpoint, V2 with sidecars, deletion vectors, many commits). */
export const NETWORK_TABLES = ['simple_table_with_checkpoint', 'v2-checkpoints-parquet-with-sidecars', 'table_with_deletion_logs', 'checkpoints'];

async function summary(t: DeltaTable) {
  const s = await t.snapshot();
  const keys: string[] = [];
  s.files.forEach((b, r) => keys.push(b.key(r)));
  return JSON.stringify({ v: s.version, k: keys.sort(), size: s.totals.sizeInBytes, n: s.totals.numRecords });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/** The version, files, total size and records of a snapshot, in the form delta-rs answers them. */
async function peerForm(t: DeltaTable): Promise<string> {
  const s = await t.snapshot();
  const paths: string[] = [];
  s.files.forEach((b, r) => paths.push(decodeURIComponent(b.path[r])));
  return JSON.stringify([s.version, s.totals.sizeInBytes, paths.sort()]);
}

/** The same form from delta-rs's answer (`rs_open_remote`). */
function peerAnswerForm(a: PeerAnswer): string {
  const [version, size, , paths] = a.result![0] as [number, number, number, string[]];
  return JSON.stringify([version, size, paths.map((p) => decodeURIComponent(p)).sort()]);
}

/** Opens of one cell: how many, how they ended, medians of time (ms), requests and bytes. */
interface OpenCounts {
  opens: number;
  correct: number;
  failed: number;
  wrong: number;
  medianMs: number;
  medianRequests: number;
  medianBytes: number;
}

/** delta-rs's numbers in one cell (retries on). */
export interface PeerCell extends OpenCounts {
  /** The first error delta-rs gave, when an open failed. */
  firstError?: string;
}

/** One cell's numbers. */
export interface NetworkCell extends OpenCounts {
  table: string;
  rttMs: number;
  rate: number;
  retries: boolean;
  neededBytes: number;
  /** delta-rs through the same proxy settings (retries cells only, when the peers' venv is there). */
  peer?: PeerCell;
}

/**
 * Runs the suite: every table at 50 and 300 ms round trip and 0%, 5%, 20% transient faults, with
 * and without retries (`opens` opens each).
 */
export async function runNetwork(opens = 8, log: (m: string) => void = () => undefined): Promise<{ rows: ResultRow[]; cells: NetworkCell[]; peerSkip?: string }> {
  const server = await startStaticServer({ mounts: [{ urlPrefix: '/t/', root: FIXTURES, dotfiles: true, listing: true }] });
  const cells: NetworkCell[] = [];
  const rows: ResultRow[] = [];
  const { venv, reason: peerSkip } = peersVenv();
  if (peerSkip) log(`network: delta-rs skipped: ${peerSkip}`);
  const peer = venv ? new PeerWorker(venv) : undefined;
  let peerWarm = false;
  /** `opens` delta-rs opens of `table` through a fresh proxy with these settings. */
  const peerCell = async (table: string, rttMs: number, rate: number, want: string): Promise<PeerCell> => {
    const proxy = await startFaultProxy({ target: server.url, latencyMs: rttMs, rate, seed: 1000 + Math.round(rate * 100) });
    const options = { AWS_ENDPOINT_URL: proxy.url, AWS_ALLOW_HTTP: 'true', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' };
    const ask = (o: object) => peer!.ask({ op: 'rs_open_remote', uri: `s3://t/${table}`, options: o });
    if (!peerWarm) {
      await ask(options).catch(() => undefined); // imports deltalake once, not timed
      peerWarm = true;
    }
    const cell: PeerCell = { opens, correct: 0, failed: 0, wrong: 0, medianMs: NaN, medianRequests: NaN, medianBytes: NaN };
    const times: number[] = [];
    const reqs: number[] = [];
    const bytes: number[] = [];
    for (let i = 0; i < opens; i++) {
      const before = proxy.requests.length;
      try {
        const a = await ask(options);
        if (peerAnswerForm(a) === want) cell.correct++;
        else cell.wrong++;
        times.push(a.ms);
      } catch (e) {
        cell.failed++;
        cell.firstError ??= (e as Error).message.slice(0, 300);
      }
      const mine = proxy.requests.slice(before);
      reqs.push(mine.length);
      bytes.push(mine.reduce((n, r) => n + r.bytes, 0));
    }
    await proxy.close();
    return { ...cell, medianMs: median(times), medianRequests: median(reqs), medianBytes: median(bytes) };
  };
  try {
    for (const table of NETWORK_TABLES) {
      const wantPeer = await peerForm(new DeltaTable(new NodeFsStore(join(FIXTURES, table))));
      const want = await summary(new DeltaTable(new NodeFsStore(join(FIXTURES, table))));
      const seg = await buildLogSegment(new NodeFsStore(join(FIXTURES, table)));
      const neededBytes = (seg.checkpoint?.parts ?? []).reduce((n, p) => n + p.sizeBytes, 0) + seg.deltas.reduce((n, d) => n + d.sizeBytes, 0);
      for (const rttMs of [50, 300]) {
        for (const rate of [0, 0.05, 0.2]) {
          for (const retries of [true, false]) {
            if (rate === 0 && !retries) continue;
            const proxy = await startFaultProxy({ target: server.url, latencyMs: rttMs, rate, seed: 1000 + Math.round(rate * 100) });
            setRetryPolicy(retries ? { ...DEFAULT_RETRY_POLICY } : { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 });
            const times: number[] = [];
            const reqs: number[] = [];
            const bytes: number[] = [];
            let correct = 0;
            let failed = 0;
            let wrong = 0;
            for (let i = 0; i < opens; i++) {
              const before = proxy.requests.length;
              const t0 = performance.now();
              try {
                const got = await summary(new DeltaTable(new HttpStore(`${proxy.url}/t/${table}`)));
                if (got === want) correct++;
                else wrong++;
                times.push(performance.now() - t0);
              } catch {
                failed++;
              }
              const mine = proxy.requests.slice(before);
              reqs.push(mine.length);
              bytes.push(mine.reduce((n, r) => n + r.bytes, 0));
            }
            await proxy.close();
            const cell: NetworkCell = { table, rttMs, rate, retries, opens, correct, failed, wrong, medianMs: median(times), medianRequests: median(reqs), medianBytes: median(bytes), neededBytes };
            cells.push(cell);
            log(`network ${table} rtt=${rttMs} faults=${rate * 100}% ${retries ? 'retries' : 'one attempt'}: ${correct}/${opens} right, ${wrong} wrong, ${Math.round(cell.medianMs)} ms, ${cell.medianRequests} requests, ${cell.medianBytes} bytes`);
            const c = `${table}, ${rttMs} ms RTT, ${rate * 100}% faults${retries ? '' : ', one attempt'}`;
            rows.push({ suite: 'network', case: c, metric: 'right opens', value: correct, unit: 'count', note: `of ${opens}; ${wrong} wrong, ${failed} failed` });
            if (retries && peer) {
              cell.peer = await peerCell(table, rttMs, rate, wantPeer);
              const p = cell.peer;
              log(`network ${table} rtt=${rttMs} faults=${rate * 100}% delta-rs: ${p.correct}/${opens} right, ${p.wrong} wrong, ${Math.round(p.medianMs)} ms, ${p.medianRequests} requests, ${p.medianBytes} bytes${p.firstError ? `; first error: ${p.firstError}` : ''}`);
              rows.push({ suite: 'network', case: c, metric: 'right opens: ours | delta-rs', value: correct, unit: 'count', floor: p.correct, note: `of ${opens} each; delta-rs ${p.wrong} wrong, ${p.failed} failed${p.firstError ? ` (${p.firstError.slice(0, 120)})` : ''}` });
              rows.push({ suite: 'network', case: c, metric: 'time to snapshot: ours ÷ delta-rs', value: Math.round(cell.medianMs), unit: 'ms', floor: Math.round(p.medianMs), ratio: cell.medianMs / p.medianMs });
              rows.push({ suite: 'network', case: c, metric: 'requests: ours ÷ delta-rs', value: cell.medianRequests, unit: 'count', floor: p.medianRequests, ratio: cell.medianRequests / p.medianRequests });
              rows.push({ suite: 'network', case: c, metric: 'bytes: ours ÷ delta-rs', value: cell.medianBytes, unit: 'bytes', floor: p.medianBytes, ratio: cell.medianBytes / p.medianBytes });
            }
            if (retries) {
              rows.push({ suite: 'network', case: c, metric: 'time to Overview', value: Math.round(cell.medianMs), unit: 'ms', note: `${(cell.medianMs / rttMs).toFixed(1)} round trips` });
              rows.push({ suite: 'network', case: c, metric: 'requests per open', value: cell.medianRequests, unit: 'count' });
              rows.push({ suite: 'network', case: c, metric: 'bytes per open', value: cell.medianBytes, unit: 'bytes', floor: neededBytes, ratio: cell.medianBytes / Math.max(1, neededBytes) });
            }
          }
        }
      }
    }
  } finally {
    setRetryPolicy({ ...DEFAULT_RETRY_POLICY });
    peer?.close();
    await server.close();
  }
  return { rows, cells, peerSkip };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { opens: { type: 'string', default: '8' } } });
  const { cells } = await runNetwork(Number(values.opens), (m) => console.error(m));
  console.log('| table | RTT | faults | retries | right | wrong | failed | time to Overview | rounds | requests | bytes | needed log bytes | delta-rs right | delta-rs time | delta-rs requests | delta-rs bytes |');
  console.log('|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|');
  const ms = (x: number) => (Number.isNaN(x) ? '–' : `${Math.round(x)} ms`);
  for (const c of cells) {
    const p = c.peer;
    console.log(`| ${c.table} | ${c.rttMs} ms | ${c.rate * 100}% | ${c.retries ? 'yes' : 'no (before)'} | ${c.correct}/${c.opens} | ${c.wrong} | ${c.failed} | ${ms(c.medianMs)} | ${Number.isNaN(c.medianMs) ? '–' : (c.medianMs / c.rttMs).toFixed(1)} | ${c.medianRequests} | ${c.medianBytes} | ${c.neededBytes} | ${p ? `${p.correct}/${p.opens}` : '–'} | ${p ? ms(p.medianMs) : '–'} | ${p ? p.medianRequests : '–'} | ${p ? p.medianBytes : '–'} |`);
  }
}
