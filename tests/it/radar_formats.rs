//! Radar files in every format stagedoor reads map onto the same model; bad data is reported
//! at its line (one diagnostic per problem) and the rest of the radar still draws. Also the
//! real corpus radars, with exactly their sources' entry counts.

use std::path::PathBuf;

use stagedoor::config::RadarConfig;
use stagedoor::diagnostics::{Diagnostic, Severity};
use stagedoor::radar::load::load_radar;
use stagedoor::radar::model::{Format, Moved, Radar};
use stagedoor::radar::{render_descriptions, svg};

use crate::support::{corpus, project_root};

fn config(file: PathBuf, quadrants: &[&str], rings: &[&str]) -> RadarConfig {
    RadarConfig {
        id: "test".into(),
        title: "Test radar".into(),
        file,
        quadrants: quadrants.iter().map(|s| s.to_string()).collect(),
        rings: rings.iter().map(|s| s.to_string()).collect(),
        line: 1,
    }
}

/// Loads `text` as a radar file called `name`, descriptions rendered.
fn load_text(
    name: &str,
    text: &str,
    quadrants: &[&str],
    rings: &[&str],
) -> (Radar, Vec<Diagnostic>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    let (mut radar, mut diags) = load_radar(&config(file, quadrants, rings));
    render_descriptions(&mut radar, Default::default(), &mut diags);
    (radar, diags)
}

/// `code:line` of every diagnostic, in order.
fn codes(diags: &[Diagnostic]) -> Vec<String> {
    let mut diags = diags.to_vec();
    stagedoor::diagnostics::sort_diagnostics(&mut diags);
    diags
        .iter()
        .map(|d| format!("{}:{}", d.code.id(), d.line.unwrap_or(0)))
        .collect()
}

fn blip_count(radar: &Radar) -> usize {
    svg::render_svg(radar).matches("<a class=\"blip ").count()
}

fn summary(radar: &Radar) -> Vec<String> {
    radar
        .entries
        .iter()
        .map(|e| {
            format!(
                "{} {} {}/{} {:?}{}",
                e.id,
                e.title,
                radar.quadrants[e.quadrant].id,
                radar.rings[e.ring].id,
                e.moved,
                if e.is_new { " new" } else { "" }
            )
        })
        .collect()
}

const BACKSTAGE_JSON: &str = r##"{
  "quadrants": [{"id": "tools", "name": "Tools"}, {"id": "langs", "name": "Languages"},
                {"id": "platforms", "name": "Platforms"}, {"id": "practices", "name": "Practices"}],
  "rings": [{"id": "adopt", "name": "Adopt", "color": "#5BA300", "description": "Use it."},
            {"id": "trial", "name": "Trial", "color": "#009EB0"},
            {"id": "assess", "name": "Assess", "color": "#C7BA00"},
            {"id": "hold", "name": "Hold", "color": "#E09B96"}],
  "entries": [
    {"key": "rust", "id": "rust", "title": "Rust", "quadrant": "langs",
     "timeline": [{"ringId": "adopt", "date": "2025-01-10", "moved": 1, "description": "Now default."},
                  {"ringId": "trial", "date": "2024-03-01", "moved": 0}],
     "links": [{"url": "https://www.rust-lang.org", "title": "Home"}],
     "description": "Use **Rust** for CLIs.",
     "tags": ["rust-lang"], "entities": ["component:default/cli", "Service-A"]},
    {"key": "perl", "id": "perl", "title": "Perl", "quadrant": "langs",
     "timeline": [{"ringId": "hold", "date": "2025-01-10"}, {"ringId": "trial", "date": "2019-01-01"}],
     "url": "https://perl.org"},
    {"key": "k8s", "id": "k8s", "title": "Kubernetes", "quadrant": "platforms", "isNew": true,
     "timeline": [{"ringId": "trial", "date": "2025-02-01", "description": "First clusters."}]}
  ]
}"##;

