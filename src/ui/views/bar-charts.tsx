/**
 * The Recharts bar charts of the Files and Partitions tabs, in a chunk of their own: loaded with
 * `React.lazy` when a chart is first shown, so Recharts (and its Redux store, d3) is not parsed
 * and evaluated at start-up, when the first view of a table never shows a chart.
 */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { FileSizeHistogram } from '../../workers/api.ts';
import { formatBytes, formatCount, niceByteTicks, niceTicks } from '../../explore/format.ts';

/** Files per size bin (bins double in size), 180 px high. */
export function SizeHistogramChart({ data }: { data: FileSizeHistogram }) {
  const bars = data.bins.map((b) => ({ name: `${formatBytes(b.startBytes)}–${formatBytes(b.endBytes)}`, short: formatBytes(b.startBytes), files: b.count, bytes: b.totalBytes }));
  const ticks = niceTicks(Math.max(1, ...bars.map((b) => b.files)), 4, true);
  const alt = `Files per size range: ${bars.map((b) => `${b.name}: ${formatCount(b.files)}`).join('; ')}.`;
  return (
    <div role="img" aria-label={alt} data-testid="size-histogram-chart">
    <ResponsiveContainer width="100%" height={180}>
      <BarChart data={bars} margin={{ left: 8, right: 16, top: 4, bottom: 4 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="short" fontSize={11} />
        <YAxis allowDecimals={false} fontSize={11} width={48} ticks={ticks} domain={[0, ticks[ticks.length - 1]]} tickFormatter={(v: number) => formatCount(v)} />
        <Tooltip cursor={{ fill: 'var(--hover)' }} contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }} labelStyle={{ color: 'var(--text)' }} labelFormatter={(_l, p) => String((p?.[0]?.payload as { name?: string } | undefined)?.name ?? '')} formatter={(v) => formatCount(Number(v))} />
        <Bar dataKey="files" name="Files" fill="#1f6feb" maxBarSize={56} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
    </div>
  );
}

/** Horizontal bars of `bytes` per partition `name` (labels cut at 28 characters), `height` px high. */
export function PartitionBytesChart({ data, height }: { data: { name: string; bytes: number }[]; height: number }) {
  const ticks = niceByteTicks(Math.max(1, ...data.map((d) => d.bytes)));
  const alt = `Size per partition${data.length > 30 ? `, the first 30 of ${data.length}` : ''}: ${data
    .slice(0, 30)
    .map((d) => `${d.name}: ${formatBytes(d.bytes)}`)
    .join('; ')}.`;
  return (
    <div role="img" aria-label={alt} data-testid="partition-bytes-chart">
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" ticks={ticks} domain={[0, ticks[ticks.length - 1]]} tickFormatter={(v: number) => formatBytes(v)} fontSize={11} />
        <YAxis type="category" dataKey="name" width={180} fontSize={11} interval={0} tickFormatter={(v: string) => (v.length > 28 ? `${v.slice(0, 27)}…` : v)} />
        <Tooltip cursor={{ fill: 'var(--hover)' }} contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }} labelStyle={{ color: 'var(--text)' }} formatter={(v) => formatBytes(Number(v))} />
        <Bar dataKey="bytes" name="Size" fill="#1f6feb" maxBarSize={28} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
    </div>
  );
}
