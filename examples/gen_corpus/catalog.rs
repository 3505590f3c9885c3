//! The catalog half of the corpus: plan an organisation (groups, users, domains, systems)
//! and one Component per repository plus extra APIs, Resources and sub-components, with
//! every reference pointing at a planned entity; then write it all as YAML.

use std::collections::BTreeSet;

use anyhow::{Result, bail};

use crate::rng::Rng;
use crate::snippets;
use crate::words::*;

pub const ORG: &str = "genorg";
pub const ORG_REPO: &str = "org";

pub struct Group {
    pub name: String,
    pub display: String,
    pub kind: &'static str,
    pub description: String,
    pub parent: Option<String>,
    pub children: Vec<String>,
    pub members: Vec<String>,
}

pub struct User {
    pub name: String,
    pub display: String,
    pub team: usize,
}

pub struct Domain {
    pub name: String,
    pub owner: String,
    pub description: String,
}

pub struct System {
    pub name: String,
    pub owner: String,
    pub domain: String,
    pub description: String,
}

pub struct Api {
    pub name: String,
    pub kind: &'static str,
    /// `Some(relative path)` when the definition lives in its own file (`$text`).
    pub file: Option<String>,
}

pub struct Resource {
    pub name: String,
    pub kind: &'static str,
    pub tag: &'static str,
}

pub struct SubComponent {
    pub name: String,
    pub kind: &'static str,
    pub consumes: Vec<String>,
    pub depends: Vec<String>,
}

pub struct Repo {
    pub name: String,
    pub title: String,
    pub team: usize,
    pub system: usize,
    pub kind: &'static str,
    pub lifecycle: &'static str,
    pub language: &'static str,
    pub tags: Vec<&'static str>,
    pub description: String,
    pub tier: usize,
    pub apis: Vec<Api>,
    pub resources: Vec<Resource>,
    pub subs: Vec<SubComponent>,
    pub consumes: Vec<String>,
    pub depends: Vec<String>,
    /// Set by the docs planner: the repo has `mkdocs.yml` + `docs/`.
    pub documented: bool,
}

pub struct Catalog {
    pub root: Group,
    pub departments: Vec<Group>,
    pub teams: Vec<Group>,
    pub users: Vec<User>,
    pub domains: Vec<Domain>,
    pub systems: Vec<System>,
    pub repos: Vec<Repo>,
}

impl Catalog {
    /// Every document written: the Location, the root group, departments, teams, users,
    /// domains, systems and each repository's components, APIs and resources.
    pub fn entity_count(&self) -> usize {
        1 + 1
            + self.departments.len()
            + self.teams.len()
            + self.users.len()
            + self.domains.len()
            + self.systems.len()
            + self
                .repos
                .iter()
                .map(|r| 1 + r.apis.len() + r.resources.len() + r.subs.len())
                .sum::<usize>()
    }

    pub fn team_name(&self, repo: &Repo) -> &str {
        &self.teams[repo.team].name
    }
}

