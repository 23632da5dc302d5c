import { describe, expect, it } from 'vitest';
import { DeltaTable } from '../../delta/table.ts';
import { NodeFsStore } from '../../delta/storage/node-fs.ts';
import { fixture } from '../../../test/fixtures.ts';
import { fileTimesReset, writerTimestamp } from './history-times.ts';

describe('fileTimesReset', () => {
  it('a copied table (fixture files dated at checkout, commitInfo from 2021): flagged', async () => {
    const rows = await new DeltaTable(new NodeFsStore(fixture('COVID-19_NYT'))).history();
    expect(writerTimestamp(rows[0])).toBe(1619121487931); // commitInfo.timestamp of 00000000000000000000.json
    const f = fileTimesReset(rows);
    expect(f).not.toBeNull();
    expect(f!.commits).toBe(1);
  });

  it('file times that agree with the writers are not flagged; in-commit timestamps are not compared', () => {
    const row = (v: number, file: number, writer: number, source: 'inCommitTimestamp' | 'fileModificationTime' = 'fileModificationTime') =>
      ({ version: v, timestampMs: file, timestampSource: source, fileModificationTimeMs: file, commitInfo: { timestamp: writer } }) as never;
    expect(fileTimesReset([row(0, 1000, 900), row(1, 5000, 4800)])).toBeNull();
    expect(fileTimesReset([row(0, 10_000_000, 1000, 'inCommitTimestamp')])).toBeNull();
    expect(fileTimesReset([row(0, 10_000_000, 1000), row(1, 10_000_100, 2000)])).toMatchObject({ commits: 2, compared: 2 });
  });
});
