import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeltaError } from './errors.ts';
import {
  catalogManagedExplanation,
  catalogManagedFeature,
  checkReadSupport,
  describeFeature,
  effectiveFeatures,
  FEATURE_DESCRIPTIONS,
  featureKind,
  readerFeatureProblems,
  SUPPORTED_READER_FEATURES,
  unsupportedReaderFeatures,
  type Protocol,
} from './features.ts';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures');
const TABLES = join(FIXTURES, 'tables');

interface ManifestEntry {
  name: string;
  protocol: Protocol | null;
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'MANIFEST.json'), 'utf8')) as ManifestEntry[];

/** The latest `protocol` action of a table's JSON commits, if any. */
function protocolFromLog(table: string): Protocol | undefined {
  const dir = join(TABLES, table, '_delta_log');
  let protocol: Protocol | undefined;
  for (const f of readdirSync(dir).filter((x) => /^\d{20}\.json$/.test(x)).sort()) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const a = JSON.parse(line) as { protocol?: Protocol };
      if (a.protocol) protocol = a.protocol;
    }
  }
  return protocol;
}

function catchError(fn: () => unknown): DeltaError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DeltaError) return e;
    throw e;
  }
  throw new Error('expected a DeltaError');
}

/** Tables the reader must refuse, with the reason (from each table's protocol action). */
const REFUSED: Record<string, string> = {
  // {"minReaderVersion":3,...,"readerFeatures":["geospatial"]}
  'table-with-geo': 'geospatial',
  // {"minReaderVersion":5,...,"readerFeatures":["columnMapping","blahabl",...]}
  simple_table_features: 'blahabl',
};

describe('checkReadSupport on every fixture table', () => {
  it('refuses exactly the tables that need unsupported reader features', () => {
    const refused: string[] = [];
    let checked = 0;
    const tables = readdirSync(TABLES).sort();
    expect(manifest.map((m) => m.name).sort()).toEqual(tables);
    for (const table of tables) {
      const fromLog = protocolFromLog(table);
      const fromManifest = manifest.find((m) => m.name === table)!.protocol ?? undefined;
      if (fromLog && fromManifest) {
        // The manifest records the protocol with null feature lists; the log omits them.
        expect(fromManifest.minReaderVersion, table).toBe(fromLog.minReaderVersion);
        expect(fromManifest.readerFeatures ?? undefined, table).toEqual(fromLog.readerFeatures);
      }
      const protocol = fromLog ?? fromManifest;
      if (!protocol) {
        expect(table).toBe('crc-malformed'); // no protocol anywhere: only a corrupt .crc file
        continue;
      }
      checked++;
      try {
        checkReadSupport(protocol, { path: table });
        expect(readerFeatureProblems(protocol), table).toEqual([]);
      } catch (e) {
        expect(e).toBeInstanceOf(DeltaError);
        expect((e as DeltaError).code).toBe('UNSUPPORTED_READER_FEATURE');
        expect((e as DeltaError).message, table).toContain(REFUSED[table]);
        refused.push(table);
      }
    }
    expect(refused.sort()).toEqual(Object.keys(REFUSED).sort());
    expect(checked).toBe(tables.length - 1);
  });

  it('names the features and the version in the message', () => {
    const geo = protocolFromLog('table-with-geo')!;
    const e = catchError(() => checkReadSupport(geo, { version: 0, path: '_delta_log/00000000000000000000.json' }));
    expect(e.message).toContain('"geospatial"');
    expect(e.message).toContain('geometry and geography');
    expect(e.message).toContain('version 0');
    expect(e.version).toBe(0);
    expect(e.path).toBe('_delta_log/00000000000000000000.json');
    expect(e.hint).toMatch(/engine that supports/);

    // simple_table_features: reader version 5 AND the unknown feature blahabl.
    const stf = protocolFromLog('simple_table_features')!;
    expect(unsupportedReaderFeatures(stf)).toEqual(['blahabl']);
    const problems = readerFeatureProblems(stf);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('reader version 5');
    expect(problems[1]).toContain('"blahabl" (unknown feature)');

    // {"readerFeatures":["variantShredding-preview","variantType"]}: shredded variants are read (src/query/variant.ts).
    const shredded = protocolFromLog('spark-shredded-variant-preview-delta')!;
    expect(unsupportedReaderFeatures(shredded)).toEqual([]);
  });

  it('accepts the supported features seen in fixtures', () => {
    // Raw protocols of type-widening, unshredded-variant, spark-variant-stable-feature-checkpoint,
    // stats-writing-all-types, checkpoint-v2-table and partitioned_with_materialize_feature.
    for (const table of [
      'type-widening',
      'unshredded-variant',
      'spark-variant-stable-feature-checkpoint',
      'stats-writing-all-types',
      'checkpoint-v2-table',
      'partitioned_with_materialize_feature',
      'cdf-column-mapping-name-mode',
    ]) {
      expect(() => checkReadSupport(protocolFromLog(table)!), table).not.toThrow();
    }
  });
});

