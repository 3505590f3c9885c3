//! Drawing: a `Radar` → its inline SVG, as a string built in Rust at build time. Rings and
//! axes take theme colours from CSS classes (so dark mode and print restyle them); blips are
//! links to their entry (`#entry-<id>`), each with a `<title>`, numbered in legend order.
//! Every text from the input is escaped with `crate::html::escape`.

use std::fmt::Write as _;

use super::layout::{self, Blip, Geometry, LABEL_ANGLE, RADIUS, Slot};
use super::model::{FALLBACK_COLOR, Moved, Radar};
use crate::html::escape;

/// Room around the circle for the quadrant names in the corners.
const PAD: f64 = 40.0;
/// Below this extent the number no longer fits in a blip; the legend still has it.
const MIN_TEXT_EXTENT: f64 = 4.5;

/// Blip positions in legend order: `(entry index, number, placement)`.
pub fn placed_blips(radar: &Radar) -> Vec<(usize, usize, Option<Blip>)> {
    let geo = geometry(radar);
    let order = radar.legend_order();
    let slots: Vec<Slot> = order
        .iter()
        .map(|&i| {
            let e = &radar.entries[i];
            Slot {
                id: &e.id,
                quadrant: e.quadrant,
                ring: e.ring,
            }
        })
        .collect();
    let blips = layout::place_blips(&geo, &slots);
    order
        .into_iter()
        .zip(blips)
        .enumerate()
        .map(|(n, (i, b))| (i, n + 1, b))
        .collect()
}

pub fn geometry(radar: &Radar) -> Geometry {
    Geometry::new(radar.quadrants.len(), radar.rings.len())
}

/// The `viewBox` that shows one quadrant at a time (the quadrant tabs on narrow screens): the
/// sector's bounding box with a small margin, reaching out to the drawing's edge where the
/// sector touches the circle so the corner's quadrant name stays in view.
pub fn quadrant_view_box(geo: &Geometry, quadrant: usize) -> String {
    const MARGIN: f64 = 15.0;
    let size = RADIUS + PAD;
    let (start, end) = geo.quadrant_angles(quadrant);
    // The sector's extremes: the centre, both edge points, and every axis direction inside.
    let mut points = vec![(0.0, 0.0), polar(start), polar(end)];
    let quarter = std::f64::consts::FRAC_PI_2;
    let mut a = (start / quarter).ceil() * quarter;
    while a < end {
        points.push(polar(a));
        a += quarter;
    }
    // Past the circle the box reaches the drawing's edge; elsewhere it keeps a margin.
    let lo = |v: f64| {
        if v <= 0.5 - RADIUS {
            -size
        } else {
            (v - MARGIN).max(-size)
        }
    };
    let hi = |v: f64| {
        if v >= RADIUS - 0.5 {
            size
        } else {
            (v + MARGIN).min(size)
        }
    };
    let xs = points.iter().map(|p| p.0);
    let ys = points.iter().map(|p| p.1);
    let x0 = lo(xs.clone().fold(f64::INFINITY, f64::min));
    let x1 = hi(xs.fold(f64::NEG_INFINITY, f64::max));
    let y0 = lo(ys.clone().fold(f64::INFINITY, f64::min));
    let y1 = hi(ys.fold(f64::NEG_INFINITY, f64::max));
    format!("{} {} {} {}", num(x0), num(y0), num(x1 - x0), num(y1 - y0))
}

fn polar(angle: f64) -> (f64, f64) {
    (RADIUS * angle.cos(), RADIUS * angle.sin())
}

/// The whole `<svg>` element.
pub fn render_svg(radar: &Radar) -> String {
    render_placed(radar, &placed_blips(radar))
}

/// The whole `<svg>` element, with blips already placed by `placed_blips`.
pub fn render_placed(radar: &Radar, placed: &[(usize, usize, Option<Blip>)]) -> String {
    let geo = geometry(radar);
    let size = RADIUS + PAD;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg class=\"radar-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{} {} {} {}\" role=\"group\" aria-labelledby=\"radar-svg-title\">",
        num(-size),
        num(-size),
        num(2.0 * size),
        num(2.0 * size)
    );
    let _ = writeln!(
        out,
        "<title id=\"radar-svg-title\">{}: {} entries</title>",
        escape(&radar.title),
        radar.entries.len()
    );
    draw_grid(&mut out, radar, &geo);
    out.push_str("<g class=\"radar-blips\">\n");
    for &(i, number, blip) in placed {
        if let Some(b) = blip {
            draw_blip(&mut out, radar, i, number, b);
        }
    }
    out.push_str("</g>\n</svg>");
    out
}

