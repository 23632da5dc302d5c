/**
 * A lakeFS test double: an in-memory HTTP server implementing the part of the lakeFS API
 * (`/api/v1`, treeverse/lakeFS `api/swagger.yml`; the copied parts are in `lakefs-api.yml`) that
 * Delta Explorer uses, answering with the spec's schemas (checked by `double.test.ts`):
 *
 * - `GET /config`                                              → `Config` (`storage_config.pre_sign_support`)
 * - `GET /repositories`, `GET /repositories/{repository}`      → `RepositoryList`, `Repository`
 * - `GET /repositories/{repository}/branches`, `.../branches/{branch}`, `.../tags` → `RefList`, `Ref`
 * - `GET /repositories/{repository}/refs/{ref}/commits`        → `CommitList` (first-parent log)
 * - `GET /repositories/{repository}/commits/{commitId}`        → `Commit` (any branch, tag or commit id)
 * - `GET /repositories/{repository}/refs/{ref}/objects/ls`     → `ObjectStatsList` (`prefix`, `after`, `amount`, `delimiter`, `presign`)
 * - `GET /repositories/{repository}/refs/{ref}/objects/stat`   → `ObjectStats` (`presign`)
 * - `GET|HEAD /repositories/{repository}/refs/{ref}/objects`   → bytes (`Range` → 206; `presign=true` → 302)
 *
 * Errors are `Error` JSON with the spec's status codes: 401 (no or wrong basic auth), 403 (a user
 * restricted to other repositories), 404, 416. Like lakeFS, the API sends no CORS headers.
 * Presigned URLs (when `presign` is on) point at `/_presigned/...` on this server, carry an expiry
 * and an HMAC the server checks (expired → 403 `Request has expired`), refuse `HEAD` as S3's
 * GET-presigned URLs do, and, like a bucket with a CORS rule, allow any origin.
 *
 * {@link seedDeltaRepositories} fills it with real fixture tables: branch `main` holds
 * `simple_table` at its first three commits (versions 0–2), branch `dev` (from `main`) adds the
 * last two (versions 3–4); `basic_partitioned` sits beside it, `raw/` is a folder without a table.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LakeFsCommit } from '../../src/delta/storage/lakefs.ts';
import { join } from 'node:path';

/** One stored object. `mtime` in Unix seconds. */
export interface DoubleObject {
  bytes: Uint8Array;
  mtime: number;
  checksum: string;
  contentType: string;
}

/** A commit of the double: the lakeFS `Commit` fields and the full tree it points at. */
export interface DoubleCommit extends LakeFsCommit {
  metadata: Record<string, string>;
  tree: Map<string, DoubleObject>;
}

interface DoubleRepository {
  id: string;
  creation_date: number;
  default_branch: string;
  storage_namespace: string;
  commits: Map<string, DoubleCommit>;
  branches: Map<string, string>;
  tags: Map<string, string>;
}

/** A user of the double: an access key pair, optionally allowed only some repositories. */
export interface DoubleUser {
  accessKeyId: string;
  secretAccessKey: string;
  /** Repositories this user may read (absent: all). */
  repositories?: string[];
}

/** Options of {@link LakeFsDouble}. */
export interface LakeFsDoubleOptions {
  users: DoubleUser[];
  /** The storage presigns (`pre_sign_support`); default true. */
  presign?: boolean;
  /** Lifetime of presigned URLs, s (default 900, lakeFS's default). */
  presignTtlSeconds?: number;
  /** Most entries per list page, below the spec's 1,000 (to exercise paging). */
  maxPage?: number;
  /** Clock, ms (tests move it to expire URLs). */
  now?: () => number;
}

/** One request the double answered (never with credentials). */
export interface DoubleRequest {
  method: string;
  /** Path and query. */
  url: string;
  status: number;
  /** The route's path template in the spec (e.g. `/repositories/{repository}`), or `presigned`, or `unknown`. */
  route: string;
  /** The request's `Origin` header (set by browsers on cross-origin calls). */
  origin?: string;
  /** The JSON answer, when there was one. */
  body?: unknown;
  hadAuthorization: boolean;
  /** The `Authorization` header was basic auth of a known key with its secret. */
  authenticated: boolean;
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** The in-memory lakeFS double (see the module doc). */
export class LakeFsDouble {
  readonly repositories = new Map<string, DoubleRepository>();
  /** Every request answered, oldest first. */
  readonly requests: DoubleRequest[] = [];
  private server?: http.Server;
  private publicUrl = '';
  private readonly signingKey = randomBytes(32);
  private readonly now: () => number;
  presign: boolean;

