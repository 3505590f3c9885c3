//! Graphviz (DOT) fences drawn at build time with `layout-rs` (pure Rust, no `dot` binary).
//!
//! The SVG is inlined into the page, so it is never trusted as is: the crate's output is
//! rewritten (page-wide `<style>` classes become attributes, ids get a per-diagram prefix,
//! black and white become the page's colours for dark mode) and then checked element by
//! element against an allowlist; anything else keeps the block shown as code.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{LazyLock, mpsc};
use std::time::Duration;

use layout::backends::svg::SVGWriter;
use layout::gv::{DotParser, GraphBuilder};
use regex::Regex;

/// Larger sources are shown as code: the layout is super-linear and must not stall a build.
pub const MAX_DOT_BYTES: usize = 16 * 1024;
/// Edges (`->`, `--`) beyond which the layout is not attempted: its time grows steeply with
/// dense graphs (60 nodes and 100 edges take seconds, 150 edges tens of seconds, unoptimised).
pub const MAX_DOT_EDGES: usize = 80;
/// The layout runs on its own thread and is given up after this: the build never waits longer.
pub const DOT_TIME_LIMIT: Duration = Duration::from_secs(5);

/// Why a DOT block stays as code.
#[derive(Debug, PartialEq, Eq)]
pub enum DotError {
    /// The text is not DOT (the parser's message).
    Syntax(String),
    /// Too large to lay out at build time, or the layout took too long.
    TooLarge,
    /// The layout crate failed (panicked) or produced something outside the allowlist.
    Layout,
}

impl DotError {
    pub fn message(&self) -> String {
        match self {
            DotError::Syntax(m) => format!("Graphviz block is not valid DOT: {m}; shown as code"),
            DotError::TooLarge => format!(
                "Graphviz block is larger than {} KiB or {MAX_DOT_EDGES} edges, or took over {} s \
                 to lay out; shown as code (split it, or draw it elsewhere and include the SVG \
                 as an image)",
                MAX_DOT_BYTES / 1024,
                DOT_TIME_LIMIT.as_secs()
            ),
            DotError::Layout => {
                "Graphviz block could not be laid out (unsupported feature); shown as code".into()
            }
        }
    }
}

/// The diagram as an inline `<svg>` element, or why not.
pub fn render_dot(text: &str) -> Result<String, DotError> {
    let edges = text.matches("->").count() + text.matches("--").count();
    if text.len() > MAX_DOT_BYTES || edges > MAX_DOT_EDGES {
        return Err(DotError::TooLarge);
    }
    let raw = layout_in_time(text.to_string(), DOT_TIME_LIMIT)?;
    let svg = rewrite(&raw, &id_prefix(text));
    if is_allowed(&svg) {
        Ok(svg)
    } else {
        Err(DotError::Layout)
    }
}

/// The layout on a thread of its own, panics caught; past `limit` the thread is left to finish
/// on its own (it cannot be stopped) and the block stays as code.
fn layout_in_time(text: String, limit: Duration) -> Result<String, DotError> {
    let (send, receive) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("dot-layout".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| layout_svg(&text)));
            let _ = send.send(result.unwrap_or(Err(DotError::Layout)));
        });
    if spawned.is_err() {
        return Err(DotError::Layout);
    }
    receive
        .recv_timeout(limit)
        .unwrap_or(Err(DotError::TooLarge))
}

fn layout_svg(text: &str) -> Result<String, DotError> {
    let mut parser = DotParser::new(text);
    let graph = parser.process().map_err(DotError::Syntax)?;
    let mut builder = GraphBuilder::new();
    builder.visit_graph(&graph);
    let mut visual = builder.get();
    if visual.num_nodes() == 0 {
        return Err(DotError::Syntax("the graph has no nodes".into()));
    }
    let mut writer = SVGWriter::new();
    visual.do_it(false, false, false, &mut writer);
    Ok(writer.finalize())
}

/// Ids are page-global once inlined: two diagrams' `arrow0` would cross-reference.
/// A hash of the source keeps the output deterministic.
fn id_prefix(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("dot{:08x}-", hash as u32)
}

static STYLE_BLOCK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<style>.*?</style>\s*").expect("valid regex"));
static FONT_CLASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"class="a(\d+)""#).expect("valid regex"));
static IDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r##"(id="|url\(#|href="#)(arrow\d+|C\d+|startarrow|endarrow)"##)
        .expect("valid regex")
});

