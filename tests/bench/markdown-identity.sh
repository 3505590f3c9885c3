#!/usr/bin/env bash
# Output identity check for the Markdown + highlighting path: renders every page of the
# shared corpora, of the golden fixtures (tests/markdown_golden) and of a generated corpus once and writes one BLAKE3 hash per page (of the
# whole render result: HTML, headings, sections, diagnostics…), then compares with a
# reference taken earlier.
# Usage: tests/bench/markdown-identity.sh save|check [hash-dir] [generated-corpus]
#   defaults: /tmp/markdown-identity, /tmp/perf-corpus (make it with
#   `tests/bench/gen.sh 200 4000 7 /tmp/perf-corpus 400`).
#   `save` on the reference commit, then `check` after the change.
#   MARKUP=scopes renders code in scope markup (`hl-…` spans), the markup of every commit
#   before issue 17: to check a later commit against an older reference.
#   STAGEDOOR_HIGHLIGHT=grammars highlights every language with syntect's grammars, as every
#   commit before the fast lexers (src/highlight/lexers) did.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:?save or check}
dir=${2:-/tmp/markdown-identity}
gen=${3:-/tmp/perf-corpus}
cargo build --release --quiet --example markdown_bench
bench=${CARGO_TARGET_DIR:-target}/release/examples/markdown_bench
mkdir -p "$dir"
case "$mode" in
  save) suffix=ref ;;
  check) suffix=new ;;
  *) echo "markdown-identity.sh: save or check, not '$mode'" >&2; exit 2 ;;
esac
markup=(--markup "${MARKUP:-styles}")
"$bench" "${markup[@]}" --hashes "$dir/corpus.$suffix"
"$bench" "${markup[@]}" --hashes "$dir/golden.$suffix" tests/markdown_golden
"$bench" "${markup[@]}" --hashes "$dir/generated.$suffix" "$gen"
if [ "$mode" = check ]; then
  status=0
  for set in corpus golden generated; do
    if cmp -s "$dir/$set.ref" "$dir/$set.new"; then
      echo "$set: $(wc -l <"$dir/$set.new") pages, all identical"
    else
      echo "$set: pages that differ:"
      diff "$dir/$set.ref" "$dir/$set.new" | grep '^>' | cut -d' ' -f3- | head -20
      status=1
    fi
  done
  exit $status
fi
