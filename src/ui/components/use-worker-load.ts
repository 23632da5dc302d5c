/**
 * How views load from the worker: one call per set of inputs, restarted when `deps` change
 * (aborting the previous one), with progress, cancel, errors as {@link ErrorInfo} (never swallowed:
 * the view shows them), and answers that arrive after the inputs changed dropped. A value that
 * holds something in the worker (a held result the grid pages through) is given to `release` when
 * a newer call replaces it, the view goes, or it arrives too late.
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
  options: { release?: (value: T) => void } = {},
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
    let got: { value: T } | null = null;
    load(controller.signal, (p) => live && setProgress(p))
      .then(
        (v) => {
          if (!live) return options.release?.(v);
          got = { value: v };
          setValue(v);
        },
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
      if (got) options.release?.(got.value);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the call depends on
  }, deps);
  return { value, error, progress, busy };
}
