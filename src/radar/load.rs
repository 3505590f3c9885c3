//! Radar loading: one configured radar file → a `Radar` and its diagnostics. The format is
//! chosen by extension (`.csv`) and shape (a list: Thoughtworks JSON; `entries` with numeric
//! quadrants or `label`s: Zalando; else Backstage). JSON is read as YAML, so every problem
//! points at its line. A bad entry is reported and skipped; the rest still draws.

use std::collections::HashMap;
use std::path::Path;

use super::byor;
use super::model::{
    DEFAULT_QUADRANTS, DEFAULT_RINGS, DescriptionFormat, Entry, EntryLink, FALLBACK_COLOR, Format,
    Moved, NamedEntity, Quadrant, Radar, Ring, TimelineItem, safe_color, slug,
};
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
    if is_zalando(&root, entries) {
        return Ok((Format::Zalando, load_zalando(&root, entries, cfg, cx)));
    }
    let format = if ext == "json" {
        Format::Backstage
    } else {
        Format::BackstageYaml
    };
    Ok((format, load_backstage(&root, entries, cfg, cx)))
}

fn unrecognised(cx: &mut Cx, line: usize, col: usize, why: &str) -> String {
    let message = format!("not a tech radar file: {why}");
    cx.report(Code::RadarUnknownFormat, line, col, message.clone());
    message
}

