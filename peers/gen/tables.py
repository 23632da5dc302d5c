"""The tables of the differential conformance suite: what Spark 4 + Delta 4 and delta-rs write.

Each writer function gets a path and writes one small table there, committing a handful of
versions that exercise one family of features. ``SPARK_TABLES`` run in one shared Spark session
(see ``generate.py``); ``RS_TABLES`` use delta-rs (``deltalake``) only.

Every table is small (tens of rows, a few files per commit) so that the whole set, with the
reference answers, stays well under a few megabytes and can be committed as a test fixture.
"""
from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

# ---------------------------------------------------------------------------------------------
# Spark tables. `sql` runs a statement; `T` is the table reference delta.`<path>`.
# ---------------------------------------------------------------------------------------------

SPARK_TABLES: dict = {}
RS_TABLES: dict = {}


def spark_table(name: str, **meta):
    def register(fn):
        SPARK_TABLES[name] = (fn, meta)
        return fn

    return register


def rs_table(name: str, **meta):
    def register(fn):
        RS_TABLES[name] = (fn, meta)
        return fn

    return register


def tick():
    """Commits a few ms apart, so timestamps between commits exist."""
    time.sleep(0.03)


def ref(path: str) -> str:
    return f"delta.`{path}`"


@spark_table("spark_deletion_vectors", features=["deletionVectors"], cdf=False)
def spark_deletion_vectors(spark, path):
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (id BIGINT, name STRING, v DOUBLE) USING delta "
              "TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')")
    spark.range(0, 30, 1, 2).selectExpr("id", "concat('n', id) AS name", "CAST(id * 1.5 AS DOUBLE) AS v") \
        .write.format("delta").mode("append").save(path)
    spark.sql(f"DELETE FROM {T} WHERE id % 5 = 0")
    spark.sql(f"UPDATE {T} SET v = v * 10 WHERE id % 3 = 0")
    spark.sql(f"""MERGE INTO {T} t USING (SELECT * FROM VALUES (1L, 'm1', 0.5D), (7L, 'gone', 0D), (100L, 'new', 2D)
                  AS s(id, name, v)) s ON t.id = s.id
                  WHEN MATCHED AND s.name = 'gone' THEN DELETE
                  WHEN MATCHED THEN UPDATE SET *
                  WHEN NOT MATCHED THEN INSERT *""")
    spark.sql(f"DELETE FROM {T} WHERE id % 7 = 1")  # a second DV on files that already have one
    spark.sql(f"OPTIMIZE {T}")


def _cm_table(spark, path, mode):
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (id INT, `a b` STRING, c INT, s STRUCT<x: INT, y: STRING>, `part col` STRING) "
              f"USING delta PARTITIONED BY (`part col`) TBLPROPERTIES ('delta.columnMapping.mode' = '{mode}')")
    spark.sql(f"INSERT INTO {T} VALUES (1, 'one', 10, named_struct('x', 1, 'y', 'a'), 'p1'), "
              "(2, 'two', 20, named_struct('x', 2, 'y', 'b'), 'p 2'), (3, NULL, NULL, NULL, NULL)")
    spark.sql(f"ALTER TABLE {T} RENAME COLUMN `a b` TO renamed")
    spark.sql(f"ALTER TABLE {T} DROP COLUMN c")
    spark.sql(f"ALTER TABLE {T} ADD COLUMN c STRING")  # same name, a new column: old values must not reappear
    spark.sql(f"INSERT INTO {T} VALUES (4, 'four', named_struct('x', 4, 'y', 'd'), 'p1', 'new c')")
    spark.sql(f"ALTER TABLE {T} RENAME COLUMN s.x TO xx")
    spark.sql(f"ALTER TABLE {T} RENAME COLUMN `part col` TO part")
    spark.sql(f"INSERT INTO {T} VALUES (5, 'five', named_struct('xx', 5, 'y', 'e'), 'p3', 'c5')")


@spark_table("spark_column_mapping_name", features=["columnMapping"], cdf=False)
def spark_column_mapping_name(spark, path):
    _cm_table(spark, path, "name")


