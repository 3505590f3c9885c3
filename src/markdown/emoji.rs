//! pymdownx.emoji's output as techdocs-core configures it (`to_svg`, Twemoji): a shortcode
//! becomes a Twemoji image, so it reads the same on machines without an emoji font (where
//! the bare character shows as a box). The SVG is inlined per use as a data URI, so a page
//! carries only the emojis it uses and needs no extra file; the alt text is the character,
//! so copying the text copies the emoji.

use twemoji_assets::svg::SvgTwemojiAsset;

use crate::html::escape_attr;

/// Variation selector 16: gemoji spells some emojis with it, Twemoji's files without it.
const VS16: char = '\u{fe0f}';

/// The HTML for `character`, written `shortcode` in the source: a Twemoji image where one
/// exists, else the character itself in the same wrapper.
pub fn emoji_html(shortcode: &str, character: &str) -> String {
    let svg = SvgTwemojiAsset::from_emoji(character).or_else(|| {
        let bare: String = character.chars().filter(|&c| c != VS16).collect();
        SvgTwemojiAsset::from_emoji(&bare)
    });
    let mut html = String::new();
    match svg {
        Some(svg) => {
            html.push_str("<img class=\"twemoji\" alt=\"");
            escape_attr(&mut html, character);
            html.push_str("\" title=\"");
            escape_attr(&mut html, shortcode);
            html.push_str("\" src=\"data:image/svg+xml,");
            html.push_str(&svg_data(svg));
            html.push_str("\">");
        }
        None => {
            html.push_str("<span class=\"twemoji\" title=\"");
            escape_attr(&mut html, shortcode);
            html.push_str("\">");
            html.push_str(character);
            html.push_str("</span>");
        }
    }
    html
}

/// An SVG as the data part of a `data:` URI inside a double-quoted attribute: only the
/// characters that would end the attribute, start a fragment or read as an escape are
/// percent-encoded, which keeps it smaller than base64.
fn svg_data(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + svg.len() / 8);
    for c in svg.chars() {
        match c {
            '"' => out.push('\''),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '&' => out.push_str("%26"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_become_twemoji_images_with_the_character_as_alt() {
        let html = emoji_html(":rocket:", "🚀");
        assert!(html.starts_with(
            "<img class=\"twemoji\" alt=\"🚀\" title=\":rocket:\" src=\"data:image/svg+xml,%3Csvg"
        ));
        // Nothing in the data URI can end the attribute or start a tag.
        let src = html.split("src=\"").nth(1).unwrap();
        assert!(src.ends_with("\">"));
        let src = &src[..src.len() - 2];
        assert!(!src.contains(['"', '<', '>']), "{src}");
    }

    #[test]
    fn variation_selector_spellings_find_their_image() {
        // gemoji writes ❤️ as U+2764 U+FE0F; Twemoji files it as 2764.
        assert!(emoji_html(":heart:", "\u{2764}\u{fe0f}").starts_with("<img"));
    }

    #[test]
    fn characters_without_an_image_stay_text() {
        assert_eq!(
            emoji_html(":x:", "x"),
            "<span class=\"twemoji\" title=\":x:\">x</span>"
        );
    }
}
