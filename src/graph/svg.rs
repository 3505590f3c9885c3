//! Drawing: a laid-out `Graph` → a `<figure>` with an inline SVG and a legend of the kinds in
//! it. Nodes are links to their entity pages (relative URLs from `crate::urls`), shaped and
//! coloured by kind through CSS classes, so the theme's dark mode restyles them. The SVG
//! scales with its viewBox; the stylesheet keeps text legible on phones by letting the figure
//! scroll instead of shrinking past a minimum. Every text from the catalog is escaped.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::layout::{Layout, NODE_H, NODE_W, Point, Route};
use super::{Edge, Frame, Graph, Node, Role};
use crate::html::escape;
use crate::text::Tenths as T;
use crate::urls::{entity_dir, relative};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Box,
    Pill,
    Hexagon,
    Cylinder,
    Frame,
}

/// How each kind is drawn, in legend order; kinds not listed are boxes called by their name.
const KINDS: &[(&str, &str, Shape)] = &[
    ("domain", "Domain", Shape::Frame),
    ("system", "System", Shape::Frame),
    ("component", "Component", Shape::Box),
    ("api", "API", Shape::Hexagon),
    ("resource", "Resource", Shape::Cylinder),
    ("group", "Group", Shape::Pill),
    ("user", "User", Shape::Pill),
];

fn shape_of(kind: &str) -> Shape {
    match kind {
        "more" => Shape::Pill,
        _ => KINDS
            .iter()
            .find(|k| k.0 == kind)
            .map_or(Shape::Box, |k| k.2),
    }
}

fn kind_label(kind: &str) -> String {
    KINDS.iter().find(|k| k.0 == kind).map_or_else(
        || {
            let mut c = kind.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        },
        |k| k.1.to_string(),
    )
}

/// Characters of a name that fit in a node at the stylesheet's font size.
const LABEL_CHARS: usize = 22;
/// Below this share of its natural width the figure scrolls instead of shrinking further, so
/// 13 px labels stay at 10 px or more.
const MIN_SCALE: f64 = 0.77;

