//! Hostile input files: symlinks out of a repository or in loops, paths that climb out
//! (`docs_dir`, techdocs-ref, placeholders, snippets), huge, binary, BOM/CRLF, alias bombs,
//! deep nesting, long lines and odd names. Each one is reported where it applies, nothing
//! panics, nothing from outside a repository reaches the output, and the rest of the site
//! still builds.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use stagedoor::build::BuildReport;
use stagedoor::config::Overrides;
use stagedoor::diagnostics::Diagnostic;

use crate::support::{build_command, build_with, copy_fixture, problems, tree};

/// A line only /etc/passwd holds; it must never reach the output.
const PASSWD_LINE: &str = "root:x:0:0";

/// A site whose every folder under `repos/` is its own repository, with one healthy
/// repository (`repos/good`: a component with docs) beside whatever a test adds.
struct Site {
    dir: tempfile::TempDir,
    /// A folder outside the site, standing for "elsewhere on this machine".
    outside: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
            outside: tempfile::tempdir().unwrap(),
        };
        copy_fixture("hostile_files/base", &site.path());
        fs::write(self_path(&site.outside).join("secret.md"), "TOP-SECRET\n").unwrap();
        site
    }

    /// The base site with `tests/fixtures/hostile_files/<case>` laid over it.
    fn with(case: &str) -> Site {
        let site = Site::new();
        copy_fixture(&format!("hostile_files/{case}"), &site.path());
        site
    }

    fn path(&self) -> PathBuf {
        self_path(&self.dir)
    }

    fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
    }

    #[cfg(unix)]
    fn link(&self, target: impl AsRef<Path>, rel: &str) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, p).unwrap();
    }

    /// A component in `repos/<repo>` with docs, so its docs folder is read.
    fn repo_with_docs(&self, repo: &str, extra_annotations: &str) {
        self.write(
            &format!("repos/{repo}/catalog-info.yaml"),
            format!(
                "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {repo}\n  annotations:\n    backstage.io/techdocs-ref: dir:.\n{extra_annotations}spec:\n  type: service\n  lifecycle: production\n  owner: team\n"
            ),
        );
    }

    fn build(&self) -> Built {
        let out = self.path().join("public");
        let overrides = Overrides {
            out: Some(out.clone()),
            ..Default::default()
        };
        let report = build_with(&self.path(), overrides);
        Built {
            report,
            out,
            base: self.path(),
        }
    }
}

fn self_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().canonicalize().unwrap()
}

struct Built {
    report: BuildReport,
    out: PathBuf,
    base: PathBuf,
}

impl Built {
    /// Whether the output holds the file `rel`.
    fn has(&self, rel: &str) -> bool {
        self.out.join(rel).is_file()
    }

    /// Fails unless some warning or error reads `code file:line…` starting with `wanted`.
    fn assert_said(&self, wanted: &str) {
        let problems = self.problems();
        assert!(
            problems.iter().any(|p| p.starts_with(wanted)),
            "nothing said about {wanted}: {problems:#?}"
        );
    }

    /// `code file:line[:col]` of every warning and error.
    fn problems(&self) -> Vec<String> {
        problems(&self.report.diagnostics, &self.base)
    }

    fn find(&self, code: &str) -> &Diagnostic {
        self.report
            .diagnostics
            .iter()
            .find(|d| d.code.id() == code)
            .unwrap_or_else(|| panic!("no {code} in {:#?}", self.problems()))
    }

