// Bootstrap of a Node checkpoint decode worker: TypeScript through tsx (loader hooks are per
// thread), then the worker body. Started by `startNodeDecodePool` (decode-pool-node.ts).
import { register } from 'tsx/esm/api';

register();
await import('./decode-worker-node.ts');
