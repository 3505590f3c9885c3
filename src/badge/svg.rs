//! One badge as an SVG in shields.io's "flat" style: a grey label and a coloured message in
//! two rects under a faint gradient, rounded corners, text with a shadow. Widths come from
//! Verdana's metrics (`widths.rs`) with shields.io's own rounding, so a badge here is as wide
//! as the same badge from shields.io, and README rows of both line up.

use super::widths::{EM, FIRST, WIDTHS};
use crate::html::{escape_attr, escape_text};

/// Padding either side of each text, as shields.io's.
const PAD: u32 = 5;
const HEIGHT: u32 = 20;
const LABEL_COLOR: &str = "#555";
/// Longer texts are cut (with "…"): a badge is a line in a README, not a paragraph.
const MAX_CHARS: usize = 64;

/// Width of `text` in Verdana 11px, in hundredths of a pixel (integers: no float drift).
pub fn text_width_centipx(text: &str) -> u32 {
    text.chars().map(char_width).sum()
}

fn char_width(c: char) -> u32 {
    let cp = c as u32;
    if cp < FIRST || cp == 0x7f {
        return 0;
    }
    usize::try_from(cp - FIRST)
        .ok()
        .and_then(|i| WIDTHS.get(i))
        .map_or(EM, |w| u32::from(*w))
}

/// The width shields.io gives a text: whole pixels, rounded up to odd "to increase chances of
/// pixel grid alignment" (the text is centred on a half pixel).
pub fn text_width(text: &str) -> u32 {
    let px = text_width_centipx(text) / 100;
    if px.is_multiple_of(2) { px + 1 } else { px }
}

/// What a badge says, in which colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadgeText {
    pub label: String,
    pub message: String,
    /// `#rgb` or `#rrggbb`; from this module's tables, never from input.
    pub color: &'static str,
}

impl BadgeText {
    pub fn new(label: &str, message: &str, color: &'static str) -> BadgeText {
        BadgeText {
            label: clean(label),
            message: clean(message),
            color,
        }
    }

    /// "label: message", the badge's title and accessible name.
    pub fn accessible_text(&self) -> String {
        format!("{}: {}", self.label, self.message)
    }

    /// The badge's width in pixels, as its `width` attribute says.
    pub fn width(&self) -> u32 {
        let (left, right) = self.widths();
        left + right
    }

    fn widths(&self) -> (u32, u32) {
        (
            text_width(&self.label) + 2 * PAD,
            text_width(&self.message) + 2 * PAD,
        )
    }
}

/// Text as a badge can show it: no control characters (they are not even valid XML), spaces
/// collapsed, and at most `MAX_CHARS` characters.
fn clean(s: &str) -> String {
    let joined = s
        .split(|c: char| {
            c.is_whitespace() || c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}')
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if joined.chars().count() > MAX_CHARS {
        let mut cut: String = joined.chars().take(MAX_CHARS - 1).collect();
        cut.push('…');
        cut
    } else {
        joined
    }
}

/// White text on dark colours, dark text on light ones (shields.io's threshold).
fn text_colors(background: &str) -> (&'static str, &'static str) {
    if brightness(background) <= 0.69 {
        ("#fff", "#010101")
    } else {
        ("#333", "#ccc")
    }
}

/// Perceived brightness of a `#rgb`/`#rrggbb` colour, 0 to 1 (unreadable input counts as dark).
fn brightness(color: &str) -> f64 {
    let hex = color.trim_start_matches('#');
    let expanded: String = if hex.len() == 3 {
        hex.chars().flat_map(|c| [c, c]).collect()
    } else {
        hex.to_string()
    };
    let channel = |i: usize| {
        expanded
            .get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.0, f64::from)
    };
    (channel(0) * 299.0 + channel(2) * 587.0 + channel(4) * 114.0) / 255_000.0
}