    /// The healthy repository and its docs made it, and nothing from outside did.
    fn assert_rest_builds(&self) {
        assert!(self.report.written, "{:#?}", self.problems());
        assert!(
            self.has("catalog/default/component/good/index.html"),
            "the good component is missing"
        );
        let docs = fs::read_to_string(self.out.join("docs/default/component/good/index.html"))
            .expect("the good docs page");
        assert!(docs.contains("Still here."));
        for (path, bytes) in tree(&self.out) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(PASSWD_LINE) && !text.contains("TOP-SECRET"),
                "{path} holds text from outside the repositories"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_inside_a_root_end_and_the_rest_builds() {
    let site = Site::new();
    site.link("..", "repos/good/loop");
    site.link("..", "repos/good/docs/again");
    site.link("self", "repos/good/self");
    let started = Instant::now();
    let built = site.build();
    assert!(started.elapsed() < Duration::from_secs(60));
    built.assert_rest_builds();
    // The loop is not walked into: the docs have just their one page, and it is said why.
    assert_eq!(built.report.doc_pages, 1, "{:#?}", built.problems());
    let problems = built.problems();
    assert!(
        problems.contains(&"E096 repos/good/docs/again".to_string()),
        "{problems:#?}"
    );
    assert!(built.find("E096").message.contains("loop"));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_are_neither_read_nor_copied() {
    let site = Site::new();
    // Catalog files: to /etc/passwd, to the sibling repository, and to outside the site.
    site.link("/etc/passwd", "repos/evil/catalog-info.yaml");
    site.link(
        "../good/catalog-info.yaml",
        "repos/sibling/catalog-info.yaml",
    );
    site.link(
        site.path().join("secret.txt"),
        "repos/evil/sub/catalog-info.yaml",
    );
    // A docs folder, a page and an image that point elsewhere.
    site.repo_with_docs("leaky", "");
    site.write(
        "repos/leaky/docs/index.md",
        "# Leaky\n\n![pw](img.png)\n\n[page](secret.md)\n",
    );
    site.link("/etc/passwd", "repos/leaky/docs/img.png");
    site.link(
        self_path(&site.outside).join("secret.md"),
        "repos/leaky/docs/secret.md",
    );
    site.link(self_path(&site.outside), "repos/leaky/docs/elsewhere");
    site.link("../../good/docs", "repos/leaky/docs/goods");
    site.repo_with_docs("linkeddocs", "");
    site.link("/etc", "repos/linkeddocs/docs");
    // A link that stays inside its repository is followed.
    site.repo_with_docs("inner", "");
    let inner = site.path().join("repos/inner/catalog-info.yaml");
    fs::rename(&inner, site.path().join("repos/inner/entity.yaml")).unwrap();
    site.link("entity.yaml", "repos/inner/catalog-info.yaml");
    let built = site.build();
    built.assert_rest_builds();
    assert!(
        built.has("catalog/default/component/inner/index.html"),
        "{:#?}",
        built.problems()
    );
    let out = tree(&built.out);
    assert!(
        out.keys()
            .all(|p| !p.contains("passwd") && !p.contains("secret")),
        "{:#?}",
        out.keys().collect::<Vec<_>>()
    );
    // Each refusal is said, at the file that tried.
    let problems = built.problems();
    for wanted in [
        "E096 repos/evil/catalog-info.yaml",
        "E096 repos/evil/sub/catalog-info.yaml",
        "E096 repos/sibling/catalog-info.yaml",
        "E096 repos/leaky/docs/img.png",
        "E096 repos/leaky/docs/secret.md",
        "E096 repos/leaky/docs/elsewhere",
        "E096 repos/leaky/docs/goods",
        "E062 repos/linkeddocs/docs",
    ] {
        assert!(
            problems.iter().any(|p| p == wanted),
            "nothing said about {wanted}: {problems:#?}"
        );
    }
    // The leaky docs still build, with their own page.
    assert!(built.has("docs/default/component/leaky/index.html"));
}

#[test]
fn docs_dir_and_techdocs_ref_cannot_climb_out() {
    let site = Site::with("climbing_docs");
    let built = site.build();
    built.assert_rest_builds();
    for wanted in [
        "E062 repos/climb/mkdocs.yml:2",
        "E062 repos/absolute/mkdocs.yml:2",
        "E062 repos/ref/catalog-info.yaml:6",
    ] {
        built.assert_said(wanted);
    }
    assert!(built.find("E062").hint.is_some());
}

#[test]
fn placeholders_cannot_read_outside_the_repository() {
    let site = Site::with("placeholders");
    let built = site.build();
    built.assert_rest_builds();
    for line in [6, 12, 23, 34] {
        let wanted = format!("E044 repos/sneaky/catalog-info.yaml:{line}");
        built.assert_said(&wanted);
    }
    // The entities themselves still exist, without the stolen text.
    assert!(built.has("catalog/default/api/sneaky-json/index.html"));
}

#[test]
fn snippets_cannot_include_files_outside_the_docs() {
    let site = Site::with("snippets");
    let built = site.build();
    built.assert_rest_builds();
    for wanted in [
        "E072 repos/snip/docs/index.md:3",
        "E072 repos/snip/docs/index.md:5",
    ] {
        built.assert_said(wanted);
    }
    let page =
        fs::read_to_string(built.out.join("docs/default/component/snip/index.html")).unwrap();
    assert!(page.contains("after"));
}

/// The peak resident memory a `STAGEDOOR_LOG=debug` build reports, in MB.
fn peak_mb(stderr: &str) -> u64 {
    stderr
        .lines()
        .filter_map(|l| l.strip_suffix(" MB peak"))
        .filter_map(|l| l.rsplit(' ').next()?.parse().ok())
        .max()
        .unwrap_or_else(|| panic!("no memory figures in {stderr}"))
}

/// A 100 MB file: a real first line, then a hole (sparse, so the test is cheap to set up).
fn huge_file(path: &Path, head: &str) {
    fs::write(path, head).unwrap();
    let f = fs::OpenOptions::new().write(true).open(path).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
}

#[test]
fn huge_markdown_and_catalog_files_are_refused_by_size_without_reading_them() {
    let site = Site::new();
    site.repo_with_docs("huge", "");
    site.write("repos/huge/docs/index.md", "# Huge\n\nSee [big](big.md).\n");
    huge_file(&site.path().join("repos/huge/docs/big.md"), "# Big\n\n");
    site.write("repos/bigcat/README.md", "x");
    huge_file(
        &site.path().join("repos/bigcat/catalog-info.yaml"),
        "apiVersion: backstage.io/v1alpha1\n",
    );
    let out = site.path().join("out");
    let run = build_command(site.path(), &out)
        .env("STAGEDOOR_LOG", "debug")
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for (code, file) in [
        ("E002", "repos/huge/docs/big.md"),
        ("E002", "repos/bigcat/catalog-info.yaml"),
    ] {
        let at = format!("error[{code}]");
        let hit = stderr
            .split("\n\n")
            .find(|block| block.contains(&at) && block.contains(file))
            .unwrap_or_else(|| panic!("no {code} for {file}: {stderr}"));
        assert!(
            hit.contains("100 MiB, over the"),
            "the size is named: {hit}"
        );
        assert!(hit.contains("MiB limit"), "the limit is named: {hit}");
        assert!(hit.contains("hint: split the file"), "{hit}");
    }
    // 100 MB were never held: the whole build stays well under that.
    let peak = peak_mb(&stderr);
    assert!(peak < 90, "peak {peak} MB");
    assert!(
        out.join("catalog/default/component/good/index.html")
            .is_file()
    );
    assert!(out.join("docs/default/component/huge/index.html").is_file());
}

#[test]
fn files_that_are_not_utf8_are_reported_not_fatal() {
    let site = Site::with("not_utf8");
    let built = site.build();
    built.assert_rest_builds();
    for wanted in [
        "E001 repos/latin/catalog-info.yaml:4:1",
        "E001 repos/latindocs/docs/latin.md:1:1",
    ] {
        built.assert_said(wanted);
    }
    let d = built.find("E001");
    assert!(d.message.contains("UTF-8"), "{}", d.message);
    assert!(
        d.hint
            .as_deref()
            .unwrap_or("")
            .contains("save the file as UTF-8")
    );
}

#[test]
fn bom_and_crlf_parse_as_usual_and_lines_stay_right() {
    let site = Site::with("bom_crlf");
    let built = site.build();
    built.assert_rest_builds();
    for wanted in [
        "E014 repos/windows/catalog-info.yaml:15",
        "E067 repos/windows/mkdocs.yml:4",
        "E068 repos/windows/docs/index.md:8",
    ] {
        built.assert_said(wanted);
    }
    let page =
        fs::read_to_string(built.out.join("docs/default/component/windows/index.html")).unwrap();
    assert!(page.contains("Windows home"), "front matter read");
    assert!(!page.contains('\u{feff}'));
}

#[test]
fn alias_bombs_are_refused_quickly() {
    let site = Site::with("alias_bomb");
    let started = Instant::now();
    let built = site.build();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    built.assert_rest_builds();
    let problems = built.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("E003 repos/bomb/catalog-info.yaml:5:")),
        "at the alias that passes the limit: {problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("E065 repos/bombdocs/mkdocs.yml:7:")),
        "{problems:#?}"
    );
    // Memory stays bounded: the real binary's peak, far below what expanding would take.
    let run = build_command(site.path(), site.path().join("out"))
        .arg("--no-cache")
        .env("STAGEDOOR_LOG", "debug")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let peak = peak_mb(&stderr);
    assert!(peak < 120, "peak {peak} MB");
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let site = Site::new();
    let depth = 100_000;
    let deep_flow = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    site.write(
        "repos/deep/catalog-info.yaml",
        format!("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: deep\nspec:\n  type: service\n  lifecycle: production\n  owner: team\n  deep: {deep_flow}\n"),
    );
    let deep_block: String = (0..2_000)
        .map(|i| format!("{}k:\n", "  ".repeat(i)))
        .collect();
    site.write("repos/deepblock/catalog-info.yaml", deep_block);
    site.write(
        "repos/deepjson/catalog-info.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: deepjson\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team\n  definition:\n    $json: deep.json\n",
    );
    site.write("repos/deepjson/deep.json", &deep_flow);
    site.write(
        "repos/deepyaml/catalog-info.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: deepyaml\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team\n  definition:\n    $yaml: deep.yaml\n",
    );
    site.write("repos/deepyaml/deep.yaml", &deep_flow);
    site.repo_with_docs("deepmd", "");
    site.write(
        "repos/deepmd/docs/index.md",
        format!(
            "# Deep\n\n{}\n\n{}x\n",
            "> ".repeat(50_000),
            "- ".repeat(20_000)
        ),
    );
    // The binary, so that a stack overflow shows as a crash rather than killing the tests.
    let out = site.path().join("out");
    let run = build_command(site.path(), &out)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    // Errors are reported but do not fail a build (only --strict does).
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for wanted in [
        "repos/deep/catalog-info.yaml:9",
        "repos/deepblock/catalog-info.yaml:",
        "repos/deepjson/catalog-info.yaml:10",
        "repos/deepyaml/catalog-info.yaml:10",
    ] {
        assert!(stderr.contains(wanted), "{wanted}: {stderr}");
    }
    assert_eq!(stderr.matches("nested too deep").count(), 3, "{stderr}");
    assert!(
        out.join("catalog/default/component/good/index.html")
            .is_file()
    );
    assert!(
        out.join("docs/default/component/deepmd/index.html")
            .is_file()
    );
}

#[test]
fn extremely_long_lines_build() {
    let site = Site::new();
    let long = "word ".repeat(1_000_000);
    site.write(
        "repos/long/catalog-info.yaml",
        format!("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: long\n  description: {long}\n  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n  lifecycle: production\n  owner: team\n"),
    );
    site.write(
        "repos/long/docs/index.md",
        format!("# Long\n\n{long}\n\n`{}`\n", "x".repeat(1_000_000)),
    );
    let started = Instant::now();
    let built = site.build();
    assert!(started.elapsed() < Duration::from_secs(60));
    built.assert_rest_builds();
    assert!(built.has("catalog/default/component/long/index.html"));
    assert!(built.has("docs/default/component/long/index.html"));
}

#[test]
fn odd_file_names_empty_files_and_a_folder_named_like_a_catalog_file() {
    let site = Site::with("odd_names");
    // Git keeps no empty folder, so the fixture cannot hold this one.
    fs::create_dir_all(site.path().join("repos/folder/catalog-info.yaml")).unwrap();
    let built = site.build();
    built.assert_rest_builds();
    let out = tree(&built.out);
    for page in ["my page", "ünï", "a..b..", "empty"] {
        assert!(
            out.keys()
                .any(|p| p.starts_with(&format!("docs/default/component/odd/{page}/"))),
            "{page} missing: {:#?}",
            out.keys()
                .filter(|k| k.contains("/odd/"))
                .collect::<Vec<_>>()
        );
    }
    assert!(!out.keys().any(|p| p.contains("hidden")));
    let problems = built.problems();
    // An empty mkdocs.yml is reported at its file, as MkDocs refuses it (no site_name).
    assert!(
        problems.contains(&"E065 repos/emptydocs/mkdocs.yml".to_string()),
        "{problems:#?}"
    );
    // An empty catalog file and a folder named like one are nothing to complain about.
    assert!(
        !problems
            .iter()
            .any(|p| p.contains("repos/empty/") || p.contains("repos/folder/")),
        "{problems:#?}"
    );
    assert!(
        !problems
            .iter()
            .any(|p| p.contains("repos/odd/") && !p.starts_with("E064")),
        "the links to odd names resolve: {problems:#?}"
    );
}