/// `payments-core-api` → `Payments Core API`.
pub fn humanise(slug: &str) -> String {
    slug.split('-')
        .map(|w| match w {
            "slos" => "SLOs".to_string(),
            "graphql" => "GraphQL".to_string(),
            "grpc" => "gRPC".to_string(),
            "mysql" => "MySQL".to_string(),
            "api" | "sdk" | "ui" | "cdn" | "dns" | "sms" | "kyc" | "faq" | "adr" | "db" | "cli" => {
                w.to_ascii_uppercase()
            }
            _ => capitalise(w),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// A unique name: `base` if free, else `base-2`, `base-3`, …
fn unique(used: &mut BTreeSet<String>, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while used.contains(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    used.insert(name.clone());
    name
}

/// Backstage's object-name rule (§1.6), checked on everything we write.
fn is_valid_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// Backstage's tag rule `^[a-z0-9:+#]+(\-[a-z0-9:+#]+)*$`, length ≤ 63.
fn is_valid_tag(s: &str) -> bool {
    s.len() <= 63
        && s.split('-').all(|part| {
            !part.is_empty()
                && part.bytes().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b':' | b'+' | b'#')
                })
        })
}

fn integer_sqrt(n: usize) -> usize {
    let mut r = 0;
    while (r + 1) * (r + 1) <= n {
        r += 1;
    }
    r
}

const LANGS_SERVICE: &[&str] = &["go", "rust", "python", "kotlin", "typescript", "java"];
const LANGS_LIBRARY: &[&str] = &["rust", "go", "python", "typescript", "kotlin"];

/// Plans the whole catalog. `repos` counts every folder, the org repo included.
pub fn plan(rng: &mut Rng, repos: usize, entities: Option<usize>) -> Catalog {
    let repo_count = repos.max(2) - 1;
    let mut used = BTreeSet::new();

    // Org tree: 1 root → departments → teams (≈ repos/8), ≈ 3 users per team.
    let team_count = ((repos + 4) / 8).max(1);
    let dept_count = integer_sqrt(team_count).max(1);
    let mut root = Group {
        name: unique(&mut used, ORG),
        display: "GenOrg".into(),
        kind: "organization",
        description: "The whole generated organisation.".into(),
        parent: None,
        children: Vec::new(),
        members: Vec::new(),
    };
    let mut departments = Vec::new();
    let dept_idx = rng.sample_indices(DEPARTMENTS.len(), dept_count);
    for i in 0..dept_count {
        let base = dept_idx.get(i).map_or("department", |&j| DEPARTMENTS[j]);
        let name = unique(&mut used, base);
        root.children.push(name.clone());
        departments.push(Group {
            display: humanise(&name),
            description: format!("The {} department.", humanise(&name)),
            name,
            kind: "department",
            parent: Some(root.name.clone()),
            children: Vec::new(),
            members: Vec::new(),
        });
    }
    let mut teams = Vec::new();
    let mut users = Vec::new();
    let mut user_names = BTreeSet::new();
    for t in 0..team_count {
        let d = t % dept_count;
        let codename = rng.pick(CODENAMES);
        let dept_word = departments[d].name.split('-').next().unwrap_or("team");
        let name = unique(&mut used, &format!("{dept_word}-{codename}"));
        departments[d].children.push(name.clone());
        let mut members = Vec::new();
        for _ in 0..rng.range(2, 4) {
            let (first, last) = (rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
            let user = unique(&mut user_names, &format!("{first}.{last}"));
            members.push(user.clone());
            users.push(User {
                display: format!("{} {}", capitalise(first), capitalise(last)),
                name: user,
                team: t,
            });
        }
        teams.push(Group {
            display: format!("Team {}", capitalise(codename)),
            description: format!(
                "{} team in {}, owning services end to end.",
                capitalise(codename),
                departments[d].display
            ),
            name,
            kind: "team",
            parent: Some(departments[d].name.clone()),
            children: Vec::new(),
            members,
        });
    }

    // Domains (≈ repos/60) owned by departments, systems (≈ repos/20) owned by teams.
    let domain_count = ((repos + 30) / 60).max(1);
    let system_count = ((repos + 10) / 20).max(1);
    let mut domain_names = BTreeSet::new();
    let dom_idx = rng.sample_indices(DOMAINS.len(), domain_count);
    let domains: Vec<Domain> = (0..domain_count)
        .map(|i| {
            let base = dom_idx.get(i).map_or("domain", |&j| DOMAINS[j]);
            let name = unique(&mut domain_names, base);
            Domain {
                description: format!("Everything about {}.", humanise(&name).to_lowercase()),
                owner: departments[i % dept_count].name.clone(),
                name,
            }
        })
        .collect();
    let mut system_names = BTreeSet::new();
    let systems: Vec<System> = (0..system_count)
        .map(|i| {
            let base = format!("{}-{}", rng.pick(AREAS), rng.pick(SYSTEM_NOUNS));
            let name = unique(&mut system_names, &base);
            System {
                description: format!("The {} system.", humanise(&name)),
                owner: teams[rng.below(team_count)].name.clone(),
                domain: domains[i % domain_count].name.clone(),
                name,
            }
        })
        .collect();

    // One Component per repository.
    let mut comp_names = BTreeSet::new();
    comp_names.insert(ORG_REPO.to_string());
    let mut team_of: Vec<usize> = (0..repo_count).map(|i| i % team_count).collect();
    rng.shuffle(&mut team_of);
    let mut repos_out = Vec::with_capacity(repo_count);
    for &team in &team_of {
        let (suffix, kind) = *rng.pick(SUFFIXES);
        let mut base = String::new();
        for attempt in 0..30 {
            base = if rng.percent(25) || attempt > 10 {
                format!("{}-{}-{}", rng.pick(AREAS), rng.pick(QUALIFIERS), suffix)
            } else {
                format!("{}-{}", rng.pick(AREAS), suffix)
            };
            if !comp_names.contains(&base) {
                break;
            }
        }
        let name = unique(&mut comp_names, &base);
        let language = match kind {
            "website" => "typescript",
            "library" => rng.pick(LANGS_LIBRARY),
            _ => rng.pick(LANGS_SERVICE),
        };
        let mut tags = vec![language];
        for _ in 0..rng.range(1, 4) {
            let (tag, _) = *rng.pick(TECH);
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let own_systems: Vec<usize> = (0..system_count)
            .filter(|&s| systems[s].owner == teams[team].name)
            .collect();
        let system = if !own_systems.is_empty() && rng.percent(50) {
            *rng.pick(&own_systems)
        } else {
            rng.below(system_count)
        };
        let lifecycle = match rng.below(10) {
            0..=6 => "production",
            7 | 8 => "experimental",
            _ => "deprecated",
        };
        let title = humanise(&name);
        let description = format!(
            "{title} {} each {} for the {} system.",
            rng.pick(VERBS),
            rng.pick(NOUNS),
            humanise(&systems[system].name)
        );
        repos_out.push(Repo {
            name,
            title,
            team,
            system,
            kind,
            lifecycle,
            language,
            tags,
            description,
            tier: rng.range(1, 3),
            apis: Vec::new(),
            resources: Vec::new(),
            subs: Vec::new(),
            consumes: Vec::new(),
            depends: Vec::new(),
            documented: false,
        });
    }

    let mut catalog = Catalog {
        root,
        departments,
        teams,
        users,
        domains,
        systems,
        repos: repos_out,
    };

    // Extra entities up to the requested total: APIs, Resources, sub-components.
    let target = entities.unwrap_or(2 * repos);
    let extras = target.saturating_sub(catalog.entity_count());
    let mut api_names = BTreeSet::new();
    let mut res_names = BTreeSet::new();
    for _ in 0..extras {
        let r = rng.below(repo_count);
        let repo = &mut catalog.repos[r];
        let roll = rng.below(100);
        if roll < 45 {
            let kind = if repo.kind == "website" {
                *rng.pick(&["graphql", "openapi"])
            } else {
                match rng.below(100) {
                    0..=39 => "openapi",
                    40..=64 => "asyncapi",
                    65..=84 => "grpc",
                    _ => "graphql",
                }
            };
            let suffix = match kind {
                "openapi" if repo.name.ends_with("-api") => "rest",
                "openapi" => "api",
                "asyncapi" => "events",
                other => other,
            };
            let name = unique(&mut api_names, &format!("{}-{suffix}", repo.name));
            let file = rng.percent(40).then(|| {
                let ext = match kind {
                    "graphql" => "graphql",
                    "grpc" => "proto",
                    _ => "yaml",
                };
                format!("api/{name}.{ext}")
            });
            repo.apis.push(Api { name, kind, file });
        } else if roll < 80 {
            let (kind, suffix, tag) = *rng.pick(&[
                ("database", "db", "postgresql"),
                ("database", "mysql", "mysql"),
                ("cache", "cache", "redis"),
                ("s3-bucket", "bucket", "aws"),
                ("kafka-topic", "topic", "kafka"),
                ("queue", "queue", "rabbitmq"),
                ("search-index", "index", "elasticsearch"),
            ]);
            let name = unique(&mut res_names, &format!("{}-{suffix}", repo.name));
            repo.resources.push(Resource { name, kind, tag });
        } else {
            let (suffix, kind) = *rng.pick(&[
                ("worker", "service"),
                ("migrator", "service"),
                ("cron", "service"),
                ("consumer", "service"),
                ("admin-ui", "website"),
                ("cli", "library"),
            ]);
            let name = unique(&mut comp_names, &format!("{}-{suffix}", repo.name));
            repo.subs.push(SubComponent {
                name,
                kind,
                consumes: Vec::new(),
                depends: Vec::new(),
            });
        }
    }

    link(rng, &mut catalog);
    catalog
}

/// Chooses `consumesApis` and `dependsOn` among entities of *other* repositories.
fn link(rng: &mut Rng, catalog: &mut Catalog) {
    let mut apis: Vec<(usize, String)> = Vec::new();
    let mut targets: Vec<(usize, String)> = Vec::new();
    for (i, repo) in catalog.repos.iter().enumerate() {
        apis.extend(repo.apis.iter().map(|a| (i, a.name.clone())));
        targets.push((i, format!("component:{}", repo.name)));
        targets.extend(
            repo.subs
                .iter()
                .map(|s| (i, format!("component:{}", s.name))),
        );
        targets.extend(
            repo.resources
                .iter()
                .map(|r| (i, format!("resource:{}", r.name))),
        );
    }
    let pick_from = |rng: &mut Rng, pool: &[(usize, String)], own: usize, k: usize| {
        let mut out: Vec<String> = Vec::new();
        for _ in 0..k * 4 {
            if out.len() == k || pool.is_empty() {
                break;
            }
            let (repo, name) = &pool[rng.below(pool.len())];
            if *repo != own && !out.contains(name) {
                out.push(name.clone());
            }
        }
        out.sort();
        out
    };
    let how_many = |rng: &mut Rng| match rng.below(20) {
        0..=5 => 0,
        6..=12 => 1,
        13..=17 => 2,
        _ => 3,
    };
    for i in 0..catalog.repos.len() {
        let k = how_many(rng);
        let consumes = pick_from(rng, &apis, i, k);
        let k = how_many(rng);
        let mut depends = pick_from(rng, &targets, i, k);
        let repo = &mut catalog.repos[i];
        depends.extend(
            repo.resources
                .iter()
                .map(|r| format!("resource:{}", r.name)),
        );
        repo.consumes = consumes;
        repo.depends = depends;
        let main = format!("component:{}", repo.name);
        let own_res: Vec<String> = repo
            .resources
            .iter()
            .map(|r| format!("resource:{}", r.name))
            .collect();
        for s in 0..catalog.repos[i].subs.len() {
            let k = how_many(rng).min(1);
            let consumes = pick_from(rng, &apis, i, k);
            let mut depends = vec![main.clone()];
            if !own_res.is_empty() && rng.percent(50) {
                depends.push(rng.pick(&own_res).clone());
            }
            let sub = &mut catalog.repos[i].subs[s];
            sub.consumes = consumes;
            sub.depends = depends;
        }
    }
}

/// Checks every name and tag against Backstage's rules before anything is written.
pub fn validate(catalog: &Catalog) -> Result<()> {
    let mut names: Vec<&str> = vec![&catalog.root.name];
    names.extend(catalog.departments.iter().map(|g| g.name.as_str()));
    names.extend(catalog.teams.iter().map(|g| g.name.as_str()));
    names.extend(catalog.users.iter().map(|u| u.name.as_str()));
    names.extend(catalog.domains.iter().map(|d| d.name.as_str()));
    names.extend(catalog.systems.iter().map(|s| s.name.as_str()));
    for r in &catalog.repos {
        names.push(&r.name);
        names.extend(r.apis.iter().map(|a| a.name.as_str()));
        names.extend(r.resources.iter().map(|x| x.name.as_str()));
        names.extend(r.subs.iter().map(|x| x.name.as_str()));
        if let Some(t) = r.tags.iter().find(|t| !is_valid_tag(t)) {
            bail!("internal error: invalid tag {t:?}");
        }
    }
    if let Some(n) = names.iter().find(|n| !is_valid_name(n)) {
        bail!("internal error: invalid entity name {n:?}");
    }
    Ok(())
}

/// A YAML double-quoted scalar (our strings are ASCII without control characters).
pub fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Plain when unambiguous in both YAML 1.1 and 1.2, quoted otherwise.
pub fn scalar(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.bytes().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b' ' | b'-' | b'_' | b'.' | b'/' | b':')
        })
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
        );
    if plain { s.to_string() } else { q(s) }
}

