/**
 * Where tables come in: the drop zone / "Open folder…", the URL box with the samples, the S3 and
 * lakeFS panels, and the recent tables. With no table open they fill the page; once a table is
 * open they collapse into one compact bar (one line on a wide window), so the table gets the room
 * and another table is still one click away.
 */
import { lazy, useState } from 'react';
import type { ErrorInfo, OpenResult } from '../../workers/api.ts';
import { LazyBoundary } from '../components/lazy-boundary.tsx';
import { DropZone } from '../sources/drop-zone.tsx';
import type { PickedFolder } from '../sources/folder-walk.ts';
import { SAMPLES, type Sample } from '../sources/samples.ts';
import { UrlBox } from '../sources/url-box.tsx';
import type { ExplorerClient } from '../worker-client.ts';
import type { RecentTable } from './recent.ts';

const S3Panel = lazy(() => import('../sources/s3-panel.tsx').then((m) => ({ default: m.S3Panel })));
const LakeFsForm = lazy(() => import('../sources/lakefs-form.tsx').then((m) => ({ default: m.LakeFsForm })));

export interface SourcesBarProps {
  client: ExplorerClient;
  /** A table is open (or being opened): collapse to the compact bar. */
  collapsed: boolean;
  /** The URL of the table open now ('' for a local folder). */
  urlText: string;
  recent: readonly RecentTable[];
  onFolder: (folder: PickedFolder) => void;
  onUrl: (url: string) => void;
  onRemote: (result: OpenResult) => void;
  onError: (error: ErrorInfo) => void;
}

export function SourcesBar({ client, collapsed, urlText, recent, onFolder, onUrl, onRemote, onError }: SourcesBarProps) {
  /** Which remote source panel is shown. */
  const [remotePanel, setRemotePanel] = useState<'none' | 's3' | 'lakefs'>('none');
  /** Remote panels opened at least once (mounted from then on, hidden when not shown). */
  const [remoteMounted, setRemoteMounted] = useState({ s3: false, lakefs: false });
  const toggleRemote = (panel: 's3' | 'lakefs') => {
    setRemoteMounted((m) => (m[panel] ? m : { ...m, [panel]: true }));
    setRemotePanel((p) => (p === panel ? 'none' : panel));
  };
  const done = () => setRemotePanel('none');
  const shownRecent = recent.filter((r) => r.url !== urlText).slice(0, 5);

  return (
    <div className={`sources-bar${collapsed ? ' collapsed' : ''}`} data-testid="sources-bar">
      <div className="source-pickers">
        <div className={`sources${collapsed ? ' compact' : ''}`}>
          <DropZone
            onFolder={(f) => {
              done();
              onFolder(f);
            }}
            onError={onError}
            compact={collapsed}
          />
          <UrlBox
            current={urlText}
            compact={collapsed}
            samples={SAMPLES}
            onOpenUrl={(url) => {
              done();
              onUrl(url);
            }}
            onSample={(s: Sample) => {
              done();
              onUrl(s.path);
            }}
          />
        </div>
        <div className="remote-sources row" data-testid="remote-sources">
          <span className="muted small">Object stores:</span>
          <button type="button" aria-pressed={remotePanel === 's3'} data-testid="source-s3" onClick={() => toggleRemote('s3')}>
            S3…
          </button>
          <button type="button" aria-pressed={remotePanel === 'lakefs'} data-testid="source-lakefs" onClick={() => toggleRemote('lakefs')}>
            lakeFS…
          </button>
          {shownRecent.length > 0 && (
            <nav className="recent row" aria-label="Recent tables" data-testid="recent">
              <span className="muted small">Recent:</span>
              {shownRecent.map((r) => (
                <button key={r.url} type="button" className="chip" title={r.url} data-testid="recent-table" data-url={r.url} onClick={() => onUrl(r.url)}>
                  {r.title}
                </button>
              ))}
            </nav>
          )}
        </div>
        {/* Mounted when first opened, then kept mounted while hidden so a connection and its folder stay as they were. */}
        {remoteMounted.s3 && (
          <div hidden={remotePanel !== 's3'}>
            <LazyBoundary>
              <S3Panel
                client={client}
                onOpened={(r) => {
                  done();
                  onRemote(r);
                }}
              />
            </LazyBoundary>
          </div>
        )}
        {remoteMounted.lakefs && (
          <div hidden={remotePanel !== 'lakefs'}>
            <LazyBoundary>
              <LakeFsForm
                client={client}
                onOpened={(r) => {
                  done();
                  onRemote(r);
                }}
              />
            </LazyBoundary>
          </div>
        )}
      </div>
    </div>
  );
}
