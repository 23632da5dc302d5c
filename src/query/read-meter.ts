/**
 * Bytes DuckDB-WASM reads from data files, measured inside DuckDB's own worker and told to the
 * explorer worker, for progress in bytes while a query runs (issue #13: "long work shows progress in
 * rows or bytes with a percentage").
 *
 * DuckDB reads browser `File` handles with `FileReaderSync` and URLs with synchronous
 * `XMLHttpRequest`s (`sized-http.ts`), all in its worker, while the explorer worker only awaits the
 * query. {@link installReadMeter} (in DuckDB's worker) counts the bytes of every `FileReaderSync`
 * read and every successful ranged HTTP body ({@link countRead}) and posts the running total on a
 * `BroadcastChannel` named in the worker's name (`dx-io=<id>`), at most every 100 ms (a
 * synchronous reader cannot wait for a timer, so a total may be posted late, never wrong).
 * {@link listenReadMeter} (in the explorer worker) keeps the last total heard.
 *
 * The count includes footers and pages DuckDB reads twice; it is a progress measure, not the
 * "bytes read" of the status line (that one is the planned files' sizes).
 */

/** Where the meter is installed: the running total and the channel that carries it. */
let meter: { total: number; channel: BroadcastChannel | null; lastPostMs: number } | null = null;

/** The channel id in a worker name (`... dx-io=<id> ...`), or undefined. */
export function meterIdOf(workerName: string | undefined): string | undefined {
  return /(?:^|\s)dx-io=([A-Za-z0-9_-]+)/.exec(workerName ?? '')?.[1];
}

const channelName = (id: string) => `delta-explorer-read-meter-${id}`;

function post(force = false): void {
  if (!meter?.channel) return;
  const now = Date.now();
  if (!force && now - meter.lastPostMs < 100) return;
  meter.lastPostMs = now;
  meter.channel.postMessage(meter.total);
}

/** Adds `bytes` read (DuckDB's worker; a no-op where the meter is not installed). */
export function countRead(bytes: number): void {
  if (!meter || !(bytes > 0)) return;
  meter.total += bytes;
  post();
}

/**
 * Installs the meter in DuckDB's worker (`scope` is its global): wraps
 * `FileReaderSync.prototype.readAsArrayBuffer` and opens the channel named by the worker's name.
 * Without a `dx-io=` id in the name, nothing is installed.
 */
export function installReadMeter(scope: { name?: string; FileReaderSync?: { prototype: { readAsArrayBuffer(blob: Blob): ArrayBuffer } } }): void {
  const id = meterIdOf(scope.name);
  if (!id || meter || typeof BroadcastChannel === 'undefined') return;
  meter = { total: 0, channel: new BroadcastChannel(channelName(id)), lastPostMs: 0 };
  const proto = scope.FileReaderSync?.prototype;
  if (proto) {
    const read = proto.readAsArrayBuffer;
    proto.readAsArrayBuffer = function (this: unknown, blob: Blob): ArrayBuffer {
      const out = read.call(this, blob);
      countRead(out.byteLength);
      return out;
    };
  }
}

/** A fresh channel id for one engine's DuckDB worker(s). */
export function newMeterId(): string {
  return Math.random().toString(36).slice(2, 12);
}

/**
 * Listens to the meter of DuckDB workers started with `dx-io=<id>` (the explorer worker). Returns
 * the bytes read so far (a total that only grows over the meter's life; a restarted DuckDB worker
 * starts again from 0, which is added on).
 */
export function listenReadMeter(id: string): { bytes: () => number; close: () => void } {
  if (typeof BroadcastChannel === 'undefined') return { bytes: () => 0, close: () => {} };
  const channel = new BroadcastChannel(channelName(id));
  let base = 0;
  let last = 0;
  channel.onmessage = (e: MessageEvent<number>) => {
    const total = Number(e.data);
    if (!Number.isFinite(total)) return;
    // A lower total: a new DuckDB worker (after a trap) counting from 0.
    if (total < last) base += last;
    last = total;
  };
  return { bytes: () => base + last, close: () => channel.close() };
}
