//! Radars in a built site: pages at `radar/` and `radar/<id>/` linking to each other, entries
//! tied to the catalog both ways, and "who still uses a Hold technology" reported at the
//! entity's tag and listed on the radar entry.

use stagedoor::config::Overrides;

use crate::support::{build_with, fixture, load};

fn build(site: &std::path::Path) -> stagedoor::build::BuildReport {
    build_with(site, Overrides::default())
}

fn read(site: &std::path::Path, page: &str) -> String {
    std::fs::read_to_string(site.join("public").join(page))
        .unwrap_or_else(|e| panic!("{page}: {e}"))
}

#[test]
fn hold_entries_in_use_get_one_notice_each_naming_their_users() {
    let site = fixture("radar_site/two_radars");
    let model = load(site.path());
    let shown: Vec<String> = model
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} {} {}",
                d.code.id(),
                d.severity.label(),
                d.location(site.path()).unwrap_or_default(),
                d.entity.as_deref().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            // old-app is tagged java (data radar: Hold) and jenkins (engineering radar: Hold):
            // one notice per entry, at the entry, not one per use.
            "E109 info radar/data.csv:2:1 -",
            "E109 info radar/eng.json:7:1 -",
            // kotlin lists an entity that does not exist.
            "E108 warning radar/eng.json:13:1 -",
        ]
    );
    let jenkins = model
        .diagnostics
        .iter()
        .find(|d| d.message.contains("Jenkins"))
        .unwrap();
    assert_eq!(
        jenkins.message,
        "Jenkins is on Hold in the Engineering radar and still used by component:default/old-app"
    );
    assert!(
        jenkins
            .hint
            .as_deref()
            .unwrap()
            .contains("radar/#entry-jenkins")
    );

    build(site.path());
    // The entry lists who still uses it, one click from each.
    let radar = read(site.path(), "radar/index.html");
    let entry = &radar[radar.find("id=\"entry-jenkins\"").unwrap()..];
    let entry = &entry[..entry.find("</article>").unwrap()];
    assert!(
        entry.contains("href=\"../catalog/default/component/old-app/\""),
        "{entry}"
    );
    assert!(entry.contains("ring-chip--hold"), "{entry}");
    // Tags (`gha` via the entry's tags) and `entities:` lists both count.
    let gha = &radar[radar.find("id=\"entry-github-actions\"").unwrap()..];
    assert!(gha[..gha.find("</article>").unwrap()].contains("component/new-app/"));
    let kotlin = &radar[radar.find("id=\"entry-kotlin\"").unwrap()..];
    let kotlin = &kotlin[..kotlin.find("</article>").unwrap()];
    assert!(kotlin.contains("component/new-app/") && kotlin.contains("component/old-app/"));

    // The problems page lists the notice, as information.
    let problems = read(site.path(), "catalog/problems/index.html");
    let notice = problems
        .find("Jenkins is on Hold in the Engineering radar")
        .expect("the notice is listed");
    let chip = problems[..notice].rfind("chip chip--").unwrap();
    assert!(
        problems[chip..].starts_with("chip chip--info"),
        "{}",
        &problems[chip..notice]
    );

    // The entity page shows the rings of what it uses, linking back to the entries.
    let page = read(site.path(), "catalog/default/component/old-app/index.html");
    let card = &page[page.find("id=\"tech-radar\"").expect("a Tech radar card")..];
    assert!(
        card.contains("href=\"../../../../radar/#entry-jenkins\">Jenkins</a>"),
        "{card}"
    );
    assert!(
        card.contains("href=\"../../../../radar/data/#entry-java\">Java</a>"),
        "{card}"
    );
    assert!(
        card.contains("Data radar"),
        "several radars: each use names its radar"
    );
}

#[test]
fn every_radar_has_a_page_that_links_to_the_others() {
    let site = fixture("radar_site/two_radars");
    build(site.path());
    let eng = read(site.path(), "radar/index.html");
    let data = read(site.path(), "radar/data/index.html");
    assert!(eng.contains("<h1>Engineering radar</h1>"));
    assert!(data.contains("<h1>Data radar</h1>"));
    assert!(
        eng.contains("href=\"../radar/data/\">Data radar</a>"),
        "{eng}"
    );
    assert!(data.contains("href=\"../../radar/\">Engineering radar</a>"));
    assert!(data.contains("href=\"../../radar/data/\" aria-current=\"page\">Data radar</a>"));
    // The header's Radar entry is current on radar pages.
    assert!(eng.contains("aria-current=\"page\">Radar</a>"));
}

#[test]
fn a_broken_radar_file_still_builds_its_page() {
    let site = fixture("radar_site/broken_radar");
    let report = build(site.path());
    let codes: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d.code.id(),
                d.location(site.path()).unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(codes, ["E100 radar.json:2:15", "E107 stagedoor.yaml:4:1"]);
    assert!(report.written, "a bad radar never stops the build");
    let page = read(site.path(), "radar/index.html");
    assert!(page.contains("This radar has no entries to draw"));
    assert!(page.contains("class=\"radar-svg\""));
}

#[test]
fn example_site_broken_reports_its_radar_rows_and_draws_the_rest() {
    let site = crate::support::project_root().join("example-site-broken");
    let out = tempfile::tempdir().unwrap();
    let report = build_with(
        &site,
        Overrides {
            out: Some(out.path().join("s")),
            ..Default::default()
        },
    );
    let radar: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| {
            d.file
                .as_ref()
                .is_some_and(|f| f.ends_with("radar/broken.json"))
        })
        .map(|d| format!("{} {}", d.code.id(), d.line.unwrap_or(0)))
        .collect();
    // EXPECTED.md rows 25-28.
    assert_eq!(radar, ["E103 34", "E104 38", "E105 40", "E102 43"]);
    let page = std::fs::read_to_string(out.path().join("s/radar/index.html")).unwrap();
    assert_eq!(page.matches("<a class=\"blip ").count(), 3);
    for id in ["terraform", "kotlin", "kafka"] {
        assert!(page.contains(&format!("id=\"blip-{id}\"")), "{id}");
    }
}
