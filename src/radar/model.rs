//! The radar model: plain data produced by `radar::load` (one `Radar` per configured file) and
//! only read afterwards. Every format maps onto the Backstage shape: quadrants and rings by
//! index, entries with a timeline (newest first).

use std::path::PathBuf;

use crate::catalog::EntityRef;

/// Quadrant names when neither the file nor `stagedoor.yaml` names them (Thoughtworks' four).
pub const DEFAULT_QUADRANTS: &[&str] =
    &["Techniques", "Platforms", "Tools", "Languages & Frameworks"];

/// Ring names and colours when neither the file nor `stagedoor.yaml` names them.
pub const DEFAULT_RINGS: &[(&str, &str)] = &[
    ("Adopt", "#5BA300"),
    ("Trial", "#009EB0"),
    ("Assess", "#C7BA00"),
    ("Hold", "#E09B96"),
];

/// Colour of a ring beyond the fourth when none is given, and of inactive Zalando blips.
pub const FALLBACK_COLOR: &str = "#8A94A6";

/// The formats stagedoor reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Backstage tech-radar JSON (`TechRadarLoaderResponse`).
    Backstage,
    /// The same shape written as YAML.
    BackstageYaml,
    /// Zalando's `config.json`: numeric quadrant and ring, `label`, `moved`, `active`.
    Zalando,
    /// Thoughtworks "Build Your Own Radar" CSV.
    ByorCsv,
    /// Thoughtworks "Build Your Own Radar" JSON array.
    ByorJson,
    /// The file could not be read or recognised; the radar is drawn empty.
    Unknown,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Backstage => "Backstage tech-radar JSON",
            Format::BackstageYaml => "Backstage tech-radar YAML",
            Format::Zalando => "Zalando tech-radar JSON",
            Format::ByorCsv => "Thoughtworks Build Your Own Radar CSV",
            Format::ByorJson => "Thoughtworks Build Your Own Radar JSON",
            Format::Unknown => "unreadable",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quadrant {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ring {
    pub id: String,
    pub name: String,
    /// A CSS colour, already checked to hold no markup or CSS syntax.
    pub color: String,
    pub description: Option<String>,
}

/// Which way an entry moved at its latest timeline step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Moved {
    /// Towards the centre (Backstage `moved: 1`).
    In,
    /// Away from the centre (Backstage `moved: -1`).
    Out,
    #[default]
    No,
}

