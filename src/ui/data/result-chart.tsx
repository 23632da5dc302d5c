/**
 * A chart of a query result (issue #13 item 5): bar, line or scatter (Recharts), X, Y and an
 * optional series column picked from the result's columns (`chart-data.ts` builds the points).
 * Charts the rows the panel has (the first 1,000) and, for a result held in the worker, fetches up
 * to {@link MAX_CHART_ROWS} rows in pages. Text alternative: the chart sits in a `role="img"` box
 * whose label is the summary (what is plotted, how many points, the range of Y), and the plotted
 * values can be opened as a table. Recharts' keyboard layer is off (axe: focusable content inside
 * an image). Loaded lazily with Recharts when the user opens the chart.
 */
import { useEffect, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ResultColumn } from '../../workers/api.ts';
import { formatCount } from '../../explore/format.ts';
import type { ExplorerClient } from '../worker-client.ts';
import { buildChart, defaultSpec, isNumericColumn, seriesKey, xText, type ChartKind, type ChartSpec } from './chart-data.ts';
import type { TextRows } from './decode.ts';

/** Most rows charted (fetched from the held result in pages). */
export const MAX_CHART_ROWS = 20_000;
const PAGE = 5_000;
/** Rows of the plotted values shown in the data table. */
const TABLE_ROWS = 200;

const COLORS = ['var(--chart-add)', 'var(--chart-remove)', '#12b76a', '#f79009', '#9e77ed', '#ee46bc', '#2e90fa', '#667085', '#b692f6', '#fdb022', '#3cb371', '#d92d20'];

export interface ResultChartProps {
  client?: ExplorerClient;
  resultId?: string;
  columns: ResultColumn[];
  numRows: number;
  /** The rows on hand (the result's first rows, in order). */
  firstRows: TextRows;
}