@spark_table("spark_column_mapping_id", features=["columnMapping"], cdf=False)
def spark_column_mapping_id(spark, path):
    _cm_table(spark, path, "id")


def _cdf_ops(spark, path, extra_props):
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (id INT, p INT, v STRING) USING delta PARTITIONED BY (p) "
              f"TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true'{extra_props})")
    spark.sql(f"INSERT INTO {T} SELECT id, id % 3, concat('v', id) FROM range(0, 12) AS r(id)")
    tick()
    spark.sql(f"UPDATE {T} SET v = concat(v, '-u') WHERE id % 4 = 0")
    tick()
    spark.sql(f"DELETE FROM {T} WHERE id IN (1, 5)")
    tick()
    spark.sql(f"""MERGE INTO {T} t USING (SELECT * FROM VALUES (2, 2, 'm2'), (3, 0, 'del'), (50, 2, 'm50') AS s(id, p, v)) s
                  ON t.id = s.id
                  WHEN MATCHED AND s.v = 'del' THEN DELETE
                  WHEN MATCHED THEN UPDATE SET v = s.v
                  WHEN NOT MATCHED THEN INSERT *""")
    tick()
    spark.sql(f"INSERT INTO {T} VALUES (60, NULL, 'null partition')")


@spark_table("spark_cdf", features=["changeDataFeed"], cdf=True)
def spark_cdf(spark, path):
    _cdf_ops(spark, path, ", 'delta.enableDeletionVectors' = 'false'")


@spark_table("spark_cdf_deletion_vectors", features=["changeDataFeed", "deletionVectors"], cdf=True)
def spark_cdf_deletion_vectors(spark, path):
    _cdf_ops(spark, path, ", 'delta.enableDeletionVectors' = 'true'")


@spark_table("spark_liquid_clustering", features=["clustering", "domainMetadata"], cdf=False)
def spark_liquid_clustering(spark, path):
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (k INT, city STRING, amount DECIMAL(10, 2)) USING delta CLUSTER BY (k, city)")
    for i in range(3):
        spark.sql(f"INSERT INTO {T} SELECT id % 5, concat('c', id % 4), CAST(id * 1.25 AS DECIMAL(10,2)) "
                  f"FROM range({i * 10}, {i * 10 + 10})")
    spark.sql(f"OPTIMIZE {T}")
    spark.sql(f"ALTER TABLE {T} CLUSTER BY (city)")
    spark.sql(f"INSERT INTO {T} VALUES (9, 'late', 1.00)")


@spark_table("spark_type_widening", features=["typeWidening"], cdf=False)
def spark_type_widening(spark, path):
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (b BYTE, s SHORT, i INT, f FLOAT, d DECIMAL(5, 2), dt DATE) USING delta "
              "TBLPROPERTIES ('delta.enableTypeWidening' = 'true', 'delta.feature.timestampNtz' = 'supported')")
    spark.sql(f"INSERT INTO {T} VALUES (1Y, 2S, 3, 1.5F, 123.45, DATE'2024-02-29'), (-128Y, -32768S, -2147483648, -0.25F, -999.99, NULL)")
    spark.sql(f"ALTER TABLE {T} ALTER COLUMN b TYPE SHORT")
    spark.sql(f"ALTER TABLE {T} ALTER COLUMN s TYPE INT")
    spark.sql(f"ALTER TABLE {T} ALTER COLUMN i TYPE BIGINT")
    spark.sql(f"ALTER TABLE {T} ALTER COLUMN f TYPE DOUBLE")
    spark.sql(f"ALTER TABLE {T} ALTER COLUMN d TYPE DECIMAL(12, 4)")
    spark.sql(f"ALTER TABLE {T} ALTER COLUMN dt TYPE TIMESTAMP_NTZ")
    spark.sql(f"INSERT INTO {T} VALUES (30000S, 100000, 9000000000L, 0.1D, 12345678.1234, TIMESTAMP_NTZ'2025-01-02 03:04:05.123456')")


