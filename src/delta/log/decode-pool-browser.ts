/**
 * The browser host of the checkpoint decode pool (`decode-pool.ts`): decode workers are module
 * web workers (`decode.worker.ts`, bundled by Vite), spoken to over Comlink. Call
 * {@link startBrowserDecodePool} once in the worker (or page) that reads checkpoints.
 */
import * as Comlink from 'comlink';
import { defaultPoolSize, setDecodeWorkerFactory, type DecodeWorkerApi, type DecodeWorkerHandle } from './decode-pool.ts';

/** Starts one decode web worker. */
export function startBrowserDecodeWorker(): DecodeWorkerHandle {
  const worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'checkpoint-decode' });
  return {
    api: Comlink.wrap<DecodeWorkerApi>(worker),
    onFailure(fn) {
      worker.addEventListener('error', (e) => fn(e.error ?? new Error(e.message || 'decode worker failed')));
    },
    terminate() {
      worker.terminate();
    },
  };
}

/**
 * Makes checkpoint decoding use a pool of `size` web workers (default: `navigator.hardwareConcurrency`,
 * capped); 0 keeps decoding in this thread. Where web workers cannot start (no `Worker`), nothing changes.
 */
export function startBrowserDecodePool(size = defaultPoolSize()): void {
  if (typeof Worker === 'undefined') return;
  setDecodeWorkerFactory(size > 0 ? startBrowserDecodeWorker : undefined, size);
}
