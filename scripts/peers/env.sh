# Sourceable: where the installed test peers are (see install.sh). Sets and exports
#   DX_PEERS_CACHE  the cache folder (default ~/.cache/delta-explorer/peers)
#   DX_PEERS_VENV   its Python venv (deltalake, duckdb + delta extension, pyarrow, pyspark, delta-spark, minio)
#   DX_PEERS_PYTHON that venv's python
#   DX_MINIO_BIN, DX_LAKEFS_BIN  the server binaries
#   DX_SPARK_IVY    the Ivy folder holding the resolved Spark jars (give it as spark.jars.ivy)
#   DX_SPARK_PACKAGES  the Maven coordinates resolved there (give them as spark.jars.packages)
# and the pinned versions of versions.sh.
_dx_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$_dx_here/versions.sh"
export DX_PEERS_CACHE="${DX_PEERS_CACHE:-$HOME/.cache/delta-explorer/peers}"
export DX_PEERS_VENV="$DX_PEERS_CACHE/venv"
export DX_PEERS_PYTHON="$DX_PEERS_VENV/bin/python"
export DX_MINIO_BIN="$DX_PEERS_CACHE/bin/minio"
export DX_LAKEFS_BIN="$DX_PEERS_CACHE/bin/lakefs"
export DX_SPARK_IVY="$DX_PEERS_CACHE/ivy"
export DX_SPARK_PACKAGES DX_MINIO_MODULE DX_LAKEFS_VERSION DX_PY_PACKAGES
unset _dx_here
