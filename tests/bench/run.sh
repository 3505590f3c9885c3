#!/usr/bin/env bash
# stagedoor's own benchmark: times `stagedoor build` (release) on generated organisations of
# about 1,000 and 20,000 docs pages, every feature on (highlighting, search, radar, link
# checks), and prints a Markdown table (also written to target/bench/run.md).
#
# Usage: tests/bench/run.sh [REPOS:PAGES ...]      default: 100:1000 1000:20000
#
# Per size, four builds of the same corpus (tests/bench/gen.sh, seed 42, about 2 entities
# per repository):
#   cold        empty output folder, --no-cache
#   cold+cache  empty output folder and cache: the first build of a CI job with a cache
#   unchanged   again, nothing changed: the cache reports the last build
#   one edit    one Markdown page changed: only that page is rendered again
# Columns: wall seconds, docs pages per second (cold builds), CPU seconds, peak RSS (GNU time), bytes
# written, bytes of the search index.
#
# Environment:
#   BENCH_OUT=DIR   where outputs and caches go (default target/bench/run; deleted after
#                   the run); on tmpfs (/dev/shm/...) the disk is left out of the figures
#   BENCH_REGEN=1   generate the corpora again even if they exist
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100:1000 1000:20000)
work=${BENCH_OUT:-$root/target/bench/run}
report=$root/target/bench/run.md
target_dir=${CARGO_TARGET_DIR:-$root/target}
bin=$target_dir/release/stagedoor

cargo build --release --quiet
mkdir -p "$work"
# shellcheck source=tests/bench/settle.sh
. tests/bench/settle.sh
bench_delete "$work"/out-* "$work"/cache-*
[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time (apt-get install time)" >&2; exit 1; }

# measure NAME CMD... : runs CMD under GNU time, appends a row for it.
rows=()
measure() {
  local name=$1 out=$2
  shift 2
  local t=$work/time.txt
  /usr/bin/time -o "$t" -f "%e %U %S %M" "$@" >"$work/log.txt" 2>&1 || {
    cat "$work/log.txt" >&2
    echo "run.sh: '$name' failed" >&2
    exit 1
  }
  read -r wall user sys rss <"$t"
  local bytes search
  bytes=$(du -sb "$out" | cut -f1)
  search=$(du -sb "$out/search" | cut -f1)
  rows+=("$(awk -v n="$name" -v p="$docs" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
    -v b="$bytes" -v i="$search" 'BEGIN {
      rate = n ~ /cold/ ? sprintf("%.0f", p / (w > 0 ? w : 0.01)) : "–"
      printf "| %s | %d | %.2f | %s | %.1f | %.0f | %.1f | %.1f |", n, p, w, rate,
        u + s, r / 1024, b / 1e6, i / 1e6 }')")
  tail -1 "$work/log.txt" >&2
}

for size in "${sizes[@]}"; do
  repos=${size%%:*}
  pages=${size##*:}
  corpus=$root/target/bench/corpus-$repos-$pages
  if [ "${BENCH_REGEN:-0}" = 1 ] || [ ! -f "$corpus/radar/tech.csv" ]; then
    tests/bench/gen.sh "$repos" "$pages" 42 "$corpus" >&2
  fi
  docs=$(find "$corpus/repos" -path '*/docs/*' -name '*.md' | wc -l)
  out=$work/out-$repos-$pages
  cache=$work/cache-$repos-$pages
  # Each cold build writes a folder that did not exist, and none starts within a minute of
  # a deletion (tests/bench/settle.sh): that would time ext4's inode allocator, not stagedoor.
  bench_settle
  measure "$pages pages, cold" "$out-cold" "$bin" build "$corpus" --out "$out-cold" --no-cache
  measure "$pages pages, cold+cache" "$out" "$bin" build "$corpus" --out "$out" --cache-dir "$cache"
  measure "$pages pages, unchanged" "$out" "$bin" build "$corpus" --out "$out" --cache-dir "$cache"
  page=$(find "$corpus/repos" -path '*/docs/*' -name '*.md' | sort | sed -n 1p)
  cp "$page" "$work/page.bak"
  printf '\nEdited by tests/bench/run.sh.\n' >>"$page"
  measure "$pages pages, one edit" "$out" "$bin" build "$corpus" --out "$out" --cache-dir "$cache"
  cp "$work/page.bak" "$page"
done
bench_delete "$work"/out-* "$work"/cache-*

{
  echo "$(date +%F), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); \`tests/bench/run.sh ${sizes[*]}\`, stagedoor $("$bin" --version | cut -d' ' -f2) ($(git rev-parse --short HEAD)), output in $work ($(df --output=fstype "$work" | tail -1))"
  echo
  echo "| Build | Docs pages | Wall s | Pages/s | CPU s | Peak RSS MB | Output MB | Search MB |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|"
  printf '%s\n' "${rows[@]}"
} | tee "$report"
