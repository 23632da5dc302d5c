/**
 * Overview panel: which engines can read and write this table. Rows are engines, columns the
 * verdicts and the table's own features (reader features first); each cell says yes / no / ?, with
 * the first release and the source in its tooltip and a link to the source. Data and verdicts come
 * from `src/explore/compat` (pure; computed here from the snapshot's protocol).
 */
import { useMemo, useState } from 'react';
import { effectiveFeatures } from '../../delta/features.ts';
import { compatibilityFor, sourceOf, type EngineVerdict } from '../../explore/compat/compat.ts';
import { ENGINES, type CompatCell } from '../../explore/compat/engines.ts';
import type { SnapshotSummary } from '../../workers/api.ts';

const SYMBOL = { yes: '✓', no: '✗', unknown: '?' } as const;

function cellTitle(cell: CompatCell): string {
  const src = sourceOf(cell);
  return [cell.support === 'yes' ? `yes${cell.since ? ` since ${cell.since}` : ''}` : cell.support, cell.note, `Source: ${src.title}`, src.url]
    .filter(Boolean)
    .join('\n');
}

function Verdict({ v, testId }: { v: 'yes' | 'no' | 'unknown'; testId: string }) {
  const cls = v === 'yes' ? 'ok' : v === 'no' ? 'error' : 'warn';
  return (
    <span className={`status-pill ${cls}`} data-testid={testId} data-verdict={v}>
      {v === 'unknown' ? 'unknown' : v}
    </span>
  );
}

function Findings({ v }: { v: EngineVerdict }) {
  const parts: string[] = [];
  if (v.readBlockers.length) parts.push(`blocked by ${v.readBlockers.map((b) => b.feature).join(', ')}`);
  if (v.readUnknown.length) parts.push(`unknown: ${v.readUnknown.map((b) => b.feature).join(', ')}`);
  if (!v.readBlockers.length && v.writeBlockers.length) parts.push(`writes blocked by ${v.writeBlockers.map((b) => b.feature).join(', ')}`);
  return <span className="small">{parts.join(' · ') || (v.readSince ? `since ${v.readSince}` : '')}</span>;
}

/** The engine × feature matrix for a snapshot's protocol. */
export function CompatMatrix({ summary }: { summary: SnapshotSummary }) {
  const [showAll, setShowAll] = useState(false);
  const protocol = summary.protocol;
  const verdicts = useMemo(() => compatibilityFor(protocol), [protocol]);
  const eff = useMemo(() => effectiveFeatures(protocol), [protocol]);
  const features = eff.all;
  const readerSet = new Set(eff.readerFeatures);
  const blocked = verdicts.filter((v) => v.unblock.length);
  return (
    <div className="compat" data-testid="compat-matrix">
      <p className="small muted">
        Reader version {protocol.minReaderVersion}, writer version {protocol.minWriterVersion}
        {features.length ? ` · features: ${features.join(', ')}` : ' · no table features'}. Hover a cell for the release and its source; ? means the sources read do not say.
      </p>
      <div className="table-scroll">
        <table className="grid compat-grid">
          <thead>
            <tr>
              <th>Engine</th>
              <th>Read</th>
              <th>Write</th>
              <th>Why</th>
              {features.map((f) => (
                <th key={f} title={readerSet.has(f) ? 'reader + writer feature' : 'writer feature'}>
                  <code>{f}</code>
                  <span className="muted small">{readerSet.has(f) ? ' R/W' : ' W'}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {verdicts.map((v) => {
              const engine = ENGINES.find((e) => e.id === v.engineId)!;
              return (
                <tr key={v.engineId} data-testid="compat-row" data-engine={v.engineId}>
                  <td title={engine.howTo}>
                    {v.name}
                    <br />
                    <span className="muted small">{v.release}</span>
                  </td>
                  <td>
                    <Verdict v={v.read} testId="compat-read" />
                  </td>
                  <td>
                    <Verdict v={v.write} testId="compat-write" />
                  </td>
                  <td>
                    <Findings v={v} />
                  </td>
                  {features.map((f) => {
                    const r = engine.read[f];
                    const w = engine.write[f];
                    if (!r || !w) return <td key={f} title="not in the compatibility data">?</td>;
                    return (
                      <td key={f} data-feature={f} className="compat-cell">
                        <a href={/^https?:/.test(sourceOf(r).url) ? sourceOf(r).url : undefined} target="_blank" rel="noreferrer" title={`read: ${cellTitle(r)}`}>
                          {SYMBOL[r.support]}
                        </a>
                        <span className="muted">/</span>
                        <a href={/^https?:/.test(sourceOf(w).url) ? sourceOf(w).url : undefined} target="_blank" rel="noreferrer" title={`write: ${cellTitle(w)}`}>
                          {SYMBOL[w.support]}
                        </a>
                        {r.since && r.support === 'yes' && <span className="muted small"> {r.since}</span>}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {blocked.length > 0 && (
        <details data-testid="compat-unblock" open={showAll} onToggle={(e) => setShowAll((e.target as HTMLDetailsElement).open)}>
          <summary className="small">What would let the blocked engines read it</summary>
          <ul className="small">
            {blocked.map((v) => (
              <li key={v.engineId}>
                <strong>{v.name}</strong>
                <ul>
                  {v.unblock.map((u) => (
                    <li key={u}>
                      <code>{u}</code>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
