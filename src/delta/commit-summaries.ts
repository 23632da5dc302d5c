/**
 * What the history needs from one commit (its `commitInfo`, action counts, bytes added and removed,
 * in-commit timestamp), remembered per store when a snapshot reads the commit, so that the History
 * after the Overview does not download the same commit files again (issue #16: a 46.6 MB log moved
 * 93 MB). Commit files are immutable; entries are keyed by path and size, held per store (weakly:
 * they go with the store).
 */
import type { ActionSet, CommitInfo } from './actions.ts';
import type { ObjectStore } from './storage/object-store.ts';

/** The history-relevant facts of one commit file. Sizes in bytes; `ict` in ms since the epoch. */
export interface CommitSummary {
  commitInfo: CommitInfo | null;
  actionCounts: { add: number; remove: number; cdc: number; metaData: number; protocol: number; txn: number; domainMetadata: number };
  bytesAdded: number;
  bytesRemoved: number;
  /** The commit's in-commit timestamp, when its `commitInfo` is first and has one. */
  ict?: number;
}

/** Summarises a parsed commit. */
export function summarizeCommit(set: ActionSet): CommitSummary {
  const ci = set.commitInfo ?? null;
  let bytesAdded = 0;
  let bytesRemoved = 0;
  for (let i = 0; i < set.adds.length; i++) bytesAdded += set.adds.size[i] || 0;
  for (let i = 0; i < set.removes.length; i++) bytesRemoved += set.removes.size[i] || 0;
  return {
    commitInfo: ci,
    actionCounts: {
      add: set.adds.length,
      remove: set.removes.length,
      cdc: set.cdcs.length,
      metaData: set.metaData ? 1 : 0,
      protocol: set.protocol ? 1 : 0,
      txn: set.txns.length,
      domainMetadata: set.domainMetadata.length,
    },
    bytesAdded,
    bytesRemoved,
    ict: set.commitInfoFirst && typeof ci?.inCommitTimestamp === 'number' ? ci.inCommitTimestamp : undefined,
  };
}

const byStore = new WeakMap<ObjectStore, Map<string, CommitSummary>>();
const key = (file: { path: string; sizeBytes: number }) => `${file.path}\u0000${file.sizeBytes}`;

/** Remembers the summary of a commit file read from `store`. */
export function rememberCommit(store: ObjectStore, file: { path: string; sizeBytes: number }, set: ActionSet): void {
  let m = byStore.get(store);
  if (!m) byStore.set(store, (m = new Map()));
  m.set(key(file), summarizeCommit(set));
}

/** The remembered summary of a commit file, if a snapshot read it from this store. */
export function rememberedCommit(store: ObjectStore, file: { path: string; sizeBytes: number }): CommitSummary | undefined {
  return byStore.get(store)?.get(key(file));
}
