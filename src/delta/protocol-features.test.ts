/**
 * Tables with protocol features this reader explains but does not read (protocol "Table Features",
 * "Catalog-managed tables"; the geospatial RFC; delta-kernel-rs's adaptive-metadata work): the
 * metadata opens, the explanation says what may be stale or missing, a data read refuses with an
 * error that names the feature.
 *
 * table-with-geo and simple_table_features are corpus tables (delta-kernel-rs test data). No writer
 * on this machine produces catalog-managed or adaptiveMetadata-preview tables, so those are BUILT
 * FROM THE SPEC at run time: simple_table's commit 0 gets the protocol the spec requires
 * ("Catalog-managed Table Enablement": reader 3 / writer 7, the feature in both lists, with
 * inCommitTimestamp), and a ratified-but-unpublished commit is left in `_delta_log/_staged_commits/`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, fixture, thrown } from '../../test/fixtures.ts';
import { summarizeSnapshot } from '../workers/summary.ts';
import { NodeFsStore } from './storage/node-fs.ts';
import { DeltaTable } from './table.ts';

/** A copy of simple_table whose commit 0 carries `protocol` instead of its own. */
function withProtocol(protocol: object): string {
  const dir = copyFixture('simple_table');
  const p = join(dir, '_delta_log', '00000000000000000000.json');
  const lines = readFileSync(p, 'utf8').split('\n').filter((l) => l.trim());
  writeFileSync(p, lines.map((l) => (l.startsWith('{"protocol"') ? JSON.stringify({ protocol }) : l)).join('\n') + '\n');
  return dir;
}

async function metadataAndRefusal(dir: string) {
  const table = new DeltaTable(new NodeFsStore(dir));
  const snap = await table.snapshot({}, { allowUnsupported: true });
  const summary = summarizeSnapshot('t', snap, 0);
  const err = await thrown(table.snapshot());
  let readErr: Error | undefined;
  try {
    snap.assertReadable();
  } catch (e) {
    readErr = e as Error;
  }
  return { snap, summary, err, readErr };
}

describe('features explained, data refused', () => {
  it('catalogManaged (built from the spec): metadata with the staleness note; reads refused', async () => {
    for (const f of ['catalogManaged', 'catalogOwned-preview']) {
      const dir = withProtocol({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [f], writerFeatures: [f, 'inCommitTimestamp'] });
      mkdirSync(join(dir, '_delta_log', '_staged_commits'));
      writeFileSync(
        join(dir, '_delta_log', '_staged_commits', '00000000000000000005.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.json'),
        '{"commitInfo":{"timestamp":1700000000000,"inCommitTimestamp":1700000000000,"txnId":"x"}}\n',
      );
      const { snap, summary, err, readErr } = await metadataAndRefusal(dir);
      // The published log ends at 4; the staged commit 5 is not part of what the folder can show.
      expect(snap.version).toBe(4);
      expect(summary.warnings.join(' ')).toContain('may be stale');
      expect(summary.warnings.join(' ')).toContain('_delta_log/_staged_commits/');
      expect(summary.features.find((x) => x.name === f)).toMatchObject({ supported: false, kind: 'reader-writer' });
      expect(err.code).toBe('UNSUPPORTED_READER_FEATURE');
      expect(err.message).toContain(`"${f}"`);
      expect(err.message).toContain('managing catalog');
      expect(readErr?.message).toContain(`"${f}"`);
    }
  });

  it('geospatial (corpus table-with-geo): named with what it is', async () => {
    const { summary, err, readErr } = await metadataAndRefusal(fixture('table-with-geo'));
    expect(summary.features.find((x) => x.name === 'geospatial')).toMatchObject({ supported: false });
    expect(summary.readSupportProblems.join(' ')).toContain('"geospatial" (Geospatial types');
    expect(err.message).toContain('geometry and geography');
    expect(readErr?.message).toContain('"geospatial"');
  });

  it('adaptiveMetadata-preview (built from the spec) and an unknown feature (corpus simple_table_features)', async () => {
    const am = await metadataAndRefusal(
      withProtocol({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['adaptiveMetadata-preview'], writerFeatures: ['adaptiveMetadata-preview'] }),
    );
    expect(am.err.message).toContain('"adaptiveMetadata-preview" (Adaptive metadata');
    expect(am.readErr?.message).toContain('adaptiveMetadata-preview');
    const unknown = await metadataAndRefusal(fixture('simple_table_features'));
    expect(unknown.err.message).toContain('"blahabl" (unknown feature)');
    expect(unknown.summary.features.find((x) => x.name === 'blahabl')).toMatchObject({ supported: false, description: 'Unknown feature' });
  });
});
