/**
 * Version checksum files (`_delta_log/<version>.crc`, protocol "Version Checksum File", "File Size
 * Histogram Schema", "Deleted Record Counts Histogram Schema" and "State Validation"): read the
 * writer's record of a version's state, compare it with this reader's own replay (Action
 * Reconciliation) and keep the histograms for the health view.
 *
 * Reader requirements honoured: a missing checksum is normal (status `missing`, nothing else
 * happens); a malformed one is reported, never fatal; every field that disagrees with the replay is
 * listed so the UI can say "this version's state may be corrupt" with the numbers on both sides.
 */
import { DeltaError } from './errors.ts';
import type { Snapshot } from './snapshot.ts';

/** `fileSizeHistogram` of a checksum (protocol "File Size Histogram Schema"); sizes in bytes. */
export interface FileSizeHistogram {
  /** Start of each bin (inclusive), ascending, first 0; the last bin is open-ended. */
  sortedBinBoundaries: number[];
  /** Files per bin. */
  fileCounts: number[];
  /** Bytes per bin. */
  totalBytes: number[];
}

/**
 * Bins of the deleted-record-counts histogram (protocol "Deleted Record Counts Histogram Schema"):
 * [0], [1, 9], [10, 99], …, [10^7, 2^31 - 2], [2^31 - 1, ∞). Each entry is the inclusive lower bound.
 */
export const DELETED_RECORD_BINS: readonly number[] = [0, 1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 2_147_483_647];

/** The fields of a version checksum this reader uses (others are kept in `raw`). */
export interface VersionChecksum {
  txnId?: string;
  tableSizeBytes: number;
  numFiles: number;
  numMetadata: number;
  numProtocol: number;
  inCommitTimestampOpt?: number;
  numDeletedRecordsOpt?: number;
  numDeletionVectorsOpt?: number;
  setTransactions?: { appId: string; version: number; lastUpdated?: number }[];
  domainMetadata?: { domain: string; configuration: string; removed?: boolean }[];
  metadata?: { id?: string };
  protocol?: { minReaderVersion?: number; minWriterVersion?: number; readerFeatures?: string[] | null; writerFeatures?: string[] | null };
  fileSizeHistogram?: FileSizeHistogram;
  deletedRecordCountsHistogramOpt?: { deletedRecordCounts: number[] };
}

/** One field where the checksum and the replay disagree; values as JSON-able text or numbers. */
export interface ChecksumMismatch {
  /** Checksum field name, e.g. `numFiles`, `fileSizeHistogram.fileCounts[3]`. */
  field: string;
  checksum: string | number;
  replay: string | number;
}

/** What the checksum of one version says, and how it compares with the replay. */
export interface ChecksumReport {
  version: number;
  /** `_delta_log/<version>.crc`. */
  path: string;
  /**
   * `missing`: no checksum for this version (normal). `malformed`: the file is not a valid checksum
   * (see `message`). `match`: every compared field agrees. `mismatch`: see `mismatches`.
   */
  status: 'missing' | 'malformed' | 'match' | 'mismatch';
  message?: string;
  /** Fields compared (present in the checksum), in order. */
  compared: string[];
  mismatches: ChecksumMismatch[];
  /** The writer's file-size histogram, as recorded. */
  fileSizeHistogram?: FileSizeHistogram;
  /** The writer's deleted-record-counts histogram (10 bins, see {@link DELETED_RECORD_BINS}). */
  deletedRecordCounts?: number[];
}

const pad20 = (v: number) => String(v).padStart(20, '0');

