//! Entity pages: one view per entity, with About facts, the kind's own sections (a table of
//! which relation feeds which section), the relations no section or fact shows, and per-kind
//! extras (API definition, Template form, Location targets, a Group's transitive ownership, a
//! User's ownership through its groups). Each relation shows once; empty sections are left
//! out rather than shown as "Provides no APIs".

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::api::{ApiView, api_view};
use super::badges::{BadgesView, badges_view};
use super::radar_page::RadarUseView;
use super::template_form::{TemplateView, template_view};
use super::views::{RefView, ref_view, ref_views};
use crate::catalog::kinds::docs_expected;
use crate::catalog::model::Link;
use crate::catalog::{Catalog, Entity, EntityKey, EntityRef, RelationType};
use crate::config::GraphConfig;
use crate::diagnostics::Diagnostic;
use crate::docs::Docs;
use crate::docs::locate::{TECHDOCS_ENTITY, TECHDOCS_REF};
use crate::graph;
use crate::urls::{Urls, entity_dir};

struct SectionRule {
    kind: &'static str,
    id: &'static str,
    title: &'static str,
    relation: RelationType,
    target_kind: Option<&'static str>,
}

const fn section(
    kind: &'static str,
    id: &'static str,
    title: &'static str,
    relation: RelationType,
    target_kind: Option<&'static str>,
) -> SectionRule {
    SectionRule {
        kind,
        id,
        title,
        relation,
        target_kind,
    }
}

/// Which relation feeds which section of which kind's page. A section with nothing in it is
/// left out of the page.
const SECTIONS: &[SectionRule] = &[
    section(
        "component",
        "provided-apis",
        "Provided APIs",
        RelationType::ProvidesApi,
        None,
    ),
    section(
        "component",
        "consumed-apis",
        "Consumed APIs",
        RelationType::ConsumesApi,
        None,
    ),
    section(
        "component",
        "depends-on",
        "Depends on",
        RelationType::DependsOn,
        None,
    ),
    section(
        "component",
        "dependents",
        "Dependents",
        RelationType::DependencyOf,
        None,
    ),
    section(
        "component",
        "subcomponents",
        "Subcomponents",
        RelationType::HasPart,
        Some("component"),
    ),
    section(
        "api",
        "providers",
        "Providers",
        RelationType::ApiProvidedBy,
        None,
    ),
    section(
        "api",
        "consumers",
        "Consumers",
        RelationType::ApiConsumedBy,
        None,
    ),
    section(
        "resource",
        "dependents",
        "Dependents",
        RelationType::DependencyOf,
        None,
    ),
    section(
        "resource",
        "depends-on",
        "Depends on",
        RelationType::DependsOn,
        None,
    ),
    section(
        "system",
        "components",
        "Components",
        RelationType::HasPart,
        Some("component"),
    ),
    section("system", "apis", "APIs", RelationType::HasPart, Some("api")),
    section(
        "system",
        "resources",
        "Resources",
        RelationType::HasPart,
        Some("resource"),
    ),
    section(
        "domain",
        "systems",
        "Systems",
        RelationType::HasPart,
        Some("system"),
    ),
    section(
        "domain",
        "subdomains",
        "Subdomains",
        RelationType::HasPart,
        Some("domain"),
    ),
    section(
        "group",
        "parent",
        "Parent group",
        RelationType::ChildOf,
        None,
    ),
    section(
        "group",
        "children",
        "Child groups",
        RelationType::ParentOf,
        None,
    ),
    section("group", "members", "Members", RelationType::HasMember, None),
    section("user", "groups", "Groups", RelationType::MemberOf, None),
];

#[derive(Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub items: Vec<RefView>,
    pub show_kind: bool,
}

#[derive(Serialize)]
pub struct Fact {
    pub label: &'static str,
    pub text: String,
    pub href: Option<String>,
    pub refs: Vec<RefView>,
}

#[derive(Serialize)]
pub struct RelationGroup {
    pub relation: RelationType,
    pub title: &'static str,
    pub items: Vec<RefView>,
}

