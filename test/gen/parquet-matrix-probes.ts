/**
 * Minimal reproductions behind the parquet failure classes (issue 11; notes in parquet-matrix-classes.ts):
 *
 *   npx tsx test/gen/parquet-matrix-probes.ts dbp            C4: one-column INT64 DELTA_BINARY_PACKED files,
 *                                                            which first values DuckDB 0.9.1 gets wrong
 *   npx tsx test/gen/parquet-matrix-probes.ts pages <file.parquet> <column.path>
 *                                                            page headers of a column chunk (C7: an all-null
 *                                                            SNAPPY V2 page with 0 compressed value bytes)
 *   npx tsx test/gen/parquet-matrix-probes.ts lz4            F2: hyparquet-compressors on the empty LZ4_RAW block
 */
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { readFileSync } from 'node:fs';
import { compressors } from 'hyparquet-compressors';
// @ts-expect-error hyparquet does not export its page-header reader; deep import for this probe only
import { parquetHeader } from '../../node_modules/hyparquet/src/column.js';
import { StreamingDuck } from './parquet-matrix-study.ts';
import { readFooter } from './parquet-matrix-classes.ts';

const MAX = 9223372036854775807n;
const MIN = -9223372036854775808n;
const TWO62 = 4611686018427387904n;

/** C4: DBP INT64 single-page files; prints exact / WRONG per first-value case. */
async function dbp(): Promise<void> {
  const duck = new StreamingDuck();
  await duck.open();
  const cases: Record<string, bigint[]> = {
    min: [MIN],
    max: [MAX],
    'two62': [TWO62],
    'two62-1': [TWO62 - 1n],
    '-two62-1': [-TWO62 - 1n],
    '-two62': [-TWO62],
    '0,two62': [0n, TWO62],
    '-two62,two62 (delta 2^63)': [-TWO62, TWO62],
    'min,max': [MIN, MAX],
    '200 small then max,min': [...Array.from({ length: 200 }, (_, i) => BigInt(i)), MAX, MIN],
  };
  for (const [name, vals] of Object.entries(cases)) {
    const t = arrow.tableFromArrays({ v: BigInt64Array.from(vals) });
    const props = new pw.WriterPropertiesBuilder().setDictionaryEnabled(false).setColumnEncoding('v', pw.Encoding.DELTA_BINARY_PACKED).build();
    const file = `probe_${Object.keys(cases).indexOf(name)}.parquet`;
    duck.register(file, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(t, 'stream')), props));
    const got = Array.from(duck.stream(`SELECT v FROM read_parquet('${file}')`).getChild('v')!.toArray() as BigInt64Array);
    const bad = got.findIndex((g, i) => g !== vals[i]);
    console.log(name.padEnd(28), bad < 0 ? 'exact' : `WRONG at ${bad}: expected ${vals[bad]} got ${got[bad]}`);
  }
  duck.close();
}

/** Page headers of one column chunk (all row groups). */
function pages(file: string, column: string): void {
  const b = new Uint8Array(readFileSync(file));
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (const rg of readFooter(b).row_groups)
    for (const c of rg.columns) {
      const m = c.meta_data!;
      if (m.path_in_schema.join('.') !== column) continue;
      const start = Number(m.dictionary_page_offset ?? m.data_page_offset);
      let off = start;
      while (off < start + Number(m.total_compressed_size)) {
        const reader = { view, offset: off };
        const h = parquetHeader(reader);
        const v2 = h.data_page_header_v2;
        const detail = v2
          ? `V2 values=${v2.num_values} nulls=${v2.num_nulls} def_bytes=${v2.definition_levels_byte_length} rep_bytes=${v2.repetition_levels_byte_length} is_compressed=${v2.is_compressed}`
          : h.data_page_header
            ? `V1 values=${h.data_page_header.num_values}`
            : '';
        console.log(`${h.type} compressed=${h.compressed_page_size} uncompressed=${h.uncompressed_page_size} ${detail}`);
        off = reader.offset + h.compressed_page_size;
      }
    }
}

/** F2: the empty LZ4_RAW block (one 0x00 token) decompressed to 0 bytes. */
function lz4(): void {
  try {
    console.log('LZ4_RAW([0x00], 0) =', compressors.LZ4_RAW!(new Uint8Array([0]), 0));
  } catch (e) {
    console.log('LZ4_RAW([0x00], 0) throws:', (e as Error).message);
  }
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'dbp') await dbp();
else if (cmd === 'pages') pages(rest[0], rest[1]);
else if (cmd === 'lz4') lz4();
else console.error('usage: parquet-matrix-probes.ts dbp | pages <file> <column> | lz4');
