"""Sets up the lakeFS test peer(s) started by test-peers.sh and writes Delta tables into them the
way users do: through lakeFS's S3 gateway, with delta-rs and with Spark (s3a://), then commits,
branches and tags through the lakeFS API.

Main server (DX_LAKEFS_ENDPOINT, presigns: blockstore s3 on MinIO), repository `delta-lake`:
  main  commit "load tables":
          tables/rs_events   delta-rs: create (v0), append (v1)
          tables/spark_sales Spark: create (v0), append (v1), deletion vectors enabled (v2)
          raw/readme.txt     a folder without a table
        tag `v1-load` on that commit
  dev   (from main) commit "update, delete with DVs, schema change":
          tables/spark_sales Spark: UPDATE (v3), DELETE with deletion vectors (v4),
                             ADD COLUMNS + INSERT (v5, v6)
          tables/rs_events   delta-rs: append (v2)
A second repository `other` (empty but for a file) shows there are several.

No-presign server (DX_LAKEFS_NOPRESIGN_ENDPOINT, `blockstore.s3.disable_pre_signed`), when given:
repository `plain`, branch main, tables/rs_events written by delta-rs (two versions).

Each server is first set up with `POST /api/v1/setup_lakefs` (admin user; the keys it returns).
What the tests check against comes from the peers themselves, read back through the gateway at
each commit id: version, number of active files and total size (delta-rs `get_add_actions`), row
counts (Spark, which applies deletion vectors). Written to --facts as JSON; prints `export` lines
with the keys."""
import argparse
import base64
import json
import os
import secrets
import shlex
import sys
import time
import urllib.error
import urllib.request

import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

REPO = "delta-lake"


