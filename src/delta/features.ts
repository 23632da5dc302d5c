/**
 * Protocol versions and table features (protocol sections "Protocol Evolution", "Table Features",
 * "Writer Version Requirements", "Reader Version Requirements" and appendix "Valid Feature Names
 * in Table Features"): what this reader supports, why a table is refused, and a one-line
 * explanation of every known feature.
 *
 * Pure TypeScript: no DOM, no I/O. Every failure is a {@link DeltaError}.
 */
import { DeltaError } from './errors.ts';

/**
 * The `protocol` action (protocol "Protocol Evolution"). `readerFeatures` is meaningful only when
 * `minReaderVersion` is 3 and `writerFeatures` only when `minWriterVersion` is 7; checkpoints may
 * carry them as `null` otherwise.
 */
export interface Protocol {
  minReaderVersion: number;
  minWriterVersion: number;
  readerFeatures?: string[] | null;
  writerFeatures?: string[] | null;
}

/** Highest reader version this reader implements (3 = reader table features). */
export const MAX_READER_VERSION = 3;

/**
 * Reader features this reader implements: a table whose `readerFeatures` lists anything else
 * (at reader version 3) is refused. Shredded variants (`variantShredding`, protocol "Variant
 * Shredding") are read by `src/query/variant.ts` into the same values as unshredded ones. Notably
 * absent: `geospatial` (protocol RFC; no geometry decoding here), `catalogManaged` /
 * `catalogOwned-preview` (protocol "Catalog-managed tables": recent commits may live only in the
 * catalog), `adaptiveMetadata-preview` (manifest commits this reader cannot replay) and unknown names.
 */
export const SUPPORTED_READER_FEATURES: ReadonlySet<string> = new Set([
  'columnMapping',
  'deletionVectors',
  'timestampNtz',
  'v2Checkpoint',
  'vacuumProtocolCheck',
  'typeWidening',
  'typeWidening-preview',
  'variantType',
  'variantType-preview',
  'variantShredding',
  'variantShredding-preview',
]);

/** Whether a feature must be understood by readers and writers, or by writers only. */
export type FeatureKind = 'reader-writer' | 'writer';

interface FeatureEntry {
  kind: FeatureKind;
  description: string;
}

