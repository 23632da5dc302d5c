/**
 * One worker call per set of inputs, for views that show a single result: the call restarts when
 * `deps` change (aborting the previous one), reports progress, can be cancelled, and an answer that
 * arrives after the inputs changed is dropped.
 */
import { useEffect, useState } from 'react';
import type { ErrorInfo, WorkerProgress } from '../../workers/api.ts';
import { errorInfoOf } from '../worker-client.ts';

/** What {@link useWorkerLoad} gives a view. */
export interface WorkerLoad<T> {
  /** The last result (null while none, or after an error). */
  value: T | null;
  error: ErrorInfo | null;
  progress: WorkerProgress | null;
  /** The call in flight (abort it to cancel), or null. */
  busy: AbortController | null;
}

/**
 * Runs `load(signal, onProgress)` whenever `deps` change.
 * @param load the call; it receives the abort signal and a progress callback.
 */
export function useWorkerLoad<T>(
  load: (signal: AbortSignal, onProgress: (p: WorkerProgress) => void) => Promise<T>,
  deps: readonly unknown[],
): WorkerLoad<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [progress, setProgress] = useState<WorkerProgress | null>(null);
  const [busy, setBusy] = useState<AbortController | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    let live = true;
    setBusy(controller);
    setError(null);
    setProgress(null);
    load(controller.signal, (p) => live && setProgress(p))
      .then(
        (v) => live && setValue(v),
        (e: unknown) => {
          if (!live) return;
          setValue(null);
          setError(errorInfoOf(e));
        },
      )
      .finally(() => live && setBusy(null));
    return () => {
      live = false;
      controller.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the call depends on
  }, deps);
  return { value, error, progress, busy };
}
