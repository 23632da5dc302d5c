/**
 * Expected row-level diffs worked out from a change feed transcribed from delta-kernel-rs
 * (`test/expected/kernel-cdf.ts`), independently of the app: the net effect per whole row of the
 * commits between two versions (inserts and post-images +1, deletes and pre-images −1), then, by
 * key, keys with only + rows are added, only − rows removed, both changed. Shared by the unit test
 * (`src/query/row-diff.test.ts`) and the browser test (`e2e/row-diff.spec.ts`).
 */

/** One row of a pipe table `| id | comment | _change_type | _commit_version |`; an empty cell is NULL. */
export interface FeedRow {
  id: number;
  comment: string | null;
  type: string;
  version: number;
}

/** Parses a kernel expectation with columns id, comment, _change_type, _commit_version. */
export function parseFeed(table: string): FeedRow[] {
  return table
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [id, comment, type, version] = l.split('|').slice(1, -1).map((c) => c.trim());
      return { id: Number(id), comment: comment === '' ? null : comment, type, version: Number(version) };
    });
}

/** Added / removed / changed ids (sorted) from version `va` to `vb` (either order), by key `id`. */
export function expectedDiff(feed: FeedRow[], va: number, vb: number): { added: number[]; removed: number[]; changed: number[] } {
  const [lo, hi] = va < vb ? [va, vb] : [vb, va];
  const sign = va < vb ? 1 : -1;
  const net = new Map<string, { id: number; n: number }>();
  for (const r of feed) {
    if (r.version <= lo || r.version > hi) continue;
    const w = (r.type === 'insert' || r.type === 'update_postimage' ? 1 : -1) * sign;
    const k = JSON.stringify([r.id, r.comment]);
    const e = net.get(k) ?? { id: r.id, n: 0 };
    e.n += w;
    net.set(k, e);
  }
  const plus = new Set<number>();
  const minus = new Set<number>();
  for (const { id, n } of net.values()) {
    if (n > 0) plus.add(id);
    if (n < 0) minus.add(id);
  }
  const sorted = (xs: number[]) => xs.sort((x, y) => x - y);
  return {
    added: sorted([...plus].filter((i) => !minus.has(i))),
    removed: sorted([...minus].filter((i) => !plus.has(i))),
    changed: sorted([...plus].filter((i) => minus.has(i))),
  };
}
