/**
 * Log replay in Node: time to snapshot and to the Overview summaries against floors measured in
 * the same run, and peak memory against the size of the state the snapshot keeps.
 *
 * Floors:
 * - JSON: read the same commit files (same concurrency) and `JSON.parse` every line.
 * - Parquet: parquet-wasm decoding (streamed record batches to Arrow, `tableFromIPC`) of exactly
 *   the checkpoint columns the snapshot reads (`checkpointColumns`), every part / sidecar, all in
 *   parallel; plus the JSON floor of the commits after the checkpoint.
 */
import { openAsBlob, promises as fs, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { partitionAggregates, sizeHistogram } from '../../src/delta/aggregates.ts';
import { checkpointColumns } from '../../src/delta/log/checkpoint-reader.ts';
import { buildLogSegment, LOG_DIR } from '../../src/delta/log/listing.ts';
import { parquetWasm, STREAM_BATCH_ROWS } from '../../src/delta/parquet.ts';
import { loadSnapshot, mapLimit, type Snapshot } from '../../src/delta/snapshot.ts';
import { NodeFsStore } from '../../src/delta/storage/node-fs.ts';
import { gc, paired, runChild } from '../lib/measure.ts';
import type { ResultRow } from '../lib/report.ts';

export interface ReplayCase {
  name: string;
  dir: string;
  /** What the table is, for the report. */
  description: string;
}

export interface ReplayResult {
  case: ReplayCase;
  numFiles: number;
  snapshot: { ms: number; floorMs: number; ratio: number; cpuMs: number; floorCpuMs: number; cpuRatio: number };
  overview: { ms: number; ratio: number; cpuMs: number; cpuRatio: number };
  memory: { peakGrowthBytes: number; stateBytes: number; ratio: number; upperBound: boolean };
  floorKind: string;
}

const decoder = new TextDecoder();
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

/** The commit files and checkpoint files (parts, sidecars) the latest snapshot reads. */
async function logFiles(dir: string): Promise<{ commits: string[]; parquet: string[]; jsonCheckpoint: string[] }> {
  const seg = await buildLogSegment(new NodeFsStore(dir), {});
  const commits = seg.deltas.map((d) => d.path);
  const parquet: string[] = [];
  const jsonCheckpoint: string[] = [];
  for (const p of seg.checkpoint?.parts ?? []) (p.path.endsWith('.json') ? jsonCheckpoint : parquet).push(p.path);
  if (seg.checkpoint?.kind === 'v2') {
    let names: string[] = [];
    try {
      names = readdirSync(join(dir, LOG_DIR, '_sidecars')).filter((n) => n.endsWith('.parquet'));
    } catch {
      /* no sidecars */
    }
    for (const n of names) parquet.push(`${LOG_DIR}_sidecars/${n}`);
  }
  return { commits, parquet, jsonCheckpoint };
}

/** Reads files and `JSON.parse`s every line (the JSON floor). */
async function jsonFloor(dir: string, files: string[]): Promise<number> {
  let lines = 0;
  await mapLimit(files, 8, async (f) => {
    const text = decoder.decode(await fs.readFile(join(dir, f)));
    let s = 0;
    while (s < text.length) {
      let e = text.indexOf('\n', s);
      if (e < 0) e = text.length;
      if (e > s) {
        JSON.parse(text.slice(s, e));
        lines++;
      }
      s = e + 1;
    }
  });
  return lines;
}

/**
 * Decodes the projected checkpoint columns of every parquet file with parquet-wasm, streamed in
 * record batches of the size the reader uses, each turned into an Arrow table (the parquet floor).
 */
async function parquetFloor(dir: string, files: string[]): Promise<number> {
  const pw = await parquetWasm();
  let rows = 0;
  await Promise.all(
    files.map(async (f) => {
      const file = await pw.ParquetFile.fromFile(await openAsBlob(join(dir, f)));
      const schema = tableFromIPC(file.schema().intoIPCStream()).schema;
      const reader = (await file.stream({ columns: checkpointColumns(schema), batchSize: STREAM_BATCH_ROWS })).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        rows += tableFromIPC((value as { intoIPCStream(): Uint8Array }).intoIPCStream()).numRows;
      }
      file.free();
    }),
  );
  return rows;
}

