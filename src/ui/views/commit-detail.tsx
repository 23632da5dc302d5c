/**
 * One commit opened (the History tab's commit viewer, used by its grid's row actions and by the
 * commit list): the commit's parameters, metrics and user metadata (from `commitInfo`, as the
 * history row holds them), the count of every action kind in the commit file (`add`, `remove`,
 * `metaData`, `protocol`, `commitInfo`, `cdc`, `domainMetadata`, `txn`...; PROTOCOL.md "Actions"),
 * and the file's raw actions as written (fetched from the worker by `commitActions`, capped at
 * `MAX_COMMIT_LINES` lines; the counts are over the whole file). Every table-provided string is
 * rendered as React text.
 */
import type { CommitActions, ErrorInfo, HistoryRow } from '../../workers/api.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { ErrorPanel } from '../components/error-panel.tsx';
import { useWorkerLoad } from '../components/use-worker-load.ts';
import { formatBytes, formatCount, formatTimestamp } from '../../explore/format.ts';
import type { ViewProps } from './view-props.ts';

/** Action kinds always listed (0 when the commit has none), in the protocol's order; others follow. */
export const ACTION_KINDS = ['add', 'remove', 'metaData', 'protocol', 'commitInfo', 'cdc', 'domainMetadata', 'txn'] as const;

/** A JSON value, pretty-printed, with a copy button. */
function JsonBlock({ value, testId, label }: { value: unknown; testId: string; label: string }) {
  const text = JSON.stringify(value, null, 2);
  return (
    <div className="json-block">
      <div className="json-head">
        <strong className="small">{label}</strong> <CopyButton text={text} label="Copy JSON" />
      </div>
      <pre data-testid={testId} tabIndex={0} role="region" aria-label={label}>
        {text}
      </pre>
    </div>
  );
}

type ActionsState = { kind: 'loading' } | { kind: 'ready'; actions: CommitActions } | { kind: 'error'; error: ErrorInfo };

/** The counts of a commit file's actions: every kind of {@link ACTION_KINDS}, then any other kind found. */
export function actionCountList(counts: Record<string, number>): { kind: string; count: number }[] {
  const known: readonly string[] = ACTION_KINDS;
  const others = Object.keys(counts)
    .filter((k) => !known.includes(k))
    .sort();
  return [...known, ...others].map((kind) => ({ kind, count: counts[kind] ?? 0 }));
}

/** One commit opened: parameters, metrics, commitInfo and the raw actions of its file. */
export function CommitDetail({
  client,
  tableId,
  row,
  current,
  onTravel,
  showTravel = true,
}: {
  client: ViewProps['client'];
  tableId: string;
  row: HistoryRow;
  current: number;
  onTravel: (v: number) => void;
  /** Whether the head offers "Travel to version N" (the grid's row actions have their own). */
  showTravel?: boolean;
}) {
  const load = useWorkerLoad((signal) => client.commitActions(tableId, row.version, { signal }), [client, tableId, row.version]);
  const actions: ActionsState = load.busy || (!load.value && !load.error) ? { kind: 'loading' } : load.error ? { kind: 'error', error: load.error } : { kind: 'ready', actions: load.value! };
  const raw = actions.kind === 'ready' ? actions.actions.lines.join('\n') : '';
  return (
    <div className="commit-detail" data-testid="history-detail" data-version={row.version}>
      <p className="commit-detail-head">
        {showTravel && <strong>Version {row.version}</strong>}
        <span className="muted small">
          {showTravel ? ' · ' : ''}
          {formatTimestamp(row.timestampMs)} · {formatBytes(row.commitSizeBytes)} commit file · {row.actionCounts.add} add, {row.actionCounts.remove} remove, {row.actionCounts.cdc} cdc
        </span>{' '}
        {!showTravel ? null : row.version !== current ? (
          <button type="button" onClick={() => onTravel(row.version)} data-testid="detail-travel">
            Travel to version {row.version}
          </button>
        ) : (
          <span className="badge">shown</span>
        )}
      </p>
      {actions.kind === 'ready' && (
        <dl className="action-counts small" aria-label={`Actions in the commit file of version ${row.version}`} data-testid="detail-kind-counts">
          {actionCountList(actions.actions.counts).map(({ kind, count }) => (
            <div key={kind} className={count ? undefined : 'muted'} data-kind={kind} data-count={count}>
              <dt>{kind}</dt>
              <dd>{formatCount(count)}</dd>
            </div>
          ))}
        </dl>
      )}
      <div className="commit-detail-grid">
        <JsonBlock label="Parameters" value={row.operationParameters ?? {}} testId="detail-parameters" />
        <JsonBlock label="Metrics" value={row.operationMetrics ?? {}} testId="detail-metrics" />
      </div>
      {row.userMetadata && (
        <p className="small">
          User metadata: <span className="wrap">{row.userMetadata}</span>
        </p>
      )}
      <div className="json-block">
        <div className="json-head">
          <strong className="small">Raw actions</strong>{' '}
          {actions.kind === 'ready' && (
            <>
              <span className="muted small" data-testid="detail-action-counts">
                {Object.entries(actions.actions.counts)
                  .map(([k, n]) => `${n} ${k}`)
                  .join(' · ')}
                {actions.actions.truncated > 0 ? ` · first ${actions.actions.lines.length} of ${actions.actions.totalLines} lines shown` : ''}
              </span>{' '}
              <CopyButton text={raw} label="Copy JSON" />
            </>
          )}
        </div>
        {actions.kind === 'loading' && (
          <p className="progress-line small">
            <span className="spinner" aria-hidden="true" /> Reading the commit file…{' '}
            <button type="button" className="link" onClick={() => load.busy?.abort()} data-testid="cancel">
              Cancel
            </button>
          </p>
        )}
        {actions.kind === 'error' && <ErrorPanel error={actions.error} />}
        {actions.kind === 'ready' && (
          <pre className="raw-actions" data-testid="detail-actions" tabIndex={0} role="region" aria-label={`Raw actions of version ${row.version}`}>
            {actions.actions.lines.map((l) => prettyLine(l)).join('\n')}
          </pre>
        )}
      </div>
    </div>
  );
}

/** A raw action line, indented when it parses (kept as written otherwise). */
function prettyLine(line: string): string {
  try {
    return JSON.stringify(JSON.parse(line), null, 2);
  } catch {
    return line;
  }
}
