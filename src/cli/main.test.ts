/**
 * The CLI run for real: `node bin/delta-explorer.mjs ...` as a subprocess (through tsx, as a user
 * runs it) on the fixture tables. Expected values come from sources independent of the CLI: the
 * fixture MANIFEST, the writers' `.crc` files and the raw commit JSON. Each start costs ~0.5 s, so
 * the tests run concurrently.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'vitest';
import { commitVersions, fixture, manifestEntry, readCrc } from '../../test/fixtures.ts';
import { DeltaError, loadSnapshot } from '../delta/index.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join('bin', 'delta-explorer.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const runs = new Map<string, Promise<Run>>();

/** Runs the CLI with `args` from the repository root (once per distinct argument list). */
function cli(...args: string[]): Promise<Run> {
  const key = JSON.stringify(args);
  let run = runs.get(key);
  if (!run) {
    run = spawn(args);
    runs.set(key, run);
  }
  return run;
}

function spawn(args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** Runs the CLI with `--json`, checks success and returns the parsed document. */
async function json(...args: string[]): Promise<any> {
  const r = await cli(...args, '--json');
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The commitInfo of a commit file, read directly. */
function commitInfo(dir: string, version: number): any {
  const text = readFileSync(join(dir, '_delta_log', `${String(version).padStart(20, '0')}.json`), 'utf8');
  for (const line of text.split('\n')) if (line.includes('"commitInfo"')) return JSON.parse(line).commitInfo;
  return undefined;
}

/** The last metaData action in the JSON commits, read directly. */
function lastMetaData(dir: string): any {
  let md: any;
  for (const v of commitVersions(dir)) {
    const text = readFileSync(join(dir, '_delta_log', `${String(v).padStart(20, '0')}.json`), 'utf8');
    for (const line of text.split('\n')) if (line.includes('"metaData"')) md = JSON.parse(line).metaData;
  }
  return md;
}

/** Asserts a failure: the status, exactly one stderr line, and nothing on stdout. */
function expectFailure(expect: any, r: Run, code: number): string {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(r.stderr.endsWith('\n')).toBe(true);
  return lines[0];
}

// Generous timeout: every test waits for subprocesses, which crawl when the machine is busy.
describe.concurrent('delta-explorer CLI', { timeout: 180_000 }, () => {
  describe('info', () => {
    for (const name of ['table_with_deletion_logs', 'basic_partitioned', 'table-with-dv-small-kernel', 'table_with_column_mapping', 'cdc_ict_table', 'v2-checkpoints-parquet-with-sidecars']) {
      it(`--json on ${name} matches the MANIFEST`, async ({ expect }) => {
        const m = manifestEntry(name);
        const d = await json('info', fixture(name));
        expect(d.format).toBe('delta');
        expect(d.location).toBe(fixture(name));
        expect(d.version).toBe(m.latest_version);
        expect(d.minReaderVersion).toBe(m.protocol!.minReaderVersion);
        expect(d.minWriterVersion).toBe(m.protocol!.minWriterVersion);
        expect(d.readerFeatures).toEqual(m.protocol!.readerFeatures);
        expect(d.writerFeatures).toEqual(m.protocol!.writerFeatures);
        for (const f of [...(m.protocol!.readerFeatures ?? []), ...(m.protocol!.writerFeatures ?? [])]) expect(d.tableFeatures).toContain(f);
        expect(d.partitionColumns).toEqual(m.partition_columns);
        expect(d.properties).toEqual(m.table_properties);
        if (m.num_rows_expected !== null) expect(d.numRecords).toBe(m.num_rows_expected);
        if (m.num_active_files_expected !== null) expect(d.numFiles).toBe(m.num_active_files_expected);
        expect(d.readSupportProblems).toEqual([]);
        for (const k of ['id', 'name', 'description', 'createdAt', 'lastModified', 'clusteringColumns', 'sizeInBytes', 'numDeletedRecords']) expect(d).toHaveProperty(k);
      });
    }

    it('row counts: table-with-dv-small-kernel has 8 rows, basic_partitioned 6', async ({ expect }) => {
      const [dv, part] = await Promise.all([json('info', fixture('table-with-dv-small-kernel')), json('info', fixture('basic_partitioned'))]);
      expect(dv.numRecords).toBe(8);
      expect(dv.numDeletedRecords).toBeGreaterThan(0);
      expect(part.numRecords).toBe(6);
      expect(part.tableFeatures).toEqual(['appendOnly', 'invariants']); // implied by writer version 2
    });

    it('table_with_deletion_logs agrees with its .crc files, latest and --version 3', async ({ expect }) => {
      const dir = fixture('table_with_deletion_logs');
      const [latest, v3] = await Promise.all([json('info', dir), json('info', dir, '--version', '3')]);
      for (const [d, v] of [[latest, 20], [v3, 3]] as const) {
        const crc = readCrc(dir, v);
        expect(d.version).toBe(v);
        expect(d.numFiles).toBe(crc.numFiles);
        expect(d.sizeInBytes).toBe(crc.tableSizeBytes);
        expect(d.numDeletedRecords).toBe(crc.numDeletedRecordsOpt);
        expect(d.id).toBe(crc.metadata.id);
        expect(d.createdAt).toBe(new Date(crc.metadata.createdTime).toISOString());
      }
      expect(v3.numDeletedRecords).toBe(1);
    });

    it('clusteringColumns from the clustering domain (legacy delta.liquid)', async ({ expect }) => {
      const d = await json('info', fixture('table_with_liquid_clustering'));
      // Independent record: the table property the writer set alongside the domain.
      expect(d.clusteringColumns).toEqual(d.properties['delta.liquid.clusteringColumns'].split(','));
    });

    it('human output: aligned fields, sizes in bytes and KiB', async ({ expect }) => {
      const r = await cli('info', fixture('table_with_deletion_logs'));
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^format +delta$/m);
      expect(r.stdout).toMatch(/^sizeInBytes +10499 \(10\.3 KiB\)$/m);
      expect(r.stdout).toMatch(/^numDeletedRecords +2$/m);
    });
  });

  describe('time travel', () => {
    const dir = fixture('cdc_ict_table');
    const ict = (v: number) => commitInfo(dir, v).inCommitTimestamp as number;

    it('--timestamp picks the version current at that time (in-commit timestamps)', async ({ expect }) => {
      const at = (ms: number) => json('info', dir, '--timestamp', new Date(ms).toISOString());
      const [before3, exact3] = await Promise.all([at(ict(3) - 1), at(ict(3))]);
      expect(before3.version).toBe(2);
      expect(exact3.version).toBe(3);
      expect(before3.lastModified).toBe(new Date(ict(2)).toISOString());
      expect(exact3.lastModified).toBe(new Date(ict(3)).toISOString());
    });

    it('a timestamp before the first commit fails with exit 1', async ({ expect }) => {
      const line = expectFailure(expect, await cli('schema', dir, '--timestamp', '2001-01-01T00:00:00Z'), 1);
      expect(line).toMatch(/before the earliest available commit/);
    });

    it('a version past the latest fails with VERSION_NOT_FOUND', async ({ expect }) => {
      const r = await cli('info', fixture('basic_partitioned'), '--version', '99');
      const line = expectFailure(expect, r, 1);
      const err = await loadSnapshot(new NodeFsStore(fixture('basic_partitioned')), { version: 99 }).catch((e) => e);
      expect(err).toBeInstanceOf(DeltaError);
      expect((err as DeltaError).code).toBe('VERSION_NOT_FOUND');
      const hint = (err as DeltaError).hint;
      expect(line).toBe(`error: ${(err as DeltaError).message}${hint ? ` (${hint.replace(/\.$/, '')})` : ''}`);
    });
  });

  describe('history', () => {
    it('--json: one row per commit file, newest first, DESCRIBE HISTORY columns', async ({ expect }) => {
      const dir = fixture('table_with_deletion_logs');
      const rows = await json('history', dir);
      const versions = commitVersions(dir);
      expect(rows).toHaveLength(versions.length);
      expect(rows.map((r: any) => r.version)).toEqual([...versions].reverse());
      for (const r of rows) {
        const ci = commitInfo(dir, r.version);
        expect(r.operation).toBe(ci.operation);
        expect(r.readVersion).toBe(ci.readVersion ?? null);
        expect(r.engineInfo).toBe(ci.engineInfo ?? null);
        expect(r.notebook).toEqual(ci.notebook ?? null);
        expect(Object.keys(r)).toEqual([
          'version', 'timestamp', 'userId', 'userName', 'operation', 'operationParameters', 'job', 'notebook', 'clusterId',
          'readVersion', 'isolationLevel', 'isBlindAppend', 'operationMetrics', 'userMetadata', 'engineInfo',
        ]);
        expect(Number.isNaN(Date.parse(r.timestamp))).toBe(false);
      }
    });

    it('timestamps are the in-commit timestamps; --limit keeps the newest rows', async ({ expect }) => {
      const dir = fixture('cdc_ict_table');
      const rows = await json('history', dir, '--limit', '2');
      expect(rows.map((r: any) => r.version)).toEqual([3, 2]);
      for (const r of rows) expect(r.timestamp).toBe(new Date(commitInfo(dir, r.version).inCommitTimestamp).toISOString());
    });

    it('human output: a table, newest first', async ({ expect }) => {
      const r = await cli('history', fixture('basic_partitioned'));
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^VERSION +TIMESTAMP +OPERATION/);
      expect(lines.slice(1).map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual([1, 0]);
    });
  });

  describe('schema', () => {
    it('--json on table_with_column_mapping shows the physical names and ids of its log', async ({ expect }) => {
      const dir = fixture('table_with_column_mapping');
      const d = await json('schema', dir);
      const logFields = JSON.parse(lastMetaData(dir).schemaString).fields;
      expect(d.columnMappingMode).toBe('name');
      expect(d.fields.map((f: any) => f.name)).toEqual(logFields.map((f: any) => f.name));
      for (const [i, f] of logFields.entries()) {
        expect(d.fields[i].physicalName).toBe(f.metadata['delta.columnMapping.physicalName']);
        expect(d.fields[i].columnMappingId).toBe(f.metadata['delta.columnMapping.id']);
        expect(d.fields[i].type).toBe('string');
        expect(d.fields[i].nullable).toBe(f.nullable);
      }
      const human = await cli('schema', dir);
      expect(human.code).toBe(0);
      for (const f of logFields) expect(human.stdout).toContain(f.metadata['delta.columnMapping.physicalName']);
    });

    it("--json nests struct fields and names types in Delta's names (as the app)", async ({ expect }) => {
      const d = await json('schema', fixture('delta-1.2.1-only-struct-stats'));
      const byName = (list: any[], n: string) => list.find((f) => f.name === n);
      expect(byName(d.fields, 'integer')).toMatchObject({ type: 'integer', nullable: false });
      expect(byName(d.fields, 'decimal').type).toBe('decimal(8,5)');
      const nested = byName(d.fields, 'nested_struct');
      expect(nested.type).toBe('struct<struct_element:struct<nested_struct_element:string>>');
      expect(nested.fields[0].fields[0]).toMatchObject({ name: 'nested_struct_element', type: 'string' });
      const arr = byName(byName(d.fields, 'struct_of_array_of_map').fields, 'struct_element');
      expect(arr.element.type).toBe('map<string,string>');
      expect(arr.element.value.type).toBe('string');
    });

    it('type changes appear in the human output', async ({ expect }) => {
      const r = await cli('schema', fixture('type-widening'));
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^int_long +long +true +type changes: integer → long/m);
    });
  });

  describe('files', () => {
    it('--json lists every active file with typed partition values', async ({ expect }) => {
      const d = await json('files', fixture('basic_partitioned'));
      expect(d.files).toHaveLength(6);
      expect(d.numFiles).toBe(6);
      expect(d.partitionColumns).toEqual(['letter']);
      expect(d.files.reduce((s: number, f: any) => s + f.numRecords, 0)).toBe(6);
      expect(d.files.map((f: any) => f.partitionValues.letter).sort()).toEqual(['a', 'a', 'b', 'c', 'e', null].sort());
      expect(d.files.every((f: any) => f.stats && 'number' in f.stats)).toBe(true);
    });

    it('--json shows the deletion vector cardinality; --limit cuts the list', async ({ expect }) => {
      const dir = fixture('table_with_deletion_logs');
      const [all, cut] = await Promise.all([json('files', dir), json('files', fixture('basic_partitioned'), '--limit', '2')]);
      const crc = readCrc(dir, 20);
      expect(all.files).toHaveLength(crc.numFiles);
      expect(all.files.reduce((s: number, f: any) => s + (f.deletionVector?.cardinality ?? 0), 0)).toBe(crc.numDeletedRecordsOpt);
      expect(cut.files).toHaveLength(2);
      expect(cut.numFiles).toBe(6);
    });

    it('stats read from checkpoint stats_parsed look like the JSON stats of the same table', async ({ expect }) => {
      // delta-1.2.1-only-struct-stats: most files' stats exist only as the checkpoint's struct
      // column; its commits' JSON stats give decimal -5.67800 and date 2022-10-24 for every file.
      const d = await json('files', fixture('delta-1.2.1-only-struct-stats'));
      expect(d.files.length).toBeGreaterThan(2);
      for (const f of d.files) {
        expect(f.stats.decimal).toEqual({ min: -5.678, max: -5.678, nullCount: 0 });
        expect(f.stats.date.min).toBe('2022-10-24');
        expect(f.stats.timestamp.min).toMatch(/^2022-10-24T\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(f.stats['nested_struct.struct_element.nested_struct_element'].min).toBe('nested_struct_value');
      }
    });

    it('human output: a table and a footer', async ({ expect }) => {
      const r = await cli('files', fixture('basic_partitioned'));
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^PATH +SIZE +PARTITION +RECORDS/);
      expect(r.stdout).toContain('letter=null');
      expect(r.stdout).toMatch(/^6 files, 4505 bytes \(4\.4 KiB\)$/m);
    });
  });

  describe('tables with unsupported reader features', () => {
    it('info works on table-with-geo, with one warning line on stderr', async ({ expect }) => {
      const r = await cli('info', fixture('table-with-geo'));
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^readerFeatures +geospatial$/m);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^warning: .*geospatial/);
    });

    it('schema --json works too and info --json lists the problem', async ({ expect }) => {
      const [s, i] = await Promise.all([json('schema', fixture('table-with-geo')), json('info', fixture('table-with-geo'))]);
      expect(s.fields.length).toBeGreaterThan(0);
      expect(i.readSupportProblems.join(' ')).toMatch(/geospatial/);
    });
  });

  describe('errors and usage', () => {
    it('a path that does not exist: exit 1, one line, nothing on stdout', async ({ expect }) => {
      const line = expectFailure(expect, await cli('info', 'no/such/table'), 1);
      expect(line).toContain(join(ROOT, 'no/such/table'));
    });

    it('a folder that is not a table: exit 1 with the core message', async ({ expect }) => {
      const line = expectFailure(expect, await cli('files', fixture('crc-malformed'), '--json'), 1);
      expect(line).toMatch(/No Delta log found/);
    });

    it('usage errors exit 2', async ({ expect }) => {
      const runs = await Promise.all([
        cli('info', fixture('basic_partitioned'), '--bogus'),
        cli('info'),
        cli('info', fixture('basic_partitioned'), '--version', '1', '--timestamp', '2024-01-01'),
        cli('history', fixture('basic_partitioned'), '--version', '1'),
      ]);
      for (const r of runs) expectFailure(expect, r, 2);
      expect(runs[0].stderr).toMatch(/--bogus/);
    });

    it('--help prints usage on stdout and exits 0', async ({ expect }) => {
      const [general, info] = await Promise.all([cli('--help'), cli('info', '--help')]);
      expect(general.code).toBe(0);
      expect(general.stdout).toMatch(/^Usage: delta-explorer <command> <table-path>/);
      for (const c of ['info', 'history', 'schema', 'files']) expect(general.stdout).toContain(`  ${c} `);
      expect(general.stdout).toMatch(/ISO-8601/);
      expect(info.code).toBe(0);
      expect(info.stdout).toMatch(/^Usage: delta-explorer info <table-path>/);
    });
  });
});
