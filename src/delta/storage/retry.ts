/**
 * Retries of remote reads, in one place: the policy (which failures are transient, how long to wait,
 * how many attempts, the total deadline, the per-request stall timeout), the schedule (exponential
 * backoff with full jitter, `Retry-After` honoured), and the loop every remote backend's requests go
 * through ({@link withRetry}: HTTP(S), S3, lakeFS, share manifests). DuckDB's data reads in its own
 * worker cannot await; they use the same policy and schedule synchronously (`src/query/sized-http.ts`).
 *
 * Only idempotent reads are retried (GET, HEAD, LIST). Transient: HTTP 408, 429, 500, 502, 503, 504,
 * connection failures (no answer, reset), a body shorter than its `Content-Length` or than the
 * range asked for, a listing document cut off before its end, and a request that made no progress
 * for `stallTimeoutMs`. Other 4xx answers (403, 404, ...) are final at once. After the last attempt
 * the error names the file, the number of attempts and the last status ({@link retriesExhausted}).
 *
 * Why not a retry package (p-retry, exponential-backoff): the DuckDB worker path is synchronous
 * (sync `XMLHttpRequest`) and must follow the very same schedule; the loop is ~60 lines.
 *
 * Units: milliseconds throughout.
 */
import { DeltaError, throwIfAborted } from '../errors.ts';

/** How remote reads are retried. Every field is in ms except `maxAttempts`. */
export interface RetryPolicy {
  /** Attempts in all, the first included (≥ 1). */
  maxAttempts: number;
  /** Backoff base: attempt n (from 1) waits a random time in `[0, min(maxDelayMs, baseDelayMs·2^(n-1)))`. */
  baseDelayMs: number;
  /** Longest wait between attempts (also caps a server's `Retry-After`). */
  maxDelayMs: number;
  /** Total time one read may take over all its attempts, waits included. */
  deadlineMs: number;
  /** A request that receives nothing (no headers, no body bytes) for this long is abandoned and retried. */
  stallTimeoutMs: number;
}

/** Defaults for real networks: 5 attempts, 0.2 s → 5 s backoff, 2 min deadline, 30 s stall timeout. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  deadlineMs: 120_000,
  stallTimeoutMs: 30_000,
});

let current: RetryPolicy = { ...DEFAULT_RETRY_POLICY };

/**
 * Changes the process-wide (or worker-wide) policy; fields not given keep their value. Tests shorten
 * timeouts with it; the app's workers take overrides from their name (see {@link policyFromText}).
 * @throws RangeError for a non-positive or non-finite value.
 */
export function setRetryPolicy(patch: Partial<RetryPolicy>): RetryPolicy {
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < (k === 'baseDelayMs' ? 0 : 1)) throw new RangeError(`Invalid retry setting ${k}=${v}`);
  }
  current = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  return current;
}

/** The policy in force. */
export function retryPolicy(): RetryPolicy {
  return current;
}

/** Resets the policy to {@link DEFAULT_RETRY_POLICY} (tests). */
export function resetRetryPolicy(): void {
  current = { ...DEFAULT_RETRY_POLICY };
}

/**
 * Reads policy overrides from text such as `dx-net=attempts:3,stall:800,deadline:5000,base:10,max:50`
 * (how the page hands test settings to its workers, in the worker's name). Unknown keys are ignored.
 */
export function policyFromText(text: string | undefined): Partial<RetryPolicy> {
  const m = text ? /dx-net=([a-z0-9:,]+)/i.exec(text) : null;
  if (!m) return {};
  const keys: Record<string, keyof RetryPolicy> = { attempts: 'maxAttempts', base: 'baseDelayMs', max: 'maxDelayMs', deadline: 'deadlineMs', stall: 'stallTimeoutMs' };
  const out: Partial<RetryPolicy> = {};
  for (const pair of m[1].split(',')) {
    const [k, v] = pair.split(':');
    const key = keys[k];
    const n = Number(v);
    if (key && Number.isFinite(n) && n >= 0) out[key] = n;
  }
  return out;
}

