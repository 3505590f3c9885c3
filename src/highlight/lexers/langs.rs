//! The language tables. Scope names are those syntect's grammar (two-face's syntax set)
//! gives the same tokens, so the themes colour them alike; `examples/highlight_agreement.rs`
//! measures how often the two agree, character by character, on real code.

use super::{Comment, Lang, Quote};

const NONE: Lang = Lang {
    names: &[],
    scope: "",
    comments: &[],
    comment_after_space: false,
    quotes: &[],
    words: &[],
    fold_case: false,
    ident_extra: &[],
    sigils: &[],
    names_after: &[],
    call: None,
    command: None,
    command_after: &[],
    capitalised: None,
    upper_case: None,
    plain: None,
    number: None,
    operators: None,
    quoted_key: None,
    assigned_key: None,
    section: None,
    annotation: None,
    member_call: None,
    member: None,
    heredoc: None,
    before_colon: None,
    plain_operators: &[],
    name_after_receiver: false,
    path_call: None,
    attribute: None,
    type_after: None,
    declaration: None,
    dotted_names: false,
    option: None,
    defined_by: None,
    named_arg: None,
    case_pattern: None,
    listed_after: &[],
    assigned_value: None,
};

const fn line_comment(open: &'static str, scope: &'static str) -> Comment {
    Comment {
        open,
        close: None,
        scope,
        tags: None,
    }
}

const fn block_comment(open: &'static str, close: &'static str, scope: &'static str) -> Comment {
    Comment {
        open,
        close: Some(close),
        scope,
        tags: None,
    }
}

pub(super) const LANGS: &[Lang] = &[
    PYTHON, JAVASCRIPT, TYPESCRIPT, JAVA, KOTLIN, CSHARP, GO, RUST, RUBY, BASH, JSON, YAML, HCL,
    DOCKERFILE, SQL,
];

const PY_DOUBLE: &str = "string.quoted.double.python";
const PY_SINGLE: &str = "string.quoted.single.python";
const PY_DOUBLE_BLOCK: &str = "string.quoted.double.block.python";
const PY_SINGLE_BLOCK: &str = "string.quoted.single.block.python";
const PY_DOC: &str = "comment.block.documentation.python";
const PY_ESCAPE: &str = "constant.character.escape.python";
const PY_FORMAT: &str = "meta.interpolation.python";

/// Longest opening first: a prefixed or tripled quote before a plain one, so that `r"""`
/// is not read as the empty string `r""` and a quote.
const PYTHON_QUOTES: &[Quote] = &[
    Quote::new("\"\"\"", "\"\"\"", PY_DOUBLE_BLOCK)
        .multiline()
        .escapes(PY_ESCAPE)
        .docstring(PY_DOC),
    Quote::new("'''", "'''", PY_SINGLE_BLOCK)
        .multiline()
        .escapes(PY_ESCAPE)
        .docstring(PY_DOC),
    Quote::new("r\"\"\"", "\"\"\"", PY_DOUBLE_BLOCK)
        .multiline()
        .raw()
        .docstring(PY_DOC),
    Quote::new("r'''", "'''", PY_SINGLE_BLOCK)
        .multiline()
        .raw()
        .docstring(PY_DOC),
    Quote::new("f\"\"\"", "\"\"\"", PY_DOUBLE_BLOCK)
        .multiline()
        .escapes(PY_ESCAPE)
        .interpolating("{", PY_FORMAT),
    Quote::new("f'''", "'''", PY_SINGLE_BLOCK)
        .multiline()
        .escapes(PY_ESCAPE)
        .interpolating("{", PY_FORMAT),
    Quote::new("b\"\"\"", "\"\"\"", PY_DOUBLE_BLOCK)
        .multiline()
        .escapes(PY_ESCAPE),
    Quote::new("u\"\"\"", "\"\"\"", PY_DOUBLE_BLOCK)
        .multiline()
        .escapes(PY_ESCAPE)
        .docstring(PY_DOC),
    Quote::new("f\"", "\"", PY_DOUBLE)
        .escapes(PY_ESCAPE)
        .interpolating("{", PY_FORMAT),
    Quote::new("f'", "'", PY_SINGLE)
        .escapes(PY_ESCAPE)
        .interpolating("{", PY_FORMAT),
    Quote::new("rb\"", "\"", PY_DOUBLE).raw(),
    Quote::new("rb'", "'", PY_SINGLE).raw(),
    Quote::new("br\"", "\"", PY_DOUBLE).raw(),
    Quote::new("br'", "'", PY_SINGLE).raw(),
    Quote::new("r\"", "\"", PY_DOUBLE).raw(),
    Quote::new("r'", "'", PY_SINGLE).raw(),
    Quote::new("R\"", "\"", PY_DOUBLE).raw(),
    Quote::new("R'", "'", PY_SINGLE).raw(),
    Quote::new("b\"", "\"", PY_DOUBLE).escapes(PY_ESCAPE),
    Quote::new("b'", "'", PY_SINGLE).escapes(PY_ESCAPE),
    Quote::new("u\"", "\"", PY_DOUBLE).escapes(PY_ESCAPE),
    Quote::new("u'", "'", PY_SINGLE).escapes(PY_ESCAPE),
    Quote::new("\"", "\"", PY_DOUBLE).escapes(PY_ESCAPE),
    Quote::new("'", "'", PY_SINGLE).escapes(PY_ESCAPE),
];