fn list(out: &mut String, indent: &str, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!("{indent}{key}:\n"));
    for i in items {
        out.push_str(&format!("{indent}  - {}\n", scalar(i)));
    }
}

fn header(out: &mut String, kind: &str, name: &str) {
    if out.contains("apiVersion: ") {
        out.push_str("---\n");
    }
    out.push_str(&format!(
        "apiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\n"
    ));
}

/// `repos/org/catalog-info.yaml`: the Location for groups and users, then domains and
/// systems.
pub fn org_catalog(c: &Catalog) -> String {
    let mut out =
        String::from("# Organisation data, synced from the HR system. Generated corpus.\n");
    header(&mut out, "Location", "org-chart");
    out.push_str(
        "  description: Groups and users of the organisation, one file per group and per team.\n",
    );
    out.push_str(&format!(
        "  annotations:\n    github.com/project-slug: {}\nspec:\n  targets:\n    - ./groups/*.yaml\n    - ./users/*.yaml\n",
        q(&format!("{ORG}/{ORG_REPO}"))
    ));
    for d in &c.domains {
        header(&mut out, "Domain", &d.name);
        out.push_str(&format!(
            "  title: {}\n  description: {}\nspec:\n  owner: {}\n  type: product-area\n",
            scalar(&humanise(&d.name)),
            q(&d.description),
            d.owner
        ));
    }
    for s in &c.systems {
        header(&mut out, "System", &s.name);
        out.push_str(&format!(
            "  title: {}\n  description: {}\n  tags:\n    - {}\nspec:\n  owner: {}\n  domain: {}\n  type: product\n",
            scalar(&humanise(&s.name)),
            q(&s.description),
            s.name.split('-').next().unwrap_or("system"),
            s.owner,
            s.domain
        ));
    }
    out
}

