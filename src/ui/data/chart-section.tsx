/**
 * The "Chart" toggle under the SQL result grid: a button that opens a chart of the result
 * (`result-chart.tsx`, loaded with Recharts only when first opened). Keyed by the result by its
 * parent so a new result starts with its own default chart.
 */
import { lazy, Suspense, useState } from 'react';
import type { ResultChartProps } from './result-chart.tsx';
import './result-chart.css';

const ResultChart = lazy(() => import('./result-chart.tsx'));

export function ChartSection(props: ResultChartProps) {
  const [open, setOpen] = useState(false);
  return (
    <div className="chart-section">
      <button type="button" aria-expanded={open} aria-controls="result-chart-panel" onClick={() => setOpen((x) => !x)} data-testid="chart-toggle">
        {open ? 'Hide chart' : 'Chart this result'}
      </button>
      {open && (
        <div id="result-chart-panel">
          <Suspense fallback={<p className="muted small">Loading the chart…</p>}>
            <ResultChart {...props} />
          </Suspense>
        </div>
      )}
    </div>
  );
}
