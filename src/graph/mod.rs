//! Relation graphs: the catalog around one entity (its neighbourhood, or a System's or
//! Domain's architecture) → a layered layout → inline SVG for its page. Reads the catalog and
//! the URL scheme; `render` puts the drawings on entity pages. The pipeline per drawing is
//! `neighbourhood`/`architecture` (which nodes and edges) → `fold_ranks` (cap every column)
//! → `layout` → `svg`.

pub mod architecture;
pub mod layout;
pub mod neighbourhood;
pub mod svg;

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::{Catalog, Entity, EntityRef, RelationType};
use crate::config::GraphConfig;
use crate::urls::Urls;

/// What a node stands for: it decides the node's look and whether it links anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// The entity whose page this is.
    Focus,
    /// An entity of the catalog, linked to its page.
    Entity,
    /// Outside the drawing's system: another system standing for its members, or an entity
    /// of no system. Linked, drawn fainter.
    External,
    /// A ref to an entity the catalog does not hold: dashed, not linked.
    Dangling,
    /// "and N more": entities of a full column, listed in full below the drawing.
    More(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The entity this node stands for (None for "and N more").
    pub entity: Option<EntityRef>,
    /// Lower-case kind, for the node's shape and colour.
    pub kind: String,
    pub label: String,
    pub role: Role,
}

/// One arrow: `from` → `to`, labelled with the forward spelling of the relation pair
/// (`dependsOn`, never `dependencyOf`), or "" where a folded node stands for several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub label: &'static str,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// A drawing ready for a page: the `<figure>` with its SVG and legend, and every entity the
/// full graph held (also the folded ones), for the list the "and N more" node links to.
#[derive(Clone, Debug)]
pub struct Drawing {
    pub html: String,
    pub members: Vec<EntityRef>,
    /// Entities folded into "and N more" nodes.
    pub hidden: usize,
    /// Whether the drawing has any edge (a lone node says nothing).
    pub has_edges: bool,
}

/// The drawing's place in the page: ids for the SVG's parts and where links start from.
pub struct Frame<'a> {
    /// Unique in the page: prefixes the ids of the SVG's title, description and marker.
    pub id: &'a str,
    pub title: &'a str,
    /// The site-relative folder of the page the drawing is on.
    pub page_dir: &'a str,
    pub urls: Urls,
    /// The fragment "and N more" nodes link to (the full list of members).
    pub all_anchor: &'a str,
}

/// The relation graph of an entity's page.
pub fn entity_drawing(
    catalog: &Catalog,
    focus: &Entity,
    config: GraphConfig,
    frame: &Frame,
) -> Drawing {
    let graph = neighbourhood::collect(catalog, focus, config.depth);
    draw(graph, config, frame)
}

/// The architecture view of a System's or Domain's page; None for other kinds.
pub fn architecture_drawing(
    catalog: &Catalog,
    entity: &Entity,
    config: GraphConfig,
    frame: &Frame,
) -> Option<Drawing> {
    let graph = architecture::collect(catalog, entity)?;
    Some(draw(graph, config, frame))
}

fn draw(graph: Graph, config: GraphConfig, frame: &Frame) -> Drawing {
    let members: Vec<EntityRef> = graph
        .nodes
        .iter()
        .filter(|n| n.role != Role::Focus)
        .filter_map(|n| n.entity.clone())
        .collect();
    let folded = fold_ranks(graph, config.max_per_rank);
    let hidden = folded
        .nodes
        .iter()
        .map(|n| match n.role {
            Role::More(k) => k,
            _ => 0,
        })
        .sum();
    let pairs: Vec<(usize, usize)> = folded.edges.iter().map(|e| (e.from, e.to)).collect();
    let placed = layout::layout(folded.nodes.len(), &pairs);
    Drawing {
        html: svg::figure(&folded, &placed, frame),
        members,
        hidden,
        has_edges: !folded.edges.is_empty(),
    }
}