const PYTHON: Lang = Lang {
    names: &["python", "py", "python3", "py3"],
    scope: "source.python",
    comments: &[line_comment("#", "comment.line.number-sign.python")],
    quotes: PYTHON_QUOTES,
    words: &[
        (
            "keyword.control.flow.python",
            &[
                "if", "elif", "else", "for", "while", "return", "break", "continue", "pass",
                "raise", "try", "except", "finally", "with", "yield", "await", "async",
            ],
        ),
        ("keyword.control.import.python", &["import", "from", "as"]),
        (
            "keyword.operator.logical.python",
            &["and", "or", "not", "in", "is"],
        ),
        ("storage.type.function.python", &["def", "lambda"]),
        ("storage.type.class.python", &["class"]),
        ("storage.modifier.global.python", &["global", "nonlocal"]),
        ("keyword.other.python", &["del", "assert"]),
        (
            "constant.language.python",
            &["True", "False", "None", "NotImplemented", "Ellipsis"],
        ),
        ("variable.language.python", &["self", "cls", "super"]),
        (
            "support.type.exception.python",
            &[
                "Exception",
                "BaseException",
                "ValueError",
                "TypeError",
                "KeyError",
                "IndexError",
                "AttributeError",
                "RuntimeError",
                "NotImplementedError",
                "ImportError",
                "ModuleNotFoundError",
                "OSError",
                "IOError",
                "FileNotFoundError",
                "PermissionError",
                "StopIteration",
                "KeyboardInterrupt",
                "SystemExit",
                "AssertionError",
                "LookupError",
                "UnicodeError",
                "UnicodeDecodeError",
                "UnicodeEncodeError",
                "ZeroDivisionError",
                "OverflowError",
                "TimeoutError",
                "ConnectionError",
                "EOFError",
                "NameError",
                "RecursionError",
                "DeprecationWarning",
                "UserWarning",
                "Warning",
            ],
        ),
        (
            "support.variable.magic.python",
            &[
                "__all__",
                "__name__",
                "__doc__",
                "__file__",
                "__dict__",
                "__class__",
                "__module__",
                "__slots__",
                "__version__",
            ],
        ),
        (
            "support.function.builtin.python",
            &[
                "print",
                "len",
                "range",
                "open",
                "isinstance",
                "sorted",
                "enumerate",
                "zip",
                "map",
                "filter",
                "sum",
                "min",
                "max",
                "any",
                "all",
                "abs",
                "round",
                "getattr",
                "setattr",
                "hasattr",
                "repr",
                "iter",
                "next",
            ],
        ),
        (
            "support.type.python",
            &[
                "int",
                "str",
                "float",
                "dict",
                "list",
                "set",
                "tuple",
                "bool",
                "bytes",
                "object",
                "type",
                "frozenset",
                "complex",
                "bytearray",
            ],
        ),
    ],
    names_after: &[
        ("def", "entity.name.function.python"),
        ("class", "entity.name.class.python"),
    ],
    call: Some("meta.function-call.python variable.function.python"),
    member_call: Some("meta.function-call.python variable.function.python"),
    number: Some("constant.numeric.python"),
    upper_case: Some("variable.other.constant.python"),
    quoted_key: Some("meta.mapping.key.python string.quoted.single.python"),
    named_arg: Some((b'=', false, "variable.parameter.python")),
    listed_after: &[
        ("def", "variable.parameter.python"),
        ("class", "entity.other.inherited-class.python"),
    ],
    annotation: Some("meta.annotation.python variable.annotation.function.python"),
    operators: Some(("=+-*/%<>!&|^~", "keyword.operator.python")),
    ..NONE
};

const C_OPERATORS: Option<(&str, &str)> = Some(("=+-*/%<>!&|^~?", "keyword.operator"));