  constructor(private readonly options: LakeFsDoubleOptions) {
    this.presign = options.presign ?? true;
    this.now = options.now ?? Date.now;
  }

  /** The server's base URL (`http://127.0.0.1:<port>`), once listening. */
  get url(): string {
    return this.publicUrl;
  }

  /** Creates a repository with its first, empty commit on `defaultBranch` (as lakeFS does). */
  addRepository(id: string, options: { defaultBranch?: string; creationDate: number }): string {
    const defaultBranch = options.defaultBranch ?? 'main';
    const repo: DoubleRepository = {
      id,
      creation_date: options.creationDate,
      default_branch: defaultBranch,
      storage_namespace: `local://lakefs-double/${id}`,
      commits: new Map(),
      branches: new Map(),
      tags: new Map(),
    };
    this.repositories.set(id, repo);
    const first = this.makeCommit(repo, [], 'Repository created', options.creationDate, new Map());
    repo.branches.set(defaultBranch, first.id);
    return first.id;
  }

  private makeCommit(repo: DoubleRepository, parents: string[], message: string, date: number, tree: Map<string, DoubleObject>): DoubleCommit {
    const id = sha256(`${repo.id}\n${parents.join(',')}\n${message}\n${date}\n${[...tree.keys()].join('\n')}`);
    const commit: DoubleCommit = { id, parents, committer: 'admin', message, creation_date: date, meta_range_id: sha256(`range:${id}`), metadata: {}, tree };
    repo.commits.set(id, commit);
    return commit;
  }