#[test]
fn backstage_json_maps_every_field() {
    let (radar, diags) = load_text("r.json", BACKSTAGE_JSON, &[], &[]);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(radar.format, Format::Backstage);
    assert_eq!(
        summary(&radar),
        [
            "rust Rust langs/adopt In",
            // No `moved`: derived from the timeline (trial → hold is outwards).
            "perl Perl langs/hold Out",
            "k8s Kubernetes platforms/trial No new",
        ]
    );
    let rust = &radar.entries[0];
    assert_eq!(rust.timeline.len(), 2);
    assert_eq!(rust.timeline[1].date.as_deref(), Some("2024-03-01"));
    assert_eq!(rust.links[0].url, "https://www.rust-lang.org");
    assert!(
        rust.description_html.contains("<strong>Rust</strong>"),
        "{}",
        rust.description_html
    );
    assert_eq!(rust.tag_names(), ["rust", "rust-lang"]);
    let named: Vec<String> = rust
        .entities
        .iter()
        .map(|n| n.entity_ref.to_string())
        .collect();
    assert_eq!(
        named,
        ["component:default/cli", "component:default/Service-A"]
    );
    // The deprecated `url` becomes a link; the description falls back to timeline[0]'s.
    assert_eq!(radar.entries[1].links[0].url, "https://perl.org");
    assert!(
        radar.entries[2]
            .description_html
            .contains("First clusters.")
    );
    assert_eq!(radar.rings[0].description.as_deref(), Some("Use it."));
    assert_eq!(blip_count(&radar), 3);
}

#[test]
fn backstage_yaml_reads_like_the_json() {
    let yaml = r##"
quadrants:
  - {id: tools, name: Tools}
  - {id: langs, name: Languages}
  - {id: platforms, name: Platforms}
  - {id: practices, name: Practices}
rings:
  - {id: adopt, name: Adopt, color: "#5BA300"}
  - {id: trial, name: Trial, color: "#009EB0"}
  - {id: assess, name: Assess, color: "#C7BA00"}
  - {id: hold, name: Hold, color: "#E09B96"}
entries:
  - key: rust
    id: rust
    title: Rust
    quadrant: langs
    timeline:
      - {ringId: adopt, date: 2025-01-10, moved: 1}
      - {ringId: trial, date: 2024-03-01, moved: 0}
    description: |
      Use **Rust** for CLIs.
  - key: perl
    id: perl
    title: Perl
    quadrant: langs
    timeline:
      - {ringId: hold, date: 2025-01-10}
      - {ringId: trial, date: 2019-01-01}
  - key: k8s
    id: k8s
    title: Kubernetes
    quadrant: platforms
    isNew: true
    timeline:
      - ringId: trial
        date: 2025-02-01
"##;
    let (radar, diags) = load_text("r.yaml", yaml, &[], &[]);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(radar.format, Format::BackstageYaml);
    let (json, _) = load_text("r.json", BACKSTAGE_JSON, &[], &[]);
    assert_eq!(summary(&radar), summary(&json));
    assert_eq!(
        radar.entries[0].timeline[0].date.as_deref(),
        Some("2025-01-10")
    );
    assert!(
        radar.entries[0]
            .description_html
            .contains("<strong>Rust</strong>")
    );
}

#[test]
fn zalando_indices_take_the_configured_names() {
    let text = r#"{
  "date": "2023.10",
  "entries": [
    {"quadrant": 3, "ring": 0, "label": "Airflow", "active": true, "moved": 0},
    {"quadrant": 0, "ring": 1, "label": "Go", "link": "https://go.dev", "active": true, "moved": 1},
    {"quadrant": 1, "ring": 3, "label": "Consul", "link": "https://consul.io", "active": false, "moved": -1},
    {"quadrant": 2, "ring": 2, "label": "Amazon MemoryDB", "active": true, "moved": 2}
  ]
}"#;
    let names = [
        "Languages",
        "Infrastructure",
        "Datastores",
        "Data Management",
    ];
    let (radar, diags) = load_text(
        "config.json",
        text,
        &names,
        &["ADOPT", "TRIAL", "ASSESS", "HOLD"],
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(radar.format, Format::Zalando);
    assert_eq!(radar.date.as_deref(), Some("2023.10"));
    assert_eq!(
        summary(&radar),
        [
            "airflow Airflow data-management/adopt No",
            "go Go languages/trial In",
            "consul Consul infrastructure/hold Out",
            "amazon-memorydb Amazon MemoryDB datastores/assess No new",
        ]
    );
    assert_eq!(radar.entries[1].links[0].url, "https://go.dev");
    // `active: false` greys the blip and drops its link, as Zalando's radar.js does.
    assert!(!radar.entries[2].active && radar.entries[2].links.is_empty());
    assert!(svg::render_svg(&radar).contains("blip--inactive"));
    assert_eq!(
        radar.entries[0].timeline[0].date.as_deref(),
        Some("2023.10")
    );
    assert_eq!(radar.hold_ring(), Some(3));

    // Without names in stagedoor.yaml, the defaults stand in.
    let (radar, _) = load_text("config.json", text, &[], &[]);
    assert_eq!(radar.quadrants[3].name, "Languages & Frameworks");
    assert_eq!(radar.rings[3].name, "Hold");
}