const FEATURES: Record<string, FeatureEntry> = {
  appendOnly: {
    kind: 'writer',
    description: 'Append-only tables: when delta.appendOnly is true, writers may add data but never change or remove it.',
  },
  invariants: {
    kind: 'writer',
    description: 'Column invariants: SQL conditions in a column\'s delta.invariants metadata that every written row must satisfy.',
  },
  checkConstraints: {
    kind: 'writer',
    description: 'CHECK constraints: named SQL conditions (table properties delta.constraints.*) that every row must satisfy.',
  },
  changeDataFeed: {
    kind: 'writer',
    description: 'Change Data Feed: when delta.enableChangeDataFeed is true, writers record row-level changes so readers can query what changed between versions.',
  },
  generatedColumns: {
    kind: 'writer',
    description: 'Generated columns: column values computed by a SQL expression (delta.generationExpression) from other columns.',
  },
  allowColumnDefaults: {
    kind: 'writer',
    description: 'Default column values: a SQL default (CURRENT_DEFAULT metadata) used when a write does not give the column a value.',
  },
  columnMapping: {
    kind: 'reader-writer',
    description: 'Column mapping: columns have a physical name and id separate from their display name, so they can be renamed or dropped without rewriting data.',
  },
  identityColumns: {
    kind: 'writer',
    description: 'Identity columns: writers generate unique values from a start and step (delta.identity.* metadata).',
  },
  deletionVectors: {
    kind: 'reader-writer',
    description: 'Deletion vectors: rows are deleted by attaching a bitmap of removed rows to a data file instead of rewriting the file.',
  },
  rowTracking: {
    kind: 'writer',
    description: 'Row tracking: every row gets a stable row ID and a row commit version that survive updates and file rewrites.',
  },
  timestampNtz: {
    kind: 'reader-writer',
    description: 'Timestamp without time zone: columns may use the timestamp_ntz type (wall-clock time, no zone).',
  },
  domainMetadata: {
    kind: 'writer',
    description: 'Domain metadata: the log may carry named configuration domains (domainMetadata actions) used by other features and applications.',
  },
  v2Checkpoint: {
    kind: 'reader-writer',
    description: 'V2 checkpoints: checkpoints may be UUID-named, carry checkpoint metadata and keep file actions in sidecar files.',
  },
  catalogManaged: {
    kind: 'reader-writer',
    description: 'Catalog-managed table: a catalog ratifies commits, and recent commits may exist only in the catalog, so the table must be read through that catalog.',
  },
  'catalogOwned-preview': {
    kind: 'reader-writer',
    description: 'Preview name of catalog-managed tables: commits are ratified by a catalog, which must be used to read the table.',
  },
  icebergCompatV1: {
    kind: 'writer',
    description: 'Iceberg compatibility V1: writers keep the table convertible to Apache Iceberg (column mapping on, no deletion vectors, no map/array/void columns).',
  },
  icebergCompatV2: {
    kind: 'writer',
    description: 'Iceberg compatibility V2: writers keep the table convertible to Apache Iceberg (column mapping on, ids for nested fields, Iceberg-compatible types).',
  },
  icebergCompatV3: {
    kind: 'writer',
    description: 'Iceberg compatibility V3: writers keep the table convertible to Apache Iceberg format version 3.',
  },
  icebergWriterCompatV1: {
    kind: 'writer',
    description: 'Iceberg writer compatibility V1: stricter rules so Iceberg writers can write the table too.',
  },
  clustering: {
    kind: 'writer',
    description: 'Liquid clustering: rows are clustered by clustering columns recorded in the delta.clustering domain, instead of partitions.',
  },
  liquid: {
    kind: 'writer',
    description: 'Early name of liquid clustering written by some Databricks runtimes (clustering columns in the delta.liquid domain).',
  },
  vacuumProtocolCheck: {
    kind: 'reader-writer',
    description: 'VACUUM protocol check: VACUUM must check the writer protocol too; readers need nothing beyond acknowledging the feature.',
  },
  inCommitTimestamp: {
    kind: 'writer',
    description: 'In-commit timestamps: each commit stores its own monotonic timestamp (commitInfo.inCommitTimestamp), used for history and time travel.',
  },
  typeWidening: {
    kind: 'reader-writer',
    description: 'Type widening: column types may be widened (e.g. int to long, float to double, wider decimals); older files are read with the new type.',
  },
  'typeWidening-preview': {
    kind: 'reader-writer',
    description: 'Preview name of type widening: column types may be widened; older files are read with the new type.',
  },
  variantType: {
    kind: 'reader-writer',
    description: 'Variant type: columns may hold semi-structured variant values (stored as binary value + metadata).',
  },
  'variantType-preview': {
    kind: 'reader-writer',
    description: 'Preview name of the variant type: columns may hold semi-structured variant values.',
  },
  variantShredding: {
    kind: 'reader-writer',
    description: 'Variant shredding: variant values may be stored partly as typed ("shredded") Parquet columns.',
  },
  'variantShredding-preview': {
    kind: 'reader-writer',
    description: 'Preview name of variant shredding: variant values may be stored partly as typed ("shredded") Parquet columns.',
  },
  collations: {
    kind: 'writer',
    description: 'Collations: string columns may declare a collation (e.g. case-insensitive) for comparisons and sorting; readers may ignore it.',
  },
  'collations-preview': {
    kind: 'writer',
    description: 'Preview name of collations: string columns may declare a collation for comparisons and sorting.',
  },
  checkpointProtection: {
    kind: 'writer',
    description: 'Checkpoint protection: history before a protected version may only be cleaned up in one go (used when dropping features).',
  },
  materializePartitionColumns: {
    kind: 'writer',
    description: 'Materialized partition columns: partition values are also written as columns inside the data files.',
  },
  geospatial: {
    kind: 'reader-writer',
    description: 'Geospatial types: columns may use the geometry and geography types.',
  },
  'adaptiveMetadata-preview': {
    kind: 'reader-writer',
    description:
      'Adaptive metadata (preview, still in development in delta-kernel-rs): commits may be manifest commits that embed checkpoint-like table state (protocol, metadata, sidecars, a content root), which a reader must understand to replay the log.',
  },
};

/** The two names of the catalog-managed feature (protocol "Catalog-managed tables"; the second is the preview name delta-kernel-rs also accepts). */
export const CATALOG_MANAGED_FEATURES: readonly string[] = ['catalogManaged', 'catalogOwned-preview'];

/**
 * The catalog-managed feature a protocol lists as a reader feature (`catalogManaged` or
 * `catalogOwned-preview`), or `undefined`. Protocol "Catalog-managed Table Enablement": the feature
 * is active when the table is on reader 3 / writer 7 and lists it.
 */
