# Pinned versions of the test peers (sourced by install.sh and env.sh). Bump here only; the
# install stamps include these strings, so a bump rebuilds just the step it changes.

# MinIO server: the Go module pseudo-version `go install github.com/minio/minio@latest` resolved
# to on 2026-12-03 (MinIO publishes no module tags; RELEASE.* tags are not semver).
DX_MINIO_MODULE="github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c"
# lakeFS server: the release the Go module proxy serves here (its nested modules are not served;
# see scripts/peers/lakefs-modules/README.md).
DX_LAKEFS_VERSION="v1.80.0"
# Python peers (one venv). delta-spark 4.0.x requires pyspark >=4.0,<4.1. minio (MinIO's Python
# SDK) only for its admin API client (test users and policies).
DX_PYSPARK_VERSION="4.0.1"
DX_PY_PACKAGES="deltalake==1.6.6 duckdb==1.4.4 duckdb-ext-delta==1.4.4.20260205 pyarrow==26.0.1 pyspark==$DX_PYSPARK_VERSION delta-spark==4.0.0 minio==7.2.20"
# Maven packages Spark resolves into the ivy cache at install time: Delta for Spark 4.0 (Scala
# 2.13) and hadoop-aws matching pyspark 4.0.1's Hadoop 3.4.1 (s3a://, for writing into lakeFS).
DX_SPARK_PACKAGES="io.delta:delta-spark_2.13:4.0.0,org.apache.hadoop:hadoop-aws:3.4.1"
