#!/usr/bin/env bash
# The TechDocs way: one `mkdocs build` per repository, each with its own mkdocs.yml, the way
# `techdocs-cli generate` builds one entity's docs at a time. Run by compare.sh under GNU
# time, so the wall time is the whole loop and the peak RSS the largest single build.
# Usage: techdocs-loop.sh MKDOCS CORPUS REPOS_TXT OUT FAILED_TXT
# A repository whose build fails is listed in FAILED_TXT (its messages go to stderr) and the
# loop goes on; the exit code is 0 unless the arguments are wrong.
set -uo pipefail
if [ $# -ne 5 ]; then
  echo "usage: $0 MKDOCS CORPUS REPOS_TXT OUT FAILED_TXT" >&2
  exit 2
fi
mkdocs=$1 corpus=$2 repos_txt=$3 out=$4 failed_txt=$5
: >"$failed_txt"
while IFS= read -r repo; do
  if ! "$mkdocs" build -q -f "$corpus/repos/$repo/mkdocs.yml" -d "$out/$repo"; then
    echo "$repo" >>"$failed_txt"
  fi
done <"$repos_txt"
exit 0