pub fn figure(graph: &Graph, layout: &Layout, frame: &Frame) -> String {
    let mut out = String::new();
    let id = escape(frame.id);
    let (w, h) = (layout.width.ceil(), layout.height.ceil());
    let _ = write!(
        out,
        r#"<figure class="graph" id="{id}"><div class="graph__scroll"><svg class="graph__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" style="min-width: {min}px" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        min = (w * MIN_SCALE).floor(),
        title = escape(frame.title),
        desc = escape(&describe(graph)),
    );
    let _ = write!(
        out,
        r#"<defs><marker id="{id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path class="graph__arrowhead" d="M0,1 L9,5 L0,9 z"/></marker></defs>"#
    );
    out.push_str(r#"<g class="graph__edges">"#);
    let labelled = labelled_edges(graph, layout);
    for ((edge, route), show) in graph.edges.iter().zip(&layout.routes).zip(labelled) {
        draw_edge(&mut out, edge, route, show, &id);
    }
    out.push_str(r#"</g><g class="graph__nodes">"#);
    for (node, centre) in graph.nodes.iter().zip(&layout.centres) {
        draw_node(&mut out, node, *centre, frame);
    }
    out.push_str("</g></svg></div>");
    legend(&mut out, graph);
    out.push_str("</figure>");
    out
}

/// The graph in words, for screen readers: every edge as "a dependsOn b".
fn describe(graph: &Graph) -> String {
    if graph.edges.is_empty() {
        return "No relations to other entities.".into();
    }
    let edges: Vec<String> = graph
        .edges
        .iter()
        .map(|e| {
            let label = if e.label.is_empty() {
                "relates to"
            } else {
                e.label
            };
            format!(
                "{} {label} {}",
                graph.nodes[e.from].label, graph.nodes[e.to].label
            )
        })
        .collect();
    format!("{}.", edges.join("; "))
}

/// Which edges carry their label: of edges fanning out of one node (or into one) with the
/// same label, only the middle one, so eight `dependsOn` arrows read as one bundle.
fn labelled_edges(graph: &Graph, layout: &Layout) -> Vec<bool> {
    let y = |i: usize| match &layout.routes[i] {
        Route::Path(p) => label_point(p).y,
        Route::Loop(c) => c.y,
    };
    let mut show = vec![true; graph.edges.len()];
    let ends: [fn(&Edge) -> usize; 2] = [|e| e.from, |e| e.to];
    for end in ends {
        let mut groups: std::collections::BTreeMap<(usize, &str), Vec<usize>> =
            std::collections::BTreeMap::new();
        for (i, e) in graph.edges.iter().enumerate() {
            groups.entry((end(e), e.label)).or_default().push(i);
        }
        for mut group in groups.into_values().filter(|g| g.len() > 1) {
            group.sort_by(|&a, &b| y(a).total_cmp(&y(b)).then(a.cmp(&b)));
            let middle = group[(group.len() - 1) / 2];
            for i in group {
                show[i] &= i == middle;
            }
        }
    }
    show
}

fn draw_edge(out: &mut String, edge: &Edge, route: &Route, show_label: bool, id: &str) {
    let (d, label_at) = match route {
        Route::Loop(c) => {
            let top = c.y - NODE_H / 2.0;
            let d = format!(
                "M{},{top} C{},{} {},{} {},{top}",
                T(c.x - 14.0),
                T(c.x - 22.0),
                T(top - 26.0),
                T(c.x + 22.0),
                T(top - 26.0),
                T(c.x + 14.0),
                top = T(top),
            );
            (
                d,
                Point {
                    x: c.x,
                    y: top - 24.0,
                },
            )
        }
        Route::Path(points) => (curve(points), label_point(points)),
    };
    let class = if edge.label.is_empty() {
        "graph__edge graph__edge--folded"
    } else {
        "graph__edge"
    };
    let _ = write!(
        out,
        r#"<g class="{class}"><path class="graph__line" d="{d}" marker-end="url(#{id}-arrow)"/>"#
    );
    if show_label && !edge.label.is_empty() {
        let _ = write!(
            out,
            r#"<text class="graph__edge-label" x="{}" y="{}">{}</text>"#,
            T(label_at.x),
            T(label_at.y - 4.0),
            escape(edge.label)
        );
    }
    out.push_str("</g>");
}

/// Cubic segments with horizontal tangents through the route's points.
fn curve(points: &[Point]) -> String {
    let mut d = String::new();
    let Some(first) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{},{}", T(first.x), T(first.y));
    for w in points.windows(2) {
        let (p, q) = (w[0], w[1]);
        let mid = (p.x + q.x) / 2.0;
        let _ = write!(
            d,
            " C{mid},{} {mid},{} {},{}",
            T(p.y),
            T(q.y),
            T(q.x),
            T(q.y),
            mid = T(mid),
        );
    }
    d
}

/// The middle of the route's middle segment.
fn label_point(points: &[Point]) -> Point {
    let k = points.len().saturating_sub(2) / 2;
    match (points.get(k), points.get(k + 1)) {
        (Some(p), Some(q)) => Point {
            x: (p.x + q.x) / 2.0,
            y: (p.y + q.y) / 2.0,
        },
        (Some(p), None) => *p,
        _ => Point { x: 0.0, y: 0.0 },
    }
}

fn draw_node(out: &mut String, node: &Node, c: Point, frame: &Frame) {
    let role = match node.role {
        Role::Focus => " graph__node--focus",
        Role::Entity => "",
        Role::External => " graph__node--external",
        Role::Dangling => " graph__node--dangling",
        Role::More(_) => " graph__node--more",
    };
    let class = format!(
        "graph__node graph__node--kind-{}{role}",
        css_ident(&node.kind)
    );
    let href = match (&node.entity, node.role) {
        (_, Role::More(_)) => Some(format!("#{}", frame.all_anchor)),
        (_, Role::Dangling | Role::Focus) | (None, _) => None,
        (Some(r), _) => Some(relative(frame.page_dir, &frame.urls.href(&entity_dir(r)))),
    };
    let tooltip = match (&node.entity, node.role) {
        (Some(r), Role::Dangling) => format!("{r} (not in the catalog)"),
        (Some(r), _) => format!("{} ({r})", node.label),
        (None, _) => format!("{}: show them all", node.label),
    };
    // The ref, for scripts and tests that follow a node to its page.
    let data_ref = match &node.entity {
        Some(r) => format!(r#" data-ref="{}""#, escape(&r.to_string())),
        None => String::new(),
    };
    match &href {
        Some(h) => {
            let _ = write!(out, r#"<a class="{class}"{data_ref} href="{}">"#, escape(h));
        }
        None => {
            let _ = write!(out, r#"<g class="{class}"{data_ref}>"#);
        }
    }
    let _ = write!(out, "<title>{}</title>", escape(&tooltip));
    out.push_str(&shape(shape_of(&node.kind), c, NODE_W, NODE_H));
    let kind_line = match node.role {
        Role::More(_) => String::new(),
        Role::Dangling => format!("{} · missing", kind_label(&node.kind)),
        _ => kind_label(&node.kind),
    };
    if kind_line.is_empty() {
        let _ = write!(
            out,
            r#"<text class="graph__name" x="{}" y="{}">{}</text>"#,
            T(c.x),
            T(c.y + 4.5),
            escape(&node.label)
        );
    } else {
        let _ = write!(
            out,
            r#"<text class="graph__kind" x="{}" y="{}">{}</text><text class="graph__name" x="{}" y="{}">{}</text>"#,
            T(c.x),
            T(c.y - 5.0),
            escape(&kind_line),
            T(c.x),
            T(c.y + 12.0),
            escape(&shorten(&node.label))
        );
    }
    out.push_str(if href.is_some() { "</a>" } else { "</g>" });
}

/// A name cut to what fits, with an ellipsis; the node's `<title>` keeps it whole.
fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{cut}…")
}

/// Kinds may be any word (custom kinds); a class name keeps letters, digits and dashes.
fn css_ident(kind: &str) -> String {
    kind.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// The outline of a node of size `w`×`h` centred on `c`.
fn shape(shape: Shape, c: Point, w: f64, h: f64) -> String {
    let (x, y) = (c.x - w / 2.0, c.y - h / 2.0);
    let rect = |class: &str, rx: f64| {
        format!(
            r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}" rx="{}"/>"#,
            T(x),
            T(y),
            T(w),
            T(h),
            T(rx)
        )
    };
    match shape {
        Shape::Box => rect("graph__shape", h * 0.09),
        Shape::Frame => rect("graph__shape graph__shape--frame", h * 0.23),
        Shape::Pill => rect("graph__shape", h / 2.0),
        Shape::Hexagon => {
            let i = (h / 2.5).min(w / 4.0);
            format!(
                r#"<polygon class="graph__shape" points="{},{} {},{y} {},{y} {},{} {},{} {},{}"/>"#,
                T(x),
                T(c.y),
                T(x + i),
                T(x + w - i),
                T(x + w),
                T(c.y),
                T(x + w - i),
                T(y + h),
                T(x + i),
                T(y + h),
                y = T(y),
            )
        }
        Shape::Cylinder => {
            let r = (h / 7.0).min(6.0);
            format!(
                r#"<path class="graph__shape" d="M{x},{} a{},{r} 0 0 1 {w},0 v{} a{},{r} 0 0 1 -{w},0 z"/><path class="graph__shape-line" d="M{x},{} a{},{r} 0 0 0 {w},0"/>"#,
                T(y + r),
                T(w / 2.0),
                T(h - 2.0 * r),
                T(w / 2.0),
                T(y + r),
                T(w / 2.0),
                x = T(x),
                r = T(r),
                w = T(w),
            )
        }
    }
}

/// One key per kind present, with the kind's own shape in small.
fn legend(out: &mut String, graph: &Graph) {
    let kinds: BTreeSet<&str> = graph
        .nodes
        .iter()
        .filter(|n| !matches!(n.role, Role::More(_)))
        .map(|n| n.kind.as_str())
        .collect();
    let mut ordered: Vec<&str> = KINDS
        .iter()
        .map(|k| k.0)
        .filter(|k| kinds.contains(k))
        .collect();
    ordered.extend(kinds.iter().filter(|k| !KINDS.iter().any(|x| x.0 == **k)));
    out.push_str(r#"<figcaption class="graph__legend"><ul>"#);
    for kind in ordered {
        let c = Point { x: 14.0, y: 9.0 };
        let _ = write!(
            out,
            r#"<li><svg class="graph__key" viewBox="0 0 28 18" width="28" height="18" aria-hidden="true"><g class="graph__node graph__node--kind-{}">{}</g></svg>{}</li>"#,
            css_ident(kind),
            shape(shape_of(kind), c, 24.0, 14.0),
            escape(&kind_label(kind))
        );
    }
    if graph.nodes.iter().any(|n| n.role == Role::Dangling) {
        let _ = write!(
            out,
            r#"<li><svg class="graph__key" viewBox="0 0 28 18" width="28" height="18" aria-hidden="true"><g class="graph__node graph__node--dangling">{}</g></svg>Not in the catalog</li>"#,
            shape(Shape::Box, Point { x: 14.0, y: 9.0 }, 24.0, 14.0)
        );
    }
    out.push_str("</ul></figcaption>");
}