export default function ResultChart({ client, resultId, columns, numRows, firstRows }: ResultChartProps) {
  const [spec, setSpec] = useState<ChartSpec | null>(() => defaultSpec(columns));
  const [rows, setRows] = useState<TextRows>(firstRows);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // More rows than the panel holds: fetch them from the held result (natural order).
  useEffect(() => {
    setRows(firstRows);
    setProblem(null);
    const want = Math.min(numRows, MAX_CHART_ROWS);
    if (!client || !resultId || firstRows.length >= want) return;
    let live = true;
    setLoading(true);
    (async () => {
      const all: TextRows = [];
      for (let offset = 0; offset < want; offset += PAGE) {
        const page = await client.resultPage(resultId, { offset, limit: Math.min(PAGE, want - offset) });
        all.push(...page.rows);
        if (page.rows.length === 0) break;
      }
      if (live) setRows(all);
    })()
      .catch((e: unknown) => live && setProblem(`Only the first ${formatCount(firstRows.length)} rows are charted: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [client, resultId, numRows, firstRows]);

  const data = useMemo(() => (spec ? buildChart(columns, rows, spec, numRows) : null), [columns, rows, spec, numRows]);

  if (!spec || !data) {
    return (
      <p className="muted small" data-testid="chart-none">
        No column of this result holds numbers, so there is nothing to chart.
      </p>
    );
  }
  const set = (patch: Partial<ChartSpec>) => setSpec({ ...spec, ...patch });
  const pick = (label: string, value: number | null, onChange: (v: number | null) => void, testId: string, options: number[], none?: string) => (
    <label>
      {label}{' '}
      <select value={value === null ? '' : String(value)} onChange={(e) => onChange(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))} data-testid={testId}>
        {none !== undefined && <option value="">{none}</option>}
        {options.map((i) => (
          <option key={i} value={i}>
            {columns[i].name}
          </option>
        ))}
      </select>
    </label>
  );
  const all = columns.map((_, i) => i);
  const numeric = all.filter((i) => isNumericColumn(columns[i]));
  const tick = (v: number | string) => xText(v, data.xKind);
  const axis = 'var(--muted)';
  // Bars stand on categories (one slot per X); lines and points on a number or time scale.
  const numberAxis = data.xKind !== 'category' && spec.kind !== 'bar';
  const tooltip = {
    labelStyle: { color: 'var(--text)' },
    contentStyle: { background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' },
  };
  const xAxis = (
    <XAxis
      dataKey="x"
      type={numberAxis ? 'number' : 'category'}
      domain={numberAxis ? ['dataMin', 'dataMax'] : undefined}
      tickFormatter={tick}
      stroke={axis}
      tick={{ fontSize: 11 }}
      name={columns[spec.x].name}
    />
  );
  const yAxis = <YAxis stroke={axis} tick={{ fontSize: 11 }} width={72} name={columns[spec.y].name} tickFormatter={(v: number) => formatCount(v)} />;
  let chart;
  if (spec.kind === 'scatter') {
    chart = (
      <ScatterChart accessibilityLayer={false} margin={{ top: 8, right: 16, left: 8, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        {xAxis}
        <YAxis dataKey="y" type="number" stroke={axis} tick={{ fontSize: 11 }} width={72} name={columns[spec.y].name} tickFormatter={(v: number) => formatCount(v)} />
        <Tooltip {...tooltip} cursor={{ strokeDasharray: '3 3' }} formatter={(v, name) => [name === columns[spec.x].name ? tick(v as number) : String(v), name]} />
        {data.series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
        {data.scatter.map((s, i) => (
          <Scatter key={s.name} name={s.name} data={s.points} fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
        ))}
      </ScatterChart>
    );
  } else if (spec.kind === 'line') {
    chart = (
      <LineChart accessibilityLayer={false} data={data.points} margin={{ top: 8, right: 16, left: 8, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        {xAxis}
        {yAxis}
        <Tooltip {...tooltip} labelFormatter={(v) => tick(v as number | string)} />
        {data.series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
        {data.series.map((s, i) => (
          <Line key={s} type="linear" dataKey={seriesKey(i)} name={s} stroke={COLORS[i % COLORS.length]} dot={data.points.length <= 60} connectNulls isAnimationActive={false} />
        ))}
      </LineChart>
    );
  } else {
    chart = (
      <BarChart accessibilityLayer={false} data={data.points} margin={{ top: 8, right: 16, left: 8, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        {xAxis}
        {yAxis}
        <Tooltip {...tooltip} cursor={{ fill: 'var(--hover)' }} labelFormatter={(v) => tick(v as number | string)} />
        {data.series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
        {data.series.map((s, i) => (
          <Bar key={s} dataKey={seriesKey(i)} name={s} fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
        ))}
      </BarChart>
    );
  }
  const tableRows =
    spec.kind === 'scatter'
      ? data.scatter.flatMap((s) => s.points.map((p) => [xText(p.x, data.xKind), s.name, String(p.y)]))
      : data.points.flatMap((p) => data.series.flatMap((s, i) => (typeof p[seriesKey(i)] === 'number' ? [[xText(p.x, data.xKind), s, String(p[seriesKey(i)])]] : [])));
  return (
    <div className="result-chart" data-testid="result-chart" data-kind={spec.kind} data-points={tableRows.length} data-rows={data.rowsUsed} data-skipped={data.skipped}>
      <div className="chart-controls">
        <label>
          Chart{' '}
          <select value={spec.kind} onChange={(e) => set({ kind: e.currentTarget.value as ChartKind })} data-testid="chart-kind">
            <option value="bar">Bar</option>
            <option value="line">Line</option>
            <option value="scatter">Scatter</option>
          </select>
        </label>
        {pick('X', spec.x, (v) => set({ x: v ?? 0 }), 'chart-x', all)}
        {pick('Y', spec.y, (v) => set({ y: v ?? numeric[0] }), 'chart-y', numeric)}
        {pick('Series', spec.series, (v) => set({ series: v }), 'chart-series', all.filter((i) => i !== spec.x && i !== spec.y), '(none)')}
        {loading && (
          <span className="muted small" role="status">
            Fetching rows to chart…
          </span>
        )}
      </div>
      {problem && <p className="muted small">{problem}</p>}
      <figure className="chart-figure">
        <div role="img" aria-label={data.summary} data-testid="chart-alt" className="chart-box">
          <ResponsiveContainer width="100%" height={300}>
            {chart}
          </ResponsiveContainer>
        </div>
        <figcaption className="small muted" data-testid="chart-summary">
          {data.summary}
        </figcaption>
      </figure>
      <details className="chart-table">
        <summary className="small">The plotted values as a table</summary>
        <div className="chart-scroll" tabIndex={0} role="region" aria-label="Plotted values">
          <table data-testid="chart-table">
            <caption className="muted small">
              {tableRows.length > TABLE_ROWS ? `The first ${TABLE_ROWS} of ${formatCount(tableRows.length)} values` : `${formatCount(tableRows.length)} values`}
            </caption>
            <thead>
              <tr>
                <th scope="col">{columns[spec.x].name}</th>
                <th scope="col">Series</th>
                <th scope="col">{data.summed ? `sum of ${columns[spec.y].name}` : columns[spec.y].name}</th>
              </tr>
            </thead>
            <tbody>
              {tableRows.slice(0, TABLE_ROWS).map((r, i) => (
                <tr key={i}>
                  <td>{r[0]}</td>
                  <td>{r[1]}</td>
                  <td className="num">{r[2]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
