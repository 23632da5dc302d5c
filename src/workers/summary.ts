/**
 * Turning a {@link Snapshot} (classes, Maps, columnar batches) into the plain values that cross the
 * worker boundary.
 */
import { catalogManagedExplanation, describeFeature, effectiveFeatures, featureKind, unsupportedReaderFeatures } from '../delta/features.ts';
import { numRecordsAt, type Snapshot } from '../delta/snapshot.ts';
import type { FeatureInfo, FileRow, SnapshotSummary } from './api.ts';
import { computeHealth } from '../explore/health.ts';
import { schemaView } from '../explore/schema-tree.ts';

/** The features in force for a snapshot's protocol, reader features first. */
export function featureInfos(protocol: Snapshot['protocol']): FeatureInfo[] {
  const eff = effectiveFeatures(protocol);
  const unsupported = new Set(unsupportedReaderFeatures(protocol));
  return eff.all.map((name) => ({
    name,
    kind: featureKind(name),
    description: describeFeature(name),
    supported: !unsupported.has(name),
  }));
}

/** The plain summary of a snapshot. @param loadDurationMs time it took to build, ms. */
export function summarizeSnapshot(tableId: string, s: Snapshot, loadDurationMs: number): SnapshotSummary {
  const seg = s.segment;
  const warnings = [...seg.warnings];
  const catalogNote = catalogManagedExplanation(s.protocol);
  if (catalogNote) warnings.push(catalogNote);
  let numColumns: number | null = null;
  try {
    numColumns = s.schema.fields.length;
  } catch (e) {
    warnings.push(`The schema cannot be parsed: ${(e as Error).message}`);
  }
  const cp = seg.checkpoint;
  const m = s.metadata;
  return {
    tableId,
    version: s.version,
    latestVersion: seg.latestVersion,
    protocol: {
      minReaderVersion: s.protocol.minReaderVersion,
      minWriterVersion: s.protocol.minWriterVersion,
      readerFeatures: s.protocol.readerFeatures ? [...s.protocol.readerFeatures] : null,
      writerFeatures: s.protocol.writerFeatures ? [...s.protocol.writerFeatures] : null,
    },
    features: featureInfos(s.protocol),
    metadata: {
      id: m.id,
      name: m.name ?? null,
      description: m.description ?? null,
      provider: m.format?.provider ?? 'parquet',
      partitionColumns: [...(m.partitionColumns ?? [])],
      configuration: { ...(m.configuration ?? {}) },
      createdTime: typeof m.createdTime === 'number' ? m.createdTime : null,
    },
    schemaString: m.schemaString ?? '',
    schema: schemaView(s),
    numColumns,
    totals: { ...s.totals },
    numTombstones: s.tombstones.length,
    txns: [...s.txns.values()].map((t) => ({ ...t })),
    domainMetadata: [...s.domainMetadata.values()].map((d) => ({ ...d })),
    checkpoint: cp
      ? {
          version: cp.version,
          kind: cp.kind,
          format: cp.format,
          parts: cp.parts.length,
          sizeBytes: cp.parts.reduce((n, p) => n + p.sizeBytes, 0),
        }
      : null,
    commitsSinceCheckpoint: s.version - (cp ? cp.version : -1),
    deltaFilesRead: seg.deltas.length,
    numCommitFiles: seg.commits.length,
    logSizeBytes: seg.logSizeBytes,
    lastCheckpoint: {
      status: seg.lastCheckpoint.status,
      version: seg.lastCheckpoint.hint?.version ?? null,
      message: seg.lastCheckpoint.message ?? null,
    },
    warnings,
    readSupportProblems: [...s.readSupportProblems],
    loadDurationMs,
    health: computeHealth(s),
  };
}

/** Active files `[offset, offset + limit)` of a snapshot as plain rows. */
export function fileRows(s: Snapshot, offset: number, limit: number): FileRow[] {
  const end = Math.min(s.files.length, offset + limit);
  const rows: FileRow[] = [];
  for (let i = offset; i < end; i++) {
    const { batch, row } = s.files.locate(i);
    rows.push({ ...batch.addAt(row), index: i, numRecords: numRecordsAt(batch, row) });
  }
  return rows;
}
