//! Relations: which spec field makes which relation pair (spec §4.2), as one table, and the
//! pass that turns declared refs into relations on both ends.

use std::collections::{BTreeSet, HashMap};

use super::model::{Catalog, Entity, Relation};
use super::refs::EntityRef;
use crate::diagnostics::{Code, Diagnostic};

/// Kinds a rule applies to; `GENERIC` stands for every kind stagedoor does not know, so that
/// custom kinds still show up under their owner and system.
pub const GENERIC: &str = "*";

pub struct RelationRule {
    pub kinds: &'static [&'static str],
    pub field: &'static str,
    pub default_kind: Option<&'static str>,
    /// Relation on the entity holding the field (E → T).
    pub forward: &'static str,
    /// Relation on the target (T → E).
    pub reverse: &'static str,
}

const fn rule(
    kinds: &'static [&'static str],
    field: &'static str,
    default_kind: Option<&'static str>,
    forward: &'static str,
    reverse: &'static str,
) -> RelationRule {
    RelationRule {
        kinds,
        field,
        default_kind,
        forward,
        reverse,
    }
}

pub const RULES: &[RelationRule] = &[
    rule(
        &[
            "Component",
            "API",
            "Resource",
            "System",
            "Domain",
            "Template",
            GENERIC,
        ],
        "owner",
        Some("Group"),
        "ownedBy",
        "ownerOf",
    ),
    rule(
        &["Component", "API", "Resource", GENERIC],
        "system",
        Some("System"),
        "partOf",
        "hasPart",
    ),
    rule(
        &["Component"],
        "subcomponentOf",
        Some("Component"),
        "partOf",
        "hasPart",
    ),
    rule(
        &["Component"],
        "providesApis",
        Some("API"),
        "providesApi",
        "apiProvidedBy",
    ),
    rule(
        &["Component"],
        "consumesApis",
        Some("API"),
        "consumesApi",
        "apiConsumedBy",
    ),
    rule(
        &["Component", "Resource"],
        "dependsOn",
        None,
        "dependsOn",
        "dependencyOf",
    ),
    rule(
        &["Component", "Resource"],
        "dependencyOf",
        None,
        "dependencyOf",
        "dependsOn",
    ),
    rule(&["System"], "domain", Some("Domain"), "partOf", "hasPart"),
    rule(
        &["Domain"],
        "subdomainOf",
        Some("Domain"),
        "partOf",
        "hasPart",
    ),
    rule(&["Group"], "parent", Some("Group"), "childOf", "parentOf"),
    rule(&["Group"], "children", Some("Group"), "parentOf", "childOf"),
    rule(&["Group"], "members", Some("User"), "hasMember", "memberOf"),
    rule(
        &["User"],
        "memberOf",
        Some("Group"),
        "memberOf",
        "hasMember",
    ),
];

/// Human titles Backstage uses for each relation type, for headings on entity pages.
pub const TITLES: &[(&str, &str)] = &[
    ("ownedBy", "Owned by"),
    ("ownerOf", "Owner of"),
    ("providesApi", "Provides API"),
    ("apiProvidedBy", "API provided by"),
    ("consumesApi", "Consumes API"),
    ("apiConsumedBy", "API consumed by"),
    ("dependsOn", "Depends on"),
    ("dependencyOf", "Dependency of"),
    ("parentOf", "Parent of"),
    ("childOf", "Child of"),
    ("memberOf", "Member of"),
    ("hasMember", "Has member"),
    ("partOf", "Part of"),
    ("hasPart", "Has part"),
];

pub fn relation_title(relation: &'static str) -> &'static str {
    TITLES
        .iter()
        .find(|(r, _)| *r == relation)
        .map_or(relation, |(_, t)| t)
}

/// Rules that apply to a kind (exact case; unknown kinds get the generic ones).
pub fn rules_for(kind: &str, known: bool) -> impl Iterator<Item = &'static RelationRule> + '_ {
    let key = if known { kind } else { GENERIC };
    RULES.iter().filter(move |r| r.kinds.contains(&key))
}

/// A reference written in an entity's spec, with where it was written.
#[derive(Clone, Debug)]
pub struct DeclaredRef {
    pub field: &'static str,
    pub forward: &'static str,
    pub reverse: &'static str,
    pub target: EntityRef,
    pub line: usize,
    pub col: usize,
}

/// Adds every declared relation to both ends and warns about refs to missing entities.
/// `declared[i]` belongs to `catalog.entities[i]`.
pub fn link_relations(catalog: &mut Catalog, declared: &[Vec<DeclaredRef>]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut sets: HashMap<String, BTreeSet<Relation>> = HashMap::new();
    for (entity, refs) in catalog.entities.iter().zip(declared) {
        for d in refs {
            sets.entry(entity.entity_ref.key())
                .or_default()
                .insert(Relation {
                    relation: d.forward,
                    target: canonical(catalog, &d.target),
                });
            match catalog.get(&d.target) {
                Some(target) => {
                    sets.entry(target.entity_ref.key())
                        .or_default()
                        .insert(Relation {
                            relation: d.reverse,
                            target: entity.entity_ref.clone(),
                        });
                }
                None => diags.push(dangling(entity, d)),
            }
        }
    }
    for entity in &mut catalog.entities {
        if let Some(set) = sets.remove(&entity.entity_ref.key()) {
            entity.relations = set.into_iter().collect();
        }
    }
    diags
}

/// The target as the catalog spells it (original name case) when it exists.
fn canonical(catalog: &Catalog, target: &EntityRef) -> EntityRef {
    catalog
        .get(target)
        .map_or_else(|| target.clone(), |e| e.entity_ref.clone())
}

fn dangling(entity: &Entity, d: &DeclaredRef) -> Diagnostic {
    Diagnostic::new(
        Code::DanglingRef,
        format!("\"spec.{}\" refers to {}, which is not in the catalog", d.field, d.target),
    )
    .at(&entity.source.file, d.line, d.col)
    .entity(entity.entity_ref.to_string())
    .hint("check the spelling and the kind and namespace (a ref without a namespace uses this entity's own), or add the missing entity")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_relation_type_has_a_title_and_pairs_are_symmetric() {
        for r in RULES {
            assert_ne!(relation_title(r.forward), r.forward, "{}", r.forward);
            assert_ne!(relation_title(r.reverse), r.reverse, "{}", r.reverse);
            let back = RULES.iter().find(|o| o.forward == r.reverse);
            if let Some(back) = back {
                assert_eq!(back.reverse, r.forward, "{} / {}", r.forward, r.reverse);
            }
        }
    }

    #[test]
    fn unknown_kinds_get_owner_and_system_only() {
        let fields: Vec<&str> = rules_for("AiResource", false).map(|r| r.field).collect();
        assert_eq!(fields, ["owner", "system"]);
    }
}