@spark_table("spark_variant", features=["variantType"], cdf=False)
def spark_variant(spark, path):
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (id INT, v VARIANT) USING delta")
    spark.sql(f"""INSERT INTO {T} VALUES
        (1, parse_json('{{"a": 1, "b": [1, 2, {{"c": "x"}}], "d": null}}')),
        (2, parse_json('"just a string"')),
        (3, parse_json('12.50')),
        (4, parse_json('[true, false, 1e3]')),
        (5, NULL),
        (6, parse_json('{{"nested": {{"deep": {{"k": -9223372036854775808}}}}}}'))""")
    spark.sql(f"INSERT INTO {T} SELECT 7, to_variant_object(named_struct('ts', TIMESTAMP'2024-01-01 12:00:00', 'dt', DATE'2024-01-02', 'dec', 1.5BD))")


@spark_table("spark_variant_shredded", features=["variantType", "variantShredding"], cdf=False, optional=True)
def spark_variant_shredded(spark, path):
    """Shredded variants: Delta 4.0's `variantShredding-preview` feature with Spark's shredding writer."""
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (id INT, v VARIANT) USING delta TBLPROPERTIES ('delta.enableVariantShredding' = 'true')")
    old = {k: spark.conf.get(k, None) for k in ("spark.sql.variant.writeShredding.enabled", "spark.sql.variant.forceShreddingSchemaForTest")}
    spark.conf.set("spark.sql.variant.writeShredding.enabled", "true")
    spark.conf.set("spark.sql.variant.forceShreddingSchemaForTest", "a int, b string")
    try:
        spark.sql(f"""INSERT INTO {T} VALUES (1, parse_json('{{"a": 1, "b": "x"}}')), (2, parse_json('{{"a": "not int", "c": 3}}')),
                      (3, parse_json('5')), (4, NULL)""")
    finally:
        for k, v in old.items():
            if v is None:
                spark.conf.unset(k)
            else:
                spark.conf.set(k, v)


@spark_table("spark_row_tracking", features=["rowTracking", "domainMetadata"], cdf=False)
def spark_row_tracking(spark, path):
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (id INT, v STRING) USING delta TBLPROPERTIES ('delta.enableRowTracking' = 'true')")
    spark.sql(f"INSERT INTO {T} SELECT id, concat('v', id) FROM range(0, 10)")
    spark.sql(f"INSERT INTO {T} SELECT id, concat('w', id) FROM range(10, 15)")
    spark.sql(f"UPDATE {T} SET v = 'updated' WHERE id < 3")
    spark.sql(f"DELETE FROM {T} WHERE id = 12")


@spark_table("spark_in_commit_timestamps", features=["inCommitTimestamp"], cdf=True)
def spark_in_commit_timestamps(spark, path):
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (id INT, v STRING) USING delta TBLPROPERTIES "
              "('delta.enableInCommitTimestamps' = 'true', 'delta.enableChangeDataFeed' = 'true')")
    for i in range(4):
        tick()
        spark.sql(f"INSERT INTO {T} VALUES ({i}, 'v{i}')")
    tick()
    spark.sql(f"UPDATE {T} SET v = 'u' WHERE id = 1")


@spark_table("spark_ict_enabled_later", features=["inCommitTimestamp"], cdf=False)
def spark_ict_enabled_later(spark, path):
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (id INT) USING delta")
    tick()
    spark.sql(f"INSERT INTO {T} VALUES (1)")
    tick()
    spark.sql(f"ALTER TABLE {T} SET TBLPROPERTIES ('delta.enableInCommitTimestamps' = 'true')")
    tick()
    spark.sql(f"INSERT INTO {T} VALUES (2)")
    tick()
    spark.sql(f"INSERT INTO {T} VALUES (3)")


def _appends(spark, path, n, rows=3):
    for i in range(n):
        spark.range(i * rows, (i + 1) * rows, 1, 1).selectExpr("id", "concat('r', id) AS s") \
            .write.format("delta").mode("append").save(path)


