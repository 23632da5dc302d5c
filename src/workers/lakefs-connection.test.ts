/**
 * The lakeFS source through the worker service (as the UI calls it) against the lakeFS test double
 * over fixture tables: connect, repositories, refs, browse (tables marked), open the table on two
 * branches (pinned to their commits), SQL through the data plane, compare the two refs, typed errors,
 * and every API answer checked against the lakeFS OpenAPI schemas.
 */
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type SqlEngine } from '../query/engine.ts';
import { FIXTURES, manifestEntry, referenceReplay } from '../../test/fixtures.ts';
import { LakeFsDouble, seedDeltaRepositories, type SeededFacts } from '../../test/lakefs/double.ts';
import { checkAgainstSpec } from '../../test/lakefs/spec.ts';
import type { OpenedTable, Result } from './api.ts';
import { ExplorerService } from './explorer-service.ts';
import { folderFiles as folder } from '../../test/fixtures.ts';

const KEY = { accessKeyId: 'AKIAJLAKEFSEXAMPLE01', secretAccessKey: 'lakefs-secret-do-not-show' };

let double: LakeFsDouble;
let facts: SeededFacts;
let endpoint = '';
let engine: Promise<SqlEngine> | undefined;
const service = new ExplorerService({ engine: () => (engine ??= createNodeEngine()) });

/** `SELECT count(*)` of a table at a version (default: the latest). */
async function countOf(tableId: string, version?: number): Promise<number> {
  const r = ok(await service.sql(tableId, 'SELECT count(*)::INTEGER AS n FROM t', version === undefined ? {} : { version }));
  return Number(tableFromIPC(r.ipc).getChild('n')!.get(0));
}


const ok = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

beforeAll(async () => {
  double = new LakeFsDouble({ users: [KEY], maxPage: 5 });
  facts = seedDeltaRepositories(double, FIXTURES);
  endpoint = await double.listen();
});

afterAll(async () => {
  await double.close();
  await (await engine)?.close?.();
});

