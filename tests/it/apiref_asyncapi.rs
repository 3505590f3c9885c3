//! AsyncAPI references (`stagedoor::apiref`): the HTML of a 2.x and a 3.0 fixture that use
//! each construct once (snapshots), links that land, hostile text, and every definition of
//! the shared corpus.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use stagedoor::apiref::{self, Reference, Source};

use crate::html_scan::assert_reference_inert;
use crate::support::{corpus, project_root};

/// The fixtures' folder stands for the repository.
fn repo() -> PathBuf {
    project_root()
        .join("tests/fixtures/apiref/asyncapi")
        .canonicalize()
        .unwrap()
}

fn reference_in(file: &Path, text: &str, root: &Path) -> Reference {
    let source = Source {
        text,
        file,
        line: 1,
        root,
        markup: Default::default(),
    };
    apiref::reference("asyncapi", &source).expect("an AsyncAPI reference")
}

fn fixture(name: &str) -> Reference {
    let root = repo();
    let file = root.join(name);
    let text = std::fs::read_to_string(&file).unwrap();
    reference_in(&file, &text, &root)
}

/// The reference as the page shows it, outline first; titles escaped as the template does.
fn page_html(r: &Reference) -> String {
    use stagedoor::html::escape;
    let mut out = String::from("<nav>\n");
    for o in &r.outline {
        let badge = o.badge.as_deref().unwrap_or("");
        out.push_str(&format!(
            "{}#{} {badge} {}\n",
            "  ".repeat(o.depth.into()),
            escape(&o.anchor),
            escape(&o.title),
        ));
    }
    out.push_str("</nav>\n");
    out.push_str(&r.intro_html);
    for s in &r.sections {
        out.push_str(&format!(
            "\n<section id=\"{}\"><h3>{}</h3>\n{}\n</section>",
            escape(&s.anchor),
            escape(&s.title),
            s.html
        ));
    }
    // One element per line, so a snapshot diff points at what changed.
    out.replace("><", ">\n<")
}

/// Every `href="#…"` in the reference (sections and outline) has an element with that id.
fn assert_links_land(r: &Reference) {
    let html = page_html(r);
    let ids: HashSet<&str> = html
        .split("id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    for href in html.split("href=\"#").skip(1) {
        let target = href.split('"').next().unwrap_or_default();
        assert!(ids.contains(target), "#{target} has no element");
    }
    for o in &r.outline {
        let anchor = stagedoor::html::escape(&o.anchor);
        assert!(
            ids.contains(anchor.as_str()),
            "outline #{anchor} has no element"
        );
    }
}

#[test]
fn asyncapi_2_reference_snapshot() {
    insta::assert_snapshot!(
        "apiref_asyncapi_streetlights_v2",
        page_html(&fixture("streetlights-v2.yaml"))
    );
}

#[test]
fn asyncapi_3_json_reference_snapshot() {
    insta::assert_snapshot!(
        "apiref_asyncapi_accounts_v3",
        page_html(&fixture("accounts-v3.json"))
    );
}

#[test]
fn every_link_lands_on_an_element() {
    for name in ["streetlights-v2.yaml", "accounts-v3.json", "xss.yaml"] {
        assert_links_land(&fixture(name));
    }
}

#[test]
fn a_relative_ref_reads_the_other_file() {
    let r = fixture("streetlights-v2.yaml");
    let html = page_html(&r);
    assert!(html.contains("Percentage to which the light"), "{html}");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn v3_operations_sit_under_their_channels_with_their_messages() {
    let r = fixture("accounts-v3.json");
    let sections: Vec<&str> = r.sections.iter().map(|s| s.anchor.as_str()).collect();
    assert_eq!(
        sections,
        [
            "channel/userSignedup",
            "channel/userDeleted",
            "channel/audit",
            "messages",
            "schemas"
        ]
    );
    let signup = &r.sections[0].html;
    assert!(signup.contains("id=\"operation/sendUserSignedup\""));
    // The operation names one of the channel's two messages: only that one is drawn.
    assert!(
        signup.contains("href=\"#message/UserSignedUp\""),
        "{signup}"
    );
    assert!(!signup.contains("invitedBy"), "{signup}");
    // An operation that lists no messages carries all of its channel's.
    assert!(r.sections[1].html.contains("<code>UserDeleted</code>"));
    // A channel no operation uses still shows its messages.
    assert!(r.sections[2].html.contains("<code>AuditEntry</code>"));
    let titles: Vec<&str> = r.search.iter().map(|e| e.title.as_str()).collect();
    assert!(
        titles.contains(&"send user/signedup/{region}"),
        "{titles:?}"
    );
    assert!(titles.contains(&"receive user/deleted"), "{titles:?}");
}

/// A 3.0 reply names its channel (linked) and the run-time address, and carries that
/// channel's messages; server variables show their default and allowed values (a 3.0
/// variable may be a `$ref`); a 2.x operation takes description and bindings from its traits.
#[test]
fn replies_server_variables_and_operation_traits_are_shown() {
    let r = fixture("accounts-v3.json");
    let deleted = &r.sections[1].html;
    let reply = deleted.split("<h5>Reply</h5>").nth(1).expect("reply drawn");
    assert!(reply.contains("on channel <a href=\"#channel/audit\"><code>audit</code></a>"));
    assert!(reply.contains("to the address in <code>$message.header#/replyTo</code>"));
    assert!(reply.contains("<em>requester</em>"), "{reply}");
    assert!(
        reply.contains("<code>AuditEntry</code>"),
        "the channel's message"
    );
    let vars = "<code>{port}</code> default <code>9093</code> · one of <code>9093</code>, <code>9094</code> · TLS port.";
    assert!(r.intro_html.contains(vars), "{}", r.intro_html);

    let r = fixture("streetlights-v2.yaml");
    assert!(
        r.intro_html
            .contains("<code>{port}</code> default <code>8883</code>")
    );
    let html = page_html(&r);
    let publish = html
        .split("Turn a light on or dim it.")
        .nth(1)
        .expect("publish drawn");
    assert!(
        publish.contains("<em>at least once</em>"),
        "trait description"
    );
    assert!(publish.contains("<code>retain</code>"), "trait bindings");
}

#[test]
fn hostile_text_is_escaped() {
    let html = page_html(&fixture("xss.yaml"));
    assert_reference_inert(&html);
    // The payloads are there, as text.
    assert!(
        html.contains("&lt;script&gt;alert(9)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("alert(12)"), "{html}");
}

#[test]
fn every_corpus_definition_gives_a_reference_with_channels_and_operations() {
    let Some(dir) = corpus("api-definitions/asyncapi") else {
        return;
    };
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // A catalog file holds its definition in spec.definition; other files are one.
        let definition = catalog_definition(&text).unwrap_or(text);
        let r = reference_in(&path, &definition, &dir);
        let channels = r
            .sections
            .iter()
            .filter(|s| s.anchor.starts_with("channel/"))
            .count();
        let operations = r.outline.iter().filter(|o| o.badge.is_some()).count();
        assert!(
            channels > 0 && operations > 0,
            "{}: {channels} channels, {operations} operations; {:?}",
            path.display(),
            r.diagnostics
        );
        assert_links_land(&r);
        seen += 1;
    }
    assert!(seen > 0, "no definitions in {}", dir.display());
}

fn catalog_definition(text: &str) -> Option<String> {
    let node = stagedoor::yaml::parse_single(text, stagedoor::yaml::Schema::Core12).ok()??;
    Some(node.get("spec")?.get("definition")?.as_str()?.to_string())
}
