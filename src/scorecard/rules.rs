//! Scorecard rules: the built-in set (`defaults.yaml`) and `scorecards:` in stagedoor.yaml,
//! merged into ordered levels and checks. A bad rule is a diagnostic at its line and is
//! skipped; the other rules still apply.

use std::path::Path;

use super::checks::{self, Globs, Test};
use crate::diagnostics::{Code, Diagnostic};
use crate::yaml::{self, Node, Schema};

const DEFAULTS: &str = include_str!("defaults.yaml");

/// Kinds a check applies to when its rule does not say.
pub const DEFAULT_KINDS: &[&str] = &["component", "api", "system", "resource"];

const TOP_KEYS: &[&str] = &["levels", "checks", "replace_defaults"];
const RULE_KEYS: &[&str] = &["id", "title", "level", "hint", "kinds", "check"];

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Level {
    pub id: String,
    pub title: String,
}

#[derive(Clone, Debug)]
pub struct Check {
    pub id: String,
    pub title: String,
    /// Index into `Rules::levels`.
    pub level: usize,
    pub hint: String,
    /// Lower-case kinds the check applies to.
    pub kinds: Vec<String>,
    pub test: Test,
}

/// The levels in order (lowest first) and the checks, each on one level.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    pub levels: Vec<Level>,
    pub checks: Vec<Check>,
    pub globs: Globs,
}

/// A rule as written, before its level is known to exist.
struct Written<'a> {
    id: String,
    node: &'a Node,
}

/// The rules a site scores with: the defaults, extended or replaced by `config` (the
/// `scorecards:` node of `file`).
pub fn load_rules(config: Option<&Node>, file: &Path) -> (Rules, Vec<Diagnostic>) {
    let defaults = yaml::parse_single(DEFAULTS, Schema::Core12).ok().flatten();
    let mut reader = Reader {
        file,
        diags: Vec::new(),
    };
    let site = config.filter(|n| !n.is_null());
    if let Some(node) = site {
        reader.check_keys(node, TOP_KEYS, "scorecards");
    }
    let replace = match site.and_then(|n| n.get("replace_defaults")) {
        None => false,
        Some(Node {
            value: yaml::Value::Bool(b),
            ..
        }) => *b,
        Some(n) => {
            let found = n.type_name();
            reader.report(
                n,
                format!("replace_defaults must be true or false, found {found}"),
            );
            false
        }
    };
    let base = defaults.as_ref().filter(|_| !replace);
    // The default levels stay unless the site lists its own, also when its checks replace
    // the default checks.
    let levels = match site.and_then(|n| n.get("levels")) {
        Some(node) => reader.levels(node),
        None => (defaults.as_ref().and_then(|d| d.get("levels")))
            .map_or_else(Vec::new, Reader::default_levels),
    };
    let mut written: Vec<Written> = Vec::new();
    if let Some(d) = base.and_then(|d| d.get("checks")).and_then(Node::as_seq) {
        written.extend(d.iter().filter_map(|n| {
            let id = n.get("id")?.as_str()?.to_string();
            // Defaults on a level the site's own list dropped are left out, not reported.
            let level = n.get("level")?.as_str()?;
            levels
                .iter()
                .any(|l| l.id == level)
                .then_some(Written { id, node: n })
        }));
    }
    let defaults_end = written.len();
    if let Some(items) = site.and_then(|n| n.get("checks")) {
        reader.site_checks(items, &mut written, defaults_end);
    }
    let mut rules = Rules {
        levels,
        ..Rules::default()
    };
    for w in written {
        if let Some(check) = reader.check(&w, &rules.levels, &mut rules.globs) {
            rules.checks.push(check);
        }
    }
    (rules, reader.diags)
}

