import { describe, expect, it } from 'vitest';
import { detectTableLayout } from './table-root.ts';

const C = '00000000000000000000';

describe('detectTableLayout', () => {
  it('the opened folder is the table when it holds _delta_log/', () => {
    expect(detectTableLayout([`_delta_log/${C}.json`, 'part-0.parquet', `other/_delta_log/${C}.json`])).toEqual({ kind: 'root' });
  });

  it('lists sub-folders holding a log, at any depth, with what their log names', () => {
    const layout = detectTableLayout([
      `b/_delta_log/${C}.json`,
      'b/_delta_log/00000000000000000010.checkpoint.parquet',
      'b/_delta_log/00000000000000000011.json',
      `b/_delta_log/_sidecars/x.parquet`,
      'b/part-0.parquet',
      `a/deep/_delta_log/${C}.crc`,
      'notes.txt',
    ]);
    expect(layout).toEqual({
      kind: 'nested',
      candidates: [
        { path: 'a/deep', numLogFiles: 1, latestVersion: null, hasCheckpoint: false },
        { path: 'b', numLogFiles: 3, latestVersion: 11, hasCheckpoint: true },
      ],
    });
  });

  it('a _delta_log folder alone is log-only', () => {
    expect(detectTableLayout([`${C}.json`, '_last_checkpoint', `${C}.crc`], 'anything')).toEqual({ kind: 'log-only' });
    expect(detectTableLayout([`${C}.json`, 'README'], '_delta_log')).toEqual({ kind: 'log-only' });
  });

  it('a folder with a stray commit-like file among others is not a table', () => {
    expect(detectTableLayout([`${C}.json`, 'README'], 'downloads')).toEqual({ kind: 'none' });
    expect(detectTableLayout(['a.parquet', 'x/y.parquet'])).toEqual({ kind: 'none' });
    expect(detectTableLayout([])).toEqual({ kind: 'none' });
  });
});
