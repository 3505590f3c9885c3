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
    classes: Box<str>,
    /// A background or an underline: white space in it shows, so it is not merged away.
    visible_space: bool,
}

/// A look's number in its thread's `Looks`: equal numbers, equal looks.
type LookId = u32;

/// The scope stacks a thread has met, as a tree of pushes (node 0: the empty stack), and
/// how each looks, numbered. A push or pop moves along the tree, so a run of text finds its
/// look by a node's number instead of hashing and comparing its whole stack; a few hundred
/// stacks make up a whole site's code.
#[derive(Default)]
struct Looks {
    /// By node: the node it was pushed on (node 0: itself).
    parent: Vec<u32>,
    /// By node: its look, once asked (`None` inside: unstyled).
    look: Vec<Option<Option<LookId>>>,
    children: HashMap<(u32, Scope), u32, foldhash::fast::FixedState>,
    looks: Vec<Look>,
    ids: HashMap<Box<str>, LookId, foldhash::fast::FixedState>,
}

/// Nodes kept before a thread starts its tree again (only ever between lines).
const MAX_NODES: usize = 100_000;

impl Looks {
    fn restart_if_full(&mut self) {
        if self.parent.len() > MAX_NODES {
            *self = Looks::default();
        }
        if self.parent.is_empty() {
            self.parent.push(0);
            self.look.push(None);
        }
    }

    fn child(&mut self, node: u32, scope: Scope) -> u32 {
        let next = self.parent.len() as u32;
        let child = *self.children.entry((node, scope)).or_insert(next);
        if child == next {
            self.parent.push(node);
            self.look.push(None);
        }
        child
    }

    fn node_of(&mut self, stack: &[Scope]) -> u32 {
        stack.iter().fold(0, |node, &s| self.child(node, s))
    }

    /// The node after `op`, which `stack` (already changed by it) is now at.
    fn after(&mut self, node: u32, op: &ScopeStackOp, stack: &[Scope]) -> u32 {
        match op {
            ScopeStackOp::Push(s) => self.child(node, *s),
            ScopeStackOp::Pop(n) => (0..*n).fold(node, |at, _| self.parent[at as usize]),
            ScopeStackOp::Noop => node,
            // Clears and restores (grammars only) are rare: found again from the stack.
            _ => self.node_of(stack),
        }
    }

    fn look_at(&mut self, node: u32, stack: &[Scope]) -> Option<LookId> {
        if let Some(known) = self.look[node as usize] {
            return known;
        }
        let id = compute_look(stack).map(|look| {
            let next = self.looks.len() as LookId;
            let id = *self.ids.entry(look.classes.clone()).or_insert(next);
            if id == next {
                self.looks.push(look);
            }
            id
        });
        self.look[node as usize] = Some(id);
        id
    }

    fn visible_space(&self, look: Option<LookId>) -> bool {
        look.is_some_and(|id| self.looks[id as usize].visible_space)
    }
}

thread_local! {
    static LOOKS: RefCell<Looks> = RefCell::new(Looks::default());
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
    open: Option<LookId>,
}

impl Runs<'_> {
    fn text(&mut self, text: &str, look: Option<LookId>, looks: &Looks) {
        let blank = text.bytes().all(|b| b == b' ' || b == b'\t');
        let joins = look == self.open
            || (blank && !looks.visible_space(look) && !looks.visible_space(self.open));
        if !joins {
            self.close();
            if let Some(id) = look {
                self.html.push_str("<span class=\"");
                self.html.push_str(&looks.looks[id as usize].classes);
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
    LOOKS.with(|looks| {
        let looks = &mut *looks.borrow_mut();
        looks.restart_if_full();
        let mut node = looks.node_of(stack.as_slice());
        let mut runs = Runs { html, open: None };
        let mut at = 0;
        for (i, op) in ops {
            let i = (*i).min(line.len());
            if i > at {
                let look = looks.look_at(node, stack.as_slice());
                runs.text(&line[at..i], look, looks);
                at = i;
            }
            stack.apply(op)?;
            node = looks.after(node, op, stack.as_slice());
        }
        if at < line.len() {
            let look = looks.look_at(node, stack.as_slice());
            runs.text(&line[at..], look, looks);
        }
        runs.close();
        Ok(())
    })
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
    compute_look(stack)
        .map(|l| l.classes.into_string())
        .unwrap_or_default()
}
