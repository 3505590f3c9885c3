//! The binary as users and CI call it: exit codes, --strict, and a compiler-style
//! diagnostic with file:line:column for each kind of bad input.

use predicates::prelude::*;

use crate::support::{build_command, fixture, stagedoor};

/// Runs `stagedoor check` on the site `tests/fixtures/cli/<case>`; returns (exit code, stderr).
fn check(case: &str) -> (i32, String) {
    let site = fixture(&format!("cli/{case}"));
    let out = stagedoor().arg("check").arg(site.path()).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn malformed_yaml_points_at_the_line_and_keeps_other_documents() {
    let (code, err) = check("malformed_yaml");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[E003]"), "{err}");
    assert!(err.contains("--> catalog-info.yaml:11:"), "{err}");
    assert!(err.contains("3 entities checked"), "{err}");
}

#[test]
fn missing_kind_is_an_error_at_the_document() {
    let (code, err) = check("missing_kind");
    assert_eq!(code, 1);
    assert!(err.contains("error[E010]: \"kind\" is missing"), "{err}");
    assert!(err.contains("--> catalog-info.yaml:1:1"), "{err}");
}

#[test]
fn unknown_kind_is_a_warning_with_a_hint() {
    let (code, err) = check("unknown_kind");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning[E013]"), "{err}");
    assert!(err.contains("--> catalog-info.yaml:2:7"), "{err}");
    assert!(err.contains("did you mean \"Component\"?"), "{err}");
}

#[test]
fn bad_name_is_an_error_at_the_name() {
    let (code, err) = check("bad_name");
    assert_eq!(code, 1);
    assert!(
        err.contains("error[E014]: \"metadata.name\" is not valid"),
        "{err}"
    );
    assert!(err.contains("--> catalog-info.yaml:4:9"), "{err}");
    assert!(err.contains("4 |   name: my service"), "{err}");
}

#[test]
fn missing_required_spec_field_is_a_warning_at_spec() {
    let (code, err) = check("missing_spec_field");
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning[E018]: \"spec.lifecycle\" is required for a Component"),
        "{err}"
    );
    assert!(err.contains("--> catalog-info.yaml:6:3"), "{err}");
}

#[test]
fn duplicate_ref_names_both_files() {
    let (code, err) = check("duplicate_ref");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[E019]"), "{err}");
    assert!(
        err.contains("a/catalog-info.yaml:1"),
        "first definition named: {err}"
    );
    assert!(err.contains("--> b/catalog-info.yaml:4:9"), "{err}");
}

#[test]
fn dangling_ref_is_a_warning_at_the_ref() {
    let (code, err) = check("dangling_ref");
    assert_eq!(code, 0);
    assert!(
        err.contains("warning[E031]: \"spec.consumesApis\" refers to api:default/no-such-api"),
        "{err}"
    );
    assert!(err.contains("--> catalog-info.yaml:10:7"), "{err}");
}

#[test]
fn depends_on_without_kind_is_an_invalid_ref() {
    let (_, err) = check("depends_on_without_kind");
    assert!(err.contains("warning[E030]"), "{err}");
    assert!(
        err.contains("resource:my-db"),
        "hint suggests a kind: {err}"
    );
}

#[test]
fn missing_location_target_is_a_warning_at_the_target() {
    let (code, err) = check("missing_location_target");
    assert_eq!(code, 0);
    assert!(
        err.contains("warning[E040]: Location target \"./gone.yaml\" matches no file"),
        "{err}"
    );
    assert!(err.contains("--> catalog-info.yaml:7:7"), "{err}");
}

#[test]
fn substitution_escaping_the_repository_is_refused() {
    let site = fixture("cli/substitution_escape");
    let out = stagedoor().arg("build").arg(site.path()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("error[E044]"), "{err}");
    assert!(err.contains("--> repo/catalog-info.yaml:18:"), "{err}");
    let page = std::fs::read_to_string(
        site.path()
            .join("public/catalog/default/api/api/index.html"),
    )
    .unwrap();
    assert!(!page.contains("TOP SECRET"));
    let json = std::fs::read_to_string(site.path().join("public/catalog.json")).unwrap();
    assert!(!json.contains("TOP SECRET"));
}

#[test]
fn build_exits_zero_with_errors_but_strict_fails_and_writes_nothing() {
    let site = fixture("cli/strict_errors");
    stagedoor()
        .arg("build")
        .arg(site.path())
        .assert()
        .code(0)
        .stderr(
            predicate::str::contains("1 entities, ")
                .and(predicate::str::contains("1 error, 0 warnings")),
        );
    assert!(site.path().join("public/index.html").is_file());
    let strict_out = site.path().join("strict-out");
    build_command(site.path(), &strict_out)
        .arg("--strict")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nothing written"));
    assert!(!strict_out.exists());
}

#[test]
fn strict_fails_on_warnings_alone() {
    let site = fixture("cli/strict_warnings");
    stagedoor()
        .arg("build")
        .arg(site.path())
        .arg("--strict")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("warning[E031]"));
    stagedoor().arg("build").arg(site.path()).assert().code(0);
}

#[test]
fn unusable_config_or_site_exits_two() {
    let site = fixture("cli/bad_config");
    stagedoor()
        .arg("build")
        .arg(site.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[E051]"));
    stagedoor()
        .arg("build")
        .arg("/no/such/folder")
        .assert()
        .code(2);
    stagedoor().arg("frobnicate").assert().code(2);
}

#[test]
fn unknown_config_key_warns_with_the_nearest_one() {
    let site = fixture("cli/unknown_config_key");
    stagedoor()
        .arg("check")
        .arg(site.path())
        .assert()
        .code(0)
        .stderr(
            predicate::str::contains("warning[E050]: unknown key \"titel\"")
                .and(predicate::str::contains("did you mean \"title\"?")),
        );
}

#[test]
fn a_bare_repository_builds_with_defaults() {
    let site = fixture("cli/bare_repository");
    stagedoor()
        .current_dir(site.path())
        .arg("build")
        .assert()
        .code(0);
    assert!(
        site.path()
            .join("public/catalog/default/component/svc/index.html")
            .is_file()
    );
    assert!(
        site.path()
            .join("public/catalog/default/group/team/index.html")
            .is_file()
    );
}

#[test]
fn refuses_to_overwrite_a_folder_it_did_not_write() {
    let site = fixture("cli/foreign_out_folder");
    build_command(site.path(), site.path().join("mine"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    assert!(site.path().join("mine/notes.txt").exists());
}

/// Every diagnostic code has its row in the reference, with the severity it is reported at,
/// so no code ships undocumented and no change of severity goes unmentioned.
#[test]
fn every_code_is_documented() {
    let doc = std::fs::read_to_string(
        crate::support::project_root().join("docs/reference/diagnostics.md"),
    )
    .unwrap();
    for code in stagedoor::diagnostics::Code::ALL {
        let start = format!("| {} | ", code.id());
        let severities = doc
            .lines()
            .find_map(|l| l.strip_prefix(&start))
            .and_then(|rest| rest.split(" |").next());
        let severity = code.default_severity().label();
        // A code reported at two severities lists both (`error / warning`).
        assert!(
            severities.is_some_and(|s| s.split(" / ").any(|s| s == severity)),
            "{} ({}) is not in docs/reference/diagnostics.md as {severity}: {severities:?}",
            code.id(),
            code.summary()
        );
    }
}
