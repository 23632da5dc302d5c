/**
 * Side effect: installs sized HTTP reads (with retries) in this worker, imported before DuckDB's
 * worker script. Retry settings may be overridden through the worker's name (`dx-net=...`, see
 * `policyFromText`), which the explorer worker passes on from the page's own.
 */
import { policyFromText, setRetryPolicy } from '../delta/storage/retry.ts';
import { installSizedHttp } from './sized-http.ts';

setRetryPolicy(policyFromText((globalThis as { name?: string }).name));
installSizedHttp(globalThis as unknown as { XMLHttpRequest: typeof XMLHttpRequest });