class LakeFs:
    """A tiny client of the lakeFS API (basic auth)."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint.rstrip("/")
        self.auth = ""
        self.key = ("", "")

    def call(self, method: str, path: str, body=None, ok=(200, 201, 204)):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.endpoint}/api/v1{path}", data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.auth:
            req.add_header("Authorization", self.auth)
        try:
            with urllib.request.urlopen(req, timeout=120) as res:
                raw = res.read()
                if not raw:
                    return None
                try:
                    return json.loads(raw)
                except ValueError:
                    return raw.decode()  # e.g. CreateBranch answers the new ref's commit id as text
        except urllib.error.HTTPError as e:
            if e.code in ok:
                return None
            raise RuntimeError(f"lakeFS {method} {path}: HTTP {e.code} {e.read()[:300]!r}") from None

    def setup(self):
        keys = self.call("POST", "/setup_lakefs", {"username": "dx-admin"})
        self.key = (keys["access_key_id"], keys["secret_access_key"])
        self.auth = "Basic " + base64.b64encode(f"{self.key[0]}:{self.key[1]}".encode()).decode()

    def repo(self, name: str, namespace: str):
        # A fresh namespace each time: lakeFS refuses one that already holds a repository's objects.
        namespace = f"{namespace}-{secrets.token_hex(4)}"
        self.call("POST", "/repositories", {"name": name, "storage_namespace": namespace, "default_branch": "main"})

    def branch(self, repo: str, name: str, source: str):
        self.call("POST", f"/repositories/{repo}/branches", {"name": name, "source": source})

    def commit(self, repo: str, branch: str, message: str) -> str:
        return self.call("POST", f"/repositories/{repo}/branches/{branch}/commits", {"message": message})["id"]

    def tag(self, repo: str, tag: str, ref: str):
        self.call("POST", f"/repositories/{repo}/tags", {"id": tag, "ref": ref})

    def upload(self, repo: str, branch: str, path: str, content: bytes):
        boundary = "dxpeers"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"content\"; filename=\"f\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        req = urllib.request.Request(f"{self.endpoint}/api/v1/repositories/{repo}/branches/{branch}/objects?path={path}",
                                     data=body, method="POST")
        req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        req.add_header("Authorization", self.auth)
        urllib.request.urlopen(req, timeout=60).read()

    def storage_options(self) -> dict:
        # As the lakeFS docs show for delta-rs (integrations/delta.md), plus AWS_ALLOW_HTTP for http.
        return {
            "AWS_ENDPOINT": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.key[0],
            "AWS_SECRET_ACCESS_KEY": self.key[1],
            "AWS_REGION": "us-east-1",
            "AWS_S3_ALLOW_UNSAFE_RENAME": "true",
            "AWS_ALLOW_HTTP": "true",
        }


def events(start: int, n: int) -> pa.Table:
    ids = list(range(start, start + n))
    return pa.table({
        "id": pa.array(ids, pa.int64()),
        "kind": pa.array([("click", "view", "buy")[i % 3] for i in ids]),
        "amount": pa.array([round(i * 1.25, 2) for i in ids], pa.float64()),
    })


def spark_session(lakefs: LakeFs):
    from pyspark.sql import SparkSession

    b = (SparkSession.builder.master("local[2]").appName("dx-seed-lakefs")
         .config("spark.jars.ivy", os.environ["DX_SPARK_IVY"])
         .config("spark.jars.packages", os.environ["DX_SPARK_PACKAGES"])
         .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
         .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "2").config("spark.driver.memory", "1g")
         .config("spark.sql.session.timeZone", "UTC")
         # s3a:// at lakeFS's S3 gateway (lakeFS docs, integrations/spark.md): path-style, http.
         .config("spark.hadoop.fs.s3a.endpoint", lakefs.endpoint)
         .config("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
         .config("spark.hadoop.fs.s3a.access.key", lakefs.key[0])
         .config("spark.hadoop.fs.s3a.secret.key", lakefs.key[1])
         .config("spark.hadoop.fs.s3a.path.style.access", "true")
         .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
         .config("spark.hadoop.fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem"))
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def table_facts(lakefs: LakeFs, repo: str, ref: str, path: str, spark=None) -> dict:
    """What the peers read at `ref`: delta-rs for version and files, Spark (or delta-rs) for rows."""
    uri = f"s3://{repo}/{ref}/{path}"
    dt = DeltaTable(uri, storage_options=lakefs.storage_options())
    adds = dt.get_add_actions(flatten=True)
    adds = adds.to_pydict() if hasattr(adds, "to_pydict") else pa.table(adds).to_pydict()
    sizes = adds.get("size_bytes", [])
    facts = {"version": dt.version(), "numFiles": len(sizes), "sizeBytes": int(sum(sizes)),
             "columns": [f.name for f in dt.schema().fields]}
    if spark is not None:
        facts["rows"] = spark.read.format("delta").load(f"s3a://{repo}/{ref}/{path}").count()
    else:
        facts["rows"] = dt.to_pyarrow_table().num_rows
    return facts


def seed_main(lakefs: LakeFs, log) -> dict:
    lakefs.setup()
    lakefs.repo(REPO, f"s3://lakefs-store/{REPO}")
    lakefs.repo("other", "s3://lakefs-store/other")
    lakefs.upload("other", "main", "notes/readme.txt", b"not a table\n")
    lakefs.commit("other", "main", "a file")
    opts = lakefs.storage_options()
    t0 = time.time()
    rs = f"s3://{REPO}/main/tables/rs_events"
    write_deltalake(rs, events(0, 50), storage_options=opts)
    write_deltalake(rs, events(50, 25), mode="append", storage_options=opts)
    lakefs.upload(REPO, "main", "raw/readme.txt", b"raw files, not a Delta table\n")
    log(f"delta-rs wrote tables/rs_events into lakeFS main ({time.time() - t0:.1f} s)")

    t0 = time.time()
    spark = spark_session(lakefs)
    log(f"Spark started ({time.time() - t0:.1f} s)")
    t0 = time.time()
    sales = f"s3a://{REPO}/main/tables/spark_sales"
    df = spark.createDataFrame([(i, ("north", "south", "east", "west")[i % 4], i * 10) for i in range(200)], "id long, region string, qty long")
    df.repartition(2).write.format("delta").save(sales)
    spark.createDataFrame([(i, "north", i) for i in range(200, 260)], "id long, region string, qty long").write.format("delta").mode("append").save(sales)
    spark.sql(f"ALTER TABLE delta.`{sales}` SET TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')")
    log(f"Spark wrote tables/spark_sales into lakeFS main ({time.time() - t0:.1f} s)")
    main_commit = lakefs.commit(REPO, "main", "load tables")
    lakefs.tag(REPO, "v1-load", main_commit)

    lakefs.branch(REPO, "dev", "main")
    t0 = time.time()
    dev_sales = f"s3a://{REPO}/dev/tables/spark_sales"
    spark.sql(f"UPDATE delta.`{dev_sales}` SET qty = qty + 1 WHERE region = 'south'")
    spark.sql(f"DELETE FROM delta.`{dev_sales}` WHERE id % 10 = 3")
    spark.sql(f"ALTER TABLE delta.`{dev_sales}` ADD COLUMNS (note string)")
    spark.sql(f"INSERT INTO delta.`{dev_sales}` VALUES (1000, 'east', 5, 'late'), (1001, 'west', 6, 'late')")
    write_deltalake(f"s3://{REPO}/dev/tables/rs_events", events(75, 10), mode="append", storage_options=opts)
    log(f"dev: update, delete with DVs, schema change, append ({time.time() - t0:.1f} s)")
    dev_commit = lakefs.commit(REPO, "dev", "update, delete with DVs, schema change")

    dv_files = spark.sql(f"DESCRIBE DETAIL delta.`s3a://{REPO}/{dev_commit}/tables/spark_sales`").collect()[0]
    facts = {
        "repository": REPO,
        "otherRepository": "other",
        "tag": "v1-load",
        "branches": {"main": main_commit, "dev": dev_commit},
        "tables": {
            "rs_events": {"path": "tables/rs_events", "writer": "delta-rs",
                          "main": table_facts(lakefs, REPO, main_commit, "tables/rs_events"),
                          "dev": table_facts(lakefs, REPO, dev_commit, "tables/rs_events")},
            "spark_sales": {"path": "tables/spark_sales", "writer": "Spark",
                            "main": table_facts(lakefs, REPO, main_commit, "tables/spark_sales", spark),
                            "dev": table_facts(lakefs, REPO, dev_commit, "tables/spark_sales", spark),
                            "devNumFilesSpark": dv_files["numFiles"]},
        },
        "rawFolder": "raw",
    }
    spark.stop()
    return facts


def seed_nopresign(lakefs: LakeFs, log) -> dict:
    lakefs.setup()
    lakefs.repo("plain", "s3://lakefs-store/plain")
    rs = "s3://plain/main/tables/rs_events"
    write_deltalake(rs, events(0, 30), storage_options=lakefs.storage_options())
    write_deltalake(rs, events(30, 12), mode="append", storage_options=lakefs.storage_options())
    commit = lakefs.commit("plain", "main", "load")
    log("no-presign server: delta-rs wrote plain/main/tables/rs_events")
    return {"repository": "plain", "branches": {"main": commit},
            "tables": {"rs_events": {"path": "tables/rs_events", "main": table_facts(lakefs, "plain", commit, "tables/rs_events")}}}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--facts", required=True)
    args = ap.parse_args()
    log = lambda m: print(f"seed_lakefs: {m}", file=sys.stderr, flush=True)
    main_server = LakeFs(os.environ["DX_LAKEFS_ENDPOINT"])
    facts = seed_main(main_server, log)
    exports = {"DX_LAKEFS_ACCESS_KEY": main_server.key[0], "DX_LAKEFS_SECRET_KEY": main_server.key[1]}
    if os.environ.get("DX_LAKEFS_NOPRESIGN_ENDPOINT"):
        plain = LakeFs(os.environ["DX_LAKEFS_NOPRESIGN_ENDPOINT"])
        facts["noPresign"] = seed_nopresign(plain, log)
        exports.update({"DX_LAKEFS_NOPRESIGN_ACCESS_KEY": plain.key[0], "DX_LAKEFS_NOPRESIGN_SECRET_KEY": plain.key[1]})
    with open(args.facts, "w") as f:
        json.dump(facts, f, indent=2)
    log(json.dumps(facts))
    for k, v in exports.items():
        print(f"export {k}={shlex.quote(v)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
