#!/usr/bin/env bash
# Whole-site identity check for refactors: builds example-site and a generated corpus
# (`tests/bench/gen.sh 50 1000 7 <dir>`), each from a copy kept in the work dir,
# with the binary of the checkout it runs in cold (`--no-cache`) and writes one SHA-256 per
# output file; `check` compares with the list `save` wrote on the reference commit.
# Usage: tests/bench/site-identity.sh save|check [work-dir]   (default /tmp/site-identity)
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:?save or check}
dir=${2:-/tmp/site-identity}
case "$mode" in
  save) suffix=ref ;;
  check) suffix=new ;;
  *) echo "site-identity.sh: save or check, not '$mode'" >&2; exit 2 ;;
esac
mkdir -p "$dir"
corpus="$dir/corpus"
# Built from copies at fixed paths, taken once: diagnostics name their files, so the paths
# must match, and the inputs (example-site also builds the manual in docs/) stay as they were.
if [ ! -d "$dir/project" ]; then
  mkdir -p "$dir/project"
  git ls-files -z | xargs -0 cp --parents -t "$dir/project"
fi
if [ ! -d "$corpus" ]; then
  tests/bench/gen.sh 50 1000 7 "$corpus" >/dev/null
fi
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/stagedoor
status=0
for set in example-site corpus; do
  case "$set" in
    example-site) src="$dir/project/example-site" ;;
    corpus) src="$corpus" ;;
  esac
  out="$dir/out-$set"
  "$bin" build "$src" --out "$out" --no-cache --force >/dev/null 2>&1 || true
  (cd "$out" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$dir/$set.$suffix"
  if [ "$mode" = check ]; then
    if cmp -s "$dir/$set.ref" "$dir/$set.new"; then
      echo "$set: $(wc -l <"$dir/$set.new") files, all identical"
    else
      echo "$set: files that differ:"
      diff "$dir/$set.ref" "$dir/$set.new" | grep '^[<>]' | awk '{print $1, $3}' | sort -k2 | head -20
      status=1
    fi
  else
    echo "$set: $(wc -l <"$dir/$set.ref") files hashed"
  fi
done
exit $status
