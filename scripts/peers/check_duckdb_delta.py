"""Install-time check: DuckDB's delta extension loads from the duckdb-ext-delta wheel with
autoinstall/autoload off (so no network is touched) and `delta_scan` reads a table that delta-rs
just wrote. Exits non-zero with a message otherwise."""
import os
import sys
import tempfile

import duckdb
import duckdb_ext  # namespace package of the duckdb-ext-* wheels
import pyarrow as pa
from deltalake import write_deltalake


def main() -> int:
    ext_dir = os.path.join(list(duckdb_ext.__path__)[0], "extensions")
    with tempfile.TemporaryDirectory() as tmp:
        table = os.path.join(tmp, "t")
        write_deltalake(table, pa.table({"id": [1, 2, 3], "v": ["a", "b", "c"]}))
        write_deltalake(table, pa.table({"id": [4], "v": ["d"]}), mode="append")
        con = duckdb.connect(config={"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"})
        con.execute("SET extension_directory = ?", [ext_dir])
        con.execute("LOAD delta")
        n, s = con.execute("SELECT count(*), sum(id) FROM delta_scan(?)", [table]).fetchone()
    if (n, s) != (4, 10):
        print(f"check_duckdb_delta: delta_scan gave count={n} sum={s}, expected 4 and 10", file=sys.stderr)
        return 1
    print(f"check_duckdb_delta: duckdb {duckdb.__version__} loaded delta from {ext_dir} offline; delta_scan ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
