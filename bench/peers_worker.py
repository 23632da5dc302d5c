"""Timing worker of the `peers` benchmark suite (bench/suites/peers.ts), run with the peers' venv.

Reads one JSON command per line on stdin and answers one JSON line on stdout, timing only the work
itself (not the pipe), so the Node side can pair each run with its own measurement:

    {"op": "rs_snapshot", "dir": "..."}           DeltaTable(dir) + get_add_actions(flatten=False)
    {"op": "rs_open_remote", "uri": "s3://...", "options": {...}}
                                                  DeltaTable over an S3-compatible endpoint (the
                                                  network suite's proxy): version, total size,
                                                  records and sorted paths of the active files
    {"op": "duck_open"}                           a DuckDB connection with the delta extension
                                                  loaded from the duckdb-ext-delta package (no network)
    {"op": "duck_sql", "sql": "..."}              runs the query, fetches all rows

Answer: {"ms": wall ms, "cpuMs": process CPU ms, "rows": n, "result": [...first rows...]} or {"error": "..."}.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

con = None


def ext_path() -> str:
    import duckdb
    import duckdb_ext  # namespace package of the duckdb-ext-* wheels
    base = Path(list(duckdb_ext.__path__)[0]) / "extensions" / f"v{duckdb.__version__}"
    found = sorted(base.glob("*/delta.duckdb_extension"))
    if not found:
        raise RuntimeError(f"no delta.duckdb_extension under {base} (pip install duckdb-ext-delta)")
    return str(found[0])


def run(cmd: dict) -> dict:
    global con
    op = cmd["op"]
    t0 = time.perf_counter()
    c0 = time.process_time()
    rows = 0
    result = None
    if op == "rs_snapshot":
        from deltalake import DeltaTable
        t = DeltaTable(cmd["dir"])
        adds = t.get_add_actions(flatten=False)
        rows = adds.num_rows
    elif op == "rs_open_remote":
        # Open a table through an S3-compatible endpoint (the network suite's proxy): the version
        # and the files delta-rs sees, for the correctness check.
        from deltalake import DeltaTable
        t = DeltaTable(cmd["uri"], storage_options=cmd["options"])
        import pyarrow as pa
        adds = pa.table(t.get_add_actions(flatten=True)).to_pydict()
        paths = sorted(adds["path"])
        rows = len(paths)
        records = adds.get("num_records") or []
        result = [[t.version(), sum(adds["size_bytes"]), sum(r for r in records if r is not None), paths]]
    elif op == "duck_open":
        import duckdb
        con = duckdb.connect(config={"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"})
        con.execute(f"LOAD '{ext_path()}'")
    elif op == "duck_sql":
        res = con.execute(cmd["sql"]).fetchall()
        rows = len(res)
        result = [[v if isinstance(v, (int, float, str, type(None))) else str(v) for v in r] for r in res[:20]]
    else:
        raise ValueError(f"unknown op {op}")
    return {"ms": (time.perf_counter() - t0) * 1000, "cpuMs": (time.process_time() - c0) * 1000, "rows": rows, "result": result}


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = run(json.loads(line))
        except BaseException as e:  # noqa: BLE001 - reported to the caller
            out = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
