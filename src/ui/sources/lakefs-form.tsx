/**
 * The lakeFS source: a connect form (server address, access key id, secret), then the
 * repositories, the refs of the picked one (branches, tags, recent commits), a folder browser at
 * the picked ref that marks Delta tables and opens them, and a comparison of one table on two refs.
 *
 * The address defaults to `<this app>/lakefs`: lakeFS sends no CORS headers, so the app reaches it
 * on its own origin (`delta-explorer serve --lakefs <lakeFS URL>`, or the same reverse proxy). The
 * secret goes to the worker's memory; the form forgets it once connected. It is kept on this device
 * (localStorage) only when "Remember" is ticked, and never written to the page URL.
 */
import { useEffect, useRef, useState } from 'react';
import type {
  CompareResult,
  ErrorInfo,
  LakeFsConnectionConfig,
  LakeFsRefs,
  LakeFsRepositoryInfo,
  OpenResult,
  RemoteConnection,
  RemoteListing,
} from '../../workers/api.ts';
import { ErrorPanel } from '../components/error-panel.tsx';
import { formatTimestamp } from '../../explore/format.ts';
import { CompareBody } from '../views/compare.tsx';
import { RowDiffPanel } from '../views/row-diff.tsx';
import { errorInfoOf, type ExplorerClient } from '../worker-client.ts';
import { FolderBrowser, FormField, RememberAndConnect, useRemoteCall } from './remote-form.tsx';
import { recall, remember } from './remember.ts';
import './lakefs-form.css';

/** Props of {@link LakeFsForm}. */
export interface LakeFsFormProps {
  client: ExplorerClient;
  /** Called with what opening a table (or folder of tables) gave, and the connection it came from. */
  onOpened: (result: OpenResult, connection: RemoteConnection) => void;
}

/** The default server address: the lakeFS proxy of `delta-explorer serve --lakefs` on this origin. */
export function defaultLakeFsEndpoint(): string {
  return `${window.location.origin}/lakefs`;
}

/** A short commit id for lists. */
const short = (id: string) => id.slice(0, 12);