describe('checkReadSupport synthetic protocols', () => {
  it('refuses a reader version above 3', () => {
    const e = catchError(() => checkReadSupport({ minReaderVersion: 99, minWriterVersion: 7 }));
    expect(e.code).toBe('UNSUPPORTED_READER_FEATURE');
    expect(e.message).toContain('reader version 99');
    expect(e.message).toContain('1 to 3');
  });

  it('accepts reader versions 1 and 2 whatever the writer features', () => {
    expect(() => checkReadSupport({ minReaderVersion: 1, minWriterVersion: 2 })).not.toThrow();
    // Protocol "Protocol Evolution" example: reader 2 / writer 7 with writer features only.
    expect(() =>
      checkReadSupport({ minReaderVersion: 2, minWriterVersion: 7, writerFeatures: ['columnMapping', 'identityColumns'] }),
    ).not.toThrow();
    // Feature lists are ignored below reader version 3.
    expect(() => checkReadSupport({ minReaderVersion: 2, minWriterVersion: 7, readerFeatures: ['geospatial'] })).not.toThrow();
  });

  it('accepts every supported reader feature and refuses the others', () => {
    expect(() =>
      checkReadSupport({
        minReaderVersion: 3,
        minWriterVersion: 7,
        readerFeatures: [...SUPPORTED_READER_FEATURES],
        writerFeatures: [...SUPPORTED_READER_FEATURES],
      }),
    ).not.toThrow();
    for (const f of ['geospatial', 'catalogManaged', 'catalogOwned-preview', 'adaptiveMetadata-preview', 'somethingNew']) {
      const e = catchError(() => checkReadSupport({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [f], writerFeatures: [f] }));
      expect(e.code).toBe('UNSUPPORTED_READER_FEATURE');
      expect(e.message).toContain(`"${f}"`);
    }
    const two = catchError(() =>
      checkReadSupport({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['a1', 'deletionVectors', 'b2'] }),
    );
    expect(two.message).toContain('reader features "a1" (unknown feature); "b2" (unknown feature)');
  });

  it('explains catalog-managed tables: what may be stale and where the authoritative state lives', () => {
    // Protocol "Catalog-managed tables"; no writer available here produces one, so the protocol
    // action is written from the spec ("Catalog-managed Table Enablement": reader 3 / writer 7,
    // the feature in both lists, inCommitTimestamp required of writers).
    for (const f of ['catalogManaged', 'catalogOwned-preview']) {
      const p: Protocol = { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [f, 'deletionVectors'], writerFeatures: [f, 'deletionVectors', 'inCommitTimestamp'] };
      expect(catalogManagedFeature(p)).toBe(f);
      const e = catchError(() => checkReadSupport(p, { version: 4 }));
      expect(e.code).toBe('UNSUPPORTED_READER_FEATURE');
      expect(e.message).toContain(`"${f}"`);
      expect(e.message).toContain('managing catalog');
      expect(e.message).toContain('_delta_log/_staged_commits/');
      expect(e.hint).toContain('catalog');
      const text = catalogManagedExplanation(p)!;
      expect(text).toContain('may be stale');
      expect(text).toContain('_delta_log/_staged_commits/');
      // One problem sentence for the feature, none duplicated as "does not support".
      expect(readerFeatureProblems(p)).toHaveLength(1);
    }
    // Listed only as a writer feature (not active for readers), or below reader 3: not catalog-managed.
    expect(catalogManagedFeature({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [], writerFeatures: ['catalogManaged'] })).toBeUndefined();
    expect(catalogManagedExplanation({ minReaderVersion: 1, minWriterVersion: 2 })).toBeUndefined();
  });

  it('names adaptiveMetadata-preview and unknown features with what they are', () => {
    const p: Protocol = { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['adaptiveMetadata-preview', 'zorderV9'], writerFeatures: [] };
    const e = catchError(() => checkReadSupport(p));
    expect(e.message).toContain('"adaptiveMetadata-preview" (Adaptive metadata');
    expect(e.message).toContain('"zorderV9" (unknown feature)');
  });

  it('tolerates known writer-only features listed as reader features and missing lists', () => {
    expect(() => checkReadSupport({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['appendOnly'] })).not.toThrow();
    expect(() => checkReadSupport({ minReaderVersion: 3, minWriterVersion: 7 })).not.toThrow();
    expect(() => checkReadSupport({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: null })).not.toThrow();
  });

  it('reports an invalid reader version', () => {
    expect(readerFeatureProblems({ minReaderVersion: 0, minWriterVersion: 2 })[0]).toContain('not a valid reader version');
    expect(catchError(() => checkReadSupport({ minReaderVersion: 1.5, minWriterVersion: 2 })).code).toBe('UNSUPPORTED_READER_FEATURE');
  });
});

