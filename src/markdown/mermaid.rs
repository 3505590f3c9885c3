//! Build-time checks of ```mermaid diagrams: the mistakes that make Mermaid draw its error
//! bomb instead of the diagram, found cheaply without Mermaid's grammar, each with the line
//! (relative to the diagram's first line) and what to do. Checks that would need the full
//! grammar are left to the browser, which shows Mermaid's own message.

/// Diagram types Mermaid 11 knows, as the first word of a diagram.
const DIAGRAM_TYPES: &[&str] = &[
    "graph",
    "flowchart",
    "flowchart-elk",
    "flowchart-v2",
    "sequenceDiagram",
    "classDiagram",
    "classDiagram-v2",
    "stateDiagram",
    "stateDiagram-v2",
    "erDiagram",
    "journey",
    "gantt",
    "pie",
    "quadrantChart",
    "requirementDiagram",
    "gitGraph",
    "C4Context",
    "C4Container",
    "C4Component",
    "C4Dynamic",
    "C4Deployment",
    "mindmap",
    "timeline",
    "zenuml",
    "sankey",
    "sankey-beta",
    "xychart",
    "xychart-beta",
    "block",
    "block-beta",
    "packet",
    "packet-beta",
    "kanban",
    "architecture",
    "architecture-beta",
    "radar-beta",
    "treemap-beta",
    "info",
];

/// Per diagram type: the words that open a block closed by `end` on its own line.
const END_BLOCKS: &[(&str, &[&str])] = &[
    ("graph", &["subgraph"]),
    ("flowchart", &["subgraph"]),
    ("flowchart-elk", &["subgraph"]),
    ("flowchart-v2", &["subgraph"]),
    (
        "sequenceDiagram",
        &[
            "loop", "alt", "opt", "par", "critical", "break", "rect", "box",
        ],
    ),
];

/// Diagram types whose statements carry node shapes in brackets; elsewhere text after `:`
/// is free and may hold any bracket.
const BRACKETED: &[&str] = &["graph", "flowchart", "flowchart-elk", "flowchart-v2"];

/// A problem at `line` (0-based within the diagram's text).
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// Every problem found in the diagram `text`.
pub fn check(text: &str) -> Vec<Problem> {
    let lines: Vec<&str> = text.lines().map(strip_comment).collect();
    let Some((start, kind)) = diagram_type(&lines) else {
        return vec![Problem {
            line: 0,
            message: "the diagram is empty; Mermaid shows an error instead".into(),
        }];
    };
    if !DIAGRAM_TYPES.contains(&kind) {
        return vec![Problem {
            line: start,
            message: unknown_type(kind),
        }];
    }
    let body = &lines[start + 1..];
    let mut problems = Vec::new();
    if let Some((_, openers)) = END_BLOCKS.iter().find(|(k, _)| *k == kind) {
        problems.extend(check_end_blocks(body, openers));
    }
    if BRACKETED.contains(&kind) {
        problems.extend(check_brackets(body));
    }
    if kind == "sequenceDiagram" {
        problems.extend(check_message_semicolons(body));
    }
    for p in &mut problems {
        p.line += start + 1;
    }
    problems.sort_by_key(|p| p.line);
    problems
}

/// `%%` starts a comment (a `%%{init: …}%%` directive is a comment here too).
fn strip_comment(line: &str) -> &str {
    match line.find("%%") {
        Some(i) => &line[..i],
        None => line,
    }
}

/// The first word of the first line after any front matter (`---` … `---`) and blank or
/// comment lines, and that line's index.
fn diagram_type<'a>(lines: &[&'a str]) -> Option<(usize, &'a str)> {
    let mut i = 0;
    if lines.first().is_some_and(|l| l.trim() == "---") {
        i = 1 + lines[1..].iter().position(|l| l.trim() == "---")? + 1;
    }
    let (at, line) = lines
        .iter()
        .enumerate()
        .skip(i)
        .find(|(_, l)| !l.trim().is_empty())?;
    let word = line
        .split(|c: char| c.is_whitespace() || c == ';' || c == ':')
        .find(|w| !w.is_empty())?;
    Some((at, word))
}

fn unknown_type(kind: &str) -> String {
    let hint = DIAGRAM_TYPES
        .iter()
        .find(|t| t.eq_ignore_ascii_case(kind))
        .map(|t| format!("did you mean `{t}`?"))
        .unwrap_or_else(|| "start the diagram with a type such as `flowchart LR`, `sequenceDiagram` or `classDiagram`".into());
    format!("`{kind}` is not a Mermaid diagram type; {hint}")
}

/// `subgraph` (flowchart) or `loop`/`alt`/… (sequence) blocks each need one `end`.
fn check_end_blocks(body: &[&str], openers: &[&str]) -> Vec<Problem> {
    let mut open: Vec<(usize, &str)> = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in body.iter().enumerate() {
        let first = line.split_whitespace().next().unwrap_or_default();
        let first = first.trim_end_matches(';');
        if first == "end" {
            if open.pop().is_none() {
                problems.push(Problem {
                    line: i,
                    message: "`end` closes no block; remove it, or open the block it ends".into(),
                });
            }
        } else if let Some(word) = openers.iter().find(|w| **w == first) {
            open.push((i, word));
        }
    }
    problems.extend(open.into_iter().map(|(line, word)| Problem {
        line,
        message: format!("`{word}` is never closed; add a line `end` where the block ends"),
    }));
    problems
}

