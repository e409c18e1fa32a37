#!/usr/bin/env bash
# Control-plane benchmark, side by side: the emulator (disk store, with its data plane so PutImage references real
# blobs) and moto's server (the reference ECR emulator most users know; no data plane) measured by the shared
# harness ecr-api-bench.mjs in one invocation, interleaved moto / emulator / moto..., then summarized.
#
#   bench/control-plane.sh [ROUNDS=3] [-- extra ecr-api-bench.mjs options, e.g. --count 2000 --concurrency 8]
#
# Needs: npm run build; moto's server (pip install 'moto[server]'; installed here, never by the tests).
# Output: bench-out/control-plane-<time>.jsonl and the --summarize table on stdout.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
ROUNDS=${1:-3}; shift || true
[ "${1:-}" = "--" ] && shift
EXTRA=("$@")
python3 -c 'import moto.server' 2>/dev/null || pip install -q 'moto[server]'
[ -f "$ROOT/dist/main.js" ] || (cd "$ROOT" && npm run build >/dev/null)

WORK=$(mktemp -d /tmp/ecr-api-bench.XXXXXX)
OUT="$ROOT/bench-out/control-plane-$(date +%Y%m%d-%H%M%S).jsonl"; mkdir -p "$ROOT/bench-out"
REF_PORT=$((25000 + RANDOM % 5000)); EMU_PORT=$((REF_PORT + 1))
cleanup() { kill "${REF_PID:-}" "${EMU_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

python3 -m moto.server -H 127.0.0.1 -p "$REF_PORT" >"$WORK/moto.log" 2>&1 & REF_PID=$!
node "$ROOT/dist/main.js" --port "$EMU_PORT" --data-dir "$WORK/emu" --log-level warn >"$WORK/emu.log" 2>&1 & EMU_PID=$!
for url in "http://127.0.0.1:$REF_PORT/moto-api/" "http://127.0.0.1:$EMU_PORT/_emulator/health"; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "$url" && break; sleep 0.1; done
done

for round in $(seq 1 "$ROUNDS"); do
  node "$SHARED/ecr-api-bench.mjs" --endpoint "http://127.0.0.1:$REF_PORT" --no-blobs --lenient-digests \
    --server-pid "$REF_PID" --label moto "${EXTRA[@]}"
  node "$SHARED/ecr-api-bench.mjs" --endpoint "http://127.0.0.1:$EMU_PORT" --registry "http://127.0.0.1:$EMU_PORT" \
    --server-pid "$EMU_PID" --label emulator "${EXTRA[@]}"
done | grep -v '"summary"' | tee "$OUT" >/dev/null
node "$SHARED/registry-bench.mjs" --summarize "$OUT"
echo "raw results: $OUT"