/** The lakeFS connect form, repository and ref pickers, folder browser and ref comparison. */
export function LakeFsForm({ client, onOpened }: LakeFsFormProps) {
  const saved = recall<LakeFsConnectionConfig>('lakefs');
  const [form, setForm] = useState<LakeFsConnectionConfig>(saved ?? { endpoint: defaultLakeFsEndpoint(), accessKeyId: '', secretAccessKey: '' });
  const [keep, setKeep] = useState(saved !== null);
  const [conn, setConn] = useState<RemoteConnection | null>(null);
  const [repos, setRepos] = useState<LakeFsRepositoryInfo[] | null>(null);
  const [repo, setRepo] = useState<string | null>(null);
  const [refs, setRefs] = useState<LakeFsRefs | null>(null);
  const [ref, setRef] = useState<string | null>(null);
  const [listing, setListing] = useState<RemoteListing | null>(null);
  const { busy, error, setError, run, abort } = useRemoteCall();


  const connect = () =>
    run('Connecting…', async (signal) => {
      const c = await client.connectLakeFs(form, { signal });
      remember('lakefs', keep ? form : null);
      if (!keep) setForm((f) => ({ ...f, secretAccessKey: '' }));
      setConn(c);
      setRepos(await client.lakeFsRepositories(c.connectionId, { signal }));
    });

  const pickRepo = (id: string) =>
    conn &&
    run('Listing refs…', async (signal) => {
      setRepo(id);
      setRefs(null);
      setRef(null);
      setListing(null);
      const r = await client.lakeFsRefs(conn.connectionId, id, { signal });
      setRefs(r);
      await browseAt(r.defaultBranch, '', signal, id);
    });

  const browseAt = async (atRef: string, prefix: string, signal: AbortSignal, repository = repo) => {
    if (!conn || !repository) return;
    setRef(atRef);
    setListing(await client.browseRemote(conn.connectionId, { repository, ref: atRef, prefix }, { signal }));
  };
  const browse = (atRef: string, prefix: string) => run('Listing…', (signal) => browseAt(atRef, prefix, signal));

  const open = (prefix: string) =>
    conn &&
    repo &&
    ref &&
    run('Opening…', async (signal) => {
      const r = await client.openRemote(conn.connectionId, { repository: repo, ref, prefix }, { signal });
      onOpened(r, conn);
    });

  const disconnect = () => {
    abort();
    if (conn) void client.closeConnection(conn.connectionId).catch(() => {});
    setConn(null);
    setRepos(null);
    setRepo(null);
    setRefs(null);
    setRef(null);
    setListing(null);
  };

  const field = (name: keyof LakeFsConnectionConfig & string, label: string, input: Partial<React.InputHTMLAttributes<HTMLInputElement>> = {}) => (
    <FormField form={form} setForm={setForm} name={name} label={label} testPrefix="lakefs" input={input} />
  );

  if (!conn) {
    return (
      <section className="panel remote-panel" data-testid="lakefs-panel" aria-label="lakeFS">
        <form
          className="remote-form"
          onSubmit={(e) => {
            e.preventDefault();
            void connect();
          }}
        >
          {field('endpoint', 'lakeFS server', { placeholder: 'https://lakefs.example.com', inputMode: 'url', required: true })}
          {field('accessKeyId', 'Access key id', { required: true })}
          {field('secretAccessKey', 'Secret access key', { type: 'password', required: true, autoComplete: 'new-password' })}
          <RememberAndConnect kind="lakefs" keep={keep} setKeep={setKeep} what="the server and keys" busy={busy} />
          <p className="muted small">
            lakeFS sends no CORS headers, so it must be reachable on this page's origin: run{' '}
            <code>npx delta-explorer serve &lt;folder&gt; --lakefs &lt;lakeFS URL&gt;</code> and connect to <code>{defaultLakeFsEndpoint()}</code>, or put
            lakeFS and this app behind one reverse proxy. Keys stay in this tab's memory.
          </p>
        </form>
        {error && <ErrorPanel error={error} onDismiss={() => setError(null)} />}
      </section>
    );
  }

  const refOptions = refs ? [...refs.branches.map((b) => b.name), ...refs.tags.map((t) => t.name), ...refs.commits.map((c) => c.id)] : [];
  return (
    <section className="panel remote-panel" data-testid="lakefs-panel" aria-label="lakeFS">
      <div className="row">
        <strong>{conn.label}</strong>{' '}
        <button type="button" className="link" onClick={disconnect} data-testid="lakefs-disconnect">
          Disconnect
        </button>
        {busy && <span className="muted small">{busy}</span>}
      </div>
      <div className="lakefs-columns">
        <div>
          <h3 className="small">Repositories</h3>
          <ul className="folder-list" data-testid="lakefs-repos">
            {repos?.map((r) => (
              <li key={r.id}>
                <button type="button" className={r.id === repo ? 'link selected' : 'link'} data-testid="lakefs-repo" data-repo={r.id} aria-pressed={r.id === repo} onClick={() => void pickRepo(r.id)}>
                  {r.id}
                </button>{' '}
                <span className="muted small">{r.defaultBranch}</span>
              </li>
            ))}
            {repos && !repos.length && <li className="muted">No repositories this key can see.</li>}
          </ul>
        </div>
        {refs && (
          <div data-testid="lakefs-refs">
            <h3 className="small">Branches</h3>
            <ul className="folder-list" data-testid="lakefs-branches">
              {refs.branches.map((b) => (
                <RefItem key={b.name} name={b.name} detail={short(b.commitId)} current={ref} kind="branch" onPick={(n) => void browse(n, '')} />
              ))}
            </ul>
            <h3 className="small">Tags</h3>
            <ul className="folder-list" data-testid="lakefs-tags">
              {refs.tags.map((t) => (
                <RefItem key={t.name} name={t.name} detail={short(t.commitId)} current={ref} kind="tag" onPick={(n) => void browse(n, '')} />
              ))}
              {!refs.tags.length && <li className="muted small">No tags.</li>}
            </ul>
            <h3 className="small">Recent commits on {refs.defaultBranch}</h3>
            <ul className="folder-list" data-testid="lakefs-commits">
              {refs.commits.map((c) => (
                <li key={c.id} data-testid="lakefs-commit" data-commit={c.id}>
                  <button type="button" className={c.id === ref ? 'link selected' : 'link'} onClick={() => void browse(c.id, '')} title={c.id}>
                    <code>{short(c.id)}</code>
                  </button>{' '}
                  {c.message} <span className="muted small">{formatTimestamp(c.createdMs)}</span>
                </li>
              ))}
            </ul>
            {refs.truncated && <p className="muted small">Only the first 1,000 branches and tags are shown.</p>}
          </div>
        )}
        {listing && repo && ref && (
          <div className="remote-browser" data-testid="lakefs-browser" data-ref={ref}>
            <FolderBrowser
              testPrefix="lakefs"
              listing={listing}
              rootLabel={`${repo}@${ref.length > 20 ? short(ref) : ref}`}
              onBrowse={(p) => void browse(ref, p)}
              onOpen={(p) => void open(p)}
            >
              {listing.isTable && (
                <>
                  <p>
                    This folder is a Delta table.{' '}
                    <button type="button" className="primary" data-testid="lakefs-open-here" onClick={() => void open(listing.place.prefix)}>
                      Open at {ref.length > 20 ? short(ref) : ref}
                    </button>
                  </p>
                  <CompareRefs client={client} connection={conn} repository={repo} path={listing.place.prefix} refOptions={refOptions} current={ref} />
                </>
              )}
            </FolderBrowser>
          </div>
        )}
      </div>
      {error && <ErrorPanel error={error} onDismiss={() => setError(null)} />}
    </section>
  );
}