const JAVASCRIPT: Lang = Lang {
    names: &["javascript", "js", "jsx", "mjs", "cjs", "node"],
    scope: "source.js",
    comments: &[
        line_comment("//", "comment.line.double-slash.js"),
        block_comment("/*", "*/", "comment.block.js"),
    ],
    quotes: &[
        Quote::new("`", "`", "string.quoted.other.template.js")
            .multiline()
            .interpolating("${", "meta.interpolation.js variable.other.readwrite.js"),
        Quote::new("\"", "\"", "string.quoted.double.js").escapes("constant.character.escape.js"),
        Quote::new("'", "'", "string.quoted.single.js").escapes("constant.character.escape.js"),
    ],
    words: &[
        (
            "keyword.control.js",
            &[
                "if", "else", "for", "while", "do", "return", "break", "continue", "switch",
                "case", "default", "try", "catch", "finally", "throw", "await", "yield", "import",
                "export", "from", "as",
            ],
        ),
        (
            "keyword.operator.js",
            &["new", "delete", "typeof", "instanceof", "in", "of", "void"],
        ),
        (
            "storage.type.js",
            &[
                "var", "let", "const", "function", "class", "async", "extends", "static", "get",
                "set",
            ],
        ),
        (
            "constant.language.js",
            &["true", "false", "null", "undefined", "NaN", "Infinity"],
        ),
        ("variable.language.this.js", &["this"]),
        ("variable.language.js", &["super", "arguments"]),
        ("support.function.node.js", &["require"]),
        ("support.type.object.console.js", &["console"]),
        (
            "support.constant.node.js",
            &["module", "exports", "process", "__dirname", "__filename"],
        ),
    ],
    ident_extra: b"$",
    plain: Some("variable.other.readwrite.js"),
    member: Some("meta.property.object.js"),
    before_colon: Some("meta.mapping.key.js"),
    declaration: Some("meta.function.declaration.js entity.name.function.js"),
    upper_case: Some("variable.other.constant.js"),
    names_after: &[
        (
            "function",
            "meta.function.declaration.js entity.name.function.js",
        ),
        ("class", "entity.name.class.js"),
    ],
    call: Some("meta.function-call.js variable.function.js"),
    member_call: Some("meta.function-call.method.js variable.function.js"),
    capitalised: Some("support.class.js"),
    number: Some("constant.numeric.js"),
    operators: C_OPERATORS,
    ..NONE
};

const TYPESCRIPT: Lang = Lang {
    names: &["typescript", "ts", "tsx", "mts", "cts"],
    scope: "source.ts",
    comments: &[
        line_comment("//", "comment.line.double-slash.ts"),
        block_comment("/**/", "", "comment.block.ts"),
        block_comment("/**", "*/", "comment.block.documentation.ts").tagged((
            "storage.type.class.jsdoc",
            "variable.other.jsdoc",
            &[
                "param", "property", "prop", "arg", "argument", "typedef", "callback",
            ],
        )),
        block_comment("/*", "*/", "comment.block.ts"),
    ],
    words: &[
        (
            "keyword.control.ts",
            &[
                "if", "else", "for", "while", "do", "return", "break", "continue", "switch",
                "case", "default", "try", "catch", "finally", "throw", "await", "yield", "import",
                "export", "from", "as",
            ],
        ),
        (
            "keyword.operator.ts",
            &[
                "new",
                "delete",
                "typeof",
                "instanceof",
                "in",
                "of",
                "void",
                "keyof",
            ],
        ),
        (
            "storage.type.ts",
            &[
                "var",
                "let",
                "const",
                "function",
                "class",
                "interface",
                "type",
                "enum",
                "namespace",
                "async",
                "extends",
                "implements",
                "static",
                "readonly",
                "public",
                "private",
                "protected",
                "abstract",
                "declare",
                "constructor",
                "get",
                "set",
            ],
        ),
        (
            "support.type.primitive.ts",
            &[
                "string", "number", "boolean", "any", "unknown", "never", "void", "object",
                "bigint",
            ],
        ),
        (
            "constant.language.ts",
            &["true", "false", "null", "undefined", "NaN", "Infinity"],
        ),
        ("variable.language.ts", &["this", "super", "arguments"]),
    ],
    names_after: &[
        ("function", "entity.name.function.ts"),
        ("class", "entity.name.type.class.ts"),
        (
            "const",
            "meta.definition.variable.ts variable.other.constant.ts",
        ),
        ("interface", "entity.name.type.interface.ts"),
        ("type", "entity.name.type.alias.ts"),
        ("enum", "entity.name.type.enum.ts"),
        ("extends", "entity.other.inherited-class.ts"),
        ("implements", "entity.other.inherited-class.ts"),
    ],
    call: Some("meta.function-call.ts entity.name.function.ts"),
    member_call: Some("meta.function-call.ts entity.name.function.ts"),
    capitalised: None,
    type_after: Some((b":<|", "entity.name.type.ts")),
    plain: Some("variable.other.readwrite.ts"),
    member: Some("variable.other.property.ts"),
    before_colon: None,
    upper_case: None,
    quoted_key: None,
    declaration: Some("meta.method.declaration.ts entity.name.function.ts"),
    operators: Some(("=+-*/%<>!&|^~?:", "keyword.operator.ts")),
    annotation: Some("meta.decorator.ts"),
    ..JAVASCRIPT
};