#[derive(Serialize)]
pub struct LinkView {
    pub url: String,
    pub title: String,
    pub icon: String,
    pub link_type: Option<String>,
}

#[derive(Serialize)]
pub struct ProblemView {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub location: String,
}

#[derive(Serialize)]
pub struct AvatarView {
    /// An http(s) URL only: anything else (javascript:, data:) is never put in `src`.
    pub url: Option<String>,
    pub initials: String,
}

#[derive(Serialize)]
pub struct LocationView {
    pub targets: Vec<String>,
}

#[derive(Serialize)]
pub struct EntityView {
    #[serde(rename = "ref")]
    pub ref_text: String,
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    pub namespace: String,
    pub title: String,
    pub description: Option<String>,
    pub entity_type: Option<String>,
    pub lifecycle: Option<String>,
    pub url: String,
    pub tags: Vec<String>,
    pub facts: Vec<Fact>,
    pub sections: Vec<Section>,
    pub relations: Vec<RelationGroup>,
    pub links: Vec<LinkView>,
    pub source_links: Vec<LinkView>,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    pub problems: Vec<ProblemView>,
    /// A user's or group's picture, or initials where there is no safe picture URL.
    pub avatar: Option<AvatarView>,
    pub api: Option<ApiView>,
    pub template: Option<TemplateView>,
    pub location: Option<LocationView>,
    pub spec_json: Option<String>,
    pub docs_url: Option<String>,
    pub docs_note: Option<String>,
    /// Radar entries this entity uses (by tag or by the entry's `entities` list).
    pub radar: Vec<RadarUseView>,
    pub badges: BadgesView,
    /// The relation graph, and a System's or Domain's architecture view.
    pub graph: GraphView,
    pub score: Option<super::scorecards_page::ScoreView>,
}

/// A drawing (`crate::graph`) with the full list of what it holds, which its "and N more"
/// nodes link to.
#[derive(Serialize)]
pub struct DrawingView {
    pub html: String,
    pub has_edges: bool,
    /// Entities folded into "and N more" nodes.
    pub hidden: usize,
    pub all: Vec<RefView>,
}

#[derive(Serialize)]
pub struct GraphView {
    pub relations: DrawingView,
    pub architecture: Option<DrawingView>,
}

/// What entity pages need from the whole catalog, computed once per build.
pub struct EntityIndex<'a> {
    pub catalog: &'a Catalog,
    pub docs: &'a Docs,
    pub urls: Urls,
    pub site_dir: &'a std::path::Path,
    /// Where bundled repositories were fetched into (`diagnostics::Shown`).
    pub bundles: Option<&'a std::path::Path>,
    /// Location key → entities read through it.
    produced: HashMap<EntityKey, Vec<EntityRef>>,
    /// Entity ref (display form) → its diagnostics.
    problems: HashMap<String, Vec<&'a Diagnostic>>,
    /// Entity key → the radar entries it uses.
    pub radar_uses: HashMap<EntityKey, Vec<RadarUseView>>,
    /// API entity key → its reference (None: no references were made).
    pub api_refs: Option<&'a crate::apiref::ApiRefs>,
    /// The site's absolute URL, for the badge snippets (None: not configured).
    pub base_url: Option<&'a str>,
    /// How much the relation graphs show (`graph:` in stagedoor.yaml).
    pub graph: GraphConfig,
    /// Scorecards (None: not scored, e.g. in tests of the page alone).
    pub scores: Option<&'a crate::scorecard::Scores>,
    /// How an API's highlighted definition is marked up.
    pub markup: crate::highlight::Markup,
}

