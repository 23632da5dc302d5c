/**
 * Generates the "hostile" Delta table (test/fixtures/tables-generated/hostile/): a real, valid
 * table whose every user-controlled string is an HTML/JS injection payload — column names (column
 * mapping mode `name`, so the parquet files carry safe physical names), a nested field name,
 * column comments, partition values, string values and stats, the table name and description,
 * table property keys and values, a `txn` app id, and commitInfo fields (operation, parameters,
 * userName, engineInfo, userMetadata and a custom field) over four commits (write, append, set
 * properties, delete), with the Change Data Feed enabled. The browser test e2e/hostile.spec.ts
 * opens it and proves that every view shows the payloads as text and runs none of them.
 *
 * Commit JSON is written here; the parquet data files by DuckDB-WASM (`COPY ... TO`) through
 * `createNodeEngine`. Deterministic: fixed ids and timestamps.
 *
 *   npx tsx test/gen/hostile-table.ts [outDir]     (default: test/fixtures/tables-generated/hostile)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeEngine, quoteIdent, quoteString } from '../../src/query/engine.ts';
import { HOSTILE_DIR, PAYLOADS } from './hostile-payloads.ts';

export { HOSTILE_DIR, PAYLOADS };

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);
const HOUR = 3600_000;

/** Logical column names (payloads) and their physical names in the data files. */
export const COLUMNS = {
  id: { logical: 'id', physical: 'col-1' },
  img: { logical: PAYLOADS.img, physical: 'col-2' },
  note: { logical: 'note', physical: 'col-3' },
  part: { logical: PAYLOADS.svg, physical: 'col-4' },
  details: { logical: 'details', physical: 'col-5' },
  inner: { logical: PAYLOADS.script, physical: 'col-6' },
} as const;

const field = (c: { logical: string; physical: string }, id: number, type: unknown, comment?: string) => ({
  name: c.logical,
  type,
  nullable: true,
  metadata: {
    ...(comment !== undefined ? { comment } : {}),
    'delta.columnMapping.id': id,
    'delta.columnMapping.physicalName': c.physical,
  },
});

/** The table schema (logical names are payloads; comments too). */
export const SCHEMA = {
  type: 'struct',
  fields: [
    field(COLUMNS.id, 1, 'long', PAYLOADS.script),
    field(COLUMNS.img, 2, 'string', PAYLOADS.svg),
    field(COLUMNS.note, 3, 'string', PAYLOADS.js),
    field(COLUMNS.part, 4, 'string', PAYLOADS.img),
    field(COLUMNS.details, 5, { type: 'struct', fields: [field(COLUMNS.inner, 6, 'string', PAYLOADS.img)] }),
  ],
};

/** One data row: id, the img column, note, the nested value; the partition value is per file. */
type Row = [number, string, string, string];

/** The data files: name, partition value, rows. */
export const FILES: { name: string; partition: string; rows: Row[] }[] = [
  {
    name: 'part-00000-6f1c2a57-0000-4000-8000-000000000001.c000.snappy.parquet',
    partition: PAYLOADS.img,
    rows: [
      [1, PAYLOADS.img, PAYLOADS.script, PAYLOADS.svg],
      [2, PAYLOADS.js, PAYLOADS.svg, PAYLOADS.img],
    ],
  },
  {
    name: 'part-00001-6f1c2a57-0000-4000-8000-000000000002.c000.snappy.parquet',
    partition: PAYLOADS.script,
    rows: [
      [3, PAYLOADS.script, PAYLOADS.img, PAYLOADS.js],
      [4, PAYLOADS.svg, PAYLOADS.js, PAYLOADS.script],
    ],
  },
  {
    name: 'part-00002-6f1c2a57-0000-4000-8000-000000000003.c000.snappy.parquet',
    partition: PAYLOADS.js,
    rows: [[5, PAYLOADS.svg, PAYLOADS.script, PAYLOADS.img]],
  },
];

const sortedMinMax = (vals: string[]) => [...vals].sort();

/** `add` action of a data file. */
function addOf(f: (typeof FILES)[number], size: number, time: number) {
  const col = (k: number) => f.rows.map((r) => r[k] as string);
  const img = sortedMinMax(col(1));
  const note = sortedMinMax(col(2));
  const inner = sortedMinMax(col(3));
  const ids = f.rows.map((r) => r[0]);
  return {
    add: {
      path: f.name,
      partitionValues: { [COLUMNS.part.physical]: f.partition },
      size,
      modificationTime: time,
      dataChange: true,
      stats: JSON.stringify({
        numRecords: f.rows.length,
        minValues: { 'col-1': Math.min(...ids), 'col-2': img[0], 'col-3': note[0], 'col-5': { 'col-6': inner[0] } },
        maxValues: { 'col-1': Math.max(...ids), 'col-2': img[img.length - 1], 'col-3': note[note.length - 1], 'col-5': { 'col-6': inner[inner.length - 1] } },
        nullCount: { 'col-1': 0, 'col-2': 0, 'col-3': 0, 'col-5': { 'col-6': 0 } },
      }),
      tags: { [PAYLOADS.svg]: PAYLOADS.img },
    },
  };
}

