#!/usr/bin/env bash
# Side-by-side benchmark: stagedoor against mkdocs (the TechDocs way, one build per
# repository, and as one big site), Hugo and mdBook, all building the same Markdown pages of
# a generated organisation (tests/bench/gen.sh). Installs what is missing, builds each
# site once, and prints a Markdown table (also written to target/bench/compare-R-P.md).
#
# Usage: tests/bench/compare.sh [repos] [pages]        defaults: 100 1000
#
# Environment:
#   COMPARE_CORPUS=DIR   use this corpus (read only) instead of target/bench/corpus-R-P
#   COMPARE_SKIP="..."   tools to leave out: stagedoor techdocs mkdocs-single hugo mdbook
#   COMPARE_TIMEOUT=DUR  stop any one build after DUR (timeout(1) syntax, e.g. 2h)
#   COMPARE_KEEP=0       delete each tool's output once measured (the big run writes GBs)
#   COMPARE_RUNS=N       build each site N times and report the run of median wall time
#   COMPARE_OUT=DIR      write the tools' outputs under DIR/compare-R-P/ (a tmpfs such as
#                        /dev/shm: the disk's writeback then times no tool)
#
# Before each build the files every tool reads (the corpus and the prepared sites) are read
# once, so each starts with its sources in the OS cache, as a CI job finds a fresh checkout:
# otherwise whichever tool reads files the OS has let go of since they were written pays for
# the disk and the others do not. And what earlier builds wrote is flushed to disk (`sync`):
# otherwise the kernel writes one tool's output back while the next is timed.
#
# And no build starts within a minute of a deletion (tests/bench/settle.sh says why): an
# output is moved aside between runs (into OUT/.old, deleted once the builds are done).
#
# Everything it writes is under target/bench/: the tools it installs (tools/: a Python venv
# with mkdocs + techdocs-core, mdBook if not on PATH), the prepared sites, the outputs and
# logs (compare-R-P/), the report (compare-R-P.md). Hugo and GNU time come from apt.
# Exits 1 when a tool fails or renders fewer pages than the corpus has, after the report.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}
repos=${1:-100}
pages=${2:-1000}
case "$repos/$pages" in
  */*/* | *[!0-9/]* | /* | */) usage ;;
esac

# Pinned versions, known to build the whole corpus.
MKDOCS_VERSION=1.6.1
TECHDOCS_CORE_VERSION=1.7.1 # pins mkdocs-material, pymdown-extensions, Markdown, Pygments
MDBOOK_VERSION=0.5.4

bench=$root/target/bench
corpus=${COMPARE_CORPUS:-$bench/corpus-$repos-$pages}
work=$bench/compare-$repos-$pages
out_root=${COMPARE_OUT:-}
outs=${out_root:+$out_root/compare-$repos-$pages}
outs=${outs:-$work/out}
report=$bench/compare-$repos-$pages.md
tools=$bench/tools
venv=$tools/venv
logs=$work/logs
skip=" ${COMPARE_SKIP:-} "
limit=${COMPARE_TIMEOUT:-}
keep=${COMPARE_KEEP:-1}
runs=${COMPARE_RUNS:-1}

say() { printf '==> %s\n' "$*" >&2; }
die() {
  printf 'compare.sh: %s\n' "$*" >&2
  exit 1
}
case $runs in
  '' | *[!0-9]* | 0) die "COMPARE_RUNS must be a whole number above 0, not '$runs'" ;;
esac
# shellcheck source=tests/bench/settle.sh
. tests/bench/settle.sh
# rm -rf, but only under target/bench/ and the outputs' folder.
wipe() {
  case "$1" in
    "$bench"/?* | "$outs"/?*) bench_delete "$1" ;;
    *) die "refusing to delete $1 (outside $bench and $outs)" ;;
  esac
}
# set_aside DIR: DIR moved into $outs/.old, to be deleted once the builds are done.
set_aside() {
  if [ -e "$1" ]; then
    mkdir -p "$outs/.old"
    mv -- "$1" "$(mktemp -d "$outs/.old/XXXXXX")/"
  fi
}

# With COMPARE_KEEP=0, a tool's output goes once measured and counted, so the big run never
# holds every tool's output at once.
forget() {
  if [ "$keep" = 0 ]; then
    wipe "$outs/$1"
    wipe "$outs/.old"
  fi
}