impl Moved {
    pub fn from_number(n: i64) -> Moved {
        match n {
            1 => Moved::In,
            -1 => Moved::Out,
            _ => Moved::No,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Moved::In => "moved in",
            Moved::Out => "moved out",
            Moved::No => "no change",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineItem {
    /// Index into `Radar::rings`.
    pub ring: usize,
    pub date: Option<String>,
    pub moved: Moved,
    pub description: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescriptionFormat {
    Markdown,
    /// Thoughtworks descriptions are a small set of HTML tags.
    Html,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryLink {
    pub url: String,
    pub title: String,
}

/// An entity an entry names in its `entities:` list, with the line it was written on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedEntity {
    pub entity_ref: EntityRef,
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Unique within the radar; a slug, safe in HTML ids and URL fragments.
    pub id: String,
    pub title: String,
    /// Index into `Radar::quadrants`.
    pub quadrant: usize,
    /// Index into `Radar::rings`: the ring of `timeline[0]`.
    pub ring: usize,
    /// Newest first; never empty.
    pub timeline: Vec<TimelineItem>,
    pub moved: Moved,
    pub is_new: bool,
    /// Zalando's `active: false` greys the blip out and drops its link.
    pub active: bool,
    /// Source text (Markdown or limited HTML, see `description_format`).
    pub description: String,
    pub description_format: DescriptionFormat,
    pub description_line: usize,
    /// Filled by `radar::render_descriptions`; safe HTML.
    pub description_html: String,
    pub links: Vec<EntryLink>,
    /// Catalog tags this entry stands for besides its own id (lower case).
    pub tags: Vec<String>,
    pub entities: Vec<NamedEntity>,
    /// Line of the entry in its file.
    pub line: usize,
}

impl Entry {
    /// The catalog tags that mean "uses this technology": the id and the `tags:` list.
    pub fn tag_names(&self) -> Vec<String> {
        let mut names = vec![self.id.clone()];
        names.extend(self.tags.iter().map(|t| t.to_lowercase()));
        names.sort();
        names.dedup();
        names
    }
}

#[derive(Clone, Debug)]
pub struct Radar {
    /// The id from `stagedoor.yaml`.
    pub id: String,
    pub title: String,
    pub file: PathBuf,
    pub format: Format,
    /// The date a Zalando file carries (`"2023.10"`).
    pub date: Option<String>,
    pub quadrants: Vec<Quadrant>,
    /// Innermost first.
    pub rings: Vec<Ring>,
    pub entries: Vec<Entry>,
    /// Why the radar is empty when its file could not be used, for the page.
    pub problem: Option<String>,
}

impl Radar {
    /// The ring that means "do not start new work with it": the one called Hold (by id or
    /// name). Radars with other ring names have none, rather than a guessed one.
    pub fn hold_ring(&self) -> Option<usize> {
        self.rings
            .iter()
            .position(|r| r.id.eq_ignore_ascii_case("hold") || r.name.eq_ignore_ascii_case("hold"))
    }

    /// Quadrants in reading order: with four, top-left, top-right, bottom-left, bottom-right
    /// (index 0 is bottom-right, counted clockwise, as Backstage and Zalando draw them).
    pub fn quadrant_order(&self) -> Vec<usize> {
        if self.quadrants.len() == 4 {
            vec![2, 3, 1, 0]
        } else {
            (0..self.quadrants.len()).collect()
        }
    }

    /// Entry indices in legend order (quadrant in reading order, ring, title); an entry's
    /// blip number is its position here plus one.
    pub fn legend_order(&self) -> Vec<usize> {
        let rank: Vec<usize> = {
            let order = self.quadrant_order();
            let mut rank = vec![0; self.quadrants.len()];
            for (pos, q) in order.into_iter().enumerate() {
                rank[q] = pos;
            }
            rank
        };
        let mut idx: Vec<usize> = (0..self.entries.len()).collect();
        idx.sort_by(|&a, &b| {
            let (ea, eb) = (&self.entries[a], &self.entries[b]);
            (rank[ea.quadrant], ea.ring, ea.title.to_lowercase(), &ea.id).cmp(&(
                rank[eb.quadrant],
                eb.ring,
                eb.title.to_lowercase(),
                &eb.id,
            ))
        });
        idx
    }
}

/// A slug usable as an HTML id, a URL fragment and a catalog tag: lower case, letters and
/// digits, runs of anything else as one `-`; `+` and `#` spelled out (`c++` → `c-plus-plus`).
pub fn slug(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        match c {
            '+' => words.push("plus".into()),
            '#' => words.push("sharp".into()),
            _ => {}
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.join("-")
}

/// A colour as written when it is a plain CSS colour (`#5BA300`, `teal`, `rgb(1, 2, 3)`);
/// None for anything that could carry markup or other CSS.
pub fn safe_color(text: &str) -> Option<String> {
    let t = text.trim();
    let ok = !t.is_empty()
        && t.len() <= 64
        && t.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '#' | '(' | ')' | ',' | '.' | '%' | ' ')
        });
    ok.then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_dashes() {
        assert_eq!(slug("Languages & Frameworks"), "languages-frameworks");
        assert_eq!(slug("  AWS  Athena "), "aws-athena");
        assert_eq!(slug("C++"), "c-plus-plus");
        assert_eq!(slug("C#"), "c-sharp");
        assert_eq!(slug(".NET Core 8"), "net-core-8");
        assert_eq!(slug("Größe"), "größe");
        assert_eq!(slug("--"), "");
    }

    #[test]
    fn colours_with_markup_or_css_are_refused() {
        assert_eq!(safe_color("#5BA300").as_deref(), Some("#5BA300"));
        assert_eq!(safe_color("rgb(1, 2, 3)").as_deref(), Some("rgb(1, 2, 3)"));
        assert_eq!(safe_color("red\" onload=\"x"), None);
        assert_eq!(safe_color("red;background:url(x)"), None);
        assert_eq!(safe_color(""), None);
    }
}
