#!/usr/bin/env bash
# Publishing benchmark: `stagedoor publish` against a real S3 server on 127.0.0.1 (moto, from
# PyPI `moto[server]`), side by side with `aws s3 sync` (PyPI `awscli`) on the same rebuilds,
# as a CI job would run them: every rebuild is a fresh build into a new folder (new mtimes).
#
# Usage: tests/bench/publish.sh [REPOS:PAGES]      default: 1000:20000
#
# Rows, for each tool:
#   first       empty bucket prefix, the whole site
#   unchanged   a fresh rebuild of the same sources
#   one edit    a fresh rebuild after one Markdown page changed
# Columns: wall seconds of the upload command, objects uploaded, MB uploaded, objects deleted.
# stagedoor's counts are its own summary line; aws's are its "upload:"/"delete:" lines, with
# bytes summed from the local files it names. Written to target/bench/publish.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
size=${1:-1000:20000}
repos=${size%%:*}
pages=${size##*:}
work=${BENCH_OUT:-$root/target/bench/publish}
report=$root/target/bench/publish.md
bin=${CARGO_TARGET_DIR:-$root/target}/release/stagedoor
command -v moto_server >/dev/null || { echo "publish.sh: needs moto_server (pip install 'moto[server]')" >&2; exit 1; }
command -v aws >/dev/null || { echo "publish.sh: needs aws (pip install awscli)" >&2; exit 1; }

cargo build --release --quiet
corpus=$root/target/bench/corpus-$repos-$pages
[ -f "$corpus/radar/tech.csv" ] || tests/bench/gen.sh "$repos" "$pages" 42 "$corpus" >&2
rm -rf -- "$work"
mkdir -p "$work"

# shellcheck source=tests/bench/moto.sh
. tests/bench/moto.sh
start_moto "$work"

n=0
# fresh_build: builds into a new output folder, as a fresh CI job does; sets $out.
fresh_build() {
  n=$((n + 1))
  out=$work/build-$n/public
  "$bin" build "$corpus" --out "$out" --no-cache >/dev/null 2>&1
}

rows=()
# timed NAME LOG CMD...: runs CMD, keeps its output in LOG and its wall seconds in $secs.
timed() {
  local log=$1
  shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$log" 2>&1
  t1=$(date +%s.%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
}

stagedoor_row() {
  local name=$1 out=$2
  timed "$work/sd.log" "$bin" publish "$corpus" --out "$out" --to s3://bench/stagedoor
  local line
  line=$(tail -1 "$work/sd.log")
  echo "$line" >&2
  rows+=("$(echo "$line" | awk -v n="$name" -v s="$secs" '{
    for (i = 1; i <= NF; i++) {
      if ($(i+1) == "uploaded") up = $i
      if ($(i+1) == "deleted" || $(i+1) == "deleted,") del = $i
      if ($i ~ /^\(/) { mb = $i; gsub(/[(]/, "", mb); unit = $(i+1) }
    }
    if (unit ~ /KiB/) mb = mb / 1024
    if (unit ~ /GiB/) mb = mb * 1024
    printf "| stagedoor publish | %s | %s | %s | %.1f | %s |", n, s, up, mb * 1.048576, del }')")
}

aws_row() {
  local name=$1 out=$2
  # What it uploads and deletes, from a dry run of the same sync (the real one runs quiet).
  aws s3 sync "$out" s3://bench/aws --delete --dryrun --no-progress | sed 's/^(dryrun) //' >"$work/aws-plan.log"
  timed "$work/aws.log" aws s3 sync "$out" s3://bench/aws --delete --only-show-errors --no-progress
  local up del bytes
  up=$(grep -c '^upload:' "$work/aws-plan.log" || true)
  del=$(grep -c '^delete:' "$work/aws-plan.log" || true)
  bytes=$(grep '^upload:' "$work/aws-plan.log" | sed 's/^(dryrun) //; s/^upload: \(.*\) to s3:.*/\1/' |
    tr '\n' '\0' | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1 || true)
  rows+=("| aws s3 sync | $name | $secs | $up | $(awk -v b="${bytes:-0}" 'BEGIN { printf "%.1f", b / 1e6 }') | $del |")
  echo "aws s3 sync $name: $up uploaded, $del deleted in ${secs}s" >&2
}

page=$(find "$corpus/repos" -path '*/docs/*' -name '*.md' | sort | sed -n 1p)
cp "$page" "$work/page.bak"
restore() { cp "$work/page.bak" "$page"; }
trap 'restore; kill $moto 2>/dev/null || true' EXIT

fresh_build
echo "$(find "$out" -type f | wc -l) files, $(du -sb "$out" | awk '{printf "%.0f MB", $1 / 1e6}')" >&2
stagedoor_row first "$out"
aws_row first "$out"
fresh_build
stagedoor_row unchanged "$out"
aws_row unchanged "$out"
printf '\nEdited by tests/bench/publish.sh.\n' >>"$page"
fresh_build
stagedoor_row "one edit" "$out"
aws_row "one edit" "$out"
restore

files=$(find "$out" -type f | wc -l)
mb=$(du -sb "$out" | awk '{printf "%.0f", $1 / 1e6}')
{
  echo "$(date +%F), $(nproc) cores; \`tests/bench/publish.sh $size\`: $files files, $mb MB, to moto $(pip show moto 2>/dev/null | awk '/^Version/ {print $2}') on 127.0.0.1; stagedoor $("$bin" --version | cut -d' ' -f2) ($(git rev-parse --short HEAD)), $(aws --version 2>&1 | cut -d' ' -f1)"
  echo
  echo "| Tool | Run | Wall s | Objects uploaded | MB uploaded | Objects deleted |"
  echo "|---|---|--:|--:|--:|--:|"
  printf '%s\n' "${rows[@]}"
} | tee "$report"
