/**
 * The portable 64-bit RoaringBitmap serialization ("RoaringTreemap") that deletion vectors hold
 * (protocol appendix "Deletion Vector Format"): a bucket count, then per bucket a 32-bit key and a
 * serialized 32-bit RoaringBitmap (array, bitmap and run containers; the RoaringFormatSpec's
 * portable layout), decoded synchronously into sorted row indexes. The DV wrapping (magic number,
 * file framing, CRC, descriptors) is `deletion-vectors.ts`.
 *
 * Pure TypeScript: no DOM, no Node built-ins; runs in Node and in a Web Worker.
 */
import { DeltaError } from './errors.ts';

/** Structural problem in a serialized bitmap; turned into a `CORRUPT_DELETION_VECTOR` DeltaError. */
export class FormatError extends Error {}

const SERIAL_COOKIE_NO_RUNCONTAINER = 12346;
const SERIAL_COOKIE = 12347;
const NO_OFFSET_THRESHOLD = 4;
const ARRAY_CONTAINER_MAX = 4096;
const BITMAP_CONTAINER_BYTES = 8192;
/** High 32-bit keys at or above this give row indexes >= 2^53, which a double cannot hold exactly. */
const MAX_HIGH_KEY = 2 ** 21;
/** Largest number of row indexes decoded into one array (2^27 rows = 1 GiB of float64). */
export const MAX_DECODED_ROWS = 2 ** 27;

/** Container kinds of a 32-bit RoaringBitmap. */
const Kind = { Array: 0, Bitmap: 1, Run: 2 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface ContainerRef {
  /** high 32 bits * 2^32 + key * 2^16, i.e. the value of the container's low bits 0. */
  base: number;
  kind: Kind;
  cardinality: number;
  /** Byte position of the container's data. */
  pos: number;
}

/** Byte reader over a Uint8Array, little-endian, with bounds checks. */
class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.bytes.length) {
      throw new FormatError(
        `truncated data: ${what} needs ${n} bytes at byte ${this.pos}, only ${Math.max(0, this.bytes.length - this.pos)} left`,
      );
    }
  }
  u16(at: number): number {
    return this.view.getUint16(at, true);
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
}

function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Reads the header of one standard 32-bit RoaringBitmap (RoaringFormatSpec) at `r.pos`, skips over
 * its containers, and appends a reference to each container to `out`.
 */
function scanBitmap32(r: Reader, high: number, out: ContainerRef[]): void {
  const cookie = r.u32('the RoaringBitmap cookie');
  let size: number;
  let runFlags: Uint8Array | undefined;
  if ((cookie & 0xffff) === SERIAL_COOKIE) {
    size = (cookie >>> 16) + 1;
    const n = Math.ceil(size / 8);
    r.need(n, 'the run-container flags');
    runFlags = r.bytes.subarray(r.pos, r.pos + n);
    r.pos += n;
  } else if (cookie === SERIAL_COOKIE_NO_RUNCONTAINER) {
    size = r.u32('the container count');
  } else {
    throw new FormatError(`unknown RoaringBitmap cookie ${cookie}`);
  }
  if (size > 65536) throw new FormatError(`a 32-bit RoaringBitmap cannot have ${size} containers`);
  r.need(size * 4, 'the container headers');
  const headerPos = r.pos;
  r.pos += size * 4;
  if (!runFlags || size >= NO_OFFSET_THRESHOLD) {
    // Offsets of each container; containers are also laid out back to back, so we read sequentially.
    r.need(size * 4, 'the container offsets');
    r.pos += size * 4;
  }
  let prevKey = -1;
  for (let i = 0; i < size; i++) {
    const key = r.u16(headerPos + 4 * i);
    const cardinality = r.u16(headerPos + 4 * i + 2) + 1;
    if (key <= prevKey) throw new FormatError(`container keys are not ascending (${key} after ${prevKey})`);
    prevKey = key;
    const base = high * 2 ** 32 + key * 65536;
    const isRun = runFlags !== undefined && (runFlags[i >>> 3] & (1 << (i & 7))) !== 0;
    if (isRun) {
      r.need(2, 'a run container');
      const nRuns = r.u16(r.pos);
      r.need(2 + 4 * nRuns, 'a run container');
      out.push({ base, kind: Kind.Run, cardinality, pos: r.pos });
      r.pos += 2 + 4 * nRuns;
    } else if (cardinality <= ARRAY_CONTAINER_MAX) {
      r.need(2 * cardinality, 'an array container');
      out.push({ base, kind: Kind.Array, cardinality, pos: r.pos });
      r.pos += 2 * cardinality;
    } else {
      r.need(BITMAP_CONTAINER_BYTES, 'a bitmap container');
      out.push({ base, kind: Kind.Bitmap, cardinality, pos: r.pos });
      r.pos += BITMAP_CONTAINER_BYTES;
    }
  }
}

