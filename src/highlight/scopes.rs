//! Scope markup: a span per syntax scope, each atom a class (`hl-keyword hl-control`), nested
//! as the scopes nest. It is what a stylesheet written against TextMate scope names expects,
//! so a site that brings its own `static/highlight.css` gets it (see `Markup`).

use std::cell::RefCell;
use std::collections::HashMap;

use syntect::highlighting::Theme;
use syntect::html::ClassStyle;
use syntect::parsing::{BasicScopeStackOp, Scope, ScopeError, ScopeStack, ScopeStackOp};

use crate::html::escape_text;

/// Every scope class starts with this, so theme CSS never collides with page CSS.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Appends one parsed line: the spans the previous line left open opened again, the text
/// between the parser's operations, and every span closed at the end. Err when an operation
/// does not fit the stack (the block is then shown without colours).
pub(super) fn write_line(
    line: &str,
    ops: &[(usize, ScopeStackOp)],
    stack: &mut ScopeStack,
    html: &mut String,
) -> Result<(), ScopeError> {
    let from = html.len();
    for scope in stack.as_slice() {
        open_span(html, *scope);
    }
    let mut open = stack.len();
    let mut at = 0;
    for (i, op) in ops {
        let i = (*i).min(line.len());
        if i > at {
            escape_text(html, &line[at..i]);
            at = i;
        }
        stack.apply_with_hook(op, |basic, _| match basic {
            BasicScopeStackOp::Push(scope) => {
                open_span(html, scope);
                open += 1;
            }
            BasicScopeStackOp::Pop => {
                if open > 0 {
                    html.push_str("</span>");
                    open -= 1;
                }
            }
        })?;
    }
    if at < line.len() {
        escape_text(html, &line[at..]);
    }
    for _ in 0..open {
        html.push_str("</span>");
    }
    drop_empty_spans(html, from);
    Ok(())
}

fn open_span(out: &mut String, scope: Scope) {
    thread_local! {
        // Scope names come from a global, locked repository; cache them per thread so
        // parallel rendering does not queue on that lock.
        static CLASSES: RefCell<HashMap<Scope, String>> = RefCell::new(HashMap::new());
    }
    CLASSES.with(|cache| {
        let mut cache = cache.borrow_mut();
        let classes = cache.entry(scope).or_insert_with(|| {
            scope
                .build_string()
                .split('.')
                .map(|atom| format!("hl-{atom}"))
                .collect::<Vec<_>>()
                .join(" ")
        });
        out.push_str("<span class=\"");
        out.push_str(classes);
        out.push_str("\">");
    });
}

/// Removes `<span …></span>` pairs with nothing inside (left by re-opening at line ends)
/// from `html[from..]`.
fn drop_empty_spans(html: &mut String, from: usize) {
    loop {
        let Some(end) = html[from..].find("\"></span>").map(|e| from + e) else {
            return;
        };
        let Some(start) = html[from..end].rfind("<span class=\"").map(|s| from + s) else {
            return;
        };
        if html[start + 13..end].contains('<') {
            return;
        }
        html.replace_range(start..end + 9, "");
    }
}

/// The rules for scope classes: syntect's CSS for each theme.
pub(super) fn theme_css(theme: &Theme) -> String {
    syntect::html::css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default()
}
