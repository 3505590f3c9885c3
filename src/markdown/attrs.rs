//! attr_list: `{: #id .class key=value key="quoted value" }` (the colon is optional) into an
//! id, classes and other attributes, written out escaped.

use crate::html::escape_attr;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    pub other: Vec<(String, String)>,
}

impl Attrs {
    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.classes.is_empty() && self.other.is_empty()
    }

    /// ` class="…" id="…" key="…"` with the given extra classes first.
    pub fn write(&self, out: &mut String, extra_classes: &[&str]) {
        let mut classes: Vec<&str> = extra_classes.to_vec();
        classes.extend(self.classes.iter().map(String::as_str));
        if !classes.is_empty() {
            out.push_str(" class=\"");
            escape_attr(out, &classes.join(" "));
            out.push('"');
        }
        if let Some(id) = &self.id {
            out.push_str(" id=\"");
            escape_attr(out, id);
            out.push('"');
        }
        for (k, v) in &self.other {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            escape_attr(out, v);
            out.push('"');
        }
    }
}

/// Parses the inside of `{…}` (without the braces). `None` if it is not an attribute list.
pub fn parse_inner(inner: &str) -> Option<Attrs> {
    let inner = inner.strip_prefix(':').unwrap_or(inner).trim();
    if inner.is_empty() {
        return None;
    }
    let mut attrs = Attrs::default();
    let mut rest = inner;
    while !rest.is_empty() {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let (token, after) = next_token(rest)?;
        rest = after;
        if let Some(id) = token.strip_prefix('#') {
            valid_name(id)?;
            attrs.id = Some(id.to_string());
        } else if let Some(class) = token.strip_prefix('.') {
            valid_name(class)?;
            attrs.classes.push(class.to_string());
        } else if let Some((k, v)) = token.split_once('=') {
            valid_key(k)?;
            let v = unquote(v);
            match k {
                "id" => attrs.id = Some(v),
                "class" => attrs
                    .classes
                    .extend(v.split_whitespace().map(str::to_string)),
                // Event handlers never come from attribute lists; styles keep what the
                // sanitiser keeps on raw HTML.
                _ if k.to_ascii_lowercase().starts_with("on") => {}
                _ if k.eq_ignore_ascii_case("style") => {
                    if let Some(style) = super::html::clean_style(&v) {
                        attrs.other.push(("style".to_string(), style));
                    }
                }
                _ => attrs.other.push((k.to_string(), v)),
            }
        } else {
            valid_key(token)?;
            attrs.other.push((token.to_string(), token.to_string()));
        }
    }
    Some(attrs)
}

/// A trailing `{…}` at the end of `text`: the text before it and the attributes.
pub fn split_trailing(text: &str) -> Option<(&str, Attrs)> {
    let trimmed = text.trim_end();
    let body = trimmed.strip_suffix('}')?;
    let open = body.rfind('{')?;
    let attrs = parse_inner(&body[open + 1..])?;
    Some((&text[..open], attrs))
}

/// A leading `{…}` at the start of `text`: the attributes and the text after it.
pub fn split_leading(text: &str) -> Option<(Attrs, &str)> {
    let inner = text.strip_prefix('{')?;
    let close = inner.find('}')?;
    let attrs = parse_inner(&inner[..close])?;
    Some((attrs, &inner[close + 1..]))
}

fn next_token(s: &str) -> Option<(&str, &str)> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => return Some((&s[..i], &s[i..])),
            _ => {}
        }
    }
    if quote.is_some() {
        return None;
    }
    Some((s, ""))
}

fn unquote(v: &str) -> String {
    let t = v.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].to_string();
        }
    }
    t.to_string()
}

fn valid_name(s: &str) -> Option<()> {
    (!s.is_empty() && !s.contains(['"', '\'', '<', '>', '{', '}', '='])).then_some(())
}

fn valid_key(s: &str) -> Option<()> {
    let ok = !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
    ok.then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_classes_and_values() {
        let a = parse_inner(": #x .a .b width=\"300\" download onclick=\"evil()\"").unwrap();
        assert_eq!(a.id.as_deref(), Some("x"));
        assert_eq!(a.classes, ["a", "b"]);
        assert_eq!(
            a.other,
            [
                ("width".into(), "300".into()),
                ("download".into(), "download".into())
            ]
        );
    }

    #[test]
    fn styles_keep_what_raw_html_keeps() {
        let a = parse_inner(": style=\"width: 50px; position: fixed\"").unwrap();
        assert_eq!(a.other, [("style".into(), "width:50px".into())]);
        let a = parse_inner(": style=\"position: fixed\" STYLE=\"top:0\"").unwrap();
        assert!(a.other.is_empty());
        // A quote the CSS parser keeps in a value is escaped when written.
        let a = parse_inner(": style='width: 1px\" onload=\"x'").unwrap();
        let mut out = String::new();
        a.write(&mut out, &[]);
        assert!(!out.contains("\" onload"), "{out}");
    }

    #[test]
    fn trailing_attrs_split_off() {
        let (text, a) = split_trailing("Title {#t}").unwrap();
        assert_eq!(text, "Title ");
        assert_eq!(a.id.as_deref(), Some("t"));
        assert!(split_trailing("set {x | y}").is_none());
    }
}
