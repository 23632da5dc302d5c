/**
 * Wraps parquet data files as a Delta table (test generator): one commit with `protocol`,
 * `metaData` (the Delta schema derived from the files' Arrow schema) and one `add` per file with
 * `stats.numRecords` (or a wrong count, or none, as a test asks) and an optional inline deletion
 * vector (portable RoaringBitmap, Z85-encoded, PROTOCOL.md "Deletion Vector Format").
 *
 * Used by the data-integrity tests and the differential matrix: the files are real parquet written
 * by real writers; only the log around them is made here, by the protocol's rules.
 */
import * as arrow from 'apache-arrow';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One data file of the table. */
export interface WrappedFile {
  /** File name under the table root, e.g. `part-0.parquet`. */
  name: string;
  bytes: Uint8Array;
  /** Rows in the file (the true count). */
  rows: number;
  /** `numRecords` written into the stats: default `rows`; null writes no stats. */
  numRecords?: number | null;
  /** Row indexes deleted by an inline deletion vector. */
  deletedRows?: number[];
}

/** Delta type JSON of an Arrow type (the subset a parquet file maps to). */
export function deltaType(t: arrow.DataType): unknown {
  if (arrow.DataType.isDictionary(t)) return deltaType(t.dictionary);
  if (arrow.DataType.isInt(t)) return ({ 8: 'byte', 16: 'short', 32: 'integer', 64: 'long' } as Record<number, string>)[t.bitWidth];
  if (arrow.DataType.isFloat(t)) return t.precision === arrow.Precision.SINGLE ? 'float' : 'double';
  if (arrow.DataType.isBool(t)) return 'boolean';
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t)) return 'string';
  if (arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t) || arrow.DataType.isFixedSizeBinary(t)) return 'binary';
  if (arrow.DataType.isDecimal(t)) return `decimal(${t.precision},${t.scale})`;
  if (arrow.DataType.isDate(t)) return 'date';
  if (arrow.DataType.isTimestamp(t)) return t.timezone ? 'timestamp' : 'timestamp_ntz';
  if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t))
    return { type: 'array', elementType: deltaType(t.children[0].type), containsNull: true };
  if (arrow.DataType.isMap(t)) {
    const entries = t.children[0].type as arrow.Struct;
    return { type: 'map', keyType: deltaType(entries.children[0].type), valueType: deltaType(entries.children[1].type), valueContainsNull: true };
  }
  if (arrow.DataType.isStruct(t)) return { type: 'struct', fields: t.children.map(deltaField) };
  throw new Error(`No Delta type for Arrow type ${t}`);
}

function deltaField(f: arrow.Field): unknown {
  return { name: f.name, type: deltaType(f.type), nullable: true, metadata: {} };
}

/** True when the schema needs the `timestampNtz` table feature. */
function usesNtz(t: unknown): boolean {
  return JSON.stringify(t).includes('"timestamp_ntz"');
}

const Z85 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

/** Z85-encodes bytes (zero-padded to a multiple of 4). */
export function z85Encode(bytes: Uint8Array): string {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  let out = '';
  const view = new DataView(padded.buffer);
  for (let i = 0; i < padded.length; i += 4) {
    let v = view.getUint32(i, false);
    const chunk: string[] = [];
    for (let k = 0; k < 5; k++) {
      chunk.unshift(Z85[v % 85]);
      v = Math.floor(v / 85);
    }
    out += chunk.join('');
  }
  return out;
}

/** A DV (magic + portable 64-bit RoaringBitmap with array/bitmap containers) of row indexes < 2^32. */
export function serializeDv(rows: number[]): Uint8Array {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const byKey = new Map<number, number[]>();
  for (const r of sorted) {
    const key = r >>> 16;
    let l = byKey.get(key);
    if (!l) byKey.set(key, (l = []));
    l.push(r & 0xffff);
  }
  const keys = [...byKey.keys()];
  const parts: number[] = [];
  const u32 = (v: number) => parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const u16 = (v: number) => parts.push(v & 0xff, (v >>> 8) & 0xff);
  u32(1681511377); // magic
  u32(keys.length ? 1 : 0); // bucket count (uint64 LE)
  u32(0);
  if (keys.length) {
    u32(0); // high 32 bits of the only bucket
    u32(12346); // SERIAL_COOKIE_NO_RUNCONTAINER
    u32(keys.length);
    for (const k of keys) {
      u16(k);
      u16(byKey.get(k)!.length - 1);
    }
    const data = keys.map((k) => {
      const vs = byKey.get(k)!;
      if (vs.length <= 4096) return vs.flatMap((v) => [v & 0xff, v >>> 8]);
      const bits = new Uint8Array(8192);
      for (const v of vs) bits[v >>> 3] |= 1 << (v & 7);
      return [...bits];
    });
    // Offsets count from the start of the 32-bit bitmap (after magic 4 + bucket count 8 + high key 4 bytes).
    let offset = parts.length - 16 + 4 * keys.length;
    for (const d of data) {
      u32(offset);
      offset += d.length;
    }
    for (const d of data) parts.push(...d);
  }
  return Uint8Array.from(parts);
}

/**
 * Writes the table at `dir`: the files, and `_delta_log/00000000000000000000.json`.
 * @param arrowSchema the files' Arrow schema (as written), turned into the Delta schema.
 */
export function writeDeltaTable(dir: string, arrowSchema: arrow.Schema, files: WrappedFile[], options: { properties?: Record<string, string> } = {}): void {
  mkdirSync(join(dir, '_delta_log'), { recursive: true });
  const schema = { type: 'struct', fields: arrowSchema.fields.map(deltaField) };
  const ntz = usesNtz(schema);
  const dvs = files.some((f) => f.deletedRows?.length);
  const readerFeatures = [...(ntz ? ['timestampNtz'] : []), ...(dvs ? ['deletionVectors'] : [])];
  const protocol = readerFeatures.length
    ? { minReaderVersion: 3, minWriterVersion: 7, readerFeatures, writerFeatures: readerFeatures }
    : { minReaderVersion: 1, minWriterVersion: 2 };
  const lines: unknown[] = [
    { commitInfo: { timestamp: 1_700_000_000_000, operation: 'WRITE', operationParameters: {}, engineInfo: 'delta-explorer test generator' } },
    { protocol },
    {
      metaData: {
        id: '00000000-0000-0000-0000-000000000011',
        format: { provider: 'parquet', options: {} },
        schemaString: JSON.stringify(schema),
        partitionColumns: [],
        configuration: options.properties ?? {},
        createdTime: 1_700_000_000_000,
      },
    },
  ];
  for (const f of files) {
    writeFileSync(join(dir, f.name), f.bytes);
    const numRecords = f.numRecords === undefined ? f.rows : f.numRecords;
    const add: Record<string, unknown> = {
      path: f.name,
      partitionValues: {},
      size: f.bytes.byteLength,
      modificationTime: 1_700_000_000_000,
      dataChange: true,
    };
    if (numRecords !== null) add.stats = JSON.stringify({ numRecords });
    if (f.deletedRows?.length) {
      const dv = serializeDv(f.deletedRows);
      add.deletionVector = { storageType: 'i', pathOrInlineDv: z85Encode(dv), sizeInBytes: dv.byteLength, cardinality: new Set(f.deletedRows).size };
    }
    lines.push({ add });
  }
  writeFileSync(join(dir, '_delta_log', '00000000000000000000.json'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}
