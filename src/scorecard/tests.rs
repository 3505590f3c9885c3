//! Each check kind passing and failing, levels, and rules read from stagedoor.yaml — against a
//! small site read by the real stages (catalog, docs, radar, API references).

use std::path::Path;

use super::*;
use crate::cache::pages::PageCache;
use crate::catalog::EntityRef;
use crate::config::{self, Overrides};
use crate::diagnostics::Code;
use crate::docs::{self, Purpose};
use crate::repos::Repos;
use crate::urls::Urls;
use crate::{apiref, catalog, discover, radar};

/// `good` has everything the default rules ask for; `bare` has nothing.
const SITE: &[(&str, &str)] = &[
    (
        "stagedoor.yaml",
        "roots: [repos/*]\nradars:\n  - id: tech\n    file: radar.csv\n",
    ),
    (
        "radar.csv",
        "name,ring,quadrant,isNew,description\nCobol,Hold,Tools,FALSE,old\nRust,Adopt,Tools,FALSE,new\n",
    ),
    (
        "repos/good/catalog-info.yaml",
        r#"apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: good
  title: Good
  description: Takes payments.
  tags: [rust]
  annotations:
    backstage.io/techdocs-ref: dir:.
    opsgenie.com/component-selector: good
  links:
    - { url: "https://runbooks.example/good", title: Good Runbook }
    - { url: "https://grafana.example/d/good", title: Grafana, type: dashboard }
spec:
  type: service
  lifecycle: production
  owner: team-a
  system: shop
  providesApis: [good-api]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: good-api
  description: The good API.
  tags: [openapi]
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition: |
    openapi: 3.0.0
    info: { title: Good, version: "1" }
    paths: {}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
"#,
    ),
    ("repos/good/README.md", "# good\n"),
    ("repos/good/LICENSE", "MIT\n"),
    ("repos/good/.github/CODEOWNERS", "* @team-a\n"),
    ("repos/good/.github/workflows/ci.yml", "on: push\n"),
    ("repos/good/mkdocs.yml", "site_name: Good\n"),
    (
        "repos/good/docs/index.md",
        "# Good\n\nSee [the guide](guide.md).\n",
    ),
    ("repos/good/docs/guide.md", "# Guide\n"),
    (
        "repos/bare/catalog-info.yaml",
        r#"apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bare
  tags: [cobol]
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: "  "
  owner: nobody
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: bare-api
spec:
  type: openapi
  lifecycle: production
  owner: nobody
  definition: "openapi: [3.0"
"#,
    ),
    ("repos/bare/mkdocs.yml", "site_name: Bare\n"),
    (
        "repos/bare/docs/index.md",
        "# Bare\n\nSee [missing](missing.md).\n",
    ),
    // Outside the repository: a link to it must not count as the repository's README.
    ("outside/README.md", "# not bare's\n"),
];

struct Loaded {
    _dir: tempfile::TempDir,
    site: std::path::PathBuf,
    catalog: crate::catalog::Catalog,
    docs: crate::docs::Docs,
    radars: crate::radar::Radars,
    api_refs: crate::apiref::ApiRefs,
    diagnostics: Vec<Diagnostic>,
    config: crate::config::Config,
}

fn load_site(extra: &[(&str, &str)]) -> Loaded {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in SITE.iter().chain(extra) {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        dir.path().join("outside/README.md"),
        dir.path().join("repos/bare/README.md"),
    )
    .unwrap();
    let site = dir.path().canonicalize().unwrap();
    let config = config::load_config(&site, &Overrides::default())
        .unwrap()
        .config;
    let repos = Repos::new(&config.roots);
    let found = discover::discover_catalog_files(&config);
    let loaded = catalog::load_catalog(&config, &repos, found.files);
    let plan = docs::plan_docs(&config, &loaded.catalog, &repos, Urls::of(&config));
    let docs = docs::render_docs(
        &plan,
        &loaded.catalog,
        &PageCache::default(),
        Purpose::Check,
        docs::Bodies::Keep,
    );
    let (radars, _) = radar::load_radars(&config, &loaded.catalog, Default::default());
    let (api_refs, diagnostics) = apiref::load_references(&loaded.catalog, Default::default());
    Loaded {
        _dir: dir,
        site,
        catalog: loaded.catalog,
        docs,
        radars,
        api_refs,
        diagnostics,
        config,
    }
}

