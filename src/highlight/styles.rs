//! Style markup, the default: each run of text that looks the same gets one flat span whose
//! classes say how it looks in the light and the dark theme (`<span class="l4 lb d9">`),
//! not which scopes it is in. `l<n>`/`d<n>` is a colour of the palette (every colour either
//! theme names), `lk<n>`/`dk<n>` a background, `lb`/`li`/`lu` (and `d…`) bold, italic,
//! underline. How a scope stack looks is what the scope stylesheet would show for it
//! (`cascade`), so readers see what they saw before, in a fifth of the bytes: a Python line
//! that took 1.7 KB of nested scope spans takes about 300.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;
use std::sync::OnceLock;

use syntect::highlighting::{Color, FontStyle};
use syntect::parsing::{Scope, ScopeError, ScopeStack, ScopeStackOp};

use super::cascade::{Cascade, Shown};
use crate::html::escape_text;

/// Both modes' cascades and the colours their classes are numbered by (the order of first
/// use in the theme files, light then dark, so class names are stable).
struct Styles {
    light: Cascade,
    dark: Cascade,
    colours: Vec<Color>,
}

fn styles() -> &'static Styles {
    static STYLES: OnceLock<Styles> = OnceLock::new();
    STYLES.get_or_init(|| {
        let [light, dark] = super::themes();
        let mut colours = Vec::new();
        for theme in [light, dark] {
            let settings = [theme.settings.foreground, theme.settings.background];
            let items = theme.scopes.iter();
            let named = items.flat_map(|i| [i.style.foreground, i.style.background]);
            for c in settings.into_iter().chain(named).flatten() {
                if !colours.contains(&c) {
                    colours.push(c);
                }
            }
        }
        Styles {
            light: Cascade::new(&[light]),
            dark: Cascade::new(&[light, dark]),
            colours,
        }
    })
}

impl Styles {
    fn index(&self, c: Color) -> usize {
        self.colours.iter().position(|&x| x == c).unwrap_or(0)
    }

    /// The classes for `shown` in the mode `p` (`l` or `d`), each followed by a space.
    fn classes(&self, p: char, shown: &Shown, out: &mut String) {
        if let Some(c) = shown.colour {
            let _ = write!(out, "{p}{} ", self.index(c));
        }
        if let Some(c) = shown.background {
            let _ = write!(out, "{p}k{} ", self.index(c));
        }
        for (flag, name, _) in FONT_FLAGS {
            if shown.font.contains(flag) {
                let _ = write!(out, "{p}{name} ");
            }
        }
    }

    /// The rules for mode `p`'s classes, selectors under `.highlight`.
    fn css(&self, p: char, out: &mut String) {
        for (i, c) in self.colours.iter().enumerate() {
            let c = css_colour(*c);
            let _ = writeln!(out, ".highlight .{p}{i} {{ color: {c}; }}");
            let _ = writeln!(out, ".highlight .{p}k{i} {{ background-color: {c}; }}");
        }
        for (_, name, rule) in FONT_FLAGS {
            let _ = writeln!(out, ".highlight .{p}{name} {{ {rule} }}");
        }
    }