const commitInfo = (version: number, operation: string, operationParameters: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  commitInfo: {
    timestamp: T0 + version * HOUR,
    operation,
    operationParameters,
    userName: PAYLOADS.img,
    userId: PAYLOADS.js,
    engineInfo: PAYLOADS.script,
    userMetadata: PAYLOADS.svg,
    [PAYLOADS.script]: PAYLOADS.img, // a custom field whose key is a payload too
    hostileCustomField: PAYLOADS.svg,
    isBlindAppend: version !== 3,
    ...(version > 0 ? { readVersion: version - 1 } : {}),
    ...extra,
  },
});

function metaData(description: string, extraConfig: Record<string, string> = {}) {
  return {
    metaData: {
      id: '6f1c2a57-0000-4000-8000-00000000beef',
      name: PAYLOADS.img,
      description,
      format: { provider: 'parquet', options: {} },
      schemaString: JSON.stringify(SCHEMA),
      partitionColumns: [COLUMNS.part.logical],
      configuration: {
        'delta.columnMapping.mode': 'name',
        'delta.columnMapping.maxColumnId': '6',
        'delta.enableChangeDataFeed': 'true',
        [PAYLOADS.svg]: PAYLOADS.js,
        'owner.html': PAYLOADS.img,
        ...extraConfig,
      },
      createdTime: T0,
    },
  };
}

/** Writes the data file of `f` with DuckDB-WASM and returns its bytes. */
async function parquetOf(engine: Awaited<ReturnType<typeof createNodeEngine>>, f: (typeof FILES)[number]): Promise<Uint8Array> {
  const values = f.rows
    .map(
      ([id, img, note, inner]) =>
        `(${id}::BIGINT, ${quoteString(img)}, ${quoteString(note)}, {${quoteString(COLUMNS.inner.physical)}: ${quoteString(inner)}})`,
    )
    .join(', ');
  const cols = [COLUMNS.id, COLUMNS.img, COLUMNS.note, COLUMNS.details].map((c) => quoteIdent(c.physical)).join(', ');
  // In Node, DuckDB-WASM writes COPY output to the real file system: write to a temp folder.
  const tmp = mkdtempSync(join(tmpdir(), 'dx-hostile-gen-'));
  try {
    const out = join(tmp, f.name);
    await engine.query(`COPY (SELECT * FROM (VALUES ${values}) AS v(${cols})) TO ${quoteString(out)} (FORMAT PARQUET, COMPRESSION SNAPPY)`);
    const bytes = await engine.copyFileToBuffer(out);
    await engine.dropFile(out);
    return bytes;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Writes the hostile table into `dir` (replacing what is there). */
export async function generateHostileTable(dir: string = HOSTILE_DIR): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, '_delta_log'), { recursive: true });
  const engine = await createNodeEngine();
  const sizes: number[] = [];
  try {
    for (const f of FILES) {
      const bytes = await parquetOf(engine, f);
      writeFileSync(join(dir, f.name), bytes);
      sizes.push(bytes.byteLength);
    }
  } finally {
    await engine.close();
  }
  const commits: unknown[][] = [
    [
      commitInfo(0, 'WRITE', { mode: 'ErrorIfExists', partitionBy: JSON.stringify([PAYLOADS.svg]), [PAYLOADS.img]: PAYLOADS.js }),
      { protocol: { minReaderVersion: 2, minWriterVersion: 5 } },
      metaData(PAYLOADS.script),
      addOf(FILES[0], sizes[0], T0),
      addOf(FILES[1], sizes[1], T0),
    ],
    [commitInfo(1, PAYLOADS.img, { mode: 'Append', predicate: PAYLOADS.script }), addOf(FILES[2], sizes[2], T0 + HOUR)],
    [
      commitInfo(2, 'SET TBLPROPERTIES', { properties: JSON.stringify({ [PAYLOADS.svg]: PAYLOADS.js, 'owner.html': PAYLOADS.img }) }),
      metaData(`${PAYLOADS.svg} ${PAYLOADS.img}`, { [PAYLOADS.script]: PAYLOADS.svg }),
    ],
    [
      commitInfo(3, 'DELETE', { predicate: JSON.stringify([`(note = '${PAYLOADS.script}')`]) }, { operationMetrics: { numRemovedFiles: '1', [PAYLOADS.img]: PAYLOADS.svg } }),
      {
        remove: {
          path: FILES[0].name,
          deletionTimestamp: T0 + 3 * HOUR,
          dataChange: true,
          extendedFileMetadata: true,
          partitionValues: { [COLUMNS.part.physical]: FILES[0].partition },
          size: sizes[0],
        },
      },
      { txn: { appId: PAYLOADS.img, version: 3, lastUpdated: T0 + 3 * HOUR } },
    ],
  ];
  commits.forEach((actions, v) => {
    writeFileSync(join(dir, '_delta_log', `${String(v).padStart(20, '0')}.json`), actions.map((a) => JSON.stringify(a)).join('\n') + '\n');
  });
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const out = process.argv[2] ?? HOSTILE_DIR;
  await generateHostileTable(out);
  console.log(`hostile table written to ${out}`);
}