#[test]
fn csv_with_quoted_multi_line_descriptions_and_a_status_column() {
    let text = "name,ring,quadrant,status,description,topic\n\
Rust,adopt,Languages and Frameworks,Moved In,\"Fast and \"\"safe\"\".\nSecond line with <b>bold</b>\nand a <script>alert(1)</script> third.\",Systems\n\
Kafka,Trial,platforms,New,Streams.,\n\
Jenkins,HOLD,Tools,moved out,<a href=\"https://jenkins.io\" onclick=\"x()\">CI</a>,\n\
Pact,Assess,tools,No Change,Contracts.,\n\
COBOL,Retired,Tools,No Change,Old.,\n\
Chaos,Trial,Techniques,Sideways,Break things.,\n";
    let (radar, diags) = load_text("data.csv", text, &[], &[]);
    assert_eq!(radar.format, Format::ByorCsv);
    // The unknown ring is reported on line 8: the quoted cell of the first row spans lines 2-4.
    assert_eq!(codes(&diags), ["E104:8", "E106:9"]);
    assert_eq!(
        summary(&radar),
        [
            "rust Rust languages-frameworks/adopt In",
            "kafka Kafka platforms/trial No new",
            "jenkins Jenkins tools/hold Out",
            "pact Pact tools/assess No",
            "chaos Chaos techniques/trial No",
        ]
    );
    let rust = &radar.entries[0];
    assert_eq!(rust.line, 2);
    assert!(rust.description.contains("Fast and \"safe\".\nSecond line"));
    let html = &rust.description_html;
    assert!(html.starts_with("<p><em>Systems</em></p>"), "{html}");
    assert!(
        html.contains("<b>bold</b>") && !html.contains("script"),
        "{html}"
    );
    let jenkins = &radar.entries[2].description_html;
    assert!(
        jenkins.contains("href=\"https://jenkins.io\"") && !jenkins.contains("onclick"),
        "{jenkins}"
    );
}

#[test]
fn csv_is_new_column_and_configured_names() {
    let text = "Name , Ring , Quadrant , isNew , Description\n\
Airflow,Core,Pipelines,TRUE,Orchestration.\n\
dbt,core,pipelines,false,Models.\n\
Spark,Edge,Compute,true,Big jobs.\n";
    let (radar, diags) = load_text(
        "data.csv",
        text,
        &["Pipelines", "Compute"],
        &["Core", "Edge"],
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        summary(&radar),
        [
            "airflow Airflow pipelines/core No new",
            "dbt dbt pipelines/core No",
            "spark Spark compute/edge No new",
        ]
    );
    assert_eq!(blip_count(&radar), 3);
    // No ring is called Hold: nothing counts as Hold.
    assert_eq!(radar.hold_ring(), None);
}

#[test]
fn byor_json_array_reads_like_the_csv() {
    let text = r#"[
  {"name": "Rust", "ring": "Adopt", "quadrant": "Languages & Frameworks", "isNew": "TRUE", "description": "Fast."},
  {"name": "Kafka", "ring": "trial", "quadrant": "Platforms", "isNew": "false", "description": "Streams."},
  {"name": "Mainframe", "ring": "hold", "quadrant": "Computers", "isNew": "FALSE", "description": "Old."},
  {"name": "rust", "ring": "Hold", "quadrant": "Tools", "isNew": "FALSE", "description": "Duplicate."}
]"#;
    let (radar, diags) = load_text("radar.json", text, &[], &[]);
    assert_eq!(radar.format, Format::ByorJson);
    assert_eq!(codes(&diags), ["E103:4", "E105:5"]);
    assert_eq!(
        summary(&radar),
        [
            "rust Rust languages-frameworks/adopt No new",
            "kafka Kafka platforms/trial No",
        ]
    );
}

#[test]
fn json_indented_with_tabs_reads_as_json() {
    // JSON allows tabs anywhere whitespace goes; the YAML reader must not refuse them.
    let text = "{\n\t\"entries\": [\n\t\t{\"quadrant\": 0, \"ring\": 0, \"label\": \"Go\", \"moved\": 0}\n\t]\n}\n";
    let (radar, diags) = load_text("config.json", text, &[], &[]);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(radar.entries.len(), 1);
}

