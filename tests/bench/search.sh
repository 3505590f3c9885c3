#!/usr/bin/env bash
# Search at scale: generates a 20,000-page organisation (seeded), builds it, and measures the
# index and three queries in headless Chromium. Usage: tests/bench/search.sh [repos] [pages]
set -euo pipefail
cd "$(dirname "$0")/../.."
repos=${1:-1000}
pages=${2:-20000}
corpus=target/bench/corpus-$repos-$pages
tests/bench/gen.sh "$repos" "$pages" 7 "$corpus" 2000 >/dev/null
cargo build --release --quiet
./target/release/stagedoor build "$corpus" --out "$corpus/public" 2>&1 | tail -1
cargo run --release --quiet --example search_bench -- "$corpus/public" "payments" "deployment latency" "kube" "pyaments" "kuberntes"