impl Loaded {
    fn inputs(&self) -> Inputs<'_> {
        Inputs {
            catalog: &self.catalog,
            docs: &self.docs,
            radars: &self.radars,
            api_refs: &self.api_refs,
            diagnostics: &self.diagnostics,
        }
    }

    fn score(&self, yaml: &str) -> (Scores, Vec<Diagnostic>) {
        let node = crate::yaml::parse_single(yaml, crate::yaml::Schema::Core12)
            .unwrap()
            .unwrap();
        let file = self.site.join("stagedoor.yaml");
        score_catalog(node.get("scorecards"), &file, &self.inputs())
    }
}

fn key(text: &str) -> EntityKey {
    EntityRef::parse(text, None, "default").unwrap().key()
}

/// Whether check `id` passed for `entity`.
fn passed(scores: &Scores, entity: &str, id: &str) -> Option<bool> {
    let score = scores.get(&key(entity))?;
    let (_, ok) = score
        .results
        .iter()
        .find(|(i, _)| scores.checks[*i].id == id)?;
    Some(*ok)
}

/// One rule per check kind (and per `field`): id, the entity it passes for, the entity it
/// fails for, the rule.
const KIND_CASES: &[(&str, &str, &str, &str)] = &[
    (
        "field-description",
        "component:good",
        "component:bare",
        "check: field\n    field: description",
    ),
    (
        "field-lifecycle",
        "component:good",
        "component:bare",
        "check: field\n    field: lifecycle",
    ),
    (
        "field-system",
        "component:good",
        "component:bare",
        "check: field\n    field: system",
    ),
    (
        "field-tags",
        "api:good-api",
        "api:bare-api",
        "check: field\n    field: tags",
    ),
    (
        "field-title",
        "component:good",
        "component:bare",
        "check: field\n    field: title",
    ),
    (
        "owner_resolves",
        "component:good",
        "component:bare",
        "check: owner_resolves",
    ),
    (
        "annotation",
        "component:good",
        "component:bare",
        "check: annotation\n    keys: [pagerduty.com/service-id, \"opsgenie.com/*\"]",
    ),
    (
        "link",
        "component:good",
        "component:bare",
        "check: link\n    type: dashboard",
    ),
    ("docs", "component:good", "api:bare-api", "check: docs"),
    (
        "docs_links",
        "component:good",
        "component:bare",
        "check: docs_links",
    ),
    (
        "repo_files",
        "component:good",
        "component:bare",
        "check: repo_files\n    files: [README.md, \".github/workflows/*.yml\"]",
    ),
    (
        "api_parses",
        "api:good-api",
        "api:bare-api",
        "check: api_parses\n    kinds: [api]",
    ),
    (
        "no_hold_tech",
        "component:good",
        "component:bare",
        "check: no_hold_tech",
    ),
    (
        "any",
        "component:good",
        "component:bare",
        "check: any\n    of:\n      - { check: link, type: runbook }\n      - { check: link, link_title: \"*RUNBOOK*\" }",
    ),
];

