//! How a docs page reads, checked in the built HTML: "on this page" lists every level the
//! toc depth allows, Mermaid mistakes are reported at their line, and "last updated" comes
//! from git when the repository is a checkout (one `git log` per repository).

use std::path::Path;

use crate::support::{build_into, documented_component, fixture, git, problems, site_with};

const PAGE: &str = "site/docs/default/component/guide/index.html";

fn build(site: &Path) -> stagedoor::build::BuildReport {
    build_into(site, &site.join("site"))
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The "on this page" aside of a built page.
fn toc_of(html: &str) -> &str {
    let start = html.find("<aside class=\"docs-toc\"").expect("toc aside");
    let end = start + html[start..].find("</aside>").expect("aside ends");
    &html[start..end]
}

// Regression: "on this page" left out later h1 sections and h4 headings.
#[test]
fn toc_lists_later_h1s_and_h4s_nested() {
    let site = fixture("docs_ux/reader");
    build(site.path());
    let html = read(site.path(), PAGE);
    let toc = toc_of(&html);
    for id in [
        "install",
        "configure",
        "deep-detail",
        "run",
        "part-two",
        "later",
    ] {
        assert!(
            toc.contains(&format!("href=\"#{id}\"")),
            "{id} missing:\n{toc}"
        );
    }
    // The page's own h1 is its title, not an entry.
    assert!(!toc.contains("href=\"#guide\""), "{toc}");
    // h4 sits inside h3 inside h2.
    let nested = regex::Regex::new(
        r##"(?s)href="#install".*?<ul>.*?href="#configure".*?<ul>.*?href="#deep-detail""##,
    )
    .unwrap();
    assert!(nested.is_match(toc), "{toc}");
}

#[test]
fn toc_depth_in_mkdocs_yml_bounds_the_toc() {
    let site = fixture("docs_ux/reader");
    let yml = site.path().join("repos/guide/mkdocs.yml");
    let text = std::fs::read_to_string(&yml).unwrap();
    std::fs::write(&yml, text.replace("permalink: true", "toc_depth: 2")).unwrap();
    build(site.path());
    let toc = toc_of(&read(site.path(), PAGE)).to_string();
    assert!(toc.contains("href=\"#install\"") && toc.contains("href=\"#part-two\""));
    assert!(!toc.contains("href=\"#configure\""), "{toc}");
}

#[test]
fn emoji_shortcodes_are_twemoji_images() {
    let site = fixture("docs_ux/reader");
    build(site.path());
    let html = read(site.path(), PAGE);
    assert!(
        html.contains(
            "<img class=\"twemoji\" alt=\"🚀\" title=\":rocket:\" src=\"data:image/svg+xml,"
        ),
        "no Twemoji image"
    );
}

// Regression: a broken diagram was never reported; readers saw Mermaid's error bomb.
#[test]
fn mermaid_mistakes_are_reported_at_file_and_line() {
    let site = fixture("docs_ux/reader");
    let report = build(site.path());
    let found: Vec<String> = problems(&report.diagnostics, site.path())
        .into_iter()
        .filter(|p| p.starts_with("E078"))
        .collect();
    assert_eq!(found, ["E078 repos/guide/docs/diagrams.md:20:1"]);
}

/// The reader fixture with its `guide` repository a git checkout: one commit on 2024-01-02.
fn committed_reader() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = fixture("docs_ux/reader");
    let repo = site.path().join("repos/guide");
    git(&repo, &["init", "-q"], "2024-01-01T12:00:00Z");
    git(&repo, &["add", "."], "2024-01-01T12:00:00Z");
    git(
        &repo,
        &["commit", "-q", "-m", "first"],
        "2024-01-02T12:00:00Z",
    );
    (site, repo)
}

#[test]
fn last_updated_comes_from_the_last_commit_touching_the_page() {
    let (site, repo) = committed_reader();
    let faq = repo.join("docs/faq.md");
    std::fs::write(&faq, "# FAQ\n\nChanged.\n").unwrap();
    git(
        &repo,
        &["commit", "-q", "-am", "second"],
        "2024-03-04T12:00:00Z",
    );
    // Uncommitted: dates stay those of the last commits.
    std::fs::write(repo.join("docs/setup.md"), "# Setup\n\nEdited.\n").unwrap();

    build(site.path());
    let updated = |rel: &str| {
        let html = read(site.path(), rel);
        let re = regex::Regex::new(
            r#"<p class="docs-updated">Last update: <time datetime="([0-9-]+)">"#,
        )
        .unwrap();
        re.captures(&html).map(|c| c[1].to_string())
    };
    assert_eq!(updated(PAGE).as_deref(), Some("2024-01-02"));
    assert_eq!(
        updated("site/docs/default/component/guide/faq/index.html").as_deref(),
        Some("2024-03-04")
    );
    assert_eq!(
        updated("site/docs/default/component/guide/setup/index.html").as_deref(),
        Some("2024-01-02")
    );
}

