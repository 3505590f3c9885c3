//! A quote-aware scan of HTML tags and what in them could run script: shared by the XSS
//! corpus test (tests/it/xss) and the Markdown properties (tests/markdown_golden/props.rs).
// Each test binary uses a different part of it.
#![allow(dead_code)]

/// Attributes whose value is fetched or navigated to.
pub const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "background",
    "srcdoc",
    "srcset",
    "ping",
    "cite",
];

/// Elements stagedoor never writes from input: each one can load or run something.
pub const FORBIDDEN_TAGS: &[&str] = &[
    "iframe", "object", "embed", "frame", "frameset", "base", "applet",
];

/// `&#58;`, `&#x6a;`, `&colon;`-style entities decoded, then ASCII whitespace and controls
/// dropped and lower-cased: what a browser compares a URL scheme against.
pub fn normalise_url(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|e| *e < 12);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let code = if let Some(hex) = ent.strip_prefix("#x").or(ent.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(dec) = ent.strip_prefix('#') {
                dec.parse().ok()
            } else {
                match ent {
                    "colon" => Some(58),
                    "tab" => Some(9),
                    "newline" => Some(10),
                    "amp" => Some(38),
                    _ => None,
                }
            };
            code.and_then(char::from_u32).map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Whether a URL attribute's value could run script.
pub fn is_script_url(tag: &str, attr: &str, value: &str) -> bool {
    let v = normalise_url(value);
    if attr == "srcdoc" {
        return !value.is_empty();
    }
    v.starts_with("javascript:")
        || v.starts_with("vbscript:")
        || (v.starts_with("data:") && !(tag == "img" && v.starts_with("data:image/")))
}

pub struct Tag<'a> {
    pub name: String,
    pub attrs: Vec<(String, &'a str)>,
    /// Text right after the tag (for inline scripts: their body).
    pub after: &'a str,
}

/// Splits HTML into its tags, reading attribute values with their quotes as a browser does.
pub fn scan_tags(html: &str) -> Vec<Tag<'_>> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(c) = rest.strip_prefix("!--") {
            rest = c.find("-->").map_or("", |e| &c[e + 3..]);
            continue;
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        let mut after = &rest[name_len..];
        let mut attrs = Vec::new();
        loop {
            after = after.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if after.is_empty() || after.starts_with('>') {
                break;
            }
            let key_len = after
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
                .unwrap_or(after.len())
                .max(1);
            let key = after[..key_len].to_ascii_lowercase();
            after = &after[key_len..];
            let mut value = "";
            if let Some(v) = after.trim_start().strip_prefix('=') {
                let v = v.trim_start();
                let quote = v.chars().next().filter(|c| *c == '"' || *c == '\'');
                let (val, tail) = match quote {
                    Some(q) => match v[1..].find(q) {
                        Some(e) => (&v[1..1 + e], &v[2 + e..]),
                        None => (&v[1..], ""),
                    },
                    None => {
                        let e = v
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .unwrap_or(v.len());
                        (&v[..e], &v[e..])
                    }
                };
                value = val;
                after = tail;
            }
            attrs.push((key, value));
        }
        let body = after.strip_prefix('>').unwrap_or(after);
        tags.push(Tag {
            name,
            attrs,
            after: body,
        });
        rest = body;
    }
    tags
}

/// Everything in the tags that could run script, except `<script>` elements themselves
/// (whether one is allowed depends on who wrote it), as `what: detail` lines.
pub fn tag_findings(tag: &Tag) -> Vec<String> {
    let mut found = Vec::new();
    if FORBIDDEN_TAGS.contains(&tag.name.as_str()) {
        found.push(format!("forbidden tag <{}>", tag.name));
    }
    if tag.name == "meta" && tag.attrs.iter().any(|(k, _)| k == "http-equiv") {
        found.push("meta http-equiv".to_string());
    }
    for (k, v) in &tag.attrs {
        if k.starts_with("on") {
            found.push(format!("event handler <{} {k}={v:?}>", tag.name));
        }
        if URL_ATTRS.contains(&k.as_str()) && is_script_url(&tag.name, k, v) {
            found.push(format!("script URL <{} {k}={v:?}>", tag.name));
        }
        if k == "style" && normalise_url(v).contains("expression(") {
            found.push(format!("CSS expression <{} style={v:?}>", tag.name));
        }
    }
    found
}

/// A reference made from hostile fields holds no `<script>`, none of the tags only Markdown
/// may not keep (`svg`, `b`, `iframe`: plain fields such as titles, summaries and names keep
/// no tag at all; descriptions may keep a sanitised `<img>`) and nothing that could run.
pub fn assert_reference_inert(html: &str) {
    for tag in scan_tags(html) {
        assert_ne!(tag.name, "script", "a <script> got through: {}", tag.after);
        assert!(
            !["svg", "b", "iframe"].contains(&tag.name.as_str()),
            "<{}> got through",
            tag.name
        );
        let findings = tag_findings(&tag);
        assert!(findings.is_empty(), "{findings:?}");
    }
}