const JAVA: Lang = Lang {
    names: &["java"],
    scope: "source.java",
    comments: &[
        line_comment("//", "comment.line.double-slash.java"),
        block_comment("/*", "*/", "comment.block.java"),
    ],
    quotes: &[
        Quote::new("\"\"\"", "\"\"\"", "string.quoted.triple.java").multiline(),
        Quote::new("\"", "\"", "string.quoted.double.java")
            .escapes("constant.character.escape.java"),
        Quote::new("'", "'", "string.quoted.single.java").escapes("constant.character.escape.java"),
    ],
    words: &[
        (
            "keyword.control.java",
            &[
                "if", "else", "for", "while", "do", "return", "break", "continue", "switch",
                "case", "default", "try", "catch", "finally", "throw", "yield",
            ],
        ),
        ("keyword.other.import.java", &["import", "package"]),
        ("keyword.other.new.java", &["new"]),
        ("keyword.operator.instanceof.java", &["instanceof"]),
        (
            "storage.modifier.java",
            &[
                "public",
                "private",
                "protected",
                "static",
                "final",
                "abstract",
                "synchronized",
                "volatile",
                "transient",
                "native",
                "default",
                "extends",
                "implements",
                "throws",
                "sealed",
                "permits",
            ],
        ),
        (
            "storage.type.java",
            &["class", "interface", "enum", "record", "var"],
        ),
        (
            "storage.type.primitive.java",
            &[
                "int", "long", "short", "byte", "char", "boolean", "float", "double", "void",
            ],
        ),
        ("constant.language.java", &["true", "false", "null"]),
        ("variable.language.java", &["this", "super"]),
    ],
    names_after: &[
        ("class", "entity.name.class.java"),
        ("interface", "entity.name.class.java"),
        ("enum", "entity.name.class.java"),
        ("record", "entity.name.class.java"),
        (
            "import",
            "meta.import.java meta.path.java support.type.package.java",
        ),
        ("package", "entity.name.namespace.java"),
        ("new", "support.class.java"),
    ],
    dotted_names: true,
    plain: Some(
        "meta.class.java meta.class.body.java meta.block.java meta.method.java meta.method.body.java",
    ),
    member: Some(
        "meta.class.java meta.class.body.java meta.block.java meta.method.java meta.method.body.java",
    ),
    call: Some("meta.function-call.java variable.function.java"),
    member_call: Some("meta.function-call.java variable.function.java"),
    capitalised: Some("support.class.java"),
    upper_case: Some("constant.other.java"),
    number: Some("constant.numeric.java"),
    annotation: Some("meta.annotation.java variable.annotation.java"),
    declaration: Some("meta.method.identifier.java entity.name.function.java"),
    operators: C_OPERATORS,
    ..NONE
};

const KOTLIN: Lang = Lang {
    names: &["kotlin", "kt", "kts"],
    scope: "source.kotlin",
    comments: &[
        line_comment("//", "comment.line.double-slash.kotlin"),
        block_comment("/*", "*/", "comment.block.kotlin"),
    ],
    quotes: &[
        Quote::new("\"\"\"", "\"\"\"", "string.quoted.triple.kotlin")
            .multiline()
            .raw()
            .interpolating("${", "variable.parameter.template.kotlin")
            .with_vars("variable.parameter.template.kotlin"),
        Quote::new("\"", "\"", "string.quoted.double.kotlin")
            .interpolating("${", "variable.parameter.template.kotlin")
            .with_vars("variable.parameter.template.kotlin")
            .escapes("constant.character.escape.kotlin"),
        Quote::new("'", "'", "string.quoted.single.kotlin")
            .escapes("constant.character.escape.kotlin"),
    ],
    words: &[
        (
            "keyword.control.kotlin",
            &[
                "if", "else", "for", "while", "do", "return", "break", "continue", "when", "try",
                "catch", "finally", "throw",
            ],
        ),
        (
            "keyword.other.kotlin",
            &["import", "package", "as", "in", "is", "by"],
        ),
        (
            "storage.modifier.kotlin",
            &[
                "public",
                "private",
                "protected",
                "internal",
                "open",
                "override",
                "abstract",
                "final",
                "data",
                "sealed",
                "inline",
                "suspend",
                "lateinit",
                "const",
                "companion",
                "inner",
                "enum",
                "annotation",
                "operator",
                "infix",
                "tailrec",
                "external",
            ],
        ),
        (
            "storage.type.kotlin",
            &[
                "class",
                "interface",
                "object",
                "fun",
                "val",
                "var",
                "typealias",
            ],
        ),
        ("constant.language.kotlin", &["true", "false", "null"]),
        ("variable.language.kotlin", &["super"]),
        ("constant.language.kotlin", &["this"]),
        (
            "storage.type.buildin.kotlin",
            &[
                "String",
                "Int",
                "Long",
                "Short",
                "Byte",
                "Double",
                "Float",
                "Boolean",
                "Char",
                "Unit",
                "Any",
                "Nothing",
                "List",
                "Map",
                "Set",
                "Array",
                "MutableList",
                "MutableMap",
                "MutableSet",
            ],
        ),
    ],
    names_after: &[
        ("fun", "entity.name.function.kotlin"),
        ("class", "entity.name.type.class.kotlin"),
        ("interface", "entity.name.type.class.kotlin"),
        ("object", "entity.name.type.class.kotlin"),
        ("val", "entity.name.variable.kotlin"),
        ("var", "entity.name.variable.kotlin"),
        ("package", "entity.name.package.kotlin"),
    ],
    dotted_names: true,
    before_colon: Some("variable.parameter.function.kotlin"),
    upper_case: Some("constant.other.kotlin"),
    call: Some("meta.function-call.kotlin"),
    member_call: Some("meta.function-call.kotlin"),
    capitalised: None,
    number: Some("constant.numeric.kotlin"),
    annotation: Some("meta.annotation.kotlin"),
    operators: Some(("=+-*/%<>!&|^~?:", "keyword.operator")),
    ..NONE
};