// Git is asked while the pages render, and a finished site waits for its dates on a pool
// thread: were git's work queued on the pool too, it could find every thread waiting for it
// (most likely with one). Run as the binary, so the pool is the process's own.
#[test]
fn last_updated_with_a_pool_of_one_thread() {
    let (site, _repo) = committed_reader();
    let out = site.path().join("site");
    let mut cmd = crate::support::build_command(site.path(), &out);
    cmd.env("RAYON_NUM_THREADS", "1")
        .timeout(std::time::Duration::from_secs(60));
    cmd.assert().success();
    let html = std::fs::read_to_string(out.join("docs/default/component/guide/index.html"));
    let html = html.expect("the docs home page");
    assert!(html.contains(r#"Last update: <time datetime="2024-01-02">"#));
}

#[test]
fn no_last_updated_outside_a_git_checkout() {
    let site = fixture("docs_ux/reader");
    // The fixture is copied to a temporary folder, outside any checkout.
    build(site.path());
    assert!(!read(site.path(), PAGE).contains("docs-updated"));
}

// Regression: a site lying untracked inside a checkout (a generated corpus under `target/`)
// had `git log` walk the whole enclosing history for each repository; it gets no dates, and
// the same folder once committed to the enclosing checkout gets them.
#[test]
fn last_updated_from_an_enclosing_checkout_only_where_it_tracks_the_docs() {
    let site = fixture("docs_ux/reader");
    git(site.path(), &["init", "-q"], "2024-01-01T12:00:00Z");
    git(
        site.path(),
        &["add", "stagedoor.yaml"],
        "2024-01-01T12:00:00Z",
    );
    git(
        site.path(),
        &["commit", "-q", "-m", "config only"],
        "2024-01-02T12:00:00Z",
    );
    build(site.path());
    assert!(!read(site.path(), PAGE).contains("docs-updated"));

    git(site.path(), &["add", "repos"], "2024-05-06T12:00:00Z");
    git(
        site.path(),
        &["commit", "-q", "-m", "docs"],
        "2024-05-06T12:00:00Z",
    );
    build(site.path());
    assert!(read(site.path(), PAGE).contains("<time datetime=\"2024-05-06\">"));
}

// A commit changes what pages show without changing any file the build reads: the build
// cache must not call the site up to date.
#[test]
fn a_commit_alone_refreshes_last_updated() {
    let (site, repo) = committed_reader();
    std::fs::write(repo.join("docs/faq.md"), "# FAQ\n\nChanged.\n").unwrap();
    let out = site.path().join("out");
    crate::support::build_command(site.path(), &out)
        .assert()
        .success();
    let faq = || {
        std::fs::read_to_string(out.join("docs/default/component/guide/faq/index.html")).unwrap()
    };
    assert!(faq().contains("datetime=\"2024-01-02\""));

    git(
        &repo,
        &["commit", "-q", "-am", "second"],
        "2024-03-04T12:00:00Z",
    );
    crate::support::build_command(site.path(), &out)
        .assert()
        .success();
    assert!(
        faq().contains("datetime=\"2024-03-04\""),
        "stale date after a commit"
    );
}

/// One docs site of `sections` × `pages` pages, each section a top-level nav entry.
fn sectioned_site(sections: usize, pages: usize) -> tempfile::TempDir {
    let mut nav = String::from("site_name: Mono\nnav:\n  - Home: index.md\n");
    let mut files = vec![
        (
            "catalog-info.yaml".to_string(),
            documented_component("mono"),
        ),
        ("docs/index.md".to_string(), "# Home\n".to_string()),
    ];
    for s in 0..sections {
        nav.push_str(&format!("  - Section {s}:\n"));
        for p in 0..pages {
            nav.push_str(&format!("    - s{s}/p{p}.md\n"));
            let text = format!("# Page {s}.{p}\n\nBody of {s}.{p}.\n");
            files.push((format!("docs/s{s}/p{p}.md"), text));
        }
    }
    files.push(("mkdocs.yml".to_string(), nav));
    site_of(&files)
}

/// `site_with` for files whose paths and texts were made rather than written out.
fn site_of(files: &[(String, String)]) -> tempfile::TempDir {
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    site_with(&files)
}

/// The docs nav's list of pages (after its site and entity links).
fn nav_of(html: &str) -> &str {
    let nav = html.find("<nav class=\"docs-nav\"").expect("a docs nav");
    let start = nav + html[nav..].find("<ul>").expect("a list of pages");
    let end = html[start..].find("</nav>").expect("the nav ends");
    &html[start..start + end]
}

/// The docs nav of the page at `folder` (below the docs site) of a built `sectioned_site`.
fn nav_on(site: &Path, folder: &str) -> String {
    let page = read(
        site,
        &format!("site/docs/default/component/mono/{folder}index.html"),
    );
    nav_of(&page).to_string()
}

/// A small nav shows every top-level section open, as mkdocs-material's sections do.
#[test]
fn a_small_nav_opens_every_top_level_section() {
    let site = sectioned_site(3, 5);
    build(site.path());
    let nav = nav_on(site.path(), "s0/p1/");
    assert!(nav.contains("<span>Section 2</span>"), "{nav}");
    assert!(
        nav.contains(">Page 2.4</a>"),
        "another section's pages are listed: {nav}"
    );
}

/// A nav that would put thousands of links on every page opens only the current page's
/// section, the others collapsed to a link to their first page (`navigation.prune`).
#[test]
fn a_large_nav_opens_only_the_current_section() {
    let site = sectioned_site(30, 40);
    build(site.path());
    let nav = nav_on(site.path(), "s7/p3/");
    assert!(
        nav.contains(">Page 7.39</a>"),
        "its own section is open: {nav}"
    );
    assert!(nav.contains("aria-current=\"page\">Page 7.3</a>"), "{nav}");
    assert!(
        !nav.contains(">Page 8.1</a>"),
        "other sections are closed: {nav}"
    );
    assert!(
        nav.contains(">Section 8</a>"),
        "…to a link to their first page: {nav}"
    );
    // The home page, the 29 other sections, and the 40 pages of its own (open, so a title).
    assert_eq!(nav.matches("<a ").count(), 1 + 29 + 40, "{nav}");
    assert_eq!(nav_on(site.path(), "").matches("<a ").count(), 1 + 30);
}

/// A site of over a thousand pages keeps their bodies packed until it is drawn: each page
/// still shows its own.
#[test]
fn every_page_of_a_large_site_shows_its_own_body() {
    let site = sectioned_site(11, 100);
    build(site.path());
    for (s, p) in (0..11).flat_map(|s| (0..100).map(move |p| (s, p))) {
        let page = read(
            site.path(),
            &format!("site/docs/default/component/mono/s{s}/p{p}/index.html"),
        );
        assert!(
            page.contains(&format!("<p>Body of {s}.{p}.</p>")),
            "s{s}/p{p}"
        );
    }
}

/// A page the nav lists twice: its breadcrumb follows its first entry, and on its own page
/// both sections holding it are open, in a small nav and in a pruned one.
#[test]
fn a_page_listed_twice_opens_both_its_sections() {
    for extra in [0, 20] {
        let mut files = vec![
            (
                "catalog-info.yaml".to_string(),
                documented_component("mono"),
            ),
            ("docs/index.md".to_string(), "# Home\n".to_string()),
            ("docs/shared.md".to_string(), "# Shared\n".to_string()),
        ];
        let mut nav = String::from(
            "site_name: Mono\nnav:\n  - Home: index.md\n  - Guides:\n    - Outer:\n      - shared.md\n  - Reference:\n    - shared.md\n",
        );
        // Enough further sections to prune the nav (over 500 links with all open).
        for s in 0..extra {
            nav.push_str(&format!("  - Extra {s}:\n"));
            for p in 0..30 {
                nav.push_str(&format!("    - x{s}/p{p}.md\n"));
                files.push((format!("docs/x{s}/p{p}.md"), format!("# X {s}.{p}\n")));
            }
        }
        files.push(("mkdocs.yml".to_string(), nav));
        let site = site_of(&files);
        build(site.path());
        let page = read(
            site.path(),
            "site/docs/default/component/mono/shared/index.html",
        );
        let crumb = &page[page.find("class=\"breadcrumb\"").expect("a breadcrumb")..];
        let crumb = &crumb[..crumb.find("</nav>").expect("it ends")];
        assert!(
            crumb
                .trim_end()
                .ends_with("Guides <span aria-hidden=\"true\">/</span> Outer"),
            "{crumb}"
        );
        let nav = nav_of(&page);
        for section in ["Guides", "Outer", "Reference"] {
            assert!(
                nav.contains(&format!("<span>{section}</span>")),
                "{section} open ({extra}): {nav}"
            );
        }
        assert_eq!(nav.matches("aria-current=\"page\"").count(), 2, "{nav}");
    }
}
