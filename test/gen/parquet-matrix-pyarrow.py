#!/usr/bin/env python3
"""Second and third writers of the parquet differential matrix (issue 11, item 4).

Writes parquet files with pyarrow (Arrow C++ writer) and with DuckDB's native COPY ... TO
(FORMAT parquet), with Arrow IPC files `truth-*.arrow` holding the exact tables that were written (the ground
truth), and `cells.json` describing each cell (truth file, writer, codec, page version, encoding,
profile). The TypeScript measurement (parquet-matrix-study.ts) reads them.

Usage: <peers venv>/bin/python test/gen/parquet-matrix-pyarrow.py <out dir>
       <peers venv>/bin/python test/gen/parquet-matrix-pyarrow.py --fixtures <out dir>
The second form writes the small committed subset (test/fixtures/parquet-matrix/): one file per
failure class and writer, 240 rows each, each with its own `<name>.arrow` truth.
Deterministic (seeded random.Random); skips work when <out dir>/cells.json exists for the same script hash.
Needs pyarrow and duckdb (the peers venv: /root/.cache/delta-explorer/peers/venv).
"""
import datetime
import decimal
import hashlib
import json
import math
import os
import random
import struct
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import duckdb

FIXTURES = "--fixtures" in sys.argv
OUT = ([a for a in sys.argv[1:] if not a.startswith("--")] + [""])[0]
SMALL = FIXTURES
SRC_HASH = hashlib.sha256(open(__file__, "rb").read()).hexdigest()[:12]

