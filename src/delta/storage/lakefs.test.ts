/**
 * The lakeFS client and store against the lakeFS test double (test/lakefs/double.ts) over real
 * fixture tables: snapshots read through the API equal an independent replay of the fixture's log
 * at the branch's version, listing pages, ranges, presigned URLs, typed errors with no secret in
 * them, and every answer the double gave checked against the lakeFS OpenAPI schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeltaError } from '../errors.ts';
import { DeltaTable } from '../table.ts';
import { LakeFsClient, LakeFsStore, lakeFsPresigns, normalizeLakeFsEndpoint } from './lakefs.ts';
import { FIXTURES, referenceReplay } from '../../../test/fixtures.ts';
import { LakeFsDouble, seedDeltaRepositories, type SeededFacts } from '../../../test/lakefs/double.ts';
import { checkAgainstSpec, responseSchema, specErrors } from '../../../test/lakefs/spec.ts';

const ADMIN = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const RESTRICTED = { accessKeyId: 'AKIARESTRICTED000001', secretAccessKey: 'restricted-secret-value-123', repositories: ['analytics'] };

let clockMs = Date.now();
let double: LakeFsDouble;
let facts: SeededFacts;
let endpoint = '';

const caught = async (p: Promise<unknown>): Promise<DeltaError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DeltaError) return e;
    throw e;
  }
  throw new Error('expected a DeltaError');
};

beforeAll(async () => {
  double = new LakeFsDouble({ users: [ADMIN, RESTRICTED], maxPage: 4, now: () => clockMs });
  facts = seedDeltaRepositories(double, FIXTURES);
  endpoint = await double.listen();
});

afterAll(async () => {
  await double.close();
});

describe('lakeFS API client', () => {
  it('lists repositories, branches, tags and the log (paged)', async () => {
    const c = new LakeFsClient(endpoint, ADMIN);
    const repos = await c.repositories();
    expect(repos.items.map((r) => r.id)).toEqual(['analytics', 'private-data']);
    const branches = await c.branches(facts.repository);
    expect(branches.items).toEqual([
      { id: 'dev', commit_id: facts.devCommit },
      { id: 'main', commit_id: facts.mainCommit },
    ]);
    expect((await c.tags(facts.repository)).items).toEqual([{ id: 'v1', commit_id: facts.mainCommit }]);
    const log = await c.log(facts.repository, 'dev', 10);
    expect(log.map((x) => x.id)).toEqual([facts.devCommit, facts.mainCommit, log[2].id]);
    expect(log[2].message).toBe('Repository created');
    expect(log[0].creation_date).toBeGreaterThan(log[1].creation_date);
  });

  it('resolves a branch, a tag and a short commit id to the commit', async () => {
    const c = new LakeFsClient(endpoint, ADMIN);
    expect((await c.commit(facts.repository, 'main')).id).toBe(facts.mainCommit);
    expect((await c.commit(facts.repository, 'v1')).id).toBe(facts.mainCommit);
    expect((await c.commit(facts.repository, facts.devCommit.slice(0, 12))).id).toBe(facts.devCommit);
  });

  it('normalises endpoints and refuses ones carrying credentials', () => {
    expect(normalizeLakeFsEndpoint(' https://lakefs.example.com/api/v1/ ')).toBe('https://lakefs.example.com');
    expect(normalizeLakeFsEndpoint('/lakefs', 'http://127.0.0.1:5173/app/')).toBe('http://127.0.0.1:5173/lakefs');
    expect(() => normalizeLakeFsEndpoint('https://key:secret@lakefs.example.com')).toThrow(/credentials/);
    expect(() => normalizeLakeFsEndpoint('ftp://x')).toThrow(/http/);
  });

  it('says WRONG_CREDENTIALS for a wrong secret, never showing the secret', async () => {
    const wrong = { accessKeyId: ADMIN.accessKeyId, secretAccessKey: 'not-the-secret-xyz' };
    const e = await caught(new LakeFsClient(endpoint, wrong).repositories());
    expect(e.code).toBe('WRONG_CREDENTIALS');
    for (const text of [e.message, e.hint ?? '']) {
      expect(text).not.toContain('not-the-secret-xyz');
      expect(text).not.toContain(ADMIN.accessKeyId);
    }
  });

  it('says which repository or ref does not exist, and ACCESS_DENIED for a repository the key may not read', async () => {
    const c = new LakeFsClient(endpoint, ADMIN);
    const noRepo = await caught(c.repository('nope-repo'));
    expect(noRepo.code).toBe('STORAGE_ERROR');
    expect(noRepo.message).toContain('"nope-repo"');
    const noRef = await caught(c.commit(facts.repository, 'no-such-branch'));
    expect(noRef.message).toContain('"no-such-branch"');
    const restricted = new LakeFsClient(endpoint, RESTRICTED);
    expect((await restricted.repositories()).items.map((r) => r.id)).toEqual(['analytics']);
    const denied = await caught(restricted.branches(facts.privateRepository));
    expect(denied.code).toBe('ACCESS_DENIED');
    expect(denied.message).not.toContain(RESTRICTED.secretAccessKey);
  });

  it('reports an unreachable server as STORAGE_ERROR pointing at serve --lakefs', async () => {
    const gone = new LakeFsDouble({ users: [ADMIN] });
    const url = await gone.listen();
    await gone.close();
    const e = await caught(new LakeFsClient(url, ADMIN).repositories());
    expect(e.code).toBe('STORAGE_ERROR');
    expect(e.hint).toContain('--lakefs');
    expect(e.message).not.toContain(ADMIN.secretAccessKey);
  });

  it('fails every call after close()', async () => {
    const c = new LakeFsClient(endpoint, ADMIN);
    c.close();
    expect((await caught(c.repositories())).code).toBe('WRONG_CREDENTIALS');
  });
});

describe('LakeFsStore', () => {
  const storeAt = (ref: string, presign = true, root = facts.tablePath) => new LakeFsStore(new LakeFsClient(endpoint, ADMIN), { repository: facts.repository, ref, root, presign }, () => clockMs);

  it.each([
    ['main', () => facts.mainCommit, () => facts.mainVersion],
    ['dev', () => facts.devCommit, () => facts.devVersion],
  ])('reads the table on %s at its commit as the fixture log says', async (_name, commit, version) => {
    const table = new DeltaTable(storeAt(commit()));
    const snapshot = await table.snapshot();
    const expected = referenceReplay(facts.tableDir, version());
    expect(snapshot.version).toBe(version());
    expect(snapshot.totals.numFiles).toBe(expected.numFiles);
    expect(snapshot.totals.numRecords).toBe(expected.numRecords);
    expect(snapshot.totals.sizeInBytes).toBe(expected.sizeBytes);
    expect(snapshot.metadata.id).toBe(expected.metaData.id);
  });

  it('main holds only the first commits and the data files they add', async () => {
    const s = storeAt(facts.mainCommit);
    const log = await s.list('_delta_log/');
    expect(log.map((m) => m.path)).toEqual(Array.from({ length: facts.mainVersion + 1 }, (_, v) => `_delta_log/${String(v).padStart(20, '0')}.json`));
    const devLog = await storeAt(facts.devCommit).list('_delta_log/');
    expect(devLog).toHaveLength(facts.devVersion + 1);
    const mainData = (await s.list('')).filter((m) => m.path.endsWith('.parquet')).length;
    const devData = (await storeAt(facts.devCommit).list('')).filter((m) => m.path.endsWith('.parquet')).length;
    expect(devData).toBeGreaterThan(mainData);
  });

  it('pages listings (4 entries per page here) and honours startAfter and shallow', async () => {
    const before = double.requests.length;
    const s = storeAt(facts.devCommit);
    const all = await s.list('_delta_log/');
    const pages = double.requests.slice(before).filter((r) => r.route.endsWith('/objects/ls'));
    expect(pages.length).toBe(Math.ceil(all.length / 4) + (all.length % 4 === 0 ? 1 : 0));
    expect(pages.slice(1).every((r) => new URL(r.url, 'http://x').searchParams.get('after'))).toBe(true);
    const after = await s.list('_delta_log/', { startAfter: all[1].path });
    expect(after.map((m) => m.path)).toEqual(all.slice(2).map((m) => m.path));
    const top = await storeAt(facts.devCommit, true, '').list('tables/', { shallow: true });
    expect(top).toEqual([]); // only folders directly under tables/
    const sizes = await s.list('_delta_log/00000000000000000000.json');
    expect(sizes[0].sizeBytes).toBe(readFileSync(join(facts.tableDir, '_delta_log', '00000000000000000000.json')).byteLength);
  });

  it('reads ranges and heads objects', async () => {
    const s = storeAt(facts.devCommit);
    const file = readFileSync(join(facts.tableDir, '_delta_log', '00000000000000000001.json'));
    const part = await s.getRange('_delta_log/00000000000000000001.json', { start: 10, end: 50 });
    expect(Buffer.from(part).equals(file.subarray(10, 50))).toBe(true);
    const meta = await s.head('_delta_log/00000000000000000001.json');
    expect(meta.sizeBytes).toBe(file.byteLength);
    const missing = await caught(s.get('_delta_log/00000000000000000099.json'));
    expect(missing.code).toBe('FILE_NOT_FOUND');
    expect(missing.path).toBe('tables/simple_table/_delta_log/00000000000000000099.json');
  });

  it('gives presigned URLs (GET only, CORS for any origin, expiring) when the storage presigns', async () => {
    const client = new LakeFsClient(endpoint, ADMIN);
    expect(await lakeFsPresigns(client, undefined)).toBe(true);
    const s = storeAt(facts.devCommit);
    expect(s.capabilities.getOnlyUrls).toBe(true);
    const path = (await s.list('')).find((m) => m.path.endsWith('.parquet'))!.path;
    const url = (await s.url(path))!;
    expect(url).toMatch(new RegExp(`^${endpoint}/_presigned/`));
    const res = await fetch(url, { headers: { Range: 'bytes=0-3' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe('PAR1');
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(403);
    const { expiresAtMs } = await s.presign(path, 3600);
    expect(expiresAtMs).toBeGreaterThan(clockMs);
    expect(expiresAtMs).toBeLessThanOrEqual(clockMs + 900_000);
    clockMs += 901_000;
    try {
      const expired = await fetch(url);
      expect(expired.status).toBe(403);
      expect(await expired.text()).toContain('Request has expired');
      expect(await s.url(path)).not.toBe(url); // a fresh one
    } finally {
      clockMs -= 901_000;
    }
  });

  it('gives no URL when the storage does not presign (the data plane reads through get)', async () => {
    double.presign = false;
    try {
      const client = new LakeFsClient(endpoint, ADMIN);
      expect(await lakeFsPresigns(client, undefined)).toBe(false);
      const s = storeAt(facts.devCommit, false);
      expect(s.capabilities.getOnlyUrls).toBe(false);
      expect(await s.url('_delta_log/00000000000000000000.json')).toBeUndefined();
      await expect(s.presign('_delta_log/00000000000000000000.json', 60)).rejects.toThrow(/presign/);
    } finally {
      double.presign = true;
    }
  });
});

describe('the double answers as the lakeFS OpenAPI document says', () => {
  it('every answer so far has a declared status and a body matching its schema', () => {
    const api = double.requests.filter((r) => r.route !== 'presigned');
    expect(api.length).toBeGreaterThan(30);
    const routes = new Set(api.map((r) => r.route));
    for (const route of [
      '/config',
      '/repositories',
      '/repositories/{repository}',
      '/repositories/{repository}/branches',
      '/repositories/{repository}/tags',
      '/repositories/{repository}/refs/{ref}/commits',
      '/repositories/{repository}/commits/{commitId}',
      '/repositories/{repository}/refs/{ref}/objects',
      '/repositories/{repository}/refs/{ref}/objects/ls',
      '/repositories/{repository}/refs/{ref}/objects/stat',
    ]) {
      expect(routes, route).toContain(route);
    }
    expect(new Set(api.map((r) => r.status))).toEqual(new Set([200, 206, 401, 403, 404]));
    expect(checkAgainstSpec(api)).toEqual([]);
  });

  it('the checker catches a body that breaks the schema', () => {
    const schema = responseSchema('/repositories/{repository}/refs/{ref}/objects/ls', 'GET', 200);
    expect(specErrors(schema, { pagination: { has_more: false, next_offset: '', results: 0, max_per_page: 100 }, results: [] })).toEqual([]);
    expect(specErrors(schema, { pagination: { has_more: 'no', results: 0 }, results: [{ path: 'x' }] }).length).toBeGreaterThan(2);
    expect(() => responseSchema('/repositories', 'GET', 418)).not.toThrow(); // `default` covers other statuses
    expect(() => responseSchema('/config', 'GET', 404)).toThrow(/no status 404/);
  });

  it('the API sends no CORS headers, as lakeFS', async () => {
    const res = await fetch(`${endpoint}/api/v1/repositories`, { headers: { Origin: 'http://elsewhere.example', Authorization: `Basic ${btoa(`${ADMIN.accessKeyId}:${ADMIN.secretAccessKey}`)}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('lakeFS client at an address without the lakeFS API', () => {
  it('reports a 4xx answer that is not lakeFS error JSON as "is this the lakeFS API?", not as access denied', async () => {
    const http = await import('node:http');
    // An S3 server's answer to a request it cannot route (MinIO answers /api/v1/... like this).
    const server = http.createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const c = new LakeFsClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`, ADMIN);
      const e = await caught(c.repositories());
      expect(e.code).toBe('STORAGE_ERROR');
      expect(e.message).toMatch(/HTTP 403 without a lakeFS error \(application\/xml\): is this the lakeFS API\?/);
      expect(e.message).not.toContain(ADMIN.secretAccessKey);
    } finally {
      server.close();
    }
  });
});
