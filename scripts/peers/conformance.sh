#!/usr/bin/env bash
# `npm run peers:conformance -- [TABLES_DIR] [--only NAME,...]`: asks Spark 4 + Delta and delta-rs
# (the peers installed by `npm run peers:install`) about every Delta table in TABLES_DIR (one table
# per sub-folder, or TABLES_DIR is itself a table; default test/fixtures/tables), then runs the differential conformance suite
# (peers/conformance.ts through test/peers-corpus.test.ts) of our answers against theirs: per
# version snapshot vs delta-rs, rows vs Spark versionAsOf, DESCRIBE HISTORY, table_changes,
# timestampAsOf. Mismatches name table, version and the first differing field or row.
# The tables are only read. The answers go to a temporary folder (kept with DX_KEEP_REFS=1).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=env.sh
source "$ROOT/scripts/peers/env.sh"
[ -x "$DX_PEERS_PYTHON" ] || { echo "peers:conformance: $DX_PEERS_PYTHON is missing: run npm run peers:install first" >&2; exit 1; }
TABLES="$ROOT/test/fixtures/tables"
ARGS=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --only) ARGS+=(--only "$2"); shift 2 ;;
    *) TABLES="$(cd "$1" && pwd)"; shift ;;
  esac
done
# One table given (a folder holding _delta_log): its parent folder, that table only.
if [ -d "$TABLES/_delta_log" ]; then
  ARGS+=(--only "$(basename "$TABLES")")
  TABLES="$(dirname "$TABLES")"
fi
OUT="$(mktemp -d "${TMPDIR:-/tmp}/dx-conformance.XXXXXX")"
[ "${DX_KEEP_REFS:-}" = 1 ] || trap 'rm -rf "$OUT"' EXIT
T0=$(date +%s)
"$DX_PEERS_PYTHON" "$ROOT/peers/corpus/refs.py" --tables "$TABLES" --out "$OUT" "${ARGS[@]}" 2> >(grep -E '^reference ' >&2)
echo "peers:conformance: peers answered in $(( $(date +%s) - T0 )) s (references in $OUT$([ "${DX_KEEP_REFS:-}" = 1 ] || echo ", removed at exit; DX_KEEP_REFS=1 keeps them"))"
cd "$ROOT"
# The references were taken from these very files, so commit file times are the same on both sides.
DX_CORPUS_REFS="$OUT" DX_CORPUS_TABLES="$TABLES" DX_CORPUS_FILE_TIMES=1 npx vitest run test/peers-corpus.test.ts
