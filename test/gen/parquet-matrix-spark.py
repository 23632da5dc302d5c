#!/usr/bin/env python3
"""Fourth writer of the parquet differential matrix (issue 11, item 4): Apache Spark's
parquet-mr / parquet-java writer, the one Delta Lake on Spark uses.

Reads the same seeded tables as parquet-matrix-pyarrow.py (timestamp NANOS columns dropped: Spark
refuses them), lets Spark rewrite them with each codec × writer version (PARQUET_1_0 / PARQUET_2_0
= DataPage V2 with DELTA_* encodings) × dictionary on/off, and writes `cells.json` + truth IPC
files like the pyarrow script, so parquet-matrix-study.ts can `--dir` them.

Usage: <peers venv>/bin/python test/gen/parquet-matrix-spark.py <out dir>
       <peers venv>/bin/python test/gen/parquet-matrix-spark.py --fixtures <out dir>
The second form writes the small committed subset (240 rows, pages of at most 50 rows) into an
existing fixtures folder, merging its cells into that folder's cells.json.
Needs pyspark (peers venv) and Java 17.
"""
import glob
import importlib.util
import json
import os
import shutil
import sys
import tempfile

import pyarrow as pa
import pyarrow.parquet as pq

spec = importlib.util.spec_from_file_location("pm", os.path.join(os.path.dirname(os.path.abspath(__file__)), "parquet-matrix-pyarrow.py"))
pm = importlib.util.module_from_spec(spec)
sys.argv = [sys.argv[0]] + sys.argv[1:]
spec.loader.exec_module(pm)

from pyspark.sql import SparkSession  # noqa: E402

OUT = [a for a in sys.argv[1:] if not a.startswith("--")][0]
FIXTURES = "--fixtures" in sys.argv
CODECS = ["uncompressed", "snappy", "gzip", "zstd", "lz4_raw", "lz4"]
# (codec, writer version, dictionary, profile) of the committed fixtures
FIXTURE_CELLS = [
    ("snappy", "PARQUET_2_0", False, "nulls"),  # C7: empty SNAPPY value section of all-null V2 pages; F3 INT96
    ("zstd", "PARQUET_2_0", True, "extremes"),  # C4 (V2 INT64 DBP), F3 (INT96 year 0001/9999 in parquet-wasm)
    ("lz4_raw", "PARQUET_1_0", False, "random"),  # C1 routed file + F3: parquet-wasm alone would be wrong
]
if FIXTURES:
    pm.ROWS = {k: 240 for k in pm.ROWS}


def main():
    os.makedirs(OUT, exist_ok=True)
    spark = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
        .config("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED")
        .config("spark.sql.parquet.datetimeRebaseModeInRead", "CORRECTED")
        .config("spark.sql.parquet.int96RebaseModeInRead", "CORRECTED")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    cells = json.load(open(os.path.join(OUT, "cells.json"))) if FIXTURES and os.path.exists(os.path.join(OUT, "cells.json")) else {}
    tmp = tempfile.mkdtemp(prefix="pm-spark-")
    wanted = {(c, v, d, p) for c, v, d, p in FIXTURE_CELLS}
    for profile in pm.PROFILES:
        if FIXTURES and not any(p == profile for *_, p in FIXTURE_CELLS):
            continue
        full = pm.build(profile)
        keep = [c for c in full.column_names if not c.startswith("ts_ns")]
        t = full.select(keep)
        src = os.path.join(tmp, f"src-{profile}.parquet")
        pq.write_table(t, src, compression="NONE", use_dictionary=False, store_schema=False)
        truth = f"truth-spark-{profile}.arrow"
        pm.write_truth(t, os.path.join(OUT, truth))
        page_rows = "50" if FIXTURES else "500"
        df = spark.read.parquet(src)
        for codec in CODECS:
            for ver in ["PARQUET_1_0", "PARQUET_2_0"]:
                for dic in [True, False]:
                    if FIXTURES and (codec, ver, dic, profile) not in wanted:
                        continue
                    name = f"spark-{codec.upper()}-V{ver[8]}-{'DICT' if dic else 'PLAIN'}-{profile}.parquet"
                    out = os.path.join(tmp, name)
                    try:
                        (
                            df.coalesce(1)
                            .write.mode("overwrite")
                            .option("compression", codec)
                            .option("parquet.writer.version", ver)
                            .option("parquet.enable.dictionary", str(dic).lower())
                            .option("parquet.page.size", "2048")
                            .option("parquet.page.row.count.limit", page_rows)
                            .option("parquet.block.size", str(256 * 1024))
                            .parquet(out)
                        )
                    except Exception as ex:  # e.g. a codec without its native library
                        print(f"{name}: {str(ex).splitlines()[0][:200]}", file=sys.stderr)
                        continue
                    parts = sorted(glob.glob(os.path.join(out, "part-*.parquet")))
                    if len(parts) != 1:
                        print(f"{name}: {len(parts)} part files", file=sys.stderr)
                        continue
                    shutil.copyfile(parts[0], os.path.join(OUT, name))
                    cells[name] = {"truth": truth, "writer": "spark " + spark.version, "codec": codec.upper(), "version": "V" + ver[8], "encoding": "DICT" if dic else "PLAIN", "profile": profile}
    spark.stop()
    shutil.rmtree(tmp, ignore_errors=True)
    json.dump(cells, open(os.path.join(OUT, "cells.json"), "w"), indent=1, sort_keys=True)


main()
