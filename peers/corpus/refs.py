"""Reference answers of Spark 4 + Delta and delta-rs for Delta tables someone else wrote.

    python peers/corpus/refs.py [--tables DIR] [--out DIR] [--only NAME,...] [--manifest FILE]

``generate.py`` writes its own tables and records what the peers answer about them; this script
asks the same questions (``generate.reference``: per version delta-rs's snapshot and Spark's
``versionAsOf`` rows, Spark's ``DESCRIBE HISTORY``, ``table_changes`` for Change Data Feed tables,
``timestampAsOf`` between commits) about tables that already exist — plus delta-rs's own rows
(``deltaRsRows``) for the versions where Spark failed or returned another count than the log's: by default the corpus copy in
``test/fixtures/tables`` (delta-kernel-rs golden tables, delta-rs test tables, Spark and kernel
writes; see ``test/fixtures/NOTICE``), or any folder of Delta tables given with ``--tables`` (one
table per sub-folder holding ``_delta_log``). ``<out>/<name>.reference.json`` is written per table,
in the format ``peers/conformance.ts`` reads (``Reference``), and ``corpus.json`` the run's summary.

Large results: a row set with more than ``--row-cap`` rows (default 20,000) is recorded as its row
count and the SHA-256 of its canonical rows (``rowCount``, ``rowsSha256``: the rows printed as
``peers/canon.ts`` prints them, sorted by UTF-16 code units, joined by newlines) instead of the rows;
every row set also gets the digest, so the hermetic suite checks the digest scheme itself on every
small table. With ``--full-rows`` all rows are kept (to name the first differing row).

The table folders are only read; Spark and delta-rs write nothing into them.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "gen"))  # beside, not inside, peers/gen: its sources hash the generated tables

import generate  # noqa: E402  (sets TZ=UTC)

ROOT = HERE.parent.parent
DEFAULT_TABLES = ROOT / "test" / "fixtures" / "tables"
DEFAULT_OUT = ROOT / "test" / "fixtures" / "corpus-references"
DEFAULT_MANIFEST = ROOT / "test" / "fixtures" / "MANIFEST.json"


# --- the canonical text exactly as peers/canon.ts prints it -------------------------------------

def js_number(f: float) -> str:
    """ECMAScript Number::toString of a finite double (what JSON.stringify prints)."""
    if f == 0:
        return "0"
    sign = "-" if f < 0 else ""
    t = Decimal(repr(abs(f))).normalize().as_tuple()  # shortest round-trip digits, like JS
    digits = "".join(map(str, t.digits))
    k = len(digits)
    n = t.exponent + k  # value = 0.digits × 10^n
    if k <= n <= 21:
        s = digits + "0" * (n - k)
    elif 0 < n <= 21:
        s = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        s = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + s


def _utf16(s: str) -> bytes:
    return s.encode("utf-16-be", "surrogatepass")


def js_text(v) -> str:
    """``canonText`` of peers/canon.ts: keys sorted by UTF-16 code units, JS number printing."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise ValueError("non-finite float in canonical JSON")  # canon.py turns them into strings
        return js_number(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(js_text(x) for x in v) + "]"
    if isinstance(v, dict):
        keys = sorted(v, key=_utf16)
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + js_text(v[k]) for k in keys) + "}"
    raise TypeError(f"not canonical JSON: {type(v).__name__}")


def rows_digest(rows: list[str]) -> str:
    """SHA-256 (hex) of canonical row texts as peers/canon.ts prints and sorts them."""
    texts = sorted((js_text(json.loads(r)) for r in rows), key=_utf16)
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()


def cap_rows(x, cap: int):
    """Adds the digest to a row set (``{columns, rows}``); drops the rows past ``cap``."""
    if not isinstance(x, dict) or "rows" not in x or not isinstance(x["rows"], list):
        return x
    x["rowCount"] = len(x["rows"])
    x["rowsSha256"] = rows_digest(x["rows"])
    if cap >= 0 and len(x["rows"]) > cap:
        del x["rows"]
    return x