/// `repos/org/groups/<name>.yaml`.
pub fn group_file(g: &Group) -> String {
    let mut out = String::new();
    header(&mut out, "Group", &g.name);
    out.push_str(&format!("  description: {}\n", q(&g.description)));
    if g.kind == "team" {
        out.push_str(&format!(
            "  annotations:\n    github.com/team-slug: {}\n",
            q(&format!("{ORG}/{}", g.name))
        ));
    }
    out.push_str(&format!(
        "spec:\n  type: {}\n  profile:\n    displayName: {}\n    email: {}\n",
        g.kind,
        scalar(&g.display),
        q(&format!("{}@{ORG}.example", g.name))
    ));
    if let Some(p) = &g.parent {
        out.push_str(&format!("  parent: {p}\n"));
    }
    if g.children.is_empty() {
        out.push_str("  children: []\n");
    } else {
        list(&mut out, "  ", "children", &g.children);
    }
    list(&mut out, "  ", "members", &g.members);
    out
}

/// `repos/org/users/<team>.yaml`: one document per member of the team.
pub fn users_file(c: &Catalog, team: usize) -> String {
    let mut out = String::new();
    for u in c.users.iter().filter(|u| u.team == team) {
        header(&mut out, "User", &u.name);
        out.push_str(&format!(
            "  annotations:\n    github.com/user-login: {}\nspec:\n  profile:\n    displayName: {}\n    email: {}\n  memberOf:\n    - {}\n",
            q(&u.name.replace('.', "-")),
            scalar(&u.display),
            q(&format!("{}@{ORG}.example", u.name)),
            c.teams[team].name
        ));
    }
    out
}

