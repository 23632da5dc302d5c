/**
 * The payloads of the hostile table (see hostile-table.ts) and where the table is checked in. A
 * module of its own so that browser tests can import it without loading the data plane.
 */
import { join } from 'node:path';

/** The payloads; each would set `window.__pwned` if a view ever rendered it as HTML or followed it as a link. */
export const PAYLOADS = {
  img: '<img src=x onerror="window.__pwned=1">',
  script: '<script>window.__pwned=1</script>',
  svg: '"><svg onload=window.__pwned=1>',
  js: 'javascript:window.__pwned=1',
} as const;

/** Default output folder of the generator (checked in; not part of the corpus MANIFEST). */
export const HOSTILE_DIR = join(import.meta.dirname, '..', 'fixtures', 'tables-generated', 'hostile');
