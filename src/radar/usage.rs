//! Radar ↔ catalog: which entities use which radar entry. An entity uses an entry when one
//! of its tags is the entry's id or one of the entry's `tags`, or when the entry lists it in
//! `entities:`. Output: both directions of that relation, plus a warning for every entity
//! that uses a technology on Hold (at the entity's file and line, so its owners see it).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use super::model::Radar;
use crate::catalog::{Catalog, EntityRef};
use crate::diagnostics::{Code, Diagnostic};
use crate::urls::radar_path;

#[derive(Clone, Debug, Default)]
pub struct Usage {
    /// `by_entry[radar][entry]`: the entities using that entry, sorted by ref.
    pub by_entry: Vec<Vec<Vec<EntityRef>>>,
    /// Entity key → `(radar, entry)` of every entry it uses, in radar and entry order.
    pub by_entity: BTreeMap<crate::catalog::EntityKey, Vec<(usize, usize)>>,
}

/// Ties every radar entry to the catalog. Entities an entry names that are not in the
/// catalog are reported at the entry's line.
pub fn link_usage(radars: &[Radar], catalog: &Catalog) -> (Usage, Vec<Diagnostic>) {
    let mut by_tag: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_key: HashMap<crate::catalog::EntityKey, usize> = HashMap::new();
    for (i, e) in catalog.entities.iter().enumerate() {
        by_key.insert(e.entity_ref.key(), i);
        for t in &e.tags {
            by_tag.entry(t.to_lowercase()).or_default().push(i);
        }
    }
    let mut usage = Usage::default();
    let mut diags = Vec::new();
    for (ri, radar) in radars.iter().enumerate() {
        let mut per_entry = Vec::with_capacity(radar.entries.len());
        for (ei, entry) in radar.entries.iter().enumerate() {
            let mut users: BTreeSet<usize> = entry
                .tag_names()
                .iter()
                .filter_map(|t| by_tag.get(t))
                .flatten()
                .copied()
                .collect();
            for named in &entry.entities {
                match by_key.get(&named.entity_ref.key()).copied() {
                    Some(i) => {
                        users.insert(i);
                    }
                    None => diags.push(
                        Diagnostic::new(
                            Code::RadarEntityRef,
                            format!(
                                "radar entry \"{}\" names {}, which is not in the catalog",
                                entry.id, named.entity_ref
                            ),
                        )
                        .at(&radar.file, named.line, 1),
                    ),
                }
            }
            let refs: Vec<EntityRef> = users
                .iter()
                .map(|&i| catalog.entities[i].entity_ref.clone())
                .collect();
            for &i in &users {
                usage
                    .by_entity
                    .entry(catalog.entities[i].entity_ref.key())
                    .or_default()
                    .push((ri, ei));
            }
            per_entry.push(refs);
        }
        usage.by_entry.push(per_entry);
    }
    diags.extend(hold_warnings(radars, catalog, &usage));
    (usage, diags)
}

/// One warning per entity and Hold entry it uses, at the entity's tag naming it (else at the
/// entity's document).
fn hold_warnings(radars: &[Radar], catalog: &Catalog, usage: &Usage) -> Vec<Diagnostic> {
    let mut sources: HashMap<PathBuf, Option<String>> = HashMap::new();
    let mut out = Vec::new();
    for (ri, radar) in radars.iter().enumerate() {
        let Some(hold) = radar.hold_ring() else {
            continue;
        };
        for (ei, entry) in radar.entries.iter().enumerate() {
            if entry.ring != hold {
                continue;
            }
            let names = entry.tag_names();
            for r in &usage.by_entry[ri][ei] {
                let Some(e) = catalog.get(r) else {
                    continue;
                };
                let tag = e.tags.iter().find(|t| names.contains(&t.to_lowercase()));
                let text = sources
                    .entry(e.source.file.clone())
                    .or_insert_with(|| std::fs::read_to_string(&e.source.file).ok());
                let (line, col) = tag
                    .and_then(|t| tag_position(text.as_deref()?, e.source.line, t))
                    .unwrap_or((e.source.line, 1));
                let message = format!(
                    "{r} uses {}, which is on {} in the {}",
                    entry.title, radar.rings[hold].name, radar.title
                );
                let hint = format!(
                    "see the radar entry at {}#entry-{}; plan a move away from it",
                    radar_path(ri, &radar.id),
                    entry.id
                );
                out.push(
                    Diagnostic::new(Code::RadarHoldInUse, message)
                        .at(&e.source.file, line, col)
                        .hint(hint)
                        .entity(r.to_string()),
                );
            }
        }
    }
    out
}

/// Where `tag` is written in the YAML document starting at `first_line`: a `- tag` item, or
/// inside a flow list on a `tags:` line. The catalog keeps no positions for tags; this is
/// only for pointing a warning at the right line.
fn tag_position(text: &str, first_line: usize, tag: &str) -> Option<(usize, usize)> {
    let quoted = [tag.to_string(), format!("\"{tag}\""), format!("'{tag}'")];
    for (i, line) in text.lines().enumerate().skip(first_line.saturating_sub(1)) {
        if i + 1 > first_line && (line.starts_with("---") || line.starts_with("...")) {
            break;
        }
        let trimmed = line.trim_start();
        if let Some(item) = trimmed.strip_prefix("- ")
            && quoted.iter().any(|q| item.trim_end() == q)
        {
            let col = line.len() - trimmed.len() + 3;
            return Some((i + 1, col));
        }
        if trimmed.starts_with("tags:")
            && let Some(at) = line.find(tag)
        {
            return Some((i + 1, at + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_found_in_block_and_flow_lists_of_their_own_document() {
        let text = "kind: Component\nmetadata:\n  name: a\n  tags:\n    - java\n    - \"jenkins\"\n---\nkind: Component\nmetadata:\n  name: b\n  tags: [go, jenkins]\n";
        assert_eq!(tag_position(text, 1, "jenkins"), Some((6, 7)));
        assert_eq!(tag_position(text, 8, "jenkins"), Some((11, 14)));
        assert_eq!(tag_position(text, 8, "java"), None);
    }
}