struct Reader<'a> {
    file: &'a Path,
    diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn report(&mut self, node: &Node, message: String) {
        self.diags.push(
            Diagnostic::new(Code::ScorecardRuleInvalid, message).at(self.file, node.line, node.col),
        );
    }

    fn check_keys(&mut self, node: &Node, allowed: &[&str], section: &str) {
        let Some(map) = node.as_map() else {
            self.report(node, format!("{section} must be a mapping"));
            return;
        };
        for (key, _) in map {
            let k = key.scalar_text().unwrap_or_default();
            if !allowed.contains(&k.as_str()) {
                let known = allowed.join(", ");
                self.report(
                    key,
                    format!("unknown key \"{k}\" in {section} (one of {known})"),
                );
            }
        }
    }

    fn default_levels(node: &Node) -> Vec<Level> {
        let mut sink = Reader {
            file: Path::new(""),
            diags: Vec::new(),
        };
        sink.levels(node)
    }

    /// `[bronze, silver]` or `[{id: bronze, title: Bronze}, …]`, lowest first.
    fn levels(&mut self, node: &Node) -> Vec<Level> {
        let Some(items) = node.as_seq() else {
            self.report(node, "scorecards.levels must be a list".into());
            return Vec::new();
        };
        let mut out: Vec<Level> = Vec::new();
        for item in items {
            let (id, title) = match item.as_str() {
                Some(s) => (Some(s), None),
                None => (
                    item.get("id").and_then(Node::as_str),
                    item.get("title").and_then(Node::as_str),
                ),
            };
            let Some(id) = id.map(str::trim).filter(|s| !s.is_empty()) else {
                self.report(item, "a level needs an id (a name, or {id, title})".into());
                continue;
            };
            if out.iter().any(|l| l.id == id) {
                self.report(item, format!("level \"{id}\" is listed twice"));
                continue;
            }
            out.push(Level {
                id: id.to_string(),
                title: title.map_or_else(|| title_case(id), str::to_string),
            });
        }
        out
    }

    /// The site's checks: a default's id replaces it in place; a new id is added after them;
    /// an id repeated within the site's own list is reported and the repeat skipped.
    fn site_checks<'n>(&mut self, items: &'n Node, written: &mut Vec<Written<'n>>, from: usize) {
        let Some(items) = items.as_seq() else {
            self.report(items, "scorecards.checks must be a list".into());
            return;
        };
        for node in items {
            let Some(id) = node
                .get("id")
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty())
            else {
                self.report(node, "a check needs an `id`".into());
                continue;
            };
            let id = id.to_string();
            if written[from..].iter().any(|w| w.id == id) {
                self.report(node, format!("check id \"{id}\" is used twice"));
                continue;
            }
            match written[..from].iter().position(|w| w.id == id) {
                Some(i) => written[i] = Written { id, node },
                None => written.push(Written { id, node }),
            }
        }
    }

    fn check(&mut self, w: &Written, levels: &[Level], globs: &mut Globs) -> Option<Check> {
        let node = w.node;
        let kind_name = node.get("check").and_then(Node::as_str);
        let Some(kind) = kind_name.and_then(checks::kind_named) else {
            let message = match kind_name {
                Some(k) => checks::unknown_kind(k),
                None => format!("check \"{}\" needs `check:` (its kind)", w.id),
            };
            self.report(node.get("check").unwrap_or(node), message);
            return None;
        };
        let allowed: Vec<&str> = RULE_KEYS.iter().chain(kind.args).copied().collect();
        self.check_keys(node, &allowed, &format!("check \"{}\"", w.id));
        let level_name = node.get("level").and_then(Node::as_str).unwrap_or_default();
        let Some(level) = levels.iter().position(|l| l.id == level_name) else {
            let known: Vec<&str> = levels.iter().map(|l| l.id.as_str()).collect();
            let message = format!(
                "check \"{}\": unknown level \"{level_name}\" (one of {})",
                w.id,
                known.join(", ")
            );
            self.report(node.get("level").unwrap_or(node), message);
            return None;
        };
        let test = match checks::make_test(kind, node, globs) {
            Ok(t) => t,
            Err(e) => {
                self.report(node, format!("check \"{}\": {e}", w.id));
                return None;
            }
        };
        let text = |key: &str| node.get(key).and_then(Node::as_str).map(str::to_string);
        let kinds = match node.get("kinds").filter(|n| !n.is_null()) {
            None => DEFAULT_KINDS.iter().map(|k| k.to_string()).collect(),
            Some(n) => (n.as_seq().unwrap_or_default().iter())
                .filter_map(Node::as_str)
                .chain(n.as_str())
                .map(str::to_ascii_lowercase)
                .collect(),
        };
        Some(Check {
            id: w.id.clone(),
            title: text("title").unwrap_or_else(|| w.id.clone()),
            level,
            hint: text("hint").unwrap_or_default(),
            kinds,
            test,
        })
    }
}

fn title_case(id: &str) -> String {
    let mut chars = id.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