fn rewrite(raw: &str, prefix: &str) -> String {
    let svg = raw.split_once("?>").map_or(raw, |(_, rest)| rest).trim();
    // The crate's `<style>` would style the whole page (`.a15 {…}`); sizes become attributes.
    let svg = STYLE_BLOCK.replace_all(svg, "");
    let svg = FONT_CLASS.replace_all(&svg, r#"font-size="$1""#);
    let svg = IDS.replace_all(&svg, format!("${{1}}{prefix}${{2}}"));
    // Black lines and text follow the page's text colour, white fills become see-through:
    // the diagram reads in the dark scheme too. Chosen colours are kept.
    svg.replace("\"#000000ff\"", "\"currentColor\"")
        .replace("fill=\"#ffffffff\"", "fill=\"none\"")
        // `context-stroke` arrowheads are drawn black by browsers that lack it.
        .replace("fill=\"context-stroke\"", "fill=\"currentColor\"")
        .replace("<text ", "<text fill=\"currentColor\" ")
        .replace("<text>", "<text fill=\"currentColor\">")
        .replacen(
            "<svg ",
            "<svg class=\"dot-diagram\" role=\"img\" style=\"max-width: 100%; height: auto\" ",
            1,
        )
}

const ELEMENTS: &[&str] = &[
    "svg", "defs", "marker", "polygon", "g", "rect", "ellipse", "text", "tspan", "path",
    "textPath", "line", "clipPath", "polyline", "circle",
];
const ATTRIBUTES: &[&str] = &[
    "class",
    "role",
    "style",
    "width",
    "height",
    "viewBox",
    "xmlns",
    "id",
    "markerWidth",
    "markerHeight",
    "refX",
    "refY",
    "orient",
    "points",
    "fill",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "x",
    "y",
    "rx",
    "ry",
    "cx",
    "cy",
    "r",
    "x1",
    "y1",
    "x2",
    "y2",
    "d",
    "dy",
    "dominant-baseline",
    "text-anchor",
    "font-size",
    "clip-path",
    "marker-start",
    "marker-end",
    "href",
    "startOffset",
];

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(/?)([^\s/>]*)([^>]*)>").expect("valid regex"));
static ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"([^\s=/]+)\s*=\s*"([^"]*)""#).expect("valid regex"));

/// Every element and attribute is one the renderer writes, and every reference stays inside
/// the diagram: no script, handler, foreignObject or outside URL can be in an allowed string.
fn is_allowed(svg: &str) -> bool {
    TAG.captures_iter(svg).all(|tag| {
        ELEMENTS.contains(&&tag[2])
            && ATTR.captures_iter(&tag[3]).all(|a| {
                let value = &a[2];
                ATTRIBUTES.contains(&&a[1])
                    && (&a[1] != "href" || value.starts_with('#'))
                    && !value.contains(['<', '&', '\\'])
                    && (!value.contains("url(") || value.starts_with("url(#"))
            })
    }) && !svg.contains("<!")
        && !svg.contains("<?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_simple_graph() {
        let svg = render_dot("digraph { a -> b [label=\"calls\"]; }").expect("renders");
        assert!(svg.starts_with("<svg class=\"dot-diagram\""), "{svg}");
        assert!(
            svg.contains(">calls</tspan>") && svg.contains(">a</tspan>"),
            "{svg}"
        );
        assert!(!svg.contains("<style"), "no page-wide style: {svg}");
        assert!(!svg.contains("id=\"arrow0\""), "ids are prefixed: {svg}");
    }

    #[test]
    fn common_attributes_lay_out() {
        let dot = r#"digraph G { rankdir=LR; node [shape=box, style=filled, fillcolor=lightblue];
            subgraph cluster_a { label="A"; x; y; } r [shape=record, label="{a|b}"];
            c [shape=circle, color=red]; x -> y -> r -> c [style=dashed]; }"#;
        let svg = render_dot(dot).expect("renders");
        assert!(svg.contains("stroke-dasharray"), "{svg}");
    }

    #[test]
    fn hostile_labels_are_text() {
        let dot = r#"digraph { a [label="<script>alert(1)</script>"]; b [label="\" onload=\"x"];
            c [label="<foreignObject><img src=x onerror=alert(1)>"]; a -> b -> c; }"#;
        let svg = render_dot(dot).expect("renders");
        // Escaped, the attack is text: no element, and no quote that could end an attribute.
        for bad in ["<script", "<foreignObject", "<img", "onload=\""] {
            assert!(!svg.contains(bad), "{bad} in {svg}");
        }
        assert!(
            svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{svg}"
        );
        assert!(svg.contains("&quot; onload=&quot;x"), "{svg}");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        for bad in [
            "digraph { a -> ; }",
            "digraph {",
            "not dot at all",
            "",
            "digraph { a -> b } trailing",
            "graph { subgraph { } }",
            "digraph { a [label=\"unterminated }",
            "digraph { \"\" -> \"\"; a -> a; a -> a }",
        ] {
            let _ = render_dot(bad);
        }
        assert!(matches!(
            render_dot("digraph { a -> ; }"),
            Err(DotError::Syntax(_))
        ));
    }

    #[test]
    fn large_input_is_refused_before_layout() {
        let big: String = (0..2000)
            .map(|i| format!("n{i} -> n{};\n", i + 1))
            .collect();
        assert_eq!(
            render_dot(&format!("digraph {{ {big} }}")),
            Err(DotError::TooLarge)
        );
        let dense: String = (0..MAX_DOT_EDGES + 1)
            .map(|i| format!("n{} -> n{};", i % 60, (i * 7) % 61))
            .collect();
        assert_eq!(
            render_dot(&format!("digraph {{ {dense} }}")),
            Err(DotError::TooLarge)
        );
    }

    #[test]
    fn a_slow_layout_is_given_up() {
        // 150 dense edges take tens of seconds: 50 ms is far too little for them.
        let dense: String = (0..150)
            .map(|i| format!("n{} -> n{};", i % 60, (i * 7) % 61))
            .collect();
        let started = std::time::Instant::now();
        let got = layout_in_time(format!("digraph {{ {dense} }}"), Duration::from_millis(50));
        assert_eq!(got, Err(DotError::TooLarge));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn the_allowlist_rejects_active_content() {
        assert!(!is_allowed("<svg><script>x</script></svg>"));
        assert!(!is_allowed("<svg onload=\"x\"></svg>"));
        assert!(!is_allowed("<svg><foreignObject></foreignObject></svg>"));
        assert!(!is_allowed(
            "<svg><textPath href=\"javascript:x\"></textPath></svg>"
        ));
        assert!(is_allowed(
            "<svg width=\"1\"><g><path d=\"M 0 0\" /></g></svg>"
        ));
    }
}
