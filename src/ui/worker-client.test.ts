/**
 * The real Comlink boundary in Node: ExplorerService exposed on one end of a MessageChannel, the
 * UI client on the other. Checks that results, structured errors, progress callbacks and
 * cancellation survive postMessage.
 */
import { join } from 'node:path';
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { throwIfAborted } from '../delta/errors.ts';
import type { ExplorerApi, HistoryRow, OpenedTable, ProgressCallback, Result, WorkerProgress } from '../workers/api.ts';
import { ExplorerService } from '../workers/explorer-service.ts';
import { ExplorerError, wrapExplorer, type ExplorerClient } from './worker-client.ts';
import { folderFiles as folder } from '../../test/fixtures.ts';

const TABLE = join(import.meta.dirname, '../../test/fixtures/tables/table_with_deletion_logs');


let channel: MessageChannel | undefined;
afterEach(() => {
  channel?.port1.close();
  channel?.port2.close();
});

/**
 * History that waits (cancellably) before answering. Node reads in-memory Files within microtasks,
 * so a real call may finish before the cancel message is even delivered; this one cannot.
 */
class SlowHistoryService extends ExplorerService {
  override history(tableId: string, onProgress?: ProgressCallback, requestId?: string) {
    const run = (this as unknown as { run: (id: string | undefined, cb: ProgressCallback | undefined, fn: (signal: AbortSignal) => Promise<unknown>) => Promise<Result<HistoryRow[]>> }).run.bind(this);
    return run(requestId, onProgress, async (signal) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      throwIfAborted(signal);
      const r = await super.history(tableId);
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    });
  }
}

function connect(service: ExplorerService = new ExplorerService()): ExplorerClient {
  channel = new MessageChannel();
  service.releaseProxy = (cb) => (cb as unknown as Comlink.Remote<unknown>)[Comlink.releaseProxy]();
  Comlink.expose(service, channel.port1 as unknown as Comlink.Endpoint);
  const remote = Comlink.wrap<ExplorerApi>(channel.port2 as unknown as Comlink.Endpoint);
  return wrapExplorer(remote, new Promise<never>(() => {}), () => {});
}

describe('worker client over a MessageChannel', () => {
  it('opens a table and loads a summary, with progress through a proxy', async () => {
    const client = connect();
    const t = (await client.openFiles(folder(TABLE), 'table_with_deletion_logs')) as OpenedTable;
    expect(t.kind).toBe('table');
    const seen: WorkerProgress[] = [];
    const s = await client.snapshot(t.tableId, {}, { onProgress: (p) => seen.push(p) });
    expect(s.version).toBe(20);
    expect(s.totals.numFiles).toBe(1);
    // Progress calls are fire-and-forget: give the last messages a turn to arrive.
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.some((p) => p.phase === 'checkpoint')).toBe(true);
    const page = await client.filesPage(t.tableId, 20, 0, 5);
    expect(page.rows[0].numRecords).toBe(100);
  });

  it('throws ExplorerError with the structured error', async () => {
    const client = connect();
    const t = (await client.openFiles(folder(TABLE), 'x')) as OpenedTable;
    const err = await client.snapshot(t.tableId, { version: 99 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExplorerError);
    expect((err as ExplorerError).code).toBe('VERSION_NOT_FOUND');
    expect((err as ExplorerError).info.message).toMatch(/99/);
    const notTable = await client.openFiles([], 'empty').catch((e: unknown) => e);
    expect((notTable as ExplorerError).info).toMatchObject({ code: 'NOT_A_TABLE', hint: expect.any(String) });
  });

  it('hands a folder of many files over in slices (staged), and opens all of them', async () => {
    const service = new ExplorerService();
    const staged: number[] = [];
    const stage = service.stageFiles.bind(service);
    service.stageFiles = (id, files) => {
      staged.push(files?.length ?? -1);
      return stage(id, files);
    };
    const client = connect(service);
    const extra = Array.from({ length: 70 }, (_, i) => ({ path: `notes/n${i}.txt`, file: new File(['x'], `n${i}.txt`) }));
    const files = [...extra, ...folder(TABLE)];
    const t = (await client.openFiles(files, 'x')) as OpenedTable;
    expect(staged.length).toBeGreaterThanOrEqual(1);
    expect(staged[0]).toBe(8);
    expect(staged.reduce((a, b) => a + b, 0)).toBeLessThan(files.length);
    // The log files came in the last slices: the table opens at its latest version.
    expect((await client.snapshot(t.tableId)).version).toBe(20);
    // Cancelled before the last slice: what was staged is discarded.
    const controller = new AbortController();
    controller.abort();
    await expect(client.openFiles(files, 'x', { signal: controller.signal })).rejects.toMatchObject({ info: { code: 'CANCELLED' } });
    await new Promise((r) => setTimeout(r, 20));
    expect(staged.at(-1)).toBe(-1);
    expect((service as unknown as { sources: { staged: Map<string, unknown> } }).sources.staged.size).toBe(0);
  });

  it('cancels through the AbortSignal', async () => {
    const client = connect(new SlowHistoryService());
    const t = (await client.openFiles(folder(TABLE), 'x')) as OpenedTable;
    const controller = new AbortController();
    const pending = client.history(t.tableId, { signal: controller.signal });
    controller.abort();
    const err = await pending.catch((e: unknown) => e);
    expect((err as ExplorerError).code).toBe('CANCELLED');
    // An already aborted signal fails at once, without a round trip.
    await expect(client.snapshot(t.tableId, {}, { signal: controller.signal })).rejects.toMatchObject({ info: { code: 'CANCELLED' } });
    // The table is still usable.
    expect((await client.history(t.tableId)).length).toBe(21);
  });
});
