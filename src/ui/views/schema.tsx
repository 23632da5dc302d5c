/**
 * The Schema view: the selected version's schema as a tree (expand/collapse nested structs, arrays
 * and maps) with Delta type names, nullability, comments, column mapping physical names and ids,
 * generated/identity/default columns, invariants, type changes, collations; the table's CHECK
 * constraints and clustering columns; and the timeline of schema changes (computed in the worker
 * from every commit's `metaData`), up to the selected version. Every table-provided string is text.
 *
 * The rows, types, column metadata, constraints and clustering come from the worker
 * (`summary.schema`, `src/explore/schema-tree.ts`); this view does not parse the schema.
 */
import { Fragment, useEffect, useMemo, useState } from 'react';
import type { SchemaRow } from '../../explore/schema-tree.ts';
import type { SchemaColumnChange } from '../../explore/schema-diff.ts';
import type { FieldInfo } from '../../delta/schema.ts';
import type { SchemaTimeline } from '../../workers/api.ts';
import { formatTimestamp, plural } from '../../explore/format.ts';
import { ErrorPanel } from '../components/error-panel.tsx';
import { useWorkerLoad } from '../components/use-worker-load.ts';
import type { ViewProps } from './view-props.ts';
import { VariantShreddingSection } from './variant-shredding.tsx';
import './views.css';

/** The rows to show: every row whose ancestors are all expanded. */
function visibleRows(rows: SchemaRow[], open: (p: string) => boolean): SchemaRow[] {
  const shown = new Set<string>();
  const out: SchemaRow[] = [];
  for (const r of rows) {
    if (r.parent !== null && !(shown.has(r.parent) && open(r.parent))) continue;
    shown.add(r.path);
    out.push(r);
  }
  return out;
}

/** What the timeline says about one column up to the selected version. */
interface ColumnHistory {
  added?: number;
  changed: number[];
}

function columnHistories(timeline: SchemaTimeline | null, version: number): Map<string, ColumnHistory> {
  const out = new Map<string, ColumnHistory>();
  if (!timeline) return out;
  for (const e of timeline.entries) {
    if (e.version > version) break;
    for (const c of e.changes) {
      if (c.kind === 'dropped') {
        out.delete(c.path);
        continue;
      }
      if (c.kind === 'renamed' && c.previousPath) {
        const prev = out.get(c.previousPath);
        out.delete(c.previousPath);
        out.set(c.path, { added: prev?.added, changed: [...(prev?.changed ?? []), e.version] });
        continue;
      }
      const h = out.get(c.path) ?? { changed: [] };
      if (c.kind === 'added') {
        if (!e.initial) h.added = e.version;
      } else if (!h.changed.includes(e.version)) h.changed.push(e.version);
      out.set(c.path, h);
    }
  }
  return out;
}

function FieldDetails({ info, partition, clustering }: { info: FieldInfo; partition: boolean; clustering: boolean }) {
  const items: { label: string; value: string; code?: boolean }[] = [];
  if (info.comment !== undefined) items.push({ label: 'comment', value: info.comment });
  if (info.physicalName !== undefined) items.push({ label: 'physical', value: info.physicalName, code: true });
  if (info.columnMappingId !== undefined) items.push({ label: 'id', value: String(info.columnMappingId) });
  if (info.generationExpression !== undefined) items.push({ label: 'generated as', value: info.generationExpression, code: true });
  if (info.identity) {
    const i = info.identity;
    const parts = [`start ${i.start ?? '?'}`, `step ${i.step ?? '?'}`];
    if (i.highWaterMark !== undefined) parts.push(`high water mark ${i.highWaterMark}`);
    if (i.allowExplicitInsert !== undefined) parts.push(i.allowExplicitInsert ? 'explicit inserts allowed' : 'generated always');
    items.push({ label: 'identity', value: parts.join(', ') });
  }
  if (info.defaultExpression !== undefined) items.push({ label: 'default', value: info.defaultExpression, code: true });
  if (info.invariants !== undefined) items.push({ label: 'invariant', value: info.invariants, code: true });
  for (const tc of info.typeChanges ?? []) {
    items.push({
      label: 'type change',
      value: `${tc.fieldPath ? `${tc.fieldPath}: ` : ''}${tc.fromType} → ${tc.toType}${tc.tableVersion !== undefined ? ` (v${tc.tableVersion})` : ''}`,
    });
  }
  for (const [k, v] of Object.entries(info.collations ?? {})) items.push({ label: 'collation', value: `${k}: ${v}` });
  return (
    <span className="schema-details">
      {partition && <span className="badge badge-partition">partition</span>}
      {clustering && <span className="badge badge-cluster">clustering</span>}
      {items.map((it, i) => (
        <span key={i} className="detail" data-detail={it.label}>
          <span className="muted">{it.label}</span> {it.code ? <code>{it.value}</code> : <span>{it.value}</span>}
        </span>
      ))}
    </span>
  );
}

