#!/usr/bin/env bash
# Bundles benchmark (issue 18): every repository of a generated corpus bundled on its own
# (`stagedoor bundle`, as each repository's CI would) into a real S3 server on 127.0.0.1
# (moto, PyPI `moto[server]`), then the portal assembled from the bundles
# (`stagedoor build --bundles`), beside a build of the same corpus from checkouts.
#
# Usage: tests/bench/bundles.sh [REPOS:PAGES]      default: 2000:20000
#
# Rows: wall seconds and peak memory (/usr/bin/time -v) of
#   checkouts cold  a copy of the corpus built from its folders, empty cache
#   checkouts one   again after one page changed (the page cache at work)
#   bundle all      every repository bundled, 4 at a time (total wall time)
#   portal cold     the portal from the bundles, empty cache: every bundle fetched
#   portal same     again, nothing changed: one conditional GET per manifest
#   bundle one      one repository's page edited, that repository bundled again
#   portal one      the portal after that change: one bundle fetched
# plus the S3 requests each portal run made, and bundle sizes. Written to
# target/bench/bundles.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
size=${1:-2000:20000}
repos=${size%%:*}
pages=${size##*:}
target=${CARGO_TARGET_DIR:-$root/target}
work=${BENCH_OUT:-$target/bench/bundles}
report=$target/bench/bundles.md
bin=$target/release/stagedoor
command -v moto_server >/dev/null || { echo "bundles.sh: needs moto_server (pip install 'moto[server]')" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bundles.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }

cargo build --release --quiet --bin stagedoor
corpus=$target/bench/corpus-$repos-$pages
[ -f "$corpus/radar/tech.csv" ] || tests/bench/gen.sh "$repos" "$pages" 42 "$corpus" >&2
rm -rf -- "$work"
mkdir -p "$work"

# shellcheck source=tests/bench/moto.sh
. tests/bench/moto.sh
start_moto "$work"
to=s3://bench/org

rows=()
# timed NAME CMD…: runs CMD under /usr/bin/time -v, keeps its stderr in $work/NAME.log and
# adds a row: name, wall seconds, peak MB, and the S3 requests made meanwhile.
timed() {
  local name=$1
  shift
  local before
  before=$(wc -l <"$work/moto.log")
  /usr/bin/time -v "$@" >/dev/null 2>"$work/$name.log"
  local wall peak requests blobs
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; printf "%.1f", s}' "$work/$name.log")
  peak=$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2/1024}' "$work/$name.log")
  requests=$(tail -n +"$((before + 1))" "$work/moto.log" | grep -c '"[A-Z]* /' || true)
  blobs=$(tail -n +"$((before + 1))" "$work/moto.log" | grep -c '"GET /bench/org/bundles/[^/]*/blobs/' || true)
  rows+=("| $name | $wall | $peak | $requests | $blobs |")
  echo "$name: ${wall}s, ${peak} MB, $requests requests, $blobs blob GETs" >&2
}

portal=$work/portal
mkdir -p "$portal"
cp -r "$corpus/radar" "$portal/"
sed -n '/^title:/p' "$corpus/stagedoor.yaml" >"$portal/stagedoor.yaml"
cat >>"$portal/stagedoor.yaml" <<EOF
bundles:
  from: $to
  repo_url: https://github.com/genorg/{repo}
radars:
  - id: tech
    title: Technology Radar
    file: radar/tech.csv
EOF

# Stage timings in every log (STAGEDOOR_LOG=debug), to see where a run's time goes.
export STAGEDOOR_LOG=debug
one=$(ls "$corpus/repos" | sed -n 1p)
rel=$(cd "$corpus/repos/$one" && find . -name '*.md' | sort | sed -n 1p)
cp -r "$corpus" "$work/checkouts"
timed "checkouts cold" "$bin" build "$work/checkouts" --out "$work/out-checkouts"
printf '\n\nEdited for the benchmark.\n' >>"$work/checkouts/repos/$one/$rel"
timed "checkouts one" "$bin" build "$work/checkouts" --out "$work/out-checkouts"
# shellcheck disable=SC2016
timed "bundle all" bash -c 'ls "$0/repos" | xargs -P 4 -I{} "$1" bundle "$0/repos/{}" --to "$2"' "$corpus" "$bin" "$to"
timed "portal cold" "$bin" build "$portal" --out "$work/out-portal"
timed "portal same" "$bin" build "$portal" --out "$work/out-portal"
# The same repository changes: a copy of it (the corpus stays as generated), the same edit.
cp -r "$corpus/repos/$one" "$work/$one"
printf '\n\nEdited for the benchmark.\n' >>"$work/$one/$rel"
timed "bundle one" "$bin" bundle "$work/$one" --to "$to"
timed "portal one" "$bin" build "$portal" --out "$work/out-portal"

files=$(find "$corpus/repos" -type f | wc -l)
bytes=$(du -sb "$corpus/repos" | cut -f1)
manifests=$(du -sb "$portal/.stagedoor-cache/bundles/manifests" | cut -f1)
{
  echo "# Bundles: $repos repositories, $pages pages ($(date -u +%Y-%m-%d), $(nproc) cores)"
  echo
  echo "| run | wall s | peak MB | S3 requests | blob GETs |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Corpus: $files files, $((bytes / 1024 / 1024)) MB in $repos repositories; manifests (with ETags): $((manifests / 1024)) KB in all."
  echo
  for run in "checkouts cold" "checkouts one" "portal cold" "portal same" "portal one"; do
    echo "- $run: $(grep -h '^bundles from' "$work/$run.log" | sed 's/^bundles from [^:]*: //'); $(grep -h 'entities,' "$work/$run.log" | tail -1)"
    echo "  stages: $(grep -h '^\[debug\] [a-z]*: [0-9.]* ms' "$work/$run.log" | sed 's/^\[debug\] \([a-z]*\): \([0-9.]*\) ms.*/\1 \2/' | awk '{printf "%s %.1fs, ", $1, $2/1000}')"
  done
} >"$report"
cat "$report"
