/** The tables found in an opened folder that holds several: pick one. */
import type { TableCandidate, TableCandidates } from '../../workers/api.ts';
import { plural } from '../../explore/format.ts';

export function CandidateList({ result, onPick }: { result: TableCandidates; onPick: (c: TableCandidate) => void }) {
  return (
    <section className="panel" data-testid="candidates">
      <h2>
        {result.candidates.length} tables in <code>{result.label}</code>
      </h2>
      <p className="muted">This folder holds several Delta tables. Pick one to open.</p>
      <ul className="candidates">
        {result.candidates.map((c) => (
          <li key={c.path}>
            <button type="button" className="candidate" data-testid="candidate" data-path={c.path} onClick={() => onPick(c)}>
              <span className="candidate-path">{c.path}</span>
              <span className="muted small">
                {c.latestVersion === null ? 'no commits' : `version ${c.latestVersion}`}
                {c.hasCheckpoint ? ' · checkpointed' : ''} · {plural(c.numLogFiles, 'log file')}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