const CSHARP: Lang = Lang {
    names: &["csharp", "cs", "c#"],
    scope: "source.cs",
    comments: &[
        line_comment("//", "comment.line.double-slash.cs"),
        block_comment("/*", "*/", "comment.block.cs"),
    ],
    quotes: &[
        Quote::new("$\"", "\"", "string.quoted.double.cs")
            .interpolating("{", "meta.interpolation.cs variable.other.cs"),
        Quote::new("@\"", "\"", "string.quoted.double.raw.cs")
            .raw()
            .multiline(),
        Quote::new("\"", "\"", "string.quoted.double.cs").escapes("constant.character.escape.cs"),
        Quote::new("'", "'", "string.quoted.single.cs").escapes("constant.character.escape.cs"),
    ],
    words: &[
        (
            "keyword.control.cs",
            &[
                "if", "else", "for", "foreach", "while", "do", "return", "break", "continue",
                "switch", "case", "default", "try", "catch", "finally", "throw", "await", "yield",
                "goto",
            ],
        ),
        ("keyword.other.using.cs", &["using", "namespace"]),
        (
            "keyword.operator.cs",
            &[
                "new", "is", "as", "typeof", "sizeof", "nameof", "in", "out", "ref",
            ],
        ),
        (
            "storage.modifier.cs",
            &[
                "public",
                "private",
                "protected",
                "internal",
                "static",
                "readonly",
                "sealed",
                "abstract",
                "virtual",
                "override",
                "async",
                "const",
                "partial",
                "extern",
                "unsafe",
                "volatile",
            ],
        ),
        (
            "storage.type.cs",
            &[
                "class",
                "interface",
                "struct",
                "enum",
                "record",
                "delegate",
                "event",
                "var",
            ],
        ),
        (
            "storage.type.primitive.cs",
            &[
                "int", "long", "short", "byte", "char", "bool", "float", "double", "decimal",
                "string", "object", "void", "uint", "ulong", "dynamic",
            ],
        ),
        ("constant.language.cs", &["true", "false", "null"]),
        ("variable.language.cs", &["this", "base"]),
    ],
    names_after: &[
        ("class", "entity.name.class.cs"),
        ("interface", "entity.name.interface.cs"),
        ("struct", "entity.name.struct.cs"),
        ("enum", "entity.name.enum.cs"),
        ("record", "entity.name.class.cs"),
        ("namespace", "entity.name.namespace.cs"),
        ("using", "meta.path.cs"),
        ("new", "support.type.cs"),
    ],
    call: Some("meta.function-call.cs variable.function.cs"),
    member_call: Some("meta.function-call.cs variable.function.cs"),
    capitalised: None,
    plain: Some("variable.other.cs"),
    member: Some("variable.other.cs"),
    type_after: Some((b"<", "support.type.cs")),
    dotted_names: true,
    declaration: Some("entity.name.function.cs"),
    number: Some("constant.numeric.cs"),
    operators: C_OPERATORS,
    ..NONE
};

const GO: Lang = Lang {
    names: &["go", "golang"],
    scope: "source.go",
    comments: &[
        line_comment(
            "//go:",
            "comment.line.go meta.annotation.go meta.variable.function.go",
        ),
        line_comment("//", "comment.line.double-slash.go"),
        block_comment("/*", "*/", "comment.block.go"),
    ],
    quotes: &[
        Quote::new("`", "`", "string.quoted.other.go")
            .raw()
            .multiline(),
        Quote::new("\"", "\"", "string.quoted.double.go").escapes("constant.character.escape.go"),
        Quote::new("'", "'", "constant.character.go").escapes("constant.character.escape.go"),
    ],
    words: &[
        (
            "keyword.control.go",
            &[
                "if",
                "else",
                "for",
                "range",
                "return",
                "break",
                "continue",
                "switch",
                "case",
                "default",
                "select",
                "go",
                "defer",
                "goto",
                "fallthrough",
            ],
        ),
        ("keyword.other.go", &["import", "package"]),
        (
            "storage.type.keyword.go",
            &[
                "func",
                "type",
                "struct",
                "interface",
                "map",
                "chan",
                "var",
                "const",
            ],
        ),
        (
            "storage.type.go support.type.builtin.go",
            &[
                "int",
                "int8",
                "int16",
                "int32",
                "int64",
                "uint",
                "uint8",
                "uint16",
                "uint32",
                "uint64",
                "float32",
                "float64",
                "string",
                "bool",
                "byte",
                "rune",
                "error",
                "uintptr",
                "complex64",
                "complex128",
            ],
        ),
        ("storage.type.go", &["any"]),
        ("constant.language.go", &["true", "false", "nil", "iota"]),
        (
            "support.function.builtin.go",
            &[
                "make", "new", "len", "cap", "append", "copy", "delete", "panic", "recover",
                "close", "print", "println",
            ],
        ),
    ],
    names_after: &[
        (
            "func",
            "meta.function.declaration.go entity.name.function.go",
        ),
        ("type", "entity.name.type.go"),
        ("const", "variable.other.constant.declaration.go"),
    ],
    name_after_receiver: true,
    plain_operators: &[":"],
    plain: Some("variable.other.go"),
    member: Some("variable.other.member.go"),
    call: Some("meta.function-call.go variable.function.go"),
    member_call: Some("meta.function-call.go variable.function.go"),
    number: Some("constant.numeric.go"),
    operators: Some(("=+-*/%<>!&|^:", "keyword.operator.go")),
    ..NONE
};

