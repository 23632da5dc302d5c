/**
 * The Compare view: two versions side by side. A is a chosen version (`compare` in the URL; by
 * default the retained version before the selected one), B the selected version. The worker
 * computes the differences (`client.compare`): files added and removed (counts, bytes, the first
 * paths), the record delta, schema changes (columns matched by column mapping identity when
 * present), property changes and protocol changes; and, when asked, the row-level diff (`row-diff.tsx`:
 * rows added, removed and changed by a key or as whole rows). Every table-provided string is rendered as text.
 */
import { useMemo, type ReactNode } from 'react';
import type { CompareFiles, CompareResult, ProtocolInfo, CompareColumnChange } from '../../workers/api.ts';
import { ProgressLine } from '../components/progress-line.tsx';
import { useWorkerLoad } from '../components/use-worker-load.ts';
import { formatBytes, formatCount, plural } from '../../explore/format.ts';
import { retainedVersions } from './changes.tsx';
import './changes-compare.css';
import { OpenInMenu } from '../components/open-in-menu.tsx';
import type { ViewProps } from './view-props.ts';
import { RowDiffPanel, schemaColumns } from './row-diff.tsx';
import { InlineError } from '../components/error-panel.tsx';

/** Version A: the URL's `compare` when it is a whole number, else the retained version before B (B itself when none). */
export function compareBase(versions: number[], selected: number, param: string | null): number {
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  const before = versions.filter((v) => v < selected);
  return before.length ? before[before.length - 1] : selected;
}

