//! The catalog model: plain data produced by `catalog::load_catalog` and only read afterwards.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;

use super::refs::{EntityKey, EntityRef};
use super::relations::RelationType;

/// Where an entity came from: its file, the line of its document, and its repository root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    pub file: PathBuf,
    pub line: usize,
    pub repo: PathBuf,
    /// The repository's web URL when the site config gives one (`repo_url`).
    pub repo_url: Option<String>,
    /// The Location entity whose target led to this file (None: found by the walk).
    pub location: Option<EntityRef>,
    /// Where `spec.definition` was read from: the file a placeholder named (line 1), else
    /// this file at the field's line. Kept because substitution forgets it, and an API
    /// reference needs it for its diagnostics and for relative `$ref`s.
    #[serde(skip)]
    pub definition: Option<DefinitionAt>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinitionAt {
    pub file: PathBuf,
    /// The line of the definition's first line of text.
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub link_type: Option<String>,
}

/// One edge of the relation graph, as Backstage stores it on the source entity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Relation {
    #[serde(rename = "type")]
    pub relation: RelationType,
    pub target: EntityRef,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entity {
    pub entity_ref: EntityRef,
    /// The kind as written (`Component`); `entity_ref.kind` is its lower-case form.
    pub kind: String,
    pub api_version: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    pub tags: Vec<String>,
    pub links: Vec<Link>,
    /// The whole `spec` after placeholder substitution.
    pub spec: serde_json::Value,
    /// The rest of the document after substitution and defaulting, its `spec` (when it has
    /// one) null but in its place: the spec is kept once, in `spec`; `document()` puts the
    /// two together.
    pub raw: serde_json::Value,
    pub source: Source,
    /// Whether stagedoor knows this kind (unknown kinds render as generic entities).
    pub known_kind: bool,
    /// Sorted by (type, target) and free of duplicates.
    pub relations: Vec<Relation>,
}

impl Entity {
    /// The whole document after substitution and defaulting, as `catalog.json` shows it.
    pub fn document(&self) -> serde_json::Value {
        let mut doc = self.raw.clone();
        if let Some(spec) = doc.get_mut("spec") {
            *spec = self.spec.clone();
        }
        doc
    }

    /// An entity with only its ref and relations (the kind spelled as Backstage does), as
    /// tests and benchmarks make them without reading catalog files.
    pub fn bare(entity_ref: EntityRef, relations: Vec<Relation>) -> Entity {
        let kind = match entity_ref.kind.as_str() {
            "api" => "API".to_string(),
            k => k[..1].to_uppercase() + &k[1..],
        };
        Entity {
            kind,
            api_version: "backstage.io/v1alpha1".into(),
            title: None,
            description: None,
            labels: Vec::new(),
            annotations: Vec::new(),
            tags: Vec::new(),
            links: Vec::new(),
            spec: serde_json::json!({}),
            raw: serde_json::json!({}),
            source: Source {
                file: PathBuf::from("catalog-info.yaml"),
                line: 1,
                repo: PathBuf::from("."),
                repo_url: None,
                location: None,
                definition: None,
            },
            known_kind: true,
            relations,
            entity_ref,
        }
    }

    pub fn name(&self) -> &str {
        &self.entity_ref.name
    }

    pub fn namespace(&self) -> &str {
        &self.entity_ref.namespace
    }

    /// What people read: `metadata.title`, else a group's or user's profile display name,
    /// else the name.
    pub fn display_name(&self) -> &str {
        let profile = self
            .spec
            .get("profile")
            .and_then(|p| p.get("displayName"))
            .and_then(|d| d.as_str());
        self.title
            .as_deref()
            .or(profile.map(str::trim).filter(|s| !s.is_empty()))
            .unwrap_or(&self.entity_ref.name)
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn spec_str(&self, field: &str) -> Option<&str> {
        self.spec.get(field).and_then(|v| v.as_str())
    }

    /// Targets of every relation of one type, in order.
    pub fn related(&self, relation: RelationType) -> impl Iterator<Item = &EntityRef> + '_ {
        self.relations
            .iter()
            .filter(move |r| r.relation == relation)
            .map(|r| &r.target)
    }
}

/// All valid entities, sorted by ref, with a case-insensitive index.
#[derive(Debug, Default)]
pub struct Catalog {
    pub entities: Vec<Entity>,
    index: HashMap<EntityKey, usize>,
}

impl Catalog {
    pub fn new(mut entities: Vec<Entity>) -> Self {
        entities.sort_by_key(|e| e.entity_ref.key());
        let index = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.entity_ref.key(), i))
            .collect();
        Catalog { entities, index }
    }

    pub fn get(&self, r: &EntityRef) -> Option<&Entity> {
        self.index.get(&r.key()).map(|&i| &self.entities[i])
    }

    pub fn get_key(&self, key: &EntityKey) -> Option<&Entity> {
        self.index.get(key).map(|&i| &self.entities[i])
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}
