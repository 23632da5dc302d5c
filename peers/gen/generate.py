"""Writes the conformance tables with Spark 4 + Delta and delta-rs, and their reference answers.

    python peers/gen/generate.py [--out DIR] [--only NAME,...]

Without ``--out`` the tables go to ``$DX_PEERS_CACHE/tables/<hash>/`` where ``<hash>`` is a hash of
this folder's Python sources, and nothing is done when that folder is already complete (it holds
``DONE``). Prints the output folder on the last line of stdout.

For each table ``<name>/`` (the Delta table) a ``<name>.reference.json`` beside it holds, per
version: delta-rs's snapshot (version, protocol, metadata, active files with sizes, partition
values, numRecords and deletion-vector cardinalities), Spark's ``versionAsOf`` rows (sorted
canonical JSON, see ``canon.py``) and input files; plus Spark's ``DESCRIBE HISTORY``, its
``table_changes`` (CDF tables), and ``timestampAsOf`` rows for timestamps between commits.
An engine's failure is recorded as ``{"error": "..."}`` instead of an answer.

One Spark session (local[2]) writes every Spark table; the Delta jars come from Maven Central
through ``spark.jars.packages`` and are cached under ``$DX_PEERS_CACHE/ivy``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from urllib.parse import unquote, urlparse

os.environ["TZ"] = "UTC"
time.tzset()

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import canon  # noqa: E402
import tables  # noqa: E402

DELTA_SPARK = "io.delta:delta-spark_2.13:4.0.0"


def source_hash() -> str:
    h = hashlib.sha256()
    for f in sorted(HERE.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    return Path(os.environ.get("DX_PEERS_CACHE", "/root/.cache/delta-explorer/peers"))


def spark_session():
    from pyspark.sql import SparkSession
    ivy = cache_dir() / "ivy"
    ivy.mkdir(parents=True, exist_ok=True)
    return (SparkSession.builder.master("local[2]").appName("dx-conformance")
            .config("spark.jars.packages", DELTA_SPARK)
            .config("spark.jars.ivy", str(ivy))
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .config("spark.databricks.delta.retentionDurationCheck.enabled", "false")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.sql.variant.allowReadingShredded", "true")
            .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="dx-spark-warehouse-"))
            .config("spark.driver.memory", "2g")
            .getOrCreate())


def commit_versions(path: Path) -> list[int]:
    log = path / "_delta_log"
    return sorted(int(f.name[:20]) for f in log.iterdir() if len(f.name) == 25 and f.name.endswith(".json") and f.name[:20].isdigit())


def err(e: BaseException) -> dict:
    """A peer's failure: the exception's class and first lines (a Java error's cause included)."""
    lines = [ln.strip() for ln in str(e).strip().splitlines() if ln.strip() and not ln.strip().startswith("at ")]
    return {"error": f"{type(e).__name__}: {' | '.join(lines[:3])}"[:700]}


# --- delta-rs -----------------------------------------------------------------------------------

def rs_deleted_rows(t) -> dict[str, list[int]]:
    """Deleted row indexes per data file (decoded relative path) from delta-rs's deletion vectors."""
    import pyarrow as pa
    root = t.table_uri.rstrip("/")
    out = {}
    for r in pa.table(t.deletion_vectors()).to_pylist():
        rel = unquote(urlparse(r["filepath"]).path)[len(unquote(urlparse(root).path)):].lstrip("/")
        out[rel] = [i for i, keep in enumerate(r["selection_vector"]) if not keep]
    return out


def rs_snapshot(path: Path, version: int) -> dict:
    import pyarrow as pa
    from deltalake import DeltaTable
    try:
        t = DeltaTable(str(path), version=version)
        p = t.protocol()
        m = t.metadata()
        adds = pa.table(t.get_add_actions(flatten=True))
        part_cols = list(m.partition_columns)
        deleted = rs_deleted_rows(t)
        files = []
        for row in adds.to_pylist():
            dv = deleted.get(unquote(row["path"]))
            files.append({
                "path": row["path"],
                "size": row["size_bytes"],
                "numRecords": row.get("num_records"),
                "dvCardinality": len(dv) if dv is not None else None,
                "dvDeleted": dv,
                "partitionValues": {c: canon.canon_py(row.get(f"partition.{c}")) for c in part_cols} if part_cols else {},
            })
        files.sort(key=lambda f: f["path"])
        return {
            "version": t.version(),
            "protocol": {
                "minReaderVersion": p.min_reader_version,
                "minWriterVersion": p.min_writer_version,
                "readerFeatures": sorted(p.reader_features) if p.reader_features is not None else None,
                "writerFeatures": sorted(p.writer_features) if p.writer_features is not None else None,
            },
            "metadata": {
                "id": m.id,
                "name": m.name,
                "description": m.description,
                "partitionColumns": part_cols,
                "configuration": dict(m.configuration),
                "createdTime": m.created_time,
                "schema": json.loads(t.schema().to_json()),
            },
            "files": files,
        }
    except BaseException as e:  # noqa: BLE001 - recorded as the peer's answer
        return err(e)


# --- Spark --------------------------------------------------------------------------------------

def spark_rows(df) -> dict:
    try:
        rows = canon.rows_of(df)
        return {"columns": [{"name": f.name, "type": f.dataType.simpleString()} for f in df.schema.fields], "rows": rows}
    except BaseException as e:  # noqa: BLE001
        return err(e)


def spark_version(spark, path: Path, v: int) -> dict:
    out: dict = {}
    try:
        df = spark.read.format("delta").option("versionAsOf", v).load(str(path))
        out["rows"] = spark_rows(df)
        try:
            out["inputFiles"] = sorted(os.path.relpath(_uri_path(u), path) for u in df.inputFiles())
        except BaseException as e:  # noqa: BLE001
            out["inputFiles"] = err(e)
    except BaseException as e:  # noqa: BLE001
        out["rows"] = err(e)
    return out


def _uri_path(u: str) -> str:
    return unquote(urlparse(u).path)


def spark_history(spark, path: Path) -> list | dict:
    try:
        rows = spark.sql(f"DESCRIBE HISTORY delta.`{path}`").collect()
        out = []
        for r in rows:
            out.append({
                "version": r["version"],
                "timestampMs": canon.ms_of(r["timestamp"]),
                "operation": r["operation"],
                "operationParameters": dict(r["operationParameters"] or {}),
                "operationMetrics": dict(r["operationMetrics"] or {}),
                "readVersion": r["readVersion"],
                "isBlindAppend": r["isBlindAppend"],
            })
        return sorted(out, key=lambda e: e["version"])
    except BaseException as e:  # noqa: BLE001
        return err(e)


def spark_changes(spark, path: Path, start: int, end: int) -> dict:
    try:
        df = (spark.read.format("delta").option("readChangeFeed", "true")
              .option("startingVersion", start).option("endingVersion", end).load(str(path)))
        return spark_rows(df)
    except BaseException as e:  # noqa: BLE001
        return err(e)


def spark_timestamp(spark, path: Path, ts_ms: int) -> dict:
    iso = canon.iso_ms(ts_ms)
    try:
        df = spark.read.format("delta").option("timestampAsOf", iso.replace("T", " ").rstrip("Z")).load(str(path))
        return {"timestamp": iso, "timestampMs": ts_ms, "rows": spark_rows(df)}
    except BaseException as e:  # noqa: BLE001
        return {"timestamp": iso, "timestampMs": ts_ms, "rows": err(e)}


def between_commits(history: list) -> list[int]:
    """Up to four instants: just before the first commit, midway between commits, after the last."""
    ts = [h["timestampMs"] for h in history]
    picks = [ts[0] - 1]
    mids = [(a + b) // 2 for a, b in zip(ts, ts[1:]) if b - a >= 2]
    if mids:
        picks += [mids[0], mids[len(mids) // 2]]
    picks.append(ts[-1] + 1000)
    return sorted(set(picks))


def reference(spark, path: Path, name: str, writer: str, meta: dict) -> dict:
    versions = commit_versions(path)
    out: dict = {"table": name, "writer": writer, "features": meta.get("features", []), "versions": {}}
    for v in versions:
        entry = {"deltaRs": rs_snapshot(path, v)}
        entry["spark"] = spark_version(spark, path, v)
        out["versions"][str(v)] = entry
    if meta.get("filters"):
        latest = versions[-1]
        out["filters"] = []
        # The answer is read with Delta's data skipping off (every file scanned): Spark trusts the
        # writer's min/max, and delta-rs writes lossy decimal stats, so with skipping on Spark can
        # drop rows. That answer is kept too (`rowsWithSkipping`) to document it.
        key = "spark.databricks.delta.stats.skipping"
        for w in meta["filters"]:
            entry = {"version": latest, "where": w}
            for field, skipping in (("rows", "false"), ("rowsWithSkipping", "true")):
                spark.conf.set(key, skipping)
                try:
                    entry[field] = spark_rows(spark.read.format("delta").load(str(path)).where(w))
                except BaseException as e:  # noqa: BLE001
                    entry[field] = err(e)
                finally:
                    spark.conf.unset(key)
            out["filters"].append(entry)
    history = spark_history(spark, path)
    out["history"] = history
    if meta.get("cdf"):
        latest = versions[-1]
        first = 0
        out["changes"] = [{"from": first, "to": latest, **spark_changes(spark, path, first, latest)}]
        for v in versions[1:]:
            out["changes"].append({"from": v, "to": v, **spark_changes(spark, path, v, v)})
    if isinstance(history, list) and history:
        out["timestampAsOf"] = [spark_timestamp(spark, path, t) for t in between_commits(history)]
    return out


def write_tables(out: Path, only: set[str] | None, refs_only: bool = False) -> dict:
    status: dict = {}
    if refs_only:
        every = {**tables.RS_TABLES, **tables.SPARK_TABLES}
        spark = spark_session()
        spark.sparkContext.setLogLevel("ERROR")
        for name in sorted(only or []):
            writer = "delta-rs" if name in tables.RS_TABLES else "spark"
            refj = reference(spark, out / name, name, writer, every[name][1])
            (out / f"{name}.reference.json").write_text(json.dumps(refj, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
            print(f"reference {name}", file=sys.stderr, flush=True)
        spark.stop()
        return status
    for name, (fn, meta) in tables.RS_TABLES.items():
        if only and name not in only:
            continue
        p = out / name
        shutil.rmtree(p, ignore_errors=True)
        t0 = time.time()
        try:
            fn(str(p))
            status[name] = {"writer": "delta-rs", "ok": True, "seconds": round(time.time() - t0, 2), "meta": meta}
        except BaseException as e:  # noqa: BLE001
            traceback.print_exc()
            status[name] = {"writer": "delta-rs", "ok": False, "meta": meta, **err(e)}
    spark = spark_session()
    spark.sparkContext.setLogLevel("ERROR")
    for name, (fn, meta) in tables.SPARK_TABLES.items():
        if only and name not in only:
            continue
        p = out / name
        shutil.rmtree(p, ignore_errors=True)
        t0 = time.time()
        try:
            fn(spark, str(p))
            status[name] = {"writer": "spark", "ok": True, "seconds": round(time.time() - t0, 2), "meta": meta}
        except BaseException as e:  # noqa: BLE001 - recorded; the table is left out
            traceback.print_exc()
            status[name] = {"writer": "spark", "ok": False, "meta": meta, **err(e)}
            shutil.rmtree(p, ignore_errors=True)
        print(f"wrote {name}: {status[name].get('seconds')} s", file=sys.stderr, flush=True)
    # References for the tables just written, and for any written earlier without one.
    every = {**{k: ("delta-rs", m) for k, (_, m) in tables.RS_TABLES.items()}, **{k: ("spark", m) for k, (_, m) in tables.SPARK_TABLES.items()}}
    for name, (writer, meta) in every.items():
        refp = out / f"{name}.reference.json"
        if not (out / name / "_delta_log").is_dir() or (name not in status and refp.exists()):
            continue
        if name in status and not status[name]["ok"]:
            continue
        t0 = time.time()
        refj = reference(spark, out / name, name, writer, meta)
        refp.write_text(json.dumps(refj, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        print(f"reference {name}: {round(time.time() - t0, 1)} s", file=sys.stderr, flush=True)
    spark.stop()
    return status


HASH = source_hash()  # once, at start: the sources may be edited while a run goes on


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--only")
    ap.add_argument("--rs-refs-only", action="store_true", help="recompute only the delta-rs answers of existing references")
    ap.add_argument("--refs-only", action="store_true", help="with --only: recompute the references of existing tables, write nothing")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    if args.out:
        out = Path(args.out).resolve()
    else:
        out = cache_dir() / "tables" / HASH
        if (out / "DONE").exists() and not only:
            print(out)
            return
    out.mkdir(parents=True, exist_ok=True)
    if args.rs_refs_only:
        for refp in sorted(out.glob("*.reference.json")):
            refj = json.loads(refp.read_text())
            for v in refj["versions"]:
                refj["versions"][v]["deltaRs"] = rs_snapshot(out / refj["table"], int(v))
            refp.write_text(json.dumps(refj, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        print(out)
        return
    t0 = time.time()
    status = write_tables(out, only, args.refs_only)
    import deltalake
    import pyspark
    previous = out / "generated.json"
    if previous.exists():
        status = {**{k: v for k, v in json.loads(previous.read_text())["tables"].items()}, **status}
    summary = {
        "generator": "peers/gen/generate.py",
        "sourceHash": HASH,
        "seconds": round(time.time() - t0, 1),
        "versions": {"deltalake": deltalake.__version__, "pyspark": pyspark.__version__, "delta-spark": DELTA_SPARK},
        "tables": {k: {kk: vv for kk, vv in v.items() if kk != "meta"} for k, v in sorted(status.items())},
    }
    (out / "generated.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
    if not only:
        (out / "DONE").write_text("ok\n")
    print(out)


if __name__ == "__main__":
    main()
