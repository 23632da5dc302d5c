/**
 * Which versions a History row's actions compare and whether they offer the Change Data Feed
 * (`commitTargets`), and how a commit's action kinds are listed (`actionCountList`).
 */
import { describe, expect, it } from 'vitest';
import { actionCountList } from './commit-detail.tsx';
import { commitTargets } from './history-actions.tsx';

const summary = (latestVersion: number, cdf?: string) => ({ latestVersion, metadata: { configuration: cdf === undefined ? {} : { 'delta.enableChangeDataFeed': cdf } } }) as Parameters<typeof commitTargets>[2];
const row = (version: number, cdc = 0) => ({ version, actionCounts: { add: 1, remove: 0, cdc } }) as Parameters<typeof commitTargets>[0];

describe('commitTargets', () => {
  it('compares with the version before only when its commit is retained', () => {
    const retained = new Set([3, 4, 5, 6]);
    expect(commitTargets(row(5), retained, summary(6)).previous).toBe(4);
    expect(commitTargets(row(3), retained, summary(6)).previous).toBeNull(); // 2 was cleaned up
    expect(commitTargets(row(0), new Set([0, 1]), summary(1)).previous).toBeNull();
  });
  it('compares with the latest unless this is the latest', () => {
    const retained = new Set([0, 1, 2]);
    expect(commitTargets(row(0), retained, summary(2)).latest).toBe(2);
    expect(commitTargets(row(2), retained, summary(2)).latest).toBeNull();
  });
  it('offers the feed for a commit with cdc files or a table that sets delta.enableChangeDataFeed, else says why not', () => {
    const retained = new Set([0, 1]);
    expect(commitTargets(row(1, 2), retained, summary(1)).cdf).toEqual({ offered: true, reason: 'this commit wrote 2 cdc files' });
    expect(commitTargets(row(1), retained, summary(1, 'true')).cdf.offered).toBe(true);
    const none = commitTargets(row(1), retained, summary(1, 'false')).cdf;
    expect(none.offered).toBe(false);
    expect(none.reason).toContain('delta.enableChangeDataFeed is not set');
  });
});

describe('actionCountList', () => {
  it('lists the protocol kinds (0 when absent) and then any other kind found', () => {
    const list = actionCountList({ commitInfo: 1, add: 3, checkpointMetadata: 1, sidecar: 2 });
    expect(list.map((x) => x.kind)).toEqual(['add', 'remove', 'metaData', 'protocol', 'commitInfo', 'cdc', 'domainMetadata', 'txn', 'checkpointMetadata', 'sidecar']);
    expect(Object.fromEntries(list.map((x) => [x.kind, x.count]))).toMatchObject({ add: 3, remove: 0, commitInfo: 1, sidecar: 2 });
  });
});
