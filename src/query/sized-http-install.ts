/** Side effect: installs sized HTTP reads in this worker (imported before DuckDB's worker script). */
import { installSizedHttp } from './sized-http.ts';

installSizedHttp(globalThis as unknown as { XMLHttpRequest: typeof XMLHttpRequest });