function changeText(c: SchemaColumnChange): string {
  const nullability = (n: boolean | undefined) => (n ? 'nullable' : 'not null');
  switch (c.kind) {
    case 'added':
      return `added ${c.path}${c.to ? ` (${c.to})` : ''}`;
    case 'dropped':
      return `dropped ${c.path}`;
    case 'renamed':
      return `renamed ${c.previousPath ?? c.from} → ${c.path}`;
    case 'type':
      return `${c.path}: ${c.from} → ${c.to}`;
    case 'nullability':
      return `${c.path}: ${nullability(c.fromNullable)} → ${nullability(c.toNullable)}`;
    case 'comment':
      return `${c.path}: comment ${c.from === undefined ? 'set' : c.to === undefined ? 'removed' : 'changed'}${c.to !== undefined ? ` to “${c.to}”` : ''}`;
    default:
      return c.path;
  }
}

function Timeline({ timeline, version, onTravel }: { timeline: SchemaTimeline; version: number; onTravel: (v: number) => void }) {
  const entries = timeline.entries.filter((e) => e.version <= version);
  const later = timeline.entries.length - entries.length;
  return (
    <div className="schema-timeline" data-testid="schema-timeline">
      {timeline.firstVersion > 0 && <p className="muted small">The retained history starts at version {timeline.firstVersion}.</p>}
      <ol>
        {entries.map((e) => {
          const shown = e.initial && e.changes.length > 12 ? e.changes.slice(0, 12) : e.changes;
          return (
            <li key={e.version} data-version={e.version} className={e.version === version ? 'current' : ''}>
              <div className="timeline-head">
                <button type="button" className="link" onClick={() => onTravel(e.version)} title="Travel to this version">
                  v{e.version}
                </button>
                <span className="muted small">
                  {formatTimestamp(e.timestampMs)}
                  {e.operation ? ` · ${e.operation}` : ''}
                  {` · ${plural(e.numColumns, 'column')}`}
                </span>
              </div>
              {e.initial ? (
                <div className="small">
                  {e.version === 0 ? 'Created' : 'Schema as of the oldest retained commit'} with {plural(e.changes.filter((c) => c.kind === 'added').length, 'column')}
                  {shown.length < e.changes.length && <span className="muted"> (first {shown.length} shown)</span>}:{' '}
                  <span className="muted">{shown.map((c) => c.path).join(', ')}</span>
                </div>
              ) : (
                <ul className="changes">
                  {e.changes.map((c, i) => (
                    <li key={i} className={`change change-${c.kind}`} data-kind={c.kind} data-column={c.path}>
                      <span className="badge">{c.kind}</span> {changeText(c)}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
      {later > 0 && <p className="muted small">{plural(later, 'later schema change')} after version {version}.</p>}
      {timeline.warnings.map((w, i) => (
        <p key={i} className="notice warn">{w}</p>
      ))}
    </div>
  );
}

export function SchemaView(props: ViewProps) {
  const { summary, client, table } = props;
  const view = summary.schema;
  const mode = view.columnMappingMode;
  const clustering = view.clustering;
  const constraints = view.constraints;

  // Expanded paths: everything when the schema is small, else the top level only.
  const allPaths = useMemo(() => view.rows.filter((r) => r.expandable).map((r) => r.path), [view.rows]);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(allPaths.length <= 40 ? allPaths : []));
  useEffect(() => {
    setExpanded((prev) => (prev.size === 0 && allPaths.length <= 40 ? new Set(allPaths) : prev));
  }, [allPaths]);
  const rows = useMemo(() => visibleRows(view.rows, (p) => expanded.has(p)), [view.rows, expanded]);
  const toggle = (p: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(p)) next.delete(p);
      else next.add(p);
      return next;
    });

  // The timeline: once per table (it covers every version; the view filters to the selected one).
  const timeline = useWorkerLoad((signal) => client.schemaHistory(table.tableId, { signal }), [client, table.tableId, summary.latestVersion]);
  const histories = useMemo(() => columnHistories(timeline.value, summary.version), [timeline.value, summary.version]);

  return (
    <section className="panel view-schema" data-testid="view-schema" data-version={summary.version}>
      <header className="view-head">
        <h2>Schema</h2>
        <span className="muted small">
          version {summary.version}
          {view.numColumns !== null && ` · ${plural(view.numColumns, 'column')}`}
          {mode !== 'none' && ` · column mapping: ${mode}`}
        </span>
        {allPaths.length > 0 && (
          <span className="view-actions">
            <button type="button" onClick={() => setExpanded(new Set(allPaths))}>Expand all</button>
            <button type="button" onClick={() => setExpanded(new Set())}>Collapse all</button>
          </span>
        )}
      </header>
      {view.error !== null && <div className="notice warn">The schema cannot be parsed: {view.error}</div>}
      {view.numColumns === 0 && <p className="muted">This version has no columns.</p>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="schema-tree" data-testid="schema-tree">
            <thead>
              <tr>
                <th>Column</th>
                <th>Type</th>
                <th>Null</th>
                <th>Details</th>
                <th>History</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const h = histories.get(r.path);
                return (
                  <tr key={r.path} data-column={r.path} data-type={r.type}>
                    <td className="schema-name" style={{ paddingLeft: `${0.5 + r.depth * 1.25}rem` }}>
                      {r.expandable ? (
                        <button type="button" className="tree-toggle" aria-expanded={expanded.has(r.path)} aria-label={`${expanded.has(r.path) ? 'Collapse' : 'Expand'} ${r.path}`} onClick={() => toggle(r.path)}>
                          {expanded.has(r.path) ? '▾' : '▸'}
                        </button>
                      ) : (
                        <span className="tree-spacer" />
                      )}
                      <span className={r.facts ? 'col-name' : 'col-name muted'}>{r.name}</span>
                    </td>
                    <td className="schema-type">
                      <code>{r.expandable ? r.shortType : r.type}</code>
                    </td>
                    <td className={r.nullable ? 'muted small' : 'small'}>{r.nullable ? 'nullable' : 'not null'}</td>
                    <td>{r.facts && <FieldDetails info={r.facts} partition={r.partition} clustering={r.clustering} />}</td>
                    <td className="small">
                      {h?.added !== undefined && (
                        <button type="button" className="link" onClick={() => props.onTravel(h.added!)}>
                          added v{h.added}
                        </button>
                      )}
                      {h && h.changed.length > 0 && (
                        <span className="muted">
                          {h.added !== undefined ? ' · ' : ''}changed{' '}
                          {h.changed.map((v, i) => (
                            <Fragment key={v}>
                              {i > 0 && ', '}
                              <button type="button" className="link" onClick={() => props.onTravel(v)}>
                                v{v}
                              </button>
                            </Fragment>
                          ))}
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {(constraints.length > 0 || clustering.columns.length > 0 || clustering.error) && (
        <div className="schema-extras">
          {constraints.length > 0 && (
            <div data-testid="schema-constraints">
              <h3>CHECK constraints</h3>
              <ul>
                {constraints.map((c) => (
                  <li key={c.name}>
                    <span>{c.name}</span>: <code>{c.expression}</code>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {(clustering.columns.length > 0 || clustering.error) && (
            <div data-testid="schema-clustering">
              <h3>Clustering columns</h3>
              {clustering.error && <p className="notice warn">{clustering.error}</p>}
              <ul>
                {clustering.columns.map((c, i) => (
                  <li key={i}>
                    <code>{c.name}</code>
                    {!c.resolved && <span className="muted small"> (not found in the schema)</span>}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}

      <VariantShreddingSection client={client} table={table} summary={summary} />

      <h3>Schema changes</h3>
      {!timeline.value && !timeline.error && <p className="muted small">Reading the schema of every commit…</p>}
      {timeline.error && <ErrorPanel error={timeline.error} />}
      {timeline.value && <Timeline timeline={timeline.value} version={summary.version} onTravel={props.onTravel} />}
    </section>
  );
}
