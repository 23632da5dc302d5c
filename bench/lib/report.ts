/** Result rows, targets and the text/markdown rendering of a benchmark run. */

export interface ResultRow {
  suite: string;
  case: string;
  metric: string;
  /** Median (time) or single measurement. */
  value: number;
  unit: 'ms' | 'bytes' | 'count' | 'x';
  /** The floor measured in the same run, same unit. */
  floor?: number;
  /** value / floor (median of per-run ratios for times). */
  ratio?: number;
  note?: string;
}

export interface TargetResult {
  target: string;
  /** The measured ratio (or value) checked against `limit`. */
  measured: number | null;
  limit: number;
  unit: 'x' | 'ms' | 'bytes' | 'count';
  met: boolean | null;
  /** Which case it was measured on, or why it was skipped. */
  detail: string;
}

export interface Skipped {
  suite: string;
  reason: string;
}

export interface BenchReport {
  machine: { nproc: number; memoryBytes: number; node: string; date: string; platform: string; loadAverage: number[] };
  mode: 'full' | 'quick';
  durationMs: number;
  rows: ResultRow[];
  targets: TargetResult[];
  skipped: Skipped[];
}

const fmtValue = (v: number, unit: ResultRow['unit']): string => {
  if (unit === 'ms') return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
  if (unit === 'bytes') return v >= 1e9 ? `${(v / 1e9).toFixed(2)} GB` : `${(v / 1e6).toFixed(1)} MB`;
  if (unit === 'x') return `${v.toFixed(2)}x`;
  return String(Math.round(v));
};

/** The results as a markdown table (also readable as plain text). */
export function markdown(report: BenchReport): string {
  const m = report.machine;
  const lines: string[] = [];
  lines.push(
    `Machine: ${m.nproc} cores, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, Node ${m.node}, ${m.platform}; ${m.date}; load average at start ${m.loadAverage.map((x) => x.toFixed(1)).join(' ')}; mode ${report.mode}, ${(report.durationMs / 1000).toFixed(0)} s.`,
  );
  lines.push('');
  lines.push('| Suite | Case | Metric | Value | Floor | Ratio | Note |');
  lines.push('|---|---|---|---:|---:|---:|---|');
  for (const r of report.rows) {
    lines.push(
      `| ${r.suite} | ${r.case} | ${r.metric} | ${fmtValue(r.value, r.unit)} | ${r.floor !== undefined ? fmtValue(r.floor, r.unit) : ''} | ${r.ratio !== undefined ? `${r.ratio.toFixed(2)}x` : ''} | ${r.note ?? ''} |`,
    );
  }
  lines.push('');
  lines.push('| Target | Limit | Measured | Met | Where / why |');
  lines.push('|---|---:|---:|:---:|---|');
  for (const t of report.targets) {
    const measured = t.measured === null ? '—' : t.unit === 'x' ? `${t.measured.toFixed(2)}x` : fmtValue(t.measured, t.unit);
    const limit = t.unit === 'x' ? `${t.limit}x` : fmtValue(t.limit, t.unit);
    lines.push(`| ${t.target} | ${limit} | ${measured} | ${t.met === null ? 'skipped' : t.met ? 'yes' : 'NO'} | ${t.detail} |`);
  }
  if (report.skipped.length) {
    lines.push('');
    for (const s of report.skipped) lines.push(`- Skipped **${s.suite}**: ${s.reason}`);
  }
  return lines.join('\n');
}
