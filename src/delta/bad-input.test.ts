/**
 * Generated bad input: real fixture tables copied to a temp folder and damaged in one way each.
 * Every case ends either in the snapshot of the undamaged table (where the protocol lets a reader
 * recover: hints, ignorable actions and fields) or in a typed DeltaError whose code is right and
 * whose message, `path` and `version` name the file and version. Every case runs under a time
 * bound, so a hang fails instead of hanging the run.
 *
 * Expected snapshots come from the undamaged fixture (same reader) and from `referenceReplay`
 * (test/fixtures.ts: an independent forward replay of the JSON commits). Data-file cases (missing
 * data and deletion-vector files, checksums) are in src/query/bad-input.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DeltaError, type DeltaErrorCode } from './errors.ts';
import { DeltaTable } from './table.ts';
import { NodeFsStore } from './storage/node-fs.ts';
import type { SnapshotOptions } from './snapshot.ts';
import { commitPath, copyFixture, fixture, hasFullHistory, logLines, referenceReplay, thrown } from '../../test/fixtures.ts';
import {
  commitName,
  fingerprint,
  garbage,
  lineCount,
  logFiles,
  replaceLine,
  rewriteCommit,
  within,
  writeCommit,
  type SnapshotFingerprint,
} from '../../test/bad-input.ts';

/** Time bound of one case (a hang fails the case). Generous: the machine is shared. */
const BOUND_MS = 20_000;
const MB = 1024 * 1024;

const open = (dir: string) => new DeltaTable(new NodeFsStore(dir));

/** The case ends in the same snapshot as the undamaged fixture at the same target. */
interface Same {
  kind: 'same';
  /** Target version (latest when absent). */
  version?: number;
  /** Adjusts the undamaged fingerprint to what the damage legitimately changes (e.g. stats dropped). */
  adjust?: (fp: SnapshotFingerprint) => SnapshotFingerprint;
}

/** The case ends in a typed error naming the file and version. */
interface Fails {
  kind: 'fails';
  code: DeltaErrorCode;
  /** `err.path` (relative to the table root). */
  path: string | ((dir: string) => string);
  version: number;
  /** Further text the message must contain. */
  message?: (string | RegExp)[];
  /** Target version (latest when absent). */
  target?: number;
  options?: Omit<SnapshotOptions, 'version'>;
}

interface Case {
  name: string;
  fixture: string;
  damage: (dir: string) => void;
  expect: Same | Fails;
  /** Further checks on the damaged copy (e.g. earlier versions still open). */
  also?: (dir: string, table: DeltaTable) => Promise<void>;
}

const bigString = (n: number, c = 'x') => c.repeat(n);

