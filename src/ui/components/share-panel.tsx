/**
 * "Share": a read-only link to the open table, version, view and query. A public URL table is
 * shared by the page URL itself. An S3 or lakeFS table gets a link whose fragment carries a manifest
 * of presigned URLs valid for the time chosen (up to 7 days), or points at a manifest stored beside
 * the table; no credential is in the link. The recipient's app opens it read-only (see
 * {@link ShareBanner}).
 */
import { useEffect, useState } from 'react';
import type { ErrorInfo, OpenedTable, ShareLink } from '../../workers/api.ts';
import { errorInfoOf, type ExplorerClient } from '../worker-client.ts';
import { CopyButton } from './copy-button.tsx';
import { ErrorPanel } from './error-panel.tsx';

/** Link lifetimes offered, seconds. */
const EXPIRIES: { label: string; seconds: number }[] = [
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 604_800 },
];

/** The page URL to share: the current query (view, version, sql …) without `url=`, and `#fragment`. */
export function shareHref(fragment: string, version: number): string {
  const u = new URL(window.location.href);
  u.searchParams.delete('url');
  u.searchParams.set('version', String(version));
  u.hash = fragment;
  return u.toString();
}

/** A date-time for people, in the browser's zone, e.g. `2026-11-29 14:05`. */
export function formatExpiry(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The Share panel of an open table at `version`. */
export function SharePanel({ client, table, version, onClose }: { client: ExplorerClient; table: OpenedTable; version: number; onClose: () => void }) {
  const [seconds, setSeconds] = useState(86_400);
  const [storage, setStorage] = useState<'fragment' | 'object'>('fragment');
  const [link, setLink] = useState<(ShareLink & { href: string }) | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  useEffect(() => setLink(null), [table.tableId, version]);

  if (table.remote?.kind === 'http') {
    return (
      <section className="panel share-panel" data-testid="share-panel">
        <h2>Share</h2>
        <p>This table is at a public URL: the page's link opens the same table, version and view for anyone who can reach it.</p>
        <div className="row">
          <input readOnly className="share-link" value={window.location.href} data-testid="share-link" />
          <CopyButton text={window.location.href} label="Copy link" />
          <button type="button" className="link" onClick={onClose}>
            Close
          </button>
        </div>
      </section>
    );
  }

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const l = await client.createShareLink(table.tableId, { version, expiresInSeconds: seconds, storage });
      setLink({ ...l, href: shareHref(l.fragment, version) });
    } catch (e) {
      setError(errorInfoOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel share-panel" data-testid="share-panel">
      <h2>Share version {version} read-only</h2>
      <p className="muted small">
        The link carries presigned URLs of the files this version needs (never your keys). Anyone with the link can read these files until it expires.
      </p>
      <div className="row">
        <label>
          Valid for{' '}
          <select value={seconds} onChange={(e) => setSeconds(Number(e.currentTarget.value))} data-testid="share-expiry">
            {EXPIRIES.map((x) => (
              <option key={x.seconds} value={x.seconds}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="radio" name="share-storage" checked={storage === 'fragment'} onChange={() => setStorage('fragment')} data-testid="share-in-link" /> In the link
        </label>
        <label className="check">
          <input type="radio" name="share-storage" checked={storage === 'object'} onChange={() => setStorage('object')} data-testid="share-as-object" /> Store the manifest beside the table (writes one object)
        </label>
        <button type="button" className="primary" disabled={busy} onClick={() => void create()} data-testid="share-create">
          {busy ? 'Making link…' : 'Make link'}
        </button>
        <button type="button" className="link" onClick={onClose}>
          Close
        </button>
      </div>
      {link && (
        <div data-testid="share-result">
          <div className="row">
            <input readOnly className="share-link" value={link.href} data-testid="share-link" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={link.href} label="Copy link" />
          </div>
          <p className="muted small" data-testid="share-facts">
            {link.files.toLocaleString('en-US')} files · expires {formatExpiry(link.expiresAtMs)} · manifest {link.storage === 'fragment' ? `in the link (${link.length.toLocaleString('en-US')} characters)` : 'stored beside the table'}
          </p>
        </div>
      )}
      {error && <ErrorPanel error={error} onDismiss={() => setError(null)} />}
    </section>
  );
}

/** The recipient's banner: read-only, which version, when the link expires (or that it has). */
export function ShareBanner({ expiresAtMs, version }: { expiresAtMs: number; version: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(t);
  }, []);
  const expired = now >= expiresAtMs;
  return (
    <p className={`banner ${expired ? 'warn' : ''}`} data-testid="share-banner" role="status">
      Shared link, read-only: version {version}.{' '}
      {expired ? <strong>This link expired on {formatExpiry(expiresAtMs)}; files not loaded yet can no longer be read.</strong> : <>It expires {formatExpiry(expiresAtMs)}.</>}
    </p>
  );
}