export function catalogManagedFeature(protocol: Protocol): string | undefined {
  if (!(protocol.minReaderVersion >= 3)) return undefined;
  return (protocol.readerFeatures ?? []).find((f) => CATALOG_MANAGED_FEATURES.includes(f));
}

/**
 * Plain explanation of what may be stale when a catalog-managed table is read from its folder
 * (protocol "Catalog-managed tables" → "Reading Catalog-managed Tables", "Reader Requirements"):
 * ratified commits may exist only in the catalog or as staged files in `_delta_log/_staged_commits/`,
 * and the catalog's latest version wins over published files. `undefined` for other tables.
 */
export function catalogManagedExplanation(protocol: Protocol): string | undefined {
  const f = catalogManagedFeature(protocol);
  if (!f) return undefined;
  return (
    `This table is catalog-managed ("${f}"): its managing catalog ratifies every commit and is the authority on the latest version. ` +
    'What is shown here comes from the commits published to _delta_log/ only, so it may be stale: newer ratified commits may exist only in the catalog ' +
    'or as unpublished files in _delta_log/_staged_commits/, and the catalog may even declare an older version the latest. ' +
    'Its data is not read here; query it through the catalog (for example Unity Catalog) with an engine that supports catalog-managed tables.'
  );
}

/** Text returned by {@link describeFeature} for a name it does not know. */
export const UNKNOWN_FEATURE_DESCRIPTION = 'Unknown feature';

/**
 * One-line explanation of every table feature this module knows, keyed by its protocol name:
 * the features of the protocol's "Valid Feature Names in Table Features" table and sections
 * (appendOnly … inCommitTimestamp, typeWidening, variantType, variantShredding, allowColumnDefaults),
 * the `-preview` names Delta Spark wrote before features were final, and features from accepted
 * protocol RFCs or seen in the wild (collations, checkpointProtection, materializePartitionColumns,
 * geospatial, liquid, …).
 */
export const FEATURE_DESCRIPTIONS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(FEATURES).map(([name, e]) => [name, e.description])),
);

/** The feature's one-line explanation, or `"Unknown feature"`. */
export function describeFeature(name: string): string {
  return Object.prototype.hasOwnProperty.call(FEATURES, name) ? FEATURES[name].description : UNKNOWN_FEATURE_DESCRIPTION;
}

/** Whether a known feature is a reader-writer or a writer-only feature; `undefined` when unknown. */
export function featureKind(name: string): FeatureKind | undefined {
  return Object.prototype.hasOwnProperty.call(FEATURES, name) ? FEATURES[name].kind : undefined;
}

/** Features implied by each legacy writer version (protocol "Writer Version Requirements"); each row adds to the previous. */
const LEGACY_WRITER_FEATURES: readonly (readonly string[])[] = [
  [], // 0 (invalid)
  [], // 1
  ['appendOnly', 'invariants'], // 2
  ['checkConstraints'], // 3
  ['changeDataFeed', 'generatedColumns'], // 4
  ['columnMapping'], // 5
  ['identityColumns'], // 6
];

/** Features in force for a protocol; see {@link effectiveFeatures}. */
export interface EffectiveFeatures {
  /** Features readers must implement. */
  readerFeatures: string[];
  /** Features writers must implement (reader-writer features included). */
  writerFeatures: string[];
  /** Union of both lists, reader features first, without duplicates. */
  all: string[];
  /** True when neither list comes from explicit feature lists (reader < 3 and writer < 7). */
  legacy: boolean;
}

/**
 * The features a protocol requires. Explicit lists are used at reader version 3 / writer version 7;
 * lower versions imply features (protocol "Reader Version Requirements" and "Writer Version
 * Requirements"): reader 2 → `columnMapping`; writer 2 → `appendOnly`, `invariants`; 3 → +
 * `checkConstraints`; 4 → + `changeDataFeed`, `generatedColumns`; 5 → + `columnMapping`; 6 → +
 * `identityColumns`. Never throws.
 */
export function effectiveFeatures(protocol: Protocol): EffectiveFeatures {
  const r = protocol.minReaderVersion;
  const w = protocol.minWriterVersion;
  let readerFeatures: string[];
  if (r >= 3) readerFeatures = [...(protocol.readerFeatures ?? [])];
  else if (r === 2) readerFeatures = ['columnMapping'];
  else readerFeatures = [];
  let writerFeatures: string[];
  if (w >= 7) {
    writerFeatures = [...(protocol.writerFeatures ?? [])];
  } else {
    writerFeatures = [];
    for (let v = 0; v <= Math.min(Math.max(w, 0), 6); v++) writerFeatures.push(...LEGACY_WRITER_FEATURES[v]);
  }
  const all = [...new Set([...readerFeatures, ...writerFeatures])];
  return { readerFeatures, writerFeatures, all, legacy: r < 3 && w < 7 };
}