/// Brackets and quotes in flowchart statements: a quote left open, or a shape closed with
/// the wrong bracket or never closed. A closing bracket with nothing open is allowed, as
/// the asymmetric shape `id>text]` has one.
fn check_brackets(body: &[&str]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut quote: Option<usize> = None;
    for (i, line) in body.iter().enumerate() {
        for c in line.chars() {
            if c == '"' {
                quote = if quote.is_some() { None } else { Some(i) };
                continue;
            }
            if quote.is_some() {
                continue;
            }
            match c {
                '(' | '[' | '{' => open.push((i, c)),
                ')' | ']' | '}' => match open.last() {
                    Some(&(_, o)) if closer(o) == c => {
                        open.pop();
                    }
                    Some(&(at, o)) => {
                        problems.push(Problem {
                            line: i,
                            message: format!(
                                "`{c}` closes the `{o}` opened on line {}; close it with `{}`, or quote the label (\"…\") if the bracket is text",
                                at + 1,
                                closer(o)
                            ),
                        });
                        open.pop();
                    }
                    None => {}
                },
                _ => {}
            }
        }
    }
    if let Some(line) = quote {
        // An open quote swallows the rest, so the brackets after it say nothing more.
        open.retain(|&(at, _)| at < line);
        problems.push(Problem {
            line,
            message: "a `\"` is never closed; close the label's quotes, or write #quot; for a quote in text".into(),
        });
    }
    problems.extend(open.into_iter().map(|(line, o)| Problem {
        line,
        message: format!(
            "`{o}` is never closed; close it with `{}`, or quote the label (\"…\") if the bracket is text",
            closer(o)
        ),
    }));
    problems
}

fn closer(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

/// In a sequence diagram `;` ends a statement, so a `;` in message text cuts the message
/// and Mermaid fails on the rest.
fn check_message_semicolons(body: &[&str]) -> Vec<Problem> {
    body.iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let (head, text) = line.split_once(':')?;
            let is_message = head.contains("->") || head.contains("--");
            let text = without_entity_codes(text);
            (is_message && text.trim_end().trim_end_matches(';').contains(';')).then(|| Problem {
                line: i,
                message:
                    "`;` in message text ends the statement in Mermaid; write #59; for a semicolon"
                        .into(),
            })
        })
        .collect()
}

/// `text` without Mermaid's entity codes (`#59;`, `#quot;`), whose `;` is not a separator.
fn without_entity_codes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .filter(|&n| n > 0 && after[n..].starts_with(';'));
        match name {
            Some(n) => rest = &after[n + 1..],
            None => {
                out.push('#');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<usize> {
        check(text).iter().map(|p| p.line).collect()
    }

    #[test]
    fn valid_diagrams_pass() {
        let ok = [
            "flowchart LR\n  A[Start] --> B{Is it?}\n  B -->|Yes| C((Done))\n  D>flag] --> E[(db)]\n",
            "graph TD;\n  subgraph one [One]\n    a1 --> a2\n  end\n",
            "---\ntitle: T\n---\n%% a comment\nsequenceDiagram\n  loop every 2s\n    A->>B: hi (there)\n  end\n",
            "%%{init: {'theme': 'dark'}}%%\npie title Pets\n  \"Dogs\" : 386\n",
            "flowchart LR\n  A[\"a (quoted ] bracket\"] --> B\n",
        ];
        for text in ok {
            assert_eq!(check(text), Vec::new(), "{text}");
        }
    }

    #[test]
    fn unknown_type_is_reported_with_a_suggestion() {
        let p = check("\nsequencediagram\n  A->>B: hi\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, 1);
        assert!(
            p[0].message.contains("did you mean `sequenceDiagram`"),
            "{}",
            p[0].message
        );
        assert!(
            check("flowchat LR\n")[0]
                .message
                .contains("not a Mermaid diagram type")
        );
    }

    #[test]
    fn unbalanced_brackets_and_quotes_are_found_on_their_line() {
        assert_eq!(lines("flowchart LR\n  A[Start --> B\n"), [1]);
        assert_eq!(lines("flowchart LR\n  A(Start] --> B\n"), [1]);
        assert_eq!(lines("flowchart LR\n  A --> B\n  B[\"open --> C\n"), [2]);
    }

    #[test]
    fn subgraph_and_end_counts_must_match() {
        assert_eq!(lines("flowchart LR\n  subgraph a\n    x --> y\n"), [1]);
        assert_eq!(lines("flowchart LR\n  x --> y\n  end\n"), [2]);
        assert_eq!(lines("sequenceDiagram\n  alt ok\n    A->>B: x\n"), [1]);
    }

    #[test]
    fn semicolons_in_sequence_messages_are_found() {
        assert_eq!(
            lines("sequenceDiagram\n  A->>B: BEGIN; COMMIT\n  A->>B: fine;\n"),
            [1]
        );
    }
}
