#!/usr/bin/env bash
# Every performance figure of the emulator in one invocation, each side by side with its reference, run one after
# the other on this machine: its ceilings, the data plane against Debian's docker-registry (CNCF distribution), the
# control plane against moto, start-up against docker-registry, and listings at scale. Prints figures, asserts nothing.
#
#   bench/all.sh                 about 10 minutes; SCALE_IMAGES=1000000 SCALE_REPOSITORIES=10000 for the full scale run
#
# Needs: npm run build; docker-registry (apt) and moto's server (pip install 'moto[server]').
# Output: bench-out/all-<time>.txt (and each bench's own files in bench-out/).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
[ -f "$ROOT/dist/main.js" ] || (cd "$ROOT" && npm run build >/dev/null)
mkdir -p "$ROOT/bench-out"
OUT="$ROOT/bench-out/all-$(date +%Y%m%d-%H%M%S).txt"

section() { printf '\n== %s ==\n' "$1"; }
{
  section "machine ceilings (physical-limits.mjs)"
  node "$SHARED/physical-limits.mjs"
  section "data plane: emulator vs docker-registry, 3 rounds interleaved (data-plane.sh)"
  bash "$ROOT/bench/data-plane.sh" 3
  section "control plane: emulator vs moto at concurrency 8, 3 rounds interleaved (control-plane.sh)"
  bash "$ROOT/bench/control-plane.sh" 3 -- --concurrency 8
  section "start-up: emulator vs docker-registry (startup.mjs)"
  node "$ROOT/bench/startup.mjs"
  section "listings at scale (scale.mjs)"
  node "$ROOT/bench/scale.mjs" --images "${SCALE_IMAGES:-100000}" --repositories "${SCALE_REPOSITORIES:-1000}"
} 2>&1 | tee "$OUT"
echo "all figures: $OUT"
