//! Radar loading: one configured radar file → a `Radar` and its diagnostics. The format is
//! chosen by extension (`.csv`: `byor`) and shape (a list: `byor` JSON; `entries` with numeric
//! quadrants or `label`s: `zalando`; else `backstage`), one reader per format; this file holds
//! what they share. JSON is read as YAML, so every problem points at its line. A bad entry is
//! reported and skipped; the rest still draws.

use std::collections::HashMap;
use std::path::Path;

use super::model::{
    DEFAULT_QUADRANTS, DEFAULT_RINGS, Entry, FALLBACK_COLOR, Format, NamedEntity, Quadrant, Radar,
    Ring, slug,
};
use super::{backstage, byor, zalando};
use crate::catalog::EntityRef;
use crate::config::RadarConfig;
use crate::diagnostics::{Code, Diagnostic};
use crate::fsutil;
use crate::yaml::{self, Node, Schema, Value};

/// Radar files larger than this are not read.
const SIZE_LIMIT: u64 = 8 * 1024 * 1024;
/// More quadrants or rings than this cannot be drawn legibly.
pub const MAX_QUADRANTS: usize = 8;
pub const MAX_RINGS: usize = 8;

/// What a format reader hands back.
pub(super) struct Parts {
    pub quadrants: Vec<Quadrant>,
    pub rings: Vec<Ring>,
    pub entries: Vec<Entry>,
    pub date: Option<String>,
}

/// Diagnostics of one file, and the ids seen so far (for duplicates).
pub(super) struct Cx<'a> {
    pub file: &'a Path,
    pub diags: Vec<Diagnostic>,
    seen: HashMap<String, usize>,
}

impl<'a> Cx<'a> {
    pub fn new(file: &'a Path) -> Self {
        Cx {
            file,
            diags: Vec::new(),
            seen: HashMap::new(),
        }
    }

    pub fn report(&mut self, code: Code, line: usize, col: usize, message: String) {
        self.diags
            .push(Diagnostic::new(code, message).at(self.file, line, col));
    }

    pub fn report_hint(&mut self, code: Code, at: (usize, usize), message: String, hint: String) {
        self.diags.push(
            Diagnostic::new(code, message)
                .at(self.file, at.0, at.1)
                .hint(hint),
        );
    }

    /// Adds an entry unless its id is taken; `at` is where its id was written.
    pub fn admit(&mut self, entry: Entry, at: (usize, usize), entries: &mut Vec<Entry>) {
        if let Some(first) = self.seen.get(&entry.id) {
            let message = format!(
                "duplicate radar entry id \"{}\" (first at line {first}); this entry is skipped",
                entry.id
            );
            self.report(Code::RadarDuplicateEntry, at.0, at.1, message);
            return;
        }
        self.seen.insert(entry.id.clone(), at.0);
        entries.push(entry);
    }
}

/// Loads one radar. Never fails: an unreadable file gives an empty radar and an error.
pub fn load_radar(cfg: &RadarConfig) -> (Radar, Vec<Diagnostic>) {
    let mut cx = Cx::new(&cfg.file);
    let (format, parts, problem) = match read_parts(cfg, &mut cx) {
        Ok((format, parts)) => (format, parts, None),
        Err(problem) => {
            let parts = Parts {
                quadrants: configured_quadrants(cfg),
                rings: configured_rings(cfg),
                entries: Vec::new(),
                date: None,
            };
            (Format::Unknown, parts, Some(problem))
        }
    };
    let radar = Radar {
        id: cfg.id.clone(),
        title: cfg.title.clone(),
        file: cfg.file.clone(),
        format,
        date: parts.date,
        quadrants: parts.quadrants,
        rings: parts.rings,
        entries: parts.entries,
        problem,
    };
    (radar, cx.diags)
}

fn read_parts(cfg: &RadarConfig, cx: &mut Cx) -> Result<(Format, Parts), String> {
    let text = fsutil::read_text_limited(&cfg.file, SIZE_LIMIT).map_err(|e| {
        let message = format!("cannot read radar file: {e}");
        cx.diags
            .push(Diagnostic::new(Code::RadarUnreadable, message.clone()).in_file(&cfg.file));
        message
    })?;
    let ext = cfg
        .file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext == "csv" {
        return byor::load_csv(&text, cfg, cx).map(|p| (Format::ByorCsv, p));
    }
    let root = match yaml::parse_single(&text, Schema::Core12) {
        Ok(Some(root)) => root,
        Ok(None) => return Err(unrecognised(cx, 1, 1, "the file is empty")),
        Err(e) => {
            let kind = if ext == "json" { "JSON" } else { "YAML" };
            let message = format!("radar file is not valid {kind}: {}", e.message);
            cx.report(Code::RadarUnreadable, e.line, e.col, message.clone());
            return Err(message);
        }
    };
    if let Some(items) = root.as_seq() {
        return Ok((Format::ByorJson, byor::load_json(items, cfg, cx)));
    }
    let Some(entries) = root.get("entries").and_then(Node::as_seq) else {
        return Err(unrecognised(
            cx,
            root.line,
            root.col,
            "expected a mapping with an \"entries\" list (Backstage or Zalando) or a list of \
             Thoughtworks rows",
        ));
    };
    if is_zalando(entries) {
        return Ok((
            Format::Zalando,
            zalando::load_zalando(&root, entries, cfg, cx),
        ));
    }
    let format = if ext == "json" {
        Format::Backstage
    } else {
        Format::BackstageYaml
    };
    Ok((format, backstage::load_backstage(&root, entries, cfg, cx)))
}

