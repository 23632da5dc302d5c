/**
 * Delta actions (protocol section "Actions") and their in-memory forms.
 *
 * Non-file actions (`protocol`, `metaData`, `commitInfo`, `txn`, `domainMetadata`, `sidecar`,
 * `checkpointMetadata`) are few per table and kept as plain objects. File actions (`add`, `remove`,
 * `cdc`) can number in the millions, so they are kept column by column in {@link FileActionBatch}es
 * (`file-action-batch.ts`, re-exported here): one array per field, never one object per file.
 */
import type { DeletionVectorDescriptor } from './deletion-vectors.ts';
import type { Protocol } from './features.ts';

import { FileActionBatch } from './file-action-batch.ts';

export type { DeletionVectorDescriptor } from './deletion-vectors.ts';
export type { Protocol } from './features.ts';
export * from './file-action-batch.ts';

/** `metaData` action (protocol "Change Metadata"). `createdTime` in ms since the epoch. */
export interface Metadata {
  id: string;
  name?: string | null;
  description?: string | null;
  format: { provider: string; options: Record<string, string> };
  schemaString: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
  createdTime?: number | null;
}

/**
 * `commitInfo` action (protocol "Commit Provenance Information"): free-form; these are the fields
 * Spark and delta-rs write. `timestamp` and `inCommitTimestamp` are ms since the epoch.
 */
export interface CommitInfo {
  timestamp?: number;
  inCommitTimestamp?: number;
  operation?: string;
  operationParameters?: Record<string, unknown>;
  operationMetrics?: Record<string, unknown>;
  userId?: string;
  userName?: string;
  clusterId?: string;
  readVersion?: number;
  isolationLevel?: string;
  isBlindAppend?: boolean;
  engineInfo?: string;
  txnId?: string;
  userMetadata?: string;
  [key: string]: unknown;
}

/** `txn` action (protocol "Transaction Identifiers"). `lastUpdated` in ms since the epoch. */
export interface Txn {
  appId: string;
  version: number;
  lastUpdated?: number | null;
}

/** `domainMetadata` action (protocol "Domain Metadata"). `configuration` is the domain's own string (usually JSON). */
export interface DomainMetadata {
  domain: string;
  configuration: string;
  removed: boolean;
}

/** `sidecar` action (protocol "Sidecar File Information"). `path` is relative to `_delta_log/_sidecars/` (or absolute). */
export interface SidecarAction {
  path: string;
  sizeInBytes: number;
  modificationTime: number;
  tags?: Record<string, string> | null;
}

/** `checkpointMetadata` action (protocol "Checkpoint Metadata"). */
export interface CheckpointMetadata {
  version: number;
  tags?: Record<string, string> | null;
}

/** One `add` action as an object: used for pages of files sent to views, never for whole snapshots. */
export interface AddFile {
  /** The raw (URI-encoded) path as written in the log. */
  path: string;
  /** Raw serialized partition values keyed by the log's keys (physical names under column mapping). */
  partitionValues: Record<string, string | null>;
  /** Bytes. */
  size: number;
  /** ms since the epoch. */
  modificationTime: number;
  dataChange: boolean;
  /** Raw stats JSON string, when present. */
  stats?: string | null;
  tags?: Record<string, string> | null;
  deletionVector?: DeletionVectorDescriptor | null;
  baseRowId?: number | null;
  defaultRowCommitVersion?: number | null;
  clusteringProvider?: string | null;
}

/** One `remove` action as an object. `deletionTimestamp` in ms since the epoch. */
export interface RemoveFile {
  path: string;
  deletionTimestamp?: number | null;
  dataChange: boolean;
  extendedFileMetadata?: boolean | null;
  partitionValues?: Record<string, string | null> | null;
  size?: number | null;
  stats?: string | null;
  tags?: Record<string, string> | null;
  deletionVector?: DeletionVectorDescriptor | null;
  baseRowId?: number | null;
  defaultRowCommitVersion?: number | null;
}

/** One `cdc` action as an object (protocol "Add CDC File"). */
export interface AddCdcFile {
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  dataChange: boolean;
  tags?: Record<string, string> | null;
}

/**
 * Every action of one log file (a commit, a compacted log file, a JSON checkpoint or one checkpoint
 * part / sidecar), grouped by type. Order within a file carries no meaning except that `commitInfo`
 * comes first when in-commit timestamps are enabled.
 */
export interface ActionSet {
  adds: FileActionBatch;
  removes: FileActionBatch;
  cdcs: FileActionBatch;
  protocol?: Protocol;
  metaData?: Metadata;
  commitInfo?: CommitInfo;
  /** True when the first action of the file is `commitInfo` (required for in-commit timestamps). */
  commitInfoFirst: boolean;
  txns: Txn[];
  domainMetadata: DomainMetadata[];
  sidecars: SidecarAction[];
  checkpointMetadata?: CheckpointMetadata;
  /** Count of lines/rows whose action was not one this reader knows (ignored, as the protocol requires). */
  unknownActions: number;
}

/** A new, empty {@link ActionSet}. */
export function emptyActionSet(): ActionSet {
  return {
    adds: new FileActionBatch('add'),
    removes: new FileActionBatch('remove'),
    cdcs: new FileActionBatch('cdc'),
    commitInfoFirst: false,
    txns: [],
    domainMetadata: [],
    sidecars: [],
    unknownActions: 0,
  };
}