/// The placeholder values for API definitions and code samples of one repository.
pub fn code_vars(repo: &str, team: &str, rng: &mut Rng) -> impl FnMut(&str) -> Option<String> {
    let words: Vec<&str> = repo.split('-').collect();
    let pascal: String = words.iter().map(|w| capitalise(w)).collect();
    let camel = {
        let mut c = pascal.chars();
        c.next()
            .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
            .unwrap_or_default()
    };
    let snake = words.join("_");
    let (repo, team) = (repo.to_string(), team.to_string());
    let (k, ms, ms2) = (
        rng.range(2, 6),
        50 * rng.range(1, 8),
        100 * rng.range(3, 12),
    );
    let (sec, num, port) = (rng.range(1, 5), rng.range(100, 9999), 8000 + rng.below(100));
    move |key: &str| {
        Some(match key {
            "repo" => repo.clone(),
            "team" => team.clone(),
            "Title" => humanise(&repo),
            "Pascal" => pascal.clone(),
            "camel" => camel.clone(),
            "snake" => snake.clone(),
            "SHOUT" => snake.to_ascii_uppercase(),
            "flat" => snake.replace('_', ""),
            "k" => k.to_string(),
            "ms" => ms.to_string(),
            "ms2" => ms2.to_string(),
            "sec" => sec.to_string(),
            "num" => num.to_string(),
            "port" => port.to_string(),
            _ => return None,
        })
    }
}

fn api_display(kind: &str) -> &str {
    match kind {
        "openapi" => "OpenAPI",
        "asyncapi" => "AsyncAPI",
        "graphql" => "GraphQL",
        "grpc" => "gRPC",
        other => other,
    }
}

fn api_definition(c: &Catalog, repo: &Repo, api: &Api, rng: &mut Rng) -> String {
    let template = match api.kind {
        "openapi" => snippets::OPENAPI,
        "asyncapi" => snippets::ASYNCAPI,
        "graphql" => snippets::GRAPHQL,
        _ => snippets::GRPC,
    };
    let vars = code_vars(&api.name, c.team_name(repo), rng);
    snippets::fill(template, vars)
}

