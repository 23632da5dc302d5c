#!/usr/bin/env bash
# `npm run peers:install`: installs the test peers (MinIO, lakeFS, a Python venv with delta-rs,
# DuckDB + its delta extension, pyarrow, PySpark + delta-spark, and the Spark jars) into
# ${DX_PEERS_CACHE:-$HOME/.cache/delta-explorer/peers}, outside the repo, so a machine installs
# them once. Idempotent: each step writes a stamp file (stamps/<step>) holding what it installed;
# a step whose stamp matches is skipped. Prints the time of every step.
# Needs: go (module proxy), python3 with venv, java 17+ (for Spark), network to the registries.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=versions.sh
source "$HERE/versions.sh"
CACHE="${DX_PEERS_CACHE:-$HOME/.cache/delta-explorer/peers}"
mkdir -p "$CACHE/bin" "$CACHE/stamps" "$CACHE/build"
TOTAL_START=$(date +%s)

stamp_ok() { [ -f "$CACHE/stamps/$1" ] && [ "$(cat "$CACHE/stamps/$1")" = "$2" ]; }
step() { # step <name> <stamp-value> <function>
  local name=$1 want=$2 fn=$3 t0 t1
  if stamp_ok "$name" "$want"; then echo "peers:install: $name up to date (skipped)"; return; fi
  echo "peers:install: $name ..."
  t0=$(date +%s)
  "$fn"
  printf '%s' "$want" > "$CACHE/stamps/$name"
  t1=$(date +%s)
  echo "peers:install: $name done in $((t1 - t0)) s"
}

install_minio() {
  GOBIN="$CACHE/bin" GOFLAGS=-buildvcs=false go install "$DX_MINIO_MODULE"
}

install_lakefs() {
  local dir src
  dir=$(go mod download -json "github.com/treeverse/lakefs@$DX_LAKEFS_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  src="$CACHE/build/lakefs-$DX_LAKEFS_VERSION"
  rm -rf "$src"
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  # The nested modules cmd/lakefs imports are not in the module zip: add ours and point go.mod at them.
  local m
  for m in api auth authentication block catalog config gateway license; do
    mkdir -p "$src/modules/$m"
    cp -r "$HERE/lakefs-modules/$m" "$src/modules/$m/factory"
    (cd "$src" && go mod edit -replace "github.com/treeverse/lakefs/modules/$m/factory=./modules/$m/factory")
  done
  rm -rf "$src/webui"
  cp -r "$HERE/lakefs-modules/webui" "$src/webui"
  (cd "$src" && go mod edit -replace "github.com/treeverse/lakefs/webui=./webui")
  (cd "$src" && GOWORK=off GOFLAGS=-buildvcs=false go build -o "$CACHE/bin/lakefs" ./cmd/lakefs)
}

install_venv() {
  # Installs into an existing venv when there is one (pip leaves satisfied pins alone).
  [ -x "$CACHE/venv/bin/pip" ] || python3 -m venv "$CACHE/venv"
  # shellcheck disable=SC2086
  "$CACHE/venv/bin/pip" install --quiet --disable-pip-version-check $DX_PY_PACKAGES
  # DuckDB's delta extension must load from the pip package, with no network.
  "$CACHE/venv/bin/python" "$HERE/check_duckdb_delta.py"
}

install_jars() {
  # Starts a local SparkSession once so that Ivy resolves the packages into $CACHE/ivy.
  DX_PEERS_CACHE="$CACHE" DX_SPARK_PACKAGES="$DX_SPARK_PACKAGES" "$CACHE/venv/bin/python" "$HERE/resolve_jars.py"
}

command -v go >/dev/null || { echo "peers:install: go is not installed" >&2; exit 1; }
command -v python3 >/dev/null || { echo "peers:install: python3 is not installed" >&2; exit 1; }
command -v java >/dev/null || { echo "peers:install: java is not installed (Spark needs 17+)" >&2; exit 1; }

modules_hash=$(cd "$HERE/lakefs-modules" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
step minio "$DX_MINIO_MODULE" install_minio
step lakefs "$DX_LAKEFS_VERSION+$modules_hash" install_lakefs
step venv "$DX_PY_PACKAGES+$(python3 --version 2>&1)" install_venv
step jars "$DX_SPARK_PACKAGES+pyspark==$DX_PYSPARK_VERSION" install_jars
echo "peers:install: all peers ready in $CACHE ($(( $(date +%s) - TOTAL_START )) s)"
