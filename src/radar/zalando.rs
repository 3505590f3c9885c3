//! Zalando tech-radar `config.json` → radar parts: entries with numeric `quadrant` and `ring`
//! indices, a `label`, `moved` (2 = new) and `active` (false: greyed, no link). Zalando's file
//! names no quadrants or rings: `stagedoor.yaml` does, else a `radar_visualization` config
//! some forks keep in the file (`quadrants: [{name}]`, `rings: [{name, color}]`), else the
//! defaults.

use super::load::{
    Cx, MAX_QUADRANTS, MAX_RINGS, Parts, checked_url, configured_quadrants, configured_rings,
    default_color, named_entities, str_field, string_list, text_field,
};
use super::model::{
    DescriptionFormat, Entry, EntryLink, Moved, Quadrant, Ring, TimelineItem, safe_color, slug,
};
use crate::config::RadarConfig;
use crate::diagnostics::Code;
use crate::yaml::{Node, Value};

pub(super) fn load_zalando(root: &Node, entries: &[Node], cfg: &RadarConfig, cx: &mut Cx) -> Parts {
    let quadrants = match embedded_names(root, "quadrants", MAX_QUADRANTS) {
        Some(names) if cfg.quadrants.is_empty() => names
            .into_iter()
            .map(|(name, _)| Quadrant {
                id: slug(&name),
                name,
            })
            .collect(),
        _ => configured_quadrants(cfg),
    };
    let rings = match embedded_names(root, "rings", MAX_RINGS) {
        Some(names) if cfg.rings.is_empty() => names
            .into_iter()
            .enumerate()
            .map(|(i, (name, item))| Ring {
                id: slug(&name),
                color: item
                    .get("color")
                    .and_then(Node::as_str)
                    .and_then(safe_color)
                    .unwrap_or_else(|| default_color(i)),
                name,
                description: None,
            })
            .collect(),
        _ => configured_rings(cfg),
    };
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

/// The `name`s of an embedded `quadrants` or `rings` list, when every item has one.
fn embedded_names<'n>(root: &'n Node, key: &str, max: usize) -> Option<Vec<(String, &'n Node)>> {
    let items = root.get(key)?.as_seq()?;
    let names: Option<Vec<(String, &Node)>> = items
        .iter()
        .take(max)
        .map(|i| {
            i.get("name")
                .and_then(Node::as_str)
                .map(|n| (n.to_string(), i))
        })
        .collect();
    names.filter(|n| !n.is_empty())
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
