/**
 * Synthetic JSON-heavy Delta logs (no data files), deterministic:
 *
 * - {@link generateAddHeavyTable}: the shape of the corpus table `300k-add-files-100-col-partitioned`
 *   (used when the corpus is not there): version 0 with protocol and a 100-column metaData, version
 *   1 with 10 adds, then three commits of ~100k adds each, partitioned by `partition_col`, no stats.
 * - {@link generateManyCommitsTable}: `commits` small commits and no checkpoint: each a commitInfo
 *   and a few adds with stats, every tenth one also removing an earlier file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_SCHEMA, fileOf } from './checkpoint-table.ts';

const v20 = (v: number) => String(v).padStart(20, '0');

export interface AddHeavySpec {
  /** Adds in the three big commits together (300,000 for the corpus shape). */
  numFiles: number;
  partitions: number;
  columns: number;
}

export async function generateAddHeavyTable(dir: string, spec: AddHeavySpec): Promise<void> {
  const log = join(dir, '_delta_log');
  mkdirSync(log, { recursive: true });
  const fields = [{ name: 'partition_col', type: 'string', nullable: false, metadata: {} }];
  for (let c = 0; c < spec.columns; c++) fields.push({ name: `col_${c}`, type: 'long', nullable: true, metadata: {} });
  const v0 = [
    JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }),
    JSON.stringify({
      metaData: {
        id: '5adb1fc2-0000-4000-8000-000000000000',
        name: 'test_table',
        description: 'Synthetic table of the shape of 300k-add-files-100-col-partitioned (bench/gen/json-tables.ts)',
        format: { provider: 'parquet', options: {} },
        schemaString: JSON.stringify({ type: 'struct', fields }),
        partitionColumns: ['partition_col'],
        configuration: {},
        createdTime: 1234567890000,
      },
    }),
  ];
  writeFileSync(join(log, `${v20(0)}.json`), v0.join('\n') + '\n');
  const add = (i: number, part: number, size: number) =>
    JSON.stringify({ add: { path: `part_${part}/file_${i}.parquet`, partitionValues: { partition_col: `part_${part}` }, size, modificationTime: 1234567890 + i, dataChange: true } });
  const v1: string[] = [];
  for (let i = 0; i < 10; i++) v1.push(add(i, i % 3, 1024 * (i + 1)));
  writeFileSync(join(log, `${v20(1)}.json`), v1.join('\n') + '\n');
  const per = Math.ceil(spec.numFiles / 3);
  for (let c = 0; c < 3; c++) {
    const lines: string[] = [];
    for (let i = 10 + c * per; i < Math.min(10 + spec.numFiles, 10 + (c + 1) * per); i++) lines.push(add(i, i % spec.partitions, 1048576));
    writeFileSync(join(log, `${v20(2 + c)}.json`), lines.join('\n') + '\n');
  }
}

export interface ManyCommitsSpec {
  commits: number;
  addsPerCommit: number;
  partitions: number;
}

export async function generateManyCommitsTable(dir: string, spec: ManyCommitsSpec): Promise<void> {
  const log = join(dir, '_delta_log');
  mkdirSync(log, { recursive: true });
  const t0 = Date.UTC(2024, 0, 1);
  for (let v = 0; v < spec.commits; v++) {
    const lines: string[] = [
      JSON.stringify({
        commitInfo: { timestamp: t0 + v * 60_000, operation: v === 0 ? 'CREATE TABLE' : 'WRITE', operationParameters: { mode: 'Append' }, readVersion: v - 1, isBlindAppend: v % 10 !== 0, engineInfo: 'delta-explorer-bench' },
      }),
    ];
    if (v === 0) {
      lines.push(JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }));
      lines.push(
        JSON.stringify({
          metaData: {
            id: 'b3c0ffee-0000-4000-8000-000000000002',
            name: 'many_commits',
            format: { provider: 'parquet', options: {} },
            schemaString: JSON.stringify(DATA_SCHEMA),
            partitionColumns: ['day'],
            configuration: {},
            createdTime: t0,
          },
        }),
      );
    }
    for (let j = 0; j < spec.addsPerCommit; j++) {
      const i = v * spec.addsPerCommit + j;
      const f = fileOf(i, spec.partitions, 17);
      lines.push(JSON.stringify({ add: { path: f.path, partitionValues: { day: f.day }, size: f.size, modificationTime: t0 + v * 60_000, dataChange: true, stats: f.stats } }));
    }
    if (v % 10 === 0 && v > 0) {
      const i = (v - 5) * spec.addsPerCommit;
      const f = fileOf(i, spec.partitions, 17);
      lines.push(JSON.stringify({ remove: { path: f.path, deletionTimestamp: t0 + v * 60_000, dataChange: true, extendedFileMetadata: true, partitionValues: { day: f.day }, size: f.size } }));
    }
    writeFileSync(join(log, `${v20(v)}.json`), lines.join('\n') + '\n');
  }
}