export function CompareView({ client, table, summary, history, onTravel, param, setParam }: ViewProps) {
  const versions = useMemo(() => retainedVersions(history, summary.latestVersion), [history, summary.latestVersion]);
  const a = compareBase(versions, summary.version, param('compare'));
  const b = summary.version;
  const { value: result, error, progress, busy } = useWorkerLoad<CompareResult>(
    (signal, onProgress) => client.compare(table.tableId, a, b, { signal, onProgress }),
    [client, table.tableId, a, b],
  );

  const options = useMemo(() => [...new Set([...versions, a])].sort((x, y) => x - y), [versions, a]);
  const columnsB = useMemo(() => schemaColumns(summary.schema), [summary.schema]);
  const r = result && result.versionA === a && result.versionB === b ? result : null;

  return (
    <section className="panel compare-view" data-testid="view-compare">
      <h2>Compare</h2>
      <OpenInMenu table={table} query={{ kind: 'compare', fromVersion: a, toVersion: b }} extraNote="Rows only in version B (added) or only in version A (removed), as multisets." />
      <div className="cc-range">
        <label>
          Version A{' '}
          <select data-testid="compare-a" value={a} onChange={(e) => setParam('compare', e.target.value)}>
            {options.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <span>
          → version B <strong data-testid="compare-b">{b}</strong> <span className="muted small">(the selected version)</span>
        </span>
        {a !== b && (
          <button type="button" className="link" onClick={() => onTravel(a)} data-testid="compare-travel">
            Travel to version {a}
          </button>
        )}
      </div>
      {a === b && <p className="muted small">A and B are the same version: pick another version A to see what changed.</p>}

      {busy && <ProgressLine label="Comparing versions" progress={progress} onCancel={() => busy.abort()} />}
      {error && <InlineError error={error} testId="compare-error" />}
      {r && !error && <CompareBody r={r} />}

      <h3 id="compare-rows">Rows</h3>
      <RowDiffPanel
        client={client}
        a={{ tableId: table.tableId, version: a }}
        b={{ tableId: table.tableId, version: b }}
        labelA={`version ${a}`}
        labelB={`version ${b}`}
        columns={columnsB}
      />
    </section>
  );
}

/** The differences of a comparison (files, records, schema, properties, protocol); also used by the lakeFS ref comparison. */
export function CompareBody({ r }: { r: CompareResult }) {
  const { added, removed } = r;
  return (
    <div data-testid="compare-result" data-a={r.versionA} data-b={r.versionB}>
      {r.warnings.length > 0 && (
        <div className="notice warn">
          <ul>
            {r.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {r.tableIdChanged && <p className="notice warn">The table id differs between the two versions: the table was replaced in between.</p>}

      <h3>Files and records</h3>
      <div className="compare-cards">
        <FilesCard kind="added" title={`Added (in ${r.versionB}, not in ${r.versionA})`} files={added} />
        <FilesCard kind="removed" title={`Removed (in ${r.versionA}, not in ${r.versionB})`} files={removed} />
        <div className="compare-card" data-testid="compare-unchanged" data-value={r.unchanged}>
          <div className="muted small">Unchanged files</div>
          <div className="big">{formatCount(r.unchanged)}</div>
          <div className="muted small">
            {formatCount(r.filesA.numFiles)} files ({formatBytes(r.filesA.sizeBytes)}) → {formatCount(r.filesB.numFiles)} files ({formatBytes(r.filesB.sizeBytes)})
          </div>
        </div>
        <div className="compare-card" data-testid="compare-records" data-value={r.recordDelta ?? ''}>
          <div className="muted small">Record delta</div>
          <div className="big">{r.recordDelta === null ? '—' : `${r.recordDelta > 0 ? '+' : ''}${formatCount(r.recordDelta)}`}</div>
          <div className="muted small">
            {r.filesA.numRecords === null ? 'unknown' : formatCount(r.filesA.numRecords)} → {r.filesB.numRecords === null ? 'unknown' : formatCount(r.filesB.numRecords)} records
            {r.recordDelta === null ? ' (some files have no stats)' : ''}
          </div>
        </div>
      </div>
      <div className="compare-lists">
        <PathList title="Added files" files={added} testId="compare-added-paths" />
        <PathList title="Removed files" files={removed} testId="compare-removed-paths" />
      </div>

      <h3>Schema</h3>
      {r.partitionColumns && (
        <p className="small" data-testid="compare-partitioning">
          Partition columns: <span className="cc-value">{r.partitionColumns.from.join(', ') || '(none)'}</span> →{' '}
          <span className="cc-value">{r.partitionColumns.to.join(', ') || '(none)'}</span>
        </p>
      )}
      <SchemaTable changes={r.schemaChanges} />

      <h3>Properties</h3>
      <PropertiesTable p={r.properties} />

      <h3>Protocol</h3>
      <ProtocolDiff p={r.protocol} />
    </div>
  );
}

function FilesCard({ kind, title, files }: { kind: 'added' | 'removed'; title: string; files: CompareFiles }) {
  return (
    <div className={`compare-card ${kind}`} data-testid={`compare-${kind}`} data-value={files.count} data-bytes={files.sizeBytes}>
      <div className="muted small">{title}</div>
      <div className="big">
        {files.count === 0 ? '0' : `${kind === 'added' ? '+' : '−'}${formatCount(files.count)}`}
      </div>
      <div className="muted small">
        {formatBytes(files.sizeBytes)} · {files.numRecords === null ? 'records unknown' : plural(files.numRecords, 'record')}
        {files.withDeletionVectorChange > 0 ? ` · ${formatCount(files.withDeletionVectorChange)} by a new deletion vector` : ''}
      </div>
    </div>
  );
}

function PathList({ title, files, testId }: { title: string; files: CompareFiles; testId: string }) {
  return (
    <div>
      <div className="small">
        <strong>{title}</strong>{' '}
        <span className="muted">{files.count > files.paths.length ? `(first ${formatCount(files.paths.length)} of ${formatCount(files.count)})` : `(${formatCount(files.count)})`}</span>
      </div>
      {files.paths.length === 0 ? (
        <p className="muted small compare-empty">None.</p>
      ) : (
        <ul className="compare-paths" data-testid={testId} data-count={files.paths.length}>
          {files.paths.map((p, i) => (
            <li key={i}>
              <span className="path" title={p.path}>
                {p.path}
              </span>
              <span className="size">{formatBytes(p.sizeBytes)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const KIND_TEXT: Record<CompareColumnChange['kind'], string> = {
  added: 'added',
  dropped: 'dropped',
  renamed: 'renamed',
  type: 'type changed',
  nullability: 'nullability changed',
};

const nullText = (n: boolean | undefined) => (n === undefined ? '' : n ? 'nullable' : 'not null');

function SchemaTable({ changes }: { changes: CompareColumnChange[] }) {
  if (!changes.length) return <p className="muted small compare-empty" data-testid="compare-schema-none">No column changes.</p>;
  const mapped = changes.some((c) => c.physicalName !== undefined || c.columnMappingId !== undefined);
  const cell = (c: CompareColumnChange, side: 'from' | 'to'): ReactNode => {
    if (c.kind === 'renamed') return side === 'from' ? c.fromPath : c.path;
    const type = side === 'from' ? c.from : c.to;
    const nullable = side === 'from' ? c.fromNullable : c.toNullable;
    if (c.kind === 'nullability') return nullText(nullable);
    return [type, c.kind === 'type' ? '' : nullText(nullable)].filter(Boolean).join(', ');
  };
  return (
    <div className="cc-scroll">
      <table className="cc-table" data-testid="compare-schema">
        <thead>
          <tr>
            <th>Change</th>
            <th>Column</th>
            <th>In A</th>
            <th>In B</th>
            {mapped && <th>Mapping</th>}
          </tr>
        </thead>
        <tbody>
          {changes.map((c, i) => (
            <tr key={i} data-testid="compare-schema-change" data-kind={c.kind}>
              <td>
                <span className={`cc-kind ${c.kind}`}>{KIND_TEXT[c.kind]}</span>
              </td>
              <td className="cc-value">{c.path}</td>
              <td className="cc-value">{c.kind === 'added' ? '—' : cell(c, 'from')}</td>
              <td className="cc-value">{c.kind === 'dropped' ? '—' : cell(c, 'to')}</td>
              {mapped && (
                <td className="cc-value muted">
                  {[c.columnMappingId !== undefined ? `id ${c.columnMappingId}` : '', c.physicalName ?? ''].filter(Boolean).join(' · ')}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PropertiesTable({ p }: { p: CompareResult['properties'] }) {
  const rows = [
    ...p.added.map((x) => ({ kind: 'added', key: x.key, from: null as string | null, to: x.value as string | null })),
    ...p.changed.map((x) => ({ kind: 'changed', key: x.key, from: x.from, to: x.to })),
    ...p.removed.map((x) => ({ kind: 'removed', key: x.key, from: x.value, to: null })),
  ];
  if (!rows.length) return <p className="muted small compare-empty" data-testid="compare-properties-none">No property changes.</p>;
  return (
    <div className="cc-scroll">
      <table className="cc-table" data-testid="compare-properties">
        <thead>
          <tr>
            <th>Change</th>
            <th>Property</th>
            <th>In A</th>
            <th>In B</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((x) => (
            <tr key={`${x.kind}:${x.key}`} data-testid="compare-property" data-kind={x.kind} data-key={x.key}>
              <td>
                <span className={`cc-kind ${x.kind}`}>{x.kind}</span>
              </td>
              <td className="cc-value">{x.key}</td>
              <td className="cc-value">{x.from ?? '—'}</td>
              <td className="cc-value">{x.to ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProtocolDiff({ p }: { p: CompareResult['protocol'] }) {
  const list = (xs: string[] | null) => (xs === null ? '(implied by the versions)' : xs.length ? xs.join(', ') : '(none)');
  const same = (x: ProtocolInfo, y: ProtocolInfo) => JSON.stringify(x) === JSON.stringify(y);
  const rows: [string, string, string][] = [
    ['Reader version', String(p.from.minReaderVersion), String(p.to.minReaderVersion)],
    ['Writer version', String(p.from.minWriterVersion), String(p.to.minWriterVersion)],
    ['Reader features', list(p.from.readerFeatures), list(p.to.readerFeatures)],
    ['Writer features', list(p.from.writerFeatures), list(p.to.writerFeatures)],
  ];
  return (
    <div data-testid="compare-protocol" data-changed={!same(p.from, p.to)}>
      {same(p.from, p.to) ? (
        <p className="muted small compare-empty">
          No protocol change (reader {p.from.minReaderVersion}, writer {p.from.minWriterVersion}).
        </p>
      ) : (
        <div className="cc-scroll">
          <table className="cc-table">
            <thead>
              <tr>
                <th></th>
                <th>In A</th>
                <th>In B</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([label, x, y]) => (
                <tr key={label} data-testid="compare-protocol-row" data-changed={x !== y}>
                  <th scope="row">{label}</th>
                  <td className="cc-value">{x}</td>
                  <td className="cc-value">{x === y ? <span className="muted">{y}</span> : <strong>{y}</strong>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(p.featuresAdded.length > 0 || p.featuresRemoved.length > 0) && (
        <p className="small" data-testid="compare-features">
          {p.featuresAdded.length > 0 && (
            <>
              Features now in force: <span className="cc-value">{p.featuresAdded.join(', ')}</span>.{' '}
            </>
          )}
          {p.featuresRemoved.length > 0 && (
            <>
              Features no longer in force: <span className="cc-value">{p.featuresRemoved.join(', ')}</span>.
            </>
          )}
        </p>
      )}
    </div>
  );
}

