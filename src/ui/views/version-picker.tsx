/**
 * Time travel: the version shown, a slider over the retained versions and a number box. Changes
 * are reported through `onChange` (the app writes them to `?version=` and loads that snapshot);
 * dragging the slider reports once it rests for a moment, the box on Enter or "Go".
 */
import { useEffect, useRef, useState } from 'react';

/** Props of {@link VersionPicker}. */
export interface VersionPickerProps {
  /** The version shown now. */
  version: number;
  /** Oldest version offered (the oldest retained commit, or 0 until history is known). */
  minVersion: number;
  latestVersion: number;
  /** The version being loaded, when a change is in flight. */
  pending?: number;
  /** Called with the version picked; `undefined` means "latest". */
  onChange: (version: number | undefined) => void;
  /** Stops loading the pending version. */
  onCancel?: () => void;
}

/** How long the slider must rest before its value is loaded, ms. */
const SLIDER_SETTLE_MS = 250;

/** The version bar above the overview. */
export function VersionPicker({ version, minVersion, latestVersion, pending, onChange, onCancel }: VersionPickerProps) {
  const [draft, setDraft] = useState(String(version));
  const [slider, setSlider] = useState(version);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    setDraft(String(version));
    setSlider(version);
  }, [version]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const min = Math.min(minVersion, version);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = () => {
    const text = draft.trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) setProblem(`"${draft}" is not a version: versions are whole numbers from ${min} to ${latestVersion}.`);
    else if (n > latestVersion) setProblem(`Version ${n} does not exist yet: the latest version is ${latestVersion}.`);
    else if (n < min) setProblem(`Version ${n} is no longer in the log: the oldest retained version is ${min}.`);
    else {
      setProblem(null);
      if (n !== version) onChange(n);
    }
  };

  return (
    <section className="panel version-picker" data-testid="version-picker" aria-label="Version">
      <span className="version-label">
        Version <strong data-testid="version-current" data-value={version}>{version}</strong>
        <span className="muted small"> of {latestVersion}</span>
        {version !== latestVersion && <span className="badge" data-testid="time-travel">time travel</span>}
      </span>
      <input
        type="range"
        min={min}
        max={latestVersion}
        step={1}
        value={slider}
        disabled={latestVersion === min}
        aria-label="Version slider"
        data-testid="version-slider"
        onChange={(e) => {
          const n = Number(e.currentTarget.value);
          setSlider(n);
          setDraft(String(n));
          clearTimeout(timer.current);
          timer.current = setTimeout(() => n !== version && onChange(n), SLIDER_SETTLE_MS);
        }}
      />
      <form
        className="version-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <input
          type="number"
          min={0}
          max={latestVersion}
          step={1}
          value={draft}
          aria-label="Version number"
          data-testid="version-input"
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'version-problem' : undefined}
          onChange={(e) => {
            setDraft(e.currentTarget.value);
            setProblem(null);
          }}
        />
        <button type="submit" data-testid="version-go">
          Go
        </button>
        <button type="button" disabled={version === latestVersion} onClick={() => onChange(undefined)} data-testid="version-latest">
          Latest
        </button>
      </form>
      {problem && (
        <span className="field-problem small" id="version-problem" role="alert" data-testid="version-problem">
          {problem}
        </span>
      )}
      {pending !== undefined && (
        <span className="progress-line small" role="status" data-testid="version-loading">
          <span className="spinner" aria-hidden="true" /> loading version {pending}…
          {onCancel && (
            <button type="button" className="link" onClick={onCancel} data-testid="version-cancel">
              Cancel
            </button>
          )}
        </span>
      )}
    </section>
  );
}

/** `ms` as the time box's text: ISO 8601 UTC (`2024-05-01T12:00:00.250Z`; whole seconds without `.000`). */
export function toUtcInputValue(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/**
 * A time typed as ISO 8601 → ms since the epoch, or null when empty or not a time. Without an
 * offset the time is read as UTC; `Z` or `±hh:mm` are honoured. A date alone is midnight UTC.
 * Accepted: `2024-05-01`, `2024-05-01T12:00`, `2024-05-01 12:00:00.250`, `2024-05-01T12:00:00Z`, `…+02:00`.
 */
export function fromUtcInputValue(value: string): number | null {
  const v = value.trim().replace(' ', 'T');
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?)?(Z|[+-]\d{2}:\d{2})?$/i.exec(v);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? ':00'}${(m[4] ?? 'Z').toUpperCase()}`);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Travel by time: a `datetime-local` input read as UTC; "Go" asks for the version current at that
 * time (the worker follows the protocol's timestamp rules). Shows the commit time of the version shown.
 */
export function TimestampPicker({ timestampMs, onPick }: { timestampMs: number | null; onPick: (timestampMs: number) => void }) {
  const [draft, setDraft] = useState(timestampMs === null ? '' : toUtcInputValue(timestampMs));
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (timestampMs !== null) setDraft(toUtcInputValue(timestampMs));
    setTouched(false);
  }, [timestampMs]);
  const ms = fromUtcInputValue(draft);
  const invalid = touched && draft.trim() !== '' && ms === null;
  return (
    <form
      className="panel timestamp-picker"
      data-testid="timestamp-picker"
      aria-label="Travel to a time"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (ms !== null) onPick(ms);
      }}
    >
      <label className="small">
        At time <span className="muted">(ISO 8601, UTC unless an offset is given)</span>{' '}
        <input
          type="text"
          inputMode="numeric"
          spellCheck={false}
          placeholder="2024-05-01T12:00:00Z"
          value={draft}
          aria-invalid={invalid}
          aria-describedby={invalid ? 'timestamp-problem' : undefined}
          onChange={(e) => {
            setDraft(e.currentTarget.value);
            setTouched(false);
          }}
          data-testid="timestamp-input"
        />
      </label>
      <button type="submit" disabled={!draft.trim()} data-testid="timestamp-go">
        Go
      </button>
      {invalid && (
        <span className="field-problem small" id="timestamp-problem" role="alert" data-testid="timestamp-problem">
          “{draft}” is not a time: write e.g. 2024-05-01T12:00:00Z.
        </span>
      )}
    </form>
  );
}
