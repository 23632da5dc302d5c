/** The table's history (newest first): version, commit time, operation, and a few metrics. */
import type { HistoryRow } from '../../workers/api.ts';
import { formatBytes, formatTimestamp, plural } from '../format.ts';

/** Rows shown before "show all" (the full list can hold thousands of commits). */
const FIRST_ROWS = 200;

export function HistoryTable({ rows, showAll, onShowAll }: { rows: HistoryRow[]; showAll: boolean; onShowAll: () => void }) {
  const shown = showAll ? rows : rows.slice(0, FIRST_ROWS);
  return (
    <section className="panel" data-testid="history">
      <h2>
        History <span className="muted small">({plural(rows.length, 'commit')})</span>
      </h2>
      <table className="grid">
        <thead>
          <tr>
            <th className="num">Version</th>
            <th>Timestamp</th>
            <th>Operation</th>
            <th className="num">Files added</th>
            <th className="num">Files removed</th>
            <th className="num">Bytes added</th>
            <th>Engine</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.version} data-testid="history-row" data-version={r.version}>
              <td className="num">{r.version}</td>
              <td title={r.timestampSource === 'inCommitTimestamp' ? 'in-commit timestamp' : 'commit file modification time'}>
                {formatTimestamp(r.timestampMs)}
              </td>
              <td data-testid="history-operation">{r.operation ?? <span className="muted">—</span>}</td>
              <td className="num">{r.actionCounts.add}</td>
              <td className="num">{r.actionCounts.remove}</td>
              <td className="num">{formatBytes(r.bytesAdded)}</td>
              <td className="muted small">{r.engineInfo ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!showAll && rows.length > FIRST_ROWS && (
        <button type="button" className="link" onClick={onShowAll}>
          Show all {rows.length} commits
        </button>
      )}
    </section>
  );
}
