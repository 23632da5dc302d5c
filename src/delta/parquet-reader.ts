/**
 * The decoder seam for parquet the protocol core reads itself (checkpoint parts, sidecars), after
 * delta-kernel-rs's `ParquetHandler` ("read these columns of these files"): a {@link ParquetReader}
 * takes a {@link RangedSource} (a file read by byte ranges) and the columns wanted, and hands back
 * columnar record batches (Arrow IPC). Which decoder sits behind it (parquet-wasm today; hyparquet
 * or a worker pool tomorrow) is the reader's business; callers see only this interface.
 *
 * Reading is footer first: one suffix read of {@link FOOTER_PROBE_BYTES} (a second only for a
 * larger footer), parsed with hyparquet's metadata parser; then one parallel round of ranged reads
 * of only the column chunks of the wanted columns, adjacent chunks coalesced
 * ({@link COALESCE_GAP_BYTES}). A file no larger than the probe is read whole in that first read.
 * The decoder then reads from those bytes; a read outside them (a page index, say) goes to the
 * source and is counted in {@link ParquetReadStats.extraReads}.
 */
import { parquetMetadata, type FileMetaData, type SchemaElement } from 'hyparquet';
import { DeltaError, throwIfAborted } from './errors.ts';
import { drainBatches, guardedWasmRead, parquetWasm, STREAM_BATCH_ROWS } from './parquet.ts';
import type { ObjectMeta, ObjectStore } from './storage/object-store.ts';

/** Bytes read from the end of a parquet file in the first request (covers almost every footer). */
export const FOOTER_PROBE_BYTES = 64 * 1024;
/** Column-chunk ranges closer than this (bytes) are read as one range. */
export const COALESCE_GAP_BYTES = 4 * 1024;
/** Ranged reads of one file in flight at once. */
export const RANGE_CONCURRENCY = 6;

/**
 * A file read by byte ranges. `read(start, end)` returns bytes `[start, end)` (end exclusive) and
 * must return exactly `end - start` bytes or throw.
 */
export interface RangedSource {
  /** The file's path (for errors). */
  readonly path: string;
  /** The file's size in bytes. */
  readonly size: number;
  read(start: number, end: number, signal?: AbortSignal): Promise<Uint8Array>;
}

/** A source over bytes or a lazily read `Blob` already in hand (a dropped `File`, `fs.openAsBlob`). */
export function bytesSource(path: string, data: Uint8Array | Blob): RangedSource {
  const size = data instanceof Blob ? data.size : data.byteLength;
  return {
    path,
    size,
    read: async (start, end) => (data instanceof Blob ? new Uint8Array(await data.slice(start, end).arrayBuffer()) : data.subarray(start, end)),
  };
}

/**
 * A source over an object of a store, by `getRange`, of the size its listing gives (`meta.sizeBytes`;
 * 0 = unknown: the store is asked with `head`). A ranged answer of the wrong length is an error
 * naming the file (a cut-off answer is never decoded as a shorter file).
 * @throws store errors; `STORAGE_ERROR` on a short answer.
 */
export async function storeSource(store: ObjectStore, meta: Pick<ObjectMeta, 'path' | 'sizeBytes'>, signal?: AbortSignal): Promise<RangedSource> {
  const size = meta.sizeBytes > 0 ? meta.sizeBytes : (await store.head(meta.path, signal)).sizeBytes;
  return {
    path: meta.path,
    size,
    async read(start, end, sig) {
      const bytes = await store.getRange(meta.path, { start, end }, sig ?? signal);
      if (bytes.byteLength !== end - start) {
        throw new DeltaError('STORAGE_ERROR', `A read of bytes ${start}–${end} of ${meta.path} from ${store.description} returned ${bytes.byteLength} bytes: the answer was cut short, or the file is shorter than the ${size} bytes listed. It is not used.`, {
          path: meta.path,
          hint: 'A proxy or the network is cutting answers short, or the file changed. Try again.',
        });
      }
      return bytes;
    },
  };
}

/** One node of a parquet schema, as names only (enough to choose columns). */
export interface SchemaNode {
  name: string;
  children?: SchemaNode[];
}

/** The top-level fields of a parquet file's schema (the shape `checkpointColumns` reads). */
export interface SchemaShape {
  fields: { name: string; type: { children?: { name: string }[] | null } }[];
}

