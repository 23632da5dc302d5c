/**
 * Side effect: installs sized HTTP reads (with retries) in this worker, imported before DuckDB's
 * worker script. Retry settings may be overridden through the worker's name (`dx-net=...`, see
 * `policyFromText`), which the explorer worker passes on from the page's own. Also installs the
 * read meter (`read-meter.ts`) named by the worker's `dx-io=` id.
 */
import { policyFromText, setRetryPolicy } from '../delta/storage/retry.ts';
import { installReadMeter } from './read-meter.ts';
import { installSizedHttp } from './sized-http.ts';

setRetryPolicy(policyFromText((globalThis as { name?: string }).name));
installSizedHttp(globalThis as unknown as { XMLHttpRequest: typeof XMLHttpRequest });
// Bytes DuckDB reads (File handles, HTTP bodies), told to the explorer worker for progress.
installReadMeter(globalThis as unknown as Parameters<typeof installReadMeter>[0]);
