//! Thoughtworks "Build Your Own Radar" rows (CSV, or a JSON array of the same objects) → radar
//! entries. Rings and quadrants are matched by name, ignoring case and `and`/`&`; the names
//! come from `stagedoor.yaml`, else Thoughtworks' defaults. Descriptions are limited HTML.

use super::load::{Cx, Parts, configured_quadrants, configured_rings};
use super::model::{DescriptionFormat, Entry, Moved, Quadrant, Ring, TimelineItem, slug};
use crate::config::RadarConfig;
use crate::diagnostics::Code;
use crate::yaml::{Node, Value};

/// One row, whatever the file type; `at` gives each cell's position (line, column).
#[derive(Default)]
struct Row {
    name: Option<(String, (usize, usize))>,
    ring: Option<(String, (usize, usize))>,
    quadrant: Option<(String, (usize, usize))>,
    is_new: Option<(String, (usize, usize))>,
    status: Option<(String, (usize, usize))>,
    description: Option<String>,
    topic: Option<String>,
    line: usize,
}

const COLUMNS: &[&str] = &[
    "name",
    "ring",
    "quadrant",
    "isnew",
    "status",
    "description",
    "topic",
];

/// Reads the CSV form: a header row, RFC 4180 quoting, multi-line quoted cells.
pub(super) fn load_csv(text: &str, cfg: &RadarConfig, cx: &mut Cx) -> Result<Parts, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let message = format!("radar file is not valid CSV: {e}");
            cx.report(Code::RadarUnreadable, 1, 1, message.clone());
            return Err(message);
        }
    };
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let index: Vec<Option<usize>> = COLUMNS.iter().map(|c| column(c)).collect();
    check_columns(&index, cx)?;
    let quadrants = configured_quadrants(cfg);
    let rings = configured_rings(cfg);
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                cx.report(
                    Code::RadarUnreadable,
                    line,
                    1,
                    format!("unreadable CSV row: {e}; the row is skipped"),
                );
                continue;
            }
        };
        let line = record.position().map_or(1, |p| p.line() as usize);
        let cell = |i: usize| {
            index[i]
                .and_then(|c| record.get(c))
                .filter(|s| !s.is_empty())
                .map(|s| (s.to_string(), (line, 1)))
        };
        let row = Row {
            name: cell(0),
            ring: cell(1),
            quadrant: cell(2),
            is_new: cell(3),
            status: cell(4),
            description: cell(5).map(|(s, _)| s),
            topic: cell(6).map(|(s, _)| s),
            line,
        };
        if let Some((entry, at)) = byor_entry(row, &quadrants, &rings, cx) {
            cx.admit(entry, at, &mut entries);
        }
    }
    Ok(Parts {
        quadrants,
        rings,
        entries,
        date: None,
    })
}

/// Required columns: name, ring and quadrant (else nothing can be drawn); description and
/// one of isNew/status are reported when missing but not needed.
fn check_columns(index: &[Option<usize>], cx: &mut Cx) -> Result<(), String> {
    let missing: Vec<&str> = ["name", "ring", "quadrant"]
        .iter()
        .zip(index)
        .filter(|(_, i)| i.is_none())
        .map(|(c, _)| *c)
        .collect();
    if !missing.is_empty() {
        let message = format!(
            "the CSV header has no {} column; nothing can be drawn",
            missing.join(", ")
        );
        cx.report(Code::RadarMissingField, 1, 1, message.clone());
        return Err(message);
    }
    if index[5].is_none() {
        let message = "the CSV header has no description column".to_string();
        cx.report(Code::RadarMissingField, 1, 1, message);
    }
    if index[3].is_none() && index[4].is_none() {
        let message = "the CSV header has neither an isNew nor a status column".to_string();
        cx.report(Code::RadarMissingField, 1, 1, message);
    }
    Ok(())
}

/// Reads the JSON form: `[{"name": …, "ring": …, "quadrant": …, "isNew": "TRUE", …}]`.
pub(super) fn load_json(items: &[Node], cfg: &RadarConfig, cx: &mut Cx) -> Parts {
    let quadrants = configured_quadrants(cfg);
    let rings = configured_rings(cfg);
    let mut entries = Vec::new();
    for item in items {
        if item.as_map().is_none() {
            let message = format!("a radar row must be an object, found {}", item.type_name());
            cx.report(Code::RadarMissingField, item.line, item.col, message);
            continue;
        }
        let cell = |key: &str| {
            item.as_map()
                .unwrap_or_default()
                .iter()
                .rev()
                .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(key)))
                .map(|(_, v)| v)
                .filter(|v| !matches!(v.value, Value::Seq(_) | Value::Map(_)))
                .and_then(|v| {
                    v.scalar_text()
                        .map(|t| (t.trim().to_string(), (v.line, v.col)))
                })
                .filter(|(t, _)| !t.is_empty())
        };
        let row = Row {
            name: cell("name"),
            ring: cell("ring"),
            quadrant: cell("quadrant"),
            is_new: cell("isNew"),
            status: cell("status"),
            description: cell("description").map(|(s, _)| s),
            topic: cell("topic").map(|(s, _)| s),
            line: item.line,
        };
        if let Some((entry, at)) = byor_entry(row, &quadrants, &rings, cx) {
            cx.admit(entry, at, &mut entries);
        }
    }
    Parts {
        quadrants,
        rings,
        entries,
        date: None,
    }
}