#[test]
fn every_check_kind_passes_and_fails() {
    let site = load_site(&[]);
    let mut yaml =
        String::from("scorecards:\n  replace_defaults: true\n  levels: [one]\n  checks:\n");
    for (id, _, _, rule) in KIND_CASES {
        yaml.push_str(&format!("  - id: {id}\n    level: one\n    {rule}\n"));
    }
    let (scores, diags) = site.score(&yaml);
    assert!(diags.is_empty(), "{diags:?}");
    for kind in checks::KINDS {
        assert!(
            KIND_CASES.iter().any(|(id, ..)| id.starts_with(kind.name)),
            "no case for check kind {}",
            kind.name
        );
    }
    for (id, good, bare, _) in KIND_CASES {
        assert_eq!(
            passed(&scores, good, id),
            Some(true),
            "{id} should pass for {good}"
        );
        assert_eq!(
            passed(&scores, bare, id),
            Some(false),
            "{id} should fail for {bare}"
        );
    }
}

#[test]
fn default_rules_read_without_diagnostics_and_score_good_gold() {
    let site = load_site(&[]);
    let (scores, diags) = score_catalog(None, Path::new("stagedoor.yaml"), &site.inputs());
    assert!(diags.is_empty(), "{diags:?}");
    let ids: Vec<&str> = scores.levels.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["bronze", "silver", "gold"]);
    let good = scores.get(&key("component:good")).unwrap();
    let failed: Vec<&str> = (good.results.iter())
        .filter(|(_, ok)| !ok)
        .map(|(i, _)| scores.checks[*i].id.as_str())
        .collect();
    assert_eq!(failed, Vec::<&str>::new());
    assert_eq!(
        good.reached.as_ref().map(|r| (r.position, r.id.as_str())),
        Some((2, "gold"))
    );
    let bare = scores.get(&key("component:bare")).unwrap();
    assert_eq!(bare.reached, None);
    let passed_ids: Vec<&str> = (bare.results.iter())
        .filter(|(_, ok)| *ok)
        .map(|(i, _)| scores.checks[*i].id.as_str())
        .collect();
    assert_eq!(passed_ids, ["tags", "techdocs"]);
    // Groups are not scored by the defaults.
    assert!(scores.get(&key("group:team-a")).is_none());
}

#[test]
fn a_failing_lower_level_caps_the_level_whatever_passes_above() {
    // Levels 0, 1, 2; results: bronze fails, gold passes → no level.
    assert_eq!(reached_level(3, &[0, 2], &[(0, false), (1, true)]), None);
    assert_eq!(
        reached_level(3, &[0, 1, 2], &[(0, true), (1, false), (2, true)]),
        Some(0)
    );
    assert_eq!(
        reached_level(3, &[0, 1, 2], &[(0, true), (1, true), (2, true)]),
        Some(2)
    );
    assert_eq!(reached_level(3, &[2], &[(0, false)]), Some(1));
    // Through scoring: good passes the gold check but fails the bronze one.
    let site = load_site(&[]);
    let (scores, _) = site.score(
        "scorecards:\n  replace_defaults: true\n  checks:\n  - { id: b, level: bronze, check: link, type: pager }\n  - { id: g, level: gold, check: docs }\n",
    );
    let good = scores.get(&key("component:good")).unwrap();
    assert_eq!(
        good.results.iter().map(|r| r.1).collect::<Vec<_>>(),
        [false, true]
    );
    assert_eq!(good.reached, None);
}