/// The SVG document of a badge.
pub fn render_svg(b: &BadgeText) -> String {
    let (left, right) = b.widths();
    let width = left + right;
    let mut title = String::new();
    escape_text(&mut title, &b.accessible_text());
    let mut aria = String::new();
    escape_attr(&mut aria, &b.accessible_text());
    let mut out = String::with_capacity(1200);
    out.push_str(&format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" role="img" aria-label="{aria}"><title>{title}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="{width}" height="{HEIGHT}" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="{left}" height="{HEIGHT}" fill="{LABEL_COLOR}"/><rect x="{left}" width="{right}" height="{HEIGHT}" fill="{color}"/><rect width="{width}" height="{HEIGHT}" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">"##,
        color = b.color,
    ));
    // As shields.io: texts are drawn at ten times the size and scaled down, for finer
    // positions; the label starts one pixel in, the message one pixel before its rect.
    push_text(&mut out, &b.label, 1, LABEL_COLOR);
    push_text(&mut out, &b.message, left - 1, b.color);
    out.push_str("</g></svg>");
    out
}

fn push_text(out: &mut String, text: &str, margin: u32, background: &str) {
    let width = text_width(text);
    let x = 10 * (margin + PAD) + 5 * width;
    let length = 10 * width;
    let (fill, shadow) = text_colors(background);
    let mut escaped = String::new();
    escape_text(&mut escaped, text);
    out.push_str(&format!(
        r#"<text aria-hidden="true" x="{x}" y="150" fill="{shadow}" fill-opacity=".3" transform="scale(.1)" textLength="{length}">{escaped}</text><text x="{x}" y="140" transform="scale(.1)" fill="{fill}" textLength="{length}">{escaped}</text>"#
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_match_shields_io_badges() {
        // img.shields.io's "build | passing" is 88 wide: rects of 37 and 51, texts 27 and 41.
        let b = BadgeText::new("build", "passing", "#4c1");
        assert_eq!((text_width("build"), text_width("passing")), (27, 41));
        assert_eq!(b.widths(), (37, 51));
        assert_eq!(b.width(), 88);
        let svg = render_svg(&b);
        assert!(svg.contains(r#"x="195" y="140""#), "{svg}");
        assert!(svg.contains(r#"x="615" y="140""#), "{svg}");
        assert!(svg.contains(r#"textLength="410""#), "{svg}");
        // "license | MIT" is 78 wide: 47 + 31.
        assert_eq!(
            BadgeText::new("license", "MIT", "#007ec6").widths(),
            (47, 31)
        );
    }

    #[test]
    fn widths_follow_the_font_not_the_character_count() {
        // anafanafo's measurement in Chrome: "m" is 10.7 px and "v1.2.511" 49.48 px.
        assert_eq!(text_width_centipx("m"), 1070);
        assert!(text_width_centipx("v1.2.511").abs_diff(4948) <= 10);
        // Same length, very different widths.
        assert!(text_width("WWWW") > 3 * text_width("iiii"));
        assert_eq!(text_width("iiii"), 13);
        assert_eq!(text_width("WWWW"), 43);
        // Latin-1 letters have their own widths; others fall back to the width of "m".
        assert_eq!(text_width_centipx("é"), text_width_centipx("e"));
        assert_eq!(text_width_centipx("界"), EM);
        assert_eq!(text_width_centipx("a\u{7}b"), text_width_centipx("ab"));
    }

    #[test]
    fn light_backgrounds_get_dark_text() {
        assert_eq!(text_colors("#4c1").0, "#fff");
        assert_eq!(text_colors("#fff").0, "#333");
        assert_eq!(text_colors("#dfb317").0, "#fff");
    }

    #[test]
    fn text_is_cleaned_and_cut() {
        assert_eq!(clean(" a\n\tb\u{1}c "), "a b c");
        let long = "x".repeat(100);
        let cut = clean(&long);
        assert_eq!(cut.chars().count(), MAX_CHARS);
        assert!(cut.ends_with('…'));
    }
}