/// Zalando files name no quadrants and give entries a numeric quadrant or a `label`.
fn is_zalando(root: &Node, entries: &[Node]) -> bool {
    root.get("quadrants").is_none()
        && entries.iter().any(|e| {
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

fn default_color(i: usize) -> String {
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
fn text_field<'n>(node: &'n Node, key: &str) -> Option<(String, &'n Node)> {
    let v = node.get(key).filter(|v| !v.is_null())?;
    v.scalar_text().map(|t| (t, v))
}

fn load_backstage(root: &Node, entries: &[Node], cfg: &RadarConfig, cx: &mut Cx) -> Parts {
    let quadrants = declared_quadrants(root, cfg, cx);
    let rings = declared_rings(root, cfg, cx);
    let mut out = Vec::new();
    for item in entries {
        if item.as_map().is_none() {
            let message = format!(
                "a radar entry must be a mapping, found {}",
                item.type_name()
            );
            cx.report(Code::RadarMissingField, item.line, item.col, message);
            continue;
        }
        if let Some((entry, at)) = backstage_entry(item, &quadrants, &rings, cx) {
            cx.admit(entry, at, &mut out);
        }
    }
    Parts {
        quadrants,
        rings,
        entries: out,
        date: None,
    }
}

fn declared_quadrants(root: &Node, cfg: &RadarConfig, cx: &mut Cx) -> Vec<Quadrant> {
    let declared = declared_list(root, "quadrants", MAX_QUADRANTS, cx);
    let Some(items) = declared else {
        return configured_quadrants(cfg);
    };
    items
        .into_iter()
        .map(|(id, item)| Quadrant {
            name: named(item, &id, cx),
            id,
        })
        .collect()
}

fn declared_rings(root: &Node, cfg: &RadarConfig, cx: &mut Cx) -> Vec<Ring> {
    let declared = declared_list(root, "rings", MAX_RINGS, cx);
    let Some(items) = declared else {
        return configured_rings(cfg);
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, (id, item))| {
            let color = match str_field(item, "color", cx) {
                Some((c, node)) => safe_color(c).unwrap_or_else(|| {
                    let message = format!(
                        "ring colour \"{c}\" is not a plain CSS colour; the default is used"
                    );
                    cx.report(Code::RadarInvalidValue, node.line, node.col, message);
                    default_color(i)
                }),
                None => default_color(i),
            };
            Ring {
                name: named(item, &id, cx),
                description: str_field(item, "description", cx).map(|(d, _)| d.to_string()),
                color,
                id,
            }
        })
        .collect()
}

fn named(item: &Node, id: &str, cx: &mut Cx) -> String {
    str_field(item, "name", cx).map_or_else(|| id.to_string(), |(n, _)| n.to_string())
}

/// The `{id, name}` items of a declared `quadrants` or `rings` list, or None (reported) when
/// the list is missing or holds nothing usable, so that the configured names stand in.
fn declared_list<'n>(
    root: &'n Node,
    key: &str,
    max: usize,
    cx: &mut Cx,
) -> Option<Vec<(String, &'n Node)>> {
    let Some(list) = root.get(key).and_then(Node::as_seq) else {
        let message = format!(
            "the radar declares no \"{key}\" list; stagedoor.yaml's or the default {key} are used"
        );
        cx.report(Code::RadarStructure, root.line, root.col, message);
        return None;
    };
    let mut out: Vec<(String, &Node)> = Vec::new();
    for item in list {
        let Some((id, _)) = str_field(item, "id", cx) else {
            let message = format!("an item of \"{key}\" has no \"id\"; it is ignored");
            cx.report(Code::RadarStructure, item.line, item.col, message);
            continue;
        };
        if out.iter().any(|(seen, _)| seen == id) {
            let message = format!("\"{key}\" lists the id \"{id}\" twice; the second is ignored");
            cx.report(Code::RadarStructure, item.line, item.col, message);
            continue;
        }
        out.push((id.to_string(), item));
    }
    if out.len() > max {
        let extra = out[max].1;
        let message = format!(
            "the radar declares {} {key}; only the first {max} are drawn",
            out.len()
        );
        cx.report(Code::RadarStructure, extra.line, extra.col, message);
        out.truncate(max);
    }
    if out.is_empty() {
        let message = format!(
            "\"{key}\" lists nothing usable; stagedoor.yaml's or the default {key} are used"
        );
        cx.report(Code::RadarStructure, root.line, root.col, message);
        return None;
    }
    Some(out)
}

fn ids_hint<T>(items: &[T], id: impl Fn(&T) -> &str) -> String {
    let ids: Vec<&str> = items.iter().map(id).collect();
    format!("known ids: {}", ids.join(", "))
}

/// One Backstage entry, or None (reported) when a required part is missing or unknown.
fn backstage_entry(
    item: &Node,
    quadrants: &[Quadrant],
    rings: &[Ring],
    cx: &mut Cx,
) -> Option<(Entry, (usize, usize))> {
    let id_field = str_field(item, "id", cx);
    let title_field = str_field(item, "title", cx);
    let shown = id_field.or(title_field).map_or_else(
        || format!("at line {}", item.line),
        |(s, _)| format!("\"{s}\""),
    );
    let missing = |cx: &mut Cx, field: &str, why: &str| {
        let message = format!("radar entry {shown} has no \"{field}\"{why}; the entry is skipped");
        cx.report(Code::RadarMissingField, item.line, item.col, message);
    };
    if str_field(item, "key", cx).is_none() {
        missing(
            cx,
            "key",
            " (Backstage requires one and silently shows its sample radar instead)",
        );
        return None;
    }
    let Some((raw_id, id_node)) = id_field else {
        missing(cx, "id", "");
        return None;
    };
    let id = slug(raw_id);
    if id.is_empty() {
        missing(cx, "id", " made of letters or digits");
        return None;
    }
    let Some((quadrant_id, q_node)) = str_field(item, "quadrant", cx) else {
        missing(cx, "quadrant", "");
        return None;
    };
    let Some(quadrant) = quadrants.iter().position(|q| q.id == quadrant_id) else {
        cx.report_hint(
            Code::RadarUnknownQuadrant,
            (q_node.line, q_node.col),
            format!(
                "unknown quadrant \"{quadrant_id}\" for entry \"{raw_id}\"; the entry is skipped"
            ),
            ids_hint(quadrants, |q| &q.id),
        );
        return None;
    };
    let timeline = backstage_timeline(item, raw_id, rings, cx)?;
    let Some(first) = timeline.first() else {
        missing(cx, "timeline", "");
        return None;
    };
    let title = match title_field {
        Some((t, _)) => t.to_string(),
        None => {
            let message =
                format!("radar entry \"{raw_id}\" has no \"title\"; its id is shown instead");
            cx.report(Code::RadarMissingField, item.line, item.col, message);
            raw_id.to_string()
        }
    };
    let explicit_moved = item
        .get("timeline")
        .and_then(Node::as_seq)
        .and_then(|t| t.first())
        .is_some_and(|t| t.get("moved").is_some());
    let moved = if explicit_moved || timeline.len() < 2 {
        first.moved
    } else {
        // No `moved` written: the history says which way it went.
        match first.ring.cmp(&timeline[1].ring) {
            std::cmp::Ordering::Less => Moved::In,
            std::cmp::Ordering::Greater => Moved::Out,
            std::cmp::Ordering::Equal => Moved::No,
        }
    };
    let (description, description_line) = match str_field(item, "description", cx) {
        Some((d, node)) => (d.to_string(), node.line),
        None => (first.description.clone().unwrap_or_default(), item.line),
    };
    let entry = Entry {
        id,
        title,
        quadrant,
        ring: first.ring,
        moved,
        is_new: matches!(item.get("isNew").map(|n| &n.value), Some(Value::Bool(true))),
        active: true,
        description,
        description_format: DescriptionFormat::Markdown,
        description_line,
        description_html: String::new(),
        links: entry_links(item, cx),
        tags: string_list(item, "tags", cx),
        entities: named_entities(item, cx),
        line: item.line,
        timeline,
    };
    Some((entry, (id_node.line, id_node.col)))
}

/// The timeline items whose ring is known, newest first as written; None (reported) when
/// the current one, `timeline[0]`, has no known ring. Older unusable items are reported and
/// left out.
fn backstage_timeline(
    item: &Node,
    raw_id: &str,
    rings: &[Ring],
    cx: &mut Cx,
) -> Option<Vec<TimelineItem>> {
    let Some(steps) = item.get("timeline").and_then(Node::as_seq) else {
        return Some(Vec::new());
    };
    let mut out = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let what = if i == 0 {
            "the entry is skipped"
        } else {
            "this timeline item is ignored"
        };
        let Some((ring_id, r_node)) = str_field(step, "ringId", cx) else {
            let message = format!("timeline item of \"{raw_id}\" has no \"ringId\"; {what}");
            cx.report(Code::RadarMissingField, step.line, step.col, message);
            if i == 0 {
                return None;
            }
            continue;
        };
        let Some(ring) = rings.iter().position(|r| r.id == ring_id) else {
            cx.report_hint(
                Code::RadarUnknownRing,
                (r_node.line, r_node.col),
                format!("unknown ring \"{ring_id}\" for entry \"{raw_id}\"; {what}"),
                ids_hint(rings, |r| &r.id),
            );
            if i == 0 {
                return None;
            }
            continue;
        };
        out.push(TimelineItem {
            ring,
            date: timeline_date(step, cx),
            moved: moved_field(step, cx),
            description: str_field(step, "description", cx).map(|(d, _)| d.to_string()),
        });
    }
    Some(out)
}

