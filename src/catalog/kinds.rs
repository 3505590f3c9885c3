//! The kinds stagedoor knows, as data: accepted apiVersions and the shape of each spec field
//! (spec §2). Validation walks this table; nothing kind-specific is hard-coded elsewhere.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    String,
    StringList,
    Object,
    List,
    /// Object or list (Template `parameters`).
    ObjectOrList,
}

impl Shape {
    pub fn describe(self) -> &'static str {
        match self {
            Shape::String => "a non-empty string",
            Shape::StringList => "a list of strings",
            Shape::Object => "a mapping",
            Shape::List => "a list",
            Shape::ObjectOrList => "a mapping or a list",
        }
    }
}

/// When a spec field must be present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Optional,
    Required,
    /// Required unless `spec.type` is this value (API `definition` vs `mcp-server`).
    UnlessType(&'static str),
    /// Required only when `spec.type` is this value.
    IfType(&'static str),
}

#[derive(Clone, Copy, Debug)]
pub struct SpecField {
    pub name: &'static str,
    pub shape: Shape,
    pub need: Need,
}

#[derive(Debug)]
pub struct KindRule {
    pub kind: &'static str,
    pub api_versions: &'static [&'static str],
    pub fields: &'static [SpecField],
}

const CORE: &[&str] = &["backstage.io/v1alpha1", "backstage.io/v1beta1"];

const fn field(name: &'static str, shape: Shape, need: Need) -> SpecField {
    SpecField { name, shape, need }
}

use Need::{IfType, Optional as Opt, Required as Req, UnlessType};
use Shape::{List, Object, ObjectOrList, String as Str, StringList};

pub const KINDS: &[KindRule] = &[
    KindRule {
        kind: "Component",
        api_versions: CORE,
        fields: &[
            field("type", Str, Req),
            field("lifecycle", Str, Req),
            field("owner", Str, Req),
            field("system", Str, Opt),
            field("subcomponentOf", Str, Opt),
            field("providesApis", StringList, Opt),
            field("consumesApis", StringList, Opt),
            field("dependsOn", StringList, Opt),
            field("dependencyOf", StringList, Opt),
        ],
    },
    KindRule {
        kind: "API",
        api_versions: CORE,
        fields: &[
            field("type", Str, Req),
            field("lifecycle", Str, Req),
            field("owner", Str, Req),
            field("system", Str, Opt),
            field("definition", Str, UnlessType("mcp-server")),
            field("remotes", List, IfType("mcp-server")),
        ],
    },
    KindRule {
        kind: "Resource",
        api_versions: CORE,
        fields: &[
            field("type", Str, Req),
            field("owner", Str, Req),
            field("system", Str, Opt),
            field("dependsOn", StringList, Opt),
            field("dependencyOf", StringList, Opt),
        ],
    },
    KindRule {
        kind: "System",
        api_versions: CORE,
        fields: &[
            field("owner", Str, Req),
            field("domain", Str, Opt),
            field("type", Str, Opt),
        ],
    },
    KindRule {
        kind: "Domain",
        api_versions: CORE,
        fields: &[
            field("owner", Str, Req),
            field("subdomainOf", Str, Opt),
            field("type", Str, Opt),
        ],
    },
    KindRule {
        kind: "Group",
        api_versions: CORE,
        fields: &[
            field("type", Str, Req),
            field("profile", Object, Opt),
            field("parent", Str, Opt),
            field("children", StringList, Req),
            field("members", StringList, Opt),
        ],
    },
    KindRule {
        kind: "User",
        api_versions: CORE,
        fields: &[
            field("profile", Object, Opt),
            field("memberOf", StringList, Req),
        ],
    },
    KindRule {
        kind: "Location",
        api_versions: CORE,
        fields: &[
            field("type", Str, Opt),
            field("target", Str, Opt),
            field("targets", StringList, Opt),
            field("presence", Str, Opt),
        ],
    },
    KindRule {
        kind: "Template",
        api_versions: &["scaffolder.backstage.io/v1beta3"],
        fields: &[
            field("type", Str, Req),
            field("steps", List, Req),
            field("owner", Str, Opt),
            field("lifecycle", Str, Opt),
            field("parameters", ObjectOrList, Opt),
            field("output", Object, Opt),
        ],
    },
];

/// The rule for a kind, matched with exact case as Backstage does.
pub fn kind_rule(kind: &str) -> Option<&'static KindRule> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// A known kind whose case differs (`component`), for a "did you mean" hint.
pub fn kind_with_other_case(kind: &str) -> Option<&'static str> {
    KINDS
        .iter()
        .find(|k| k.kind.eq_ignore_ascii_case(kind))
        .map(|k| k.kind)
}

/// Kinds in the order pages and counts list them.
pub const DISPLAY_ORDER: &[&str] = &[
    "component",
    "api",
    "resource",
    "system",
    "domain",
    "group",
    "user",
    "template",
    "location",
];

/// Kinds (lower case) whose entities are expected to have TechDocs, so a page without them
/// tells its maintainers how to add some. Backstage's app template puts the Docs tab on
/// component pages and on the default page (Resource, Template and any other kind without a
/// page of its own); System is added because organisations document systems as a whole. API
/// (its definition is its documentation), Domain, Group, User and Location pages have no
/// Docs tab, and a hint to add docs there only puzzles readers.
pub const DOCS_EXPECTED: &[&str] = &["component", "system", "resource", "template"];

pub fn docs_expected(kind: &str) -> bool {
    DOCS_EXPECTED.contains(&kind)
}

/// Position of a (lower-case) kind in `DISPLAY_ORDER`; unknown kinds sort after, by name.
pub fn display_rank(kind: &str) -> usize {
    DISPLAY_ORDER
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(DISPLAY_ORDER.len())
}