/// `repos/<repo>/catalog-info.yaml` plus the API definition files it references.
pub fn repo_catalog(c: &Catalog, repo: &Repo, rng: &mut Rng) -> (String, Vec<(String, String)>) {
    let team = c.team_name(repo);
    let system = &c.systems[repo.system].name;
    let mut files = Vec::new();
    let mut out = String::new();
    header(&mut out, "Component", &repo.name);
    out.push_str(&format!(
        "  title: {}\n  description: {}\n  labels:\n    {ORG}.example/tier: {}\n  annotations:\n    github.com/project-slug: {}\n",
        scalar(&repo.title),
        q(&repo.description),
        q(&repo.tier.to_string()),
        q(&format!("{ORG}/{}", repo.name))
    ));
    if repo.documented {
        out.push_str("    backstage.io/techdocs-ref: \"dir:.\"\n");
    }
    if repo.kind == "service" {
        out.push_str(&format!(
            "    pagerduty.com/service-id: {}\n",
            q(&format!("P{:06X}", rng.below(0xFF_FFFF)))
        ));
    }
    if rng.percent(50) {
        out.push_str(&format!(
            "    sonarqube.org/project-key: {}\n",
            q(&format!("{ORG}_{}", repo.name))
        ));
    }
    let tags: Vec<String> = repo.tags.iter().map(|t| t.to_string()).collect();
    list(&mut out, "  ", "tags", &tags);
    out.push_str(&format!(
        "  links:\n    - url: https://grafana.{ORG}.example/d/{0}/overview\n      title: Grafana dashboard\n      icon: dashboard\n      type: dashboard\n    - url: https://github.com/{ORG}/{0}\n      title: Source code\n      icon: github\n      type: source\n",
        repo.name
    ));
    out.push_str(&format!(
        "spec:\n  type: {}\n  lifecycle: {}\n  owner: {team}\n  system: {system}\n",
        repo.kind, repo.lifecycle
    ));
    let provides: Vec<String> = repo.apis.iter().map(|a| a.name.clone()).collect();
    list(&mut out, "  ", "providesApis", &provides);
    list(&mut out, "  ", "consumesApis", &repo.consumes);
    list(&mut out, "  ", "dependsOn", &repo.depends);

    for sub in &repo.subs {
        header(&mut out, "Component", &sub.name);
        out.push_str(&format!(
            "  description: {}\n  annotations:\n    github.com/project-slug: {}\n  tags:\n    - {}\nspec:\n  type: {}\n  lifecycle: {}\n  owner: {team}\n  system: {system}\n  subcomponentOf: {}\n",
            q(&format!("{} of {}: {} each {}.", capitalise(sub.kind), repo.title, rng.pick(VERBS), rng.pick(NOUNS))),
            q(&format!("{ORG}/{}", repo.name)),
            repo.language,
            sub.kind,
            repo.lifecycle,
            repo.name
        ));
        list(&mut out, "  ", "consumesApis", &sub.consumes);
        list(&mut out, "  ", "dependsOn", &sub.depends);
    }
    for api in &repo.apis {
        header(&mut out, "API", &api.name);
        out.push_str(&format!(
            "  title: {}\n  description: {}\n  tags:\n    - {}\nspec:\n  type: {}\n  lifecycle: {}\n  owner: {team}\n  system: {system}\n  definition:",
            scalar(&humanise(&api.name)),
            q(&format!("{} API of {}.", api_display(api.kind), repo.title)),
            match api.kind {
                "openapi" => "rest",
                "asyncapi" => "kafka",
                other => other,
            },
            api.kind,
            repo.lifecycle
        ));
        let definition = api_definition(c, repo, api, rng);
        match &api.file {
            Some(path) => {
                out.push_str(&format!("\n    $text: ./{path}\n"));
                files.push((path.clone(), definition));
            }
            None => {
                out.push_str(" |\n");
                for line in definition.lines() {
                    if line.is_empty() {
                        out.push('\n');
                    } else {
                        out.push_str("    ");
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
        }
    }
    for res in &repo.resources {
        header(&mut out, "Resource", &res.name);
        out.push_str(&format!(
            "  title: {}\n  description: {}\n  tags:\n    - {}\nspec:\n  type: {}\n  owner: {team}\n  system: {system}\n",
            scalar(&humanise(&res.name)),
            q(&format!("{} used by {}.", capitalise(&res.kind.replace('-', " ")), repo.title)),
            res.tag,
            res.kind
        ));
    }
    (out, files)
}
