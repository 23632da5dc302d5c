"""Measures which fixture tables delta-rs (deltalake) and DuckDB's delta extension can read, one
table per reader feature, for the engine-compatibility data (engines.ts cites the output as
`measured:` sources). Run with the peers venv:

    $DX_PEERS_VENV/bin/python src/explore/compat/probe.py > src/explore/compat/probe-results.json

Each entry: table, the feature it exercises, and per engine "ok <rows>" or the first line of the error.
"""
import json
import os
import sys

import deltalake
import duckdb

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'test', 'fixtures')
T = lambda name: os.path.abspath(os.path.join(ROOT, 'tables', name))
G = lambda name: os.path.abspath(os.path.join(ROOT, 'tables-generated', name))

CASES = [
    ('columnMapping', T('table_with_column_mapping')),
    ('deletionVectors', T('table-with-dv-small-kernel')),
    ('timestampNtz', T('data-reader-timestamp_ntz')),
    ('v2Checkpoint', T('checkpoint-v2-table')),
    ('typeWidening', T('type-widening')),
    ('variantType', T('unshredded-variant')),
    ('variantShredding-preview', T('spark-shredded-variant-preview-delta')),
    ('variantShredding', G('shredded-variant')),
    ('geospatial', T('table-with-geo')),
    ('vacuumProtocolCheck', T('checkpoint-v2-table')),
    ('inCommitTimestamp', T('cdc_ict_table')),
    ('clustering', T('table_with_liquid_clustering')),
    ('domainMetadata', T('table-with-domain-metadata')),
    ('void', T('void-column')),
    ('unknown', T('simple_table_features')),
]


def first_line(e):
    return (type(e).__name__ + ': ' + str(e)).split('\n')[0][:300]


def delta_rs(path):
    try:
        dt = deltalake.DeltaTable(path)
    except BaseException as e:  # noqa: BLE001 - we record any failure
        return first_line(e)
    try:
        n = dt.to_pyarrow_table().num_rows
        pa = f'ok {n}'
    except BaseException as e:  # noqa: BLE001
        pa = first_line(e)
    try:
        q = deltalake.QueryBuilder().register('t', dt).execute('SELECT count(*) AS n FROM t').read_all()
        df = f"ok {q.column('n')[0].as_py()}"
    except BaseException as e:  # noqa: BLE001
        df = first_line(e)
    return {'to_pyarrow_table': pa, 'QueryBuilder': df}


con = duckdb.connect()
# duckdb-ext-delta ships the extension binary under site-packages/duckdb_ext/extensions/<ver>/<platform>/.
import duckdb_ext  # noqa: E402  (namespace package holding only the binary)
con.execute('SET autoinstall_known_extensions = false')
con.execute('SET extension_directory = ?', [os.path.join(list(duckdb_ext.__path__)[0], 'extensions')])
con.execute('LOAD delta')


def duck(path):
    try:
        n = con.execute(f"SELECT count(*) FROM delta_scan('{path}')").fetchone()[0]
        return f'ok {n}'
    except BaseException as e:  # noqa: BLE001
        return first_line(e)


out = {
    'measured': {'deltalake': deltalake.__version__, 'duckdb': duckdb.__version__},
    'cases': [{'feature': f, 'table': os.path.relpath(p, os.path.join(ROOT, '..', '..')), 'deltalake': delta_rs(p), 'duckdb_delta': duck(p)} for f, p in CASES],
}
json.dump(out, sys.stdout, indent=1)
print()