/// Ring bands (outermost first, so inner ones paint over), axes, ring and quadrant names.
fn draw_grid(out: &mut String, radar: &Radar, geo: &Geometry) {
    out.push_str("<g class=\"radar-grid\" aria-hidden=\"true\">\n");
    for (k, edge) in geo.ring_edges.iter().enumerate().rev() {
        let _ = writeln!(
            out,
            "<circle class=\"radar-ring radar-ring-{}\" r=\"{}\"/>",
            k % 2,
            num(*edge)
        );
    }
    for a in geo.axis_angles() {
        let _ = writeln!(
            out,
            "<line class=\"radar-axis\" x1=\"0\" y1=\"0\" x2=\"{}\" y2=\"{}\"/>",
            num(RADIUS * a.cos()),
            num(RADIUS * a.sin())
        );
    }
    for (k, ring) in radar.rings.iter().enumerate() {
        let (inner, outer) = geo.ring_bounds(k);
        let mid = (inner + outer) / 2.0;
        let _ = writeln!(
            out,
            "<text class=\"radar-ring-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" dy=\"0.35em\">{}</text>",
            num(mid * LABEL_ANGLE.cos()),
            num(mid * LABEL_ANGLE.sin()),
            escape(&ring.name)
        );
    }
    if radar.quadrants.len() == 4 {
        // Corners, outside the circle: bottom-right, bottom-left, top-left, top-right.
        let corner = RADIUS + PAD - 6.0;
        let places = [
            (corner, corner - 4.0, "end"),
            (-corner, corner - 4.0, "start"),
            (-corner, -corner + 12.0, "start"),
            (corner, -corner + 12.0, "end"),
        ];
        for (q, (x, y, anchor)) in radar.quadrants.iter().zip(places) {
            let _ = writeln!(
                out,
                "<text class=\"radar-quadrant-label\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                num(x),
                num(y),
                escape(&q.name)
            );
        }
    }
    out.push_str("</g>\n");
}

