//! Backstage tech-radar data (JSON, or the same shape in YAML) → radar parts: the file's own
//! quadrants and rings (by id), entries with their timelines, links, and stagedoor's two
//! additions, `tags` and `entities`, which tie an entry to the catalog.

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

pub(super) fn load_backstage(
    root: &Node,
    entries: &[Node],
    cfg: &RadarConfig,
    cx: &mut Cx,
) -> Parts {
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
