#!/usr/bin/env bash
# Data-plane benchmark, side by side: the emulator (disk store) and the reference registry (Debian's
# docker-registry, CNCF distribution 2.8.2) measured by the shared harness in one invocation, interleaved
# reference / emulator / reference..., then summarized with ratios against the reference.
#
#   bench/data-plane.sh [ROUNDS=3] [-- extra registry-bench.mjs options, e.g. --size 1GiB --scenarios push-mono]
#
# Needs: npm run build; apt-get install -y docker-registry (installed here, never by the tests).
# EMULATOR_ARGS adds emulator flags (e.g. "--blob-cache 1g"); EMULATOR_MAIN runs another build (default dist/main.js).
# Output: bench-out/data-plane-<time>.jsonl and the --summarize table on stdout.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
ROUNDS=${1:-3}; shift || true
[ "${1:-}" = "--" ] && shift
EXTRA=("$@")
command -v docker-registry >/dev/null || apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
EMULATOR_MAIN=${EMULATOR_MAIN:-$ROOT/dist/main.js}
read -r -a EMULATOR_FLAGS <<<"${EMULATOR_ARGS:-}"
[ -f "$EMULATOR_MAIN" ] || (cd "$ROOT" && npm run build >/dev/null)

WORK=$(mktemp -d /tmp/ecr-bench.XXXXXX)
OUT="$ROOT/bench-out/data-plane-$(date +%Y%m%d-%H%M%S).jsonl"; mkdir -p "$ROOT/bench-out"
REF_PORT=$((20000 + RANDOM % 5000)); EMU_PORT=$((REF_PORT + 1))
cleanup() { kill "${REF_PID:-}" "${EMU_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

sh "$SHARED/run-reference-registry.sh" "$REF_PORT" "$WORK/ref" >"$WORK/ref.log" 2>&1 & REF_PID=$!
# node itself, not an npm wrapper, so --server-pid measures the process doing the work.
node "$EMULATOR_MAIN" --port "$EMU_PORT" --data-dir "$WORK/emu" --log-level warn "${EMULATOR_FLAGS[@]}" >"$WORK/emu.log" 2>&1 & EMU_PID=$!
for url in "http://127.0.0.1:$REF_PORT/v2/" "http://127.0.0.1:$EMU_PORT/_emulator/health"; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "$url" && break; sleep 0.1; done
done

# ECR mounts across repositories only with the registry's BLOB_MOUNTING setting ENABLED (default DISABLED: a mount
# answers 202 and a session); the reference always mounts, so the `mount` scenario compares the same work.
curl -sf -o /dev/null "http://127.0.0.1:$EMU_PORT/" -H 'content-type: application/x-amz-json-1.1' \
  -H 'x-amz-target: AmazonEC2ContainerRegistry_V20150921.PutAccountSetting' \
  -H "authorization: AWS4-HMAC-SHA256 Credential=test/$(date -u +%Y%m%d)/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=00" \
  -H "x-amz-date: $(date -u +%Y%m%dT%H%M%SZ)" -d '{"name":"BLOB_MOUNTING","value":"ENABLED"}'

for round in $(seq 1 "$ROUNDS"); do
  node "$SHARED/registry-bench.mjs" --registry "http://127.0.0.1:$REF_PORT" --server-pid "$REF_PID" --label reference "${EXTRA[@]}"
  node "$SHARED/registry-bench.mjs" --registry "http://127.0.0.1:$EMU_PORT" --ecr-endpoint "http://127.0.0.1:$EMU_PORT" \
    --server-pid "$EMU_PID" --label emulator "${EXTRA[@]}"
done | tee "$OUT" >/dev/null
node "$SHARED/registry-bench.mjs" --summarize "$OUT"
echo "raw results: $OUT"
