//! Relations: the relation types Backstage knows (spec §4.1), which spec field makes which
//! relation (spec §4.2), as tables, and the pass that turns declared refs into relations on
//! both ends.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::fmt;

use serde::{Serialize, Serializer};

use super::model::{Catalog, Entity, Relation};
use super::refs::{EntityKey, EntityRef};
use crate::diagnostics::{Code, Diagnostic};

/// A Backstage relation type. It is written, sorted and serialized as its Backstage spelling
/// (`ownedBy`), so relation lists and `catalog.json` read exactly as Backstage's do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelationType {
    OwnedBy,
    OwnerOf,
    ProvidesApi,
    ApiProvidedBy,
    ConsumesApi,
    ApiConsumedBy,
    DependsOn,
    DependencyOf,
    ParentOf,
    ChildOf,
    MemberOf,
    HasMember,
    PartOf,
    HasPart,
}

/// What Backstage says about one relation type.
struct TypeInfo {
    name: &'static str,
    /// The human title Backstage uses, for headings on entity pages.
    title: &'static str,
    /// The relation the target gets back (T → E for E → T).
    inverse: RelationType,
}

const fn info(name: &'static str, title: &'static str, inverse: RelationType) -> TypeInfo {
    TypeInfo {
        name,
        title,
        inverse,
    }
}

impl RelationType {
    /// Each pair with its forward spelling first (`ownedBy` before `ownerOf`): the direction
    /// an arrow points when a drawing shows the pair as one edge.
    pub const ALL: [RelationType; 14] = [
        Self::OwnedBy,
        Self::OwnerOf,
        Self::ProvidesApi,
        Self::ApiProvidedBy,
        Self::ConsumesApi,
        Self::ApiConsumedBy,
        Self::DependsOn,
        Self::DependencyOf,
        Self::ParentOf,
        Self::ChildOf,
        Self::MemberOf,
        Self::HasMember,
        Self::PartOf,
        Self::HasPart,
    ];

    const fn info(self) -> TypeInfo {
        use RelationType::*;
        match self {
            OwnedBy => info("ownedBy", "Owned by", OwnerOf),
            OwnerOf => info("ownerOf", "Owner of", OwnedBy),
            ProvidesApi => info("providesApi", "Provides API", ApiProvidedBy),
            ApiProvidedBy => info("apiProvidedBy", "API provided by", ProvidesApi),
            ConsumesApi => info("consumesApi", "Consumes API", ApiConsumedBy),
            ApiConsumedBy => info("apiConsumedBy", "API consumed by", ConsumesApi),
            DependsOn => info("dependsOn", "Depends on", DependencyOf),
            DependencyOf => info("dependencyOf", "Dependency of", DependsOn),
            ParentOf => info("parentOf", "Parent of", ChildOf),
            ChildOf => info("childOf", "Child of", ParentOf),
            MemberOf => info("memberOf", "Member of", HasMember),
            HasMember => info("hasMember", "Has member", MemberOf),
            PartOf => info("partOf", "Part of", HasPart),
            HasPart => info("hasPart", "Has part", PartOf),
        }
    }

    /// The Backstage spelling, as `catalog.json` and the pages show it.
    pub const fn as_str(self) -> &'static str {
        self.info().name
    }

    pub const fn title(self) -> &'static str {
        self.info().title
    }

    pub const fn inverse(self) -> RelationType {
        self.info().inverse
    }

    /// Whether this is the forward spelling of its pair (the first of the two in `ALL`).
    pub fn is_forward(self) -> bool {
        Self::ALL
            .iter()
            .position(|t| *t == self)
            .is_some_and(|i| i % 2 == 0)
    }
}

