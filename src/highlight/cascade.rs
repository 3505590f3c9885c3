//! What the scope stylesheet shows for a scope stack, worked out here instead of in the
//! browser: style markup must look exactly like the scope markup it replaces, quirks
//! included. The scope stylesheet is syntect's CSS for each theme (`scopes::theme_css`): a
//! rule per theme selector, each scope a compound of atom classes (`.hl-variable`), a path of
//! scopes a descendant chain. In the browser a class matches wherever the atom sits in the
//! scope (`.hl-variable` colours `punctuation.definition.variable` too), light rules still
//! apply in dark mode where no dark rule is more specific, colour and font are inherited from
//! enclosing spans and a background or underline shows through them. Those are the rules
//! followed here.

use syntect::highlighting::{Color, FontStyle, Theme};
use syntect::parsing::Scope;

/// A look: what a run of text shows (None: nothing set, the page's own).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Shown {
    pub colour: Option<Color>,
    pub background: Option<Color>,
    pub font: FontStyle,
}

struct Rule {
    /// Compound selectors, outermost first, each the atoms an element's classes must hold.
    chain: Vec<Vec<u16>>,
    colour: Option<Color>,
    background: Option<Color>,
    font: FontStyle,
    /// CSS specificity: one per class, one more for a dark rule's `[data-theme=dark]`.
    specificity: usize,
}

/// The rules in force in one mode, in stylesheet order.
pub(super) struct Cascade {
    rules: Vec<Rule>,
}

impl Cascade {
    /// Light mode: the light theme's rules. Dark mode (`[data-theme=dark]`): the light
    /// rules, then the dark theme's, each a class more specific.
    pub fn new(themes: &[&Theme]) -> Cascade {
        let mut rules = Vec::new();
        for (band, theme) in themes.iter().enumerate() {
            // syntect's stylesheet starts with `.hl-code`, the theme's own colours, which
            // matches any scope with a `code` atom (`markup.raw.code`).
            if let Ok(code) = Scope::new("code") {
                rules.push(Rule {
                    chain: vec![atoms(code)],
                    colour: theme.settings.foreground,
                    background: theme.settings.background,
                    font: FontStyle::empty(),
                    specificity: 1 + band,
                });
            }
            for item in &theme.scopes {
                for selector in &item.scope.selectors {
                    let chain: Vec<Vec<u16>> = (selector.extract_scopes().iter())
                        .map(|s| atoms(*s))
                        .collect();
                    rules.push(Rule {
                        specificity: chain.iter().map(Vec::len).sum::<usize>() + band,
                        chain,
                        colour: item.style.foreground,
                        background: item.style.background,
                        font: item.style.font_style.unwrap_or_default(),
                    });
                }
            }
        }
        Cascade { rules }
    }

    /// What text inside the spans of `stack` (outermost first) shows.
    pub fn shown(&self, stack: &[Scope]) -> Shown {
        let elements: Vec<Vec<u16>> = stack.iter().map(|s| atoms(*s)).collect();
        let mut shown = Shown::default();
        // Innermost first: the nearest colour and background win; font flags add up.
        for depth in (0..elements.len()).rev() {
            let matching: Vec<&Rule> = (self.rules.iter())
                .filter(|r| matches(&r.chain, &elements[..=depth]))
                .collect();
            if shown.colour.is_none() {
                shown.colour = winner(&matching, |r| r.colour);
            }
            if shown.background.is_none() {
                shown.background = winner(&matching, |r| r.background);
            }
            for r in &matching {
                shown.font |= r.font;
            }
        }
        shown
    }
}

/// The value of the most specific rule that sets it (the later of equals).
fn winner(rules: &[&Rule], value: impl Fn(&Rule) -> Option<Color>) -> Option<Color> {
    let mut best: Option<(usize, Color)> = None;
    for r in rules {
        if let Some(v) = value(r)
            && best.is_none_or(|(s, _)| r.specificity >= s)
        {
            best = Some((r.specificity, v));
        }
    }
    best.map(|(_, v)| v)
}