/** What one read cost: bytes and requests, by kind. */
export interface ParquetReadStats {
  /** Bytes read from the source, in total. */
  bytes: number;
  /** Requests made to the source. */
  requests: number;
  /** Bytes of the column chunks of the wanted columns (the floor any reader needs besides the footer). */
  neededChunkBytes: number;
  /** Footer bytes (metadata plus the 8-byte trailer). */
  footerBytes: number;
  /** Reads the decoder made outside the prefetched ranges. */
  extraReads: number;
}

/**
 * Reads columns of parquet files into columnar batches (after kernel's `ParquetHandler`).
 *
 * `read` decodes `columns(schema)` (dotted paths: `add.path`, or a whole top-level column `metaData`)
 * of `source`, handing record batches of at most `batchRows` rows to `onBatch` as Arrow IPC
 * streams, in file order. Should the decoder fail midway and start again a slower way, `onReset`
 * is called first (drop the batches got so far). Throws a plain `Error` describing a decoding
 * failure (callers name the file and version); store errors pass through; an aborted `signal` throws.
 */
export interface ParquetReader {
  read(
    source: RangedSource,
    columns: (schema: SchemaShape) => string[],
    onBatch: (ipc: Uint8Array) => void,
    options?: { onReset?: () => void; signal?: AbortSignal; batchRows?: number },
  ): Promise<ParquetReadStats>;
}

/** The footer of a parquet file read from a source, with the bytes read to get it. */
export interface SourceFooter {
  metadata: FileMetaData;
  /** Bytes already in hand: `[tailStart, size)` of the file. */
  tail: Uint8Array;
  tailStart: number;
  footerBytes: number;
}

const isMagic = (b: Uint8Array, at: number) => b[at] === 0x50 && b[at + 1] === 0x41 && b[at + 2] === 0x52 && b[at + 3] === 0x31;

/**
 * Reads and parses the footer of `source` (one suffix read; a second for a footer larger than the
 * probe). @throws Error when the file is not parquet (no `PAR1` magic, footer longer than the file).
 */
export async function readFooter(
  source: RangedSource,
  signal?: AbortSignal,
  count?: (bytes: number) => void,
  probeBytes = FOOTER_PROBE_BYTES,
): Promise<SourceFooter> {
  const size = source.size;
  if (size < 12) throw new Error(`not a parquet file (${size} bytes; the file may be truncated)`);
  let tailStart = Math.max(0, size - probeBytes);
  let tail = await source.read(tailStart, size, signal);
  count?.(tail.byteLength);
  if (!isMagic(tail, tail.length - 4)) throw new Error('not a parquet file (no PAR1 magic at the end; the file may be truncated)');
  const footerLen = new DataView(tail.buffer, tail.byteOffset + tail.length - 8, 4).getUint32(0, true);
  if (footerLen + 8 + 4 > size) throw new Error(`not a parquet file (footer of ${footerLen} bytes in a file of ${size})`);
  if (footerLen + 8 > tail.length) {
    const more = await source.read(size - footerLen - 8, tailStart, signal);
    count?.(more.byteLength);
    const joined = new Uint8Array(more.length + tail.length);
    joined.set(more, 0);
    joined.set(tail, more.length);
    tail = joined;
    tailStart = size - footerLen - 8;
  }
  if (tailStart === 0 && !isMagic(tail, 0)) throw new Error('not a parquet file (no PAR1 magic at the start)');
  const footer = tail.subarray(tail.length - footerLen - 8);
  const metadata = parquetMetadata(footer.buffer.slice(footer.byteOffset, footer.byteOffset + footer.byteLength) as ArrayBuffer, { geoparquet: false });
  return { metadata, tail, tailStart, footerBytes: footerLen + 8 };
}

/** The schema of a footer as a tree of names (parquet's flat, depth-first element list unfolded). */
export function schemaTree(schema: SchemaElement[]): SchemaNode[] {
  let i = 1; // element 0 is the root
  const walk = (n: number): SchemaNode[] => {
    const out: SchemaNode[] = [];
    for (let k = 0; k < n && i < schema.length; k++) {
      const e = schema[i++];
      const kids = e.num_children ?? 0;
      out.push(kids > 0 ? { name: e.name, children: walk(kids) } : { name: e.name });
    }
    return out;
  };
  return walk(schema[0]?.num_children ?? schema.length - 1);
}

/** The top-level fields of a schema tree in the {@link SchemaShape} form. */
export function schemaShape(tree: SchemaNode[]): SchemaShape {
  return { fields: tree.map((n) => ({ name: n.name, type: { children: n.children?.map((c) => ({ name: c.name })) ?? null } })) };
}

