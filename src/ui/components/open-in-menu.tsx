/**
 * "Open in …": the question of the view (data at a version, changes between versions, a compare)
 * as ready-to-run code for Spark SQL, PySpark, delta-rs, DuckDB and Trino (`src/explore/handoff.ts`),
 * with a copy button; where an engine cannot express it, the reason instead of code. Credentials
 * never appear: the code reads them from the environment.
 */
import { useState } from 'react';
import { HANDOFF_ENGINES, HANDOFF_ENGINE_NAMES, handoff, type HandoffEngine, type HandoffQuery, type TableLocation } from '../../explore/handoff.ts';
import type { OpenedTable } from '../../workers/api.ts';
import { CopyButton } from './copy-button.tsx';
import './open-in-menu.css';

const join = (...parts: string[]) => parts.filter(Boolean).join('/');

/** Where the open table lives, for the code (a local folder's path is not known to the browser). */
export function handoffLocation(table: OpenedTable): { location: TableLocation | null; note?: string } {
  const r = table.remote;
  if (!r) return { location: { kind: 'local', path: `/path/to/${table.label}` }, note: `Replace /path/to/${table.label} with the folder's path on the machine that runs the code.` };
  switch (r.kind) {
    case 's3':
      return { location: { kind: 's3', bucket: r.bucket, prefix: join(r.prefix, table.root), endpoint: r.endpoint, region: r.region, pathStyle: !!r.endpoint } };
    case 'lakefs':
      return { location: { kind: 'lakefs', endpoint: r.endpoint, repository: r.repository, ref: r.commitId ?? r.ref, path: join(r.path, table.root) } };
    case 'http':
      return { location: { kind: 'http', url: join(r.url.replace(/\/+$/, ''), table.root) } };
    default:
      return { location: null, note: 'This table was opened from a share link whose URLs expire; open it from its store to get code for another engine.' };
  }
}

/** The menu. `extraNote` is shown above the code (e.g. "the SQL itself was not carried over"). */
export function OpenInMenu({ table, query, extraNote }: { table: OpenedTable; query: HandoffQuery; extraNote?: string }) {
  const [engine, setEngine] = useState<HandoffEngine>('spark');
  const { location, note } = handoffLocation(table);
  const r = location ? handoff(engine, location, query) : null;
  return (
    <details className="open-in" data-testid="open-in">
      <summary data-testid="open-in-button">Open in …</summary>
      <div className="open-in-body">
        <div className="open-in-engines" role="tablist">
          {HANDOFF_ENGINES.map((e) => (
            <button
              key={e}
              type="button"
              role="tab"
              aria-selected={e === engine}
              className={e === engine ? 'selected' : ''}
              data-testid="open-in-engine"
              data-engine={e}
              onClick={() => setEngine(e)}
            >
              {HANDOFF_ENGINE_NAMES[e]}
            </button>
          ))}
        </div>
        {extraNote && <p className="small muted">{extraNote}</p>}
        {note && <p className="small muted" data-testid="open-in-location-note">{note}</p>}
        {!r ? null : r.ok ? (
          <>
            <pre className="open-in-code" data-testid="open-in-code" data-engine={engine}>
              {r.code}
            </pre>
            <CopyButton text={r.code} label="Copy code" testId="open-in-copy" />
            {r.notes.map((n) => (
              <p key={n} className="small muted">
                {n}
              </p>
            ))}
          </>
        ) : (
          <p className="small" data-testid="open-in-unsupported">
            {r.unsupported}
          </p>
        )}
      </div>
    </details>
  );
}