const RUST: Lang = Lang {
    names: &["rust", "rs"],
    scope: "source.rust",
    comments: &[
        line_comment("//", "comment.line.double-slash.rust"),
        block_comment("/*", "*/", "comment.block.rust"),
    ],
    quotes: &[
        Quote::new("r#\"", "\"#", "string.quoted.double.raw.rust")
            .raw()
            .multiline(),
        Quote::new("r\"", "\"", "string.quoted.double.raw.rust")
            .raw()
            .multiline(),
        Quote::new("b\"", "\"", "string.quoted.double.rust")
            .multiline()
            .escapes("constant.character.escape.rust"),
        Quote::new("\"", "\"", "string.quoted.double.rust")
            .multiline()
            .escapes("constant.character.escape.rust"),
    ],
    words: &[
        (
            "keyword.control.rust",
            &[
                "if", "else", "for", "while", "loop", "return", "break", "continue", "match", "in",
                "await", "yield",
            ],
        ),
        (
            "keyword.other.rust",
            &[
                "use", "mod", "crate", "extern", "as", "where", "unsafe", "move", "async", "dyn",
                "ref",
            ],
        ),
        (
            "storage.type.rust",
            &[
                "fn", "struct", "enum", "trait", "type", "impl", "let", "const", "static", "union",
            ],
        ),
        ("support.function.rust", &["macro_rules"]),
        (
            "support.type.rust",
            &[
                "Option", "Result", "Some", "None", "Ok", "Err", "String", "Vec", "Box",
            ],
        ),
        ("storage.modifier.rust", &["pub", "mut"]),
        (
            "storage.type.primitive.rust",
            &[
                "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128",
                "usize", "f32", "f64", "bool", "char", "str",
            ],
        ),
        ("constant.language.rust", &["true", "false"]),
        ("variable.language.rust", &["self"]),
        ("storage.type.rust", &["Self"]),
    ],
    names_after: &[
        ("fn", "entity.name.function.rust"),
        ("struct", "entity.name.struct.rust"),
        ("enum", "entity.name.enum.rust"),
        ("trait", "entity.name.trait.rust"),
        ("type", "entity.name.type.rust"),
        ("mod", "entity.name.module.rust"),
        ("impl", "entity.name.impl.rust"),
        ("macro_rules", "entity.name.macro.rust"),
    ],
    attribute: Some((&["#[", "#!["], "variable.annotation.rust")),
    call: Some("meta.function-call.rust support.function.rust"),
    member_call: Some("meta.function-call.rust support.function.rust"),
    capitalised: None,
    upper_case: Some("constant.other.rust"),
    before_colon: Some("variable.parameter.rust"),
    path_call: Some("meta.path.rust"),
    plain_operators: &["->", "<", ">"],
    number: Some("constant.numeric.rust"),
    annotation: None,
    operators: Some(("=+-*/%<>!&|^?", "keyword.operator.rust")),
    ..NONE
};

const RUBY: Lang = Lang {
    names: &["ruby", "rb", "gemfile", "rake"],
    scope: "source.ruby",
    comments: &[
        line_comment("#", "comment.line.number-sign.ruby"),
        block_comment("=begin", "=end", "comment.block.documentation.ruby"),
    ],
    quotes: &[
        Quote::new("\"", "\"", "string.quoted.double.ruby")
            .multiline()
            .interpolating("#{", "meta.embedded.line.ruby"),
        Quote::new("'", "'", "string.quoted.single.ruby").multiline(),
    ],
    words: &[
        (
            "keyword.control.ruby",
            &[
                "if", "elsif", "else", "unless", "case", "when", "while", "until", "for", "in",
                "do", "end", "return", "break", "next", "redo", "retry", "yield", "begin",
                "rescue", "ensure", "raise", "then", "and", "or", "not", "alias", "undef",
            ],
        ),
        ("keyword.control.def.ruby", &["def"]),
        (
            "meta.require.ruby keyword.control.import.ruby",
            &["require", "require_relative", "gem"],
        ),
        ("keyword.control.class.ruby", &["class", "module"]),
        (
            "keyword.other.special-method.ruby",
            &[
                "new",
                "include",
                "extend",
                "attr_reader",
                "attr_accessor",
                "attr_writer",
                "private",
                "protected",
                "public",
            ],
        ),
        ("constant.language.ruby", &["true", "false", "nil"]),
        (
            "support.function.builtin.ruby",
            &[
                "puts", "print", "p", "pp", "format", "sprintf", "warn", "freeze", "loop",
                "lambda", "proc", "to_s", "to_i", "to_a", "to_h", "to_sym", "sleep", "rand",
            ],
        ),
        ("variable.language.self.ruby", &["self", "super"]),
    ],
    ident_extra: b"?!",
    sigils: &[
        (b'@', "variable.other.readwrite.instance.ruby"),
        (b':', "constant.other.symbol.ruby"),
        (b'$', "variable.other.readwrite.global.ruby"),
    ],
    names_after: &[
        ("def", "entity.name.function.ruby"),
        ("class", "entity.name.class.ruby"),
        ("module", "entity.name.namespace.ruby"),
    ],
    listed_after: &[("def", "variable.parameter.ruby")],
    named_arg: Some((b':', true, "constant.other.symbol.ruby")),
    capitalised: Some("support.class.ruby"),
    upper_case: Some("variable.other.constant.ruby"),
    number: Some("constant.numeric.ruby"),
    operators: Some(("=+-*/%<>!&|^~", "keyword.operator.ruby")),
    ..NONE
};

