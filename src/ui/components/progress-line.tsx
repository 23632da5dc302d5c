/**
 * One line saying what the worker is doing, with a Cancel button. A progress with a total shows
 * how far it is with a percentage: parts (commit files, checkpoint parts, history entries) as
 * `12/300 (4%)`, bytes (a query reading data files: bytes read of the planned files' size) as
 * `12.3 MiB of 40.1 MiB (30%)`. The percentage stays below 100 until the work is done (a read may
 * take more bytes than planned: footers and pages read twice), and is exposed as `data-percent`.
 */
import type { WorkerProgress } from '../../workers/api.ts';
import { formatBytes, formatCount } from '../../explore/format.ts';

const PHASES: Record<WorkerProgress['phase'], string> = {
  open: 'Reading the folder',
  listing: 'Listing the log',
  commits: 'Reading commits',
  checkpoint: 'Reading the checkpoint',
  replay: 'Reconciling actions',
  history: 'Reading history',
  engine: 'Starting the SQL engine',
  query: 'Running the query',
};

/** Whole percent of `done` of `total`, 0..99 while work remains (null without a total). */
export function progressPercent(p: WorkerProgress | null): number | null {
  if (!p || !(p.total > 0)) return null;
  if (p.done >= p.total && p.unit !== 'bytes') return 100;
  return Math.max(0, Math.min(99, Math.floor((p.done / p.total) * 100)));
}

/** The amount part of a progress line: `12/300 (4%)`, `12.3 MiB of 40.1 MiB (30%)`, or ''. */
export function progressAmount(p: WorkerProgress | null): string {
  const pct = progressPercent(p);
  if (!p || pct === null) return '';
  if (p.unit === 'bytes') return ` ${formatBytes(p.done)} of ${formatBytes(p.total)} (${pct}%)`;
  return ` ${formatCount(p.done)}/${formatCount(p.total)} (${pct}%)`;
}

export function ProgressLine({ label, progress, onCancel }: { label: string; progress: WorkerProgress | null; onCancel?: () => void }) {
  const phase = progress ? (progress.unit === 'bytes' ? 'Reading data files' : PHASES[progress.phase]) : 'Starting';
  const pct = progressPercent(progress);
  return (
    <div className="progress-line" role="status" aria-live="polite" data-testid="progress" data-percent={pct ?? undefined} data-unit={progress?.unit ?? undefined}>
      <span className="spinner" aria-hidden="true" />
      <span>
        {label}: {phase}
        {progressAmount(progress)}…
      </span>
      {pct !== null && <progress className="progress-bar" max={100} value={pct} aria-hidden="true" />}
      {onCancel && (
        <button type="button" className="link" onClick={onCancel} data-testid="cancel">
          Cancel
        </button>
      )}
    </div>
  );
}