/// By spelling, not declaration order: relations are listed by (type, target) as Backstage
/// spells the type, and output must not depend on how the variants are arranged.
impl Ord for RelationType {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for RelationType {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for RelationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RelationType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Kinds a rule applies to; `GENERIC` stands for every kind stagedoor does not know, so that
/// custom kinds still show up under their owner and system.
pub const GENERIC: &str = "*";

/// One spec field that declares relations; the target gets `forward.inverse()` back.
pub struct RelationRule {
    pub kinds: &'static [&'static str],
    pub field: &'static str,
    pub default_kind: Option<&'static str>,
    /// Relation on the entity holding the field (E → T).
    pub forward: RelationType,
}

const fn rule(
    kinds: &'static [&'static str],
    field: &'static str,
    default_kind: Option<&'static str>,
    forward: RelationType,
) -> RelationRule {
    RelationRule {
        kinds,
        field,
        default_kind,
        forward,
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
        RelationType::OwnedBy,
    ),
    rule(
        &["Component", "API", "Resource", GENERIC],
        "system",
        Some("System"),
        RelationType::PartOf,
    ),
    rule(
        &["Component"],
        "subcomponentOf",
        Some("Component"),
        RelationType::PartOf,
    ),
    rule(
        &["Component"],
        "providesApis",
        Some("API"),
        RelationType::ProvidesApi,
    ),
    rule(
        &["Component"],
        "consumesApis",
        Some("API"),
        RelationType::ConsumesApi,
    ),
    rule(
        &["Component", "Resource"],
        "dependsOn",
        None,
        RelationType::DependsOn,
    ),
    rule(
        &["Component", "Resource"],
        "dependencyOf",
        None,
        RelationType::DependencyOf,
    ),
    rule(&["System"], "domain", Some("Domain"), RelationType::PartOf),
    rule(
        &["Domain"],
        "subdomainOf",
        Some("Domain"),
        RelationType::PartOf,
    ),
    rule(&["Group"], "parent", Some("Group"), RelationType::ChildOf),
    rule(
        &["Group"],
        "children",
        Some("Group"),
        RelationType::ParentOf,
    ),
    rule(&["Group"], "members", Some("User"), RelationType::HasMember),
    rule(&["User"], "memberOf", Some("Group"), RelationType::MemberOf),
];

/// Rules that apply to a kind (exact case; unknown kinds get the generic ones).
pub fn rules_for(kind: &str, known: bool) -> impl Iterator<Item = &'static RelationRule> + '_ {
    let key = if known { kind } else { GENERIC };
    RULES.iter().filter(move |r| r.kinds.contains(&key))
}

/// A reference written in an entity's spec, with where it was written.
#[derive(Clone, Debug)]
pub struct DeclaredRef {
    pub field: &'static str,
    pub forward: RelationType,
    pub target: EntityRef,
    pub line: usize,
    pub col: usize,
}

/// Adds every declared relation to both ends and warns about refs to missing entities.
/// `declared[i]` belongs to `catalog.entities[i]`.
pub fn link_relations(catalog: &mut Catalog, declared: &[Vec<DeclaredRef>]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut sets: HashMap<EntityKey, BTreeSet<Relation>> = HashMap::new();
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
                            relation: d.forward.inverse(),
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
    fn every_relation_type_pairs_with_its_inverse() {
        for t in RelationType::ALL {
            assert_ne!(t.inverse(), t, "{t}");
            assert_eq!(t.inverse().inverse(), t, "{t}");
        }
    }

    #[test]
    fn relation_types_sort_and_serialize_as_backstage_spells_them() {
        let mut types = RelationType::ALL;
        types.sort();
        let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        let json = serde_json::to_string(&RelationType::ApiProvidedBy).expect("a str serializes");
        assert_eq!(json, "\"apiProvidedBy\"");
    }

    #[test]
    fn exactly_one_of_each_pair_is_forward() {
        for t in RelationType::ALL {
            assert_ne!(t.is_forward(), t.inverse().is_forward(), "{t}");
        }
        assert!(RelationType::DependsOn.is_forward());
        assert!(RelationType::OwnedBy.is_forward());
        assert!(!RelationType::HasPart.is_forward());
    }

    #[test]
    fn unknown_kinds_get_owner_and_system_only() {
        let fields: Vec<&str> = rules_for("AiResource", false).map(|r| r.field).collect();
        assert_eq!(fields, ["owner", "system"]);
    }
}
