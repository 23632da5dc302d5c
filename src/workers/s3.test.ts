/**
 * S3 sources and share links against a real S3-protocol server (s3rver, see `e2e/s3-server.ts`),
 * in Node: connect, browse, open, snapshot, query, wrong key, expired URL, share link round trip.
 * The oracle is the fixture tables themselves (read from disk by the same core) and the MANIFEST.
 */
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, manifestEntry } from '../../test/fixtures.ts';
import { S3RVER_KEY, S3RVER_SECRET, startS3Server, type S3Server } from '../../e2e/s3-server.ts';
import { createNodeEngine } from '../query/engine.ts';
import { DeltaTable } from '../delta/table.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { makeS3Client, S3Store } from '../delta/storage/s3.ts';
import { ExplorerService } from './explorer-service.ts';
import { ManifestStore } from '../delta/storage/manifest.ts';
import { decodeManifest, openShareStore } from './share.ts';
import type { OpenedTable, OpenResult, Result } from './api.ts';

let s3: S3Server;
const config = () => ({ endpoint: s3.endpoint, region: 'us-east-1', bucket: 'lake', accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_SECRET });

/** The first cell of an Arrow IPC result, as text. */
function firstCell(ipc: Uint8Array): string {
  return String(arrow.tableFromIPC(ipc).getChildAt(0)!.get(0));
}

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  s3 = await startS3Server({
    buckets: [{ name: 'lake', corsOrigin: 'http://127.0.0.1:1' }],
    tables: [
      { bucket: 'lake', prefix: 'warehouse/dv_table', dir: fixture('table_with_deletion_logs') },
      { bucket: 'lake', prefix: 'warehouse/sales/partitioned', dir: fixture('delta-0.8.0-partitioned') },
      { bucket: 'lake', prefix: 'warehouse/no_last_cp', dir: fixture('with_checkpoint_no_last_checkpoint-rs') },
    ],
  });
}, 120_000);

afterAll(async () => {
  await s3?.stop();
});

