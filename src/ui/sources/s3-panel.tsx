/**
 * The S3 source: a connect form (endpoint for S3-compatible stores, region, bucket, prefix, access
 * key id, secret key, optional session token), then a folder browser that marks Delta tables
 * (folders holding `_delta_log/`) and opens them. The secret goes to the worker's memory and is
 * cleared from the form once connected; it is stored on this device only when "Remember" is ticked.
 */
import { useState } from 'react';
import type { OpenResult, RemoteConnection, RemoteListing, S3ConnectionConfig } from '../../workers/api.ts';
import { ErrorPanel } from '../components/error-panel.tsx';
import type { ExplorerClient } from '../worker-client.ts';
import { FolderBrowser, FormField, RememberAndConnect, useRemoteCall } from './remote-form.tsx';
import { recall, remember } from './remember.ts';

/** Props of {@link S3Panel}. */
export interface S3PanelProps {
  client: ExplorerClient;
  /** Called with what opening a table (or folder of tables) gave, and the connection it came from. */
  onOpened: (result: OpenResult, connection: RemoteConnection) => void;
}

const EMPTY: S3ConnectionConfig = { endpoint: '', region: 'us-east-1', bucket: '', prefix: '', accessKeyId: '', secretAccessKey: '', sessionToken: '' };

/** The S3 connect form and folder browser. */
export function S3Panel({ client, onOpened }: S3PanelProps) {
  const saved = recall<S3ConnectionConfig>('s3');
  const [form, setForm] = useState<S3ConnectionConfig>(saved ?? EMPTY);
  const [keep, setKeep] = useState(saved !== null);
  const [conn, setConn] = useState<RemoteConnection | null>(null);
  const [listing, setListing] = useState<RemoteListing | null>(null);
  const { busy, error, setError, run, abort } = useRemoteCall();


  const browse = (connection: RemoteConnection, prefix: string) =>
    run('Listing…', async (signal) => {
      const l = await client.browseRemote(connection.connectionId, { prefix }, { signal });
      setListing(l);
    });

  const connect = () =>
    run('Connecting…', async (signal) => {
      const c = await client.connectS3(form, { signal });
      remember('s3', keep ? form : null);
      // The secret now lives in the worker; the form forgets it unless the user asked to remember.
      if (!keep) setForm((f) => ({ ...f, secretAccessKey: '', sessionToken: '' }));
      setConn(c);
      const l = await client.browseRemote(c.connectionId, { prefix: form.prefix ?? '' }, { signal });
      setListing(l);
    });

  const open = (prefix: string) =>
    conn &&
    run('Opening…', async (signal) => {
      const r = await client.openRemote(conn.connectionId, { prefix }, { signal });
      onOpened(r, conn);
    });

  const disconnect = () => {
    abort();
    if (conn) void client.closeConnection(conn.connectionId).catch(() => {});
    setConn(null);
    setListing(null);
  };

  const field = (name: keyof S3ConnectionConfig & string, label: string, input: Partial<React.InputHTMLAttributes<HTMLInputElement>> = {}) => (
    <FormField form={form} setForm={setForm} name={name} label={label} testPrefix="s3" input={input} />
  );

  return (
    <section className="panel remote-panel" data-testid="s3-panel" aria-label="S3">
      {!conn ? (
        <form
          className="remote-form"
          onSubmit={(e) => {
            e.preventDefault();
            void connect();
          }}
        >
          {field('endpoint', 'Endpoint (S3-compatible stores; empty for AWS)', { placeholder: 'https://s3.example.com', inputMode: 'url' })}
          <div className="field-row">
            {field('region', 'Region')}
            {field('bucket', 'Bucket', { required: true })}
          </div>
          {field('prefix', 'Prefix (optional)', { placeholder: 'warehouse/' })}
          {field('accessKeyId', 'Access key id', { required: true })}
          {field('secretAccessKey', 'Secret access key', { type: 'password', required: true, autoComplete: 'new-password' })}
          {field('sessionToken', 'Session token (temporary credentials)', { type: 'password', autoComplete: 'new-password' })}
          <RememberAndConnect kind="s3" keep={keep} setKeep={setKeep} what="these settings and keys" busy={busy} />
          <p className="muted small">
            Keys stay in this tab's memory and go only to the endpoint. The bucket must allow this page's origin by CORS.
          </p>
        </form>
      ) : (
        <div className="remote-browser" data-testid="s3-browser">
          <div className="row">
            <strong>{conn.label}</strong>
            <button type="button" className="link" onClick={disconnect} data-testid="s3-disconnect">
              Disconnect
            </button>
            {busy && <span className="muted small">{busy}</span>}
          </div>
          {listing && (
            <>
              <FolderBrowser testPrefix="s3" listing={listing} rootLabel={form.bucket || 'bucket'} onBrowse={(p) => void browse(conn, p)} onOpen={(p) => void open(p)}>
                {listing.isTable && (
                  <p>
                    This folder is a Delta table.{' '}
                    <button type="button" className="primary" data-testid="s3-open-here" onClick={() => void open(listing.place.prefix)}>
                      Open it
                    </button>
                  </p>
                )}
              </FolderBrowser>
            </>
          )}
        </div>
      )}
      {error && <ErrorPanel error={error} onDismiss={() => setError(null)} />}
    </section>
  );
}