/** `_delta_log/<version>.crc` (version zero-padded to 20 digits). */
export function checksumPath(version: number): string {
  return `_delta_log/${pad20(version)}.crc`;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isNumArray = (x: unknown): x is number[] => Array.isArray(x) && x.every(isNum);

/**
 * Parses checksum text. Returns the checksum, or a sentence saying why it is not one (invalid JSON,
 * a required field missing or of the wrong type, histogram arrays of unequal length).
 */
export function parseChecksum(text: string): VersionChecksum | string {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    return `it is not valid JSON (${(e as Error).message})`;
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return 'it is not a JSON object';
  const c = o as Record<string, unknown>;
  for (const f of ['tableSizeBytes', 'numFiles', 'numMetadata', 'numProtocol']) {
    if (!isNum(c[f])) return `its required field ${f} is ${c[f] === undefined ? 'missing' : 'not a number'}`;
  }
  const h = c.fileSizeHistogram as Record<string, unknown> | undefined;
  if (h !== undefined && h !== null) {
    if (!isNumArray(h.sortedBinBoundaries) || !isNumArray(h.fileCounts) || !isNumArray(h.totalBytes)) {
      return 'its fileSizeHistogram does not have three number arrays';
    }
    const n = h.sortedBinBoundaries.length;
    if (h.fileCounts.length !== n || h.totalBytes.length !== n) return 'its fileSizeHistogram arrays differ in length';
  }
  const d = c.deletedRecordCountsHistogramOpt as Record<string, unknown> | undefined;
  if (d !== undefined && d !== null && (!isNumArray(d.deletedRecordCounts) || d.deletedRecordCounts.length !== DELETED_RECORD_BINS.length)) {
    return `its deletedRecordCountsHistogramOpt does not have ${DELETED_RECORD_BINS.length} counts`;
  }
  return c as unknown as VersionChecksum;
}

/** Index of the bin (in ascending `boundaries`) that holds `value`: the last boundary ≤ value. */
export function binOf(boundaries: readonly number[], value: number): number {
  let lo = 0;
  let hi = boundaries.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (boundaries[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The replay's file-size histogram over the checksum's bin boundaries. */
export function replayFileSizeHistogram(snapshot: Snapshot, boundaries: readonly number[]): FileSizeHistogram {
  const fileCounts = boundaries.map(() => 0);
  const totalBytes = boundaries.map(() => 0);
  snapshot.files.forEach((batch, row) => {
    const size = batch.size[row];
    const b = binOf(boundaries, size);
    fileCounts[b]++;
    totalBytes[b] += size;
  });
  return { sortedBinBoundaries: [...boundaries], fileCounts, totalBytes };
}

/** The replay's deleted-record-counts histogram (files per bin of {@link DELETED_RECORD_BINS}). */
export function replayDeletedRecordCounts(snapshot: Snapshot): number[] {
  const counts = DELETED_RECORD_BINS.map(() => 0);
  snapshot.files.forEach((batch, row) => {
    const card = batch.dvCardinality?.[row];
    counts[binOf(DELETED_RECORD_BINS, card === undefined || Number.isNaN(card) ? 0 : card)]++;
  });
  return counts;
}

const canonical = (x: unknown): string => JSON.stringify(x, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));

/**
 * Compares a checksum with the snapshot of the same version (protocol "State Validation"): the
 * required counts (`numFiles`, `tableSizeBytes`, `numMetadata` and `numProtocol` = 1), the table id
 * and protocol, and when present the deletion-vector totals, in-commit timestamp, live transaction
 * ids and domains, and both histograms recomputed from the active files.
 */
export function compareChecksum(crc: VersionChecksum, snapshot: Snapshot): { compared: string[]; mismatches: ChecksumMismatch[] } {
  const compared: string[] = [];
  const mismatches: ChecksumMismatch[] = [];
  const check = (field: string, checksum: string | number, replay: string | number) => {
    compared.push(field);
    if (checksum !== replay) mismatches.push({ field, checksum, replay });
  };
  const totals = snapshot.totals;
  check('numFiles', crc.numFiles, totals.numFiles);
  check('tableSizeBytes', crc.tableSizeBytes, totals.sizeInBytes);
  check('numMetadata', crc.numMetadata, 1);
  check('numProtocol', crc.numProtocol, 1);
  if (crc.metadata?.id !== undefined) check('metadata.id', String(crc.metadata.id), snapshot.metadata.id);
  if (crc.protocol) {
    const p = snapshot.protocol;
    check('protocol.minReaderVersion', Number(crc.protocol.minReaderVersion), p.minReaderVersion);
    check('protocol.minWriterVersion', Number(crc.protocol.minWriterVersion), p.minWriterVersion);
    const sorted = (a: string[] | null | undefined) => canonical([...(a ?? [])].sort());
    check('protocol.readerFeatures', sorted(crc.protocol.readerFeatures), sorted(p.readerFeatures));
    check('protocol.writerFeatures', sorted(crc.protocol.writerFeatures), sorted(p.writerFeatures));
  }
  if (isNum(crc.numDeletedRecordsOpt)) check('numDeletedRecordsOpt', crc.numDeletedRecordsOpt, totals.numDeletedRecords);
  if (isNum(crc.numDeletionVectorsOpt)) check('numDeletionVectorsOpt', crc.numDeletionVectorsOpt, totals.numFilesWithDeletionVectors);
  if (isNum(crc.inCommitTimestampOpt)) {
    const ict = snapshot.commitInfos.get(snapshot.version)?.inCommitTimestamp;
    if (ict !== undefined) check('inCommitTimestampOpt', crc.inCommitTimestampOpt, Number(ict));
  }
  if (Array.isArray(crc.setTransactions)) {
    const fromCrc = Object.fromEntries(crc.setTransactions.map((t) => [t.appId, t.version]));
    const fromReplay = Object.fromEntries([...snapshot.txns.values()].map((t) => [t.appId, t.version]));
    check('setTransactions', canonical(fromCrc), canonical(fromReplay));
  }
  if (Array.isArray(crc.domainMetadata)) {
    const fromCrc = Object.fromEntries(crc.domainMetadata.filter((d) => !d.removed).map((d) => [d.domain, d.configuration]));
    const fromReplay = Object.fromEntries([...snapshot.domainMetadata.values()].filter((d) => !d.removed).map((d) => [d.domain, d.configuration]));
    check('domainMetadata', canonical(fromCrc), canonical(fromReplay));
  }
  if (crc.fileSizeHistogram) {
    const h = crc.fileSizeHistogram;
    const r = replayFileSizeHistogram(snapshot, h.sortedBinBoundaries);
    for (let i = 0; i < h.sortedBinBoundaries.length; i++) {
      check(`fileSizeHistogram.fileCounts[${i}]`, h.fileCounts[i], r.fileCounts[i]);
      check(`fileSizeHistogram.totalBytes[${i}]`, h.totalBytes[i], r.totalBytes[i]);
    }
  }
  const d = crc.deletedRecordCountsHistogramOpt?.deletedRecordCounts;
  if (d) {
    const r = replayDeletedRecordCounts(snapshot);
    d.forEach((n, i) => check(`deletedRecordCountsHistogramOpt[${i}]`, n, r[i]));
  }
  return { compared, mismatches };
}

/**
 * Reads and checks the checksum of a snapshot's version. Never throws for a missing or malformed
 * checksum (protocol: "Readers MUST continue functioning if Version Checksum files are missing");
 * rethrows storage errors other than `FILE_NOT_FOUND` and cancellation.
 */
export async function checkVersionChecksum(snapshot: Snapshot, signal?: AbortSignal): Promise<ChecksumReport> {
  // Read while the snapshot was loaded (when the listing showed the file): not fetched again.
  if (snapshot.checksumReport) return snapshot.checksumReport;
  const path = checksumPath(snapshot.version);
  let bytes: Uint8Array;
  try {
    bytes = await snapshot.store.get(path, signal);
  } catch (e) {
    if (e instanceof DeltaError && e.code === 'FILE_NOT_FOUND') return { version: snapshot.version, path, compared: [], mismatches: [], status: 'missing' };
    throw e;
  }
  return checksumReport(parseChecksum(new TextDecoder().decode(bytes)), snapshot);
}

/**
 * The report of a parsed checksum (or the reason it is not one, from {@link parseChecksum}) against
 * the snapshot of its version: `malformed`, `match`, or `mismatch` with a message naming the first
 * fields that disagree and both values.
 */
export function checksumReport(parsed: VersionChecksum | string, snapshot: Snapshot): ChecksumReport {
  const path = checksumPath(snapshot.version);
  const base = { version: snapshot.version, path, compared: [], mismatches: [] };
  if (typeof parsed === 'string') {
    return { ...base, status: 'malformed', message: `The version checksum ${path} cannot be used: ${parsed}.` };
  }
  const { compared, mismatches } = compareChecksum(parsed, snapshot);
  const report: ChecksumReport = {
    version: snapshot.version,
    path,
    status: mismatches.length ? 'mismatch' : 'match',
    compared,
    mismatches,
    fileSizeHistogram: parsed.fileSizeHistogram ?? undefined,
    deletedRecordCounts: parsed.deletedRecordCountsHistogramOpt?.deletedRecordCounts ?? undefined,
  };
  if (mismatches.length) {
    const shown = mismatches.slice(0, 3).map((m) => `${m.field} ${m.checksum} in the checksum, ${m.replay} from the log`);
    report.message =
      `The version checksum ${path} disagrees with the log replay of version ${snapshot.version} ` +
      `(${shown.join('; ')}${mismatches.length > 3 ? `; ${mismatches.length - 3} more` : ''}): the table state at this version may be corrupt, or the checksum was written wrongly.`;
  }
  return report;
}

/**
 * The totals a version checksum gives before any replay (protocol "Version Checksum File"), for a
 * first look at a table: marked as the writer's, to be checked against the replay.
 * Sizes in bytes.
 */
export interface ChecksumTotals {
  version: number;
  /** `_delta_log/<version>.crc`. */
  path: string;
  numFiles: number;
  tableSizeBytes: number;
  /** `numDeletedRecordsOpt`, when the writer recorded it. */
  numDeletedRecords?: number;
  /** `numDeletionVectorsOpt`, when the writer recorded it. */
  numDeletionVectors?: number;
}

/** The {@link ChecksumTotals} of a parsed checksum of `version`. */
export function checksumTotals(crc: VersionChecksum, version: number): ChecksumTotals {
  return {
    version,
    path: checksumPath(version),
    numFiles: crc.numFiles,
    tableSizeBytes: crc.tableSizeBytes,
    ...(isNum(crc.numDeletedRecordsOpt) ? { numDeletedRecords: crc.numDeletedRecordsOpt } : {}),
    ...(isNum(crc.numDeletionVectorsOpt) ? { numDeletionVectors: crc.numDeletionVectorsOpt } : {}),
  };
}
