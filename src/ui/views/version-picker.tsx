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
}

/** How long the slider must rest before its value is loaded, ms. */
const SLIDER_SETTLE_MS = 250;

/** The version bar above the overview. */
export function VersionPicker({ version, minVersion, latestVersion, pending, onChange }: VersionPickerProps) {
  const [draft, setDraft] = useState(String(version));
  const [slider, setSlider] = useState(version);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    setDraft(String(version));
    setSlider(version);
  }, [version]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const min = Math.min(minVersion, version);
  const submit = () => {
    const n = Number(draft.trim());
    if (draft.trim() !== '' && Number.isSafeInteger(n) && n >= 0 && n !== version) onChange(n);
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
          onChange={(e) => setDraft(e.currentTarget.value)}
        />
        <button type="submit" data-testid="version-go">
          Go
        </button>
        <button type="button" disabled={version === latestVersion} onClick={() => onChange(undefined)} data-testid="version-latest">
          Latest
        </button>
      </form>
      {pending !== undefined && (
        <span className="progress-line small" role="status" data-testid="version-loading">
          <span className="spinner" aria-hidden="true" /> loading version {pending}…
        </span>
      )}
    </section>
  );
}