PA_CODECS = ["NONE", "SNAPPY", "GZIP", "BROTLI", "LZ4", "ZSTD"]
DUCK_CODECS = ["uncompressed", "snappy", "gzip", "brotli", "lz4_raw", "zstd"]
PROFILES = ["extremes", "random", "nulls"]
ROWS = {"extremes": 2000, "random": 3000, "nulls": 3000}
ENCODINGS = ["PLAIN", "DICT", "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "BYTE_STREAM_SPLIT", "RLE"]
# physical type of each primitive column as Arrow C++ writes it
PHYS = {
    "i8": "INT32", "i16": "INT32", "i32": "INT32", "i64": "INT64",
    "dec9": "FIXED_LEN_BYTE_ARRAY", "dec18": "FIXED_LEN_BYTE_ARRAY", "dec38": "FIXED_LEN_BYTE_ARRAY",  # Arrow C++ default: decimals as FLBA
    "f32": "FLOAT", "f64": "DOUBLE", "str": "BYTE_ARRAY", "bin": "BYTE_ARRAY", "date": "INT32",
    "ts_ms": "INT64", "ts_us": "INT64", "ts_ns": "INT64", "ts_us_tz": "INT64", "ts_ns_tz": "INT64",
    "bool": "BOOLEAN",
}
APPLIES = {
    "DELTA_BINARY_PACKED": {"INT32", "INT64"},
    "DELTA_LENGTH_BYTE_ARRAY": {"BYTE_ARRAY"},
    "DELTA_BYTE_ARRAY": {"BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"},
    "BYTE_STREAM_SPLIT": {"INT32", "INT64", "FLOAT", "DOUBLE", "FIXED_LEN_BYTE_ARRAY"},
    "RLE": {"BOOLEAN"},
}
UNICODE = ["", "a", "é", "Ω≈ç√", "日本語テキスト", "🦆🔥", "Zürich", "ﬀ", "\x00nul", "x" * 40, "مرحبا", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]


class Rng(random.Random):
    """Seeded source of the matrix values (no numpy in the peers venv)."""

    def ints(self, bits, profile, n):
        lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        special = [lo, hi, 0, -1, 1, lo + 1, hi - 1]
        return [special[k % 7] if profile == "extremes" and k % 3 != 2 else self.randint(lo, hi) for k in range(n)]

    def null(self, profile, k, n):
        if profile == "nulls":
            return k < n * 0.3 or k >= n * 0.75 or n * 0.5 <= k < n * 0.6 or self.random() < 0.5
        return self.randrange(17) == 0


def floats(fmt, profile, n, rng):
    big = 3.4028234663852886e38 if fmt == "f" else sys.float_info.max
    tiny = 1.401298464324817e-45 if fmt == "f" else 5e-324
    special = [math.nan, math.inf, -math.inf, -0.0, 0.0, big, -big, tiny, -tiny, 1.5, -2.25]
    out = []
    for k in range(n):
        if profile == "extremes" and k % 2 == 0:
            out.append(special[(k // 2) % len(special)])
        else:
            raw = rng.getrandbits(32 if fmt == "f" else 64).to_bytes(4 if fmt == "f" else 8, "little")
            out.append(struct.unpack("<" + fmt, raw)[0])
    return out


def strings(profile, n, rng):
    out = []
    for k in range(n):
        if profile == "extremes" and k % 2 == 0:
            out.append(UNICODE[(k // 2) % len(UNICODE)])
        else:
            out.append("".join(rng.choice(UNICODE) if rng.random() < 0.5 else chr(32 + rng.randrange(0x2FFF)) for _ in range(rng.randrange(12))))
    return out


def build(profile):
    n = ROWS[profile]
    rng = Rng(PROFILES.index(profile) + 7)
    cols = {}

    def add(name, values, typ):
        cols[name] = pa.array([None if rng.null(profile, k, n) else v for k, v in enumerate(values)], type=typ)

    add("i8", rng.ints(8, profile, n), pa.int8())
    add("i16", rng.ints(16, profile, n), pa.int16())
    add("i32", rng.ints(32, profile, n), pa.int32())
    add("i64", rng.ints(64, profile, n), pa.int64())
    for name, p, s in [("dec9", 9, 2), ("dec18", 18, 4), ("dec38", 38, 10)]:
        top = 10 ** p - 1
        special = [top, -top, 0, 1, -1, top - 1, -top + 1]
        vals = [special[k % 9] if profile == "extremes" and k % 9 < 7 else rng.randint(-top, top) for k in range(n)]
        add(name, [decimal.Decimal(v).scaleb(-s, decimal.Context(prec=60)) for v in vals], pa.decimal128(p, s))
    add("f32", floats("f", profile, n, rng), pa.float32())
    add("f64", floats("d", profile, n, rng), pa.float64())
    add("str", strings(profile, n, rng), pa.string())
    add("bin", [rng.randbytes(rng.randrange(48)) for _ in range(n)], pa.binary())
    dmin, dmax = -719162, 2932896
    dates = [[dmin, dmax, 0, -1][k % 4] if profile == "extremes" and k % 2 == 0 else rng.randint(dmin, dmax) for k in range(n)]
    add("date", [datetime.date(1970, 1, 1) + datetime.timedelta(days=d) for d in dates], pa.date32())
    us_lo, us_hi = -62135596800000000, 253402300799999999
    for name, unit, tz in [("ts_ms", "ms", None), ("ts_us", "us", None), ("ts_ns", "ns", None), ("ts_us_tz", "us", "UTC"), ("ts_ns_tz", "ns", "UTC")]:
        lo, hi = (us_lo // 1000, us_hi // 1000) if unit == "ms" else (us_lo, us_hi) if unit == "us" else (-(2 ** 63) + 2, 2 ** 63 - 2)
        v = [[lo, hi, 0, -1, 1][k % 5] if profile == "extremes" and k % 2 == 0 else rng.randint(lo, hi) for k in range(n)]
        cols_v = [None if rng.null(profile, k, n) else x for k, x in enumerate(v)]
        cols[name] = pa.array(cols_v, pa.int64()).cast(pa.timestamp(unit, tz))
    add("bool", [rng.random() < 0.5 for _ in range(n)], pa.bool_())
    cols["list_i64"] = pa.array([None if rng.null(profile, k, n) else [None if rng.randrange(9) == 0 else x for x in rng.ints(64, profile, rng.randrange(5))] for k in range(n)], pa.list_(pa.int64()))
    a = rng.ints(32, profile, n)
    s = strings(profile, n, rng)
    cols["struct"] = pa.array([None if rng.null(profile, k, n) else {"a": a[k], "b": s[k]} for k in range(n)], pa.struct([("a", pa.int32()), ("b", pa.string())]))
    maps = []
    for k in range(n):
        if rng.null(profile, k, n):
            maps.append(None)
        else:
            maps.append([(f"k{j}-{rng.choice(UNICODE)}", None if rng.randrange(6) == 0 else v) for j, v in enumerate(rng.ints(64, profile, rng.randrange(4)))])
    cols["map"] = pa.array(maps, pa.map_(pa.string(), pa.int64()))
    return pa.table(cols)


def write_truth(table, path):
    with pa.ipc.new_file(path, table.schema) as w:
        w.write_table(table)


def int96_table(n, rng):
    """Timestamps as Spark writes them by default (INT96), within the ns range INT96 goes through in Arrow."""
    lo, hi = -(2 ** 63) + 2, 2 ** 63 - 2
    v = [[lo, hi, 0, -1, 1][k % 5] if k % 2 == 0 else rng.randint(lo, hi) for k in range(n)]
    us = [(abs(x) // 1000 * 1000) * (1 if x >= 0 else -1) for x in v]
    return pa.table({
        "ts_int96_ns": pa.array([None if rng.randrange(17) == 0 else x for x in v], pa.int64()).cast(pa.timestamp("ns")),
        "ts_int96_us": pa.array([None if rng.randrange(17) == 0 else x for x in us], pa.int64()).cast(pa.timestamp("ns")),
    })


# (writer, codec, page version, encoding, profile) of the committed fixtures: each reproduces a class
FIXTURE_CELLS = [
    ("pa", "ZSTD", "1.0", "DELTA_BINARY_PACKED", "extremes"),  # C4 (i64, ts), C6
    ("pa", "SNAPPY", "2.0", "DELTA_BINARY_PACKED", "random"),  # C4 on V2 pages
    ("pa", "SNAPPY", "2.0", "BYTE_STREAM_SPLIT", "random"),  # C2
    ("pa", "GZIP", "1.0", "DELTA_BYTE_ARRAY", "extremes"),  # C3 (decimals as FLBA)
    ("pa", "BROTLI", "1.0", "PLAIN", "random"),  # C1 BROTLI
    ("pa", "LZ4", "1.0", "DICT", "nulls"),  # C1 LZ4_RAW, F2 (hyparquet)
    ("pa", "LZ4", "2.0", "DICT", "nulls"),  # same on V2 pages
    ("pa", "GZIP", "2.0", "PLAIN", "nulls"),  # control: exact in DuckDB 0.9 (except C6 ts_ns)
    ("duck", "zstd", "v2", "native", "extremes"),  # C4, C5, F1 (parquet-wasm refuses)
    ("duck", "zstd", "v2", "native", "random"),  # C5 at random values
    ("duck", "lz4_raw", "v1", "native", "nulls"),  # C1 LZ4_RAW from DuckDB
    ("duck", "gzip", "v1", "native", "nulls"),  # control
    ("int96", "SNAPPY", "1.0", "PLAIN", "extremes"),  # INT96 timestamps (Spark's default)
]


def pa_kwargs(codec, dpv, enc, names):
    kw = dict(compression=codec, data_page_version=dpv, data_page_size=2048 if not SMALL else 512, row_group_size=1200 if not SMALL else 100, write_batch_size=128 if not SMALL else 32, version="2.6", store_schema=False)
    if enc == "DICT":
        kw["use_dictionary"] = True
    else:
        kw["use_dictionary"] = False
        kw["column_encoding"] = {c: enc for c in names if c in PHYS and (enc == "PLAIN" or PHYS[c] in APPLIES[enc])}
    return kw


def fixtures():
    os.makedirs(OUT, exist_ok=True)
    cells = {}
    tables = {}
    for writer, codec, ver, enc, profile in FIXTURE_CELLS:
        if profile not in tables:
            tables[profile] = build(profile)
        full = tables[profile]
        if writer == "pa":
            names = full.column_names if enc in ("PLAIN", "DICT") else [c for c in full.column_names if PHYS.get(c) in APPLIES[enc]]
            t = full.select(names)
            name = f"pa-{codec}-V{ver[0]}-{enc}-{profile}"
            pq.write_table(t, os.path.join(OUT, name + ".parquet"), **pa_kwargs(codec, ver, enc, names))
            meta = {"writer": "pyarrow " + pa.__version__, "codec": "LZ4_RAW" if codec == "LZ4" else codec, "version": "V" + ver[0], "encoding": enc, "profile": profile}
        elif writer == "int96":
            t = int96_table(ROWS[profile], Rng(99))
            name = f"pa-{codec}-V1-INT96-{profile}"
            pq.write_table(t, os.path.join(OUT, name + ".parquet"), compression=codec, use_deprecated_int96_timestamps=True, row_group_size=100, data_page_size=512, store_schema=False)
            meta = {"writer": "pyarrow " + pa.__version__, "codec": codec, "version": "V1", "encoding": "INT96", "profile": profile}
        else:
            con = duckdb.connect()
            con.register("t", full)
            name = f"duck-{codec.upper()}-{ver.upper()}-native-{profile}"
            con.execute(f"COPY (SELECT * FROM t) TO '{os.path.join(OUT, name + '.parquet')}' (FORMAT parquet, COMPRESSION {codec}, PARQUET_VERSION {ver}, ROW_GROUP_SIZE 100)")
            t = con.execute("SELECT * FROM t").fetch_arrow_table()
            con.close()
            meta = {"writer": "duckdb " + duckdb.__version__, "codec": codec.upper(), "version": ver.upper(), "encoding": "native", "profile": profile}
        write_truth(t, os.path.join(OUT, name + ".arrow"))
        cells[name + ".parquet"] = {"truth": name + ".arrow", **meta}
    json.dump(cells, open(os.path.join(OUT, "cells.json"), "w"), indent=1, sort_keys=True)


def main():
    os.makedirs(OUT, exist_ok=True)
    stamp = os.path.join(OUT, "cells.json")
    if os.path.exists(stamp) and json.load(open(stamp)).get("_hash") == SRC_HASH + str(SMALL):
        return
    cells = {"_hash": SRC_HASH + str(SMALL)}
    versions = {"pyarrow": pa.__version__, "duckdb": duckdb.__version__}
    for profile in PROFILES:
        full = build(profile)
        for enc in ENCODINGS:
            if enc in ("PLAIN", "DICT"):
                names = full.column_names
            else:
                names = [c for c in full.column_names if PHYS.get(c) in APPLIES[enc]]
            t = full.select(names)
            truth = f"truth-pa-{enc}-{profile}.arrow"
            write_truth(t, os.path.join(OUT, truth))
            for codec in PA_CODECS:
                for dpv in ["1.0", "2.0"]:
                    name = f"pa-{codec}-V{dpv[0]}-{enc}-{profile}.parquet"
                    kw = pa_kwargs(codec, dpv, enc, names)
                    try:
                        pq.write_table(t, os.path.join(OUT, name), **kw)
                    except Exception as ex:  # an encoding pyarrow refuses for a type: drop those columns
                        print(f"{name}: {ex}", file=sys.stderr)
                        continue
                    cells[name] = {"truth": truth, "writer": "pyarrow " + pa.__version__, "codec": "UNCOMPRESSED" if codec == "NONE" else codec, "version": "V" + dpv[0], "encoding": enc, "profile": profile}
        # DuckDB native writer (its own encodings: V1 = PLAIN/dictionary, V2 = DELTA_*/BYTE_STREAM_SPLIT)
        con = duckdb.connect()
        con.register("t", full)
        truth = f"truth-duck-{profile}.arrow"
        write_truth(con.execute("SELECT * FROM t").fetch_arrow_table(), os.path.join(OUT, truth))
        for codec in DUCK_CODECS:
            for pv in ["v1", "v2"]:
                name = f"duck-{codec.upper()}-{pv.upper()}-native-{profile}.parquet"
                path = os.path.join(OUT, name)
                con.execute(f"COPY (SELECT * FROM t) TO '{path}' (FORMAT parquet, COMPRESSION {codec}, PARQUET_VERSION {pv}, ROW_GROUP_SIZE 1024)")
                cells[name] = {"truth": truth, "writer": "duckdb " + duckdb.__version__, "codec": codec.upper(), "version": pv.upper(), "encoding": "native", "profile": profile}
        con.close()
    cells["_versions"] = versions
    json.dump(cells, open(stamp, "w"), indent=1)


if __name__ == "__main__":
    if FIXTURES:
        ROWS = {k: 240 for k in ROWS}
        fixtures()
    else:
        main()