/// Lower case, `&` read as `and`, runs of white space as one space.
fn normalise(name: &str) -> String {
    name.to_lowercase()
        .replace('&', " and ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn byor_entry(
    row: Row,
    quadrants: &[Quadrant],
    rings: &[Ring],
    cx: &mut Cx,
) -> Option<(Entry, (usize, usize))> {
    let Some((name, name_at)) = row.name.as_ref().filter(|(n, _)| !slug(n).is_empty()) else {
        let message = "radar row has no name; the row is skipped".to_string();
        cx.report(Code::RadarMissingField, row.line, 1, message);
        return None;
    };
    let Some((ring_name, ring_at)) = &row.ring else {
        let message = format!("radar row \"{name}\" has no ring; the row is skipped");
        cx.report(Code::RadarMissingField, row.line, 1, message);
        return None;
    };
    let Some(ring) = rings
        .iter()
        .position(|r| normalise(&r.name) == normalise(ring_name) || r.id == slug(ring_name))
    else {
        let names: Vec<&str> = rings.iter().map(|r| r.name.as_str()).collect();
        cx.report_hint(
            Code::RadarUnknownRing,
            *ring_at,
            format!("unknown ring \"{ring_name}\" for entry \"{name}\"; the entry is skipped"),
            format!(
                "known rings: {} (set others with `rings:` in stagedoor.yaml)",
                names.join(", ")
            ),
        );
        return None;
    };
    let Some((quadrant_name, quadrant_at)) = &row.quadrant else {
        let message = format!("radar row \"{name}\" has no quadrant; the row is skipped");
        cx.report(Code::RadarMissingField, row.line, 1, message);
        return None;
    };
    let Some(quadrant) = quadrants
        .iter()
        .position(|q| normalise(&q.name) == normalise(quadrant_name))
    else {
        let names: Vec<&str> = quadrants.iter().map(|q| q.name.as_str()).collect();
        cx.report_hint(
            Code::RadarUnknownQuadrant,
            *quadrant_at,
            format!(
                "unknown quadrant \"{quadrant_name}\" for entry \"{name}\"; the entry is skipped"
            ),
            format!(
                "known quadrants: {} (set others with `quadrants:` in stagedoor.yaml)",
                names.join(", ")
            ),
        );
        return None;
    };
    let (moved, is_new) = movement(&row, cx);
    let mut description = String::new();
    if let Some(topic) = &row.topic {
        description.push_str(&format!("<p><em>{}</em></p>", crate::html::escape(topic)));
    }
    description.push_str(row.description.as_deref().unwrap_or_default());
    let entry = Entry {
        id: slug(name),
        title: name.clone(),
        quadrant,
        ring,
        timeline: vec![TimelineItem {
            ring,
            date: None,
            moved,
            description: None,
        }],
        moved,
        is_new,
        active: true,
        description,
        description_format: DescriptionFormat::Html,
        description_line: row.line,
        description_html: String::new(),
        links: Vec::new(),
        tags: Vec::new(),
        entities: Vec::new(),
        line: row.line,
    };
    Some((entry, *name_at))
}

/// `status` (New, Moved In, Moved Out, No Change) decides when given; else `isNew`.
fn movement(row: &Row, cx: &mut Cx) -> (Moved, bool) {
    if let Some((status, at)) = &row.status {
        match normalise(status).as_str() {
            "new" => return (Moved::No, true),
            "moved in" => return (Moved::In, false),
            "moved out" => return (Moved::Out, false),
            "no change" => return (Moved::No, false),
            _ => {
                let message = format!(
                    "status \"{status}\" is not New, Moved In, Moved Out or No Change; isNew decides"
                );
                cx.report(Code::RadarInvalidValue, at.0, at.1, message);
            }
        }
    }
    let is_new = row
        .is_new
        .as_ref()
        .is_some_and(|(v, _)| v.eq_ignore_ascii_case("true"));
    (Moved::No, is_new)
}
