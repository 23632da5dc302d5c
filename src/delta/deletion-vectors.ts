/**
 * Deletion vectors (DVs): descriptors, Z85, the DV file format and (in `roaring-treemap.ts`) the
 * 64-bit RoaringBitmap ("RoaringTreemap") portable serialization, all decoded synchronously in plain TypeScript.
 *
 * Protocol sections implemented (delta-io/delta `PROTOCOL.md`):
 * - "Deletion Vectors" and "Deletion Vector Descriptor Schema" (storage types `u`, `i`, `p`; Z85);
 * - "Derived Fields" (`uniqueId`, `absolutePath`);
 * - Appendix "Deletion Vector Format" (magic number + portable 64-bit RoaringBitmap) and
 *   "Deletion Vector File Storage Format" (big-endian size, data, big-endian CRC-32);
 * - "Reader Requirements for Deletion Vectors" (the decoded row indexes are the rows to skip).
 *
 * Row indexes are 0-based positions of rows in a data (Parquet) file. They are returned as a sorted
 * `Float64Array`: indexes are exact up to 2^53, and larger ones are refused.
 *
 * Pure TypeScript: no DOM, no Node built-ins; runs in Node and in a Web Worker.
 */
import CRC32 from 'crc-32';
import { DeltaError, throwIfAborted } from './errors.ts';
import { joinPath, type ObjectStore } from './storage/object-store.ts';
import { CardinalityError, decodeRoaringTreemap, decodeTreemap, FormatError, MAX_DECODED_ROWS } from './roaring-treemap.ts';

export { decodeRoaringTreemap, MAX_DECODED_ROWS };

/**
 * The `deletionVector` field of an `add` / `remove` action (protocol: "Deletion Vector Descriptor Schema").
 *
 * Units: `offset` and `sizeInBytes` in bytes, `cardinality` in rows.
 */
export interface DeletionVectorDescriptor {
  /** `u`: file relative to the table root named from a UUID; `i`: inline in the log; `p`: absolute path/URI. */
  storageType: 'u' | 'i' | 'p';
  /**
   * `u`: `<optional random prefix><20 Z85 chars encoding the UUID>`; `i`: the Z85-encoded DV bytes;
   * `p`: the absolute path/URI of the DV file (same format as `add.path`, i.e. URI-encoded).
   */
  pathOrInlineDv: string;
  /**
   * Byte offset of this DV's record (the 4-byte size field) in its file. Absent (or `null` in JSON)
   * for inline DVs. For on-disk DVs an absent offset is read as 1, right after the file's version
   * byte (see {@link loadDeletionVector}).
   */
  offset?: number;
  /** Size in bytes of the serialized DV (magic number + bitmap), before Z85 encoding when inline. */
  sizeInBytes: number;
  /** Number of rows the DV logically deletes from its data file. */
  cardinality: number;
  /**
   * Not a log field: a transient bound (as in Delta Spark's descriptor) on the largest row index the
   * DV may hold. When set, {@link loadDeletionVector} refuses a DV with a larger row index.
   */
  maxRowIndex?: number;
}

/** The magic number (little-endian uint32) that starts a DV in the portable RoaringBitmap format. */
export const DV_MAGIC_PORTABLE = 1681511377;
/** Delta Spark's "native" RoaringBitmapArray serialization (never written to tables; not supported). */
const DV_MAGIC_NATIVE = 1681511376;

// ---------------------------------------------------------------------------------------------
// Derived fields
// ---------------------------------------------------------------------------------------------

/**
 * The protocol's derived `uniqueId` ("Derived Fields"): `<storageType><pathOrInlineDv>`, followed by
 * `@<offset>` when `offset` is present. Identifies a DV of a given file across log replay.
 */
export function dvUniqueId(dv: DeletionVectorDescriptor): string {
  const base = `${dv.storageType}${dv.pathOrInlineDv}`;
  return dv.offset !== undefined && dv.offset !== null ? `${base}@${dv.offset}` : base;
}