#[test]
fn each_bad_entry_is_reported_at_its_line_and_the_rest_draws() {
    let text = r##"{
  "quadrants": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}, {"id": "d", "name": "D"}],
  "rings": [{"id": "adopt", "name": "Adopt", "color": "red;x:url(y)"}, {"id": "hold", "name": "Hold"}],
  "entries": [
    {"key": "ok", "id": "ok", "title": "OK", "quadrant": "a", "timeline": [{"ringId": "adopt", "date": "2024-01-01"}]},
    {"key": "q", "id": "q", "title": "Q", "quadrant": "zz", "timeline": [{"ringId": "adopt"}]},
    {"key": "r", "id": "r", "title": "R", "quadrant": "a", "timeline": [{"ringId": "nope"}]},
    {"id": "nokey", "title": "No key", "quadrant": "a", "timeline": [{"ringId": "adopt"}]},
    {"key": "ok2", "id": "ok", "title": "OK again", "quadrant": "b", "timeline": [{"ringId": "adopt"}]},
    {"key": "m", "id": "m", "title": "M", "quadrant": "b", "timeline": [{"ringId": "adopt", "moved": 5, "date": "last year"}]},
    {"key": "l", "id": "l", "title": "L", "quadrant": "c", "timeline": [{"ringId": "hold"}],
     "links": [{"url": "javascript:alert(1)", "title": "x"}, {"url": "/docs/l/", "title": "Docs"}]},
    {"key": "e", "id": "e", "title": "E", "quadrant": "d", "timeline": [{"ringId": "adopt"}], "entities": ["component:"]},
    {"key": "t", "id": "t", "quadrant": "d", "timeline": []},
    {"key": "h", "id": "h", "title": "H", "quadrant": "d", "timeline": [{"ringId": "hold"}, {"ringId": "gone"}]},
    "not an entry"
  ]
}"##;
    let (radar, diags) = load_text("r.json", text, &[], &[]);
    assert_eq!(
        codes(&diags),
        [
            "E106:3", "E103:6", "E104:7", "E102:8", "E105:9", "E106:10", "E106:10", "E106:12",
            "E108:13", "E102:14", "E104:15", "E102:16",
        ]
    );
    assert!(diags.iter().all(|d| d.severity == Severity::Warning));
    let ids: Vec<&str> = radar.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["ok", "m", "l", "e", "h"]);
    assert_eq!(radar.rings[0].color, "#5BA300", "unsafe colour replaced");
    assert_eq!(
        radar.entries[2].links.len(),
        1,
        "only the relative link stays"
    );
    assert_eq!(
        radar.entries[4].timeline.len(),
        1,
        "the unknown old ring is left out"
    );
    assert_eq!(blip_count(&radar), 5);
}

#[test]
fn unusable_files_give_an_empty_radar_and_an_error() {
    let (radar, diags) = load_text(
        "r.json",
        "{\n  \"entries\": [\n    {\"id\": 1,,}\n  ]\n}\n",
        &[],
        &[],
    );
    assert_eq!(codes(&diags), ["E100:3"]);
    assert!(radar.entries.is_empty() && radar.problem.is_some());
    assert_eq!(radar.quadrants.len(), 4, "drawn with the default quadrants");
    assert_eq!(blip_count(&radar), 0);

    let (radar, diags) = load_text("r.yaml", "title: not a radar\nitems: []\n", &[], &[]);
    assert_eq!(codes(&diags), ["E101:1"]);
    assert_eq!(radar.format, Format::Unknown);

    let (_, diags) = load_text("r.csv", "title,ring\nx,adopt\n", &[], &[]);
    assert_eq!(codes(&diags), ["E102:1"]);

    let missing = config(PathBuf::from("/nonexistent/radar.json"), &[], &[]);
    let (radar, diags) = load_radar(&missing);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code.id(), "E100");
    assert!(radar.entries.is_empty());
}

#[test]
fn a_radar_without_quadrants_uses_the_configured_ones() {
    let text = r#"{"rings": [{"id": "adopt", "name": "Adopt"}],
 "entries": [{"key": "x", "id": "x", "title": "X", "quadrant": "ops", "timeline": [{"ringId": "adopt"}]}]}"#;
    let (radar, diags) = load_text("r.json", text, &["Dev", "Ops"], &[]);
    assert_eq!(codes(&diags), ["E107:1"]);
    assert_eq!(summary(&radar), ["x X ops/adopt No"]);
}

