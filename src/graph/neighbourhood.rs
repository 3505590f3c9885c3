//! Neighbourhood: which entities and relations an entity's graph shows. Every entity up to
//! `depth` relations away, and the relations of the entities nearer than that (at depth 1:
//! the entity's own relations, a star, not also the relations among its neighbours, which
//! would turn a system's page into a tangle). Each relation pair (`dependsOn`/`dependencyOf`)
//! is one edge in its forward direction. Refs to entities not in the catalog become dangling
//! nodes and are not followed.
//!
//! The work is the relations of the expanded entities only: a page next to a hub never reads
//! the hub's relations, so a hub with a thousand dependents costs each of them nothing extra.

use super::{Builder, Graph, Role};
use crate::catalog::{Catalog, Entity};

pub fn collect(catalog: &Catalog, focus: &Entity, depth: usize) -> Graph {
    let mut b = Builder::default();
    b.node(catalog, &focus.entity_ref, 0, Role::Focus);
    let mut frontier: Vec<&Entity> = vec![focus];
    for distance in 1..=depth {
        let mut next = Vec::new();
        for e in &frontier {
            for r in &e.relations {
                if !b.contains(&r.target) {
                    b.node(catalog, &r.target, distance, Role::Entity);
                    next.extend(catalog.get(&r.target));
                }
                b.relation(&e.entity_ref, r.relation, &r.target);
            }
        }
        frontier = next;
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testkit::{catalog, entity_of};

    /// The edges as text, sorted.
    fn summary(g: &Graph) -> Vec<String> {
        let mut lines: Vec<String> = g
            .edges
            .iter()
            .map(|e| {
                format!(
                    "{} -{}-> {}",
                    g.nodes[e.from].label, e.label, g.nodes[e.to].label
                )
            })
            .collect();
        lines.sort();
        lines
    }

    #[test]
    fn pairs_become_one_forward_edge() {
        let c = catalog(&[
            ("component:a", "dependsOn", "resource:db"),
            ("component:a", "ownedBy", "group:team"),
        ]);
        let g = collect(&c, entity_of(&c, "resource:db"), 1);
        assert_eq!(summary(&g), ["a -dependsOn-> db"]);
        let g = collect(&c, entity_of(&c, "component:a"), 1);
        assert_eq!(summary(&g), ["a -dependsOn-> db", "a -ownedBy-> team"]);
        assert_eq!(g.nodes[0].role, Role::Focus);
    }

    #[test]
    fn depth_two_reaches_neighbours_of_neighbours_and_their_relations() {
        let c = catalog(&[
            ("component:a", "dependsOn", "component:b"),
            ("component:b", "dependsOn", "component:c"),
            ("component:c", "dependsOn", "component:d"),
            ("component:a", "dependsOn", "component:c"),
        ]);
        // Depth 1 is the entity's own relations, not b → c between its neighbours.
        let one = collect(&c, entity_of(&c, "component:a"), 1);
        assert_eq!(summary(&one), ["a -dependsOn-> b", "a -dependsOn-> c"]);
        let two = collect(&c, entity_of(&c, "component:a"), 2);
        assert_eq!(
            summary(&two),
            [
                "a -dependsOn-> b",
                "a -dependsOn-> c",
                "b -dependsOn-> c",
                "c -dependsOn-> d"
            ]
        );
    }

    #[test]
    fn dangling_refs_are_nodes_that_are_not_followed() {
        let c = catalog(&[("component:a", "dependsOn", "resource:gone")]);
        let g = collect(&c, entity_of(&c, "component:a"), 3);
        assert_eq!(g.nodes.len(), 2);
        assert_eq!(g.nodes[1].role, Role::Dangling);
        assert_eq!(summary(&g), ["a -dependsOn-> gone"]);
    }
}