/// Whether a descendant chain matches the last of `elements` (outermost first): its last
/// compound there, each earlier one on some element further out, in order.
fn matches(chain: &[Vec<u16>], elements: &[Vec<u16>]) -> bool {
    let Some((last, outer)) = chain.split_last() else {
        return false;
    };
    let Some((element, mut ancestors)) = elements.split_last() else {
        return false;
    };
    if !holds(element, last) {
        return false;
    }
    for compound in outer.iter().rev() {
        match ancestors.iter().rposition(|e| holds(e, compound)) {
            Some(at) => ancestors = &ancestors[..at],
            None => return false,
        }
    }
    true
}

fn holds(element: &[u16], compound: &[u16]) -> bool {
    compound.iter().all(|a| element.contains(a))
}

/// A scope's atoms: the classes of its span.
fn atoms(scope: Scope) -> Vec<u16> {
    (0..scope.len() as usize)
        .map(|i| scope.atom_at(i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use syntect::highlighting::{StyleModifier, ThemeItem};

    fn stack(scopes: &[&str]) -> Vec<Scope> {
        scopes
            .iter()
            .map(|s| Scope::new(s).expect("a scope"))
            .collect()
    }

    fn colour(hex: u8) -> StyleModifier {
        StyleModifier {
            foreground: Some(Color {
                r: hex,
                g: hex,
                b: hex,
                a: 0xff,
            }),
            ..StyleModifier::default()
        }
    }

    fn bold() -> StyleModifier {
        StyleModifier {
            font_style: Some(FontStyle::BOLD),
            ..StyleModifier::default()
        }
    }

    fn theme(rules: &[(&str, StyleModifier)]) -> Theme {
        Theme {
            scopes: (rules.iter())
                .map(|(selector, style)| ThemeItem {
                    scope: selector.parse().expect("a selector"),
                    style: *style,
                })
                .collect(),
            ..Theme::default()
        }
    }

    fn grey(c: Option<Color>) -> Option<u8> {
        c.map(|c| c.r)
    }

    #[test]
    fn classes_match_atoms_anywhere_and_specificity_decides() {
        let t = theme(&[
            ("variable", colour(0x11)),
            ("keyword.control", colour(0x22)),
            ("keyword", bold()),
            ("meta.block keyword", colour(0x33)),
        ]);
        let c = Cascade::new(&[&t]);
        // `.hl-variable` matches a punctuation scope holding the atom, as CSS would.
        let p = c.shown(&stack(&["source.x", "punctuation.definition.variable.x"]));
        assert_eq!(grey(p.colour), Some(0x11));
        // Two classes beat a descendant chain of two single classes only when later.
        let k = c.shown(&stack(&["source.x", "meta.block.x", "keyword.control.x"]));
        assert_eq!(grey(k.colour), Some(0x33));
        assert!(k.font.contains(FontStyle::BOLD));
        // Inherited from the enclosing span.
        let inner = c.shown(&stack(&["variable.other.x", "string.x"]));
        assert_eq!(grey(inner.colour), Some(0x11));
        assert_eq!(c.shown(&stack(&["source.x"])), Shown::default());
    }

    #[test]
    fn light_rules_show_in_dark_mode_unless_a_dark_rule_wins() {
        let light = theme(&[
            ("string", colour(0xa0)),
            ("comment.line", colour(0xb0)),
            ("comment.line.double", colour(0xd0)),
        ]);
        let dark = theme(&[("comment", colour(0xc0))]);
        let c = Cascade::new(&[&light, &dark]);
        assert_eq!(grey(c.shown(&stack(&["string.x"])).colour), Some(0xa0));
        // Two light classes against one dark class plus its prefix: the later wins.
        let comment = c.shown(&stack(&["comment.line.x"]));
        assert_eq!(grey(comment.colour), Some(0xc0));
        // Three light classes outrank it.
        let double = c.shown(&stack(&["comment.line.double.x"]));
        assert_eq!(grey(double.colour), Some(0xd0));
    }
}