function RefItem({ name, detail, current, kind, onPick }: { name: string; detail: string; current: string | null; kind: string; onPick: (name: string) => void }) {
  return (
    <li data-testid={`lakefs-${kind}`} data-ref={name}>
      <button type="button" className={name === current ? 'link selected' : 'link'} aria-pressed={name === current} onClick={() => onPick(name)}>
        {name}
      </button>{' '}
      <code className="muted small">{detail}</code>
    </li>
  );
}

/**
 * One table on two refs: opens it at ref A and at ref B (each pinned to its commit), compares the
 * two snapshots in the worker (`compareTables`) and shows the differences as the Compare tab does,
 * then offers the row-level diff of the two (`row-diff.tsx`; key columns typed, since the columns
 * of either ref are not listed here).
 * The two tables it opened are closed when it compares again or goes away.
 */
function CompareRefs(props: { client: ExplorerClient; connection: RemoteConnection; repository: string; path: string; refOptions: string[]; current: string }) {
  const { client, connection, repository, path, refOptions, current } = props;
  const [a, setA] = useState(refOptions.find((r) => r !== current) ?? current);
  const [b, setB] = useState(current);
  const [result, setResult] = useState<CompareResult | null>(null);
  const [tables, setTables] = useState<{ a: string; b: string; refA: string; refB: string } | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const held = useRef<string[]>([]);
  const op = useRef<AbortController | null>(null);

  const release = () => {
    for (const id of held.current) void client.closeSource(id).catch(() => {});
    held.current = [];
  };
  useEffect(
    () => () => {
      op.current?.abort();
      release();
    },
    [],
  );

  const compare = async () => {
    op.current?.abort();
    const c = new AbortController();
    op.current = c;
    release();
    setBusy(true);
    setError(null);
    setResult(null);
    setTables(null);
    try {
      const [ta, tb] = await Promise.all(
        [a, b].map(async (ref) => {
          const r = await client.openRemote(connection.connectionId, { repository, ref, prefix: path }, { signal: c.signal });
          held.current.push(r.sourceId);
          if (r.kind !== 'table') throw new Error(`${path} at ${ref} is not one table.`);
          return r;
        }),
      );
      const r = await client.compareTables(ta.tableId, undefined, tb.tableId, undefined, { signal: c.signal });
      if (op.current === c) {
        setResult(r);
        setTables({ a: ta.tableId, b: tb.tableId, refA: a, refB: b });
      }
    } catch (e) {
      if (op.current === c) setError(errorInfoOf(e));
    } finally {
      if (op.current === c) setBusy(false);
    }
  };

  const select = (value: string, set: (v: string) => void, testid: string, label: string) => (
    <label>
      {label}{' '}
      <select data-testid={testid} value={value} onChange={(e) => set(e.currentTarget.value)}>
        {refOptions.map((r) => (
          <option key={r} value={r}>
            {r.length > 20 ? short(r) : r}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="lakefs-compare" data-testid="lakefs-compare">
      <div className="row">
        <span>Compare this table on two refs:</span>
        {select(a, setA, 'lakefs-compare-a', 'ref A')}
        {select(b, setB, 'lakefs-compare-b', '→ ref B')}
        <button type="button" data-testid="lakefs-compare-run" disabled={busy || a === b} onClick={() => void compare()}>
          Compare
        </button>
        {busy && <span className="muted small">Comparing…</span>}
      </div>
      {error && <ErrorPanel error={error} onDismiss={() => setError(null)} />}
      {result && (
        <div data-testid="lakefs-compare-result">
          <p className="small">
            <strong>{a}</strong> is at table version <strong data-testid="lakefs-compare-version-a">{result.versionA}</strong>, <strong>{b}</strong> at version{' '}
            <strong data-testid="lakefs-compare-version-b">{result.versionB}</strong>.
          </p>
          <CompareBody r={result} />
          {tables && (
            <>
              <h3>Rows</h3>
              <RowDiffPanel client={client} a={{ tableId: tables.a }} b={{ tableId: tables.b }} labelA={tables.refA} labelB={tables.refB} columns={null} />
            </>
          )}
        </div>
      )}
    </div>
  );
}