/// Caps every column at `max` nodes: the first `max - 1` (the graph's order: nearest first)
/// stay, the rest become one "and N more" node that takes over their edges.
pub fn fold_ranks(graph: Graph, max: usize) -> Graph {
    let pairs: Vec<(usize, usize)> = graph.edges.iter().map(|e| (e.from, e.to)).collect();
    let ranks = layout::ranks(graph.nodes.len(), &pairs);
    let mut columns: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &r) in ranks.iter().enumerate() {
        columns.entry(r).or_default().push(i);
    }
    if columns.values().all(|c| c.len() <= max) {
        return graph;
    }
    // Where each old node goes in the folded graph.
    let mut target: Vec<Option<usize>> = vec![None; graph.nodes.len()];
    let mut nodes = Vec::new();
    let mut folds: Vec<(Vec<usize>, usize)> = Vec::new();
    for column in columns.values() {
        let keep = max.saturating_sub(1).max(1);
        let mut kept = Vec::new();
        let mut rest = Vec::new();
        for (pos, &i) in column.iter().enumerate() {
            if column.len() <= max || pos < keep || graph.nodes[i].role == Role::Focus {
                kept.push(i);
            } else {
                rest.push(i);
            }
        }
        for i in kept {
            target[i] = Some(nodes.len());
            nodes.push(graph.nodes[i].clone());
        }
        if !rest.is_empty() {
            folds.push((rest, 0));
        }
    }
    for (rest, at) in &mut folds {
        *at = nodes.len();
        for &i in rest.iter() {
            target[i] = Some(*at);
        }
        nodes.push(Node {
            entity: None,
            kind: "more".into(),
            label: format!("and {} more", rest.len()),
            role: Role::More(rest.len()),
        });
    }
    let mut labels: BTreeMap<(usize, usize), BTreeSet<&'static str>> = BTreeMap::new();
    for e in &graph.edges {
        if let (Some(a), Some(b)) = (target[e.from], target[e.to])
            && (a != b || e.from == e.to)
        {
            labels.entry((a, b)).or_default().insert(e.label);
        }
    }
    let edges = labels
        .into_iter()
        .flat_map(|((from, to), set)| {
            let folded = matches!(nodes[from].role, Role::More(_))
                || matches!(nodes[to].role, Role::More(_));
            let set: Vec<&'static str> = if folded && set.len() > 1 {
                vec![""]
            } else {
                set.into_iter().collect()
            };
            set.into_iter().map(move |label| Edge { from, to, label })
        })
        .collect();
    Graph { nodes, edges }
}

/// Which neighbours stay when a column is full, first to last: where an entity belongs and who
/// owns it say most about it; kinds not listed come after these.
const KIND_PRIORITY: &[&str] = &[
    "system",
    "domain",
    "group",
    "api",
    "component",
    "resource",
    "user",
];

fn kind_priority(kind: &str) -> usize {
    KIND_PRIORITY
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(KIND_PRIORITY.len())
}

/// Collects nodes by entity and edges by (from, to, label); `finish` orders both, so the
/// graph does not depend on the order things were added in.
#[derive(Default)]
pub(crate) struct Builder {
    /// Entity key → (sort key: distance, role, kind priority; node).
    nodes: BTreeMap<String, ((usize, Role, usize), Node)>,
    edges: BTreeSet<(String, String, &'static str)>,
}

impl Builder {
    pub(crate) fn contains(&self, r: &EntityRef) -> bool {
        self.nodes.contains_key(r.key().as_str())
    }

    /// Adds the node for `r` at `distance` from the drawing's centre (kept if already there).
    pub(crate) fn node(&mut self, catalog: &Catalog, r: &EntityRef, distance: usize, role: Role) {
        let key = r.key().as_str().to_string();
        if self.nodes.contains_key(&key) {
            return;
        }
        let node = match catalog.get(r) {
            Some(e) => Node {
                entity: Some(e.entity_ref.clone()),
                kind: e.entity_ref.kind.clone(),
                label: e.display_name().to_string(),
                role,
            },
            None => Node {
                entity: Some(r.clone()),
                kind: r.kind.clone(),
                label: r.name.clone(),
                role: Role::Dangling,
            },
        };
        let sort = (distance, node.role, kind_priority(&node.kind));
        self.nodes.insert(key, (sort, node));
    }

    /// An edge for a relation of `from` to `to`, drawn in the pair's forward direction.
    pub(crate) fn relation(&mut self, from: &EntityRef, relation: RelationType, to: &EntityRef) {
        let (a, b, t) = if relation.is_forward() {
            (from, to, relation)
        } else {
            (to, from, relation.inverse())
        };
        self.edge(a, b, t.as_str());
    }

    pub(crate) fn edge(&mut self, from: &EntityRef, to: &EntityRef, label: &'static str) {
        self.edges.insert((
            from.key().as_str().to_string(),
            to.key().as_str().to_string(),
            label,
        ));
    }

    pub(crate) fn finish(self) -> Graph {
        let mut ordered: Vec<(String, (usize, Role, usize), Node)> = self
            .nodes
            .into_iter()
            .map(|(k, (sort, n))| (k, sort, n))
            .collect();
        ordered.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        let index: BTreeMap<&str, usize> = ordered
            .iter()
            .enumerate()
            .map(|(i, (k, _, _))| (k.as_str(), i))
            .collect();
        let mut edges: Vec<Edge> = self
            .edges
            .iter()
            .filter_map(|(a, b, label)| {
                Some(Edge {
                    from: *index.get(a.as_str())?,
                    to: *index.get(b.as_str())?,
                    label,
                })
            })
            .collect();
        edges.sort();
        Graph {
            nodes: ordered.into_iter().map(|(_, _, n)| n).collect(),
            edges,
        }
    }
}

/// The system an entity is part of, if any.
pub(crate) fn system_of(e: &Entity) -> Option<&EntityRef> {
    e.related(RelationType::PartOf).find(|t| t.kind == "system")
}

#[cfg(test)]
pub(crate) mod testkit;

#[cfg(test)]
mod tests;
