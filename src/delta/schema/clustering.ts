/**
 * Clustering columns (protocol "Clustered Table"): the `delta.clustering` domain's configuration
 * (and the legacy `delta.liquid` form) parsed and resolved from physical to logical paths.
 *
 * Pure TypeScript: no DOM, no I/O. Every failure is a {@link DeltaError}.
 */
import { DeltaError } from '../errors.ts';
import type { ColumnMappingMode } from './column-mapping.ts';
import { METADATA_KEYS } from './column-metadata.ts';
import { isObject } from './internal.ts';
import type { StructField, StructType } from './types.ts';

/** Domain holding the clustering columns (protocol "Clustered Table"). */
export const CLUSTERING_DOMAIN = 'delta.clustering';

/** A clustering column; see {@link clusteringColumns}. */
export interface ClusteringColumn {
  /** Physical path as stored in the domain configuration. */
  physicalPath: string[];
  /**
   * Logical path resolved against the schema; when {@link resolved} is false, the segments from
   * the first unresolvable one on are left physical.
   */
  logicalPath: string[];
  /** Whether every segment was found in the schema. */
  resolved: boolean;
  /** The leaf field, when resolved. */
  field?: StructField;
}

function resolvePhysicalPath(
  physical: string[],
  schema: StructType | undefined,
  mode: ColumnMappingMode | undefined,
): ClusteringColumn {
  const logical: string[] = [];
  let struct: StructType | undefined = schema;
  let field: StructField | undefined;
  for (let i = 0; i < physical.length; i++) {
    const seg = physical[i];
    const match: StructField | undefined = struct?.fields.find((f) => {
      const p = f.metadata?.[METADATA_KEYS.physicalName];
      if (mode === 'none') return f.name === seg;
      if (mode === 'name' || mode === 'id') return p === seg;
      return (typeof p === 'string' ? p : f.name) === seg;
    });
    if (!match) {
      return { physicalPath: physical, logicalPath: [...logical, ...physical.slice(i)], resolved: false };
    }
    logical.push(match.name);
    field = match;
    struct = match.type.type === 'struct' ? match.type : undefined;
  }
  return { physicalPath: physical, logicalPath: logical, resolved: field !== undefined, field };
}

/**
 * Parses the `configuration` string of the `delta.clustering` domain metadata (protocol
 * "Clustered Table") and resolves each column against `schema`.
 *
 * Accepted shapes of `clusteringColumns`: a list of physical paths (`[["a"],["b","c"]]`, what Delta
 * Spark writes), a list of names (`["col-…"]`, the protocol's example) and the legacy
 * `delta.liquid` form (`[{"physicalName":["id"]}]`). Names are physical when column mapping is on;
 * with `mode` omitted a field matches by its physical name when it has one, else by its name.
 * Without `schema` nothing resolves and logical paths equal physical ones. Throws `INVALID_LOG`
 * when the configuration is not JSON or has no `clusteringColumns` list.
 */
export function clusteringColumns(
  domainConfiguration: string,
  schema?: StructType,
  mode?: ColumnMappingMode,
): ClusteringColumn[] {
  let json: unknown;
  try {
    json = JSON.parse(domainConfiguration);
  } catch (e) {
    throw new DeltaError('INVALID_LOG', `The ${CLUSTERING_DOMAIN} domain configuration is not valid JSON.`, { cause: e });
  }
  const list = isObject(json) ? json.clusteringColumns : undefined;
  if (!Array.isArray(list)) {
    throw new DeltaError('INVALID_LOG', `The ${CLUSTERING_DOMAIN} domain configuration has no "clusteringColumns" list.`);
  }
  return list.map((item) => {
    let path: unknown = item;
    if (isObject(item)) path = item.physicalName;
    if (typeof path === 'string') path = [path];
    if (!Array.isArray(path) || path.length === 0 || !path.every((s) => typeof s === 'string')) {
      throw new DeltaError('INVALID_LOG', `Invalid clustering column ${JSON.stringify(item)} in the ${CLUSTERING_DOMAIN} domain.`);
    }
    return resolvePhysicalPath(path as string[], schema, mode);
  });
}
