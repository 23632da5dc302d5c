/**
 * The one clustering resolver on real tables (every domain form the fixtures hold) and on
 * hand-built schemas under column mapping. Expected names are read from the tables' commit files
 * here, never from `src/delta`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSchema } from '../delta/schema.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { DeltaTable } from '../delta/table.ts';
import { clusteringOf, quotedPath, resolveClustering } from './clustering.ts';

const ROOT = join(import.meta.dirname, '../../test/fixtures');

/** The last `domainMetadata` of `domain` written in the table's JSON commits. */
function lastDomain(dir: string, domain: string): string {
  let config = '';
  const log = join(dir, '_delta_log');
  for (const f of readdirSync(log).filter((n) => /^\d{20}\.json$/.test(n)).sort()) {
    for (const line of readFileSync(join(log, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const a = JSON.parse(line);
      if (a.domainMetadata?.domain === domain) config = a.domainMetadata.configuration;
    }
  }
  return config;
}

describe('clusteringOf on real tables', () => {
  it('table_with_liquid_clustering: the legacy delta.liquid domain with [{"physicalName":[...]}] items gives names, not [object Object]', async () => {
    const dir = join(ROOT, 'tables/table_with_liquid_clustering');
    const items = JSON.parse(lastDomain(dir, 'delta.liquid')).clusteringColumns as { physicalName: string[] }[];
    expect(items.length).toBeGreaterThan(0);
    const c = clusteringOf(await new DeltaTable(new NodeFsStore(dir)).snapshot());
    expect(c.domain).toBe('delta.liquid');
    expect(c.error).toBeNull();
    expect(c.columns.map((x) => x.name)).toEqual(items.map((i) => i.physicalName.join('.')));
    expect(c.columns.every((x) => x.resolved)).toBe(true);
  });

  it('spark_liquid_clustering: delta.clustering with path lists, the latest configuration', async () => {
    const dir = join(ROOT, 'tables-generated/peers/spark_liquid_clustering');
    const paths = JSON.parse(lastDomain(dir, 'delta.clustering')).clusteringColumns as string[][];
    const c = clusteringOf(await new DeltaTable(new NodeFsStore(dir)).snapshot());
    expect(c.domain).toBe('delta.clustering');
    expect(c.columns.map((x) => x.logicalPath)).toEqual(paths);
  });

  it('a table without a clustering domain is not clustered', async () => {
    const c = clusteringOf(await new DeltaTable(new NodeFsStore(join(ROOT, 'tables/simple_table'))).snapshot());
    expect(c).toEqual({ domain: null, columns: [], error: null });
  });
});

describe('resolveClustering under column mapping', () => {
  const schema = parseSchema(
    JSON.stringify({
      type: 'struct',
      fields: [
        { name: 'city', type: 'string', nullable: true, metadata: { 'delta.columnMapping.id': 1, 'delta.columnMapping.physicalName': 'col-a1' } },
        {
          name: 'addr',
          type: { type: 'struct', fields: [{ name: 'zip.code', type: 'integer', nullable: true, metadata: { 'delta.columnMapping.id': 3, 'delta.columnMapping.physicalName': 'col-c3' } }] },
          nullable: true,
          metadata: { 'delta.columnMapping.id': 2, 'delta.columnMapping.physicalName': 'col-b2' },
        },
      ],
    }),
  );
  const domains = (config: unknown, domain = 'delta.clustering') => new Map([[domain, { configuration: JSON.stringify(config) }]]);

  it('resolves physical paths (all three item forms) to logical names; a dotted segment is quoted', () => {
    for (const [config, domain] of [
      [{ clusteringColumns: [['col-a1'], ['col-b2', 'col-c3']] }, 'delta.clustering'],
      [{ clusteringColumns: ['col-a1', ['col-b2', 'col-c3']] }, 'delta.clustering'],
      [{ clusteringColumns: [{ physicalName: ['col-a1'] }, { physicalName: ['col-b2', 'col-c3'] }] }, 'delta.liquid'],
    ] as const) {
      const c = resolveClustering({ domainMetadata: domains(config, domain), schema, columnMappingMode: 'name' });
      expect(c.error).toBeNull();
      expect(c.columns.map((x) => x.name)).toEqual(['city', 'addr.`zip.code`']);
      expect(c.columns.map((x) => x.physicalPath)).toEqual([['col-a1'], ['col-b2', 'col-c3']]);
    }
  });

  it('keeps an unknown physical name unresolved, and reports a broken configuration instead of throwing', () => {
    const c = resolveClustering({ domainMetadata: domains({ clusteringColumns: [['col-zz']] }), schema, columnMappingMode: 'id' });
    expect(c.columns).toEqual([{ logicalPath: ['col-zz'], physicalPath: ['col-zz'], name: 'col-zz', resolved: false }]);
    const bad = resolveClustering({ domainMetadata: new Map([['delta.clustering', { configuration: '{' }]]), schema, columnMappingMode: 'name' });
    expect(bad.columns).toEqual([]);
    expect(bad.error).toMatch(/not valid JSON/);
  });

  it('quotedPath quotes segments holding a dot or a backtick', () => {
    expect(quotedPath(['a', 'b.c', 'd`e'])).toBe('a.`b.c`.`d``e`');
  });
});