describe('effectiveFeatures', () => {
  it('derives legacy features from versions (protocol "Writer Version Requirements")', () => {
    expect(effectiveFeatures({ minReaderVersion: 1, minWriterVersion: 1 }).all).toEqual([]);
    expect(effectiveFeatures({ minReaderVersion: 1, minWriterVersion: 2 })).toEqual({
      readerFeatures: [],
      writerFeatures: ['appendOnly', 'invariants'],
      all: ['appendOnly', 'invariants'],
      legacy: true,
    });
    expect(effectiveFeatures({ minReaderVersion: 1, minWriterVersion: 3 }).writerFeatures).toEqual([
      'appendOnly',
      'invariants',
      'checkConstraints',
    ]);
    expect(effectiveFeatures({ minReaderVersion: 1, minWriterVersion: 4 }).writerFeatures).toEqual([
      'appendOnly',
      'invariants',
      'checkConstraints',
      'changeDataFeed',
      'generatedColumns',
    ]);
    // cdf-column-mapping-id-mode: {"minReaderVersion":2,"minWriterVersion":5}
    expect(effectiveFeatures(protocolFromLog('cdf-column-mapping-id-mode')!)).toEqual({
      readerFeatures: ['columnMapping'],
      writerFeatures: ['appendOnly', 'invariants', 'checkConstraints', 'changeDataFeed', 'generatedColumns', 'columnMapping'],
      all: ['columnMapping', 'appendOnly', 'invariants', 'checkConstraints', 'changeDataFeed', 'generatedColumns'],
      legacy: true,
    });
    // issue-2152: {"minReaderVersion":1,"minWriterVersion":6}
    expect(effectiveFeatures(protocolFromLog('issue-2152')!).writerFeatures.at(-1)).toBe('identityColumns');
  });

  it('uses the explicit lists at reader 3 / writer 7', () => {
    // cdc_ict_table: {"minReaderVersion":1,"minWriterVersion":7,"writerFeatures":["inCommitTimestamp","changeDataFeed","invariants","appendOnly"]}
    expect(effectiveFeatures(protocolFromLog('cdc_ict_table')!)).toEqual({
      readerFeatures: [],
      writerFeatures: ['inCommitTimestamp', 'changeDataFeed', 'invariants', 'appendOnly'],
      all: ['inCommitTimestamp', 'changeDataFeed', 'invariants', 'appendOnly'],
      legacy: false,
    });
    // table_with_partitioning_mapping, version 2 protocol.
    const p = protocolFromLog('table_with_partitioning_mapping')!;
    expect(effectiveFeatures(p).readerFeatures).toEqual(['deletionVectors', 'columnMapping']);
    expect(effectiveFeatures(p).writerFeatures).toContain('generatedColumns');
  });
});

describe('feature descriptions', () => {
  it('describes every feature of the protocol and every feature seen in the fixtures', () => {
    // Appendix "Valid Feature Names in Table Features" plus features defined in other sections / RFCs.
    const required = [
      'appendOnly', 'invariants', 'checkConstraints', 'changeDataFeed', 'generatedColumns', 'columnMapping',
      'identityColumns', 'deletionVectors', 'rowTracking', 'timestampNtz', 'domainMetadata', 'v2Checkpoint',
      'catalogManaged', 'icebergCompatV1', 'icebergCompatV2', 'clustering', 'vacuumProtocolCheck', 'inCommitTimestamp',
      'typeWidening', 'typeWidening-preview', 'variantType', 'variantType-preview', 'variantShredding',
      'variantShredding-preview', 'allowColumnDefaults', 'collations', 'collations-preview', 'checkpointProtection',
      // delta-kernel-rs kernel/src/table_features/mod.rs (catalogOwned-preview, materializePartitionColumns) and its
      // adaptive-metadata-in-dev work (adaptiveMetadata-preview); the geospatial RFC.
      'catalogOwned-preview', 'materializePartitionColumns', 'adaptiveMetadata-preview', 'geospatial',
    ];
    const seen = new Set<string>();
    for (const m of manifest) for (const f of [...(m.protocol?.readerFeatures ?? []), ...(m.protocol?.writerFeatures ?? [])]) seen.add(f);
    seen.delete('blahabl'); // deliberately unknown (simple_table_features)
    for (const f of [...required, ...seen]) {
      expect(FEATURE_DESCRIPTIONS[f], f).toBeTruthy();
      expect(describeFeature(f)).toBe(FEATURE_DESCRIPTIONS[f]);
      expect(featureKind(f), f).toBeDefined();
    }
    for (const d of Object.values(FEATURE_DESCRIPTIONS)) {
      expect(d).not.toContain('\n');
      expect(d.endsWith('.')).toBe(true);
    }
  });

  it('says "Unknown feature" for anything else', () => {
    expect(describeFeature('blahabl')).toBe('Unknown feature');
    expect(describeFeature('toString')).toBe('Unknown feature');
    expect(featureKind('blahabl')).toBeUndefined();
  });

  it('classifies features as in the protocol appendix', () => {
    expect(featureKind('deletionVectors')).toBe('reader-writer');
    expect(featureKind('vacuumProtocolCheck')).toBe('reader-writer');
    expect(featureKind('appendOnly')).toBe('writer');
    expect(featureKind('clustering')).toBe('writer');
    for (const f of SUPPORTED_READER_FEATURES) expect(featureKind(f), f).toBe('reader-writer');
  });
});