/** A byte range `[start, end)` of a file. */
export interface Range {
  start: number;
  end: number;
}

/**
 * Where each column chunk of a file lies: from its first page (dictionary, else data) to the start
 * of the next chunk in the file (the last one: to the page indexes, or to the footer at
 * `footerStart` when given). Not `start + total_compressed_size`: some writers (parquet-mr in Spark's Delta
 * checkpoints) record a `total_compressed_size` short of the chunk's pages, and a range cut there
 * would cost a second round trip.
 */
export function columnChunkSpans(metadata: FileMetaData, footerStart = Infinity): { path: string[]; start: number; end: number }[] {
  const spans: { path: string[]; start: number; end: number }[] = [];
  let indexStart = footerStart;
  for (const rg of metadata.row_groups) {
    for (const chunk of rg.columns) {
      const md = chunk.meta_data;
      if (!md) continue;
      const dict = md.dictionary_page_offset !== undefined ? Number(md.dictionary_page_offset) : undefined;
      const data = Number(md.data_page_offset);
      const start = dict !== undefined && dict > 0 && dict < data ? dict : data;
      spans.push({ path: md.path_in_schema, start, end: start + Number(md.total_compressed_size) });
      for (const o of [chunk.column_index_offset, chunk.offset_index_offset, md.bloom_filter_offset]) {
        if (o !== undefined && Number(o) > start) indexStart = Math.min(indexStart, Number(o));
      }
    }
  }
  const byStart = [...spans].sort((a, b) => a.start - b.start);
  byStart.forEach((s, i) => {
    const next = i + 1 < byStart.length ? byStart[i + 1].start : indexStart;
    if (next > s.start && next !== Infinity) s.end = Math.max(s.end, next);
  });
  return spans;
}

/**
 * The byte ranges of the column chunks of `columns` (dotted paths; a path selects every leaf under
 * it) in every row group (see {@link columnChunkSpans}), sorted, and merged where closer than `gap`
 * bytes. `neededBytes` is the sum of the chunks' spans.
 */
export function columnChunkRanges(metadata: FileMetaData, columns: string[], footerStart?: number, gap = COALESCE_GAP_BYTES): { ranges: Range[]; neededBytes: number } {
  const wanted = columns.map((c) => c.split('.'));
  const raw = columnChunkSpans(metadata, footerStart)
    .filter((s) => wanted.some((w) => w.length <= s.path.length && w.every((x, i) => x === s.path[i])))
    .map((s) => ({ start: s.start, end: s.end }))
    .sort((a, b) => a.start - b.start);
  const neededBytes = raw.reduce((n, r) => n + r.end - r.start, 0);
  const ranges: Range[] = [];
  for (const r of raw) {
    const last = ranges[ranges.length - 1];
    if (last && r.start <= last.end + gap) last.end = Math.max(last.end, r.end);
    else ranges.push({ ...r });
  }
  return { ranges, neededBytes };
}

/**
 * The bytes of a file known so far (footer tail, prefetched ranges), served as a `Blob`-like object
 * to a decoder that reads through `size` / `slice(a, b).arrayBuffer()`; reads outside them go to the
 * source.
 */