describe('S3 connection', () => {
  it('connects, browses to the tables and marks them', async () => {
    const svc = new ExplorerService();
    const conn = ok(await svc.connectS3(config()));
    expect(conn.kind).toBe('s3');
    expect(Object.keys(conn).sort()).toEqual(['connectionId', 'endpoint', 'kind', 'label']); // nothing secret crosses to the UI
    const top = ok(await svc.browseRemote(conn.connectionId, { prefix: '' }));
    expect(top.folders.map((f) => f.name)).toEqual(['warehouse']);
    expect(top.folders[0].isTable).toBe(false);
    const wh = ok(await svc.browseRemote(conn.connectionId, { prefix: 'warehouse' }));
    expect(wh.folders.map((f) => [f.name, f.isTable])).toEqual([
      ['dv_table', true],
      ['no_last_cp', true],
      ['sales', false],
    ]);
    const inside = ok(await svc.browseRemote(conn.connectionId, { prefix: 'warehouse/dv_table' }));
    expect(inside.isTable).toBe(true);
  });

  it('opens a table: same snapshot as the local copy, and a SQL count through presigned URLs', async () => {
    const svc = new ExplorerService({ engine: () => createNodeEngine() });
    const conn = ok(await svc.connectS3(config()));
    const opened = ok(await svc.openRemote(conn.connectionId, { prefix: 'warehouse/dv_table' })) as OpenedTable;
    expect(opened.kind).toBe('table');
    expect(opened.remote).toEqual({ kind: 's3', endpoint: s3.endpoint, region: 'us-east-1', bucket: 'lake', prefix: 'warehouse/dv_table' });
    expect(opened.shareable).toBe(true);
    const snap = ok(await svc.snapshot(opened.tableId));
    const local = await new DeltaTable(new NodeFsStore(fixture('table_with_deletion_logs'))).snapshot();
    expect(snap.version).toBe(manifestEntry('table_with_deletion_logs').latest_version);
    expect(ok(await svc.snapshotStats(opened.tableId, snap.version)).totals).toEqual(local.totals);
    const q = ok(await svc.sql(opened.tableId, 'SELECT count(*) AS n FROM t'));
    expect(firstCell(q.ipc)).toBe(String(local.totals.numRecords)); // net of deletion vectors
  });

  it('opens a table with a checkpoint and no _last_checkpoint, and time travels', async () => {
    const svc = new ExplorerService();
    const conn = ok(await svc.connectS3(config()));
    const opened = ok(await svc.openRemote(conn.connectionId, { prefix: 'warehouse/no_last_cp' })) as OpenedTable;
    const m = manifestEntry('with_checkpoint_no_last_checkpoint-rs');
    expect(ok(await svc.snapshot(opened.tableId)).version).toBe(m.latest_version);
    expect(ok(await svc.snapshot(opened.tableId, { version: 0 })).version).toBe(0);
  });

  it('a folder holding one table opens it', async () => {
    const svc = new ExplorerService();
    const conn = ok(await svc.connectS3(config()));
    const r = ok(await svc.openRemote(conn.connectionId, { prefix: 'warehouse/sales' })) as OpenResult;
    expect(r.kind).toBe('table');
    expect((r as OpenedTable).root).toBe('partitioned');
    expect((r as OpenedTable).remote).toMatchObject({ kind: 's3', prefix: 'warehouse/sales/partitioned' });
    // Its share link names the table's own folder, and the recipient sees the same table.
    const link = ok(await svc.createShareLink((r as OpenedTable).tableId, { expiresInSeconds: 600, storage: 'fragment' }));
    expect((await decodeManifest(link.fragment.slice('share='.length))).location).toMatchObject({ prefix: 'warehouse/sales/partitioned' });
    const recipient = new ExplorerService();
    const shared = ok(await recipient.openShare(link.fragment, Date.now())) as OpenedTable;
    expect(ok(await recipient.snapshot(shared.tableId)).totals).toEqual(ok(await svc.snapshot((r as OpenedTable).tableId)).totals);
  });

  it('an unknown access key is WRONG_CREDENTIALS, and the message holds no secret', async () => {
    const svc = new ExplorerService();
    const r = await svc.connectS3({ ...config(), accessKeyId: 'AKIAWRONGKEY', secretAccessKey: 'sEcReT/wrong+value' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('WRONG_CREDENTIALS');
    expect(JSON.stringify(r.error)).not.toContain('sEcReT');
  });

  it('a missing bucket and an unreachable endpoint say so', async () => {
    const svc = new ExplorerService();
    const nb = await svc.connectS3({ ...config(), bucket: 'nope' });
    expect(!nb.ok && nb.error.code).toBe('STORAGE_ERROR');
    expect(!nb.ok && nb.error.message).toMatch(/bucket does not exist/);
    const down = await svc.connectS3({ ...config(), endpoint: 'http://127.0.0.1:9' });
    expect(!down.ok && down.error.code).toBe('STORAGE_ERROR');
  });

  it('an expired presigned URL is EXPIRED', async () => {
    const store = new S3Store(makeS3Client(config()), { endpoint: s3.endpoint, region: 'us-east-1', bucket: 'lake', prefix: 'warehouse/dv_table' });
    const { url } = await store.presign('_delta_log/00000000000000000000.json', 1, undefined, new Date(Date.now() - 5000));
    const share = new ManifestStore({ label: 'x', version: 0, expiresAtMs: Date.now() + 60_000, files: [['a.json', 1, url]] });
    const err = await share.get('a.json').catch((e) => e);
    expect(err.code).toBe('EXPIRED');
    expect(err.message).not.toContain('X-Amz-Signature');
  });
});

describe('share links', () => {
  it('a link made with credentials opens with none and gives the same snapshot; data files by presigned URL', async () => {
    const svc = new ExplorerService({ engine: () => createNodeEngine() });
    const conn = ok(await svc.connectS3(config()));
    const opened = ok(await svc.openRemote(conn.connectionId, { prefix: 'warehouse/dv_table' })) as OpenedTable;
    const link = ok(await svc.createShareLink(opened.tableId, { version: 15, expiresInSeconds: 3600, storage: 'auto' }));
    expect(link.storage).toBe('fragment');
    expect(link.fragment).toMatch(/^share=/);
    expect(link.fragment).not.toContain(S3RVER_SECRET + '@');
    const manifest = await decodeManifest(link.fragment.slice('share='.length));
    expect(manifest.version).toBe(15);
    expect(manifest.location).toEqual({ kind: 's3', endpoint: s3.endpoint, region: 'us-east-1', bucket: 'lake', prefix: 'warehouse/dv_table' });
    // Only log files at or below 15 are shared.
    expect(manifest.files.some(([p]) => p === '_delta_log/00000000000000000016.json')).toBe(false);
    expect(manifest.files.some(([p]) => p === '_delta_log/00000000000000000015.json')).toBe(true);

    const recipient = new ExplorerService({ engine: () => createNodeEngine() });
    const shared = ok(await recipient.openShare('#' + link.fragment, Date.now())) as OpenedTable;
    expect(shared.remote?.kind).toBe('share');
    expect(shared.shareable).toBe(false);
    const a = ok(await svc.snapshot(opened.tableId, { version: 15 }));
    const b = ok(await recipient.snapshot(shared.tableId));
    expect(b.version).toBe(15);
    expect(ok(await recipient.snapshotStats(shared.tableId, b.version)).totals).toEqual(ok(await svc.snapshotStats(opened.tableId, a.version)).totals);
    const qa = ok(await svc.sql(opened.tableId, 'SELECT count(*), sum(hash(id)) FROM "t@v15"'));
    const qb = ok(await recipient.sql(shared.tableId, 'SELECT count(*), sum(hash(id)) FROM t'));
    expect(firstCell(qb.ipc)).toBe(firstCell(qa.ipc));
    expect(Number(firstCell(qb.ipc))).toBeGreaterThan(0);
    // The history dates the same (commit times come from the files' times, carried in the link).
    const ha = ok(await svc.history(opened.tableId)).filter((r) => r.version <= 15);
    const hb = ok(await recipient.history(shared.tableId));
    expect(hb.map((r) => [r.version, r.timestampMs])).toEqual(ha.map((r) => [r.version, r.timestampMs]));
    expect(Math.min(...hb.map((r) => r.timestampMs))).toBeGreaterThan(Date.UTC(2020, 0, 1));
    // Nothing else is reachable: version 16 is not in the link.
    const v16 = await recipient.snapshot(shared.tableId, { version: 16 });
    expect(!v16.ok && v16.error.code).toBe('VERSION_NOT_FOUND');
  });

  it('a manifest stored beside the table opens through its presigned URL', async () => {
    const svc = new ExplorerService();
    const conn = ok(await svc.connectS3(config()));
    const opened = ok(await svc.openRemote(conn.connectionId, { prefix: 'warehouse/dv_table' })) as OpenedTable;
    const link = ok(await svc.createShareLink(opened.tableId, { expiresInSeconds: 600, storage: 'object' }));
    expect(link.storage).toBe('object');
    expect(link.fragment).toMatch(/^share-url=/);
    const stats = await s3.stats();
    expect(Object.keys(stats).some((k) => k.startsWith('lake/warehouse/dv_table/_delta_explorer/shares/') && stats[k].methods.includes('PUT'))).toBe(true);
    const recipient = new ExplorerService();
    const shared = ok(await recipient.openShare(link.fragment)) as OpenedTable;
    expect(ok(await recipient.snapshot(shared.tableId)).version).toBe(manifestEntry('table_with_deletion_logs').latest_version);
  });

  it('an expired link says so plainly', async () => {
    const svc = new ExplorerService();
    const conn = ok(await svc.connectS3(config()));
    const opened = ok(await svc.openRemote(conn.connectionId, { prefix: 'warehouse/dv_table' })) as OpenedTable;
    const link = ok(await svc.createShareLink(opened.tableId, { expiresInSeconds: 60, storage: 'fragment' }));
    const err = await openShareStore(link.fragment, { now: () => Date.now() + 61_000 }).catch((e) => e);
    expect(err.code).toBe('EXPIRED');
    expect(err.message).toMatch(/share link expired on \d{4}-\d\d-\d\d/);
  });

  it('refuses expiries beyond 7 days and damaged links', async () => {
    const svc = new ExplorerService();
    const conn = ok(await svc.connectS3(config()));
    const opened = ok(await svc.openRemote(conn.connectionId, { prefix: 'warehouse/dv_table' })) as OpenedTable;
    const r = await svc.createShareLink(opened.tableId, { expiresInSeconds: 8 * 24 * 3600, storage: 'fragment' });
    expect(!r.ok && r.error.code).toBe('INVALID_ARGUMENT');
    const bad = await new ExplorerService().openShare('#share=AAAA');
    expect(!bad.ok && bad.error.code).toBe('INVALID_ARGUMENT');
  });
});
