//! The XSS corpus (tests/hostile/xss-payloads.txt): ids and payloads with their markers filled
//! in, and ways to quote a payload for each input format it is written into.

use crate::support::project_root;

pub struct Payload {
    pub id: String,
    /// The payload as written into every input, marker filled in.
    pub text: String,
}

/// The JavaScript every payload runs if it ever executes: it records its id in `top.__xss`.
/// No quotes and no spaces, so it survives any attribute or URL context it is put in.
pub fn marker(id: &str) -> String {
    format!("(top.__xss=top.__xss||[]).push(/{id}/.source)")
}

pub fn load_payloads() -> Vec<Payload> {
    let file = project_root().join("tests/hostile/xss-payloads.txt");
    let text = std::fs::read_to_string(&file).expect("corpus readable");
    let payloads: Vec<Payload> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, raw) = l.split_once('\t').expect("id<TAB>payload");
            Payload {
                id: id.to_string(),
                text: unescape(raw).replace("$M", &marker(id)),
            }
        })
        .collect();
    assert!(
        payloads.len() >= 40,
        "the corpus has {} payloads",
        payloads.len()
    );
    payloads
}

/// `\n`, `\0`, `\u2028`, `\u2029`, `\\` as in the corpus file's header.
fn unescape(raw: &str) -> String {
    raw.replace("\\\\", "\u{F000}")
        .replace("\\n", "\n")
        .replace("\\0", "\0")
        .replace("\\u2028", "\u{2028}")
        .replace("\\u2029", "\u{2029}")
        .replace('\u{F000}', "\\")
}

/// A YAML double-quoted scalar (JSON syntax, with the line separators YAML 1.1 would read as
/// line breaks escaped too).
pub fn yq(s: &str) -> String {
    serde_json::to_string(s)
        .expect("string serialises")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The payload on one Markdown line (newlines would end the construct it is tested in).
pub fn one_line(s: &str) -> String {
    s.replace('\n', " ")
}
