use super::*;

#[test]
fn every_lexer_is_found_by_its_names() {
    for lang in langs::LANGS {
        for name in lang.names {
            let found = find(name).map(|l| l.lang.scope);
            assert_eq!(found, Some(lang.scope), "{name}");
        }
    }
    assert_eq!(find("Python").map(|l| l.lang.scope), Some("source.python"));
}

#[test]
fn every_scope_name_parses() {
    for lexer in lexers() {
        assert!(!lexer.base.is_empty(), "{}", lexer.lang.scope);
        for (name, scopes) in &lexer.scopes {
            assert_eq!(scopes.len(), name.split_whitespace().count(), "{name}");
        }
    }
}
