//! Architecture views: a System's members (components, APIs, resources) and how they use each
//! other, or a Domain's systems and the edges between them. Whatever lies outside is folded
//! into one node per other system (an entity of no system stays itself), so the view shows
//! the boundary without the rest of the catalog.

use super::{Builder, Graph, Role, system_of};
use crate::catalog::{Catalog, Entity, EntityRef, RelationType};

/// The relations an architecture view draws (in either spelling of the pair).
const USES: &[RelationType] = &[
    RelationType::ProvidesApi,
    RelationType::ConsumesApi,
    RelationType::DependsOn,
];

/// Kinds a system's view shows as its members.
const MEMBER_KINDS: &[&str] = &["component", "api", "resource"];

fn is_use(t: RelationType) -> bool {
    USES.contains(&t) || USES.contains(&t.inverse())
}

/// The view of a System or Domain; None for other kinds.
pub fn collect(catalog: &Catalog, e: &Entity) -> Option<Graph> {
    match e.entity_ref.kind.as_str() {
        "system" => Some(system_view(catalog, e)),
        "domain" => Some(domain_view(catalog, e)),
        _ => None,
    }
}

fn parts<'a>(e: &'a Entity, kinds: &'a [&str]) -> impl Iterator<Item = &'a EntityRef> + 'a {
    e.related(RelationType::HasPart)
        .filter(move |t| kinds.contains(&t.kind.as_str()))
}

fn system_view(catalog: &Catalog, system: &Entity) -> Graph {
    let mut b = Builder::default();
    for m in parts(system, MEMBER_KINDS) {
        b.node(catalog, m, 0, Role::Entity);
    }
    for m in parts(system, MEMBER_KINDS).filter_map(|m| catalog.get(m)) {
        for r in m.relations.iter().filter(|r| is_use(r.relation)) {
            let other = outside_node(catalog, &mut b, &r.target, &system.entity_ref);
            b.relation(&m.entity_ref, r.relation, &other);
        }
    }
    b.finish()
}

fn domain_view(catalog: &Catalog, domain: &Entity) -> Graph {
    let mut b = Builder::default();
    let systems: Vec<&EntityRef> = parts(domain, &["system"]).collect();
    for s in &systems {
        b.node(catalog, s, 0, Role::Entity);
    }
    for s in systems.iter().filter_map(|s| catalog.get(s)) {
        for m in parts(s, MEMBER_KINDS).filter_map(|m| catalog.get(m)) {
            for r in m.relations.iter().filter(|r| is_use(r.relation)) {
                let other = outside_node(catalog, &mut b, &r.target, &s.entity_ref);
                if other != s.entity_ref {
                    b.relation(&s.entity_ref, r.relation, &other);
                }
            }
        }
    }
    b.finish()
}

/// The node standing for `target` seen from inside `home`: the target itself when it is in
/// `home` (or drawn already), else its system, else itself as an outsider.
fn outside_node(
    catalog: &Catalog,
    b: &mut Builder,
    target: &EntityRef,
    home: &EntityRef,
) -> EntityRef {
    let Some(t) = catalog.get(target) else {
        b.node(catalog, target, 1, Role::Dangling);
        return target.clone();
    };
    let system = system_of(t).cloned();
    let stand_in = match system {
        Some(s) if s.key() == home.key() => return t.entity_ref.clone(),
        Some(s) => catalog.get(&s).map_or(s, |e| e.entity_ref.clone()),
        None => t.entity_ref.clone(),
    };
    if !b.contains(&stand_in) {
        b.node(catalog, &stand_in, 1, Role::External);
    }
    stand_in
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
                let n = |i: usize| format!("{}({:?})", g.nodes[i].label, g.nodes[i].role);
                format!("{} -{}-> {}", n(e.from), e.label, n(e.to))
            })
            .collect();
        lines.sort();
        lines
    }

    fn shop() -> Catalog {
        catalog(&[
            ("component:web", "partOf", "system:shop"),
            ("component:orders", "partOf", "system:shop"),
            ("api:orders-api", "partOf", "system:shop"),
            ("resource:orders-db", "partOf", "system:shop"),
            ("component:orders", "providesApi", "api:orders-api"),
            ("component:web", "consumesApi", "api:orders-api"),
            ("component:orders", "dependsOn", "resource:orders-db"),
            ("component:orders", "ownedBy", "group:team"),
            ("component:ledger", "partOf", "system:money"),
            ("api:ledger-api", "partOf", "system:money"),
            ("component:ledger", "providesApi", "api:ledger-api"),
            ("component:orders", "consumesApi", "api:ledger-api"),
            ("component:orders", "dependsOn", "resource:gone-cache"),
            ("system:shop", "partOf", "domain:commerce"),
            ("system:money", "partOf", "domain:finance"),
            ("system:stock", "partOf", "domain:commerce"),
            ("component:stocker", "partOf", "system:stock"),
            ("component:stocker", "dependsOn", "resource:orders-db"),
        ])
    }

    #[test]
    fn a_system_shows_its_members_and_folds_other_systems() {
        let c = shop();
        let g = collect(&c, entity_of(&c, "system:shop")).expect("a system view");
        assert_eq!(
            summary(&g),
            [
                "orders(Entity) -consumesApi-> money(External)",
                "orders(Entity) -dependsOn-> gone-cache(Dangling)",
                "orders(Entity) -dependsOn-> orders-db(Entity)",
                "orders(Entity) -providesApi-> orders-api(Entity)",
                "stock(External) -dependsOn-> orders-db(Entity)",
                "web(Entity) -consumesApi-> orders-api(Entity)",
            ]
        );
        // Ownership is not architecture.
        assert!(g.nodes.iter().all(|n| n.label != "team"));
    }

    #[test]
    fn a_domain_shows_its_systems_and_their_cross_system_edges() {
        let c = shop();
        let g = collect(&c, entity_of(&c, "domain:commerce")).expect("a domain view");
        assert_eq!(
            summary(&g),
            [
                "shop(Entity) -consumesApi-> money(External)",
                "shop(Entity) -dependsOn-> gone-cache(Dangling)",
                "stock(Entity) -dependsOn-> shop(Entity)",
            ]
        );
        assert!(collect(&c, entity_of(&c, "component:web")).is_none());
    }
}
