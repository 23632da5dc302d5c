"""Install-time step: start a local SparkSession once with `spark.jars.packages` so that Ivy
resolves Delta and hadoop-aws (with their dependencies) into <cache>/ivy; later sessions with the
same `spark.jars.ivy` start from the cache. Then writes and reads a tiny Delta table as a check."""
import os
import sys
import tempfile

from pyspark.sql import SparkSession


def main() -> int:
    cache = os.environ["DX_PEERS_CACHE"]
    packages = os.environ["DX_SPARK_PACKAGES"]
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("dx-peers-install")
        .config("spark.jars.ivy", os.path.join(cache, "ivy"))
        .config("spark.jars.packages", packages)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "t")
            spark.range(5).write.format("delta").save(path)
            n = spark.read.format("delta").load(path).count()
            # hadoop-aws is on the classpath (s3a:// for the lakeFS writer).
            loader = spark._jvm.java.lang.Thread.currentThread().getContextClassLoader()
            loader.loadClass("org.apache.hadoop.fs.s3a.S3AFileSystem")
    finally:
        spark.stop()
    if n != 5:
        print(f"resolve_jars: read back {n} rows, expected 5", file=sys.stderr)
        return 1
    print(f"resolve_jars: {packages} resolved into {cache}/ivy; Delta write/read ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