const CASES: Case[] = [
  // ---------------------------------------------------------------- commits
  {
    name: 'truncated commit line (last line cut in half)',
    fixture: 'simple_table',
    damage: (dir) => {
      const text = readFileSync(commitPath(dir, 2), 'utf8').trimEnd();
      const lastStart = text.lastIndexOf('\n') + 1;
      writeFileSync(commitPath(dir, 2), text.slice(0, lastStart + Math.floor((text.length - lastStart) / 2)));
    },
    expect: { kind: 'fails', code: 'CORRUPT_COMMIT', path: commitName(2), version: 2, message: [/line \d+ is not valid JSON/] },
    also: async (dir, t) => {
      // versions before the damaged commit still open, equal to the forward replay
      const s = await t.snapshot({ version: 1 });
      expect(s.files.length).toBe(referenceReplay(dir, 1).numFiles);
    },
  },
  {
    name: 'truncated commit line in the middle of a commit (following lines intact)',
    fixture: 'table_with_deletion_logs',
    damage: (dir) => {
      const lines = readFileSync(commitPath(dir, 4), 'utf8').split('\n').filter((l) => l.trim());
      lines[1] = lines[1].slice(0, Math.floor(lines[1].length / 2));
      writeFileSync(commitPath(dir, 4), lines.join('\n') + '\n');
    },
    // version 4 lies before the checkpoint at 10: time travel to it reads commit 4
    expect: { kind: 'fails', code: 'CORRUPT_COMMIT', path: commitName(4), version: 4, target: 4, message: ['line 2'] },
    also: async (dir, t) => {
      // the latest version is built from the checkpoint at 20 and never reads commit 4
      expect(fingerprint(await t.snapshot())).toEqual(fingerprint(await open(fixture('table_with_deletion_logs')).snapshot()));
    },
  },
  {
    name: 'garbled commit line (bytes that are not JSON)',
    fixture: 'simple_table',
    damage: (dir) => replaceLine(dir, 3, 1, '\u0000\u0007{"add":{"path":' + '\uFFFD'.repeat(40) + '}}}}'),
    expect: { kind: 'fails', code: 'CORRUPT_COMMIT', path: commitName(3), version: 3, message: ['line 2'] },
  },
  {
    name: 'whole commit file replaced by binary garbage (invalid UTF-8)',
    fixture: 'simple_table',
    damage: (dir) => writeFileSync(commitPath(dir, 1), garbage(4096)),
    expect: { kind: 'fails', code: 'CORRUPT_COMMIT', path: commitName(1), version: 1 },
  },
  {
    name: 'commit line that is JSON but not an object',
    fixture: 'simple_table',
    damage: (dir) => replaceLine(dir, 4, 0, '["add", {"path": "x.parquet"}]'),
    expect: { kind: 'fails', code: 'CORRUPT_COMMIT', path: commitName(4), version: 4, message: ['not a JSON object'] },
  },
  {
    name: 'add action without a path',
    fixture: 'simple_table',
    damage: (dir) =>
      rewriteCommit(dir, 1, (as) => as.map((a) => (a.add ? { add: { ...a.add, path: undefined } } : a))),
    expect: { kind: 'fails', code: 'CORRUPT_COMMIT', path: commitName(1), version: 1, message: ['without a path'] },
  },
  {
    name: 'missing commit in the middle',
    fixture: 'simple_table',
    damage: (dir) => rmSync(commitPath(dir, 2)),
    expect: { kind: 'fails', code: 'MISSING_COMMIT', path: commitName(2), version: 2 },
    also: async (dir, t) => {
      expect((await t.snapshot({ version: 1 })).files.length).toBe(referenceReplay(dir, 1).numFiles);
    },
  },
  {
    name: 'no protocol action anywhere in the log',
    fixture: 'simple_table',
    damage: (dir) => rewriteCommit(dir, 0, (as) => as.filter((a) => !a.protocol)),
    expect: { kind: 'fails', code: 'INVALID_LOG', path: commitName(0), version: 4, message: ['no protocol action'] },
  },

  // ---------------------------------------------------------------- checkpoints
  {
    name: 'missing checkpoint part (multi-part): incomplete checkpoint ignored, commits replayed',
    fixture: 'v1-multi-part-struct-stats-only',
    damage: (dir) => rmSync(join(dir, '_delta_log', '00000000000000000005.checkpoint.0000000002.0000000003.parquet')),
    expect: { kind: 'same' },
    also: async (_dir, t) => {
      const s = await t.snapshot();
      expect(s.segment.checkpoint).toBeUndefined();
      expect(s.segment.warnings.join(' ')).toMatch(/incomplete 3-part checkpoint at version 5/);
    },
  },
  {
    name: 'corrupt checkpoint part (multi-part, replaced by garbage)',
    fixture: 'v1-multi-part-struct-stats-only',
    damage: (dir) => {
      const p = join(dir, '_delta_log', '00000000000000000005.checkpoint.0000000002.0000000003.parquet');
      writeFileSync(p, garbage(statSync(p).size));
    },
    expect: {
      kind: 'fails',
      code: 'CORRUPT_CHECKPOINT',
      path: '_delta_log/00000000000000000005.checkpoint.0000000002.0000000003.parquet',
      version: 5,
    },
    also: async (dir, t) => {
      // time travel before the checkpoint reads only commits
      expect((await t.snapshot({ version: 4 })).files.length).toBe(referenceReplay(dir, 4).numFiles);
    },
  },
  {
    name: 'corrupt checkpoint part (multi-part, footer kept, data bytes overwritten)',
    fixture: 'parquet_row_group_skipping',
    damage: (dir) => {
      const p = join(dir, '_delta_log', '00000000000000000001.checkpoint.0000000003.0000000005.parquet');
      const bytes = readFileSync(p);
      // keep the PAR1 magics and the footer; overwrite everything between with garbage
      const footerLen = bytes.readUInt32LE(bytes.length - 8);
      bytes.set(garbage(bytes.length - 8 - footerLen - 4, 11), 4);
      writeFileSync(p, bytes);
    },
    expect: {
      kind: 'fails',
      code: 'CORRUPT_CHECKPOINT',
      path: '_delta_log/00000000000000000001.checkpoint.0000000003.0000000005.parquet',
      version: 1,
    },
  },
  {
    name: 'truncated classic checkpoint',
    fixture: 'simple_table_with_checkpoint',
    damage: (dir) => {
      const p = join(dir, '_delta_log', '00000000000000000010.checkpoint.parquet');
      truncateSync(p, Math.floor(statSync(p).size / 2));
    },
    expect: { kind: 'fails', code: 'CORRUPT_CHECKPOINT', path: '_delta_log/00000000000000000010.checkpoint.parquet', version: 10 },
  },
  {
    name: 'empty (0-byte) classic checkpoint',
    fixture: 'simple_table_with_checkpoint',
    damage: (dir) => truncateSync(join(dir, '_delta_log', '00000000000000000010.checkpoint.parquet'), 0),
    expect: { kind: 'fails', code: 'CORRUPT_CHECKPOINT', path: '_delta_log/00000000000000000010.checkpoint.parquet', version: 10 },
  },
  {
    name: 'garbled V2 checkpoint (JSON top-level file)',
    fixture: 'v2-checkpoints-json-with-sidecars',
    damage: (dir) => {
      const top = logFiles(dir, '00000000000000000006.checkpoint.')[0];
      const p = join(dir, '_delta_log', top);
      writeFileSync(p, readFileSync(p, 'utf8').replace('"sidecar"', '"sidecar"::'));
    },
    expect: {
      kind: 'fails',
      code: 'CORRUPT_CHECKPOINT',
      path: (dir) => `_delta_log/${logFiles(dir, '00000000000000000006.checkpoint.')[0]}`,
      version: 6,
    },
  },
  {
    name: '_last_checkpoint pointing at a checkpoint that does not exist: listing finds the real one',
    fixture: 'simple_table_with_checkpoint',
    damage: (dir) => writeFileSync(join(dir, '_delta_log', '_last_checkpoint'), '{"version":7,"size":3}'),
    expect: { kind: 'same' },
  },
  {
    name: '_last_checkpoint pointing past the latest version',
    fixture: 'simple_table_with_checkpoint',
    damage: (dir) => writeFileSync(join(dir, '_delta_log', '_last_checkpoint'), '{"version":99,"size":3}'),
    expect: { kind: 'same' },
  },
  {
    name: '_last_checkpoint garbled (binary)',
    fixture: 'simple_table_with_checkpoint',
    damage: (dir) => writeFileSync(join(dir, '_delta_log', '_last_checkpoint'), garbage(64)),
    expect: { kind: 'same' },
  },
  {
    name: '_last_checkpoint with a wrong part count for a multi-part checkpoint',
    fixture: 'v1-multi-part-struct-stats-only',
    damage: (dir) => writeFileSync(join(dir, '_delta_log', '_last_checkpoint'), '{"version":5,"size":10,"parts":7}'),
    expect: { kind: 'same' },
  },
  {
    name: 'missing sidecar (V2 checkpoint, parquet)',
    fixture: 'v2-checkpoints-parquet-with-sidecars',
    damage: (dir) => rmSync(join(dir, '_delta_log', '_sidecars', logFiles(dir, '00000000000000000006.', '_sidecars')[0])),
    expect: {
      kind: 'fails',
      code: 'FILE_NOT_FOUND',
      path: (dir) => `_delta_log/_sidecars/${logFiles(fixture('v2-checkpoints-parquet-with-sidecars'), '00000000000000000006.', '_sidecars')[0]}`,
      version: 6,
      message: ['Sidecar'],
    },
  },
  {
    name: 'missing sidecar (V2 checkpoint, JSON)',
    fixture: 'v2-checkpoints-json-with-sidecars',
    damage: (dir) => rmSync(join(dir, '_delta_log', '_sidecars', logFiles(dir, '00000000000000000006.', '_sidecars')[1])),
    expect: {
      kind: 'fails',
      code: 'FILE_NOT_FOUND',
      path: () => `_delta_log/_sidecars/${logFiles(fixture('v2-checkpoints-json-with-sidecars'), '00000000000000000006.', '_sidecars')[1]}`,
      version: 6,
      message: ['Sidecar'],
    },
  },
  {
    name: 'corrupt sidecar (V2 checkpoint)',
    fixture: 'v2-checkpoints-parquet-with-sidecars',
    damage: (dir) => {
      const p = join(dir, '_delta_log', '_sidecars', logFiles(dir, '00000000000000000006.', '_sidecars')[0]);
      truncateSync(p, 100);
    },
    expect: {
      kind: 'fails',
      code: 'CORRUPT_CHECKPOINT',
      path: () => `_delta_log/_sidecars/${logFiles(fixture('v2-checkpoints-parquet-with-sidecars'), '00000000000000000006.', '_sidecars')[0]}`,
      version: 6,
    },
  },

  // ---------------------------------------------------------------- content
  {
    name: 'stats of the wrong type (numRecords a string, minValues a number, stats not JSON, stats a number)',
    fixture: 'simple_table',
    damage: (dir) => {
      const bad = [
        JSON.stringify({ numRecords: 'many', minValues: 5, maxValues: 'x', nullCount: [1] }),
        'not json {',
        42,
        JSON.stringify([1, 2, 3]),
        JSON.stringify({ numRecords: -1, minValues: null, maxValues: { id: { nested: [] } } }),
      ];
      let k = 0;
      for (let v = 0; v <= 4; v++) rewriteCommit(dir, v, (as) => as.map((a) => (a.add ? { add: { ...a.add, stats: bad[k++ % bad.length] } } : a)));
    },
    expect: {
      kind: 'same',
      // the files and sizes stay; the record counts become unknown
      adjust: (fp) => ({
        ...fp,
        files: fp.files.map((f) => f.replace(/\|[^|]*$/, '|-')).sort(),
        totals: { ...fp.totals, numRecords: null, numFilesWithStats: 0 },
      }),
    },
    also: async (_dir, t) => {
      const s = await t.snapshot();
      for (let i = 0; i < s.files.length; i++) {
        const st = s.files.stats(i);
        // whatever is kept has the types the readers of stats expect
        if (st?.minValues !== undefined) expect(typeof st.minValues).toBe('object');
        if (st?.numRecords !== undefined) expect(Number.isFinite(st.numRecords) && st.numRecords >= 0).toBe(true);
      }
    },
  },
  {
    name: 'enormous strings in commitInfo (5 MB userMetadata, operation parameter, custom field)',
    fixture: 'simple_table',
    damage: (dir) =>
      rewriteCommit(dir, 3, (as) =>
        as.map((a) =>
          a.commitInfo
            ? {
                commitInfo: {
                  ...a.commitInfo,
                  userMetadata: bigString(5 * MB, 'u'),
                  operationParameters: { ...a.commitInfo.operationParameters, predicate: bigString(5 * MB, 'p') },
                  customField: bigString(5 * MB, 'c'),
                },
              }
            : a,
        ),
      ),
    expect: { kind: 'same' },
    also: async (_dir, t) => {
      const h = await t.history();
      const e = h.find((x) => x.version === 3)!;
      expect(e.userMetadata!.length).toBe(5 * MB);
      expect(String(e.operationParameters!.predicate).length).toBe(5 * MB);
      expect(String(e.commitInfo!.customField).length).toBe(5 * MB);
    },
  },
  {
    name: 'enormous partition value (a 2 MB string) and metaData description',
    fixture: 'basic_partitioned',
    damage: (dir) => {
      const add = logLines(dir, 1).find((a) => a.add)!.add;
      const meta = logLines(dir, 0).find((a) => a.metaData)?.metaData ?? logLines(dir, 1).find((a) => a.metaData)!.metaData;
      writeCommit(dir, 2, [
        { commitInfo: { timestamp: 1, operation: 'WRITE' } },
        { metaData: { ...meta, description: bigString(5 * MB, 'd') } },
        { add: { ...add, path: 'huge-partition.parquet', partitionValues: { letter: bigString(2 * MB, 'h') }, dataChange: true } },
      ]);
    },
    // the damaged table has one version more: compare its version 1 with the fixture, and check v2 by hand
    expect: { kind: 'same', version: 1 },
    also: async (dir, t) => {
      const s = await t.snapshot();
      expect(s.version).toBe(2);
      expect(s.files.length).toBe(referenceReplay(dir, 2).numFiles);
      expect(s.metadata.description!.length).toBe(5 * MB);
      let found = 0;
      for (let i = 0; i < s.files.length; i++) {
        const v = s.partitionValues(i).letter;
        if (typeof v === 'string' && v.length === 2 * MB) found++;
      }
      expect(found).toBe(1);
    },
  },
  {
    name: 'unknown actions and unknown fields (readers ignore them)',
    fixture: 'simple_table',
    damage: (dir) => {
      for (let v = 0; v <= 4; v++) {
        rewriteCommit(dir, v, (as) => [
          { futureAction: { anything: [1, 2, 3], nested: { deep: true } } },
          ...as.map((a) => {
            const [k] = Object.keys(a);
            return { [k]: { ...a[k], futureField: { x: 'y' }, futureNumber: 1e308 } };
          }),
          { anotherFutureAction: 'a string' },
          { futureAction: null },
        ]);
      }
    },
    expect: { kind: 'same' },
  },
  {
    name: 'unknown actions and fields in a V2 JSON checkpoint',
    fixture: 'v2-checkpoints-json-without-sidecars',
    damage: (dir) => {
      const top = join(dir, '_delta_log', logFiles(dir, '00000000000000000002.checkpoint.')[0]);
      const lines = readFileSync(top, 'utf8').split('\n').filter((l) => l.trim());
      const out = lines.map((l) => {
        const a = JSON.parse(l);
        const [k] = Object.keys(a);
        return JSON.stringify({ [k]: { ...a[k], futureField: 'x' } });
      });
      out.push(JSON.stringify({ futureCheckpointAction: { v: 1 } }));
      writeFileSync(top, out.join('\n') + '\n');
    },
    expect: { kind: 'same' },
  },
  {
    name: 'unknown writer-only feature (readers ignore writer features)',
    fixture: 'simple_table',
    damage: (dir) =>
      writeCommit(dir, 5, [
        { commitInfo: { timestamp: 1, operation: 'UPGRADE PROTOCOL' } },
        { protocol: { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['futureWriterFeature'] } },
      ]),
    expect: { kind: 'same', version: 4 },
    also: async (_dir, t) => {
      const s = await t.snapshot();
      expect(s.version).toBe(5);
      expect(s.protocol.writerFeatures).toEqual(['futureWriterFeature']);
      const base = fingerprint(await open(fixture('simple_table')).snapshot());
      expect(fingerprint(s).files).toEqual(base.files);
    },
  },
  {
    name: 'unknown reader feature',
    fixture: 'simple_table',
    damage: (dir) =>
      writeCommit(dir, 5, [
        { commitInfo: { timestamp: 1, operation: 'UPGRADE PROTOCOL' } },
        { protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['futureFeature'], writerFeatures: ['futureFeature'] } },
      ]),
    expect: { kind: 'fails', code: 'UNSUPPORTED_READER_FEATURE', path: commitName(5), version: 5, message: ['futureFeature'] },
    also: async (_dir, t) => {
      // metadata views still get the snapshot; the version before the upgrade reads normally
      const s = await t.snapshot({}, { allowUnsupported: true });
      expect(s.readSupportProblems.join(' ')).toContain('futureFeature');
      expect(fingerprint(await t.snapshot({ version: 4 }))).toEqual(fingerprint(await open(fixture('simple_table')).snapshot()));
    },
  },
  {
    name: 'minReaderVersion 99',
    fixture: 'simple_table',
    damage: (dir) =>
      writeCommit(dir, 5, [{ commitInfo: { timestamp: 1, operation: 'UPGRADE PROTOCOL' } }, { protocol: { minReaderVersion: 99, minWriterVersion: 99 } }]),
    expect: { kind: 'fails', code: 'UNSUPPORTED_READER_FEATURE', path: commitName(5), version: 5, message: ['99'] },
  },
];

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('bad input: every damaged copy ends in the undamaged snapshot or a typed error naming file and version', () => {
  for (const c of CASES) {
    it(`${c.fixture}: ${c.name}`, async () => {
      const dir = copyFixture(c.fixture);
      made.push(dir);
      c.damage(dir);
      const table = open(dir);
      await within(BOUND_MS, (async () => {
        if (c.expect.kind === 'same') {
          const target = c.expect.version !== undefined ? { version: c.expect.version } : {};
          const got = fingerprint(await table.snapshot(target));
          const base = fingerprint(await open(fixture(c.fixture)).snapshot(target));
          expect(got).toEqual(c.expect.adjust ? c.expect.adjust(base) : base);
          // and the independent forward replay agrees, where the damaged copy has the whole history
          if (hasFullHistory(dir, got.version)) {
            const ref = referenceReplay(dir, got.version);
            expect(got.files.length).toBe(ref.numFiles);
            expect(got.totals.sizeInBytes).toBe(ref.sizeBytes);
            expect(got.metadata.schemaString).toBe(ref.metaData.schemaString);
          }
        } else {
          const e = c.expect;
          const err = await thrown(table.snapshot(e.target !== undefined ? { version: e.target } : {}, e.options));
          expect(err.code, err.message).toBe(e.code);
          const path = typeof e.path === 'function' ? e.path(dir) : e.path;
          expect(err.path).toBe(path);
          expect(err.version).toBe(e.version);
          // the message alone says which file and which version
          expect(err.message).toContain(path.split('/').pop()!);
          expect(err.message).toMatch(new RegExp(`version ${e.version}\\b`));
          for (const m of e.message ?? []) expect(err.message).toMatch(m);
          expect(err).toBeInstanceOf(DeltaError);
        }
        await c.also?.(dir, table);
      })(), c.name);
    }, BOUND_MS + 5_000);
  }
});

describe('the time bound itself', () => {
  it('fails a promise that never settles', async () => {
    await expect(within(50, new Promise(() => {}))).rejects.toThrow(/timed out/);
  });
  it('a case table entry whose damage is not detected fails (the suite can fail)', async () => {
    // an undamaged copy must not satisfy a "fails" expectation
    const dir = copyFixture('simple_table');
    made.push(dir);
    await expect(thrown(open(dir).snapshot())).rejects.toThrow(/nothing was thrown/);
    appendFileSync(commitPath(dir, 4), '\n'); // a trailing blank line is still a valid commit
    expect(lineCount(dir, 4)).toBe(lineCount(fixture('simple_table'), 4));
    expect(fingerprint(await open(dir).snapshot())).toEqual(fingerprint(await open(fixture('simple_table')).snapshot()));
  });
});
