/**
 * Overview of one snapshot, in the spirit of `DESCRIBE DETAIL`: identity, location, times, size,
 * partitioning and clustering, protocol and features (each with a one-line explanation), table
 * properties, and the health hints the worker computed. Numbers carry their raw value in
 * `data-value` (the text is formatted). Every table-provided string is rendered as text.
 */
import type { ReactNode } from 'react';
import type { HistoryRow, OpenedTable, SnapshotSummary } from '../../workers/api.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { CountRows } from '../components/count-rows.tsx';
import { InlineError } from '../components/error-panel.tsx';
import { useOverviewStats } from './overview-stats.ts';
import type { ExplorerClient } from '../worker-client.ts';
import { CompatMatrix } from './compat-matrix.tsx';
import { formatBytes, formatCount, formatDuration, formatWhen, plural } from '../../explore/format.ts';

function Fact({ label, testId, value, state, children }: { label: string; testId: string; value?: string | number | null; state?: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd data-testid={testId} data-value={value ?? undefined} data-state={state}>
        {children}
      </dd>
    </div>
  );
}

/**
 * Clustering column names (logical, resolved by the worker from `delta.clustering` or the legacy
 * `delta.liquid` domain; `src/explore/clustering.ts`), or null when the table is not clustered.
 */
export function clusteringColumns(summary: SnapshotSummary): string[] | null {
  const c = summary.schema.clustering;
  return c.domain === null ? null : c.columns.map((col) => col.name);
}

/** Where the table lives, as the user would name it. */
export function tableLocation(table: OpenedTable): string {
  const r = table.remote;
  if (r && r.kind !== 'http') return remoteLocationText(r);
  return `${table.url ?? table.label}${table.root ? `/${table.root}` : ''}`;
}

/** A remote location as people write it: `s3://bucket/prefix`, `lakefs://repo/ref/path`, `shared link of …`. */
export function remoteLocationText(r: NonNullable<OpenedTable['remote']>): string {
  switch (r.kind) {
    case 'http':
      return r.url;
    case 's3':
      return `s3://${r.bucket}${r.prefix ? '/' + r.prefix : ''}`;
    case 'lakefs':
      return `lakefs://${r.repository}/${r.ref}${r.path ? '/' + r.path : ''}${r.commitId && r.commitId !== r.ref ? ` (commit ${r.commitId.slice(0, 12)})` : ''}`;
    case 'share':
      return `shared link of ${remoteLocationText(r.origin)}`;
  }
}

export interface OverviewProps {
  table: OpenedTable;
  summary: SnapshotSummary;
  /** The history (newest first) for the commit time of the version shown; null while loading. */
  history?: HistoryRow[] | null;
  /** For "Count rows" where the files lack `numRecords` stats (without it, the count stays "unknown"). */
  client?: ExplorerClient;
}

