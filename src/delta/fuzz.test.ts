/**
 * Property-based fuzzing (fast-check) of the parsers that read untrusted bytes: the commit (NDJSON)
 * parser, the parquet checkpoint decoder and the deletion-vector decoder. Every input must end in a
 * result or a typed DeltaError of the expected code — never another exception, never a hang.
 *
 * Fixed seed in CI; a long local run: `FUZZ_RUNS=20000 npx vitest run src/delta/fuzz.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeltaError } from './errors.ts';
import { parseJsonLog } from './log/commit-reader.ts';
import { decodeParquetCheckpoint } from './log/checkpoint-reader.ts';
import { parseDeletionVectorBytes, z85Decode } from './deletion-vectors.ts';
import { fixture } from '../../test/fixtures.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const params = { numRuns: RUNS, seed: SEED };

/** Runs `fn`; passes when it returns or throws a DeltaError with one of `codes`. */
async function typedOutcome(fn: () => unknown, codes: string[]): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof DeltaError)) throw new Error(`untyped failure: ${(e as Error)?.stack ?? e}`);
    expect(codes).toContain(e.code);
  }
}

const realCommit = readFileSync(join(fixture('table_with_deletion_logs'), '_delta_log', '00000000000000000004.json'), 'utf8');
const realCheckpoint = readFileSync(join(fixture('simple_table_with_checkpoint'), '_delta_log', '00000000000000000010.checkpoint.parquet'));

describe('commit parser', () => {
  it('any text: actions or CORRUPT_COMMIT', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 2000 }), async (text) => {
        await typedOutcome(() => parseJsonLog(text, { path: '_delta_log/00000000000000000001.json', version: 1 }), ['CORRUPT_COMMIT']);
      }),
      params,
    );
  });

  it('any JSON values as lines (unknown actions and fields are ignored)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 20 }), async (values) => {
        const text = values.map((v) => JSON.stringify(v)).join('\n');
        await typedOutcome(() => parseJsonLog(text, { path: 'c.json', version: 0 }), ['CORRUPT_COMMIT']);
      }),
      params,
    );
  });

  it('known actions with fields of any type', async () => {
    const action = fc.record({
      kind: fc.constantFrom('add', 'remove', 'cdc', 'metaData', 'protocol', 'commitInfo', 'txn', 'domainMetadata', 'sidecar', 'checkpointMetadata'),
      body: fc.dictionary(
        fc.constantFrom('path', 'size', 'partitionValues', 'stats', 'deletionVector', 'dataChange', 'schemaString', 'minReaderVersion', 'minWriterVersion', 'appId', 'version', 'domain', 'configuration', 'tags', 'modificationTime'),
        fc.jsonValue({ maxDepth: 3 }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 10 }), async (actions) => {
        const text = actions.map((a) => JSON.stringify({ [a.kind]: a.body })).join('\n');
        await typedOutcome(() => {
          const set = parseJsonLog(text, { path: 'c.json', version: 0 });
          // whatever was accepted reads back without throwing
          for (let i = 0; i < set.adds.length; i++) set.adds.addAt(i);
          for (let i = 0; i < set.removes.length; i++) set.removes.removeAt(i);
        }, ['CORRUPT_COMMIT']);
      }),
      params,
    );
  });

  it('a real commit with a truncated or garbled line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(realCommit.length - 1), fc.string({ maxLength: 5 }), async (cut, junk) => {
        const text = realCommit.slice(0, cut) + junk + realCommit.slice(cut + junk.length + 1);
        await typedOutcome(() => parseJsonLog(text, { path: 'c.json', version: 4 }), ['CORRUPT_COMMIT']);
      }),
      params,
    );
  });
});

describe('checkpoint decoder', () => {
  it('a real checkpoint with flipped, truncated or overwritten bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ kind: fc.constant('flip' as const), at: fc.nat(realCheckpoint.length - 1), value: fc.integer({ min: 0, max: 255 }) }),
          fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(realCheckpoint.length - 1), value: fc.constant(0) }),
        ),
        async (m) => {
          const bytes = new Uint8Array(realCheckpoint);
          const input = m.kind === 'truncate' ? bytes.subarray(0, m.at) : (bytes.set([m.value], m.at), bytes);
          await typedOutcome(() => decodeParquetCheckpoint(input, { path: 'cp.parquet', version: 10 }), ['CORRUPT_CHECKPOINT']);
        },
      ),
      { ...params, numRuns: Math.min(RUNS, 150) },
    );
    // and the decoder still works afterwards
    const ok = await decodeParquetCheckpoint(new Uint8Array(realCheckpoint), { path: 'cp.parquet', version: 10 });
    expect(ok.adds.length).toBeGreaterThan(0);
  });
});

describe('deletion vector decoder', () => {
  const dvDir = fixture('table-with-dv-small-kernel');
  const dvFile = readdirSync(dvDir).find((f) => f.startsWith('deletion_vector_'))!;
  const dvBytes = readFileSync(join(dvDir, dvFile));
  it('random bytes and mutated real DV payloads: rows or CORRUPT_DELETION_VECTOR', async () => {
    // the payload of the first DV of the file: 1 version byte, 4-byte size, data, 4-byte CRC
    const size = dvBytes.readUInt32BE(1);
    const payload = dvBytes.subarray(5, 5 + size);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.nat(payload.length - 1), fc.integer({ min: 0, max: 255 }), async (random, at, value) => {
        await typedOutcome(() => parseDeletionVectorBytes(random), ['CORRUPT_DELETION_VECTOR']);
        const mutated = new Uint8Array(payload);
        mutated[at] = value;
        await typedOutcome(() => parseDeletionVectorBytes(mutated), ['CORRUPT_DELETION_VECTOR']);
      }),
      params,
    );
  });
  it('Z85 text of any characters: bytes or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), async (s) => {
        await typedOutcome(() => z85Decode(s), ['INVALID_ARGUMENT', 'CORRUPT_DELETION_VECTOR']);
      }),
      params,
    );
  });
});
