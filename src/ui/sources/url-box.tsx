/**
 * Where a remote table comes in: a box for the HTTP(S) URL of a table root (or of a folder holding
 * tables), and the bundled sample tables as one-click buttons. Reports what the user chose; does
 * not open anything itself.
 */
import { useEffect, useState } from 'react';
import type { Sample } from './samples.ts';

/** Props of {@link UrlBox}. */
export interface UrlBoxProps {
  /** The URL of the table open now (shown in the box), or '' when none or a local folder. */
  current: string;
  /** Called with the URL typed (trimmed, non-empty). */
  onOpenUrl: (url: string) => void;
  samples: readonly Sample[];
  /** Called when a sample button is pressed. */
  onSample: (sample: Sample) => void;
  /** Smaller layout (when a table is already open). */
  compact?: boolean;
}

/** The URL box and the sample buttons. */
export function UrlBox({ current, onOpenUrl, samples, onSample, compact }: UrlBoxProps) {
  const [text, setText] = useState(current);
  // Follow the table opened elsewhere (a sample button, back/forward, a dropped folder).
  useEffect(() => setText(current), [current]);

  return (
    <div className={`url-box${compact ? ' compact' : ''}`} data-testid="url-box">
      <form
        className="url-form"
        onSubmit={(e) => {
          e.preventDefault();
          const url = text.trim();
          if (url) onOpenUrl(url);
        }}
      >
        <label htmlFor="table-url" className={compact ? 'visually-hidden' : 'url-label'}>
          Table URL
        </label>
        <input
          id="table-url"
          type="text"
          inputMode="url"
          spellCheck={false}
          autoComplete="url"
          placeholder="https://…/my_table (the folder that holds _delta_log)"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid="url-input"
        />
        <button type="submit" className="primary" disabled={!text.trim()} data-testid="url-open">
          Open URL
        </button>
      </form>
      <div className="samples" data-testid="samples">
        <span className="muted small">Samples:</span>
        {samples.map((s) => (
          <button
            key={s.id}
            type="button"
            className="sample"
            title={`${s.id}: ${s.description}`}
            onClick={() => onSample(s)}
            data-testid="sample"
            data-sample={s.id}
          >
            {s.title}
            {!compact && <span className="muted small sample-description">{s.description}</span>}
          </button>
        ))}
      </div>
      {!compact && (
        <p className="muted small">
          The server must allow this page by CORS. S3-style listings (<code>?list-type=2</code>) are used when the server answers them.
        </p>
      )}
    </div>
  );
}
