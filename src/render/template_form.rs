//! Template pages: a scaffolder Template's `parameters` (JSON-Schema form pages) shown as a
//! read-only form, and its `steps` and `output` listed.

use serde::Serialize;
use serde_json::Value as Json;

use crate::catalog::Entity;

#[derive(Serialize)]
pub struct TemplateView {
    pub pages: Vec<FormPage>,
    pub steps: Vec<Step>,
    pub outputs: Vec<String>,
    pub time_saved: Option<String>,
}

#[derive(Serialize)]
pub struct FormPage {
    pub title: String,
    pub description: Option<String>,
    pub fields: Vec<Field>,
}

#[derive(Serialize)]
pub struct Field {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub field_type: String,
    /// The HTML input type used to show it.
    pub input: &'static str,
    pub choices: Vec<String>,
    pub default: Option<String>,
    pub required: bool,
    pub widget: Option<String>,
}

#[derive(Serialize)]
pub struct Step {
    pub id: Option<String>,
    pub name: String,
    pub action: String,
}

pub fn template_view(e: &Entity) -> TemplateView {
    let pages = match e.spec.get("parameters") {
        Some(Json::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, p)| form_page(p, i))
            .collect(),
        Some(obj @ Json::Object(_)) => vec![form_page(obj, 0)],
        _ => Vec::new(),
    };
    TemplateView {
        pages,
        steps: steps(&e.spec),
        outputs: outputs(&e.spec),
        time_saved: e
            .annotation("backstage.io/time-saved")
            .map(humanize_duration),
    }
}

fn text(v: &Json, key: &str) -> Option<String> {
    v.get(key).and_then(|x| match x {
        Json::String(s) => Some(s.clone()),
        Json::Number(_) | Json::Bool(_) => Some(x.to_string()),
        _ => None,
    })
}

fn form_page(page: &Json, index: usize) -> FormPage {
    let required: Vec<&str> = page
        .get("required")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .collect();
    let fields = page
        .get("properties")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .map(|(name, prop)| field(name, prop, required.contains(&name.as_str())))
        .collect();
    FormPage {
        title: text(page, "title").unwrap_or_else(|| format!("Page {}", index + 1)),
        description: text(page, "description"),
        fields,
    }
}

fn field(name: &str, prop: &Json, required: bool) -> Field {
    let field_type = text(prop, "type").unwrap_or_else(|| "string".into());
    let choices: Vec<String> = prop
        .get("enum")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        .collect();
    let input = match field_type.as_str() {
        "boolean" => "checkbox",
        "number" | "integer" => "number",
        _ => "text",
    };
    Field {
        name: name.to_string(),
        title: text(prop, "title").unwrap_or_else(|| name.to_string()),
        description: text(prop, "description"),
        input,
        choices,
        default: text(prop, "default"),
        required,
        widget: text(prop, "ui:field"),
        field_type,
    }
}

fn steps(spec: &Json) -> Vec<Step> {
    spec.get("steps")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .map(|s| Step {
            id: text(s, "id"),
            name: text(s, "name")
                .or_else(|| text(s, "id"))
                .unwrap_or_else(|| "Step".into()),
            action: text(s, "action").unwrap_or_default(),
        })
        .collect()
}

fn outputs(spec: &Json) -> Vec<String> {
    let links = spec
        .get("output")
        .and_then(|o| o.get("links"))
        .and_then(Json::as_array)
        .into_iter()
        .flatten();
    let texts = spec
        .get("output")
        .and_then(|o| o.get("text"))
        .and_then(Json::as_array)
        .into_iter()
        .flatten();
    links
        .chain(texts)
        .filter_map(|l| text(l, "title"))
        .collect()
}

/// `PT4H30M` → `4 hours 30 minutes`; anything unparsable is shown as written.
pub fn humanize_duration(iso: &str) -> String {
    let Some(rest) = iso.strip_prefix('P') else {
        return iso.to_string();
    };
    let mut parts = Vec::new();
    let mut number = String::new();
    let mut in_time = false;
    for c in rest.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' | '.' => number.push(c),
            unit => {
                let name = match (unit, in_time) {
                    ('Y', false) => "year",
                    ('M', false) => "month",
                    ('W', false) => "week",
                    ('D', false) => "day",
                    ('H', true) => "hour",
                    ('M', true) => "minute",
                    ('S', true) => "second",
                    _ => return iso.to_string(),
                };
                let plural = if number == "1" { "" } else { "s" };
                parts.push(format!("{number} {name}{plural}"));
                number.clear();
            }
        }
    }
    if parts.is_empty() || !number.is_empty() {
        iso.to_string()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_english() {
        assert_eq!(humanize_duration("PT4H"), "4 hours");
        assert_eq!(humanize_duration("P1DT30M"), "1 day 30 minutes");
        assert_eq!(humanize_duration("nonsense"), "nonsense");
    }

    #[test]
    fn enum_fields_become_choices_and_required_is_kept() {
        let page = serde_json::json!({
            "title": "Basics",
            "required": ["name"],
            "properties": {"name": {"type": "string", "ui:field": "EntityNamePicker"}, "tier": {"type": "string", "enum": ["gold", "silver"], "default": "gold"}}
        });
        let p = form_page(&page, 0);
        assert_eq!(p.fields[0].name, "name");
        assert!(p.fields[0].required);
        assert_eq!(p.fields[0].widget.as_deref(), Some("EntityNamePicker"));
        assert_eq!(p.fields[1].choices, ["gold", "silver"]);
        assert!(!p.fields[1].required);
    }
}
