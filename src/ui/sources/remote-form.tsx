/**
 * What the S3 and lakeFS panels share: one worker call at a time (a new one aborts the old one,
 * its label shown while it runs, its failure kept as an error), and the text fields of a
 * connect form bound to one settings object.
 */
import { useEffect, useRef, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import type { ErrorInfo, RemoteListing } from '../../workers/api.ts';
import { errorInfoOf } from '../worker-client.ts';
import { remember } from './remember.ts';

/** The state of a panel's calls; see {@link useRemoteCall}. */
export interface RemoteCall {
  /** The label of the call running ("Connecting…"), or null. */
  busy: string | null;
  error: ErrorInfo | null;
  setError: (e: ErrorInfo | null) => void;
  /** Runs `fn` as the panel's call; resolves to its value, or undefined when it failed or was replaced. */
  run: <T>(label: string, fn: (signal: AbortSignal) => Promise<T>) => Promise<T | undefined>;
  /** Aborts the call running, if any. */
  abort: () => void;
}

/** One call at a time for a panel (aborted when the panel unmounts). */
export function useRemoteCall(): RemoteCall {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const op = useRef<AbortController | null>(null);
  useEffect(() => () => op.current?.abort(), []);
  const run = async <T,>(label: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> => {
    op.current?.abort();
    const c = new AbortController();
    op.current = c;
    setBusy(label);
    setError(null);
    try {
      return await fn(c.signal);
    } catch (e) {
      if (op.current === c) setError(errorInfoOf(e));
      return undefined;
    } finally {
      if (op.current === c) setBusy(null);
    }
  };
  return { busy, error, setError, run, abort: () => op.current?.abort() };
}

/** Props of {@link FormField}. */
export interface FormFieldProps<F> {
  form: F;
  setForm: (f: F) => void;
  name: keyof F & string;
  label: string;
  /** `data-testid` is `<testPrefix>-<name>`. */
  testPrefix: string;
  input?: Partial<InputHTMLAttributes<HTMLInputElement>>;
}

/** A labelled text input bound to `form[name]` (no spell check, no autocomplete). */
export function FormField<F extends object>({ form, setForm, name, label, testPrefix, input }: FormFieldProps<F>) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        name={name}
        data-testid={`${testPrefix}-${name}`}
        value={String((form[name] as unknown) ?? '')}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
        {...input}
      />
    </label>
  );
}

/** Props of {@link RememberAndConnect}. */
export interface RememberAndConnectProps {
  /** Which settings the box stores (see `remember.ts`). */
  kind: 's3' | 'lakefs';
  /** Test ids are `<kind>-remember` and `<kind>-connect`. */
  keep: boolean;
  setKeep: (keep: boolean) => void;
  /** What is remembered, for the label, e.g. "these settings and keys". */
  what: string;
  /** The label of the call running, or null. */
  busy: string | null;
}

/**
 * The opt-in "remember on this device" box (unticking it forgets what was stored) and the Connect
 * button of a connect form, with the running call's label.
 */
export function RememberAndConnect({ kind, keep, setKeep, what, busy }: RememberAndConnectProps) {
  return (
    <>
      <label className="check">
        <input
          type="checkbox"
          data-testid={`${kind}-remember`}
          checked={keep}
          onChange={(e) => {
            setKeep(e.currentTarget.checked);
            if (!e.currentTarget.checked) remember(kind, null);
          }}
        />
        Remember {what} on this device (stored unencrypted in this browser)
      </label>
      <div className="row">
        <button type="submit" className="primary" data-testid={`${kind}-connect`} disabled={!!busy}>
          Connect
        </button>
        {busy && <span className="muted small">{busy}</span>}
      </div>
    </>
  );
}

/** Props of {@link FolderBrowser}. */
export interface FolderBrowserProps {
  /** Test ids: `<testPrefix>-crumbs`, `-folders`, `-folder`, `-open`. */
  testPrefix: string;
  listing: RemoteListing;
  /** The label of the top crumb (bucket, repository@ref). */
  rootLabel: string;
  onBrowse: (prefix: string) => void;
  onOpen: (prefix: string) => void;
  /** Shown between the breadcrumbs and the sub-folders (e.g. "this folder is a table"). */
  children?: ReactNode;
}

/**
 * A browsed folder of a connection: breadcrumbs back to the top, then its sub-folders, each
 * browsable, the Delta tables among them marked and openable.
 */
export function FolderBrowser({ testPrefix, listing, rootLabel, onBrowse, onOpen, children }: FolderBrowserProps) {
  const crumbs = listing.place.prefix.split('/').filter(Boolean);
  return (
    <>
      <nav className="crumbs" aria-label="Folder" data-testid={`${testPrefix}-crumbs`}>
        <button type="button" className="link" onClick={() => onBrowse('')}>
          {rootLabel}
        </button>
        {crumbs.map((c, i) => (
          <span key={i}>
            {' / '}
            <button type="button" className="link" onClick={() => onBrowse(crumbs.slice(0, i + 1).join('/'))}>
              {c}
            </button>
          </span>
        ))}
      </nav>
      {children}
      <ul className="folder-list" data-testid={`${testPrefix}-folders`}>
        {listing.folders.map((f) => (
          <li key={f.path} data-testid={`${testPrefix}-folder`} data-path={f.path} data-table={f.isTable ? 'yes' : 'no'}>
            <button type="button" className="link" onClick={() => onBrowse(f.path)}>
              {f.name}/
            </button>
            {f.isTable && (
              <>
                {' '}
                <span className="badge">Delta table</span>{' '}
                <button type="button" data-testid={`${testPrefix}-open`} onClick={() => onOpen(f.path)}>
                  Open
                </button>
              </>
            )}
          </li>
        ))}
        {!listing.folders.length && !listing.isTable && <li className="muted">No sub-folders{listing.objectCount ? ` (${listing.objectCount} files)` : ''}.</li>}
      </ul>
      {listing.truncated && <p className="muted small">Only the first 1,000 entries are shown.</p>}
    </>
  );
}
