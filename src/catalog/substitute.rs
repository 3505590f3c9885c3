//! Placeholders: `$text`, `$json` and `$yaml` one-key mappings replaced by the file they name,
//! read relative to the entity's file and never from outside its repository (spec §5.3).
//! A failed placeholder fails only its own field.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, display_path};
use crate::fsutil;
use crate::yaml::{self, Node, Schema, Value};

/// Placeholder files larger than this are refused.
const MAX_PLACEHOLDER_BYTES: u64 = 16 * 1024 * 1024;

pub struct Context<'a> {
    pub file: &'a Path,
    pub repo: &'a Path,
}

/// Replaces every placeholder in `node`, recursively; placeholders inside loaded content are
/// left alone (substitution is not recursive, as in Backstage).
pub fn substitute(node: &mut Node, ctx: &Context, diags: &mut Vec<Diagnostic>) {
    if let Some((kind, target)) = placeholder(node) {
        let (kind, target) = (kind.to_string(), target.clone());
        *node = resolve(&kind, &target, node, ctx, diags);
        return;
    }
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| substitute(n, ctx, diags)),
        Value::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, v)| substitute(v, ctx, diags)),
        _ => {}
    }
}

pub fn placeholder(node: &Node) -> Option<(&str, &Node)> {
    let [(key, value)] = node.as_map()? else {
        return None;
    };
    let key = key.as_str()?;
    matches!(key, "$text" | "$json" | "$yaml").then_some((key, value))
}

fn resolve(
    kind: &str,
    target: &Node,
    at: &Node,
    ctx: &Context,
    diags: &mut Vec<Diagnostic>,
) -> Node {
    let text_node = |s: String| Node {
        value: Value::String(s),
        line: at.line,
        col: at.col,
        tag: None,
    };
    let Some(spec) = target.as_str() else {
        diags.push(fail(
            Code::SubstitutionFailed,
            ctx,
            target,
            format!("{kind} needs a path or URL string"),
        ));
        return text_node(format!("(unresolved {kind})"));
    };
    if spec.starts_with("http://") || spec.starts_with("https://") {
        diags.push(
            fail(
                Code::RemoteNotFetched,
                ctx,
                target,
                format!("{kind} {spec} is remote and was not fetched; the page links to it"),
            )
            .hint("put the file in the repository and use a relative path to show it inline"),
        );
        return text_node(spec.to_string());
    }
    match load(kind, spec, at, ctx) {
        Ok(node) => node,
        Err((code, message)) => {
            diags.push(fail(code, ctx, target, message));
            // A failed $text leaves a visible marker; a failed $json/$yaml leaves nothing, so
            // the field's own shape check does not report the same problem twice.
            match kind {
                "$text" => text_node(format!("(unresolved {kind}: {spec})")),
                _ => Node {
                    value: Value::Null,
                    line: at.line,
                    col: at.col,
                    tag: None,
                },
            }
        }
    }
}

/// The local file a placeholder names, resolved and confined as `substitute` does it; None
/// for a remote or unusable one.
pub fn placeholder_file(node: &Node, ctx: &Context) -> Option<PathBuf> {
    let spec = placeholder(node)?.1.as_str()?;
    let remote = spec.starts_with("http://") || spec.starts_with("https://");
    (!remote).then(|| confined_path(spec, ctx).ok()).flatten()
}

fn fail(code: Code, ctx: &Context, at: &Node, message: String) -> Diagnostic {
    Diagnostic::new(code, message).at(ctx.file, at.line, at.col)
}

fn load(kind: &str, spec: &str, at: &Node, ctx: &Context) -> Result<Node, (Code, String)> {
    let path = confined_path(spec, ctx)?;
    let text = fsutil::read_text_limited(&path, MAX_PLACEHOLDER_BYTES)
        .map_err(|e| (Code::SubstitutionFailed, format!("{kind} {spec}: {e}")))?;
    let placed = |value: Value| Node {
        value,
        line: at.line,
        col: at.col,
        tag: None,
    };
    match kind {
        "$text" => Ok(placed(Value::String(text))),
        "$json" => serde_json::from_str::<serde_json::Value>(&text)
            .map(|j| from_json(&j, at))
            .map_err(|e| {
                (
                    Code::SubstitutionFailed,
                    format!("$json {spec}: invalid JSON: {e}"),
                )
            }),
        _ => match yaml::parse_documents(&text, Schema::Core12).as_slice() {
            [Ok(doc)] => Ok(doc.root.clone().map_or(placed(Value::Null), |mut n| {
                reposition(&mut n, at);
                n
            })),
            [Err(e)] => Err((Code::SubstitutionFailed, format!("$yaml {spec}: {e}"))),
            docs => Err((
                Code::SubstitutionFailed,
                format!(
                    "$yaml {spec}: expected exactly one YAML document, found {}",
                    docs.len()
                ),
            )),
        },
    }
}

