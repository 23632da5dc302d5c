"""Runs generated hand-off code (src/explore/handoff.ts) in the real engines, in ONE process and
ONE Spark JVM, and prints the canonical rows of each job (peers/gen/canon.py rules).

    python peers/handoff_runner.py jobs.json results.json

jobs.json: [{"id": ..., "engine": "spark"|"pyspark"|"deltalake"|"duckdb", "code": ...}, ...]
results.json: {id: {"rows": [canonical row text, ...]} | {"error": "..."}}

How each engine's code is run, as a user would run it:
- spark: the SQL statements in order through spark.sql (comment lines skipped); rows of the last.
- pyspark: exec() of the script; its SparkSession builder's getOrCreate() returns the runner's
  session (one JVM); rows of the variable `df`.
- deltalake: exec() of the script; rows of the pyarrow table `table`.
- duckdb: the SQL statements in order on one connection; the delta extension comes from the
  duckdb-ext-delta wheel (extension_directory), so `INSTALL delta` needs no network.
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'gen'))
from canon import canon_py, row_text, rows_of  # noqa: E402


def statements(sql):
    body = '\n'.join(l for l in sql.split('\n') if not l.strip().startswith('--'))
    return [s.strip() for s in body.split(';') if s.strip()]


def arrow_rows(table):
    import pyarrow as pa
    ntz = {f.name for f in table.schema if pa.types.is_timestamp(f.type) and f.type.tz is None}
    out = []
    for r in table.to_pylist():
        out.append(row_text({k: canon_py(v, k in ntz) for k, v in r.items()}))
    return sorted(out)


_spark = None


def spark():
    global _spark
    if _spark is None:
        from pyspark.sql import SparkSession
        cache = os.environ.get('DX_PEERS_CACHE', '/root/.cache/delta-explorer/peers')
        ivy = os.path.join(cache, 'ivy')
        os.makedirs(ivy, exist_ok=True)
        import delta  # noqa: F401  (delta-spark: its version picks the jar)
        from importlib.metadata import version
        ver = version('delta-spark')
        jars_dir = os.path.join(ivy, 'jars')
        local = [os.path.join(jars_dir, j) for j in (f'io.delta_delta-spark_2.13-{ver}.jar', f'io.delta_delta-storage-{ver}.jar', 'org.antlr_antlr4-runtime-4.13.1.jar')]
        b = SparkSession.builder.master('local[2]').appName('dx-handoff')
        # Jars already in the peers cache are used as they are (no Ivy resolution at start-up).
        b = b.config('spark.jars', ','.join(local)) if all(os.path.exists(j) for j in local) else \
            b.config('spark.jars.packages', f'io.delta:delta-spark_2.13:{ver}').config('spark.jars.ivy', ivy)
        _spark = (b
                  .config('spark.sql.extensions', 'io.delta.sql.DeltaSparkSessionExtension')
                  .config('spark.sql.catalog.spark_catalog', 'org.apache.spark.sql.delta.catalog.DeltaCatalog')
                  .config('spark.sql.session.timeZone', 'UTC')
                  .config('spark.driver.extraJavaOptions', '-Duser.timezone=UTC')
                  .config('spark.sql.shuffle.partitions', '2')
                  .config('spark.ui.enabled', 'false')
                  .config('spark.ui.showConsoleProgress', 'false')
                  .config('spark.databricks.delta.snapshotPartitions', '2')
                  .config('spark.default.parallelism', '2')
                  .config('spark.sql.warehouse.dir', tempfile.mkdtemp(prefix='dx-handoff-wh-'))
                  .config('spark.driver.memory', '1g')
                  .getOrCreate())
        _spark.sparkContext.setLogLevel('ERROR')
    return _spark


_duck = None


def duck():
    global _duck
    import duckdb
    import duckdb_ext
    con = duckdb.connect()
    con.execute('SET autoinstall_known_extensions = false')
    con.execute('SET autoload_known_extensions = false')
    con.execute('SET extension_directory = ?', [os.path.join(list(duckdb_ext.__path__)[0], 'extensions')])
    return con


def run(job):
    engine, code = job['engine'], job['code']
    if engine == 'spark':
        s = spark()
        df = None
        for st in statements(code):
            df = s.sql(st)
        return rows_of(df)
    if engine in ('pyspark', 'deltalake'):
        if engine == 'pyspark':
            spark()
        ns = {}
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, f"<{job['id']}>", 'exec'), ns)
        if engine == 'pyspark':
            return rows_of(ns['df'])
        import pyarrow as pa
        return arrow_rows(pa.table(ns['table']))  # deltalake 1.x returns arro3 tables (Arrow PyCapsule)
    if engine == 'duckdb':
        con = duck()
        res = None
        for st in statements(code):
            res = con.execute(st)
        return arrow_rows(res.fetch_arrow_table())
    raise ValueError(f'no runner for {engine}')


def main():
    jobs = json.load(open(sys.argv[1]))
    out = {}
    for job in jobs:
        try:
            out[job['id']] = {'rows': run(job)}
        except Exception as e:  # noqa: BLE001 - reported per job
            out[job['id']] = {'error': (type(e).__name__ + ': ' + str(e)).split('\n')[0][:500], 'trace': traceback.format_exc()[-2000:]}
    json.dump(out, open(sys.argv[2], 'w'))


if __name__ == '__main__':
    main()