/** Writes the values of one container into `out` from `at`; returns the new end. Validates content. */
function fillContainer(r: Reader, c: ContainerRef, out: Float64Array, at: number): number {
  const end = at + c.cardinality;
  let k = at;
  if (c.kind === Kind.Array) {
    let prev = -1;
    for (let i = 0; i < c.cardinality; i++) {
      const v = r.u16(c.pos + 2 * i);
      if (v <= prev) throw new FormatError(`array container values are not strictly ascending (${v} after ${prev})`);
      prev = v;
      out[k++] = c.base + v;
    }
  } else if (c.kind === Kind.Bitmap) {
    const view = new DataView(r.bytes.buffer, r.bytes.byteOffset + c.pos, BITMAP_CONTAINER_BYTES);
    let count = 0;
    for (let w = 0; w < BITMAP_CONTAINER_BYTES / 4; w++) count += popcount32(view.getUint32(4 * w, true));
    if (count !== c.cardinality) {
      throw new FormatError(`bitmap container holds ${count} values but its header says ${c.cardinality}`);
    }
    for (let w = 0; w < BITMAP_CONTAINER_BYTES / 4; w++) {
      let word = view.getUint32(4 * w, true);
      while (word !== 0) {
        const t = word & -word;
        out[k++] = c.base + w * 32 + (31 - Math.clz32(t));
        word = (word ^ t) >>> 0;
      }
    }
  } else {
    const nRuns = r.u16(c.pos);
    let total = 0;
    let prevEnd = -1;
    for (let i = 0; i < nRuns; i++) {
      const start = r.u16(c.pos + 2 + 4 * i);
      const lenMinus1 = r.u16(c.pos + 4 + 4 * i);
      const last = start + lenMinus1;
      if (start <= prevEnd) throw new FormatError(`run container runs overlap or are not ascending (run at ${start})`);
      if (last > 0xffff) throw new FormatError(`run container run ${start}+${lenMinus1} passes 65535`);
      total += lenMinus1 + 1;
      if (total > c.cardinality) break;
      for (let v = start; v <= last; v++) out[k++] = c.base + v;
      prevEnd = last;
    }
    if (total !== c.cardinality) {
      throw new FormatError(`run container holds ${total} values but its header says ${c.cardinality}`);
    }
  }
  if (k !== end) throw new FormatError(`container holds ${k - at} values but its header says ${c.cardinality}`);
  return end;
}

/**
 * Decodes a 64-bit RoaringBitmap in the "portable" serialization (RoaringFormatSpec, "Extension
 * for 64-bit implementations"), the bitmap part of the protocol's "Deletion Vector Format":
 * a uint64 LE bucket count, then per bucket (ascending) a uint32 LE high key and a standard
 * 32-bit RoaringBitmap (array, bitmap and run containers; with or without the run-container cookie).
 *
 * The whole of `bytes` must be the treemap: trailing bytes are an error.
 *
 * @returns the row indexes, sorted ascending, without duplicates.
 * @throws DeltaError `CORRUPT_DELETION_VECTOR` for truncated or malformed data, keys or values out of
 *   order, trailing bytes, row indexes of 2^53 or more, or more than {@link MAX_DECODED_ROWS} rows.
 */
export function decodeRoaringTreemap(bytes: Uint8Array): Float64Array {
  try {
    return decodeTreemap(bytes, undefined);
  } catch (e) {
    if (e instanceof FormatError) {
      throw new DeltaError('CORRUPT_DELETION_VECTOR', `Corrupt deletion vector bitmap: ${e.message}.`, { cause: e });
    }
    throw e;
  }
}

/** As {@link decodeRoaringTreemap}, throwing {@link FormatError}; checks `expectedCardinality` before allocating. */
export function decodeTreemap(bytes: Uint8Array, expectedCardinality: number | undefined): Float64Array {
  const r = new Reader(bytes);
  const lo = r.u32('the bucket count');
  const hi = r.u32('the bucket count');
  if (hi !== 0 || lo > (bytes.length - 8) / 12) {
    throw new FormatError(`bucket count ${hi * 2 ** 32 + lo} does not fit in ${bytes.length} bytes`);
  }
  const containers: ContainerRef[] = [];
  let prevHigh = -1;
  for (let b = 0; b < lo; b++) {
    const high = r.u32('a bucket key');
    if (high <= prevHigh) throw new FormatError(`bucket keys are not ascending (${high} after ${prevHigh})`);
    if (high >= MAX_HIGH_KEY) throw new FormatError(`bucket key ${high} gives row indexes of 2^53 or more`);
    prevHigh = high;
    scanBitmap32(r, high, containers);
  }
  if (r.pos !== bytes.length) {
    throw new FormatError(`${bytes.length - r.pos} unexpected bytes after the bitmap (byte ${r.pos} of ${bytes.length})`);
  }
  let total = 0;
  for (const c of containers) total += c.cardinality;
  if (expectedCardinality !== undefined && total !== expectedCardinality) {
    throw new CardinalityError(total);
  }
  if (total > MAX_DECODED_ROWS) {
    throw new FormatError(`it holds ${total} row indexes, more than this reader decodes (${MAX_DECODED_ROWS})`);
  }
  const out = new Float64Array(total);
  let at = 0;
  for (const c of containers) at = fillContainer(r, c, out, at);
  return out;
}

/** The bitmap holds another number of rows than the descriptor's `cardinality` (`actual` rows). */
export class CardinalityError extends FormatError {
  constructor(readonly actual: number) {
    super(`holds ${actual} rows`);
  }
}
