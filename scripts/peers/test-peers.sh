#!/usr/bin/env bash
# `npm run test:peers`: starts the test peers on 127.0.0.1 (free ports), sets them up, runs the
# peer tests, and stops everything it started (trap on exit), whatever happens.
#
#   MinIO   root user for tests; bucket `lakefs-store` (lakeFS's storage) and `lake` (S3 tests);
#           a second user `dx-restricted` whose policy reads only `lake/warehouse/covid/` (ACCESS_DENIED
#           tests). CORS: MinIO of this version has no bucket CORS (PutBucketCors answers
#           NotImplemented); its server-wide MINIO_API_CORS_ALLOW_ORIGIN is set to the app origins
#           below, so any other origin is refused.
#   lakeFS  database.type local, blockstore s3 on MinIO (force_path_style, presigned URLs), set up
#           through POST /api/v1/setup_lakefs (admin keys); lakeFS sends no CORS headers, so the
#           browser reaches its API through `delta-explorer serve --lakefs` (same origin). A
#           second lakeFS with `disable_pre_signed: true` shows reads through the API only.
#   tables  written into lakeFS through its S3 gateway by delta-rs and Spark, committed, branched
#           and tagged by scripts/peers/seed_lakefs.py, once per run (facts in $DX_LAKEFS_FACTS).
#
# Then: `vitest run --config vitest.peers.config.ts` (peers/**/*.test.ts), the corpus differential
# suite on five corpus tables against fresh peer answers (scripts/peers/conformance.sh), and `vite build` +
# `playwright test --config playwright.peers.config.ts` (e2e-peers/). With arguments, runs that
# command instead (e.g. `bash scripts/peers/test-peers.sh npx playwright test -c playwright.peers.config.ts e2e-peers/s3.spec.ts`).
# Exported for the tests: DX_MINIO_ENDPOINT, DX_MINIO_ACCESS_KEY, DX_MINIO_SECRET_KEY,
# DX_MINIO_RESTRICTED_ACCESS_KEY, DX_MINIO_RESTRICTED_SECRET_KEY, DX_LAKEFS_ENDPOINT,
# DX_LAKEFS_ACCESS_KEY, DX_LAKEFS_SECRET_KEY, DX_LAKEFS_FACTS, DX_LAKEFS_NOPRESIGN_ENDPOINT,
# DX_LAKEFS_NOPRESIGN_ACCESS_KEY, DX_LAKEFS_NOPRESIGN_SECRET_KEY, DX_APP_PORT, DX_SERVE_PORT,
# DX_PEERS_VENV, DX_PEERS_CACHE, DX_PEERS_PYTHON, DX_SPARK_IVY, DX_SPARK_PACKAGES.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=env.sh
source "$ROOT/scripts/peers/env.sh"
for f in "$DX_MINIO_BIN" "$DX_LAKEFS_BIN" "$DX_PEERS_PYTHON"; do
  [ -x "$f" ] || { echo "test:peers: $f is missing: run npm run peers:install first" >&2; exit 1; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dx-peers.XXXXXX")"
PIDS=()
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ] && [ -d "$WORK" ]; then
    echo "test:peers: failed (exit $rc); server logs:" >&2
    tail -n 30 "$WORK"/minio.log "$WORK"/lakefs.log "$WORK"/lakefs-nopresign.log 2>/dev/null >&2 || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t() { date +%s; }
T0=$(t)
free_port() { "$DX_PEERS_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { # wait_http <url> <name> <log>
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "test:peers: $2 did not come up at $1" >&2; tail -n 40 "$3" >&2; return 1
}

MINIO_PORT=$(free_port); LAKEFS_PORT=$(free_port); LAKEFS_NOPRESIGN_PORT=$(free_port)
export DX_APP_PORT="${DX_APP_PORT:-$(free_port)}" DX_SERVE_PORT="${DX_SERVE_PORT:-$(free_port)}"
export DX_MINIO_ENDPOINT="http://127.0.0.1:$MINIO_PORT"
export DX_MINIO_ACCESS_KEY="dx-root" DX_MINIO_SECRET_KEY="dx-root-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DX_LAKEFS_ENDPOINT="http://127.0.0.1:$LAKEFS_PORT" DX_LAKEFS_NOPRESIGN_ENDPOINT="http://127.0.0.1:$LAKEFS_NOPRESIGN_PORT"