def ntz_partition_values(refj: dict) -> dict:
    """delta-rs hands timestamp_ntz partition values over as naive datetimes, which ``canon_py``
    (typeless) prints with ``Z``; the column's type says they have no time zone."""
    for entry in refj["versions"].values():
        rs = entry["deltaRs"]
        if "error" in rs:
            continue
        ntz = {f["name"] for f in rs["metadata"]["schema"].get("fields", []) if f.get("type") == "timestamp_ntz"}
        for f in rs["files"]:
            for c in ntz & set(f["partitionValues"]):
                v = f["partitionValues"][c]
                if isinstance(v, str) and v.endswith("Z"):
                    f["partitionValues"][c] = v[:-1]
    return refj


def cap_reference(refj: dict, cap: int) -> dict:
    for entry in refj["versions"].values():
        entry["spark"]["rows"] = cap_rows(entry["spark"]["rows"], cap)
        if "deltaRsRows" in entry:
            entry["deltaRsRows"] = cap_rows(entry["deltaRsRows"], cap)
    for c in refj.get("changes") or []:
        cap_rows(c, cap)
    for t in refj.get("timestampAsOf") or []:
        t["rows"] = cap_rows(t["rows"], cap)
    return refj


# --- delta-rs's rows, where Spark's answer is missing or contradicts the log ----------------------

def canon_arrow(v, t):
    """Canonical form (``canon.py`` rules) of a value ``to_pylist`` gave for Arrow type ``t``."""
    import pyarrow as pa
    if v is None:
        return None
    if pa.types.is_timestamp(t):
        return generate.canon._ts(v, t.tz is None)
    if pa.types.is_decimal(t):
        return format(v.quantize(Decimal(1).scaleb(-t.scale), context=generate.canon.WIDE), "f")
    if pa.types.is_struct(t):
        return {t.field(i).name: canon_arrow(v.get(t.field(i).name), t.field(i).type) for i in range(t.num_fields)}
    if pa.types.is_map(t):
        pairs = [[canon_arrow(k, t.key_type), canon_arrow(x, t.item_type)] for k, x in v]
        return sorted(pairs, key=lambda p: json.dumps(p[0], sort_keys=True))
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return [canon_arrow(x, t.value_type) for x in v]
    return generate.canon.canon_py(v)


def rs_rows(path: Path, version: int) -> dict:
    """delta-rs's rows of a version, as a row set like Spark's: its DataFusion reader
    (``QueryBuilder``), which applies deletion vectors (``to_pyarrow_table`` refuses them)."""
    try:
        import pyarrow as pa
        from deltalake import DeltaTable, QueryBuilder
        tbl = pa.table(QueryBuilder().register("t", DeltaTable(str(path), version=version)).execute("SELECT * FROM t").read_all())
        fields = list(tbl.schema)
        rows = sorted(generate.canon.row_text({f.name: canon_arrow(r[f.name], f.type) for f in fields}) for r in tbl.to_pylist())
        return {"columns": [{"name": f.name, "type": str(f.type)} for f in fields], "rows": rows}
    except BaseException as e:  # noqa: BLE001 - recorded as the peer's answer
        return generate.err(e)


def log_count(rs: dict) -> int | None:
    if "error" in rs or any(f["numRecords"] is None for f in rs["files"]):
        return None
    return sum(f["numRecords"] - (f["dvCardinality"] or 0) for f in rs["files"])


def add_rs_rows(refj: dict, path: Path) -> dict:
    """Adds ``deltaRsRows`` to the versions where Spark failed or its row count is not the log's."""
    for v, entry in refj["versions"].items():
        spark = entry["spark"]["rows"]
        expected = log_count(entry["deltaRs"])
        count = len(spark["rows"]) if "rows" in spark else spark.get("rowCount")
        if "error" in spark or (expected is not None and count != expected):
            entry["deltaRsRows"] = rs_rows(path, int(v))
    return refj


# --- which questions to ask ---------------------------------------------------------------------