/** HTTP statuses worth another attempt: timeouts, throttling, server errors that pass. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** True for an HTTP status in {@link RETRYABLE_STATUSES}. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * A `Retry-After` header value as a delay in ms: delta-seconds (`"3"`) or an HTTP date; undefined
 * when absent or unreadable. Negative results (a date in the past) become 0.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const t = value.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * The wait before attempt `attempt + 1` (after `attempt` failures, from 1): full jitter,
 * `random() · min(maxDelayMs, baseDelayMs · 2^(attempt-1))`; a server's `Retry-After` is honoured
 * (waited at least), capped at `maxDelayMs`.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jitter = Math.floor(random() * cap);
  return retryAfterMs !== undefined ? Math.min(policy.maxDelayMs, Math.max(jitter, retryAfterMs)) : jitter;
}

/** What made an attempt fail transiently. */
export interface TransientInfo {
  /** The HTTP status, when there was an answer. */
  status?: number;
  /** The server's `Retry-After`, in ms. */
  retryAfterMs?: number;
  /** Short description for the final message, e.g. `HTTP 503 SlowDown`, `connection reset`, `body cut short (12 of 40 bytes)`. */
  reason: string;
}

const TRANSIENT = Symbol('dx-transient');

/** Marks an error as transient (worth another attempt) and returns it. */
export function markTransient<E extends object>(error: E, info: TransientInfo): E {
  (error as { [TRANSIENT]?: TransientInfo })[TRANSIENT] = info;
  return error;
}

/** The transient marking of an error, if it has one. */
export function transientInfo(error: unknown): TransientInfo | undefined {
  return typeof error === 'object' && error !== null ? (error as { [TRANSIENT]?: TransientInfo })[TRANSIENT] : undefined;
}

/** A transient `STORAGE_ERROR` (the form backends throw for a failure worth retrying). */
export function transientError(message: string, info: TransientInfo, path?: string): DeltaError {
  return markTransient(new DeltaError('STORAGE_ERROR', message, { path }), info);
}

/** What {@link withRetry} is reading, for the final message. */
export interface RetryTarget {
  /** The object (path relative to the store root, or a listing prefix). */
  file: string;
  /** The store, no credentials (e.g. `http://host/table`, `S3 bucket "b"`). */
  where: string;
}

/** One attempt's tools: its signal (aborted on stall or cancel) and `progress()` to reset the stall timer. */
export interface AttemptContext {
  signal: AbortSignal;
  /** Call when bytes arrive: the stall timer starts again. */
  progress(): void;
  /** 1 for the first attempt. */
  attempt: number;
}

/** Options of {@link withRetry}. */
export interface RetryOptions {
  /** The caller's cancellation: aborts the attempt in flight and any wait, `CANCELLED` is thrown. */
  signal?: AbortSignal;
  /** Policy (default: {@link retryPolicy}). */
  policy?: RetryPolicy;
  /** Random source for jitter (tests). */
  random?: () => number;
  /** Called before each wait (tests, logs). */
  onRetry?: (info: TransientInfo & { attempt: number; delayMs: number }) => void;
}

/** The final error after the last attempt: names the file, the attempts, the time and the last failure. */
export function retriesExhausted(target: RetryTarget, attempts: number, elapsedMs: number, last: TransientInfo, cause?: unknown): DeltaError {
  const throttled = last.status === 429 || last.status === 503;
  const inner = cause instanceof DeltaError ? cause : undefined;
  return new DeltaError(
    'STORAGE_ERROR',
    `Could not read ${target.file} from ${target.where}: ${attempts} attempt${attempts === 1 ? '' : 's'} in ${(elapsedMs / 1000).toFixed(1)} s failed; the last: ${last.reason}.` +
      (inner && !inner.message.startsWith('HTTP ') ? ` ${inner.message}` : ''),
    {
      path: target.file,
      cause,
      hint: throttled
        ? 'The server is throttling requests (too many at once, or overloaded). Wait a little and try again.'
        : (inner?.hint ?? 'The network or the server is failing. Check the connection and try again; nothing was read from a partial answer.'),
    },
  );
}

