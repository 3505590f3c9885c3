//! Entity references: `[<kind>:][<namespace>/]<name>` parsed exactly as Backstage's
//! `parseEntityRef` does, with a field's default kind and the referencing entity's namespace.

use std::fmt;

use serde::Serialize;

/// A parsed reference. Kind and namespace are stored lower-case (they are case-insensitive
/// everywhere); the name keeps its case for display, and `key()` lower-cases it for lookups.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EntityRef {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefError {
    Empty,
    BadForm,
    MissingKind,
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RefError::Empty => "entity reference is empty",
            RefError::BadForm => {
                "entity reference is not on the form [<kind>:][<namespace>/]<name>"
            }
            RefError::MissingKind => {
                "entity reference has no kind, and this field has no default kind"
            }
        })
    }
}

impl EntityRef {
    pub fn new(kind: &str, namespace: &str, name: &str) -> Self {
        EntityRef {
            kind: kind.to_ascii_lowercase(),
            namespace: namespace.to_ascii_lowercase(),
            name: name.to_string(),
        }
    }

    /// Parses `text` with the field's default kind (None: the kind must be written) and the
    /// namespace of the entity holding the reference.
    pub fn parse(
        text: &str,
        default_kind: Option<&str>,
        default_namespace: &str,
    ) -> Result<Self, RefError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(RefError::Empty);
        }
        let slash = text.find('/');
        // A colon after the first slash belongs to the name.
        let colon = text.find(':').filter(|&c| slash.is_none_or(|s| c < s));
        let kind = colon.map(|c| &text[..c]);
        let namespace = slash.map(|s| &text[colon.map_or(0, |c| c + 1)..s]);
        let name_start = match (colon, slash) {
            (_, Some(s)) => s + 1,
            (Some(c), None) => c + 1,
            (None, None) => 0,
        };
        let name = &text[name_start..];
        if kind == Some("") || namespace == Some("") || name.is_empty() {
            return Err(RefError::BadForm);
        }
        let kind = kind.or(default_kind).ok_or(RefError::MissingKind)?;
        Ok(EntityRef::new(
            kind,
            namespace.unwrap_or(default_namespace),
            name,
        ))
    }

    /// `kind:name` in the default namespace, `kind:namespace/name` elsewhere, as Backstage
    /// shows refs.
    pub fn short(&self) -> String {
        if self.namespace == "default" {
            format!("{}:{}", self.kind, self.name)
        } else {
            self.to_string()
        }
    }

    /// The canonical, all lower-case `kind:namespace/name` used for lookups and `targetRef`s.
    pub fn key(&self) -> EntityKey {
        // Built by hand: every catalog lookup makes one, and `format!` with a lower-cased
        // copy of the name cost two allocations and the formatting machinery.
        let (kind, namespace, name) = (&self.kind, &self.namespace, &self.name);
        let mut key = String::with_capacity(kind.len() + namespace.len() + name.len() + 2);
        key.push_str(kind);
        key.push(':');
        key.push_str(namespace);
        key.push('/');
        if name.is_ascii() {
            key.extend(name.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            key.push_str(&name.to_lowercase());
        }
        EntityKey(key)
    }
}

/// An entity's identity for lookups: its ref in Backstage's canonical, all lower-case form
/// (`component:default/etlpipeline`). Two refs that differ only in the case of the name are
/// one entity, as in Backstage.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EntityKey(String);

impl EntityKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<&str> for EntityKey {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for EntityRef {
    /// `kind:namespace/name` with the name's original case.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}/{}", self.kind, self.namespace, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, kind: Option<&str>) -> Result<String, RefError> {
        EntityRef::parse(text, kind, "alternative").map(|r| r.key().to_string())
    }

    #[test]
    fn spec_examples() {
        assert_eq!(
            parse("team-a", Some("Group")).unwrap(),
            "group:alternative/team-a"
        );
        assert_eq!(
            parse("default/team-a", Some("Group")).unwrap(),
            "group:default/team-a"
        );
        assert_eq!(
            parse("user:guest", Some("Group")).unwrap(),
            "user:alternative/guest"
        );
        assert_eq!(
            parse("Group:Default/Team-A", Some("Group")).unwrap(),
            "group:default/team-a"
        );
        assert_eq!(
            parse("backstage/maintainers", Some("Group")).unwrap(),
            "group:backstage/maintainers"
        );
    }

    #[test]
    fn colon_after_slash_belongs_to_the_name() {
        let r = EntityRef::parse("ns/a:b", Some("component"), "default").unwrap();
        assert_eq!((r.namespace.as_str(), r.name.as_str()), ("ns", "a:b"));
        let r = EntityRef::parse("a/b/c", Some("component"), "default").unwrap();
        assert_eq!((r.namespace.as_str(), r.name.as_str()), ("a", "b/c"));
    }

    #[test]
    fn empty_parts_are_errors() {
        for bad in [":foo", "group:/x", "ns/", "component:", ""] {
            assert!(parse(bad, Some("Group")).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn fields_without_default_kind_need_one() {
        assert_eq!(parse("my-db", None), Err(RefError::MissingKind));
        assert_eq!(
            parse("resource:my-db", None).unwrap(),
            "resource:alternative/my-db"
        );
    }

    #[test]
    fn name_case_is_kept_for_display_but_not_for_keys() {
        let r = EntityRef::parse("component:ETLPipeline", None, "default").unwrap();
        assert_eq!(r.to_string(), "component:default/ETLPipeline");
        assert_eq!(r.key(), "component:default/etlpipeline");
        // Beyond ASCII, lower-cased as Unicode says (İ has a two-character lower case).
        let r = EntityRef::parse("group:Équipe-İSTANBUL", None, "default").unwrap();
        assert_eq!(r.key(), "group:default/équipe-i\u{307}stanbul");
    }
}