describe('lakeFS through the explorer service', () => {
  let connectionId = '';
  const tables: Record<string, OpenedTable> = {};

  it('connects, lists repositories and the refs of one', async () => {
    const conn = ok(await service.connectLakeFs({ endpoint: `${endpoint}/api/v1/`, ...KEY }));
    connectionId = conn.connectionId;
    expect(conn).toMatchObject({ kind: 'lakefs', endpoint });
    expect(JSON.stringify(conn)).not.toContain(KEY.secretAccessKey);
    const repos = ok(await service.lakeFsRepositories(connectionId));
    expect(repos.map((r) => r.id)).toEqual([facts.repository, facts.privateRepository]);
    expect(repos[0]).toMatchObject({ defaultBranch: 'main', createdMs: 1_735_689_600_000 });
    const refs = ok(await service.lakeFsRefs(connectionId, facts.repository));
    expect(refs.branches).toEqual([
      { name: 'dev', commitId: facts.devCommit },
      { name: 'main', commitId: facts.mainCommit },
    ]);
    expect(refs.tags).toEqual([{ name: 'v1', commitId: facts.mainCommit }]);
    expect(refs.commits.map((c) => c.id)[0]).toBe(facts.mainCommit); // the default branch's log
    expect(refs.commits.at(-1)?.message).toBe('Repository created');
    expect(refs.presign).toBe(true);
  });

  it('browses a ref and marks the folders that are tables', async () => {
    const top = ok(await service.browseRemote(connectionId, { repository: facts.repository, ref: 'main', prefix: '' }));
    expect(top.folders.map((f) => [f.path, f.isTable])).toEqual([
      ['raw', false],
      ['tables', false],
    ]);
    const inTables = ok(await service.browseRemote(connectionId, { repository: facts.repository, ref: 'main', prefix: 'tables/' }));
    expect(inTables.folders.map((f) => [f.path, f.isTable])).toEqual([
      [facts.otherTablePath, true],
      [facts.tablePath, true],
    ]);
    const table = ok(await service.browseRemote(connectionId, { repository: facts.repository, ref: 'main', prefix: facts.tablePath }));
    expect(table.isTable).toBe(true);
  });

  it.each([
    ['main', () => facts.mainVersion, () => facts.mainCommit],
    ['dev', () => facts.devVersion, () => facts.devCommit],
  ])('opens the table on %s at the commit the branch points at', async (ref, version, commit) => {
    const opened = ok(await service.openRemote(connectionId, { repository: facts.repository, ref, prefix: facts.tablePath }));
    if (opened.kind !== 'table') throw new Error('expected a table');
    tables[ref] = opened;
    expect(opened.remote).toEqual({ kind: 'lakefs', endpoint, repository: facts.repository, ref, commitId: commit(), path: facts.tablePath });
    expect(opened.label).toBe(`simple_table @ ${ref}`);
    const summary = ok(await service.snapshot(opened.tableId, {}));
    const expected = referenceReplay(facts.tableDir, version());
    expect(summary.version).toBe(version());
    expect(summary.totals.numFiles).toBe(expected.numFiles);
    expect(summary.totals.numRecords).toBe(expected.numRecords);
    // The same count as the fixture folder opened locally (another storage path, same engine).
    const local = ok(await service.openFiles(folder(facts.tableDir), 'simple_table'));
    expect(await countOf(opened.tableId)).toBe(await countOf(local.kind === 'table' ? local.tableId : '', version()));
    if (ref === 'dev') expect(await countOf(opened.tableId)).toBe(manifestEntry('simple_table').num_rows_expected);
    const history = ok(await service.history(opened.tableId));
    expect(history.map((h) => h.version)).toEqual(Array.from({ length: version() + 1 }, (_, v) => version() - v));
  });

  it('compares the table on the two refs', async () => {
    const r = ok(await service.compareTables(tables.main.tableId, undefined, tables.dev.tableId, undefined));
    const a = referenceReplay(facts.tableDir, facts.mainVersion);
    const b = referenceReplay(facts.tableDir, facts.devVersion);
    expect([r.versionA, r.versionB]).toEqual([facts.mainVersion, facts.devVersion]);
    expect(r.filesA.numFiles).toBe(a.numFiles);
    expect(r.filesB.numFiles).toBe(b.numFiles);
    expect(r.recordDelta).toBe(a.numRecords === null || b.numRecords === null ? null : b.numRecords - a.numRecords);
    const pathsA = new Set(a.paths);
    const pathsB = new Set(b.paths);
    expect(r.added.count).toBe(b.paths.filter((p) => !pathsA.has(p)).length);
    expect(r.removed.count).toBe(a.paths.filter((p) => !pathsB.has(p)).length);
    expect(r.unchanged).toBe(a.paths.filter((p) => pathsB.has(p)).length);
  });

  it('a table stays at its commit when the branch moves on', async () => {
    double.commit(facts.repository, 'main', 'delete the table', 1_800_000_000, new Map([[`${facts.tablePath}/_delta_log/00000000000000000000.json`, null]]));
    const again = ok(await service.snapshot(tables.main.tableId, { version: 0 }));
    expect(again.version).toBe(0);
    const moved = await service.openRemote(connectionId, { repository: facts.repository, ref: 'main', prefix: facts.tablePath });
    expect(moved.ok).toBe(true); // still a table (commits 1.. remain), at the new commit
    if (moved.ok && moved.value.kind === 'table') expect(moved.value.remote).toMatchObject({ ref: 'main' });
    if (moved.ok && moved.value.kind === 'table') expect((moved.value.remote as { commitId: string }).commitId).not.toBe(facts.mainCommit);
  });

  it('says WRONG_CREDENTIALS, STORAGE_ERROR for an unknown repository, and forgets closed connections', async () => {
    const wrong = await service.connectLakeFs({ endpoint, accessKeyId: KEY.accessKeyId, secretAccessKey: 'wrong-secret-123' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(wrong.error.code).toBe('WRONG_CREDENTIALS');
      expect(JSON.stringify(wrong.error)).not.toContain('wrong-secret-123');
    }
    const missing = await service.lakeFsRefs(connectionId, 'nope-repo');
    expect(missing.ok || missing.error.code).toBe('STORAGE_ERROR');
    const noRepo = await service.openRemote(connectionId, { prefix: 'x' });
    expect(noRepo.ok || noRepo.error.code).toBe('INVALID_ARGUMENT');
    await service.closeConnection(connectionId);
    const closed = await service.lakeFsRepositories(connectionId);
    expect(closed.ok || closed.error.code).toBe('INVALID_ARGUMENT');
    const bad = await service.connectLakeFs({ endpoint: 'https://u:p@lakefs.example.com', ...KEY });
    expect(bad.ok || bad.error.code).toBe('INVALID_ARGUMENT');
  });

  it('every answer the double gave follows the lakeFS OpenAPI schemas, and every call carried the key', () => {
    const api = double.requests.filter((r) => r.route !== 'presigned');
    expect(checkAgainstSpec(api)).toEqual([]);
    expect(api.every((r) => r.hadAuthorization)).toBe(true);
    expect(api.some((r) => !r.authenticated)).toBe(true); // the wrong secret
  });
});