impl<'a> EntityIndex<'a> {
    fn shown(&self) -> crate::diagnostics::Shown<'a> {
        crate::diagnostics::Shown {
            site: self.site_dir,
            bundles: self.bundles,
        }
    }

    pub fn new(
        catalog: &'a Catalog,
        docs: &'a Docs,
        urls: Urls,
        site_dir: &'a std::path::Path,
        diagnostics: &'a [Diagnostic],
    ) -> Self {
        let mut produced: HashMap<EntityKey, Vec<EntityRef>> = HashMap::new();
        for e in &catalog.entities {
            if let Some(loc) = &e.source.location {
                produced
                    .entry(loc.key())
                    .or_default()
                    .push(e.entity_ref.clone());
            }
        }
        let mut problems: HashMap<String, Vec<&Diagnostic>> = HashMap::new();
        for d in diagnostics {
            if let Some(r) = &d.entity {
                problems.entry(r.clone()).or_default().push(d);
            }
        }
        EntityIndex {
            catalog,
            docs,
            urls,
            site_dir,
            bundles: None,
            produced,
            problems,
            radar_uses: HashMap::new(),
            api_refs: None,
            base_url: None,
            graph: GraphConfig::default(),
            scores: None,
            markup: Default::default(),
        }
    }
}

pub fn entity_view(e: &Entity, ix: &EntityIndex) -> EntityView {
    let kind = e.entity_ref.kind.as_str();
    let mut sections: Vec<Section> = SECTIONS
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| {
            let targets = e
                .related(s.relation)
                .filter(|t| s.target_kind.is_none_or(|k| t.kind == k));
            Section {
                id: s.id.into(),
                title: s.title.into(),
                items: ref_views(ix.catalog, &ix.urls, targets),
                show_kind: s.target_kind.is_none(),
            }
        })
        .collect();
    if kind == "group" {
        sections.push(owned_section(e, ix));
    }
    if kind == "user" {
        sections.push(user_owned_section(e, ix));
    }
    if kind == "location" {
        let produced = ix
            .produced
            .get(&e.entity_ref.key())
            .map(Vec::as_slice)
            .unwrap_or_default();
        sections.push(Section {
            id: "produced".into(),
            title: "Entities read through this location".into(),
            items: ref_views(ix.catalog, &ix.urls, produced),
            show_kind: true,
        });
    }
    sections.retain(|s| !s.items.is_empty());
    EntityView {
        ref_text: e.entity_ref.to_string(),
        kind: kind.to_string(),
        kind_label: e.kind.clone(),
        name: e.name().to_string(),
        namespace: e.namespace().to_string(),
        title: e.display_name().to_string(),
        description: e.description.clone(),
        entity_type: e.spec_str("type").map(str::to_string),
        lifecycle: e.spec_str("lifecycle").map(str::to_string),
        url: ix.urls.href(&entity_dir(&e.entity_ref)),
        tags: e.tags.clone(),
        facts: facts(e, ix),
        sections,
        relations: relation_groups(e, ix, &shown_elsewhere(e)),
        links: e.links.iter().map(link_view).collect(),
        source_links: source_links(e),
        labels: e.labels.clone(),
        annotations: e.annotations.clone(),
        problems: problems(e, ix),
        avatar: matches!(kind, "user" | "group").then(|| avatar(e)),
        api: (kind == "api").then(|| {
            let reference = ix.api_refs.and_then(|r| r.get(&e.entity_ref.key()));
            api_view(e, reference, ix.urls, ix.markup)
        }),
        template: (kind == "template").then(|| template_view(e)),
        location: (kind == "location").then(|| LocationView {
            targets: location_targets(e),
        }),
        spec_json: (!e.known_kind)
            .then(|| serde_json::to_string_pretty(&e.spec).unwrap_or_default()),
        docs_url: ix
            .docs
            .url_for(&e.entity_ref.key())
            .map(|u| ix.urls.href(&u)),
        docs_note: docs_note(e, ix),
        radar: ix
            .radar_uses
            .get(&e.entity_ref.key())
            .cloned()
            .unwrap_or_default(),
        badges: badges_view(
            e,
            ix.docs.url_for(&e.entity_ref.key()).is_some(),
            ix.urls,
            ix.base_url,
            ix.scores,
        ),
        graph: graph_view(e, ix),
        score: ix.scores.and_then(|s| {
            let score = s.get(&e.entity_ref.key())?;
            let url = ix.urls.href("scorecards/");
            Some(super::scorecards_page::score_view(s, score, url))
        }),
    }
}

