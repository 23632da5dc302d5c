"""Sets up the MinIO test peer started by test-peers.sh (root credentials in DX_MINIO_*):

- bucket `lakefs-store`: lakeFS's storage namespace;
- bucket `lake`: fixture tables for the S3 browser tests, uploaded through the S3 API
  (`warehouse/covid` = COVID-19_NYT, `warehouse/dv_table` = table_with_deletion_logs);
- user `dx-restricted` (random secret) with an IAM policy that lists `lake` and reads only
  `lake/warehouse/covid/*`: reading `warehouse/dv_table` is refused (AccessDenied).

Prints `export NAME=value` lines for the shell (the restricted user's keys)."""
import os
import secrets
import shlex
import sys
from pathlib import Path
from urllib.parse import urlparse

from minio import Minio
from minio.credentials import StaticProvider
from minio.minioadmin import MinioAdmin

ROOT = Path(__file__).resolve().parents[2]
TABLES = ROOT / "test" / "fixtures" / "tables"
UPLOADS = {"warehouse/covid": "COVID-19_NYT", "warehouse/dv_table": "table_with_deletion_logs"}
RESTRICTED_USER = "dx-restricted"


def main() -> int:
    endpoint = urlparse(os.environ["DX_MINIO_ENDPOINT"]).netloc
    key, secret = os.environ["DX_MINIO_ACCESS_KEY"], os.environ["DX_MINIO_SECRET_KEY"]
    s3 = Minio(endpoint, access_key=key, secret_key=secret, secure=False, region="us-east-1")
    for bucket in ("lakefs-store", "lake"):
        if not s3.bucket_exists(bucket):
            s3.make_bucket(bucket)
    for prefix, name in UPLOADS.items():
        base = TABLES / name
        for f in sorted(p for p in base.rglob("*") if p.is_file()):
            s3.fput_object("lake", f"{prefix}/{f.relative_to(base).as_posix()}", str(f))

    admin = MinioAdmin(endpoint=endpoint, credentials=StaticProvider(key, secret), secure=False)
    restricted_secret = "dx-restricted-" + secrets.token_hex(12)
    admin.user_add(RESTRICTED_USER, restricted_secret)
    admin.policy_add("dx-read-covid-only", policy={
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": ["arn:aws:s3:::lake"]},
            {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::lake/warehouse/covid/*"]},
        ],
    })
    admin.attach_policy(["dx-read-covid-only"], user=RESTRICTED_USER)
    print(f"export DX_MINIO_RESTRICTED_ACCESS_KEY={shlex.quote(RESTRICTED_USER)}")
    print(f"export DX_MINIO_RESTRICTED_SECRET_KEY={shlex.quote(restricted_secret)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