@spark_table("spark_v2_checkpoint_parquet", features=["v2Checkpoint"], cdf=False)
def spark_v2_checkpoint_parquet(spark, path):
    key = "spark.databricks.delta.checkpointV2.topLevelFileFormat"
    spark.conf.set(key, "parquet")
    try:
        spark.sql(f"CREATE TABLE {ref(path)} (id BIGINT, s STRING) USING delta TBLPROPERTIES "
                  "('delta.checkpointPolicy' = 'v2', 'delta.checkpointInterval' = '3')")
        _appends(spark, path, 7)
    finally:
        spark.conf.unset(key)


@spark_table("spark_v2_checkpoint_json", features=["v2Checkpoint"], cdf=False)
def spark_v2_checkpoint_json(spark, path):
    key = "spark.databricks.delta.checkpointV2.topLevelFileFormat"
    spark.conf.set(key, "json")
    try:
        spark.sql(f"CREATE TABLE {ref(path)} (id BIGINT, s STRING) USING delta TBLPROPERTIES "
                  "('delta.checkpointPolicy' = 'v2', 'delta.checkpointInterval' = '3')")
        _appends(spark, path, 5)
        spark.sql(f"DELETE FROM {ref(path)} WHERE id = 4")
    finally:
        spark.conf.unset(key)


@spark_table("spark_multipart_checkpoint", features=["multiPartCheckpoint"], cdf=False)
def spark_multipart_checkpoint(spark, path):
    key = "spark.databricks.delta.checkpoint.partSize"
    spark.conf.set(key, "2")
    try:
        spark.sql(f"CREATE TABLE {ref(path)} (id BIGINT, s STRING) USING delta TBLPROPERTIES ('delta.checkpointInterval' = '4')")
        _appends(spark, path, 8)
        spark.sql(f"DELETE FROM {ref(path)} WHERE id = 10")
    finally:
        spark.conf.unset(key)


def _codec_table(spark, path, codec):
    key = "spark.sql.parquet.compression.codec"
    old = spark.conf.get(key)
    spark.conf.set(key, codec)
    try:
        T = ref(path)
        spark.sql(f"CREATE TABLE {T} (id BIGINT, s STRING, d DOUBLE, dec DECIMAL(20, 3), ts TIMESTAMP) USING delta")
        spark.sql(f"INSERT INTO {T} SELECT id, repeat(concat('x', id), 5), id / 7, CAST(id * 1000.125 AS DECIMAL(20,3)), "
                  "TIMESTAMP'2024-03-01 00:00:00' + make_interval(0, 0, 0, 0, 0, 0, id * 1.000001) FROM range(0, 40)")
        spark.sql(f"DELETE FROM {T} WHERE id % 10 = 3")
    finally:
        spark.conf.set(key, old)


@spark_table("spark_zstd", features=["zstd"], cdf=False)
def spark_zstd(spark, path):
    _codec_table(spark, path, "zstd")


@spark_table("spark_lz4_raw", features=["lz4_raw"], cdf=False)
def spark_lz4_raw(spark, path):
    _codec_table(spark, path, "lz4_raw")


@spark_table("spark_types", features=["timestampNtz"], cdf=False)
def spark_types(spark, path):
    T = ref(path)
    spark.sql(f"""CREATE TABLE {T} (
        b BOOLEAN, i8 BYTE, i16 SHORT, i32 INT, i64 BIGINT, f32 FLOAT, f64 DOUBLE,
        d1 DECIMAL(5, 2), d2 DECIMAL(38, 10), s STRING, bin BINARY, dt DATE,
        ts TIMESTAMP, ntz TIMESTAMP_NTZ,
        st STRUCT<a: INT, b: ARRAY<STRING>>, arr ARRAY<STRUCT<k: STRING, v: BIGINT>>, m MAP<STRING, INT>
    ) USING delta""")
    spark.sql(f"""INSERT INTO {T} VALUES
        (true, 127Y, 32767S, 2147483647, 9223372036854775807L, 3.4028234E38F, 1.7976931348623157E308D,
         999.99, 1234567890123456789012345678.0123456789, 'héllo ✓', X'00FF10', DATE'0001-01-01',
         TIMESTAMP'1900-01-01 00:00:00.000001 UTC', TIMESTAMP_NTZ'2024-02-29 23:59:59.999999',
         named_struct('a', 1, 'b', array('x', NULL)), array(named_struct('k', 'a', 'v', 1L)), map('k1', 1, 'k2', NULL)),
        (false, -128Y, -32768S, -2147483648, -9223372036854775808L, CAST('NaN' AS FLOAT), CAST('-Infinity' AS DOUBLE),
         -0.01, -0.0000000001, '', X'', DATE'9999-12-31',
         TIMESTAMP'2038-01-19 03:14:08 UTC', TIMESTAMP_NTZ'1969-12-31 23:59:59.5',
         named_struct('a', NULL, 'b', array()), array(), map()),
        (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""")


