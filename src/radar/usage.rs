//! Radar ↔ catalog: which entities use which radar entry. An entity uses an entry when one
//! of its tags is the entry's id or one of the entry's `tags`, or when the entry lists it in
//! `entities:`. Output: both directions of that relation, plus a notice for every Hold entry
//! that is still used (at the entry's line, naming who uses it).

use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    diags.extend(hold_notices(radars, &usage));
    (usage, diags)
}

/// How many users a Hold notice names before it says "and N more" (the entry on the radar
/// page lists them all).
const NAMED_USERS: usize = 10;

/// One notice per Hold entry that is still used, at the entry's line, naming its users. A
/// notice, not a warning: using a technology on Hold is a plan to make, not a broken input,
/// and one line per use drowned the real problems (and failed `--strict` on healthy sites).
fn hold_notices(radars: &[Radar], usage: &Usage) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (ri, radar) in radars.iter().enumerate() {
        let Some(hold) = radar.hold_ring() else {
            continue;
        };
        for (ei, entry) in radar.entries.iter().enumerate() {
            let users = &usage.by_entry[ri][ei];
            if entry.ring != hold || users.is_empty() {
                continue;
            }
            let message = format!(
                "{} is on {} in the {} and still used by {}",
                entry.title,
                radar.rings[hold].name,
                radar.title,
                named_users(users)
            );
            let hint = format!(
                "see the radar entry at {}#entry-{}; its owners plan a move away from it",
                radar_path(ri, &radar.id),
                entry.id
            );
            out.push(
                Diagnostic::new(Code::RadarHoldInUse, message)
                    .at(&radar.file, entry.line, 1)
                    .hint(hint),
            );
        }
    }
    out
}

/// `component:default/a and component:default/b`, `3 entities: a, b and c`, cut after
/// `NAMED_USERS` names.
fn named_users(users: &[EntityRef]) -> String {
    let names: Vec<String> = users
        .iter()
        .take(NAMED_USERS)
        .map(|r| r.to_string())
        .collect();
    let rest = users.len() - names.len();
    let list = match (names.split_last(), rest) {
        (Some((last, [])), 0) => last.clone(),
        (Some((last, init)), 0) => format!("{} and {last}", init.join(", ")),
        _ => format!("{} and {rest} more", names.join(", ")),
    };
    match users.len() {
        1 => list,
        n => format!("{n} entities: {list}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(n: usize) -> Vec<EntityRef> {
        (0..n)
            .map(|i| EntityRef::parse(&format!("component:c{i}"), None, "default").unwrap())
            .collect()
    }

    #[test]
    fn users_are_named_up_to_a_limit() {
        assert_eq!(named_users(&refs(1)), "component:default/c0");
        assert_eq!(
            named_users(&refs(3)),
            "3 entities: component:default/c0, component:default/c1 and component:default/c2"
        );
        let many = named_users(&refs(NAMED_USERS + 2));
        assert!(
            many.starts_with("12 entities: component:default/c0, "),
            "{many}"
        );
        assert!(many.ends_with("component:default/c9 and 2 more"), "{many}");
    }
}