# MinIO: CORS for the two app origins the browser tests use (the static server and `serve`).
mkdir -p "$WORK/minio"
MINIO_ROOT_USER="$DX_MINIO_ACCESS_KEY" MINIO_ROOT_PASSWORD="$DX_MINIO_SECRET_KEY" \
  MINIO_API_CORS_ALLOW_ORIGIN="http://127.0.0.1:$DX_APP_PORT,http://127.0.0.1:$DX_SERVE_PORT" \
  MINIO_BROWSER=off MINIO_UPDATE=off \
  "$DX_MINIO_BIN" server --quiet --address "127.0.0.1:$MINIO_PORT" --console-address "127.0.0.1:$(free_port)" "$WORK/minio" >"$WORK/minio.log" 2>&1 &
PIDS+=($!)
wait_http "$DX_MINIO_ENDPOINT/minio/health/live" MinIO "$WORK/minio.log"
"$DX_PEERS_PYTHON" "$ROOT/scripts/peers/setup_minio.py" >"$WORK/minio.env"
# shellcheck disable=SC1091
source "$WORK/minio.env"
echo "test:peers: MinIO at $DX_MINIO_ENDPOINT ($(( $(t) - T0 )) s)"

# lakeFS on MinIO: the main server (presigns), and one whose blockstore does not presign.
start_lakefs() { # start_lakefs <name> <port> <disable_pre_signed>
  local name=$1 port=$2 nopresign=$3
  cat >"$WORK/$name.yaml" <<YAML
listen_address: 127.0.0.1:$port
logging: {level: WARN, format: text}
database:
  type: local
  local: {path: "$WORK/$name-metadata"}
auth:
  encrypt: {secret_key: "dx-peers-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"}
stats: {enabled: false}
security: {audit_check_interval: 0s}
blockstore:
  type: s3
  signing: {secret_key: "dx-peers-signing-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"}
  s3:
    endpoint: "$DX_MINIO_ENDPOINT"
    force_path_style: true
    discover_bucket_region: false
    region: us-east-1
    credentials: {access_key_id: "$DX_MINIO_ACCESS_KEY", secret_access_key: "$DX_MINIO_SECRET_KEY"}
    pre_signed_expiry: 15m
    disable_pre_signed: $nopresign
gateways:
  s3: {region: us-east-1}
YAML
  "$DX_LAKEFS_BIN" run --config "$WORK/$name.yaml" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
}
start_lakefs lakefs "$LAKEFS_PORT" false
start_lakefs lakefs-nopresign "$LAKEFS_NOPRESIGN_PORT" true
wait_http "$DX_LAKEFS_ENDPOINT/_health" lakeFS "$WORK/lakefs.log"
wait_http "$DX_LAKEFS_NOPRESIGN_ENDPOINT/_health" "lakeFS (no presign)" "$WORK/lakefs-nopresign.log"
export DX_LAKEFS_FACTS="$WORK/lakefs-facts.json"
"$DX_PEERS_PYTHON" "$ROOT/scripts/peers/seed_lakefs.py" --facts "$DX_LAKEFS_FACTS" >"$WORK/lakefs.env" 2>"$WORK/seed.log" || { cat "$WORK/seed.log" >&2; exit 1; }
# shellcheck disable=SC1091
source "$WORK/lakefs.env"
grep '^seed_lakefs:' "$WORK/seed.log" | grep -v '^seed_lakefs: {' || true
echo "test:peers: lakeFS at $DX_LAKEFS_ENDPOINT, tables written and committed ($(( $(t) - T0 )) s)"

# The app, built into this run's own folder (served by the Playwright web server and `serve`).
export E2E_APP_DIR="$WORK/dist"
T1=$(t)
npx vite build --logLevel warn --outDir "$E2E_APP_DIR" --emptyOutDir
echo "test:peers: app built ($(( $(t) - T1 )) s)"

if [ "$#" -gt 0 ]; then
  "$@"
  exit $?
fi

rc=0
T1=$(t)
npx vitest run --config vitest.peers.config.ts || rc=$?
echo "test:peers: vitest done ($(( $(t) - T1 )) s)"
# The corpus suite against freshly asked peers, on a few corpus tables (the committed answers of all
# 108 are checked by npm test; `npm run peers:conformance` asks about all of them, ~14 min).
T1=$(t)
bash "$ROOT/scripts/peers/conformance.sh" --only cdf-table-with-dv,void-column,data-reader-timestamp_ntz,spark-variant-checkpoint,partition_cm-id || rc=$?
echo "test:peers: corpus conformance against fresh peers done ($(( $(t) - T1 )) s)"
T2=$(t)
npx playwright test --config playwright.peers.config.ts || rc=$?
echo "test:peers: playwright done ($(( $(t) - T2 )) s); total $(( $(t) - T0 )) s"
exit "$rc"
