/** Display formatting shared by the views. Deterministic (no locale surprises): tests read these strings. */

/** `1234567` → `1,234,567`. */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A byte count in the largest binary unit it reaches: `{ value, unit }` with `unit` one of
 * B, KiB, MiB, GiB, TiB, PiB (`value` is `bytes` itself for B). For finite numbers.
 */
export function binaryScale(bytes: number): { value: number; unit: string } {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return { value: v, unit: units[u] };
}

/** Bytes in binary units: `0 B`, `10.3 KiB`, `1.50 GiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const { value: v, unit } = binaryScale(bytes);
  if (unit === 'B') return `${v} B`;
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${unit}`;
}

/** ms since the epoch → ISO 8601 UTC to the second, `2024-05-01T12:00:00Z`; `—` for null or NaN. */
export function formatTimestamp(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A duration in ms → `850 ms`, `2.4 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `1 commit`, `2 commits` (English plural by `s`, or the given plural). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : many}`;
}

/** How long ago (or ahead) `ms` is from `nowMs`: `just now`, `5 minutes ago`, `3 days ago`, `in 2 hours`. */
export function formatRelative(ms: number | null | undefined, nowMs: number = Date.now()): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const diff = nowMs - ms;
  const abs = Math.abs(diff);
  if (abs < 45_000) return 'just now';
  const steps: [number, string][] = [
    [60_000, 'minute'],
    [3_600_000, 'hour'],
    [86_400_000, 'day'],
    [30 * 86_400_000, 'month'],
    [365 * 86_400_000, 'year'],
  ];
  let unit = steps[0];
  for (const s of steps) if (abs >= s[0] * 0.95) unit = s;
  const n = Math.max(1, Math.round(abs / unit[0]));
  const text = plural(n, unit[1]);
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

/** Relative and absolute: `3 days ago · 2024-05-01T12:00:00Z`. */
export function formatWhen(ms: number | null | undefined, nowMs: number = Date.now()): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return `${formatRelative(ms, nowMs)} · ${formatTimestamp(ms)}`;
}

/** A ratio as a percentage: `0.5` → `50%`, `0.012` → `1.2%`. */
export function formatPercent(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const p = x * 100;
  return `${p > 0 && p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

/** ms since the epoch → ISO 8601 UTC to the second, `2024-05-01T12:00:00Z` (milliseconds when not zero); `—` for null or NaN. */
export function formatIso(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * Round axis ticks for a byte scale from 0 to at least `max`: steps of 1, 2, 2.5 or 5 × a power of
 * ten of the binary unit that fits (`0, 25 GiB, 50 GiB, 75 GiB`, never `27.9, 55.9, 83.8 GiB`), at
 * most `count + 1` ticks. Feed them to the axis as `ticks`, and the last as the domain's end.
 */
export function niceByteTicks(max: number, count = 4): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0];
  const unit = 1024 ** Math.min(5, Math.max(0, Math.floor(Math.log(max) / Math.log(1024))));
  return niceTicks(max / unit, count).map((t) => t * unit);
}

/**
 * Round ticks from 0 to at least `max` in steps of 1, 2, 2.5 or 5 × 10^k, at most `count + 1`
 * ticks; with `integer` (counts), only whole steps.
 */
export function niceTicks(max: number, count = 4, integer = false): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0];
  const raw = integer ? Math.max(1, max / count) : max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10]
    .map((m) => m * pow)
    .filter((x) => !integer || Number.isInteger(x))
    .find((x) => x >= raw)!;
  const ticks: number[] = [];
  for (let t = 0; t < max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}
