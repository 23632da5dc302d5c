/**
 * Rows and bytes added/removed per version (Recharts, loaded with the History tab). Values come from
 * `operationMetrics` where the writer recorded them, else from the commit's actions (`HistoryRow`
 * bytes; rows are then unknown and shown as 0). Clicking a bar travels to that version.
 */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HistoryRow } from '../../workers/api.ts';
import { formatBytes, formatCount, niceByteTicks, niceTicks } from '../../explore/format.ts';

/** One bar group of the chart. */
export interface ChangePoint {
  version: number;
  rowsAdded: number;
  rowsRemoved: number;
  bytesAdded: number;
  bytesRemoved: number;
}

const num = (m: Record<string, unknown> | null, ...keys: string[]): number | undefined => {
  if (!m) return undefined;
  for (const k of keys) {
    const v = m[k];
    if (v === undefined || v === null || v === '') continue;
    const n = Number(v);
    if (Number.isFinite(n)) return n;
  }
  return undefined;
};

/** The rows and bytes a commit added and removed (metrics first, actions otherwise). */
export function changeOf(r: HistoryRow): ChangePoint {
  const m = r.operationMetrics;
  const inserted = num(m, 'numTargetRowsInserted');
  const updated = num(m, 'numTargetRowsUpdated', 'numUpdatedRows');
  const rowsAdded = num(m, 'numOutputRows') ?? (inserted !== undefined || updated !== undefined ? (inserted ?? 0) + (updated ?? 0) : undefined) ?? num(m, 'numAddedRows') ?? 0;
  const rowsRemoved = num(m, 'numDeletedRows', 'numTargetRowsDeleted', 'numRemovedRows') ?? 0;
  return {
    version: r.version,
    rowsAdded,
    rowsRemoved,
    bytesAdded: num(m, 'numOutputBytes', 'numAddedBytes') ?? r.bytesAdded,
    bytesRemoved: num(m, 'numRemovedBytes') ?? r.bytesRemoved,
  };
}

/** Most versions charted (the newest). */
const MAX_POINTS = 300;

export default function HistoryChart({ rows, current, onTravel }: { rows: HistoryRow[]; current: number; onTravel: (v: number) => void }) {
  const data = rows
    .slice(0, MAX_POINTS)
    .map(changeOf)
    .sort((a, b) => a.version - b.version)
    .map((p) => ({ ...p, rowsRemovedNeg: -p.rowsRemoved, bytesRemovedNeg: -p.bytesRemoved }));
  const click = (d: { payload?: { version?: number } }) => {
    const v = d.payload?.version;
    if (typeof v === 'number' && v !== current) onTravel(v);
  };
  const axisColor = 'var(--muted)';
  // Symmetric round ticks (the bars go up for added, down for removed).
  const rowTicks = niceTicks(Math.max(1, ...data.map((d) => Math.max(d.rowsAdded, d.rowsRemoved))), 4, true);
  const byteTicks = niceByteTicks(Math.max(1, ...data.map((d) => Math.max(d.bytesAdded, d.bytesRemoved))));
  const both = (t: number[]) => [...t.slice(1).map((x) => -x).reverse(), ...t];
  const anyRemoved = (k: 'rowsRemoved' | 'bytesRemoved') => data.some((d) => d[k] > 0);
  const last = data.slice(-20);
  const rowsAlt = `Rows added and removed per version, the last ${last.length} of ${data.length}: ${last.map((d) => `v${d.version} +${formatCount(d.rowsAdded)} −${formatCount(d.rowsRemoved)}`).join('; ')}.`;
  const bytesAlt = `Bytes added and removed per version, the last ${last.length} of ${data.length}: ${last.map((d) => `v${d.version} +${formatBytes(d.bytesAdded)} −${formatBytes(d.bytesRemoved)}`).join('; ')}.`;
  return (
    <div className="history-charts" data-testid="history-chart">
      <figure>
        <figcaption className="small muted">Rows added / removed per version{rows.length > MAX_POINTS ? ` (newest ${MAX_POINTS})` : ''}</figcaption>
        <div role="img" aria-label={rowsAlt} data-testid="history-chart-alt">
        <ResponsiveContainer width="100%" height={180}>
          <BarChart accessibilityLayer={false} data={data} stackOffset="sign" margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="version" stroke={axisColor} tick={{ fontSize: 11 }} />
            <YAxis
              stroke={axisColor}
              tick={{ fontSize: 11 }}
              ticks={anyRemoved('rowsRemoved') ? both(rowTicks) : rowTicks}
              domain={[anyRemoved('rowsRemoved') ? -rowTicks[rowTicks.length - 1] : 0, rowTicks[rowTicks.length - 1]]}
              tickFormatter={(v: number) => formatCount(Math.abs(v))}
              width={64}
            />
            <Tooltip
              cursor={{ fill: 'var(--hover)' }}
              labelStyle={{ color: 'var(--text)' }}
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }}
              labelFormatter={(v) => `Version ${String(v)}`}
              formatter={(v) => formatCount(Math.abs(Number(v)))}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="rowsAdded" name="rows added" stackId="r" fill="var(--chart-add)" onClick={click} cursor="pointer" isAnimationActive={false} />
            <Bar dataKey="rowsRemovedNeg" name="rows removed" stackId="r" fill="var(--chart-remove)" onClick={click} cursor="pointer" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
        </div>
      </figure>
      <figure>
        <figcaption className="small muted">Bytes added / removed per version</figcaption>
        <div role="img" aria-label={bytesAlt}>
        <ResponsiveContainer width="100%" height={180}>
          <BarChart accessibilityLayer={false} data={data} stackOffset="sign" margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="version" stroke={axisColor} tick={{ fontSize: 11 }} />
            <YAxis
              stroke={axisColor}
              tick={{ fontSize: 11 }}
              ticks={anyRemoved('bytesRemoved') ? both(byteTicks) : byteTicks}
              domain={[anyRemoved('bytesRemoved') ? -byteTicks[byteTicks.length - 1] : 0, byteTicks[byteTicks.length - 1]]}
              tickFormatter={(v: number) => formatBytes(Math.abs(v))}
              width={64}
            />
            <Tooltip
              cursor={{ fill: 'var(--hover)' }}
              labelStyle={{ color: 'var(--text)' }}
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }}
              labelFormatter={(v) => `Version ${String(v)}`}
              formatter={(v) => formatBytes(Math.abs(Number(v)))}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="bytesAdded" name="bytes added" stackId="b" fill="var(--chart-add)" onClick={click} cursor="pointer" isAnimationActive={false} />
            <Bar dataKey="bytesRemovedNeg" name="bytes removed" stackId="b" fill="var(--chart-remove)" onClick={click} cursor="pointer" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
        </div>
      </figure>
    </div>
  );
}