const BASH: Lang = Lang {
    names: &[
        "bash",
        "sh",
        "shell",
        "zsh",
        "console",
        "shell-session",
        "ksh",
    ],
    scope: "source.shell.bash",
    comments: &[line_comment("#", "comment.line.number-sign.shell")],
    comment_after_space: true,
    quotes: &[
        Quote::new("\"", "\"", "string.quoted.double.shell")
            .multiline()
            .escapes("constant.character.escape.shell")
            .interpolating("$(", "meta.interpolation.command.shell")
            .with_vars("variable.other.readwrite.shell"),
        Quote::new("'", "'", "string.quoted.single.shell")
            .raw()
            .multiline(),
    ],
    words: &[
        (
            "keyword.control.shell",
            &[
                "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case",
                "esac", "in", "function", "select", "return", "break", "continue",
            ],
        ),
        (
            "meta.function-call.shell support.function.echo.shell",
            &["echo"],
        ),
        (
            "meta.function-call.shell support.function.exit.shell",
            &["exit"],
        ),
        (
            "meta.function-call.shell support.function.builtin.shell",
            &[
                "cd", "shift", "printf", "read", "set", "source", "eval", "trap", "wait",
            ],
        ),
        (
            "storage.modifier.shell",
            &["export", "local", "declare", "readonly", "typeset", "unset"],
        ),
    ],
    ident_extra: b"-./",
    sigils: &[(b'$', "variable.other.readwrite.shell")],
    command: Some("meta.function-call.identifier.shell variable.function.shell"),
    command_after: &[
        "then", "else", "do", "sudo", "exec", "time", "xargs", "!", "export", "local", "declare",
        "readonly", "typeset",
    ],
    operators: Some(("|&<>=", "keyword.operator.shell")),
    assigned_value: Some("string.unquoted.shell"),
    option: Some("variable.parameter.option.shell"),
    case_pattern: Some("keyword.control.conditional.patterns.end.shell"),
    defined_by: Some(("()", "entity.name.function.shell")),
    names_after: &[("function", "entity.name.function.shell")],
    assigned_key: Some((b"=", "variable.other.readwrite.assignment.shell")),
    heredoc: Some("string.unquoted.heredoc.shell"),
    ..NONE
};

const JSON: Lang = Lang {
    names: &["json", "jsonc", "json5", "geojson", "jsonl"],
    scope: "source.json",
    comments: &[
        line_comment("//", "comment.line.double-slash.json"),
        block_comment("/*", "*/", "comment.block.json"),
    ],
    quotes: &[Quote::new("\"", "\"", "string.quoted.double.json")
        .escapes("constant.character.escape.json")],
    words: &[("constant.language.json", &["true", "false", "null"])],
    number: Some("constant.numeric.json"),
    quoted_key: Some("meta.mapping.key.json string.quoted.double.json"),
    ..NONE
};

const YAML: Lang = Lang {
    names: &["yaml", "yml", "docker-compose"],
    scope: "source.yaml",
    ..NONE
};

