#!/usr/bin/env bash
# One docs site holding every page (a monorepo's handbook), unlike the other corpora's many
# small sites: PAGES pages in SECTIONS top-level nav sections, each page a few paragraphs, a
# code block, a link to the next page and a /docs/ link into another section. Builds it cold
# (release, --no-cache, sources read first) and prints wall time, CPU time and peak memory,
# and the largest page's bytes (the nav each page carries).
# Usage: tests/bench/one-site.sh [pages] [sections]      defaults: 20000 100
set -euo pipefail
cd "$(dirname "$0")/../.."
pages=${1:-20000}
sections=${2:-100}
case "$pages/$sections" in
  *[!0-9/]* | /* | */ | 0/* | */0) echo "usage: $0 [pages] [sections]" >&2; exit 2 ;;
esac
site=target/bench/one-site-$pages-$sections
if [ ! -f "$site/mkdocs.yml" ]; then
  rm -rf "$site"
  mkdir -p "$site"
  python3 - "$site" "$pages" "$sections" <<'PY'
import os, sys
site, pages, sections = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
per = max(1, pages // sections)
os.makedirs(f"{site}/docs", exist_ok=True)
with open(f"{site}/catalog-info.yaml", "w") as f:
    f.write("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: handbook\n"
            "  annotations:\n    backstage.io/techdocs-ref: dir:.\n"
            "spec:\n  type: documentation\n  lifecycle: production\n  owner: team\n")
nav = ["site_name: Handbook", "nav:", "  - Home: index.md"]
with open(f"{site}/docs/index.md", "w") as f:
    f.write("# Handbook\n\nEverything in one site.\n")
for s in range(sections):
    nav.append(f"  - Section {s}:")
    os.makedirs(f"{site}/docs/s{s}", exist_ok=True)
    for p in range(per):
        other = (s * 7 + p) % sections
        text = (f"# Topic {s}.{p}\n\n" + f"Prose about topic {s}.{p}, its setup and its limits. " * 12
                + f"\n\n## Usage\n\n```python\ndef topic_{s}_{p}(x):\n    return x * {p} + {s}\n```\n\n"
                + f"Next: [topic {s}.{(p + 1) % per}](p{(p + 1) % per}.md). "
                + f"See also [section {other}](/docs/default/component/handbook/s{other}/p0/).\n")
        with open(f"{site}/docs/s{s}/p{p}.md", "w") as f:
            f.write(text)
        nav.append(f"    - s{s}/p{p}.md")
with open(f"{site}/mkdocs.yml", "w") as f:
    f.write("\n".join(nav) + "\n")
PY
fi
cargo build --release --quiet
# shellcheck source=tests/bench/settle.sh
. tests/bench/settle.sh
out=$(mktemp -d)
trap 'bench_delete "$out"' EXIT
bench_settle
find "$site" -type f -print0 | xargs -0 cat >/dev/null
/usr/bin/time -f '%e s wall, %U s user, %S s system, %M KB peak' \
  ./target/release/stagedoor build "$site" --out "$out/site" --no-cache 2>&1 >/dev/null | tail -n 1
largest=$(find "$out/site/docs" -name index.html -printf '%s\n' | sort -n | tail -n 1)
echo "$(find "$out/site/docs" -name index.html | wc -l) docs pages, the largest $largest bytes"