@spark_table("spark_partitions_special", features=["partitions"], cdf=False,
             filters=["s = 'a b'", "s IS NULL", "i = 7", "s = '100%' OR s = 'x:y'", "d = DATE'2024-01-05'", "ts > TIMESTAMP'2024-01-01 10:00:05'"])
def spark_partitions_special(spark, path):
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (id INT, s STRING, i INT, d DATE, ts TIMESTAMP) USING delta PARTITIONED BY (s, i, d, ts)")
    vals = ["a b", "a/b", "a=b", "100%", "x:y", "ü#?", "[brackets]", "emoji 🎉", "back\\\\slash", "it's"]
    quoted = [v.replace("'", "\\'") for v in vals]
    rows = ", ".join(
        f"({n}, '{v}', {n % 3}, DATE'2024-01-0{n % 9 + 1}', TIMESTAMP'2024-01-01 10:00:0{n % 10}.5 UTC')" for n, v in enumerate(quoted))
    spark.sql(f"INSERT INTO {T} VALUES {rows}")
    spark.sql(f"INSERT INTO {T} VALUES (100, NULL, NULL, NULL, NULL), (101, '', 7, NULL, NULL)")
    spark.sql(f"DELETE FROM {T} WHERE s = 'a/b'")


@spark_table("spark_restore", features=["restore"], cdf=False)
def spark_restore(spark, path):
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (id INT, v STRING) USING delta")
    spark.sql(f"INSERT INTO {T} VALUES (1, 'a'), (2, 'b')")
    spark.sql(f"INSERT INTO {T} VALUES (3, 'c')")
    spark.sql(f"DELETE FROM {T} WHERE id = 1")
    spark.sql(f"RESTORE TABLE {T} TO VERSION AS OF 1")
    spark.sql(f"INSERT INTO {T} VALUES (4, 'd')")


@spark_table("spark_vacuum", features=["vacuum"], cdf=False)
def spark_vacuum(spark, path):
    T = ref(path)
    spark.sql(f"CREATE TABLE {T} (id INT, v STRING) USING delta TBLPROPERTIES ('delta.enableDeletionVectors' = 'false')")
    spark.sql(f"INSERT INTO {T} VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    spark.sql(f"UPDATE {T} SET v = 'B' WHERE id = 2")
    spark.sql(f"INSERT INTO {T} VALUES (4, 'd')")
    spark.sql(f"VACUUM {T} RETAIN 0 HOURS")


# ---------------------------------------------------------------------------------------------
# delta-rs tables.
# ---------------------------------------------------------------------------------------------

def _rs_batch(pa, ids, p):
    return pa.table({
        "id": pa.array(ids, pa.int64()),
        "p": pa.array(p, pa.string()),
        "v": pa.array([f"v{i}" for i in ids], pa.string()),
        "ts": pa.array([dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=i, microseconds=i) for i in ids], pa.timestamp("us", tz="UTC")),
        "ntz": pa.array([dt.datetime(2020, 5, 17) + dt.timedelta(minutes=i) for i in ids], pa.timestamp("us")),
        "amount": pa.array([Decimal(i) / 4 for i in ids], pa.decimal128(12, 2)),
    })