fn timeline_date(step: &Node, cx: &mut Cx) -> Option<String> {
    let (date, node) = text_field(step, "date")?;
    let b = date.as_bytes();
    let looks_like_date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    if !looks_like_date {
        let message =
            format!("date \"{date}\" is not of the form YYYY-MM-DD; it is shown as written");
        cx.report(Code::RadarInvalidValue, node.line, node.col, message);
    }
    Some(date)
}

fn moved_field(step: &Node, cx: &mut Cx) -> Moved {
    match step.get("moved").map(|n| (&n.value, n)) {
        None | Some((Value::Null, _)) => Moved::No,
        Some((Value::Int(n @ -1..=1), _)) => Moved::from_number(*n),
        Some((_, node)) => {
            let shown = node
                .scalar_text()
                .unwrap_or_else(|| node.type_name().into());
            let message = format!("\"moved\" must be -1, 0 or 1, found {shown}; treated as 0");
            cx.report(Code::RadarInvalidValue, node.line, node.col, message);
            Moved::No
        }
    }
}

/// `links: [{url, title}]`, else the deprecated `url` ("#" meaning none). Unsafe URLs are
/// reported and dropped.
fn entry_links(item: &Node, cx: &mut Cx) -> Vec<EntryLink> {
    let mut out = Vec::new();
    for link in item.get("links").and_then(Node::as_seq).unwrap_or_default() {
        let Some((url, node)) = str_field(link, "url", cx) else {
            let message = "a link has no \"url\"; it is ignored".to_string();
            cx.report(Code::RadarMissingField, link.line, link.col, message);
            continue;
        };
        let title = str_field(link, "title", cx).map_or(url, |(t, _)| t);
        if let Some(url) = checked_url(url, node, cx) {
            out.push(EntryLink {
                url,
                title: title.to_string(),
            });
        }
    }
    if out.is_empty()
        && let Some((url, node)) = str_field(item, "url", cx)
        && url != "#"
        && let Some(url) = checked_url(url, node, cx)
    {
        out.push(EntryLink {
            url,
            title: "More information".into(),
        });
    }
    out
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
fn string_list(item: &Node, key: &str, cx: &mut Cx) -> Vec<String> {
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

fn load_zalando(root: &Node, entries: &[Node], cfg: &RadarConfig, cx: &mut Cx) -> Parts {
    let quadrants = configured_quadrants(cfg);
    let rings = configured_rings(cfg);
    let date = text_field(root, "date").map(|(d, _)| d);
    let mut out = Vec::new();
    for item in entries {
        if let Some((entry, at)) = zalando_entry(item, &quadrants, &rings, date.as_deref(), cx) {
            cx.admit(entry, at, &mut out);
        }
    }
    Parts {
        quadrants,
        rings,
        entries: out,
        date,
    }
}

/// A Zalando index (`quadrant: 0..3`, `ring: 0..3`), reported when missing or out of range.
fn index_field(item: &Node, key: &str, len: usize, shown: &str, cx: &mut Cx) -> Option<usize> {
    let code = if key == "ring" {
        Code::RadarUnknownRing
    } else {
        Code::RadarUnknownQuadrant
    };
    let Some(node) = item.get(key) else {
        let message = format!("radar entry \"{shown}\" has no \"{key}\"; the entry is skipped");
        cx.report(Code::RadarMissingField, item.line, item.col, message);
        return None;
    };
    match node.value {
        Value::Int(n) if n >= 0 && (n as usize) < len => Some(n as usize),
        _ => {
            let found = node
                .scalar_text()
                .unwrap_or_else(|| node.type_name().into());
            let message = format!(
                "{key} {found} of entry \"{shown}\" is not a number from 0 to {}; the entry is skipped",
                len - 1
            );
            cx.report(code, node.line, node.col, message);
            None
        }
    }
}

fn zalando_entry(
    item: &Node,
    quadrants: &[Quadrant],
    rings: &[Ring],
    date: Option<&str>,
    cx: &mut Cx,
) -> Option<(Entry, (usize, usize))> {
    let Some((label, label_node)) = str_field(item, "label", cx) else {
        let message = "radar entry has no \"label\"; the entry is skipped".to_string();
        cx.report(Code::RadarMissingField, item.line, item.col, message);
        return None;
    };
    let id = slug(label);
    if id.is_empty() {
        let message = format!("label \"{label}\" has no letters or digits; the entry is skipped");
        cx.report(
            Code::RadarMissingField,
            label_node.line,
            label_node.col,
            message,
        );
        return None;
    }
    let quadrant = index_field(item, "quadrant", quadrants.len(), label, cx)?;
    let ring = index_field(item, "ring", rings.len(), label, cx)?;
    let (moved, is_new) = match item.get("moved").map(|n| (&n.value, n)) {
        None => (Moved::No, false),
        Some((Value::Int(2), _)) => (Moved::No, true),
        Some((Value::Int(n @ -1..=1), _)) => (Moved::from_number(*n), false),
        Some((_, node)) => {
            let shown = node
                .scalar_text()
                .unwrap_or_else(|| node.type_name().into());
            let message = format!("\"moved\" must be -1, 0, 1 or 2, found {shown}; treated as 0");
            cx.report(Code::RadarInvalidValue, node.line, node.col, message);
            (Moved::No, false)
        }
    };
    let active = !matches!(
        item.get("active").map(|n| &n.value),
        Some(Value::Bool(false))
    );
    let links = match str_field(item, "link", cx) {
        Some((url, node)) if active => checked_url(url, node, cx)
            .map(|url| EntryLink {
                url,
                title: "More information".into(),
            })
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    let entry = Entry {
        id,
        title: label.to_string(),
        quadrant,
        ring,
        timeline: vec![TimelineItem {
            ring,
            date: date.map(str::to_string),
            moved,
            description: None,
        }],
        moved,
        is_new,
        active,
        description: String::new(),
        description_format: DescriptionFormat::Markdown,
        description_line: item.line,
        description_html: String::new(),
        links,
        tags: string_list(item, "tags", cx),
        entities: named_entities(item, cx),
        line: item.line,
    };
    Some((entry, (label_node.line, label_node.col)))
}
