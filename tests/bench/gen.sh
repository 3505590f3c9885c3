#!/usr/bin/env bash
# Builds the seeded corpus generator (examples/gen_corpus.rs, release mode) and writes a
# corpus for benchmarks, replacing an old corpus at the same path.
# Usage: tests/bench/gen.sh [repos] [pages] [seed] [out] [entities]
#   defaults: 100 repos, 1000 pages, seed 42, out target/bench/corpus-<repos>-<pages>,
#   entities ≈ 2 × repos. Same arguments ⇒ byte-identical corpus.
set -euo pipefail
cd "$(dirname "$0")/../.."
repos=${1:-100}
pages=${2:-1000}
seed=${3:-42}
out=${4:-target/bench/corpus-$repos-$pages}
entities=${5:-}
case "$out" in
  "" | / | . | .. | "$HOME") echo "gen.sh: refusing to replace '$out'" >&2; exit 2 ;;
esac
cargo build --release --quiet --example gen_corpus
rm -rf -- "$out"
args=(--out "$out" --repos "$repos" --pages "$pages" --seed "$seed")
if [ -n "$entities" ]; then
  args+=(--entities "$entities")
fi
cargo run --release --quiet --example gen_corpus -- "${args[@]}"
