/**
 * The one clustering resolver: a snapshot's clustering columns (protocol "Clustered Table") by
 * logical name, from whichever domain holds them — `delta.clustering` (Delta Spark, delta-rs) or
 * the legacy `delta.liquid` (early Databricks runtimes) — and in any of the configuration forms the
 * core parser accepts (`[["a"],["b","c"]]`, `["col-…"]`, `[{"physicalName":["id"]}]`). Under column
 * mapping the stored names are physical and are resolved to logical ones against the schema.
 * Used by the Overview and Schema tabs (through the worker), the CLI `info` command and the tests.
 */
import { CLUSTERING_DOMAIN, clusteringColumns, columnMappingMode, type ColumnMappingMode, type StructType } from '../delta/schema.ts';
import type { Snapshot } from '../delta/snapshot.ts';

/** The legacy domain name of clustering columns (feature `liquid`, early Databricks runtimes). */
export const LEGACY_CLUSTERING_DOMAIN = 'delta.liquid';

/** One clustering column. */
export interface ClusteringColumnInfo {
  /** Logical path, from the top level down (physical segments kept where the schema has no match). */
  logicalPath: string[];
  /** Path as stored in the domain (physical names under column mapping). */
  physicalPath: string[];
  /** The logical path as one name: segments joined with `.`, a segment holding `.` or a backtick quoted in backticks. */
  name: string;
  /** Whether every segment was found in the schema. */
  resolved: boolean;
}

/** A snapshot's clustering. */
export interface ClusteringInfo {
  /** The domain the columns came from, or null when the table is not clustered. */
  domain: string | null;
  /** In clustering order; empty when the table is not clustered or the configuration is invalid. */
  columns: ClusteringColumnInfo[];
  /** Why the domain's configuration cannot be read, or null. */
  error: string | null;
}

/** A logical path as one name: `a.b`, with `` `x.y` `` for a segment holding a dot or backtick. */
export function quotedPath(path: readonly string[]): string {
  return path.map((s) => (/[.`]/.test(s) ? '`' + s.replace(/`/g, '``') + '`' : s)).join('.');
}

/**
 * Resolves the clustering columns of a table state (a snapshot, or its parts).
 * Never throws: an invalid configuration is reported in `error`; without a readable schema the
 * columns stay unresolved (their logical paths equal the physical ones).
 */
export function resolveClustering(state: {
  domainMetadata: ReadonlyMap<string, { configuration: string }>;
  schema: StructType | null;
  columnMappingMode: ColumnMappingMode | undefined;
}): ClusteringInfo {
  const domain = state.domainMetadata.has(CLUSTERING_DOMAIN)
    ? CLUSTERING_DOMAIN
    : state.domainMetadata.has(LEGACY_CLUSTERING_DOMAIN)
      ? LEGACY_CLUSTERING_DOMAIN
      : null;
  if (domain === null) return { domain: null, columns: [], error: null };
  try {
    const cols = clusteringColumns(state.domainMetadata.get(domain)!.configuration, state.schema ?? undefined, state.columnMappingMode);
    return {
      domain,
      columns: cols.map((c) => ({ logicalPath: c.logicalPath, physicalPath: c.physicalPath, name: quotedPath(c.logicalPath), resolved: c.resolved })),
      error: null,
    };
  } catch (e) {
    return { domain, columns: [], error: (e as Error).message };
  }
}

/** {@link resolveClustering} of a snapshot (its live domains, schema and column mapping mode). */
export function clusteringOf(snapshot: Snapshot): ClusteringInfo {
  let schema: StructType | null = null;
  let mode: ColumnMappingMode | undefined;
  try {
    schema = snapshot.schema;
  } catch {
    schema = null;
  }
  try {
    mode = columnMappingMode(snapshot.metadata.configuration, snapshot.protocol);
  } catch {
    mode = undefined;
  }
  return resolveClustering({ domainMetadata: snapshot.domainMetadata, schema, columnMappingMode: mode });
}
