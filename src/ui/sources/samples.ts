/**
 * The sample tables bundled with the app (`public/samples/`, copied to `dist/samples/` by Vite;
 * see `public/samples/NOTICE`). Paths are relative to the page, so the app finds them wherever it
 * is served.
 */

/** A bundled sample table. */
export interface Sample {
  /** Folder name under `samples/`. */
  id: string;
  /** Table URL relative to the page. */
  path: string;
  title: string;
  description: string;
}

/** The bundled samples, the default one first. */
export const SAMPLES: readonly Sample[] = [
  {
    id: 'table_with_deletion_logs',
    path: 'samples/table_with_deletion_logs',
    title: 'Deletion vectors',
    description: '21 versions, checkpoints at 10 and 20, deletion vectors (delta-kernel-rs).',
  },
  {
    id: 'delta-0.8.0-partitioned',
    path: 'samples/delta-0.8.0-partitioned',
    title: 'Partitioned',
    description: 'Partitioned by year, month and day, written by Delta 0.8.0 (delta-rs).',
  },
  {
    id: 'cdf-table-kernel',
    path: 'samples/cdf-table-kernel',
    title: 'Change Data Feed',
    description: 'Change Data Feed enabled, partitioned by birthday (delta-kernel-rs).',
  },
];

/** The sample opened on first start, when the page URL names no table. */
export const DEFAULT_SAMPLE: Sample = SAMPLES[0];