class PrefetchedFile {
  private readonly pieces: { start: number; bytes: Uint8Array }[] = [];
  extraReads = 0;
  extraBytes = 0;
  constructor(
    private readonly source: RangedSource,
    private readonly signal?: AbortSignal,
  ) {}
  add(start: number, bytes: Uint8Array): void {
    this.pieces.push({ start, bytes });
  }
  covered(r: Range): boolean {
    return this.pieces.some((p) => p.start <= r.start && r.end <= p.start + p.bytes.length);
  }
  async bytes(start: number, end: number): Promise<Uint8Array> {
    for (const p of this.pieces) {
      if (p.start <= start && end <= p.start + p.bytes.length) return p.bytes.subarray(start - p.start, end - p.start);
    }
    // Covered by adjacent pieces (a chunk range ending where the footer read began)?
    const parts = this.pieces.filter((p) => p.start < end && p.start + p.bytes.length > start).sort((a, b) => a.start - b.start);
    let at = start;
    for (const p of parts) {
      if (p.start > at) break;
      at = Math.max(at, p.start + p.bytes.length);
    }
    if (at >= end) {
      const out = new Uint8Array(end - start);
      for (const p of parts) {
        const from = Math.max(start, p.start);
        const to = Math.min(end, p.start + p.bytes.length);
        out.set(p.bytes.subarray(from - p.start, to - p.start), from - start);
      }
      return out;
    }
    this.extraReads++;
    const got = await this.source.read(start, end, this.signal);
    this.extraBytes += got.byteLength;
    return got;
  }
  /** The duck-typed `Blob` parquet-wasm's `ParquetFile.fromFile` reads (`size`, `slice`, `arrayBuffer`). */
  blobLike(): Blob {
    const size = this.source.size;
    const slice = (a = 0, b = size) => ({
      size: b - a,
      arrayBuffer: async () => {
        const u = await this.bytes(a, b);
        return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength);
      },
    });
    return { size, slice } as unknown as Blob;
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function each<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/**
 * A parquet-wasm {@link ParquetReader} (`footerProbeBytes`: the first suffix read, default
 * {@link FOOTER_PROBE_BYTES}): footer first, the wanted column chunks prefetched in one
 * parallel round, then parquet-wasm's projected streaming reader over those bytes
 * ({@link STREAM_BATCH_ROWS} rows a batch, so only a few batches' decoded data is in WebAssembly
 * memory at once). A wasm panic or a stall (size-scaled timeout) falls back to parquet-wasm's
 * synchronous reader over the whole file (all columns), after `onReset`.
 */
export function createParquetWasmReader(config: { footerProbeBytes?: number } = {}): ParquetReader {
  return { read: (source, columns, onBatch, options) => readWithParquetWasm(source, columns, onBatch, options, config.footerProbeBytes) };
}

/** The default {@link ParquetReader}: parquet-wasm, footer probe of {@link FOOTER_PROBE_BYTES}. */
export const parquetWasmReader: ParquetReader = createParquetWasmReader();

async function readWithParquetWasm(
  source: RangedSource,
  columns: (schema: SchemaShape) => string[],
  onBatch: (ipc: Uint8Array) => void,
  options: { onReset?: () => void; signal?: AbortSignal; batchRows?: number } = {},
  footerProbeBytes = FOOTER_PROBE_BYTES,
): Promise<ParquetReadStats> {
  const { signal } = options;
  const stats: ParquetReadStats = { bytes: 0, requests: 0, neededChunkBytes: 0, footerBytes: 0, extraReads: 0 };
  const count = (n: number) => {
    stats.bytes += n;
    stats.requests++;
  };
  throwIfAborted(signal);
  const footer = await readFooter(source, signal, count, footerProbeBytes);
  stats.footerBytes = footer.footerBytes;
  const file = new PrefetchedFile(source, signal);
  file.add(footer.tailStart, footer.tail);
  const wanted = columns(schemaShape(schemaTree(footer.metadata.schema)));
  const { ranges, neededBytes } = columnChunkRanges(footer.metadata, wanted, source.size - footer.footerBytes);
  stats.neededChunkBytes = neededBytes;
  const missing = ranges
    .map((r) => (r.end > footer.tailStart && r.start < footer.tailStart ? { start: r.start, end: footer.tailStart } : r))
    .filter((r) => !file.covered(r));
  await each(missing, RANGE_CONCURRENCY, async (r) => {
    const bytes = await source.read(r.start, r.end, signal);
    count(bytes.byteLength);
    file.add(r.start, bytes);
  });
  throwIfAborted(signal);

  const pw = await parquetWasm();
  const batchSize = options.batchRows ?? STREAM_BATCH_ROWS;
  const ok = await guardedWasmRead(source.size, async (stopped) => {
    const pf = await pw.ParquetFile.fromFile(file.blobLike());
    try {
      // parquet-wasm's projection takes the same dotted paths the footer's schema gives.
      const stream = await pf.stream({ columns: wanted, batchSize });
      await drainBatches(stream, () => stopped() || !!signal?.aborted, onBatch);
    } finally {
      pf.free();
    }
  });
  throwIfAborted(signal);
  const total = () => {
    stats.extraReads = file.extraReads;
    stats.bytes += file.extraBytes;
    stats.requests += file.extraReads;
    return stats;
  };
  if (ok) return total();
  // The projected reader failed: the synchronous reader on the whole file either decodes it or
  // throws the real decoding error.
  options.onReset?.();
  const whole = await file.bytes(0, source.size);
  onBatch(pw.readParquet(whole).intoIPCStream());
  return total();
}