fn graph_view(e: &Entity, ix: &EntityIndex) -> GraphView {
    let page_dir = entity_dir(&e.entity_ref);
    let view = |d: graph::Drawing| DrawingView {
        all: ref_views(ix.catalog, &ix.urls, &d.members),
        html: d.html,
        has_edges: d.has_edges,
        hidden: d.hidden,
    };
    let title = format!("Relations of {}", e.display_name());
    let frame = graph::Frame {
        id: "relation-graph",
        title: &title,
        page_dir: &page_dir,
        urls: ix.urls,
        all_anchor: "relations-all",
    };
    let relations = view(graph::entity_drawing(ix.catalog, e, ix.graph, &frame));
    let title = format!("Architecture of {}", e.display_name());
    let frame = graph::Frame {
        id: "architecture-graph",
        title: &title,
        all_anchor: "architecture-all",
        ..frame
    };
    let architecture = graph::architecture_drawing(ix.catalog, e, ix.graph, &frame)
        .filter(|d| !d.members.is_empty())
        .map(view);
    GraphView {
        relations,
        architecture,
    }
}

fn fact(label: &'static str, text: impl Into<String>) -> Fact {
    Fact {
        label,
        text: text.into(),
        href: None,
        refs: Vec::new(),
    }
}

fn ref_fact(label: &'static str, refs: Vec<RefView>) -> Option<Fact> {
    (!refs.is_empty()).then(|| Fact {
        label,
        text: String::new(),
        href: None,
        refs,
    })
}

fn facts(e: &Entity, ix: &EntityIndex) -> Vec<Fact> {
    let c = ix.catalog;
    let partof = |kind: &str| {
        ref_views(
            c,
            &ix.urls,
            e.related(RelationType::PartOf).filter(|t| t.kind == kind),
        )
    };
    let mut out = Vec::new();
    out.extend(ref_fact(
        "Owner",
        ref_views(c, &ix.urls, e.related(RelationType::OwnedBy)),
    ));
    out.extend(ref_fact("System", partof("system")));
    out.extend(ref_fact("Parent", partof("component")));
    let mut domain = partof("domain");
    if domain.is_empty() {
        // A component's domain is its system's domain.
        let systems: Vec<&Entity> = e
            .related(RelationType::PartOf)
            .filter(|t| t.kind == "system")
            .filter_map(|s| c.get(s))
            .collect();
        domain = ref_views(
            c,
            &ix.urls,
            systems.iter().flat_map(|s| {
                s.related(RelationType::PartOf)
                    .filter(|t| t.kind == "domain")
            }),
        );
    }
    let domain_label = if e.entity_ref.kind == "domain" {
        "Parent domain"
    } else {
        "Domain"
    };
    out.extend(ref_fact(domain_label, domain));
    if let Some(t) = e.spec_str("type") {
        out.push(fact("Type", t));
    }
    if let Some(l) = e.spec_str("lifecycle") {
        out.push(fact("Lifecycle", l));
    }
    if let Some(profile) = e.spec.get("profile") {
        if let Some(name) = profile.get("displayName").and_then(|v| v.as_str()) {
            out.push(fact("Name", name));
        }
        if let Some(email) = profile.get("email").and_then(|v| v.as_str()) {
            let mut f = fact("Email", email);
            f.href = Some(format!("mailto:{email}"))
                .filter(|u| crate::catalog::rules::is_safe_link_scheme(u));
            out.push(f);
        }
    }
    out.push(fact("Namespace", e.namespace()));
    let file = ix.shown().path(&e.source.file);
    out.push(fact("Defined in", format!("{file}:{}", e.source.line)));
    out
}

