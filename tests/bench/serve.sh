#!/usr/bin/env bash
# serve --watch from save to reload event: on a copy of example-site and on a generated
# 10,000-page organisation (seeded), edit a docs page and a catalog file N times each.
# Usage: tests/bench/serve.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-10}
cargo build --release --quiet --bin stagedoor --example serve_latency
bin=target/release/stagedoor
bench=target/release/examples/serve_latency

echo "## example-site"
site=target/bench/example-site-copy
rm -rf -- "$site" && mkdir -p "$site"
cp -r example-site/stagedoor.yaml example-site/repos example-site/radar "$site"/
# The manual's root (..) is left out: the copy stands alone.
grep -v -e 'path: \.\.' -e 'stagedoor/stagedoor' example-site/stagedoor.yaml >"$site/stagedoor.yaml"
"$bench" "$bin" "$site" "$site/repos/ledger-service/docs/index.md" \
  "$site/repos/ledger-service/catalog-info.yaml" --rounds "$rounds"

echo "## 10,000 docs pages, 1,000 entities"
corpus=target/bench/corpus-500-10000
[ -d "$corpus" ] || tests/bench/gen.sh 500 10000 42 "$corpus" >/dev/null
page=$(find "$corpus/repos" -path '*/docs/*.md' | sort | sed -n 1p)
catalog=$(find "$corpus/repos" -name catalog-info.yaml | sort | sed -n 1p)
"$bench" "$bin" "$corpus" "$page" "$catalog" --rounds "$rounds"
