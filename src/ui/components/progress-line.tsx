/** One line saying what the worker is doing, with a Cancel button. */
import type { WorkerProgress } from '../../workers/api.ts';

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

export function ProgressLine({ label, progress, onCancel }: { label: string; progress: WorkerProgress | null; onCancel?: () => void }) {
  const phase = progress ? PHASES[progress.phase] : 'Starting';
  const count = progress && progress.total > 0 ? ` ${progress.done}/${progress.total}` : '';
  return (
    <div className="progress-line" role="status" aria-live="polite" data-testid="progress">
      <span className="spinner" aria-hidden="true" />
      <span>
        {label}: {phase}
        {count}…
      </span>
      {onCancel && (
        <button type="button" className="link" onClick={onCancel} data-testid="cancel">
          Cancel
        </button>
      )}
    </div>
  );
}