/**
 * Reader features a protocol lists that this reader does not implement (at reader version ≥ 3),
 * in the protocol's order. Known writer-only features listed as reader features by a faulty writer
 * are tolerated: they impose nothing on readers.
 */
export function unsupportedReaderFeatures(protocol: Protocol): string[] {
  if (!(protocol.minReaderVersion >= 3)) return [];
  return (protocol.readerFeatures ?? []).filter(
    (f) => !SUPPORTED_READER_FEATURES.has(f) && featureKind(f) !== 'writer',
  );
}

function describeList(features: string[]): string {
  return features
    .map((f) => {
      const d = describeFeature(f);
      return d === UNKNOWN_FEATURE_DESCRIPTION ? `"${f}" (unknown feature)` : `"${f}" (${d.replace(/\.$/, '')})`;
    })
    .join('; ');
}

/**
 * Why this reader cannot read a table with this protocol, as sentences for a view that shows the
 * metadata anyway; empty when it can. Covers an invalid reader version, a reader version above
 * {@link MAX_READER_VERSION}, and reader features outside {@link SUPPORTED_READER_FEATURES}.
 */
export function readerFeatureProblems(protocol: Protocol): string[] {
  const problems: string[] = [];
  const v = protocol.minReaderVersion;
  if (!Number.isInteger(v) || v < 1) {
    problems.push(`The protocol's minReaderVersion ${JSON.stringify(v)} is not a valid reader version.`);
    return problems;
  }
  if (v > MAX_READER_VERSION) {
    problems.push(
      `The table requires reader version ${v}; Delta Explorer implements reader versions 1 to ${MAX_READER_VERSION}.`,
    );
  }
  const catalog = catalogManagedFeature(protocol);
  const unsupported = unsupportedReaderFeatures(protocol).filter((f) => f !== catalog);
  if (catalog) {
    problems.push(
      `The table requires reader feature "${catalog}" (catalog-managed table): its authoritative state lives in its managing catalog, ` +
        'and ratified commits may be missing from _delta_log/ (they may exist only in the catalog or in _delta_log/_staged_commits/), ' +
        'so Delta Explorer does not read its data from the folder.',
    );
  }
  if (unsupported.length === 1) {
    problems.push(`The table requires reader feature ${describeList(unsupported)}, which Delta Explorer does not support.`);
  } else if (unsupported.length > 1) {
    problems.push(`The table requires reader features ${describeList(unsupported)}, which Delta Explorer does not support.`);
  }
  return problems;
}

/** Where a protocol came from, for error messages. */
export interface ProtocolContext {
  version?: number;
  path?: string;
}

/**
 * Checks that this reader can read a table with this protocol (protocol "Table Features": "to read
 * a table, readers must implement and respect all features listed in `readerFeatures`"). Reader
 * version 1 needs nothing, 2 means column mapping (supported), 3 means every listed reader feature
 * must be in {@link SUPPORTED_READER_FEATURES}. Writer features are not checked: this reader never
 * writes.
 *
 * Throws `UNSUPPORTED_READER_FEATURE` (with the version/path of `ctx`) naming the reader version or
 * the feature(s) and saying what to do; returns normally otherwise.
 */
export function checkReadSupport(protocol: Protocol, ctx?: ProtocolContext): void {
  const problems = readerFeatureProblems(protocol);
  if (problems.length === 0) return;
  const parts: string[] = [];
  if (ctx?.version !== undefined) parts.push(`version ${ctx.version}`);
  if (ctx?.path) parts.push(ctx.path);
  const where = parts.length ? ` (${parts.join(', ')})` : '';
  throw new DeltaError('UNSUPPORTED_READER_FEATURE', `Cannot read this table${where}. ${problems.join(' ')}`, {
    version: ctx?.version,
    path: ctx?.path,
    hint: catalogManagedFeature(protocol)
      ? 'Read the table through its managing catalog (e.g. Unity Catalog) with an engine that supports catalog-managed tables; the published history and metadata can still be shown here, and may be stale.'
      : 'Open the table with an engine that supports these features (e.g. a recent Delta Lake for Spark); its history and metadata can still be shown here.',
  });
}
