//! Small catalogs for the graph tests, written as `(from, relation, to)` triples.

use std::collections::BTreeMap;

use crate::catalog::{Catalog, Entity, EntityRef, Relation, RelationType};

/// A catalog holding every entity the triples name, each relation on both ends. A target
/// whose name starts with `gone` is left out of the catalog (a dangling ref).
pub fn catalog(triples: &[(&str, &str, &str)]) -> Catalog {
    catalog_in_order(triples, false)
}

/// The same catalog, with its entities handed over in reverse order (relations stay sorted,
/// as the catalog keeps them).
pub fn catalog_in_order(triples: &[(&str, &str, &str)], reversed: bool) -> Catalog {
    let parse = |s: &str| EntityRef::parse(s, None, "default").expect("a test ref");
    let mut relations: BTreeMap<EntityRef, Vec<Relation>> = BTreeMap::new();
    for (from, rel, to) in triples {
        let (from, to) = (parse(from), parse(to));
        let t = RelationType::ALL
            .into_iter()
            .find(|t| t.as_str() == *rel)
            .expect("a relation type");
        relations.entry(from.clone()).or_default().push(Relation {
            relation: t,
            target: to.clone(),
        });
        if !to.name.starts_with("gone") {
            relations.entry(to).or_default().push(Relation {
                relation: t.inverse(),
                target: from,
            });
        }
    }
    let mut entities: Vec<Entity> = relations
        .into_iter()
        .map(|(r, mut rels)| {
            rels.sort();
            rels.dedup();
            Entity::bare(r, rels)
        })
        .collect();
    if reversed {
        entities.reverse();
    }
    Catalog::new(entities)
}

pub fn entity_of<'a>(c: &'a Catalog, r: &str) -> &'a Entity {
    c.get(&EntityRef::parse(r, None, "default").expect("a test ref"))
        .expect("in the catalog")
}