/// Everything a group owns, itself or through its child groups (cycles are cut).
fn owned_section(e: &Entity, ix: &EntityIndex) -> Section {
    let mut seen: HashSet<EntityKey> = HashSet::new();
    let mut stack = vec![e.entity_ref.clone()];
    let mut owned: BTreeSet<EntityRef> = BTreeSet::new();
    while let Some(g) = stack.pop() {
        if !seen.insert(g.key()) {
            continue;
        }
        let Some(group) = ix.catalog.get(&g) else {
            continue;
        };
        owned.extend(group.related(RelationType::OwnerOf).cloned());
        stack.extend(group.related(RelationType::ParentOf).cloned());
    }
    Section {
        id: "owned".into(),
        title: "Owned, including child groups".into(),
        items: ref_views(ix.catalog, &ix.urls, &owned),
        show_kind: true,
    }
}

/// Relations that a section of this kind's page or an About fact already shows: the
/// "Other relations" card leaves them out, so each relation shows once.
fn shown_elsewhere(e: &Entity) -> HashSet<(RelationType, EntityKey)> {
    let kind = e.entity_ref.kind.as_str();
    let mut shown = HashSet::new();
    for rule in SECTIONS.iter().filter(|s| s.kind == kind) {
        for t in e
            .related(rule.relation)
            .filter(|t| rule.target_kind.is_none_or(|k| t.kind == k))
        {
            shown.insert((rule.relation, t.key()));
        }
    }
    // About shows the owner and what the entity is part of (system, parent, domain).
    shown.extend(
        e.related(RelationType::OwnedBy)
            .map(|t| (RelationType::OwnedBy, t.key())),
    );
    shown.extend(
        e.related(RelationType::PartOf)
            .filter(|t| matches!(t.kind.as_str(), "system" | "component" | "domain"))
            .map(|t| (RelationType::PartOf, t.key())),
    );
    // The group's and the user's ownership sections list what they own.
    if matches!(kind, "group" | "user") {
        shown.extend(
            e.related(RelationType::OwnerOf)
                .map(|t| (RelationType::OwnerOf, t.key())),
        );
    }
    shown
}

fn relation_groups(
    e: &Entity,
    ix: &EntityIndex,
    shown: &HashSet<(RelationType, EntityKey)>,
) -> Vec<RelationGroup> {
    let mut groups: Vec<RelationGroup> = Vec::new();
    for r in e
        .relations
        .iter()
        .filter(|r| !shown.contains(&(r.relation, r.target.key())))
    {
        if groups.last().is_none_or(|g| g.relation != r.relation) {
            groups.push(RelationGroup {
                relation: r.relation,
                title: r.relation.title(),
                items: Vec::new(),
            });
        }
        if let Some(g) = groups.last_mut() {
            g.items.push(ref_view(ix.catalog, &ix.urls, &r.target));
        }
    }
    groups
}

/// What a user owns, as Backstage aggregates ownership: entities owned by the user, then
/// those owned by each group the user is a member of, each labelled with that group.
fn user_owned_section(e: &Entity, ix: &EntityIndex) -> Section {
    let mut items = ref_views(ix.catalog, &ix.urls, e.related(RelationType::OwnerOf));
    let mut listed: HashSet<String> = items.iter().map(|i| i.ref_text.clone()).collect();
    let mut groups: Vec<&Entity> = e
        .related(RelationType::MemberOf)
        .filter_map(|g| ix.catalog.get(g))
        .collect();
    groups.sort_by_key(|g| g.display_name().to_lowercase());
    for group in groups {
        let owned = ref_views(ix.catalog, &ix.urls, group.related(RelationType::OwnerOf));
        for mut item in owned {
            if listed.insert(item.ref_text.clone()) {
                item.via = Some(format!("through {}", group.display_name()));
                items.push(item);
            }
        }
    }
    Section {
        id: "owns".into(),
        title: "Ownership, including through groups".into(),
        items,
        show_kind: true,
    }
}

/// A user's or group's `spec.profile.picture` when it is an http(s) URL, with initials of
/// the display name for when there is none or it fails to load.
fn avatar(e: &Entity) -> AvatarView {
    let url = e
        .spec
        .get("profile")
        .and_then(|p| p.get("picture"))
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|u| is_http(u))
        .map(str::to_string);
    AvatarView {
        url,
        initials: initials(e.display_name()),
    }
}