fn unrecognised(cx: &mut Cx, line: usize, col: usize, why: &str) -> String {
    let message = format!("not a tech radar file: {why}");
    cx.report(Code::RadarUnknownFormat, line, col, message.clone());
    message
}

/// Zalando entries have a `label` or a numeric quadrant (Backstage ones a quadrant id).
fn is_zalando(entries: &[Node]) -> bool {
    entries.iter().any(|e| {
        e.get("label").is_some()
            || matches!(e.get("quadrant").map(|q| &q.value), Some(Value::Int(_)))
    })
}

/// The quadrants `stagedoor.yaml` names for this radar, else the defaults.
pub(super) fn configured_quadrants(cfg: &RadarConfig) -> Vec<Quadrant> {
    let names: Vec<String> = if cfg.quadrants.is_empty() {
        DEFAULT_QUADRANTS.iter().map(|s| s.to_string()).collect()
    } else {
        cfg.quadrants.iter().take(MAX_QUADRANTS).cloned().collect()
    };
    names
        .into_iter()
        .map(|name| Quadrant {
            id: slug(&name),
            name,
        })
        .collect()
}

/// The rings `stagedoor.yaml` names for this radar (coloured like the defaults), else the
/// defaults.
pub(super) fn configured_rings(cfg: &RadarConfig) -> Vec<Ring> {
    let names: Vec<String> = if cfg.rings.is_empty() {
        DEFAULT_RINGS.iter().map(|(n, _)| n.to_string()).collect()
    } else {
        cfg.rings.iter().take(MAX_RINGS).cloned().collect()
    };
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| Ring {
            id: slug(&name),
            color: default_color(i),
            name,
            description: None,
        })
        .collect()
}

pub(super) fn default_color(i: usize) -> String {
    DEFAULT_RINGS
        .get(i)
        .map_or(FALLBACK_COLOR, |(_, c)| c)
        .to_string()
}

/// A string field; a value of another type is reported and ignored.
pub(super) fn str_field<'n>(node: &'n Node, key: &str, cx: &mut Cx) -> Option<(&'n str, &'n Node)> {
    let v = node.get(key).filter(|v| !v.is_null())?;
    match &v.value {
        Value::String(s) => Some((s.as_str(), v)),
        _ => {
            let message = format!("\"{key}\" must be a string, found {}", v.type_name());
            cx.report(Code::RadarInvalidValue, v.line, v.col, message);
            None
        }
    }
}

/// A scalar field as text (numbers and booleans too), for lenient fields such as dates.
pub(super) fn text_field<'n>(node: &'n Node, key: &str) -> Option<(String, &'n Node)> {
    let v = node.get(key).filter(|v| !v.is_null())?;
    v.scalar_text().map(|t| (t, v))
}

/// A link URL when it is relative or http(s)/mailto; anything else is reported.
pub(super) fn checked_url(url: &str, node: &Node, cx: &mut Cx) -> Option<String> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https" | "mailto") => Some(url.to_string()),
        Err(url::ParseError::RelativeUrlWithoutBase) => Some(url.to_string()),
        _ => {
            let message =
                format!("link \"{url}\" is not a relative, http(s) or mailto URL; it is dropped");
            cx.report(Code::RadarInvalidValue, node.line, node.col, message);
            None
        }
    }
}

/// A list of strings (or one string), lower-cased: the optional `tags`.
pub(super) fn string_list(item: &Node, key: &str, cx: &mut Cx) -> Vec<String> {
    let Some(node) = item.get(key).filter(|n| !n.is_null()) else {
        return Vec::new();
    };
    if let Some(s) = node.as_str() {
        return vec![s.trim().to_lowercase()];
    }
    let Some(items) = node.as_seq() else {
        let message = format!(
            "\"{key}\" must be a list of strings, found {}",
            node.type_name()
        );
        cx.report(Code::RadarInvalidValue, node.line, node.col, message);
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| match i.as_str() {
            Some(s) => Some(s.trim().to_lowercase()),
            None => {
                let message = format!("\"{key}\" must hold strings, found {}", i.type_name());
                cx.report(Code::RadarInvalidValue, i.line, i.col, message);
                None
            }
        })
        .collect()
}

/// `entities: [ref, …]`: catalog entities that use the technology (kind defaults to
/// Component, namespace to default).
pub(super) fn named_entities(item: &Node, cx: &mut Cx) -> Vec<NamedEntity> {
    let Some(node) = item.get("entities").filter(|n| !n.is_null()) else {
        return Vec::new();
    };
    let items: Vec<&Node> = match node.as_seq() {
        Some(items) => items.iter().collect(),
        None => vec![node],
    };
    let mut out = Vec::new();
    for i in items {
        let Some(text) = i.as_str() else {
            let message = format!(
                "\"entities\" must hold entity references, found {}",
                i.type_name()
            );
            cx.report(Code::RadarEntityRef, i.line, i.col, message);
            continue;
        };
        match EntityRef::parse(text, Some("component"), "default") {
            Ok(entity_ref) => out.push(NamedEntity {
                entity_ref,
                line: i.line,
            }),
            Err(e) => cx.report(
                Code::RadarEntityRef,
                i.line,
                i.col,
                format!("\"{text}\": {e}"),
            ),
        }
    }
    out
}