/** Sleeps `ms`, or throws `CANCELLED` as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new DeltaError('CANCELLED', 'Cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A promise rejected when `signal` aborts (with its reason), never resolved. */
function abortOf(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Thrown into an attempt's signal when it made no progress for the stall timeout. */
class StallTimeout extends Error {
  constructor(ms: number) {
    super(`no data for ${(ms / 1000).toFixed(1)} s`);
    this.name = 'StallTimeout';
  }
}

/**
 * Runs `op` until it succeeds, fails permanently, or the attempts or the deadline run out.
 *
 * `op` throws errors marked with {@link markTransient} for failures worth another attempt; any other
 * error ends the loop at once. Each attempt gets its own signal, aborted when the caller cancels or
 * when nothing happened for `stallTimeoutMs` (`op` calls `progress()` as bytes arrive).
 *
 * @throws the permanent error as `op` threw it; `CANCELLED` when `options.signal` aborts (during an
 *   attempt or a wait); after the last attempt, `STORAGE_ERROR` from {@link retriesExhausted}.
 */
export async function withRetry<T>(target: RetryTarget, op: (ctx: AttemptContext) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? current;
  const user = options.signal;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(user);
    const ctrl = new AbortController();
    const onUserAbort = () => ctrl.abort(user?.reason);
    user?.addEventListener('abort', onUserAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => ctrl.abort(new StallTimeout(policy.stallTimeoutMs)), policy.stallTimeoutMs);
    };
    arm();
    let info: TransientInfo;
    let failure: unknown;
    try {
      // Raced against the attempt's signal: an operation that ignores it still ends on stall or cancel.
      return await Promise.race([op({ signal: ctrl.signal, progress: arm, attempt }), abortOf(ctrl.signal)]);
    } catch (e) {
      if (user?.aborted) throw new DeltaError('CANCELLED', 'Cancelled.');
      const stalled = ctrl.signal.aborted && ctrl.signal.reason instanceof StallTimeout;
      const marked = transientInfo(e);
      if (stalled) info = { reason: (ctrl.signal.reason as Error).message };
      else if (marked) info = marked;
      else throw e;
      failure = e;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      user?.removeEventListener('abort', onUserAbort);
    }
    const elapsed = Date.now() - started;
    const delay = backoffDelayMs(attempt, policy, info.retryAfterMs, options.random);
    if (attempt >= policy.maxAttempts || elapsed + delay >= policy.deadlineMs) {
      throw retriesExhausted(target, attempt, elapsed, info, failure);
    }
    options.onRetry?.({ ...info, attempt, delayMs: delay });
    await sleep(delay, user);
  }
}

/**
 * Reads a fetch `Response` body whole, calling `progress()` per chunk, and checks it against its
 * `Content-Length` (when the body is not content-encoded, so the header counts the same bytes).
 * @throws a transient `STORAGE_ERROR` when the body ends early or the connection breaks mid-body.
 */
export async function readBody(res: Response, progress: () => void, what: string): Promise<Uint8Array> {
  const declared = res.headers.get('content-length');
  const encoded = !!res.headers.get('content-encoding') && res.headers.get('content-encoding') !== 'identity';
  const expected = declared !== null && !encoded && /^\d+$/.test(declared) ? Number(declared) : undefined;
  const chunks: Uint8Array[] = [];
  let n = 0;
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        n += value.byteLength;
        progress();
      }
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      throw markTransient(new DeltaError('STORAGE_ERROR', `The connection broke while reading ${what} (${n} bytes received).`, { cause: e }), {
        reason: `connection broken after ${n}${expected !== undefined ? ` of ${expected}` : ''} bytes`,
      });
    }
  }
  if (expected !== undefined && n < expected) {
    throw transientError(`The answer for ${what} was cut short: ${n} of ${expected} bytes.`, { status: res.status, reason: `body cut short (${n} of ${expected} bytes)` });
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
