/**
 * `_last_checkpoint` before the listing over HTTP (issue #16): the snapshot asks the server for the
 * log listed after the checkpoint `_last_checkpoint` names (ListObjectsV2 `start-after`), not the
 * whole log; the History after it lists the whole log once and downloads only the commits the
 * snapshot did not read. Real server (`src/server/static.ts`), requests seen by the proxy.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIXTURES } from '../../../test/fixtures.ts';
import { startFaultProxy, type FaultProxy } from '../../../test/fault-proxy.ts';
import { startStaticServer, type RunningStaticServer } from '../../server/static.ts';
import { DeltaTable } from '../table.ts';
import { HttpStore } from './http.ts';

let server: RunningStaticServer;
let proxy: FaultProxy;
beforeAll(async () => {
  server = await startStaticServer({ mounts: [{ urlPrefix: '/t/', root: FIXTURES, dotfiles: true, listing: true }] });
  proxy = await startFaultProxy({ target: server.url, rate: 0 });
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

it('lists from the checkpoint _last_checkpoint names; the History then lists once and reads only older commits', async () => {
  const table = new DeltaTable(new HttpStore(`${proxy.url}/t/table_with_deletion_logs`));
  const from = proxy.requests.length;
  const snap = await table.snapshot();
  const open = proxy.requests.slice(from);
  const listings = open.filter((r) => r.url.includes('list-type=2'));
  expect(listings).toHaveLength(1);
  expect(new URL(listings[0].url, 'http://x').searchParams.get('start-after')).toBe('_delta_log/00000000000000000020');
  expect(snap.segment.checkpoint?.version).toBe(20);
  // The listing named nothing before the checkpoint: no commit below 20 was read.
  expect(open.some((r) => /0000000000000000001\d\.json/.test(r.url))).toBe(false);

  const before = proxy.requests.length;
  const history = await table.history();
  const hist = proxy.requests.slice(before);
  expect(history.length).toBe(21);
  expect(hist.filter((r) => r.url.includes('list-type=2'))).toHaveLength(1);
  const commitsRead = hist.filter((r) => /\d{20}\.json$/.test(r.url)).map((r) => r.url);
  // Commits 0..20 (20 is the checkpoint's own, which the snapshot did not need); none twice.
  expect(commitsRead).toHaveLength(21);
  expect(new Set(commitsRead).size).toBe(21);
});
