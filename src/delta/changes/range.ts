/**
 * The version range of a change feed (after delta-kernel-rs `TableChanges::try_new` and
 * `LogSegment::for_table_changes`): bounds given as versions or timestamps, resolved against the
 * commits of one whole-log listing as Spark's `table_changes` resolves them, and the commit files of
 * the range, which must be contiguous.
 */
import { DeltaError } from '../errors.ts';
import { loadHistory, parseTimestamp, versionAtTimestamp, type HistoryEntry } from '../history.ts';
import { LOG_DIR, padVersion, segmentFromListing, type CommitFile, type LogListing } from '../log/listing.ts';
import { snapshotFromSegment } from '../snapshot.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { ChangePlan, PlanChangesOptions } from './plan.ts';

/** A resolved range: `start..end` inclusive and its commit files, or an empty timestamp window. */
export type ChangeRange =
  | { kind: 'range'; start: number; end: number; resolvedFrom: ChangePlan['resolvedFrom']; commits: CommitFile[] }
  | { kind: 'empty'; start: number; end: number; resolvedFrom: ChangePlan['resolvedFrom'] };

/**
 * Resolves the range of {@link PlanChangesOptions} against `listing`.
 *
 * The start is the version given, or the first version whose commit timestamp is at or after
 * `startTimestamp`; the end the version given, the last version whose commit timestamp is at or
 * before `endTimestamp`, or the latest. Timestamps need the history: `options.history` when given,
 * else read from the listed commits.
 *
 * @throws DeltaError `INVALID_ARGUMENT` (a bound given twice, a bad version, start after end),
 *   `NOT_A_TABLE` (no commit listed), `VERSION_NOT_FOUND`, `TIMESTAMP_OUT_OF_RANGE`,
 *   `MISSING_COMMIT` (a gap inside the range).
 */
export async function resolveRange(store: ObjectStore, listing: LogListing, options: PlanChangesOptions): Promise<ChangeRange> {
  const { signal } = options;
  validateOptions(options);
  const commits = listing.commits;
  if (!commits.length) {
    throw new DeltaError('NOT_A_TABLE', `No Delta log found: ${LOG_DIR} holds no commit files.`, {
      path: LOG_DIR,
      hint: 'Open the folder that contains _delta_log (the table root).',
    });
  }
  const byVersion = new Map(commits.map((c) => [c.version, c]));
  const first = commits[0].version;
  const latest = commits[commits.length - 1].version;

  let startV = options.startVersion;
  let endV = options.endVersion;
  const resolvedFrom: ChangePlan['resolvedFrom'] = {
    start: options.startTimestamp !== undefined ? 'timestamp' : 'version',
    end: options.endTimestamp !== undefined ? 'timestamp' : options.endVersion !== undefined ? 'version' : 'latest',
  };
  let startTs: number | undefined;
  let endTs: number | undefined;
  if (options.startTimestamp !== undefined || options.endTimestamp !== undefined) {
    startTs = options.startTimestamp !== undefined ? parseTimestamp(options.startTimestamp) : undefined;
    endTs = options.endTimestamp !== undefined ? parseTimestamp(options.endTimestamp) : undefined;
    if (startTs !== undefined && endTs !== undefined && startTs > endTs) {
      throw new DeltaError(
        'INVALID_ARGUMENT',
        `The change feed range is empty: the start time ${iso(startTs)} is after the end time ${iso(endTs)}.`,
        { hint: 'Give a start time before the end time.' },
      );
    }
    const history = options.history ?? (await historyFor(store, listing, signal));
    if (startTs !== undefined) startV = firstVersionAtOrAfter(history, startTs);
    if (endTs !== undefined) endV = versionAtTimestamp(history, endTs, first);
  }
  const start: number = startV!;
  const end: number = endV ?? latest;

  if (start > latest) {
    throw new DeltaError('VERSION_NOT_FOUND', `Start version ${start} does not exist: the latest version is ${latest}.`, {
      version: start,
      hint: `Choose a start version up to ${latest}.`,
    });
  }
  if (end > latest) {
    throw new DeltaError('VERSION_NOT_FOUND', `End version ${end} does not exist: the latest version is ${latest}.`, {
      version: end,
      hint: `Choose an end version up to ${latest}, or leave it empty for the latest.`,
    });
  }
  if (start > end) {
    if (startTs !== undefined && endTs !== undefined && end === start - 1) {
      // Both times fall between two commits (Spark returns an empty feed).
      return { kind: 'empty', start, end, resolvedFrom };
    }
    throw new DeltaError('INVALID_ARGUMENT', `The change feed range is invalid: start version ${start} is after end version ${end}.`, {
      version: start,
      hint: 'Give a start version at or before the end version.',
    });
  }
  if (start < first) {
    throw new DeltaError(
      'VERSION_NOT_FOUND',
      `Version ${start} is no longer in the log: the oldest retained commit is version ${first}, so changes can only be read from there.`,
      { version: start, hint: `Choose a start version from ${first}.` },
    );
  }
  const rangeCommits: CommitFile[] = [];
  for (let v = start; v <= end; v++) {
    const c = byVersion.get(v);
    if (!c) {
      throw new DeltaError('MISSING_COMMIT', `Commit ${padVersion(v)}.json is missing: the log has a gap at version ${v}, inside the change feed range ${start}–${end}.`, {
        version: v,
        path: `${LOG_DIR}${padVersion(v)}.json`,
        hint: 'The log is incomplete; read the change feed on a range without the gap.',
      });
    }
    rangeCommits.push(c);
  }
  return { kind: 'range', start, end, resolvedFrom, commits: rangeCommits };
}