#[test]
fn example_site_broken_radar_reports_each_problem_at_its_line() {
    let file = project_root().join("example-site-broken/radar/broken.json");
    let (radar, diags) = load_radar(&config(file, &[], &[]));
    // EXPECTED.md rows 25-28.
    assert_eq!(codes(&diags), ["E103:34", "E104:38", "E105:40", "E102:43"]);
    let ids: Vec<&str> = radar.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["terraform", "kotlin", "kafka"]);
    assert_eq!(radar.entries[1].title, "Kotlin", "the first kotlin wins");
    assert_eq!(blip_count(&radar), 3);
}

#[test]
fn example_site_radars_load_without_problems() {
    let site = project_root().join("example-site");
    let (json, diags) = load_radar(&config(site.join("radar/engineering.json"), &[], &[]));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(json.entries.len(), 55);
    assert_eq!(blip_count(&json), 55);
    let (csv, diags) = load_radar(&config(site.join("radar/data-platform.csv"), &[], &[]));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(csv.entries.len(), 23);
    assert_eq!(blip_count(&csv), 23);
}

/// Zalando's config.json: every entry is drawn (`active` only controls the link, as in
/// zalando/tech-radar's radar.js), so the count is all 73 entries.
#[test]
fn zalando_corpus_draws_all_73_entries() {
    let Some(file) = corpus("tech-radar/zalando/config.json") else {
        return;
    };
    let names = [
        "Languages",
        "Infrastructure",
        "Datastores",
        "Data Management",
    ];
    let (radar, diags) = load_radar(&config(
        file.clone(),
        &names,
        &["ADOPT", "TRIAL", "ASSESS", "HOLD"],
    ));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(radar.format, Format::Zalando);
    let source: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let in_source = source["entries"].as_array().unwrap().len();
    assert_eq!(in_source, 73);
    assert_eq!(radar.entries.len(), in_source);
    assert_eq!(blip_count(&radar), in_source);
    assert!(radar.entries.iter().any(|e| e.moved == Moved::In));
}

/// Backstage's sample data (all 9 entries), with Markdown descriptions and a fenced block.
#[test]
fn backstage_sample_corpus_draws_all_9_entries() {
    let Some(file) = corpus("tech-radar/backstage-sample/sample.json") else {
        return;
    };
    let (mut radar, mut diags) = load_radar(&config(file, &[], &[]));
    render_descriptions(&mut radar, Default::default(), &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(radar.format, Format::Backstage);
    assert_eq!(radar.entries.len(), 9);
    assert_eq!(blip_count(&radar), 9);
    assert_eq!(radar.rings[0].name, "ADOPT");
    let js = radar.entries.iter().find(|e| e.id == "javascript").unwrap();
    assert!(js.description_html.contains("<strong>sint</strong>"));
    assert!(
        js.description_html.contains("<pre"),
        "{}",
        js.description_html
    );
}

/// Forks of Zalando's radar keep its `radar_visualization` config in the JSON: the names and
/// colours come from there when stagedoor.yaml gives none.
#[test]
fn zalando_files_with_their_own_quadrants_and_rings() {
    let text = r##"{
  "quadrants": [{"name": "Engineering"}, {"name": "DevOps"}, {"name": "Quality Assurance"}, {"name": "Automation"}],
  "rings": [{"name": "ADOPT", "color": "#93c47d"}, {"name": "TRIAL", "color": "#93d2c2"},
            {"name": "ASSESS", "color": "#fbdb84"}, {"name": "HOLD", "color": "#efafa9"}],
  "entries": [{"quadrant": 1, "ring": 3, "label": "Jenkins", "active": true, "moved": 0}]
}"##;
    let (radar, diags) = load_text("config.json", text, &[], &[]);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(radar.format, Format::Zalando);
    assert_eq!(summary(&radar), ["jenkins Jenkins devops/hold No"]);
    assert_eq!(radar.rings[3].color, "#efafa9");
    // stagedoor.yaml's names win.
    let (radar, _) = load_text("config.json", text, &["A", "B", "C", "D"], &[]);
    assert_eq!(radar.quadrants[1].name, "B");
}