def has_cdf(path: Path) -> bool:
    """Whether any commit enables the Change Data Feed or writes cdc files (then table_changes is asked)."""
    log = path / "_delta_log"
    for f in sorted(log.glob("*.json")):
        if not f.name[:20].isdigit():
            continue
        try:
            text = f.read_text(encoding="utf-8")
        except OSError:
            continue
        if '"delta.enableChangeDataFeed":"true"' in text.replace(" ", "") or '"cdc":' in text:
            return True
    return False


def without_hadoop_checksums(src: Path, dst: Path) -> Path:
    """A copy of a table without Hadoop's hidden ``.<file>.crc`` checksum files (modification times kept).

    They are not part of the Delta protocol, and test tables often carry stale ones (a commit edited
    by hand after it was written): Spark's local file system verifies them and refuses the file
    (``ChecksumException``), which would record a refusal that has nothing to do with Delta.
    """
    shutil.copytree(src, dst, ignore=lambda _d, names: [n for n in names if n.startswith(".") and n.endswith(".crc")])
    return dst


def table_dirs(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if (p / "_delta_log").is_dir())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tables", default=str(DEFAULT_TABLES))
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--only")
    ap.add_argument("--manifest", default=str(DEFAULT_MANIFEST))
    ap.add_argument("--row-cap", type=int, default=20_000)
    ap.add_argument("--full-rows", action="store_true")
    ap.add_argument("--rs-rows-only", action="store_true", help="add delta-rs's rows to existing references (no Spark)")
    args = ap.parse_args()
    tables_root = Path(args.tables).resolve()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(",")) if args.only else None
    manifest = {}
    mp = Path(args.manifest)
    if mp.exists():
        manifest = {t["name"]: t for t in json.loads(mp.read_text())}
    cap = -1 if args.full_rows else args.row_cap
    if args.rs_rows_only:  # existing references: add delta-rs's rows where they are due (no Spark)
        for refp in sorted(out.glob("*.reference.json")):
            refj = json.loads(refp.read_text())
            if only and refj["table"] not in only:
                continue
            with tempfile.TemporaryDirectory(prefix="dx-corpus-") as tmp:
                refj = add_rs_rows(refj, without_hadoop_checksums(tables_root / refj["table"], Path(tmp) / refj["table"]))
            refj = cap_reference(refj, cap)  # row sets already capped stay as they are
            refp.write_text(json.dumps(refj, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        print(out)
        return

    spark = generate.spark_session()
    spark.sparkContext.setLogLevel("ERROR")
    summary: dict = {}
    t_all = time.time()
    for path in table_dirs(tables_root):
        name = path.name
        if only and name not in only:
            continue
        t0 = time.time()
        meta = {"features": manifest.get(name, {}).get("features_used", []), "cdf": has_cdf(path)}
        try:
            with tempfile.TemporaryDirectory(prefix="dx-corpus-") as tmp:
                copy = without_hadoop_checksums(path, Path(tmp) / name)
                refj = add_rs_rows(generate.reference(spark, copy, name, manifest.get(name, {}).get("source", "unknown"), meta), copy)
            refj = cap_reference(ntz_partition_values(refj), cap)
            (out / f"{name}.reference.json").write_text(json.dumps(refj, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
            summary[name] = {"seconds": round(time.time() - t0, 1), "versions": len(refj["versions"])}
        except BaseException as e:  # noqa: BLE001 - recorded; the run goes on
            summary[name] = {"seconds": round(time.time() - t0, 1), **generate.err(e)}
        print(f"reference {name}: {summary[name]}", file=sys.stderr, flush=True)
    spark.stop()
    import deltalake
    import pyspark
    prev = out / "corpus.json"
    tables = json.loads(prev.read_text())["tables"] if prev.exists() and only else {}
    (out / "corpus.json").write_text(json.dumps({
        "generator": "peers/corpus/refs.py",
        "tables": {**tables, **summary},
        "seconds": round(time.time() - t_all, 1),
        "rowCap": cap,
        "versions": {"deltalake": deltalake.__version__, "pyspark": pyspark.__version__, "delta-spark": generate.DELTA_SPARK},
    }, indent=1, sort_keys=True) + "\n")
    print(out)


if __name__ == "__main__":
    main()