/** Checks the bounds' form before anything is read. @throws DeltaError `INVALID_ARGUMENT`. */
export function validateOptions(o: PlanChangesOptions): void {
  const bad = (msg: string) => new DeltaError('INVALID_ARGUMENT', msg);
  if (o.startVersion !== undefined && o.startTimestamp !== undefined) throw bad('Give the change feed start as a version or a timestamp, not both.');
  if (o.endVersion !== undefined && o.endTimestamp !== undefined) throw bad('Give the change feed end as a version or a timestamp, not both.');
  if (o.startVersion === undefined && o.startTimestamp === undefined) throw bad('The change feed needs a start version or a start timestamp.');
  for (const [name, v] of [
    ['start', o.startVersion],
    ['end', o.endVersion],
  ] as const) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw bad(`Invalid ${name} version ${v}: versions are whole numbers from 0.`);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** History of every listed commit, with in-commit-timestamp settings from the latest metadata (from the same listing). */
async function historyFor(store: ObjectStore, listing: LogListing, signal?: AbortSignal): Promise<HistoryEntry[]> {
  const latest = await snapshotFromSegment(store, await segmentFromListing(store, listing, { signal }), { allowUnsupported: true, stats: false, signal });
  return loadHistory(store, { commits: listing.commits, metadata: latest.metadata, signal });
}

/**
 * The first version (ascending) whose commit timestamp is at or after `ms` (Spark's
 * `getStartingVersionFromTimestamp`). @throws `TIMESTAMP_OUT_OF_RANGE` when every commit is older.
 */
function firstVersionAtOrAfter(history: Pick<HistoryEntry, 'version' | 'timestampMs'>[], ms: number): number {
  const sorted = [...history].sort((a, b) => a.version - b.version);
  const hit = sorted.find((h) => h.timestampMs >= ms);
  if (!hit) {
    const last = sorted[sorted.length - 1];
    throw new DeltaError(
      'TIMESTAMP_OUT_OF_RANGE',
      `${iso(ms)} is after the latest commit${last ? ` (version ${last.version} at ${iso(last.timestampMs)})` : ''}: there are no changes from then on.`,
      { version: last?.version, hint: 'Choose an earlier start time.' },
    );
  }
  return hit.version;
}
