#!/usr/bin/env bash
# The build cache as CI sees it (issue 14): a fresh copy of the site at the same path, with
# the cache folder and the output kept, then a one-page edit. Times `stagedoor build`
# (release) and counts the output files each build wrote anew (new inode), and prints a
# Markdown table (also written to target/bench/fresh-clone.md).
#
# Usage: tests/bench/fresh-clone.sh [REPOS:PAGES]      default: 1000:20000
#
# Builds, all of the corpus copied to $BENCH_OUT/site (tests/bench/gen.sh, seed 42):
#   cold+cache   first build: empty output folder and cache
#   unchanged    again, nothing changed
#   fresh copy   the site deleted and copied again to the same path (every file's times and
#                inode new, nothing else), cache and output kept: the CI case
#   fresh again  once more: the stat cache now holds the copy's stats
#   one edit     one Markdown page changed
# Columns: wall seconds, CPU seconds, peak RSS (GNU time), output files written anew (a new
# inode) out of all.
#
# Environment:
#   BENCH_OUT=DIR   where the site copy, outputs and cache go (default target/bench/fresh;
#                   deleted after the run)
#   BENCH_REGEN=1   generate the corpus again even if it exists
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
size=${1:-1000:20000}
repos=${size%%:*}
pages=${size##*:}
work=${BENCH_OUT:-$root/target/bench/fresh}
report=$root/target/bench/fresh-clone.md
target_dir=${CARGO_TARGET_DIR:-$root/target}
bin=$target_dir/release/stagedoor
[ -x /usr/bin/time ] || { echo "fresh-clone.sh: needs GNU time (apt-get install time)" >&2; exit 1; }

cargo build --release --quiet
corpus=$root/target/bench/corpus-$repos-$pages
if [ "${BENCH_REGEN:-0}" = 1 ] || [ ! -f "$corpus/radar/tech.csv" ]; then
  tests/bench/gen.sh "$repos" "$pages" 42 "$corpus" >&2
fi
case "$work" in
  "" | / | . | .. | "$HOME") echo "fresh-clone.sh: refusing to use '$work'" >&2; exit 2 ;;
esac
# shellcheck source=tests/bench/settle.sh
. tests/bench/settle.sh
bench_delete "$work"
mkdir -p "$work"
site=$work/site
out=$work/out
cache=$work/cache
cp -r "$corpus" "$site"

# inodes FILE: "inode path" of every output file, sorted by path.
inodes() {
  (cd "$out" && find . -type f -printf '%i %P\n' | sort -k2) >"$1"
}

rows=()
# measure NAME: one build under GNU time; appends a row.
measure() {
  local name=$1 t=$work/time.txt
  inodes "$work/before.txt" 2>/dev/null || : >"$work/before.txt"
  STAGEDOOR_LOG=debug /usr/bin/time -o "$t" -f "%e %U %S %M" \
    "$bin" build "$site" --out "$out" --cache-dir "$cache" >"$work/log.txt" 2>&1 || {
    cat "$work/log.txt" >&2
    echo "fresh-clone.sh: '$name' failed" >&2
    exit 1
  }
  inodes "$work/after.txt"
  local all new
  all=$(wc -l <"$work/after.txt")
  # Files whose "inode path" line is not in the previous listing: written anew.
  new=$(comm -13 <(sort "$work/before.txt") <(sort "$work/after.txt") | wc -l)
  read -r wall user sys rss <"$t"
  rows+=("$(awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
    -v a="$all" -v c="$new" 'BEGIN {
      printf "| %s | %.2f | %.1f | %.0f | %d of %d |", n, w, u + s, r / 1024, c, a }')")
  echo "$name: $(tail -1 "$work/log.txt")" >&2
  grep -h '\[debug\] write:' "$work/log.txt" >&2 || true
}

# No build that makes new files starts within a minute of a deletion (tests/bench/settle.sh).
bench_settle
measure "cold+cache"
measure "unchanged"
bench_delete "$site"
cp -r "$corpus" "$site"
bench_settle
measure "fresh copy, nothing changed"
measure "fresh copy, again"
page=$(find "$site/repos" -path '*/docs/*' -name '*.md' | sort | sed -n 1p)
printf '\nEdited by tests/bench/fresh-clone.sh.\n' >>"$page"
measure "one edit"
bench_delete "$work"

{
  echo "$(date +%F), $(nproc) cores; \`tests/bench/fresh-clone.sh $size\`, stagedoor $("$bin" --version | cut -d' ' -f2) ($(git rev-parse --short HEAD)), output in $work ($(df --output=fstype "$(dirname "$work")" | tail -1))"
  echo
  echo "| Build ($pages pages) | Wall s | CPU s | Peak RSS MB | Files written anew |"
  echo "|---|--:|--:|--:|--:|"
  printf '%s\n' "${rows[@]}"
} | tee "$report"
