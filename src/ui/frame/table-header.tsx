/**
 * The table header shown above every tab: which table (name, location), which version (and whether
 * it is the latest), and when that version was committed — the protocol's commit time (in-commit
 * timestamp, else the commit file's time) in ISO 8601 UTC. So no view, the SQL editor included,
 * can be read without knowing which table and version it shows.
 */
import type { HistoryRow, OpenedTable, SnapshotSummary } from '../../workers/api.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { formatIso } from '../../explore/format.ts';
import { tableLocation } from '../views/overview.tsx';

export interface TableHeaderProps {
  table: OpenedTable;
  summary: SnapshotSummary;
  /** The history once loaded (for the commit time), else null. */
  history: HistoryRow[] | null;
  /** Where it came from, when that is not in the location (e.g. "local folder"). */
  originNote?: string;
}

/** The table's display name: its metadata name, else the last segment of its root or label. */
export function tableTitle(table: OpenedTable, summary: SnapshotSummary): string {
  return summary.metadata.name || (table.root ? table.root.split('/').pop()! : table.label);
}

export function TableHeader({ table, summary, history, originNote }: TableHeaderProps) {
  const location = tableLocation(table);
  const commit = history?.find((r) => r.version === summary.version) ?? null;
  const latest = summary.version === summary.latestVersion;
  return (
    <section className="table-header" data-testid="table-header" aria-label="Open table">
      <h2 className="th-name" data-testid="header-name">
        {tableTitle(table, summary)}
      </h2>
      <span className="th-location small" title={location}>
        <span className="break" data-testid="header-location">
          {location}
        </span>
        {originNote && <span className="muted"> ({originNote})</span>}
        <CopyButton text={location} label="Copy location" testId="header-copy-location" />
      </span>
      <span className="th-version small" data-testid="header-version" data-value={summary.version} data-latest={latest}>
        <strong>v{summary.version}</strong>
        {latest ? <span className="muted"> latest</span> : <span className="badge">time travel · latest v{summary.latestVersion}</span>}
      </span>
      <span className="th-time small" data-testid="header-time" data-value={commit?.timestampMs ?? ''}>
        {commit ? (
          <>
            <span className="muted">committed </span>
            <time dateTime={new Date(commit.timestampMs).toISOString()}>{formatIso(commit.timestampMs)}</time>
          </>
        ) : (
          <span className="muted">commit time loading…</span>
        )}
      </span>
    </section>
  );
}
