#!/usr/bin/env python3
"""Lays out the generated corpus as one site for each of the other tools.

Usage: prepare.py CORPUS WORK

Reads every CORPUS/repos/<repo>/mkdocs.yml (the TechDocs site of that repository) and its
docs folder, and writes, replacing what was there:

  WORK/mkdocs-single/   one mkdocs site: docs/<repo>/… and a generated mkdocs.yml whose nav
                        is every repository's own nav, one section per repository, with the
                        techdocs-core plugin (what TechDocs runs);
  WORK/hugo/            a minimal Hugo site: content/<repo>/… (one section per repository,
                        index.md renamed _index.md, a title in front matter), two tiny
                        layouts and highlighting turned on;
  WORK/mdbook/          one book: src/<repo>/… and a SUMMARY.md with one part per repository
                        that follows the repository's nav.
  WORK/repos.txt        the repositories that have docs, one a line, sorted.

Every tool gets the same Markdown pages, byte for byte (Hugo's copies only gain front
matter). Files other than Markdown (images) are copied along. Prints one line of counts.
Needs PyYAML (mkdocs depends on it). Nothing here is timed.
"""

import json
import os
import re
import shutil
import sys

import yaml


def load_nav(mkdocs_yml):
    """The mkdocs.yml as a dict. mkdocs.yml may use !!python/name or !ENV tags; ignore them."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    with open(mkdocs_yml, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader) or {}


def h1_title(path, fallback):
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"#\s+(.+?)\s*#*\s*$", line)
            if m:
                return m.group(1)
    return fallback


def walk_nav(nav):
    """Yields (depth, title, path-or-None) for every nav entry, depth-first."""

    def entries(items, depth):
        for item in items or []:
            if isinstance(item, str):
                yield depth, None, item
            elif isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, list):
                        yield depth, str(title), None
                        yield from entries(value, depth + 1)
                    elif isinstance(value, str):
                        yield depth, str(title), value

    yield from entries(nav, 0)


def is_page(target):
    return (
        target is not None
        and target.endswith(".md")
        and "://" not in target
        and not target.startswith("/")
    )


def reset(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(path)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    corpus, work = sys.argv[1], sys.argv[2]
    repos_dir = os.path.join(corpus, "repos")
    repos = sorted(
        r for r in os.listdir(repos_dir) if os.path.isfile(os.path.join(repos_dir, r, "mkdocs.yml"))
    )

    mk = os.path.join(work, "mkdocs-single")
    hugo = os.path.join(work, "hugo")
    book = os.path.join(work, "mdbook")
    for d in (mk, hugo, book):
        reset(d)

    site_name = "Generated Org"
    mk_nav = []
    summary = ["# Summary", ""]
    pages = files = 0

    for repo in repos:
        config = load_nav(os.path.join(repos_dir, repo, "mkdocs.yml"))
        docs = os.path.join(repos_dir, repo, config.get("docs_dir") or "docs")
        title = str(config.get("site_name") or repo)

        # Every Markdown file of the repository, relative to its docs folder.
        md = []
        for dirpath, dirnames, filenames in os.walk(docs):
            dirnames.sort()
            for name in sorted(filenames):
                rel = os.path.relpath(os.path.join(dirpath, name), docs).replace(os.sep, "/")
                src = os.path.join(dirpath, name)
                files += 1
                for root in (os.path.join(mk, "docs"), os.path.join(book, "src")):
                    dst = os.path.join(root, repo, rel)
                    os.makedirs(os.path.dirname(dst), exist_ok=True)
                    shutil.copyfile(src, dst)
                if name.endswith(".md"):
                    md.append(rel)
                else:
                    # Hugo publishes static/ as is; content/ would need page bundles.
                    dst = os.path.join(hugo, "static", repo, rel)
                    os.makedirs(os.path.dirname(dst), exist_ok=True)
                    shutil.copyfile(src, dst)
        pages += len(md)

        # The nav: the repository's own, then any page it leaves out.
        entries = list(walk_nav(config.get("nav")))
        listed = {p for _, _, p in entries if is_page(p)}
        for rel in md:
            if rel not in listed:
                entries.append((0, None, rel))
        titles = {}
        for _, t, p in entries:
            if is_page(p) and p in md:
                titles.setdefault(p, t or h1_title(os.path.join(docs, p), p))

        # mkdocs: one nav section per repository, paths prefixed with the repository.
        stack = [[]]
        for depth, t, p in entries:
            del stack[depth + 1 :]
            if p is None:
                child = []
                stack[depth].append({t: child})
                stack.append(child)
            elif is_page(p):
                if p in md:
                    stack[depth].append({titles[p]: f"{repo}/{p}"})
            else:
                stack[depth].append({t or p: p})
        mk_nav.append({title: stack[0]})

        # mdBook: one part per repository; a nav section without a page is a draft chapter.
        summary.append(f"# {title}")
        summary.append("")
        for depth, t, p in entries:
            indent = "    " * depth
            if p is None:
                summary.append(f"{indent}- [{t}]()")
            elif is_page(p) and p in md:
                summary.append(f"{indent}- [{titles[p]}]({repo}/{p})")
        summary.append("")

        # Hugo: index.md would make a leaf bundle that swallows its siblings; _index.md
        # makes the folder a section instead. The title goes into front matter.
        for rel in md:
            head, name = os.path.split(rel)
            if name == "index.md":
                name = "_index.md"
            dst = os.path.join(hugo, "content", repo, head, name)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(os.path.join(docs, rel), encoding="utf-8") as f:
                body = f.read()
            with open(dst, "w", encoding="utf-8") as f:
                f.write(f"---\ntitle: {json.dumps(titles[rel])}\n---\n\n{body}")

    with open(os.path.join(mk, "mkdocs.yml"), "w", encoding="utf-8") as f:
        f.write("# Generated by tests/bench/compare/prepare.py\n")
        yaml.safe_dump(
            {
                "site_name": site_name,
                "docs_dir": "docs",
                # Material renders the whole nav into every page unless pruned: with
                # thousands of pages that makes the output grow with pages².
                "theme": {"name": "material", "features": ["navigation.prune"]},
                "nav": mk_nav,
                "plugins": ["techdocs-core"],
            },
            f,
            sort_keys=False,
            allow_unicode=True,
        )

    with open(os.path.join(book, "src", "SUMMARY.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(summary))
    with open(os.path.join(book, "book.toml"), "w", encoding="utf-8") as f:
        f.write(
            "# Generated by tests/bench/compare/prepare.py\n"
            f'[book]\ntitle = "{site_name}"\nsrc = "src"\n\n'
            "[build]\ncreate-missing = false\n"
        )

    with open(os.path.join(hugo, "hugo.toml"), "w", encoding="utf-8") as f:
        f.write(
            "# Generated by tests/bench/compare/prepare.py\n"
            f'baseURL = "/"\ntitle = "{site_name}"\n'
            'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
            "[markup.goldmark.renderer]\nunsafe = true\n"
            "[markup.highlight]\ncodeFences = true\nguessSyntax = false\n"
            "lineNos = true\nlineNumbersInTable = true\nnoClasses = true\n"
        )
    layouts = os.path.join(hugo, "layouts", "_default")
    os.makedirs(layouts)
    # Title, a list of the repository's pages (like the others' sidebars), the content.
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{{ .Title }} | '
        "{{ .Site.Title }}</title></head>\n<body>\n"
        "{{ with .FirstSection }}<nav><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a><ul>"
        '{{ range .RegularPagesRecursive }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
        "{{ end }}</ul></nav>{{ end }}\n"
        "<main>{{ .Content }}</main>\n</body>\n</html>\n"
    )
    for name in ("single.html", "list.html"):
        with open(os.path.join(layouts, name), "w", encoding="utf-8") as f:
            f.write(page)

    with open(os.path.join(work, "repos.txt"), "w", encoding="utf-8") as f:
        f.write("".join(f"{r}\n" for r in repos))

    print(f"prepare: {len(repos)} repositories with docs, {pages} Markdown pages, {files} files")


if __name__ == "__main__":
    main()
