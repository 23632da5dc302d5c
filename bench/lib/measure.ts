/**
 * Timing on a shared, noisy machine: each run times the floor and then the subject back to back,
 * and the reported ratio is the median over runs of subject / floor (noise that slows a whole run
 * slows both). Both wall-clock time and this process's CPU time (user + system, all its threads)
 * are recorded: on a machine where other jobs compete for the cores, CPU time is what our code
 * costs and wall time mostly says how busy the machine was. Absolute times are for reference.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Sample {
  floorMs: number;
  subjectMs: number;
  floorCpuMs: number;
  subjectCpuMs: number;
}

export interface Paired {
  /** Median wall time. */
  floorMs: number;
  subjectMs: number;
  bestFloorMs: number;
  bestSubjectMs: number;
  /** Median CPU time. */
  floorCpuMs: number;
  subjectCpuMs: number;
  /** Median of the per-run wall-time ratios. */
  ratio: number;
  /** Median of the per-run CPU-time ratios. */
  cpuRatio: number;
  runs: number;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Wall and CPU time of one call of an async function, ms. */
export async function timeIt<T>(fn: () => Promise<T> | T): Promise<{ ms: number; cpuMs: number; value: T }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const ms = performance.now() - t;
  const d = process.cpuUsage(c);
  return { ms, cpuMs: (d.user + d.system) / 1000, value };
}

/**
 * Runs `warmup` unmeasured rounds, then `runs` rounds of (floor, subject), and summarises.
 * `between` runs after each call (e.g. to drop references so the next call starts clean).
 */
export async function paired(runs: number, floor: () => Promise<unknown>, subject: () => Promise<unknown>, options: { warmup?: number; between?: () => void } = {}): Promise<Paired> {
  for (let w = 0; w < (options.warmup ?? 1); w++) {
    await floor();
    options.between?.();
    await subject();
    options.between?.();
  }
  const samples: Sample[] = [];
  for (let r = 0; r < runs; r++) {
    const f = await timeIt(floor);
    options.between?.();
    const s = await timeIt(subject);
    options.between?.();
    samples.push({ floorMs: f.ms, subjectMs: s.ms, floorCpuMs: f.cpuMs, subjectCpuMs: s.cpuMs });
  }
  return {
    floorMs: median(samples.map((s) => s.floorMs)),
    subjectMs: median(samples.map((s) => s.subjectMs)),
    bestFloorMs: Math.min(...samples.map((s) => s.floorMs)),
    bestSubjectMs: Math.min(...samples.map((s) => s.subjectMs)),
    floorCpuMs: median(samples.map((s) => s.floorCpuMs)),
    subjectCpuMs: median(samples.map((s) => s.subjectCpuMs)),
    ratio: median(samples.map((s) => s.subjectMs / s.floorMs)),
    cpuRatio: median(samples.map((s) => s.subjectCpuMs / s.floorCpuMs)),
    runs,
  };
}

/** Forces a full GC when the process runs with `--expose-gc` (a no-op otherwise). */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Runs `bench/child.ts <args>` in a fresh Node process (with `--expose-gc`) and returns its JSON answer. */
export function runChild<T>(args: string[], options: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<T> {
  const child = fileURLToPath(new URL('../child.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', ...(options.nodeArgs ?? []), '--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`bench child ${args.join(' ')} exited ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`));
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`bench child ${args.join(' ')} printed no JSON: ${out.slice(-500)} ${err.slice(-500)}`));
      }
    });
  });
}

export const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
export const fmtMB = (bytes: number): string => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(0)} MB`);