/// Up to two letters: the first of the first and last words ("Grace Oyelaran" → "GO",
/// "team-payments" → "TP").
fn initials(name: &str) -> String {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    let first = |w: Option<&&str>| w.and_then(|w| w.chars().next());
    let mut out: String = first(words.first()).into_iter().collect();
    if words.len() > 1 {
        out.extend(first(words.last()));
    }
    out.to_uppercase()
}

fn link_view(l: &Link) -> LinkView {
    LinkView {
        url: l.url.clone(),
        title: l.title.clone().unwrap_or_else(|| l.url.clone()),
        icon: l.icon.clone().unwrap_or_default(),
        link_type: l.link_type.clone(),
    }
}

/// View/edit/source links from annotations; only http(s) URLs are ever emitted.
fn source_links(e: &Entity) -> Vec<LinkView> {
    let candidates = [
        ("backstage.io/source-location", "Source", "code"),
        ("backstage.io/view-url", "View file", "code"),
        ("backstage.io/edit-url", "Edit", "code"),
    ];
    let mut out: Vec<LinkView> = candidates
        .iter()
        .filter_map(|(key, title, icon)| {
            let value = e.annotation(key)?;
            let url = value.strip_prefix("url:").unwrap_or(value);
            is_http(url).then(|| LinkView {
                url: url.to_string(),
                title: title.to_string(),
                icon: icon.to_string(),
                link_type: None,
            })
        })
        .collect();
    if let Some(slug) = e
        .annotation("github.com/project-slug")
        .or_else(|| e.annotation("backstage.io/github-actions-id"))
    {
        let url = format!("https://github.com/{slug}");
        if !out.iter().any(|l| l.url.starts_with(&url)) && is_http(&url) {
            out.push(LinkView {
                url,
                title: "Repository".into(),
                icon: "github".into(),
                link_type: None,
            });
        }
    }
    out
}

fn is_http(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

fn problems(e: &Entity, ix: &EntityIndex) -> Vec<ProblemView> {
    let key = e.entity_ref.to_string();
    ix.problems
        .get(&key)
        .map(|ds| {
            ds.iter()
                .map(|d| ProblemView {
                    severity: d.severity.label(),
                    code: d.code.id(),
                    message: d.message.clone(),
                    location: d.location_in(ix.shown()).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn location_targets(e: &Entity) -> Vec<String> {
    let single = e
        .spec
        .get("target")
        .and_then(|t| t.as_str())
        .map(str::to_string);
    let many = e
        .spec
        .get("targets")
        .and_then(|t| t.as_array())
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_string));
    single.into_iter().chain(many).collect()
}

/// What the page says where docs would be: where they are instead, why they failed, or (on
/// kinds expected to have docs) how to add some. Nothing on other kinds without docs.
fn docs_note(e: &Entity, ix: &EntityIndex) -> Option<String> {
    let key = e.entity_ref.key();
    if ix.docs.url_for(&key).is_some() {
        return None;
    }
    Some(
        match (
            ix.docs.external.get(&key),
            e.annotation(TECHDOCS_REF),
            e.annotation(TECHDOCS_ENTITY),
        ) {
            (Some(url), _, _) => format!("Its docs live outside this portal, at {url}."),
            (None, _, Some(other)) => {
                format!("Its docs are those of {other}, which has none here.")
            }
            (None, Some(_), None) => "Its docs could not be built; see the Problems page.".into(),
            (None, None, None) if docs_expected(&e.entity_ref.kind) => format!(
                "No documentation: add the annotation {TECHDOCS_REF}: dir:. and a docs/ folder to publish some."
            ),
            (None, None, None) => return None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_the_first_and_last_words() {
        assert_eq!(initials("Grace Oyelaran"), "GO");
        assert_eq!(initials("team-payments"), "TP");
        assert_eq!(initials("jo"), "J");
        assert_eq!(initials("Anna Maria van der Berg"), "AB");
        assert_eq!(initials("élodie"), "É");
        assert_eq!(initials(""), "");
    }
}
