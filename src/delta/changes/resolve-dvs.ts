/**
 * Deletion vectors in a change feed (after delta-kernel-rs `table_changes/resolve_dvs.rs`): loading
 * each descriptor once per plan, and the rows whose deletion state changed between the `remove`
 * and the `add` of one path in one commit (protocol "Deletion Vectors").
 */
import { loadDeletionVector, type DeletionVectorDescriptor } from '../deletion-vectors.ts';
import type { ObjectStore } from '../storage/object-store.ts';

/** No rows (a sorted, empty row index list). */
export const NO_ROWS = new Float64Array(0);

/** Loads a deletion vector's deleted row indexes (sorted ascending); see {@link dvLoader}. */
export type DvLoader = (dv: DeletionVectorDescriptor, version: number, dataFile: string) => Promise<Float64Array>;

/**
 * A {@link DvLoader} that reads each descriptor once (keyed by storage type, path or inline data and
 * offset). Errors (`CORRUPT_DELETION_VECTOR`, `FILE_NOT_FOUND`) pass through, naming the version and data file.
 */
export function dvLoader(store: ObjectStore, signal?: AbortSignal): DvLoader {
  const cache = new Map<string, Promise<Float64Array>>();
  return (dv, version, dataFile) => {
    const key = `${dv.storageType}${dv.pathOrInlineDv}@${dv.offset ?? ''}`;
    let p = cache.get(key);
    if (!p) {
      p = loadDeletionVector(store, dv, { version, dataFile, signal });
      cache.set(key, p);
    }
    return p;
  };
}

/**
 * The rows of a DV pair whose state changed: `deleted` are in the new (`add`) DV and not the old
 * (`remove`) one, `restored` the reverse. Either DV may be absent (no deleted rows).
 */
export async function rowsNewlyIn(
  load: DvLoader,
  addDv: DeletionVectorDescriptor | null | undefined,
  removeDv: DeletionVectorDescriptor | null | undefined,
  version: number,
  dataFile: string,
): Promise<{ deleted: Float64Array; restored: Float64Array }> {
  const [newRows, oldRows] = await Promise.all([
    addDv ? load(addDv, version, dataFile) : NO_ROWS,
    removeDv ? load(removeDv, version, dataFile) : NO_ROWS,
  ]);
  return { deleted: sortedDifference(newRows, oldRows), restored: sortedDifference(oldRows, newRows) };
}

/** `a \ b` for sorted, duplicate-free arrays. */
function sortedDifference(a: Float64Array, b: Float64Array): Float64Array {
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    while (k < b.length && b[k] < x) k++;
    if (k < b.length && b[k] === x) continue;
    out.push(x);
  }
  return Float64Array.from(out);
}