@rs_table("rs_cdf", features=["changeDataFeed", "timestampNtz", "partitions"], cdf=True)
def rs_cdf(path):
    import pyarrow as pa
    from deltalake import DeltaTable, write_deltalake, WriterProperties
    write_deltalake(path, _rs_batch(pa, [0, 1, 2, 3], ["a b", "a/b", None, "ü=%"]), partition_by=["p"],
                    configuration={"delta.enableChangeDataFeed": "true"})
    tick()
    write_deltalake(path, _rs_batch(pa, [4, 5, 6], ["a b", "a b", "x"]), mode="append",
                    writer_properties=WriterProperties(compression="ZSTD"))
    tick()
    t = DeltaTable(path)
    t.update(predicate="id = 1 OR id = 4", updates={"v": "'updated'"})
    tick()
    t = DeltaTable(path)
    t.delete("id = 5")
    tick()
    t = DeltaTable(path)
    src = _rs_batch(pa, [2, 9], [None, "new"])
    (t.merge(src, "t.id = s.id", source_alias="s", target_alias="t")
      .when_matched_update(updates={"v": "'merged'"})
      .when_not_matched_insert_all()
      .execute())


@rs_table("rs_maintenance", features=["checkpoint", "logCompaction", "optimize", "vacuum"], cdf=False)
def rs_maintenance(path):
    import pyarrow as pa
    from deltalake import DeltaTable, write_deltalake
    for i in range(5):
        write_deltalake(path, _rs_batch(pa, [i * 2, i * 2 + 1], ["p1", "p2"]), partition_by=["p"], mode="append")
        tick()
    t = DeltaTable(path)
    t.create_checkpoint()
    t.delete("id = 3")
    tick()
    DeltaTable(path).optimize.compact()
    tick()
    write_deltalake(path, _rs_batch(pa, [20], ["p3"]), partition_by=["p"], mode="append")
    tick()
    t = DeltaTable(path)
    t.compact_logs(starting_version=1, ending_version=t.version())
    write_deltalake(path, _rs_batch(pa, [21], ["p1"]), partition_by=["p"], mode="append")
    t = DeltaTable(path)
    t.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)
    write_deltalake(path, _rs_batch(pa, [22], ["p2"]), partition_by=["p"], mode="append")


@rs_table("rs_overwrite_schema", features=["overwrite", "schemaEvolution"], cdf=False)
def rs_overwrite_schema(path):
    import pyarrow as pa
    from deltalake import write_deltalake
    write_deltalake(path, pa.table({"a": pa.array([1, 2], pa.int32()), "b": ["x", "y"]}))
    write_deltalake(path, pa.table({"a": pa.array([3], pa.int32()), "b": ["z"], "c": pa.array([1.5], pa.float64())}),
                    mode="append", schema_mode="merge")
    write_deltalake(path, pa.table({"a": pa.array([1], pa.int32()), "b": ["o"], "c": pa.array([None], pa.float64())}),
                    mode="overwrite", predicate="a = 1")
    write_deltalake(path, pa.table({"q": pa.array([True, None])}), mode="overwrite", schema_mode="overwrite")


@rs_table("rs_decimal_stats", features=["stats"], cdf=False,
          filters=["d = 1234567890.0123457909", "d >= 1234567890.0123457909", "d < 1234567890.0123458", "id = 2"])
def rs_decimal_stats(path):
    """delta-rs writes decimal min/max through float64: 1234567890.0123458 for 1234567890.0123457909,
    a min above the true minimum. A reader that prunes files by these stats loses the row."""
    import pyarrow as pa
    from deltalake import write_deltalake
    write_deltalake(path, pa.table({"id": pa.array([1, 2], pa.int64()),
                                    "d": pa.array([Decimal("1234567890.0123457909"), Decimal("1234567890.0123457909")], pa.decimal128(20, 10))}))
    write_deltalake(path, pa.table({"id": pa.array([3], pa.int64()), "d": pa.array([Decimal("-0.0000000001")], pa.decimal128(20, 10))}), mode="append")
