/** Bounded parallelism for I/O (commit files, checkpoint parts, deletion vectors). */

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results in input order. The first
 * rejection rejects the whole call (calls already started still run to completion).
 */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