export function Overview({ client, table, summary, history }: OverviewProps) {
  const s = summary;
  // Record counts and stats-derived health arrive after the first paint (see overview-stats.ts).
  const stats = useOverviewStats(client, summary);
  const t = stats.totals;
  const name = s.metadata.name || (table.root ? table.root.split('/').pop() : table.label);
  const cp = s.checkpoint;
  const location = tableLocation(table);
  const commit = history?.find((r) => r.version === s.version) ?? null;
  const clustering = clusteringColumns(s);
  // Code-unit order, not localeCompare: its first call loads ICU collation data (~50 ms on the main thread).
  const properties = Object.entries(s.metadata.configuration).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const health = stats.health;
  return (
    <section className="panel overview" data-testid="overview">
      <header className="overview-head">
        <h2 data-testid="overview-name">{name}</h2>
        <p className="muted small location-line">
          <span data-testid="overview-source" className="break">
            {location}
          </span>
          <CopyButton text={location} label="Copy location" testId="copy-location" />
        </p>
        <p className="muted small">
          {'id '}
          <code data-testid="overview-id">{s.metadata.id}</code> <CopyButton text={s.metadata.id} label="Copy id" testId="copy-id" />
        </p>
        {s.metadata.description && <p data-testid="overview-description">{s.metadata.description}</p>}
      </header>

      {s.readSupportProblems.length > 0 && (
        <div className="notice warn" data-testid="read-support-problems">
          <strong>Data of this table cannot be read here.</strong>
          <ul>
            {s.readSupportProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {table.logOnly && <div className="notice">Only the _delta_log folder was opened: metadata is shown, data files are not available.</div>}

      <dl className="facts">
        <Fact label="Version" testId="overview-version" value={s.version}>
          {s.version}
          {s.latestVersion !== s.version && <span className="muted"> (latest {s.latestVersion})</span>}
        </Fact>
        <Fact label="Last modified" testId="overview-last-modified" value={commit?.timestampMs ?? null}>
          {commit ? (
            <span title={commit.timestampSource === 'inCommitTimestamp' ? 'in-commit timestamp' : 'commit file modification time'}>{formatWhen(commit.timestampMs)}</span>
          ) : (
            <span className="muted">{history ? 'commit not retained' : 'loading…'}</span>
          )}
        </Fact>
        <Fact label="Created" testId="overview-created" value={s.metadata.createdTime}>
          {formatWhen(s.metadata.createdTime)}
        </Fact>
        <Fact label="Files" testId="overview-num-files" value={t.numFiles}>
          {formatCount(t.numFiles)}
        </Fact>
        <Fact label="Size" testId="overview-size" value={t.sizeInBytes}>
          {formatBytes(t.sizeInBytes)}
        </Fact>
        <Fact label="Records" testId="overview-num-records" value={t.numRecords} state={stats.state}>
          {stats.state === 'loading' ? (
            <span className="muted" data-testid="overview-stats-loading" title="The checkpoint's file stats are loaded after the Overview">
              loading stats…
            </span>
          ) : stats.state === 'error' && stats.error ? (
            <>
              <InlineError error={stats.error} testId="overview-stats-error" />
              <button type="button" className="small-button" data-testid="overview-stats-retry" onClick={stats.retry}>
                Load stats again
              </button>
            </>
          ) : t.numRecords === null && client && !t.statsPending ? (
            <CountRows client={client} tableId={table.tableId} version={s.version} numFiles={t.numFiles} filesWithStats={t.numFilesWithStats} logOnly={table.logOnly || s.readSupportProblems.length > 0} />
          ) : t.numRecords === null ? (
            <span title="Some files have no statistics">
              unknown <span className="muted small">({formatCount(t.numFilesWithStats)} of {formatCount(t.numFiles)} files have stats)</span>
            </span>
          ) : (
            formatCount(t.numRecords)
          )}
          {t.numDeletedRecords > 0 && <span className="muted small"> after {formatCount(t.numDeletedRecords)} deleted by deletion vectors</span>}
        </Fact>
        <Fact label="Protocol" testId="overview-protocol" value={`${s.protocol.minReaderVersion}/${s.protocol.minWriterVersion}`}>
          reader {s.protocol.minReaderVersion} · writer {s.protocol.minWriterVersion}
        </Fact>
        <Fact label="Partition columns" testId="overview-partition-columns" value={s.metadata.partitionColumns.join(',')}>
          {s.metadata.partitionColumns.length ? s.metadata.partitionColumns.map((c) => <code key={c}>{c}</code>) : <span className="muted">none</span>}
        </Fact>
        {clustering && (
          <Fact label="Clustering columns" testId="overview-clustering-columns" value={clustering.join(',')}>
            {clustering.length ? clustering.map((c) => <code key={c}>{c}</code>) : <span className="muted">none</span>}
          </Fact>
        )}
        <Fact label="Columns" testId="overview-num-columns" value={s.numColumns}>
          {s.numColumns ?? '—'}
        </Fact>
        <Fact label="Format" testId="overview-format" value={s.metadata.provider}>
          {s.metadata.provider}
        </Fact>
        <Fact label="Checkpoint" testId="overview-checkpoint" value={cp ? cp.version : null}>
          {cp ? (
            <>
              v{cp.version} · {cp.kind} {cp.format}
              {cp.parts > 1 ? ` · ${cp.parts} parts` : ''} · {formatBytes(cp.sizeBytes)}
            </>
          ) : (
            <span className="muted">none</span>
          )}
          <span className="muted small"> · {plural(s.commitsSinceCheckpoint, 'commit')} replayed</span>
        </Fact>
        <Fact label="Log listed" testId="overview-log" value={s.logSizeBytes}>
          <span title="Log files considered for this snapshot (from the checkpoint on)">{formatBytes(s.logSizeBytes)}</span> ·{' '}
          <span title={s.lastCheckpoint.message ?? undefined}>_last_checkpoint {s.lastCheckpoint.status}</span>
        </Fact>
      </dl>

      <h3>Health</h3>
      <ul className="health" data-testid="overview-health">
        {health.hints.map((h) => (
          <li key={h.id} className={`health-hint ${h.status}`} data-testid="health-hint" data-hint={h.id} data-status={h.status}>
            <span className={`status-pill ${h.status}`}>{h.status === 'pending' ? (stats.state === 'error' ? 'no stats' : 'loading') : h.status === 'ok' ? 'ok' : 'warn'}</span>
            <span className="health-text">
              <strong>{h.label}</strong> <span className="muted">· {h.status === 'pending' && stats.state === 'error' ? 'the checkpoint stats could not be loaded (see Records)' : h.value}</span>
              <br />
              <span className="small">{h.advice}</span>
            </span>
          </li>
        ))}
      </ul>

      <h3>Features</h3>
      {s.features.length ? (
        <ul className="features-list" data-testid="overview-features">
          {s.features.map((f) => (
            <li key={f.name} className={f.supported ? '' : 'unsupported'} data-feature={f.name}>
              <code>{f.name}</code>
              <span className="muted small">{f.kind === 'writer' ? ' writer' : f.kind ? ' reader + writer' : ' unknown'}</span>
              {!f.supported && <strong> not supported</strong>}
              <span className="small feature-desc"> — {f.description}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted" data-testid="overview-features">
          none
        </p>
      )}

      <h3>Engine compatibility</h3>
      <CompatMatrix summary={s} />

      <h3>
        Properties <span className="muted small">({properties.length})</span>
        {properties.length > 0 && (
          <>
            {' '}
            <CopyButton text={JSON.stringify(s.metadata.configuration, null, 2)} label="Copy as JSON" testId="copy-properties" />
          </>
        )}
      </h3>
      {properties.length ? (
        <div className="table-scroll">
          <table className="grid properties" data-testid="overview-properties">
            <thead>
              <tr>
                <th>Key</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {properties.map(([k, v]) => (
                <tr key={k} data-testid="property-row" data-key={k}>
                  <td>
                    <code>{k}</code>
                  </td>
                  <td className="wrap">{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted" data-testid="overview-properties">
          none
        </p>
      )}

      {s.warnings.length > 0 && (
        <div className="notice" data-testid="overview-warnings">
          <strong>Warnings</strong>
          <ul>
            {s.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <p className="muted small">
        Snapshot built in {formatDuration(s.loadDurationMs)}
        {s.numTombstones ? ` · ${plural(s.numTombstones, 'tombstone')}` : ''}
        {s.txns.length ? ` · ${plural(s.txns.length, 'application transaction')}` : ''}
        {s.domainMetadata.length ? ` · domains: ${s.domainMetadata.map((d) => d.domain).join(', ')}` : ''}
      </p>
    </section>
  );
}
