/**
 * The Node host of the checkpoint decode pool (`decode-pool.ts`): decode workers are
 * `worker_threads` threads spoken to over Comlink's Node adapter. Node-only (not bundled into the app).
 */
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MAX_DECODE_WORKERS, setDecodeWorkerFactory, type DecodePoolOptions, type DecodeWorkerApi, type DecodeWorkerHandle } from './decode-pool.ts';

/** Starts one decode worker thread. */
export function startNodeDecodeWorker(): DecodeWorkerHandle {
  const worker = new Worker(new URL('./decode-worker-node.mjs', import.meta.url));
  // Idle workers do not keep the process alive.
  worker.unref();
  const api = Comlink.wrap<DecodeWorkerApi>(nodeEndpoint(worker));
  return {
    api,
    onFailure(fn) {
      worker.on('error', fn);
      worker.on('exit', (code) => fn(new Error(`decode worker exited (${code})`)));
    },
    setBusy(busy) {
      if (busy) worker.ref();
      else worker.unref();
    },
    terminate() {
      void worker.terminate();
    },
  };
}

/**
 * Makes checkpoint decoding in this process use a pool of `size` worker threads (default: the
 * machine's cores, capped at {@link MAX_DECODE_WORKERS}); `size` 0 turns the pool off.
 */
export function startNodeDecodePool(size = Math.min(MAX_DECODE_WORKERS, availableParallelism()), options: DecodePoolOptions = {}): void {
  setDecodeWorkerFactory(size > 0 ? startNodeDecodeWorker : undefined, size, options);
}