/// Resolves a placeholder path against the entity file's folder, refusing any path that
/// leaves the repository (after `..` and symlinks).
fn confined_path(spec: &str, ctx: &Context) -> Result<PathBuf, (Code, String)> {
    let relative = spec.strip_prefix("file:").unwrap_or(spec);
    let base = ctx.file.parent().unwrap_or(ctx.repo);
    let joined = base.join(relative);
    let escapes = || {
        (
            Code::SubstitutionEscapes,
            format!(
                "placeholder path \"{spec}\" leaves its repository (the folder {})",
                display_path(ctx.repo, ctx.repo.parent().unwrap_or(ctx.repo))
            ),
        )
    };
    if !fsutil::lexically_inside(&joined, ctx.repo) {
        return Err(escapes());
    }
    let real = joined.canonicalize().map_err(|e| {
        (
            Code::SubstitutionFailed,
            format!("cannot read \"{spec}\": {e}"),
        )
    })?;
    if !fsutil::real_inside(&real, ctx.repo) {
        return Err(escapes());
    }
    Ok(real)
}

pub fn from_json(json: &serde_json::Value, at: &Node) -> Node {
    use serde_json::Value as J;
    let value = match json {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Float(n.as_f64().unwrap_or(f64::NAN)), Value::Int),
        J::String(s) => Value::String(s.clone()),
        J::Array(items) => Value::Seq(items.iter().map(|i| from_json(i, at)).collect()),
        J::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| {
                    (
                        Node {
                            value: Value::String(k.clone()),
                            line: at.line,
                            col: at.col,
                            tag: None,
                        },
                        from_json(v, at),
                    )
                })
                .collect(),
        ),
    };
    Node {
        value,
        line: at.line,
        col: at.col,
        tag: None,
    }
}

/// Loaded content is reported at the placeholder's position, not at lines of another file.
fn reposition(node: &mut Node, at: &Node) {
    node.line = at.line;
    node.col = at.col;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| reposition(n, at)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            reposition(k, at);
            reposition(v, at);
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(dir: &Path, doc: &str) -> (Node, Vec<Diagnostic>) {
        let file = dir.join("repo/catalog-info.yaml");
        let mut node = yaml::parse_single(doc, Schema::Core12).unwrap().unwrap();
        let mut diags = Vec::new();
        let repo = dir.join("repo");
        substitute(
            &mut node,
            &Context {
                file: &file,
                repo: &repo,
            },
            &mut diags,
        );
        (node, diags)
    }

    fn setup() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("repo/api")).unwrap();
        std::fs::write(dir.path().join("repo/api/spec.txt"), "hello").unwrap();
        std::fs::write(dir.path().join("repo/api/data.json"), r#"{"a": [1, 2]}"#).unwrap();
        std::fs::write(dir.path().join("repo/api/two.yaml"), "a: 1\n---\nb: 2\n").unwrap();
        std::fs::write(dir.path().join("outside.txt"), "secret").unwrap();
        dir
    }

    #[test]
    fn text_and_json_are_loaded_relative_to_the_file() {
        let dir = setup();
        let (node, diags) = run(
            dir.path(),
            "a:\n  $text: ./api/spec.txt\nb:\n  $json: api/data.json\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(node.get("a").unwrap().as_str(), Some("hello"));
        assert_eq!(
            node.get("b").unwrap().to_json(),
            serde_json::json!({"a": [1, 2]})
        );
    }

    #[test]
    fn paths_leaving_the_repository_are_refused() {
        let dir = setup();
        for target in ["../outside.txt", "/etc/passwd", "api/../../outside.txt"] {
            let (node, diags) = run(dir.path(), &format!("a:\n  $text: {target}\n"));
            assert_eq!(diags.len(), 1, "{target}");
            assert_eq!(diags[0].code, Code::SubstitutionEscapes, "{target}");
            assert_eq!(diags[0].line, Some(2));
            assert!(!node.get("a").unwrap().as_str().unwrap().contains("secret"));
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_repository_are_refused() {
        let dir = setup();
        std::os::unix::fs::symlink(
            dir.path().join("outside.txt"),
            dir.path().join("repo/link.txt"),
        )
        .unwrap();
        let (_, diags) = run(dir.path(), "a:\n  $text: ./link.txt\n");
        assert_eq!(diags[0].code, Code::SubstitutionEscapes);
    }

    #[test]
    fn yaml_must_hold_one_document_and_other_dollar_keys_stay() {
        let dir = setup();
        let (node, diags) = run(dir.path(), "a:\n  $yaml: api/two.yaml\nb:\n  $ref: '#/x'\n");
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].message.contains("exactly one"),
            "{}",
            diags[0].message
        );
        assert!(node.get("b").unwrap().get("$ref").is_some());
    }

    #[test]
    fn remote_placeholders_are_not_fetched() {
        let dir = setup();
        let (node, diags) = run(dir.path(), "a:\n  $text: https://example.org/schema\n");
        assert_eq!(diags[0].code, Code::RemoteNotFetched);
        assert_eq!(
            node.get("a").unwrap().as_str(),
            Some("https://example.org/schema")
        );
    }
}