const Z85_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';
const Z85_DECODE: Int16Array = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < Z85_ALPHABET.length; i++) t[Z85_ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/**
 * Decodes Z85 (ZeroMQ RFC 32/Z85), the Base85 variant the Delta protocol uses for inline DVs and
 * DV UUIDs: every 5 characters give 4 bytes (a big-endian uint32 in base 85).
 *
 * Unaligned data, two writer conventions:
 * - Delta (Spark, Kernel-Java `Base85Codec`) pads the data with zero bytes to a multiple of 4 before
 *   encoding; this function then returns the padding too and callers cut the result to `sizeInBytes`.
 * - The Rust `z85` crate (used by delta-kernel-rs, and found in the `cdf-table-with-dv` fixture)
 *   writes a last group of `k` `#` characters followed by the `5 - k` digits of the `4 - k` tail
 *   bytes (`k` = 1..3). Plain Z85 groups never start with `#` (that would exceed 2^32), so the two
 *   cannot be confused; such a tail is accepted only as the last group.
 *
 * @returns the decoded bytes: `4 * s.length / 5`, less the missing bytes of a `#` tail.
 * @throws DeltaError `INVALID_ARGUMENT` when the length is not a multiple of 5, a character is not
 *   in the Z85 alphabet, or a group exceeds 2^32 - 1 (or its tail's size).
 */
export function z85Decode(s: string): Uint8Array {
  if (s.length % 5 !== 0) {
    throw new DeltaError('INVALID_ARGUMENT', `Invalid Z85 text: length ${s.length} is not a multiple of 5.`);
  }
  const groups = s.length / 5;
  const last = groups - 1;
  let tailMissing = 0;
  if (groups > 0 && s[5 * last] === '#') {
    while (tailMissing < 5 && s[5 * last + tailMissing] === '#') tailMissing++;
    if (tailMissing > 3) {
      throw new DeltaError('INVALID_ARGUMENT', `Invalid Z85 text: the last group ${JSON.stringify(s.slice(5 * last))} is not a valid padded tail.`);
    }
  }
  const out = new Uint8Array(groups * 4 - tailMissing);
  for (let g = 0; g < groups; g++) {
    const i = 5 * g;
    const skip = g === last ? tailMissing : 0;
    let value = 0;
    for (let j = skip; j < 5; j++) {
      const c = s.charCodeAt(i + j);
      const d = c < 128 ? Z85_DECODE[c] : -1;
      if (d < 0) {
        throw new DeltaError(
          'INVALID_ARGUMENT',
          `Invalid Z85 text: character ${JSON.stringify(s[i + j])} at position ${i + j} is not in the Z85 alphabet.`,
        );
      }
      value = value * 85 + d;
    }
    const nBytes = 4 - skip;
    if (value >= 2 ** (8 * nBytes)) {
      throw new DeltaError('INVALID_ARGUMENT', `Invalid Z85 text: group at position ${i} exceeds ${8 * nBytes} bits.`);
    }
    for (let b = nBytes - 1, o = 4 * g; b >= 0; b--, o++) out[o] = Math.floor(value / 2 ** (8 * b)) & 0xff;
  }
  return out;
}

function describeDv(dv: DeletionVectorDescriptor): string {
  return `deletion vector ${dvUniqueId(dv)}`;
}

/** Decodes the 20-character Z85 UUID of a `u` descriptor into its prefix and canonical UUID text. */
function decodeRelativeDv(dv: DeletionVectorDescriptor): { prefix: string; uuid: string } {
  const s = dv.pathOrInlineDv;
  if (typeof s !== 'string' || s.length < 20) {
    throw new DeltaError(
      'CORRUPT_DELETION_VECTOR',
      `Invalid ${describeDv(dv)}: a 'u' pathOrInlineDv needs at least 20 characters (a Z85-encoded UUID).`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = z85Decode(s.slice(s.length - 20));
  } catch (e) {
    throw new DeltaError('CORRUPT_DELETION_VECTOR', `Invalid ${describeDv(dv)}: cannot decode its UUID (${(e as Error).message})`, {
      cause: e,
    });
  }
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { prefix: s.slice(0, s.length - 20), uuid };
}

function assertStorageType(dv: DeletionVectorDescriptor): void {
  if (dv.storageType !== 'u' && dv.storageType !== 'i' && dv.storageType !== 'p') {
    throw new DeltaError(
      'UNSUPPORTED_READER_FEATURE',
      `Unsupported deletion vector storage type ${JSON.stringify(dv.storageType)} (known: 'u', 'i', 'p').`,
    );
  }
}

/**
 * The location of a DV file (protocol: "Derived Fields", `absolutePath`).
 *
 * - `u`: `<randomPrefix>/deletion_vector_<uuid>.bin` (no prefix folder when the prefix is empty),
 *   relative to the table root and `/`-separated; when `tableRoot` is given it is prepended
 *   (`<tableRoot>/<randomPrefix>/deletion_vector_<uuid>.bin`).
 * - `p`: `pathOrInlineDv` as given (an absolute path or URI); `tableRoot` is ignored.
 * - `i`: `undefined` (inline DVs have no file).
 *
 * @throws DeltaError `CORRUPT_DELETION_VECTOR` for a `u` descriptor whose UUID cannot be decoded;
 *   `UNSUPPORTED_READER_FEATURE` for an unknown storage type.
 */
export function dvFilePath(dv: DeletionVectorDescriptor, tableRoot?: string): string | undefined {
  assertStorageType(dv);
  if (dv.storageType === 'i') return undefined;
  if (dv.storageType === 'p') return dv.pathOrInlineDv;
  const { prefix, uuid } = decodeRelativeDv(dv);
  const name = `deletion_vector_${uuid}.bin`;
  const rel = prefix ? `${prefix}/${name}` : name;
  if (tableRoot === undefined || tableRoot === '') return rel;
  return `${tableRoot.replace(/\/+$/, '')}/${rel}`;
}

/**
 * `file:///a/b`, `file:/a/b` (Hadoop) and `file://localhost/a/b` to `/a/b`; Windows `C:\a\b` and
 * `/C:/a/b` to `C:/a/b`; anything else unchanged; no trailing `/`.
 */
function normalizeLocation(loc: string): string {
  let s = loc;
  if (/^file:\/\/\//i.test(s)) s = s.slice('file://'.length);
  else if (/^file:\/(?!\/)/i.test(s)) s = s.slice('file:'.length);
  else if (/^file:\/\/localhost\//i.test(s)) s = s.slice('file://localhost'.length);
  if (/^\/?[a-z]:[\\/]/i.test(s)) s = s.replace(/^\//, '').replace(/\\/g, '/');
  return s.replace(/\/+$/, '');
}

function safeDecodeUri(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The path of a DV file relative to the table root, as an {@link ObjectStore} rooted at the table
 * expects it (`/`-separated, no leading `/`, percent-decoded).
 *
 * - `u`: see {@link dvFilePath}.
 * - `p`: the absolute path/URI with `tableRoot` (an absolute path or URI such as `s3://bucket/t`,
 *   `file:///data/t` or `/data/t`) stripped from its front; `file:` URIs and plain paths compare equal.
 * - `i`: `undefined`.
 *
 * @throws DeltaError `FILE_NOT_FOUND` for a `p` path outside `tableRoot` (or without a `tableRoot`),
 *   since a store rooted at the table cannot reach it; errors of {@link dvFilePath} otherwise.
 */
export function dvStorePath(dv: DeletionVectorDescriptor, tableRoot?: string): string | undefined {
  const p = dvFilePath(dv);
  if (p === undefined || dv.storageType === 'u') return p;
  const abs = safeDecodeUri(normalizeLocation(p));
  if (tableRoot !== undefined && tableRoot !== '') {
    const roots = new Set([normalizeLocation(tableRoot), safeDecodeUri(normalizeLocation(tableRoot))]);
    for (const root of roots) {
      if (root && abs.startsWith(root + '/')) {
        const rel = joinPath(abs.slice(root.length + 1));
        if (rel && !rel.split('/').includes('..')) return rel;
      }
    }
  }
  throw new DeltaError(
    'FILE_NOT_FOUND',
    `Deletion vector file ${p} is outside the table root${tableRoot ? ` ${tableRoot}` : ''}; this reader can only read deletion vectors stored under the table.`,
    {
      path: p,
      hint: 'Open the table through a location that also contains the deletion vector file, or rewrite the table (e.g. REORG TABLE ... APPLY (PURGE)).',
    },
  );
}

// ---------------------------------------------------------------------------------------------
// DV bytes, DV files
// ---------------------------------------------------------------------------------------------

/** Where a DV came from, for error messages. */
export interface DeletionVectorSource {
  /** The DV file, relative to the table root (omit for inline DVs). */
  path?: string;
  /** The data file the DV belongs to (its `add.path`). */
  dataFile?: string;
  /** The table version whose log holds the descriptor. */
  version?: number;
}

function where(src: DeletionVectorSource): string {
  let s = src.path !== undefined ? `deletion vector file ${src.path}` : 'inline deletion vector';
  if (src.dataFile !== undefined) s += ` of data file ${src.dataFile}`;
  if (src.version !== undefined) s += ` (table version ${src.version})`;
  return s;
}

function corrupt(src: DeletionVectorSource, what: string, cause?: unknown): DeltaError {
  return new DeltaError('CORRUPT_DELETION_VECTOR', `Corrupt ${where(src)}: ${what}.`, {
    path: src.path,
    version: src.version,
    cause,
    hint: 'The table may be damaged or was written by a faulty writer; rows of this file cannot be filtered reliably.',
  });
}

/**
 * Decodes one serialized DV (protocol appendix "Deletion Vector Format"): the magic number
 * 1681511377 as a little-endian uint32, then a portable 64-bit RoaringBitmap
 * (see {@link decodeRoaringTreemap}). `bytes` is the exact DV (`sizeInBytes` bytes), without the
 * file's size and checksum fields.
 *
 * @param opts.path the DV file (or omitted for an inline DV), `dataFile`, `version`: for messages;
 *   `expectedCardinality`: when given, the number of row indexes must equal it (checked before decoding).
 * @returns sorted row indexes.
 * @throws DeltaError `CORRUPT_DELETION_VECTOR` for a bad magic number, truncated or malformed data,
 *   or a cardinality mismatch; the message names the file and version.
 */
export function parseDeletionVectorBytes(
  bytes: Uint8Array,
  opts: DeletionVectorSource & { expectedCardinality?: number } = {},
): Float64Array {
  if (bytes.length < 4) throw corrupt(opts, `${bytes.length} bytes is too short for the magic number`);
  const head = new DataView(bytes.buffer, bytes.byteOffset, 4);
  const magic = head.getUint32(0, true);
  if (magic !== DV_MAGIC_PORTABLE) {
    const big = head.getUint32(0, false);
    throw corrupt(
      opts,
      magic === DV_MAGIC_NATIVE || big === DV_MAGIC_NATIVE || big === DV_MAGIC_PORTABLE
        ? `bad magic number ${magic}: this is Delta's older "native" RoaringBitmapArray layout (magic ${big === DV_MAGIC_PORTABLE ? DV_MAGIC_PORTABLE : DV_MAGIC_NATIVE}${big !== magic ? ', big-endian' : ''}), not the portable format the protocol specifies (magic ${DV_MAGIC_PORTABLE}, little-endian)`
        : `bad magic number ${magic} (expected ${DV_MAGIC_PORTABLE})`,
    );
  }
  try {
    return decodeTreemap(bytes.subarray(4), opts.expectedCardinality);
  } catch (e) {
    if (e instanceof CardinalityError) {
      throw corrupt(opts, `it holds ${e.actual} rows but the log says its cardinality is ${opts.expectedCardinality}`, e);
    }
    if (e instanceof FormatError) throw corrupt(opts, e.message, e);
    throw e;
  }
}

/** Options of {@link loadDeletionVector}. */
export interface LoadDeletionVectorOptions {
  signal?: AbortSignal;
  /** Table version of the log entry holding the descriptor, for error messages. */
  version?: number;
  /** The data file the DV belongs to (`add.path`), for error messages. */
  dataFile?: string;
  /**
   * Absolute path or URI of the table root, used to map `p` (absolute) DV paths to store paths.
   * Defaults to `store.description` (the folder of a `NodeFsStore`).
   */
  tableRoot?: string;
}

/**
 * Loads a DV and returns its deleted row indexes, sorted ascending (protocol: "Reader Requirements
 * for Deletion Vectors": these rows must not be returned).
 *
 * - `i`: Z85-decodes `pathOrInlineDv`, keeps `sizeInBytes` bytes and parses them.
 * - `u` / `p`: reads only bytes `[offset, offset + 4 + sizeInBytes + 4)` of the DV file with
 *   `store.getRange` ("Deletion Vector File Storage Format": big-endian uint32 size, the DV, a
 *   big-endian CRC-32 of the DV), checks the size field against `sizeInBytes` and the checksum, then
 *   parses the DV. The file's leading version byte is not read. An absent offset is read as 1 (the
 *   first DV after the version byte, as delta-kernel-rs does); the protocol text says 0, but a
 *   DV cannot start on the version byte.
 *
 * The decoded cardinality must equal `dv.cardinality`, and the last row index must not pass
 * `dv.maxRowIndex` when that is set.
 *
 * @throws DeltaError `CORRUPT_DELETION_VECTOR` (bad magic, size or checksum mismatch, truncated or
 *   malformed data, cardinality mismatch; message names the file and version);
 *   `FILE_NOT_FOUND` when the DV file is missing or a `p` path lies outside the table root;
 *   `UNSUPPORTED_READER_FEATURE` for an unknown storage type; `CANCELLED` when `signal` aborts;
 *   other store errors (`ACCESS_DENIED`, `STORAGE_ERROR`) unchanged.
 */
export async function loadDeletionVector(
  store: ObjectStore,
  dv: DeletionVectorDescriptor,
  opts: LoadDeletionVectorOptions = {},
): Promise<Float64Array> {
  throwIfAborted(opts.signal);
  assertStorageType(dv);
  const { version, dataFile } = opts;
  const size = dv.sizeInBytes;
  let rows: Float64Array;
  let src: DeletionVectorSource;
  if (dv.storageType === 'i') {
    src = { dataFile, version };
    let raw: Uint8Array;
    try {
      raw = z85Decode(dv.pathOrInlineDv);
    } catch (e) {
      throw corrupt(src, (e as Error).message.replace(/\.$/, ''), e);
    }
    if (!Number.isInteger(size) || size < 0 || size > raw.length || raw.length - size >= 4) {
      throw corrupt(src, `sizeInBytes ${size} does not match the ${raw.length} bytes of its Z85 text`);
    }
    rows = parseDeletionVectorBytes(raw.subarray(0, size), { ...src, expectedCardinality: dv.cardinality });
  } else {
    const path = dvStorePath(dv, opts.tableRoot ?? store.description)!;
    src = { path, dataFile, version };
    const offset = dv.offset ?? 1;
    if (!Number.isInteger(offset) || offset < 0) throw corrupt(src, `invalid offset ${offset}`);
    if (!Number.isInteger(size) || size < 4) throw corrupt(src, `invalid sizeInBytes ${size}`);
    let bytes: Uint8Array;
    try {
      bytes = await store.getRange(path, { start: offset, end: offset + 4 + size + 4 }, opts.signal);
    } catch (e) {
      if (e instanceof DeltaError && e.code === 'FILE_NOT_FOUND') {
        throw new DeltaError(
          'FILE_NOT_FOUND',
          `Deletion vector file ${path}${dataFile !== undefined ? ` of data file ${dataFile}` : ''} not found${
            version !== undefined ? ` (table version ${version})` : ''
          }.`,
          { path, version, cause: e, hint: 'The file may have been vacuumed or not copied with the table.' },
        );
      }
      throw e;
    }
    throwIfAborted(opts.signal);
    if (bytes.length < 4 + size + 4) {
      throw corrupt(src, `truncated: needed ${4 + size + 4} bytes at offset ${offset}, the file has only ${bytes.length}`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const declared = view.getUint32(0, false);
    if (declared !== size) throw corrupt(src, `size field says ${declared} bytes but the log says sizeInBytes ${size}`);
    const data = bytes.subarray(4, 4 + size);
    const stored = view.getUint32(4 + size, false);
    const actual = CRC32.buf(data) >>> 0;
    if (stored !== actual) {
      throw corrupt(src, `checksum mismatch (stored CRC-32 ${hex32(stored)}, computed ${hex32(actual)})`);
    }
    rows = parseDeletionVectorBytes(data, { ...src, expectedCardinality: dv.cardinality });
  }
  if (dv.maxRowIndex !== undefined && dv.maxRowIndex !== null && rows.length > 0 && rows[rows.length - 1] > dv.maxRowIndex) {
    throw corrupt(src, `row index ${rows[rows.length - 1]} exceeds maxRowIndex ${dv.maxRowIndex}`);
  }
  return rows;
}

function hex32(v: number): string {
  return '0x' + v.toString(16).padStart(8, '0');
}

/**
 * True when `row` is among `sortedRows` (ascending, as returned by {@link loadDeletionVector}).
 * Binary search: O(log n).
 */
export function isRowDeleted(sortedRows: Float64Array, row: number): boolean {
  let lo = 0;
  let hi = sortedRows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sortedRows[mid];
    if (v === row) return true;
    if (v < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
