/**
 * Rows per change type per version as a stacked bar chart (Recharts). The default export lets the
 * Changes view load it (and Recharts) lazily, with the first result.
 */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChangeVersionSummary } from '../../workers/api.ts';

/** The four change types, in stacking order, with their colours. */
export const CHANGE_SERIES = [
  { key: 'insert', label: 'insert', color: '#2e9e5b' },
  { key: 'update_preimage', label: 'update_preimage', color: '#e0a100' },
  { key: 'update_postimage', label: 'update_postimage', color: '#1f6feb' },
  { key: 'delete', label: 'delete', color: '#d1453b' },
] as const;

export default function ChangesChart({ summary }: { summary: ChangeVersionSummary[] }) {
  const data = summary.map((s) => ({
    version: `v${s.version}`,
    insert: s.rows.insert,
    update_preimage: s.rows.update_preimage,
    update_postimage: s.rows.update_postimage,
    delete: s.rows.delete,
  }));
  return (
    <div
      className="changes-chart"
      data-testid="changes-chart"
      role="img"
      aria-label={`Rows per change type per version: ${summary
        .slice(-30)
        .map((s) => `v${s.version} ${CHANGE_SERIES.map((c) => `${c.label} ${s.rows[c.key]}`).join(', ')}`)
        .join('; ')}.`}
    >
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="version" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
          <Tooltip cursor={{ fill: 'var(--hover)' }} contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }} labelStyle={{ color: 'var(--text)' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          {CHANGE_SERIES.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} stackId="rows" fill={s.color} isAnimationActive={false} maxBarSize={48} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