/** Snapshot plus the Overview summaries (totals, per-partition aggregates, size histogram). */
export function overviewOf(snap: Snapshot): unknown {
  return { totals: snap.totals, partitions: partitionAggregates(snap), sizes: sizeHistogram(snap) };
}

export async function runReplayCase(c: ReplayCase, runs: number, log: (m: string) => void): Promise<ReplayResult> {
  const files = await logFiles(c.dir);
  const floor = async () => {
    if (files.parquet.length) await parquetFloor(c.dir, files.parquet);
    await jsonFloor(c.dir, [...files.jsonCheckpoint, ...files.commits]);
  };
  const floorKind = files.parquet.length ? `parquet-wasm projected decode of ${files.parquet.length} file(s) + JSON.parse of ${files.commits.length} commit(s)` : `JSON.parse of ${files.commits.length} commit(s)`;
  let snap: Snapshot | undefined;
  log(`  ${c.name}: snapshot vs floor, ${runs} runs`);
  const s = await paired(
    runs,
    floor,
    async () => {
      snap = await loadSnapshot(new NodeFsStore(c.dir));
    },
    { between: () => gc() },
  );
  const numFiles = snap!.files.length;
  snap = undefined;
  gc();
  log(`  ${c.name}: Overview (snapshot + summaries) vs floor`);
  const o = await paired(
    Math.max(2, Math.ceil(runs / 2)),
    floor,
    async () => {
      const sn = await loadSnapshot(new NodeFsStore(c.dir));
      overviewOf(sn);
    },
    { between: () => gc(), warmup: 0 },
  );
  log(`  ${c.name}: peak memory (fresh process)`);
  const mem = await runChild<{ peakGrowthBytes: number; stateBytes: number; peakIsUpperBound: boolean }>(['mem', c.dir]);
  return {
    case: c,
    numFiles,
    snapshot: { ms: s.subjectMs, floorMs: s.floorMs, ratio: s.ratio, cpuMs: s.subjectCpuMs, floorCpuMs: s.floorCpuMs, cpuRatio: s.cpuRatio },
    overview: { ms: o.subjectMs, ratio: o.ratio, cpuMs: o.subjectCpuMs, cpuRatio: o.cpuRatio },
    memory: { peakGrowthBytes: mem.peakGrowthBytes, stateBytes: mem.stateBytes, ratio: mem.peakGrowthBytes / Math.max(1, mem.stateBytes), upperBound: mem.peakIsUpperBound },
    floorKind,
  };
}

export function replayRows(suite: string, r: ReplayResult): ResultRow[] {
  const name = r.case.name;
  return [
    { suite, case: name, metric: 'active files', value: r.numFiles, unit: 'count', note: r.case.description },
    {
      suite,
      case: name,
      metric: 'snapshot (CPU)',
      value: r.snapshot.cpuMs,
      unit: 'ms',
      floor: r.snapshot.floorCpuMs,
      ratio: r.snapshot.cpuRatio,
      note: `floor: ${r.floorKind}; wall ${fmt(r.snapshot.ms)} vs ${fmt(r.snapshot.floorMs)} = ${r.snapshot.ratio.toFixed(2)}x`,
    },
    {
      suite,
      case: name,
      metric: 'Overview summaries (CPU)',
      value: r.overview.cpuMs,
      unit: 'ms',
      ratio: r.overview.cpuRatio,
      note: `snapshot + totals + per-partition aggregates + size histogram, ratio vs the same floor; wall ${fmt(r.overview.ms)} = ${r.overview.ratio.toFixed(2)}x`,
    },
    {
      suite,
      case: name,
      metric: 'peak memory',
      value: r.memory.peakGrowthBytes,
      unit: 'bytes',
      floor: r.memory.stateBytes,
      ratio: r.memory.ratio,
      note: `peak RSS growth during load (fresh process)${r.memory.upperBound ? ', upper bound' : ''}; floor = heap + ArrayBuffers the snapshot keeps`,
    },
  ];
}