  /** Commits `files` (path → bytes; `null` deletes) on `branch`, returning the new commit id. */
  commit(repository: string, branch: string, message: string, date: number, files: Map<string, { bytes: Uint8Array; mtime: number } | null>): string {
    const repo = this.repositories.get(repository)!;
    const parentId = repo.branches.get(branch)!;
    const tree = new Map(repo.commits.get(parentId)!.tree);
    for (const [path, f] of files) {
      if (f === null) tree.delete(path);
      else tree.set(path, { bytes: f.bytes, mtime: f.mtime, checksum: sha256(f.bytes).slice(0, 32), contentType: path.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    }
    const c = this.makeCommit(repo, [parentId], message, date, tree);
    repo.branches.set(branch, c.id);
    return c.id;
  }

  /** Creates `name` at the commit `from` (a ref) points at. */
  createBranch(repository: string, name: string, from: string): void {
    const repo = this.repositories.get(repository)!;
    repo.branches.set(name, this.resolve(repo, from)!.id);
  }

  /** Creates tag `name` at the commit `ref` points at. */
  createTag(repository: string, name: string, ref: string): void {
    const repo = this.repositories.get(repository)!;
    repo.tags.set(name, this.resolve(repo, ref)!.id);
  }

  /** A branch, a tag, a full commit id or a unique prefix of one (at least 6 characters). */
  resolve(repo: DoubleRepository, ref: string): DoubleCommit | undefined {
    const id = repo.branches.get(ref) ?? repo.tags.get(ref);
    if (id) return repo.commits.get(id);
    if (repo.commits.has(ref)) return repo.commits.get(ref);
    if (/^[0-9a-f]{6,}$/.test(ref)) {
      const hits = [...repo.commits.values()].filter((c) => c.id.startsWith(ref));
      if (hits.length === 1) return hits[0];
    }
    return undefined;
  }

  /** Starts listening (port 0: any free port); resolves to the base URL. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = http.createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((done) => server.listen(port, host, done));
    this.publicUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.publicUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }

  // ---- HTTP ----

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://double');
    const method = req.method ?? 'GET';
    const auth = req.headers.authorization;
    const record = (status: number, route: string, body?: unknown, user?: DoubleUser) =>
      this.requests.push({ method, url: u.pathname + u.search, status, route, origin: req.headers.origin, body, hadAuthorization: !!auth, authenticated: !!user });
    const json = (status: number, body: unknown, route: string, user?: DoubleUser) => {
      record(status, route, body, user);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(method === 'HEAD' ? undefined : JSON.stringify(body));
    };

    if (u.pathname.startsWith('/_presigned/')) return this.servePresigned(req, res, u, method, (s) => record(s, 'presigned'));
    if (!u.pathname.startsWith('/api/v1/')) return json(404, { message: 'not found' }, 'unknown');
    const path = u.pathname.slice('/api/v1'.length);

    const user = this.authenticate(auth);
    if (!user) return json(401, { message: 'error authenticating request' }, routeOf(path));
    if (method !== 'GET' && method !== 'HEAD') return json(405, { message: `method ${method} not allowed (read-only test double)` }, routeOf(path), user);

    const q = u.searchParams;
    if (path === '/config') {
      const storage = {
        blockstore_type: 'local',
        blockstore_namespace_example: 'local://example-bucket/',
        blockstore_namespace_ValidityRegex: '^local://',
        pre_sign_support: this.presign,
        pre_sign_support_ui: this.presign,
        import_support: false,
        import_validity_regex: '^local://',
      };
      return json(200, { version_config: { version: '1.0.0-test-double' }, storage_config: storage }, '/config', user);
    }
    if (path === '/repositories') {
      const visible = [...this.repositories.values()].filter((r) => !user.repositories || user.repositories.includes(r.id));
      const page = this.page(visible.map((r) => ({ key: r.id, value: repositoryJson(r) })), q);
      return json(200, page, '/repositories', user);
    }
    const m = /^\/repositories\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return json(404, { message: 'not found' }, 'unknown', user);
    const repoId = decodeURIComponent(m[1]);
    const rest = m[2] ?? '';
    const route = routeOf(path);
    const repo = this.repositories.get(repoId);
    if (!repo) return json(404, { message: `repository not found: ${repoId}` }, route, user);
    if (user.repositories && !user.repositories.includes(repoId)) return json(403, { message: 'insufficient permissions' }, route, user);

    if (rest === '') return json(200, repositoryJson(repo), route, user);
    if (rest === '/branches' || rest === '/tags') {
      const refs = rest === '/branches' ? repo.branches : repo.tags;
      const items = [...refs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, commit_id]) => ({ key: id, value: { id, commit_id } }));
      return json(200, this.page(items, q), route, user);
    }
    let mm = /^\/branches\/([^/]+)$/.exec(rest);
    if (mm) {
      const name = decodeURIComponent(mm[1]);
      const id = repo.branches.get(name);
      return id ? json(200, { id: name, commit_id: id }, route, user) : json(404, { message: `branch not found: ${name}` }, route, user);
    }
    mm = /^\/commits\/([^/]+)$/.exec(rest);
    if (mm) {
      const c = this.resolve(repo, decodeURIComponent(mm[1]));
      return c ? json(200, commitJson(c), route, user) : json(404, { message: 'commit not found' }, route, user);
    }
    mm = /^\/refs\/([^/]+)\/(commits|objects|objects\/ls|objects\/stat)$/.exec(rest);
    if (!mm) return json(404, { message: 'not found' }, 'unknown', user);
    const refName = decodeURIComponent(mm[1]);
    const commit = this.resolve(repo, refName);
    if (!commit) return json(404, { message: `ref not found: ${refName}` }, route, user);
    const presign = q.get('presign') === 'true' && this.presign;

    if (mm[2] === 'commits') {
      const log: DoubleCommit[] = [];
      for (let c: DoubleCommit | undefined = commit; c; c = c.parents[0] ? repo.commits.get(c.parents[0]) : undefined) log.push(c);
      return json(200, this.page(log.map((c) => ({ key: c.id, value: commitJson(c) })), q, true), route, user);
    }
    if (mm[2] === 'objects/ls') {
      const prefix = q.get('prefix') ?? '';
      const delimiter = q.get('delimiter') ?? '';
      const entries: { key: string; value: unknown }[] = [];
      const seenPrefixes = new Set<string>();
      for (const key of [...commit.tree.keys()].sort(byteOrder)) {
        if (!key.startsWith(prefix)) continue;
        const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
        if (cut >= 0) {
          const p = key.slice(0, cut + delimiter.length);
          if (seenPrefixes.has(p)) continue;
          seenPrefixes.add(p);
          entries.push({ key: p, value: { path: p, path_type: 'common_prefix', physical_address: '', checksum: '', mtime: 0 } });
        } else {
          entries.push({ key, value: this.statJson(repo, key, commit.tree.get(key)!, presign) });
        }
      }
      return json(200, this.page(entries, q), route, user);
    }
    const objPath = q.get('path');
    if (objPath === null) return json(400, { message: 'missing path' }, route, user);
    const obj = commit.tree.get(objPath);
    if (!obj) return json(404, { message: `path not found: ${objPath}` }, route, user);
    if (mm[2] === 'objects/stat') return json(200, this.statJson(repo, objPath, obj, presign), route, user);

    // objects
    if (presign && method === 'GET') {
      record(302, route, undefined, user);
      res.writeHead(302, { Location: this.presignedUrl(repo, obj) });
      res.end();
      return;
    }
    const range = parseRange(req.headers.range, obj.bytes.byteLength);
    if (range === 'invalid') return json(416, { message: 'Requested Range Not Satisfiable' }, route, user);
    const headers: Record<string, string> = {
      'Content-Type': obj.contentType,
      'Last-Modified': new Date(obj.mtime * 1000).toUTCString(),
      ETag: `"${obj.checksum}"`,
      'Accept-Ranges': 'bytes',
    };
    const body = range ? obj.bytes.subarray(range.start, range.end + 1) : obj.bytes;
    if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${obj.bytes.byteLength}`;
    headers['Content-Length'] = String(body.byteLength);
    record(range ? 206 : 200, route, undefined, user);
    res.writeHead(range ? 206 : 200, headers);
    res.end(method === 'HEAD' ? undefined : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  }

  private authenticate(header: string | undefined): DoubleUser | undefined {
    const m = /^Basic\s+(.+)$/i.exec(header ?? '');
    if (!m) return undefined;
    const text = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon < 0) return undefined;
    const [key, secret] = [text.slice(0, colon), text.slice(colon + 1)];
    return this.options.users.find((u) => u.accessKeyId === key && u.secretAccessKey === secret);
  }

  /** A page of a sorted list: `after` (exclusive), `amount` (default 100, at most 1,000 or `maxPage`), lakeFS `Pagination`. */
  private page(items: { key: string; value: unknown }[], q: URLSearchParams, keepOrder = false) {
    const after = q.get('after') ?? '';
    const prefix = q.get('prefix');
    let amount = Number(q.get('amount') ?? 100);
    if (!Number.isFinite(amount) || amount < 0) amount = 100;
    amount = Math.min(amount, 1000, this.options.maxPage ?? 1000);
    let list = keepOrder ? items : items.filter((i) => i.key > after);
    if (keepOrder && after) {
      const at = list.findIndex((i) => i.key === after);
      list = at >= 0 ? list.slice(at + 1) : list;
    }
    if (prefix !== null && !keepOrder) list = list.filter((i) => i.key.startsWith(prefix));
    const results = list.slice(0, amount);
    const hasMore = list.length > amount;
    return {
      pagination: { has_more: hasMore, next_offset: hasMore ? results[results.length - 1].key : '', results: results.length, max_per_page: amount },
      results: results.map((r) => r.value),
    };
  }

  private statJson(repo: DoubleRepository, path: string, obj: DoubleObject, presign: boolean) {
    const stats: Record<string, unknown> = {
      path,
      path_type: 'object',
      physical_address: `${repo.storage_namespace}/data/${obj.checksum}`,
      checksum: obj.checksum,
      size_bytes: obj.bytes.byteLength,
      mtime: obj.mtime,
      metadata: {},
      content_type: obj.contentType,
    };
    if (presign) {
      stats.physical_address = this.presignedUrl(repo, obj);
      stats.physical_address_expiry = this.expiry();
    }
    return stats;
  }

  private expiry(): number {
    return Math.floor(this.now() / 1000) + (this.options.presignTtlSeconds ?? 900);
  }

  private presignedUrl(repo: DoubleRepository, obj: DoubleObject): string {
    const expires = this.expiry();
    const where = `${repo.id}/${obj.checksum}`;
    const sig = createHmac('sha256', this.signingKey).update(`${where}\n${expires}`).digest('hex');
    return `${this.publicUrl}/_presigned/${where}?X-Expires=${expires}&X-Signature=${sig}`;
  }

  /** The storage behind presigned URLs: GET (with Range) only, CORS for any origin, expiry and signature checked. */
  private servePresigned(req: http.IncomingMessage, res: http.ServerResponse, u: URL, method: string, record: (status: number) => void): void {
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': 'Content-Length, Content-Range, ETag, Last-Modified',
    };
    const fail = (status: number, code: string, message: string) => {
      record(status);
      res.writeHead(status, { ...cors, 'Content-Type': 'application/xml' });
      res.end(method === 'HEAD' ? undefined : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
    };
    if (method === 'OPTIONS') {
      record(204);
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': 'Range', 'Access-Control-Max-Age': '600' });
      res.end();
      return;
    }
    const where = u.pathname.slice('/_presigned/'.length);
    const expires = Number(u.searchParams.get('X-Expires'));
    const sig = u.searchParams.get('X-Signature') ?? '';
    const expected = createHmac('sha256', this.signingKey).update(`${where}\n${expires}`).digest('hex');
    if (method !== 'GET' || sig !== expected) return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    if (!Number.isFinite(expires) || expires * 1000 < this.now()) return fail(403, 'AccessDenied', 'Request has expired');
    const [repoId, checksum] = where.split('/');
    const repo = this.repositories.get(repoId);
    let obj: DoubleObject | undefined;
    for (const c of repo?.commits.values() ?? []) {
      for (const o of c.tree.values()) if (o.checksum === checksum) obj = o;
      if (obj) break;
    }
    if (!obj) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
    const range = parseRange(req.headers.range, obj.bytes.byteLength);
    if (range === 'invalid') return fail(416, 'InvalidRange', 'The requested range is not satisfiable');
    const body = range ? obj.bytes.subarray(range.start, range.end + 1) : obj.bytes;
    const headers: Record<string, string> = { ...cors, 'Content-Length': String(body.byteLength), ETag: `"${obj.checksum}"`, 'Last-Modified': new Date(obj.mtime * 1000).toUTCString(), 'Accept-Ranges': 'bytes' };
    if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${obj.bytes.byteLength}`;
    record(range ? 206 : 200);
    res.writeHead(range ? 206 : 200, headers);
    res.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  }
}

/** The spec's path template of an API path (for checking answers against `lakefs-api.yml`). */
export function routeOf(path: string): string {
  if (path === '/config' || path === '/repositories') return path;
  const rules: [RegExp, string][] = [
    [/^\/repositories\/[^/]+$/, '/repositories/{repository}'],
    [/^\/repositories\/[^/]+\/branches$/, '/repositories/{repository}/branches'],
    [/^\/repositories\/[^/]+\/branches\/[^/]+$/, '/repositories/{repository}/branches/{branch}'],
    [/^\/repositories\/[^/]+\/tags$/, '/repositories/{repository}/tags'],
    [/^\/repositories\/[^/]+\/commits\/[^/]+$/, '/repositories/{repository}/commits/{commitId}'],
    [/^\/repositories\/[^/]+\/refs\/[^/]+\/commits$/, '/repositories/{repository}/refs/{ref}/commits'],
    [/^\/repositories\/[^/]+\/refs\/[^/]+\/objects$/, '/repositories/{repository}/refs/{ref}/objects'],
    [/^\/repositories\/[^/]+\/refs\/[^/]+\/objects\/ls$/, '/repositories/{repository}/refs/{ref}/objects/ls'],
    [/^\/repositories\/[^/]+\/refs\/[^/]+\/objects\/stat$/, '/repositories/{repository}/refs/{ref}/objects/stat'],
  ];
  return rules.find(([re]) => re.test(path))?.[1] ?? 'unknown';
}

function repositoryJson(r: DoubleRepository) {
  return { id: r.id, creation_date: r.creation_date, default_branch: r.default_branch, storage_namespace: r.storage_namespace, read_only: false };
}

function commitJson(c: DoubleCommit) {
  return { id: c.id, parents: c.parents, committer: c.committer, message: c.message, creation_date: c.creation_date, meta_range_id: c.meta_range_id, metadata: c.metadata, generation: 0, version: 1 };
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → inclusive `[start, end]`; undefined without a header. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined | 'invalid' {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}

// ---- seeding with fixture tables ----

/** The files of a fixture table, as the double stores them, under `into/`. */
function tableFiles(tableDir: string, into: string, keep: (path: string) => boolean): Map<string, { bytes: Uint8Array; mtime: number }> {
  const files = new Map<string, { bytes: Uint8Array; mtime: number }>();
  const all = (function rec(d: string): string[] {
    return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? rec(join(d, e.name)).map((x) => `${e.name}/${x}`) : [e.name]));
  })(tableDir);
  for (const rel of all) {
    if (!keep(rel)) continue;
    const full = join(tableDir, rel);
    files.set(`${into}/${rel}`, { bytes: new Uint8Array(readFileSync(full)), mtime: Math.floor(statSync(full).mtimeMs / 1000) });
  }
  return files;
}

/** Data and deletion-vector files the commits `0..version` of a table add (decoded relative paths). */
function filesAddedUpTo(tableDir: string, version: number): Set<string> {
  const out = new Set<string>();
  for (let v = 0; v <= version; v++) {
    const text = readFileSync(join(tableDir, '_delta_log', `${String(v).padStart(20, '0')}.json`), 'utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const a = JSON.parse(line) as { add?: { path: string }; cdc?: { path: string } };
      const p = a.add?.path ?? a.cdc?.path;
      if (p && !/^[a-z]+:\/\//.test(p)) out.add(decodeURIComponent(p));
    }
  }
  return out;
}

/** What {@link seedDeltaRepositories} made, for the tests' expectations. */
export interface SeededFacts {
  repository: string;
  /** Path of the table in both branches. */
  tablePath: string;
  /** Last Delta version of the table on `main` and on `dev`. */
  mainVersion: number;
  devVersion: number;
  /** Fixture folder the table comes from. */
  tableDir: string;
  mainCommit: string;
  devCommit: string;
  /** Tag `v1` points at `main`'s commit. */
  tag: string;
  /** A second table beside the first (on both branches), and a folder holding no table. */
  otherTablePath: string;
  plainFolder: string;
  /** A repository only `restricted` users cannot read. */
  privateRepository: string;
}

/**
 * Fills the double: repository `analytics` (default branch `main`, tag `v1`, branch `dev`) and
 * `private-data` (see {@link SeededFacts}); `main` holds the first `mainCommits` commits of
 * `simple_table` (default 3) and only the data files they add, `dev` all of them.
 */
export function seedDeltaRepositories(double: LakeFsDouble, fixtures: string, mainCommits = 3): SeededFacts {
  const tableDir = join(fixtures, 'simple_table');
  const logVersions = readdirSync(join(tableDir, '_delta_log')).filter((f) => /^\d{20}\.json$/.test(f)).map((f) => Number(f.slice(0, 20))).sort((a, b) => a - b);
  const devVersion = logVersions[logVersions.length - 1];
  const mainVersion = mainCommits - 1;
  const day = 86_400;
  const t0 = 1_735_689_600; // 2025-01-01T00:00:00Z
  const repository = 'analytics';
  double.addRepository(repository, { creationDate: t0 });
  const onMain = filesAddedUpTo(tableDir, mainVersion);
  const isLog = (rel: string) => rel.startsWith('_delta_log/');
  const logVersion = (rel: string) => Number(rel.slice('_delta_log/'.length, '_delta_log/'.length + 20));
  const mainFiles = tableFiles(tableDir, 'tables/simple_table', (rel) => (isLog(rel) ? /^_delta_log\/\d{20}\.json$/.test(rel) && logVersion(rel) <= mainVersion : onMain.has(rel)));
  for (const [k, v] of tableFiles(join(fixtures, 'basic_partitioned'), 'tables/basic_partitioned', () => true)) mainFiles.set(k, v);
  mainFiles.set('raw/README.md', { bytes: new TextEncoder().encode('Raw exports, not a Delta table.\n'), mtime: t0 });
  const mainCommit = double.commit(repository, 'main', `Load simple_table (versions 0-${mainVersion}) and basic_partitioned`, t0 + day, mainFiles);
  double.createTag(repository, 'v1', 'main');
  double.createBranch(repository, 'dev', 'main');
  const onDev = filesAddedUpTo(tableDir, devVersion);
  const devFiles = tableFiles(tableDir, 'tables/simple_table', (rel) => (isLog(rel) ? /^_delta_log\/\d{20}\.json$/.test(rel) && logVersion(rel) > mainVersion : onDev.has(rel) && !onMain.has(rel)));
  const devCommit = double.commit(repository, 'dev', `simple_table versions ${mainVersion + 1}-${devVersion}`, t0 + 2 * day, devFiles);
  const privateRepository = 'private-data';
  double.addRepository(privateRepository, { creationDate: t0 + 3 * day });
  return {
    repository,
    tablePath: 'tables/simple_table',
    mainVersion,
    devVersion,
    tableDir,
    mainCommit,
    devCommit,
    tag: 'v1',
    otherTablePath: 'tables/basic_partitioned',
    plainFolder: 'raw',
    privateRepository,
  };
}