const HCL: Lang = Lang {
    names: &["hcl", "terraform", "tf", "tfvars"],
    scope: "source.terraform",
    comments: &[
        line_comment("#", "comment.line.number-sign.terraform"),
        line_comment("//", "comment.line.double-slash.terraform"),
        block_comment("/*", "*/", "comment.block.terraform"),
    ],
    quotes: &[Quote::new("\"", "\"", "string.quoted.double.terraform")
        .interpolating("${", "meta.interpolation.terraform")],
    words: &[
        ("constant.language.terraform", &["true", "false", "null"]),
        ("support.constant.terraform", &["var", "local", "each"]),
        (
            "storage.type.terraform",
            &[
                "string", "number", "bool", "list", "map", "set", "object", "tuple", "any",
            ],
        ),
        (
            "keyword.control.terraform",
            &["for", "in", "if", "else", "endif", "endfor"],
        ),
        (
            "storage.type.terraform",
            &[
                "resource",
                "data",
                "variable",
                "output",
                "module",
                "provider",
                "locals",
                "terraform",
            ],
        ),
    ],
    ident_extra: b"-",
    call: Some("meta.function-call.terraform support.function.builtin.terraform"),
    number: Some("constant.numeric.terraform"),
    assigned_key: Some((
        b"=",
        "variable.declaration.terraform variable.other.readwrite.terraform",
    )),
    member: Some("variable.other.member.terraform"),
    heredoc: Some("string.unquoted.heredoc.terraform"),
    defined_by: Some((" {", "meta.type.terraform entity.name.type.terraform")),
    operators: Some(("=+-*/%<>!&|?:", "keyword.operator.terraform")),
    ..NONE
};

const DOCKERFILE: Lang = Lang {
    names: &["dockerfile", "docker", "containerfile"],
    scope: "source.dockerfile",
    comments: &[line_comment("#", "comment.line.number-sign.dockerfile")],
    comment_after_space: true,
    names_after: &[("AS", "variable.stage-name"), ("as", "variable.stage-name")],
    quotes: &[
        Quote::new("\"", "\"", "string.quoted.double.dockerfile")
            .escapes("constant.character.escaped.dockerfile"),
        Quote::new("'", "'", "string.quoted.single.dockerfile").raw(),
    ],
    words: &[(
        "keyword.control.dockerfile",
        &[
            "FROM",
            "RUN",
            "CMD",
            "LABEL",
            "EXPOSE",
            "ENV",
            "ADD",
            "COPY",
            "ENTRYPOINT",
            "VOLUME",
            "USER",
            "WORKDIR",
            "ARG",
            "ONBUILD",
            "STOPSIGNAL",
            "HEALTHCHECK",
            "SHELL",
            "MAINTAINER",
            "AS",
            "as",
        ],
    )],
    ..NONE
};

const SQL: Lang = Lang {
    names: &[
        "sql",
        "postgresql",
        "postgres",
        "psql",
        "mysql",
        "plsql",
        "sqlite",
    ],
    scope: "source.sql",
    comments: &[
        line_comment("--", "comment.line.double-dash.sql"),
        block_comment("/*", "*/", "comment.block.sql"),
    ],
    quotes: &[
        Quote::new("'", "'", "string.quoted.single.sql").multiline(),
        Quote::new("\"", "\"", "string.quoted.double.sql"),
        Quote::new("`", "`", "string.quoted.other.backtick.sql"),
    ],
    words: &[
        (
            "keyword.other.DML.sql",
            &[
                "select",
                "from",
                "where",
                "insert",
                "into",
                "values",
                "update",
                "set",
                "delete",
                "join",
                "inner",
                "left",
                "right",
                "outer",
                "full",
                "cross",
                "on",
                "group",
                "by",
                "order",
                "having",
                "limit",
                "offset",
                "union",
                "all",
                "distinct",
                "as",
                "with",
                "returning",
                "case",
                "when",
                "then",
                "else",
                "end",
                "asc",
                "desc",
                "and",
                "or",
                "not",
                "in",
                "is",
                "like",
                "between",
                "exists",
            ],
        ),
        (
            "keyword.other.create.sql",
            &[
                "create",
                "alter",
                "drop",
                "table",
                "index",
                "view",
                "schema",
                "database",
                "primary",
                "key",
                "foreign",
                "references",
                "unique",
                "default",
                "constraint",
                "if",
                "begin",
                "commit",
                "rollback",
                "transaction",
                "grant",
                "revoke",
                "trigger",
                "function",
                "cascade",
                "add",
                "column",
            ],
        ),
        (
            "storage.type.sql",
            &[
                "int",
                "integer",
                "bigint",
                "smallint",
                "serial",
                "bigserial",
                "text",
                "varchar",
                "char",
                "boolean",
                "bool",
                "date",
                "timestamp",
                "timestamptz",
                "numeric",
                "decimal",
                "real",
                "json",
                "bytea",
                "float",
            ],
        ),
        ("constant.language.sql", &["null", "true", "false"]),
        (
            "support.function.sql",
            &[
                "count", "sum", "avg", "min", "max", "coalesce", "lower", "upper",
            ],
        ),
    ],
    fold_case: true,
    names_after: &[
        ("from", "constant.other.table-name.sql"),
        ("join", "constant.other.table-name.sql"),
        ("into", "constant.other.table-name.sql"),
        ("update", "constant.other.table-name.sql"),
        (
            "table",
            "meta.toc-list.full-identifier.sql entity.name.function.sql",
        ),
        (
            "view",
            "meta.toc-list.full-identifier.sql entity.name.function.sql",
        ),
    ],
    member: Some("constant.other.table-name.sql"),
    defined_by: Some((".", "constant.other.database-name.sql")),
    number: Some("constant.numeric.sql"),
    operators: Some(("=<>!+-*/%|", "keyword.operator.sql")),
    ..NONE
};