fn draw_blip(out: &mut String, radar: &Radar, i: usize, number: usize, b: Blip) {
    let e = &radar.entries[i];
    let ring = &radar.rings[e.ring];
    let color = if e.active {
        ring.color.as_str()
    } else {
        FALLBACK_COLOR
    };
    let mut classes = format!("blip blip--ring-{}", e.ring);
    let mut state = vec![ring.name.clone()];
    if e.is_new {
        classes.push_str(" blip--new");
        state.push("new".into());
    }
    match e.moved {
        Moved::In => classes.push_str(" blip--moved-in"),
        Moved::Out => classes.push_str(" blip--moved-out"),
        Moved::No => {}
    }
    if e.moved != Moved::No {
        state.push(e.moved.label().into());
    }
    if !e.active {
        classes.push_str(" blip--inactive");
    }
    let id = escape(&e.id);
    let _ = write!(
        out,
        "<a class=\"{classes}\" id=\"blip-{id}\" href=\"#entry-{id}\" data-entry=\"{id}\" transform=\"translate({} {})\">",
        num(b.x),
        num(b.y)
    );
    let _ = write!(
        out,
        "<title>{number}. {} ({})</title>",
        escape(&e.title),
        escape(&state.join(", "))
    );
    let color_attr = escape(color);
    let x = b.extent;
    let (shape, text_y) = match e.moved {
        // Triangles with their corners on the extent circle: up = moved in, down = out.
        Moved::In => (
            format!(
                "<path class=\"blip-shape\" d=\"M0 {} L{} {} L{} {} Z\" fill=\"{color_attr}\"/>",
                num(-x),
                num(0.866 * x),
                num(0.5 * x),
                num(-0.866 * x),
                num(0.5 * x)
            ),
            0.18 * x,
        ),
        Moved::Out => (
            format!(
                "<path class=\"blip-shape\" d=\"M0 {} L{} {} L{} {} Z\" fill=\"{color_attr}\"/>",
                num(x),
                num(0.866 * x),
                num(-0.5 * x),
                num(-0.866 * x),
                num(-0.5 * x)
            ),
            -0.18 * x,
        ),
        Moved::No if e.is_new => (
            format!(
                "<circle class=\"blip-shape\" r=\"{}\" fill=\"{color_attr}\"/><circle class=\"blip-new-mark\" r=\"{}\" fill=\"none\" stroke=\"{color_attr}\" stroke-width=\"{}\"/>",
                num(0.66 * x),
                num(0.9 * x),
                num(0.16 * x)
            ),
            0.0,
        ),
        Moved::No => (
            format!(
                "<circle class=\"blip-shape\" r=\"{}\" fill=\"{color_attr}\"/>",
                num(0.82 * x)
            ),
            0.0,
        ),
    };
    out.push_str(&shape);
    if e.is_new && e.moved != Moved::No {
        // A moved entry that is also new keeps its triangle and gets the ring as well.
        let _ = write!(
            out,
            "<circle class=\"blip-new-mark\" r=\"{}\" fill=\"none\" stroke=\"{color_attr}\" stroke-width=\"{}\"/>",
            num(0.92 * x),
            num(0.12 * x)
        );
    }
    if x >= MIN_TEXT_EXTENT {
        let digits = number.to_string().len() as f64;
        let room = if e.moved == Moved::No {
            1.45 * x
        } else {
            1.0 * x
        };
        let size = (room / (0.62 * digits.max(1.5))).min(x * 0.9).min(11.0);
        let _ = write!(
            out,
            "<text class=\"blip-number\" y=\"{}\" text-anchor=\"middle\" dy=\"0.35em\" font-size=\"{}\" fill=\"{}\" aria-hidden=\"true\">{number}</text>",
            num(text_y),
            num(size),
            text_color(color)
        );
    }
    out.push_str("</a>\n");
}

/// Black or white, whichever reads better on `color` (white when the colour is not hex).
pub fn text_color(color: &str) -> &'static str {
    let hex = color.trim_start_matches('#');
    let channel = |s: &str| u8::from_str_radix(s, 16).ok().map(f64::from);
    let rgb = match hex.len() {
        6 => (
            channel(&hex[0..2]),
            channel(&hex[2..4]),
            channel(&hex[4..6]),
        ),
        3 => {
            let d = |i: usize| channel(&hex[i..=i]).map(|v| v * 17.0);
            (d(0), d(1), d(2))
        }
        _ => (None, None, None),
    };
    let (Some(r), Some(g), Some(b)) = rgb else {
        return "#fff";
    };
    let lin = |v: f64| {
        let v = v / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    // Contrast with white is 1.05 / (l + 0.05); with black (l + 0.05) / 0.05.
    if 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 {
        "#fff"
    } else {
        "#000"
    }
}

/// A coordinate with one decimal, without a trailing `.0` or a negative zero.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let s = format!("{r:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(-3.25), "-3.3");
    }

    #[test]
    fn quadrant_view_boxes_frame_one_sector_and_its_corner() {
        let geo = Geometry::new(4, 4);
        // Quadrant 0 runs from angle 0 to a quarter turn: bottom-right in SVG coordinates.
        assert_eq!(quadrant_view_box(&geo, 0), "-15 -15 455 455");
        assert_eq!(quadrant_view_box(&geo, 2), "-440 -440 455 455");
        // One quadrant is the whole circle.
        assert_eq!(
            quadrant_view_box(&Geometry::new(1, 4), 0),
            "-440 -440 880 880"
        );
        // A third of the circle: from angle 0 to 120°, down to the bottom and left past the centre.
        assert_eq!(
            quadrant_view_box(&Geometry::new(3, 4), 0),
            "-215 -15 655 455"
        );
    }

    #[test]
    fn text_colour_follows_contrast() {
        assert_eq!(text_color("#C7BA00"), "#000");
        assert_eq!(text_color("#1c2128"), "#fff");
        assert_eq!(text_color("#fff"), "#000");
        assert_eq!(text_color("teal"), "#fff");
    }
}
