#!/usr/bin/env bash
# Times `stagedoor build example-site` (release build, warm file cache): prints each run and
# the best and median wall times. Usage: tests/bench/example-site.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./target/release/stagedoor build example-site --out "$out/site" >/dev/null 2>&1   # warm-up
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  ./target/release/stagedoor build example-site --out "$out/site" >/dev/null 2>&1
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "runs (ms): ${times[*]}"
echo "best: ${sorted[0]} ms  median: ${sorted[$(( runs / 2 ))]} ms"