# --- tools -------------------------------------------------------------------------------
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo -n "$@"
  else
    die "need root (or password-less sudo) to run: $*"
  fi
}
apt_install() {
  say "apt-get install $*"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y -qq "$@" >/dev/null; then
    as_root apt-get update -qq
    as_root apt-get install -y -qq "$@" >/dev/null
  fi
}

mkdir -p "$tools"
[ -x /usr/bin/time ] || apt_install time
command -v hugo >/dev/null || apt_install hugo
command -v timeout >/dev/null || apt_install coreutils

# mkdocs + techdocs-core in a venv of their own, so the pins don't touch anything else.
if ! "$venv/bin/python" -c '' 2>/dev/null; then
  say "python venv $venv"
  wipe "$venv"
  "${PYTHON:-python3}" -m venv "$venv"
fi
py_versions() {
  "$venv/bin/python" -c 'import importlib.metadata as m
print(*(m.version(p) for p in ("mkdocs", "mkdocs-techdocs-core", "mkdocs-material")))' 2>/dev/null || true
}
if [[ "$(py_versions)" != "$MKDOCS_VERSION $TECHDOCS_CORE_VERSION "* ]]; then
  say "pip install mkdocs==$MKDOCS_VERSION mkdocs-techdocs-core==$TECHDOCS_CORE_VERSION"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    "mkdocs==$MKDOCS_VERSION" "mkdocs-techdocs-core==$TECHDOCS_CORE_VERSION"
fi
mkdocs=$venv/bin/mkdocs
# Material >= 9.7 prints a banner about MkDocs 2.0 on every run.
export NO_MKDOCS_2_WARNING=1

mdbook=
for m in "$tools/bin/mdbook" "$(command -v mdbook || true)"; do
  if [ -n "$m" ] && [ -x "$m" ] && [ "$("$m" --version 2>/dev/null || true)" = "mdbook v$MDBOOK_VERSION" ]; then
    mdbook=$m
    break
  fi
done
if [ -z "$mdbook" ]; then
  say "cargo install mdbook $MDBOOK_VERSION (a few minutes)"
  env -u CARGO_TARGET_DIR cargo install --quiet --locked --root "$tools" --version "$MDBOOK_VERSION" mdbook
  mdbook=$tools/bin/mdbook
fi

say "cargo build --release"
cargo build --release --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps |
  "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
stagedoor=$target_dir/release/stagedoor

declare -A VERSION
read -r _ v < <("$stagedoor" --version)
VERSION[stagedoor]="$v ($(git rev-parse --short HEAD))"
read -r v_mkdocs v_core v_material < <(py_versions)
VERSION[techdocs]="mkdocs $v_mkdocs, techdocs-core $v_core, material $v_material"
VERSION[mkdocs-single]=${VERSION[techdocs]}
read -r _ v _ < <(hugo version)
VERSION[hugo]=$v
read -r _ v < <("$mdbook" --version)
VERSION[mdbook]=$v
for t in stagedoor techdocs hugo mdbook; do
  say "$t: ${VERSION[$t]}"
done

# --- corpus and the sites of the other tools -----------------------------------------------
if [ ! -f "$corpus/stagedoor.yaml" ]; then
  [ -z "${COMPARE_CORPUS:-}" ] || die "no corpus at $corpus (COMPARE_CORPUS)"
  say "generating the corpus: tests/bench/gen.sh $repos $pages"
  tests/bench/gen.sh "$repos" "$pages"
fi
corpus=$(cd "$corpus" && pwd)
mkdir -p "$work"
wipe "$logs"
wipe "$work/src"
wipe "$outs/.old" # left by a run that was stopped
mkdir -p "$logs"
say "preparing the mkdocs, Hugo and mdBook sites"
"$venv/bin/python" tests/bench/compare/prepare.py "$corpus" "$work/src" >&2
md_pages=$(find "$work/src/mdbook/src" -name '*.md' ! -name SUMMARY.md | wc -l)
doc_repos=$(wc -l <"$work/src/repos.txt")