    /// Rules that undo mode `p`'s classes (the light ones, in dark mode).
    fn reset_css(&self, p: char, out: &mut String) {
        let list = |infix: &str| -> String {
            (0..self.colours.len())
                .map(|i| format!(".highlight .{p}{infix}{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(out, "{} {{ color: inherit; }}", list(""));
        let _ = writeln!(out, "{} {{ background-color: transparent; }}", list("k"));
        let _ = writeln!(out, ".highlight .{p}b {{ font-weight: inherit; }}");
        let _ = writeln!(out, ".highlight .{p}i {{ font-style: inherit; }}");
        let _ = writeln!(out, ".highlight .{p}u {{ text-decoration: inherit; }}");
    }
}

const FONT_FLAGS: [(FontStyle, &str, &str); 3] = [
    (FontStyle::BOLD, "b", "font-weight: bold;"),
    (FontStyle::ITALIC, "i", "font-style: italic;"),
    (FontStyle::UNDERLINE, "u", "text-decoration: underline;"),
];

fn css_colour(c: Color) -> String {
    if c.a == 0xff {
        format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    } else {
        let alpha = f32::from(c.a) / 255.0;
        format!("rgba({}, {}, {}, {alpha:.2})", c.r, c.g, c.b)
    }
}

/// How a scope stack looks: its class attribute, or None when neither theme styles it.
#[derive(Clone, PartialEq, Eq)]
struct Look {
    classes: Rc<str>,
    /// A background or an underline: white space in it shows, so it is not merged away.
    visible_space: bool,
}

thread_local! {
    /// Looks by scope stack: a few hundred stacks make up a whole site's code.
    static LOOKS: RefCell<HashMap<Vec<Scope>, Option<Look>, foldhash::fast::FixedState>> =
        RefCell::new(HashMap::default());
}

fn look_of(stack: &[Scope]) -> Option<Look> {
    LOOKS.with(|looks| {
        let mut looks = looks.borrow_mut();
        if let Some(look) = looks.get(stack) {
            return look.clone();
        }
        let look = compute_look(stack);
        if looks.len() > 100_000 {
            looks.clear();
        }
        looks.insert(stack.to_vec(), look.clone());
        look
    })
}

fn compute_look(stack: &[Scope]) -> Option<Look> {
    let st = styles();
    let light = st.light.shown(stack);
    let dark = st.dark.shown(stack);
    let mut classes = String::new();
    st.classes('l', &light, &mut classes);
    st.classes('d', &dark, &mut classes);
    let classes = classes.trim_end();
    if classes.is_empty() {
        return None;
    }
    let shows = |s: &Shown| s.background.is_some() || s.font.contains(FontStyle::UNDERLINE);
    Some(Look {
        classes: classes.into(),
        visible_space: shows(&light) || shows(&dark),
    })
}

/// The span being written: text of one look goes into one span, and white space joins
/// whatever span is open unless either side would show it.
struct Runs<'h> {
    html: &'h mut String,
    open: Option<Look>,
}

impl Runs<'_> {
    fn text(&mut self, text: &str, look: Option<Look>) {
        let hidden = |l: &Option<Look>| l.as_ref().is_none_or(|l| !l.visible_space);
        let blank = text.bytes().all(|b| b == b' ' || b == b'\t');
        let joins = look == self.open || (blank && hidden(&look) && hidden(&self.open));
        if !joins {
            self.close();
            if let Some(l) = &look {
                self.html.push_str("<span class=\"");
                self.html.push_str(&l.classes);
                self.html.push_str("\">");
            }
            self.open = look;
        }
        escape_text(self.html, text);
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.html.push_str("</span>");
        }
    }
}

/// Appends one parsed line as runs of styled text, every span closed at the end. Err when
/// an operation does not fit the stack (the block is then shown without colours).
pub(super) fn write_line(
    line: &str,
    ops: &[(usize, ScopeStackOp)],
    stack: &mut ScopeStack,
    html: &mut String,
) -> Result<(), ScopeError> {
    let mut runs = Runs { html, open: None };
    let mut at = 0;
    for (i, op) in ops {
        let i = (*i).min(line.len());
        if i > at {
            runs.text(&line[at..i], look_of(stack.as_slice()));
            at = i;
        }
        stack.apply(op)?;
    }
    if at < line.len() {
        runs.text(&line[at..], look_of(stack.as_slice()));
    }
    runs.close();
    Ok(())
}

/// The rules for style classes: the light mode's, and the dark mode's (to go under a
/// dark-mode selector), which undo the light classes first.
pub(super) fn css() -> (String, String) {
    let st = styles();
    let mut light = String::new();
    st.css('l', &mut light);
    let mut dark = String::new();
    st.reset_css('l', &mut dark);
    st.css('d', &mut dark);
    (light, dark)
}

/// The classes text under `stack` gets ("" for none): what readers see, for comparing
/// tokenisers (`agreement`).
pub(super) fn classes_of(stack: &[Scope]) -> String {
    look_of(stack)
        .map(|l| l.classes.to_string())
        .unwrap_or_default()
}
