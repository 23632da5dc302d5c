import { it } from 'vitest';
import { openSession } from '../../test/query-helpers.ts';
import { prettyTable } from './values.ts';
it('dbg', async () => {
  const out: string[] = [];
  for (const [t, q] of [
    ['basic_partitioned', 'SELECT * FROM t'],
    ['with-short-dv', 'SELECT * FROM t'],
    ['basic-decimal-table', 'SELECT * FROM t'],
    ['data-reader-timestamp_ntz', 'SELECT * FROM t'],
    ['type-widening', 'SELECT * FROM t'],
    ['timestamp-partitioned-table', 'SELECT * FROM t'],
    ['compacted-log-files-table', 'SELECT * FROM t'],
    ['table_with_column_mapping', 'SELECT * FROM t'],
    ['parquet_row_group_skipping', 'SELECT chrono FROM t'],
    ['void-column', 'SELECT * FROM t'],
    ['unshredded-variant', 'SELECT * FROM t ORDER BY id LIMIT 5'],
    ['cdf-column-mapping-id-mode', 'SELECT * FROM t'],
    ['stats-writing-all-types', 'SELECT * FROM t'],
    ['table_with_edge_timestamps', 'SELECT * FROM t'],
    ['partitioned_with_materialize_feature', 'SELECT * FROM t'],
    ['table_with_partitioning_mapping', 'SELECT * FROM t'],
  ]) {
    const s = await openSession(t);
    try { out.push(t, ...prettyTable(await s.sql(q), { sort: true })); } catch (e: any) { out.push(`${t} ERR ${e.code} ${e.message}`); }
    await s.close();
  }
  console.log(out.join('\n'));
}, 300000);
