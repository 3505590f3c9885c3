#!/usr/bin/env bash
# Bytes of highlighted code markup: builds a site twice, in style markup (the default since
# issue 17) and in scope markup (what every build made before: switched on here by a theme
# folder holding the scope stylesheet, as a site with its own static/highlight.css does), and
# prints the bytes of the docs pages, per page, and of the whole output.
# Usage: tests/bench/markup-bytes.sh SITE [OUT]     OUT defaults to /dev/shm/markup-bytes
# SITE is only read: it is copied (without any output) into OUT first.
set -euo pipefail
cd "$(dirname "$0")/../.."
site=${1:?usage: markup-bytes.sh SITE [OUT]}
work=${2:-/dev/shm/markup-bytes}
bin=${CARGO_TARGET_DIR:-target}/release/stagedoor
cargo build --release --quiet
case "$work" in "" | / | "$HOME") echo "markup-bytes.sh: refusing $work" >&2; exit 2 ;; esac
rm -rf -- "$work"
mkdir -p "$work"
cp -r "$site" "$work/site"
rm -rf -- "$work/site/public" "$work/site/.stagedoor-cache"
printf '| Markup | Docs pages | Docs pages MB | KB per docs page | Whole site MB |\n|---|--:|--:|--:|--:|\n'
for markup in styles scopes; do
  if [ "$markup" = scopes ]; then
    # Any theme/static/highlight.css switches to scope markup; its rules do not change the
    # pages' bytes.
    mkdir -p "$work/site/theme/static"
    echo '/* scope markup */' >"$work/site/theme/static/highlight.css"
  fi
  out=$work/out-$markup
  "$bin" build "$work/site" --out "$out" --no-cache >/dev/null 2>&1 || true
  pages=$(find "$out/docs" -name index.html | wc -l)
  docs=$(du -sb "$out/docs" | cut -f1)
  all=$(du -sb "$out" | cut -f1)
  awk -v m="$markup" -v p="$pages" -v d="$docs" -v a="$all" 'BEGIN {
    printf "| %s | %d | %.1f | %.1f | %.1f |\n", m, p, d / 1e6, d / p / 1e3, a / 1e6 }'
done
rm -rf -- "$work"
