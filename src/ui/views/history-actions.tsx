/**
 * The actions on one commit of the History grid (issue #13): open the table at this version (time
 * travel, as the version picker does), compare it with the version before it or with the latest
 * (the Compare view: A → B), the Change Data Feed of this one version (the Changes view, `from` =
 * `to` = this version) when the commit wrote `cdc` files or the shown snapshot has
 * `delta.enableChangeDataFeed`, copy its version or commit time (ISO 8601 UTC), and the commit
 * itself: the count of every action kind and the raw commit JSON (`commit-detail.tsx`).
 *
 * Keyboard: the panel takes focus when opened (its heading), Tab walks its buttons, Escape closes it
 * and gives focus back to where it came from (the grid). Versions compared come from the history
 * row; a previous version whose commit is gone from the log is offered disabled, with the reason.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { HistoryRow, SnapshotSummary } from '../../workers/api.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { formatIso } from '../../explore/format.ts';
import { CommitDetail } from './commit-detail.tsx';
import type { NavigateTarget, ViewProps } from './view-props.ts';

/** What the actions of a commit point at: the versions compared, and whether a feed is offered. */
export interface CommitTargets {
  /** The version before, when its commit is retained (Compare A = previous, B = this). */
  previous: number | null;
  /** The table's latest version (Compare A = this, B = latest), null when this is it. */
  latest: number | null;
  /** Whether the Change Data Feed is offered for this version (and why). */
  cdf: { offered: boolean; reason: string };
}

/**
 * The versions and feed a commit's actions use. `retained`: versions whose commits are in the log
 * (the history's rows); `summary`: the snapshot shown (its `delta.enableChangeDataFeed` and latest version).
 */
export function commitTargets(row: Pick<HistoryRow, 'version' | 'actionCounts'>, retained: ReadonlySet<number>, summary: Pick<SnapshotSummary, 'latestVersion' | 'metadata'>): CommitTargets {
  const v = row.version;
  const previous = v > 0 && retained.has(v - 1) ? v - 1 : null;
  const latest = v !== summary.latestVersion ? summary.latestVersion : null;
  const cdfSet = summary.metadata.configuration['delta.enableChangeDataFeed'] === 'true';
  const cdf = row.actionCounts.cdc > 0
    ? { offered: true, reason: `this commit wrote ${row.actionCounts.cdc} cdc file${row.actionCounts.cdc === 1 ? '' : 's'}` }
    : cdfSet
      ? { offered: true, reason: 'delta.enableChangeDataFeed is set on the table' }
      : { offered: false, reason: 'no cdc files in this commit and delta.enableChangeDataFeed is not set' };
  return { previous, latest, cdf };
}

export interface CommitActionsPanelProps extends Pick<ViewProps, 'client' | 'onTravel' | 'onNavigate'> {
  tableId: string;
  row: HistoryRow;
  summary: SnapshotSummary;
  retained: ReadonlySet<number>;
  onClose: () => void;
}

/** The opened commit's actions and detail, below the History grid. */
export function CommitActionsPanel({ client, tableId, row, summary, retained, onTravel, onNavigate, onClose }: CommitActionsPanelProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const cameFrom = useRef<Element | null>(null);
  const v = row.version;
  const t = commitTargets(row, retained, summary);
  useEffect(() => {
    cameFrom.current = document.activeElement;
    heading.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ block: 'nearest' });
  }, [v]);
  const close = () => {
    const back = cameFrom.current;
    onClose();
    if (back instanceof HTMLElement && back.isConnected) back.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  };
  const go = (to: NavigateTarget) => onNavigate(to);
  const headingId = `commit-actions-${v}`;
  return (
    <section className="commit-actions panel" aria-labelledby={headingId} data-testid="history-actions" data-version={v} onKeyDown={onKeyDown}>
      <header className="commit-actions-head">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          Version {v}
          <span className="muted small"> · {row.operation ?? 'no operation'} · {formatIso(row.timestampMs)}</span>
        </h3>
        <button type="button" className="link" onClick={close} data-testid="history-action-close" aria-label={`Close the actions of version ${v}`}>
          Close
        </button>
      </header>
      <div className="commit-actions-bar" role="group" aria-label={`Actions for version ${v}`}>
        {v === summary.version ? (
          <span className="badge" data-testid="history-action-shown">
            shown
          </span>
        ) : (
          <button type="button" className="primary" onClick={() => onTravel(v)} data-testid="history-action-open">
            Open at version {v}
          </button>
        )}
        <button
          type="button"
          disabled={t.previous === null}
          title={t.previous === null ? (v === 0 ? 'Version 0 has no version before it' : `The commit of version ${v - 1} is no longer in the log`) : undefined}
          onClick={() => t.previous !== null && go({ view: 'compare', version: v, params: { compare: String(t.previous) } })}
          data-testid="history-action-compare-previous"
        >
          {t.previous === null ? 'No previous version' : `Compare ${t.previous} → ${v}`}
        </button>
        {t.latest !== null && (
          <button type="button" onClick={() => go({ view: 'compare', version: t.latest!, params: { compare: String(v) } })} data-testid="history-action-compare-latest">
            Compare {v} → latest ({t.latest})
          </button>
        )}
        {t.cdf.offered ? (
          <button type="button" title={`Offered because ${t.cdf.reason}`} onClick={() => go({ view: 'changes', params: { from: String(v), to: String(v) } })} data-testid="history-action-cdf">
            Change Data Feed of {v}
          </button>
        ) : (
          <span className="muted small" data-testid="history-action-no-cdf">
            No Change Data Feed: {t.cdf.reason}.
          </span>
        )}
        <CopyButton text={String(v)} label="Copy version" testId="history-action-copy-version" />
        <CopyButton text={formatIso(row.timestampMs)} label="Copy timestamp" testId="history-action-copy-timestamp" />
      </div>
      <CommitDetail client={client} tableId={tableId} row={row} current={summary.version} onTravel={onTravel} showTravel={false} />
    </section>
  );
}