#[test]
fn site_rules_extend_and_override_defaults() {
    let site = load_site(&[]);
    let (scores, diags) = site.score(
        "scorecards:\n  checks:\n  - { id: readme, title: Docs README, level: gold, check: repo_files, files: [docs/README.md] }\n  - { id: title, level: silver, check: field, field: title, hint: Add a title }\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let defaults = load_rules(None, Path::new("x")).0.checks.len();
    assert_eq!(scores.checks.len(), defaults + 1);
    let readme = scores.checks.iter().position(|c| c.id == "readme").unwrap();
    assert_eq!(readme, 3, "an override keeps the default's place");
    assert_eq!(scores.checks[readme].title, "Docs README");
    assert_eq!(scores.checks.last().unwrap().id, "title");
    assert_eq!(passed(&scores, "component:good", "readme"), Some(false));
}

#[test]
fn site_rules_replace_defaults_and_levels() {
    let site = load_site(&[]);
    let (scores, diags) = site.score(
        "scorecards:\n  replace_defaults: true\n  levels: [{id: basic, title: Basic}, production]\n  checks:\n  - { id: d, level: production, check: field, field: description, kinds: [Component] }\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let titles: Vec<&str> = scores.levels.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(titles, ["Basic", "Production"]);
    assert_eq!(scores.checks.len(), 1);
    let good = scores.get(&key("component:good")).unwrap();
    assert_eq!(
        good.reached.as_ref().map(|r| r.id.as_str()),
        Some("production")
    );
    assert!(
        scores.get(&key("api:good-api")).is_none(),
        "kinds limit the check"
    );
    // Levels replaced but defaults kept: defaults on dropped levels are left out quietly.
    let (scores, diags) = site.score("scorecards:\n  levels: [gold]\n");
    assert!(diags.is_empty(), "{diags:?}");
    assert!(scores.checks.iter().all(|c| c.level == 0));
    assert!(scores.checks.iter().any(|c| c.id == "runbook"));
    // `yes` is a string in YAML 1.2: reported, and the defaults stay.
    let (scores, diags) = site.score("scorecards:\n  replace_defaults: yes\n");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].line, Some(2));
    assert!(scores.checks.len() > 10);
}

#[test]
fn bad_rules_are_diagnostics_at_their_line_and_the_rest_still_scores() {
    let site = load_site(&[]);
    let yaml = "scorecards:
  replace_defaults: true
  colour: red
  checks:
  - { id: a, level: bronze, check: telepathy }
  - { id: b, level: platinum, check: docs }
  - { id: c, level: bronze, check: repo_files, files: [\"[oops\"] }
  - { id: d, level: bronze, check: repo_files, files: [../secrets] }
  - { id: e, level: bronze, check: field, field: colour }
  - { id: f, level: bronze, check: docs, extra: 1 }
  - { id: f, level: bronze, check: docs }
  - { level: bronze, check: docs }
  - { id: ok, level: silver, check: docs }
";
    let (scores, diags) = site.score(yaml);
    let lines: Vec<(usize, bool)> = diags
        .iter()
        .map(|d| {
            (
                d.line.unwrap(),
                d.file.as_deref() == Some(&*site.site.join("stagedoor.yaml")),
            )
        })
        .collect();
    assert!(diags.iter().all(|d| d.code == Code::ScorecardRuleInvalid));
    assert_eq!(
        lines,
        [3, 11, 12, 5, 6, 7, 8, 9, 10].map(|l| (l, true)),
        "{diags:#?}"
    );
    let ids: Vec<&str> = scores.checks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        ["f", "ok"],
        "a rule with an unknown key is reported but kept"
    );
    assert_eq!(passed(&scores, "component:good", "ok"), Some(true));
}

#[test]
fn the_config_hands_its_scorecards_node_to_the_rules() {
    let yaml = "roots: [repos/*]\nscorecards:\n  levels: [only]\n";
    let site = load_site(&[("stagedoor.yaml", yaml)]);
    let node = site.config.scorecards.as_ref().expect("kept by the config");
    let (rules, diags) = load_rules(Some(node), Path::new("stagedoor.yaml"));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        rules.levels,
        [Level {
            id: "only".into(),
            title: "Only".into()
        }]
    );
}

#[test]
fn the_guide_lists_every_default_check_and_check_kind() {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guides/scorecards.md");
    let text = std::fs::read_to_string(guide).unwrap();
    let rules = load_rules(None, Path::new("x")).0;
    let ids = rules.checks.iter().map(|c| c.id.as_str());
    for name in ids.chain(checks::KINDS.iter().map(|k| k.name)) {
        assert!(
            text.contains(&format!("| `{name}` |")),
            "{name} is not in the guide"
        );
    }
}
