/**
 * Overview of one snapshot: identity, version, protocol and features, partitioning, and the counts
 * of active files. Numbers carry their raw value in `data-value` (the text is formatted).
 */
import type { ReactNode } from 'react';
import type { OpenedTable, SnapshotSummary } from '../../workers/api.ts';
import { formatBytes, formatCount, formatDuration, formatTimestamp, plural } from '../format.ts';

function Fact({ label, testId, value, children }: { label: string; testId: string; value?: string | number | null; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd data-testid={testId} data-value={value ?? undefined}>
        {children}
      </dd>
    </div>
  );
}

export function Overview({ table, summary }: { table: OpenedTable; summary: SnapshotSummary }) {
  const s = summary;
  const t = s.totals;
  const name = s.metadata.name || (table.root ? table.root.split('/').pop() : table.label);
  const cp = s.checkpoint;
  return (
    <section className="panel overview" data-testid="overview">
      <header className="overview-head">
        <h2 data-testid="overview-name">{name}</h2>
        <p className="muted small">
          <span data-testid="overview-source">
            {table.url ?? table.label}
            {table.root ? `/${table.root}` : ''}
          </span>
          {' · id '}
          <code data-testid="overview-id">{s.metadata.id}</code>
        </p>
        {s.metadata.description && <p>{s.metadata.description}</p>}
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
      {table.logOnly && (
        <div className="notice">Only the _delta_log folder was opened: metadata is shown, data files are not available.</div>
      )}

      <dl className="facts">
        <Fact label="Version" testId="overview-version" value={s.version}>
          {s.version}
          {s.latestVersion !== s.version && <span className="muted"> (latest {s.latestVersion})</span>}
        </Fact>
        <Fact label="Files" testId="overview-num-files" value={t.numFiles}>
          {formatCount(t.numFiles)}
        </Fact>
        <Fact label="Size" testId="overview-size" value={t.sizeInBytes}>
          {formatBytes(t.sizeInBytes)}
        </Fact>
        <Fact label="Records" testId="overview-num-records" value={t.numRecords}>
          {t.numRecords === null ? (
            <span title="Some files have no statistics">
              unknown <span className="muted small">({formatCount(t.numFilesWithStats)} of {formatCount(t.numFiles)} files have stats)</span>
            </span>
          ) : (
            formatCount(t.numRecords)
          )}
          {t.numDeletedRecords > 0 && (
            <span className="muted small"> after {formatCount(t.numDeletedRecords)} deleted by deletion vectors</span>
          )}
        </Fact>
        <Fact label="Protocol" testId="overview-protocol" value={`${s.protocol.minReaderVersion}/${s.protocol.minWriterVersion}`}>
          reader {s.protocol.minReaderVersion} · writer {s.protocol.minWriterVersion}
        </Fact>
        <Fact label="Partition columns" testId="overview-partition-columns" value={s.metadata.partitionColumns.join(',')}>
          {s.metadata.partitionColumns.length ? s.metadata.partitionColumns.map((c) => <code key={c}>{c}</code>) : <span className="muted">none</span>}
        </Fact>
        <Fact label="Columns" testId="overview-num-columns" value={s.numColumns}>
          {s.numColumns ?? '—'}
        </Fact>
        <Fact label="Created" testId="overview-created" value={s.metadata.createdTime}>
          {formatTimestamp(s.metadata.createdTime)}
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

      <h3>Features</h3>
      {s.features.length ? (
        <ul className="features" data-testid="overview-features">
          {s.features.map((f) => (
            <li key={f.name} className={f.supported ? '' : 'unsupported'} title={f.description} data-feature={f.name}>
              <code>{f.name}</code>
              <span className="muted small">{f.kind === 'writer' ? ' writer' : f.kind ? ' reader+writer' : ' unknown'}</span>
              {!f.supported && <strong> not supported</strong>}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted" data-testid="overview-features">
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
