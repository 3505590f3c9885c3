#!/usr/bin/env bash
# The catalog page at 10,000 entities: generates an organisation (seeded), builds it, and
# measures the catalog page in headless Chromium. Usage: tests/bench/catalog.sh [entities]
set -euo pipefail
cd "$(dirname "$0")/../.."
entities=${1:-10000}
repos=$(( entities / 2 ))
corpus=target/bench/catalog-$entities
tests/bench/gen.sh "$repos" 200 11 "$corpus" "$entities" >/dev/null
cargo build --release --quiet
./target/release/stagedoor build "$corpus" --out "$corpus/public" 2>&1 | tail -1
cargo run --release --quiet --example catalog_bench -- "$corpus/public" payments