# --- the builds ------------------------------------------------------------------------
declare -A WALL CPU RSS PAGES OUTMB STATUS
order=(stagedoor techdocs mkdocs-single hugo mdbook)
declare -A NAME=(
  [stagedoor]="stagedoor"
  [techdocs]="mkdocs, TechDocs way ($doc_repos builds)"
  [mkdocs-single]="mkdocs, one site"
  [hugo]="Hugo"
  [mdbook]="mdBook"
)

# html_pages DIR MINDEPTH: the HTML pages under DIR, 404 pages left out.
html_pages() {
  if [ -d "$1" ]; then
    find "$1" -mindepth "$2" -name '*.html' ! -name 404.html | wc -l
  else
    echo 0
  fi
}

# warm DIR...: every file under the folders read once, into the OS cache.
warm() {
  find "$@" -type f -print0 | xargs -0 cat >/dev/null
}

# measure TOOL CMD...: runs CMD (COMPARE_RUNS times) under GNU time into a fresh
# $outs/TOOL, its sources cached first.
measure() {
  local tool=$1 out=$outs/$1 rc=0 wall user sys kb
  shift
  local cmd=("$@")
  if [ -n "$limit" ]; then
    cmd=(timeout --kill-after=30 "$limit" "${cmd[@]}")
  fi
  for d in "$out".stagedoor-tmp-*; do # stagedoor's staging folder, left by a killed build
    set_aside "$d"
  done
  mkdir -p "$outs"
  say "${NAME[$tool]}: ${cmd[*]}"
  local run times=()
  for ((run = 1; run <= runs; run++)); do
    set_aside "$out"
    bench_settle
    warm "$corpus" "$work/src"
    sync
    /usr/bin/time -f '%e %U %S %M' -o "$logs/$tool.time" "${cmd[@]}" >"$logs/$tool.log" 2>&1 || rc=$?
    # On failure GNU time writes "Command exited with non-zero status N" first.
    times+=("$(tail -n 1 "$logs/$tool.time")")
    [ "$rc" = 0 ] || break
  done
  # The run of median wall time (the last one when a run failed).
  if [ "$rc" = 0 ]; then
    read -r wall user sys kb < <(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((${#times[@]} + 1) / 2))p")
  else
    read -r wall user sys kb <<<"${times[-1]}"
  fi
  WALL[$tool]=$wall
  CPU[$tool]=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  RSS[$tool]=$(awk -v k="$kb" 'BEGIN { printf "%.0f", k / 1024 }')
  case $rc in
    0) STATUS[$tool]=ok ;;
    124 | 137) STATUS[$tool]="timed out after $limit" ;;
    *) STATUS[$tool]="failed (exit $rc, see $logs/$tool.log)" ;;
  esac
  OUTMB[$tool]=0
  if [ -d "$out" ]; then
    OUTMB[$tool]=$(du -sb "$out" | awk '{ printf "%.1f", $1 / 1e6 }')
  fi
  say "${NAME[$tool]}: ${STATUS[$tool]}, ${WALL[$tool]} s wall, ${CPU[$tool]} s CPU, ${RSS[$tool]} MB peak RSS"
}

skipped() { [[ "$skip" == *" $1 "* ]]; }

if ! skipped stagedoor; then
  args=(build "$corpus" --out "$outs/stagedoor" --force)
  # Cold build: no cache from an earlier run (the flag exists once stagedoor has a cache).
  if [[ "$("$stagedoor" build --help 2>&1)" == *--no-cache* ]]; then
    args+=(--no-cache)
  fi
  measure stagedoor env STAGEDOOR_LOG=debug CI=true "$stagedoor" "${args[@]}"
  PAGES[stagedoor]=$(html_pages "$outs/stagedoor/docs" 2)
  forget stagedoor
fi

if ! skipped techdocs; then
  measure techdocs bash tests/bench/compare/techdocs-loop.sh "$mkdocs" "$corpus" \
    "$work/src/repos.txt" "$outs/techdocs" "$logs/techdocs-failed.txt"
  PAGES[techdocs]=$(html_pages "$outs/techdocs" 1)
  forget techdocs
  failed=$(wc -l <"$logs/techdocs-failed.txt")
  if [ "$failed" -gt 0 ] && [ "${STATUS[techdocs]}" = ok ]; then
    STATUS[techdocs]="$failed of $doc_repos builds failed (see $logs/techdocs-failed.txt)"
  fi
fi

if ! skipped mkdocs-single; then
  measure mkdocs-single "$mkdocs" build -q -f "$work/src/mkdocs-single/mkdocs.yml" \
    -d "$outs/mkdocs-single"
  PAGES[mkdocs-single]=$(html_pages "$outs/mkdocs-single" 1)
  forget mkdocs-single
fi

if ! skipped hugo; then
  measure hugo hugo --quiet --source "$work/src/hugo" --destination "$outs/hugo" \
    --cacheDir "$work/src/hugo-cache"
  # Depth 2 leaves out the home page, which is not one of the corpus's pages.
  PAGES[hugo]=$(html_pages "$outs/hugo" 2)
  forget hugo
fi

if ! skipped mdbook; then
  measure mdbook "$mdbook" build "$work/src/mdbook" --dest-dir "$outs/mdbook"
  # Depth 2 leaves out index.html (a copy of the first chapter), print.html and toc.html.
  PAGES[mdbook]=$(html_pages "$outs/mdbook" 2)
  forget mdbook
fi

wipe "$outs/.old"

# --- the report --------------------------------------------------------------------------
problems=0
{
  echo "### $repos repositories, $md_pages pages"
  echo
  echo "$(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores," \
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
    "\`tests/bench/compare.sh $repos $pages\`, corpus \`${corpus#"$root"/}\`" \
    "($doc_repos repositories with docs, $md_pages Markdown pages)."
  if [ "$runs" = 1 ]; then runs_said="One run each"; else runs_said="Each tool's run of median wall time of $runs"; fi
  echo "$runs_said, sources cached, earlier writes flushed; outputs in \`${outs#"$root"/}\`." \
    "Pages: the corpus's pages each tool wrote as HTML. CPU s: user + system" \
    "time (above the wall time when a tool uses both cores). Peak RSS: the largest single process." \
    "Output MB: 10⁶ bytes written, assets and search index included."
  echo
  echo "| Tool | Version | Pages | Wall s | Pages/s | CPU s | Peak RSS MB | Output MB | stagedoor |"
  echo "|---|---|--:|--:|--:|--:|--:|--:|---|"
  for t in "${order[@]}"; do
    if skipped "$t"; then
      echo "| ${NAME[$t]} | ${VERSION[$t]} | – | – | – | – | – | – | skipped |"
      continue
    fi
    vs=
    if [ "${STATUS[$t]}" != ok ]; then
      vs="**${STATUS[$t]}**"
      problems=1
    elif [ "${PAGES[$t]}" -lt "$md_pages" ]; then
      vs="**only ${PAGES[$t]} of $md_pages pages**"
      problems=1
    elif [ "$t" != stagedoor ] && [ "${STATUS[stagedoor]:-}" = ok ]; then
      vs=$(awk -v s="${WALL[stagedoor]}" -v o="${WALL[$t]}" 'BEGIN {
        if (s < 0.01) s = 0.01; if (o < 0.01) o = 0.01
        r = o / s
        if (r >= 1) printf "stagedoor is %.1f× faster", r
        else printf "stagedoor is %.1f× slower", 1 / r }')
    fi
    rate=$(awk -v p="${PAGES[$t]}" -v w="${WALL[$t]}" 'BEGIN { if (w < 0.01) w = 0.01; printf "%.0f", p / w }')
    echo "| ${NAME[$t]} | ${VERSION[$t]} | ${PAGES[$t]} | ${WALL[$t]} | $rate | ${CPU[$t]} | ${RSS[$t]} | ${OUTMB[$t]} | $vs |"
  done
  if ! skipped stagedoor && [ -f "$logs/stagedoor.log" ]; then
    echo
    echo "stagedoor's own account (\`STAGEDOOR_LOG=debug\`; its HTML pages also include the catalog):"
    echo
    echo '```text'
    grep -E '^\[debug\]|entities, .* pages' "$logs/stagedoor.log" || true
    echo '```'
  fi
} >"$report"
cat "$report"
say "report: ${report#"$root"/}; outputs and logs: ${work#"$root"/}/"
if [ "$problems" -ne 0 ]; then
  die "some builds failed or are incomplete (see the table)"
fi
