//! The structural rules of issue 10, checked by reading `src/` (std only; the crate itself is
//! never compiled into this test, so a broken rule cannot hide behind a broken build).
//!
//! 1. No import circle between files in `src/`. A `mod.rs` (or `lib.rs`, or `x.rs` beside a folder
//!    `x/`) and its own direct child files do not count against each other: the child that
//!    implements `impl Inventory` from its parent is the normal split.
//! 2. No circle between top-level modules (`src/<module>/` or `src/<module>.rs`). `ui` and `cli`
//!    may use anything; nothing outside them may use them (rule 3).
//! 3. The core knows no face: outside `src/ui/`, `src/cli/` and `src/main.rs` no file names `egui`,
//!    `eframe`, `egui_extras`, `rfd` or `clap`, and no core module names `crate::ui`/`crate::cli`.
//! 4. No function over 100 lines in `src/` (test code excepted).
//! 5. No file under `src/ui/` over 400 lines.
//!
//! How it reads Rust: a small tokenizer drops comments and string/char literals (raw strings,
//! byte strings, escapes, and lifetimes, which are not chars), then `use` trees (nested groups,
//! `self`, `as`, globs) and inline `crate::`/`super::`/`self::` paths are resolved to the *file that
//! defines* the named item, following `use`/`pub use` re-exports and glob re-exports through
//! `mod.rs`/`lib.rs`. `#[cfg(test)]` items (and files declared by `#[cfg(test)] mod x;`) are
//! ignored by rules 1, 2 and 4. It is approximate on purpose: a name it cannot place (a bare name
//! from a glob import, a macro) adds no edge, so it may miss a circle, but it should not invent
//! one. The checker's own tests are at the bottom.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

const MAX_FN_LINES: usize = 100;
const MAX_UI_FILE_LINES: usize = 400;
const FACE_CRATES: &[&str] = &["egui", "eframe", "egui_extras", "rfd", "clap"];
const FACES: &[&str] = &["ui", "cli"];
/// Marks a `use ::x` path (an external crate).
const EXTERN: &str = "::";

// ------------------------------------------------------------------------------------------------
// The rules against today's tree
// ------------------------------------------------------------------------------------------------

#[test]
fn no_import_circle_between_files() {
    let krate = Crate::load();
    let circles = krate.file_circles();
    assert!(
        circles.is_empty(),
        "{}",
        report(
            "Rule 1 (issue 10): no import circle between files in src/",
            "each entry is a strongly connected set of files with the imports that bind it. \
             Break it: move the shared item down into a file that both can use (or into the \
             lower module), or let one side stop naming the other (pass a value or a callback \
             instead). A mod.rs and its own direct children are not counted against each other.",
            &circles,
        )
    );
}

#[test]
fn no_circle_between_top_level_modules() {
    let krate = Crate::load();
    let circles = krate.module_circles();
    assert!(
        circles.is_empty(),
        "{}",
        report(
            "Rule 2 (issue 10): no circle between top-level modules (ui and cli may use anything)",
            "decide which module is lower and move what the lower one needs from the higher one \
             down (e.g. `Secret` into src/secret.rs at the bottom), so the arrow points one way.",
            &circles,
        )
    );
}

#[test]
fn the_core_knows_no_face() {
    let krate = Crate::load();
    let faces = krate.face_leaks();
    assert!(
        faces.is_empty(),
        "{}",
        report(
            "Rule 3 (issue 10): the core knows no face",
            "outside src/ui/, src/cli/ and src/main.rs, name no egui/eframe/egui_extras/rfd/clap \
             and no crate::ui / crate::cli. Move GUI or argument-parsing code into the face; give \
             the core plain types (and a `From`/`ValueEnum` impl in the face) instead.",
            &faces,
        )
    );
}

#[test]
fn no_function_over_100_lines() {
    let krate = Crate::load();
    let long = krate.long_functions(MAX_FN_LINES);
    assert!(
        long.is_empty(),
        "{}",
        report(
            &format!("Rule 4 (issue 10): no function over {MAX_FN_LINES} lines in src/"),
            "split each into named steps (a table of small checks, one function per section of \
             a panel, one per event kind); counted from the `fn` line to its closing brace.",
            &long,
        )
    );
}

#[test]
fn no_ui_file_over_400_lines() {
    let krate = Crate::load();
    let big = krate.big_ui_files(MAX_UI_FILE_LINES);
    assert!(
        big.is_empty(),
        "{}",
        report(
            &format!("Rule 5 (issue 10): no file under src/ui/ over {MAX_UI_FILE_LINES} lines"),
            "give the panel its own folder (src/ui/<panel>/mod.rs + one file per part: table, \
             form, dialog, events) and move shared widgets to src/ui/widgets/.",
            &big,
        )
    );
}

/// Guards the checker itself: if the tokenizer misread a literal, a comment or a lifetime, the
/// delimiters of some file would no longer balance and every rule above would be reading noise.
#[test]
fn the_checker_reads_every_file() {
    let krate = Crate::load();
    let mut misread = Vec::new();
    for file in &krate.files {
        let mut stack: Vec<(&str, usize)> = Vec::new();
        for tok in file.toks.iter().filter(|t| t.kind == Kind::Punct) {
            let want = match tok.text.as_str() {
                "(" | "[" | "{" => {
                    stack.push((tok.text.as_str(), tok.line));
                    continue;
                }
                ")" => "(",
                "]" => "[",
                "}" => "{",
                _ => continue,
            };
            if stack.pop().map(|(open, _)| open) != Some(want) {
                misread.push(format!(
                    "{}:{}: unmatched `{}`",
                    file.rel, tok.line, tok.text
                ));
                break;
            }
        }
        if let Some((open, line)) = stack.last() {
            misread.push(format!("{}:{line}: `{open}` never closed", file.rel));
        }
    }
    assert!(
        misread.is_empty(),
        "{}",
        report(
            "The architecture checker misreads some files",
            "if the crate compiles, the tokenizer in tests/architecture.rs misread these files: fix it there.",
            &misread,
        )
    );
}

fn report(rule: &str, todo: &str, violations: &[String]) -> String {
    let mut out = format!(
        "{rule}: {}\n",
        provdesk::words::count(violations.len(), "violation")
    );
    for v in violations {
        out.push_str(&format!("  - {}\n", v.replace('\n', "\n    ")));
    }
    out.push_str(&format!("What to do: {todo}\n"));
    out
}

// ------------------------------------------------------------------------------------------------
// Tokenizer
// ------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ident,
    Punct,
    Literal,
    Lifetime,
}

#[derive(Clone, Debug)]
struct Tok {
    kind: Kind,
    text: String,
    line: usize,
}

impl Tok {
    fn is(&self, text: &str) -> bool {
        matches!(self.kind, Kind::Ident | Kind::Punct) && self.text == text
    }
    fn ident(&self) -> bool {
        self.kind == Kind::Ident
    }
}

fn is_ident_start(ch: char) -> bool {
    ch == '_' || ch.is_alphabetic()
}

fn is_ident_char(ch: char) -> bool {
    ch == '_' || ch.is_alphanumeric()
}

/// Rust source to tokens: comments dropped, every string/char literal one `Literal` token,
/// lifetimes and labels one `Lifetime` token, `::` one token, other punctuation one char each.
fn tokenize(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < c.len() {
        let (kind, end) = next_token(&c, i);
        if let Some(kind) = kind {
            let text: String = c[i..end].iter().collect();
            let text = text.strip_prefix("r#").map(String::from).unwrap_or(text);
            toks.push(Tok { kind, text, line });
        }
        line += c[i..end].iter().filter(|&&x| x == '\n').count();
        i = end;
    }
    toks
}

/// The kind of the token at `i` (`None` for blanks and comments) and the index after it.
fn next_token(c: &[char], i: usize) -> (Option<Kind>, usize) {
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let ident_end = |mut k: usize| {
        while k < c.len() && is_ident_char(c[k]) {
            k += 1;
        }
        k
    };
    let ch = c[i];
    if ch.is_whitespace() {
        return (None, i + 1);
    }
    if ch == '/' && at(i + 1) == '/' {
        return (
            None,
            (i..c.len()).find(|&k| c[k] == '\n').unwrap_or(c.len()),
        );
    }
    if ch == '/' && at(i + 1) == '*' {
        return (None, block_comment_end(c, i));
    }
    if let Some(end) = raw_string_end(c, i) {
        return (Some(Kind::Literal), end);
    }
    if ch == 'r' && at(i + 1) == '#' && is_ident_start(at(i + 2)) {
        return (Some(Kind::Ident), ident_end(i + 2)); // raw identifier r#type
    }
    if ch == '"' || (matches!(ch, 'b' | 'c') && at(i + 1) == '"') {
        return (
            Some(Kind::Literal),
            quoted_end(c, if ch == '"' { i } else { i + 1 }),
        );
    }
    if ch == '\'' || (ch == 'b' && at(i + 1) == '\'') {
        let q = if ch == 'b' { i + 1 } else { i };
        if at(q + 1) == '\\' {
            return (Some(Kind::Literal), quoted_end(c, q)); // '\n', '\'', '\u{e9}'
        }
        if at(q + 2) == '\'' {
            return (Some(Kind::Literal), q + 3); // 'x'
        }
        if ch == '\'' {
            return (Some(Kind::Lifetime), ident_end(i + 1)); // 'a, 'static, a label
        }
    }
    if is_ident_start(ch) {
        return (Some(Kind::Ident), ident_end(i));
    }
    if ch.is_ascii_digit() {
        let mut k = i;
        while k < c.len() && (is_ident_char(c[k]) || (c[k] == '.' && at(k + 1).is_ascii_digit())) {
            k += 1;
        }
        return (Some(Kind::Literal), k);
    }
    if ch == ':' && at(i + 1) == ':' {
        return (Some(Kind::Punct), i + 2);
    }
    (Some(Kind::Punct), i + 1)
}

/// The index after a quoted literal whose opening quote is at `open` (escapes skipped).
fn quoted_end(c: &[char], open: usize) -> usize {
    let quote = c[open];
    let mut k = open + 1;
    while k < c.len() && c[k] != quote {
        if c[k] == '\\' {
            k += 1;
        }
        k += 1;
    }
    (k + 1).min(c.len())
}

/// The index after the (nested) block comment starting at `i`.
fn block_comment_end(c: &[char], i: usize) -> usize {
    let mut depth = 0;
    let mut k = i;
    while k + 1 < c.len() {
        match (c[k], c[k + 1]) {
            ('/', '*') => depth += 1,
            ('*', '/') => depth -= 1,
            _ => {
                k += 1;
                continue;
            }
        }
        k += 2;
        if depth == 0 {
            return k;
        }
    }
    c.len()
}

/// If a raw string (`r"…"`, `r#"…"#`, `br"…"`, `cr#"…"#`) starts at `i`, the index after it.
fn raw_string_end(c: &[char], i: usize) -> Option<usize> {
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let p = match (at(i), at(i + 1)) {
        ('b' | 'c', 'r') => i + 2,
        ('r', _) => i + 1,
        _ => return None,
    };
    let mut q = p;
    while at(q) == '#' {
        q += 1;
    }
    if at(q) != '"' {
        return None;
    }
    let hashes = q - p;
    let mut k = q + 1;
    while k < c.len() {
        if c[k] == '"' && (0..hashes).all(|h| at(k + 1 + h) == '#') {
            return Some(k + 1 + hashes);
        }
        k += 1;
    }
    Some(c.len())
}

/// Index of the token that closes the group opened at `open` (`(`, `[` or `{`).
fn close_of(t: &[Tok], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, tok) in t.iter().enumerate().skip(open) {
        if tok.kind != Kind::Punct {
            continue;
        }
        match tok.text.as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    t.len().saturating_sub(1)
}

/// If `#[cfg(test)]` (or `#![cfg(test)]`) starts at `i`: whether it is inner, and the index after.
fn cfg_test_at(t: &[Tok], i: usize) -> Option<(bool, usize)> {
    let texts: Vec<&str> = t[i..].iter().take(8).map(|x| x.text.as_str()).collect();
    let inner = texts.get(1) == Some(&"!");
    let rest = if inner { &texts[2..] } else { texts.get(1..)? };
    let want = ["[", "cfg", "(", "test", ")", "]"];
    (t[i].is("#") && rest.len() >= want.len() && rest[..want.len()] == want)
        .then(|| (inner, i + want.len() + 1 + usize::from(inner)))
}

/// The index after the item starting at `i` (leading attributes included).
fn item_end(t: &[Tok], mut i: usize) -> usize {
    while i + 1 < t.len() && t[i].is("#") && t[i + 1].is("[") {
        i = close_of(t, i + 1) + 1;
    }
    let mut k = i;
    while k < t.len() {
        if t[k].is(";") {
            return k + 1;
        }
        if t[k].is("(") || t[k].is("[") {
            k = close_of(t, k) + 1;
            continue;
        }
        if t[k].is("{") {
            let end = close_of(t, k) + 1;
            return if t.get(end).is_some_and(|x| x.is(";")) {
                end + 1
            } else {
                end
            };
        }
        k += 1;
    }
    t.len()
}

struct Stripped {
    code: Vec<Tok>,
    /// `x` for each `#[cfg(test)] mod x;`
    test_mods: Vec<String>,
    /// `#![cfg(test)]`: the whole file is test code.
    whole_file: bool,
}

/// The tokens without `#[cfg(test)]` items.
fn strip_tests(t: &[Tok]) -> Stripped {
    let mut out = Stripped {
        code: Vec::new(),
        test_mods: Vec::new(),
        whole_file: false,
    };
    let mut i = 0;
    while i < t.len() {
        let Some((inner, after)) = cfg_test_at(t, i) else {
            out.code.push(t[i].clone());
            i += 1;
            continue;
        };
        if inner {
            out.whole_file = true;
            out.code.clear();
            return out;
        }
        let end = item_end(t, after);
        let item: Vec<&str> = t[after..end].iter().map(|x| x.text.as_str()).collect();
        if let Some(m) = item.iter().position(|&x| x == "mod")
            && item.last() == Some(&";")
            && let Some(name) = item.get(m + 1)
        {
            out.test_mods.push(name.to_string());
        }
        i = end;
    }
    out
}

// ------------------------------------------------------------------------------------------------
// `use` trees
// ------------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Bind {
    Name(String),
    Glob,
    Underscore,
}

#[derive(Clone, Debug)]
struct UseItem {
    /// As written, `self` in a group folded into its parent (`a::{self}` is `a`).
    segs: Vec<String>,
    bind: Bind,
    line: usize,
    /// At brace depth 0: a module-level binding others can name (`super::Name`).
    top: bool,
}

/// Every `use` in `t`, and which tokens belong to a `use` declaration.
fn parse_uses(t: &[Tok]) -> (Vec<UseItem>, Vec<bool>) {
    let mut items = Vec::new();
    let mut in_use = vec![false; t.len()];
    let mut depth = 0usize;
    let mut i = 0;
    while i < t.len() {
        if t[i].is("{") {
            depth += 1;
        } else if t[i].is("}") {
            depth = depth.saturating_sub(1);
        } else if t[i].is("use") && !(i > 0 && t[i - 1].is("::")) {
            let mut j = i + 1;
            parse_tree(t, &mut j, &[], depth == 0, &mut items);
            while j < t.len() && !t[j].is(";") {
                j += 1;
            }
            for flag in &mut in_use[i..(j + 1).min(t.len())] {
                *flag = true;
            }
            i = j + 1;
            continue;
        }
        i += 1;
    }
    (items, in_use)
}

fn parse_tree(t: &[Tok], j: &mut usize, prefix: &[String], top: bool, out: &mut Vec<UseItem>) {
    let mut segs = prefix.to_vec();
    if *j < t.len() && t[*j].is("::") {
        segs.push(EXTERN.into());
        *j += 1;
    }
    while *j < t.len() {
        let tok = &t[*j];
        let line = tok.line;
        if tok.is("*") {
            *j += 1;
            out.push(UseItem {
                segs,
                bind: Bind::Glob,
                line,
                top,
            });
            return;
        }
        if tok.is("{") {
            *j += 1;
            while *j < t.len() && !t[*j].is("}") {
                let before = *j;
                parse_tree(t, j, &segs, top, out);
                if *j < t.len() && t[*j].is(",") {
                    *j += 1;
                }
                if *j == before {
                    *j += 1;
                }
            }
            *j += 1;
            return;
        }
        if !tok.ident() {
            return;
        }
        segs.push(tok.text.clone());
        *j += 1;
        if *j < t.len() && t[*j].is("::") {
            *j += 1;
            continue;
        }
        let mut rename = None;
        if *j + 1 < t.len() && t[*j].is("as") {
            rename = Some(t[*j + 1].text.clone());
            *j += 2;
        }
        if segs.len() > 1 && segs.last().is_some_and(|s| s == "self") {
            segs.pop();
        }
        let name = rename.unwrap_or_else(|| segs.last().cloned().unwrap_or_default());
        let bind = if name == "_" {
            Bind::Underscore
        } else {
            Bind::Name(name)
        };
        out.push(UseItem {
            segs,
            bind,
            line,
            top,
        });
        return;
    }
}

/// Names of items defined at the top level of a file (what `path::Name` can mean there).
fn top_level_defs(t: &[Tok]) -> BTreeSet<String> {
    const ITEM: &[&str] = &[
        "fn", "struct", "enum", "trait", "type", "const", "static", "union", "mod",
    ];
    const KEYWORD: &[&str] = &["fn", "unsafe", "extern", "async", "mut"];
    let mut defs = BTreeSet::new();
    let mut depth = 0usize;
    for (k, tok) in t.iter().enumerate() {
        if tok.is("{") {
            depth += 1;
        } else if tok.is("}") {
            depth = depth.saturating_sub(1);
        } else if depth == 0
            && tok.ident()
            && ITEM.contains(&tok.text.as_str())
            && let Some(name) = t.get(k + 1)
            && name.ident()
            && !KEYWORD.contains(&name.text.as_str())
        {
            defs.insert(name.text.clone());
        }
    }
    defs
}

// ------------------------------------------------------------------------------------------------
// The crate: files, modules, resolution
// ------------------------------------------------------------------------------------------------

struct File {
    /// `src/fetch/ladder.rs`
    rel: String,
    /// `["fetch", "ladder"]`; `[]` for lib.rs; `None` for main.rs (its own crate).
    module: Option<Vec<String>>,
    lines: usize,
    toks: Vec<Tok>,
    /// `toks` without `#[cfg(test)]` items.
    code: Vec<Tok>,
    test_only: bool,
    uses: Vec<UseItem>,
    in_use: Vec<bool>,
    defs: BTreeSet<String>,
}

impl File {
    fn top(&self) -> Option<&str> {
        self.module.as_ref()?.first().map(String::as_str)
    }
    fn is_face(&self) -> bool {
        self.rel == "src/main.rs" || self.top().is_some_and(|m| FACES.contains(&m))
    }
}

#[derive(Clone, Copy, Debug)]
struct Target {
    file: usize,
    /// The path names a module, not an item in it.
    module_only: bool,
    /// The item was found defined or bound (not just assumed to live in the file).
    definite: bool,
}

#[derive(Clone, Debug)]
struct Site {
    line: usize,
    path: String,
}

type Edges = BTreeMap<(usize, usize), Vec<Site>>;

struct Crate {
    files: Vec<File>,
    by_module: HashMap<Vec<String>, usize>,
}

fn module_of(rel: &str) -> Option<Vec<String>> {
    let inner = rel.strip_prefix("src/")?.strip_suffix(".rs")?;
    if inner == "lib" {
        return Some(Vec::new());
    }
    if inner == "main" || inner.starts_with("bin/") {
        return None;
    }
    let mut segs: Vec<String> = inner.split('/').map(String::from).collect();
    if segs.last().is_some_and(|s| s == "mod") {
        segs.pop();
    }
    Some(segs)
}

fn crate_root() -> PathBuf {
    match option_env!("CARGO_MANIFEST_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::current_dir().expect("current directory"),
    }
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

impl Crate {
    fn load() -> Crate {
        let root = crate_root();
        let src = root.join("src");
        assert!(
            src.is_dir(),
            "no src/ under {} (run from the crate root)",
            root.display()
        );
        let mut paths = Vec::new();
        collect_rs(&src, &mut paths);
        paths.sort();
        let sources = paths
            .iter()
            .map(|p| {
                let rel = p.strip_prefix(&root).expect("under root");
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>();
                let text =
                    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                (rel.join("/"), text)
            })
            .collect();
        Crate::new(sources)
    }

    fn new(sources: Vec<(String, String)>) -> Crate {
        let mut files = Vec::new();
        let mut test_modules: HashSet<Vec<String>> = HashSet::new();
        for (rel, text) in sources {
            let toks = tokenize(&text);
            let stripped = strip_tests(&toks);
            let module = module_of(&rel);
            if let Some(m) = &module {
                for name in &stripped.test_mods {
                    let mut child = m.clone();
                    child.push(name.clone());
                    test_modules.insert(child);
                }
            }
            let (uses, in_use) = parse_uses(&stripped.code);
            files.push(File {
                lines: text.lines().count(),
                defs: top_level_defs(&stripped.code),
                module,
                rel,
                toks,
                code: stripped.code,
                test_only: stripped.whole_file,
                uses,
                in_use,
            });
        }
        for file in &mut files {
            if let Some(m) = &file.module
                && (1..=m.len()).any(|k| test_modules.contains(&m[..k]))
            {
                file.test_only = true;
            }
        }
        let by_module = files
            .iter()
            .enumerate()
            .filter_map(|(k, f)| Some((f.module.clone()?, k)))
            .collect();
        Crate { files, by_module }
    }

    /// The absolute module path (without `crate`) a path written in file `f` starts from.
    fn absolute(&self, f: usize, segs: &[String], depth: usize) -> Option<Vec<String>> {
        let here = self.files[f].module.as_ref()?;
        let first = segs.first()?;
        let join = |base: &[String], rest: &[String]| [base, rest].concat();
        match first.as_str() {
            "crate" => Some(segs[1..].to_vec()),
            "self" => Some(join(here, &segs[1..])),
            "super" => {
                let mut base = here.clone();
                let mut k = 0;
                while k < segs.len() && segs[k] == "super" {
                    base.pop()?;
                    k += 1;
                }
                Some(join(&base, &segs[k..]))
            }
            _ => {
                // A child module of this one (a 2018 relative path: `pub use mac::Mac`).
                let child = join(here, std::slice::from_ref(first));
                if self.by_module.contains_key(&child) {
                    return Some(join(here, segs));
                }
                // A name bound by another `use` of this file (`use super::events; use events::X`).
                if depth < 8 {
                    for u in &self.files[f].uses {
                        if u.bind == Bind::Name(first.clone())
                            && u.segs.first() != Some(first)
                            && let Some(abs) = self.absolute(f, &u.segs, depth + 1)
                        {
                            return Some(join(&abs, &segs[1..]));
                        }
                    }
                }
                None // an external crate, or a local item
            }
        }
    }

    /// The file that defines what an absolute path names.
    fn resolve(&self, abs: &[String], depth: usize) -> Option<Target> {
        if depth > 16 {
            return None;
        }
        let n = (0..=abs.len())
            .rev()
            .find(|&n| self.by_module.contains_key(&abs[..n]))?;
        let f = self.by_module[&abs[..n]];
        let rest = &abs[n..];
        let Some(name) = rest.first() else {
            return Some(Target {
                file: f,
                module_only: true,
                definite: true,
            });
        };
        let file = &self.files[f];
        let here = Target {
            file: f,
            module_only: false,
            definite: true,
        };
        if file.defs.contains(name) {
            return Some(here);
        }
        let bound = Bind::Name(name.clone());
        if let Some(u) = file.uses.iter().find(|u| u.top && u.bind == bound) {
            let Some(mut full) = self.absolute(f, &u.segs, 0) else {
                return Some(here); // a re-export of an external item
            };
            full.extend_from_slice(&rest[1..]);
            return Some(self.resolve(&full, depth + 1).unwrap_or(here));
        }
        for u in file.uses.iter().filter(|u| u.top && u.bind == Bind::Glob) {
            if let Some(g) = self.absolute(f, &u.segs, 0)
                && let Some(gt) = self.resolve(&g, depth + 1)
                && gt.module_only
                && gt.file != f
            {
                let mut full = self.files[gt.file].module.clone().unwrap_or_default();
                full.extend_from_slice(rest);
                if let Some(t) = self.resolve(&full, depth + 1)
                    && t.definite
                {
                    return Some(t);
                }
            }
        }
        Some(Target {
            definite: false,
            ..here
        })
    }

    /// Parent module file and its own direct child: not counted against each other.
    fn parent_and_child(&self, a: usize, b: usize) -> bool {
        let (Some(ma), Some(mb)) = (&self.files[a].module, &self.files[b].module) else {
            return false;
        };
        let child_of = |c: &[String], p: &[String]| c.len() == p.len() + 1 && c.starts_with(p);
        child_of(ma, mb) || child_of(mb, ma)
    }

    /// Every reference from one file of the library to another, test code excepted.
    fn edges(&self) -> Edges {
        let mut edges = Edges::new();
        for (f, file) in self.files.iter().enumerate() {
            let Some(here) = &file.module else { continue };
            if file.test_only {
                continue;
            }
            let mut add = |target: Option<Target>, glob: bool, site: Site| {
                if let Some(t) = target
                    && t.file != f
                    && (!t.module_only || glob)
                {
                    edges.entry((f, t.file)).or_default().push(site);
                }
            };
            for u in &file.uses {
                let glob = u.bind == Bind::Glob;
                let target = self
                    .absolute(f, &u.segs, 0)
                    .and_then(|a| self.resolve(&a, 0));
                let path = format!("use {}{}", u.segs.join("::"), if glob { "::*" } else { "" });
                add(target, glob, Site { line: u.line, path });
            }
            // `use` bindings that name a module: `use super::events;` … `events::Event`.
            let mut aliases: HashMap<&str, Vec<String>> = HashMap::new();
            for u in &file.uses {
                if let Bind::Name(name) = &u.bind
                    && let Some(abs) = self.absolute(f, &u.segs, 0)
                    && self.resolve(&abs, 0).is_some_and(|t| t.module_only)
                {
                    aliases.insert(name, abs);
                }
            }
            let t = &file.code;
            let mut i = 0;
            while i < t.len() {
                let starts_path = !file.in_use[i]
                    && t[i].ident()
                    && !(i > 0 && t[i - 1].is("::"))
                    && i + 2 < t.len()
                    && t[i + 1].is("::")
                    && t[i + 2].ident();
                if !starts_path {
                    i += 1;
                    continue;
                }
                let mut segs = vec![t[i].text.clone()];
                let mut j = i + 1;
                while j + 1 < t.len() && t[j].is("::") && t[j + 1].ident() {
                    segs.push(t[j + 1].text.clone());
                    j += 2;
                }
                let first = segs[0].as_str();
                let abs = if matches!(first, "crate" | "self" | "super") {
                    self.absolute(f, &segs, 0)
                } else if let Some(a) = aliases.get(first) {
                    Some([a.as_slice(), &segs[1..]].concat())
                } else if self
                    .by_module
                    .contains_key(&[here.as_slice(), &segs[..1]].concat())
                {
                    Some([here.as_slice(), &segs].concat())
                } else {
                    None
                };
                let target = abs.and_then(|a| self.resolve(&a, 0));
                add(
                    target,
                    false,
                    Site {
                        line: t[i].line,
                        path: segs.join("::"),
                    },
                );
                i = j;
            }
        }
        edges
    }

    /// Rule 1: strongly connected sets of files, each with the imports inside it.
    fn file_circles(&self) -> Vec<String> {
        let edges = self.edges();
        let counted: Edges = edges
            .into_iter()
            .filter(|((a, b), _)| !self.parent_and_child(*a, *b))
            .collect();
        let graph = adjacency(self.files.len(), counted.keys().copied());
        let mut out = Vec::new();
        for scc in tarjan(&graph) {
            let members: BTreeSet<usize> = scc.iter().copied().collect();
            let mut text = format!(
                "circle of {} files: {}",
                members.len(),
                members
                    .iter()
                    .map(|&k| self.files[k].rel.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for ((a, b), sites) in &counted {
                if members.contains(a) && members.contains(b) {
                    text.push_str(&format!(
                        "\n{} -> {}: {}",
                        self.files[*a].rel,
                        self.files[*b].rel,
                        describe_sites(&self.files[*a].rel, sites)
                    ));
                }
            }
            out.push(text);
        }
        out
    }

    /// Rule 2: circles between top-level modules (edges out of `ui` and `cli` do not count).
    fn module_circles(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let mut first: BTreeMap<(usize, usize), (usize, Site)> = BTreeMap::new();
        for ((a, b), sites) in self.edges() {
            let (Some(ma), Some(mb)) = (self.files[a].top(), self.files[b].top()) else {
                continue;
            };
            if ma == mb || FACES.contains(&ma) {
                continue;
            }
            let mut index = |m: &str| match names.iter().position(|x| x == m) {
                Some(k) => k,
                None => {
                    names.push(m.to_string());
                    names.len() - 1
                }
            };
            let key = (index(ma), index(mb));
            let site = sites[0].clone();
            first.entry(key).or_insert((a, site));
        }
        let graph = adjacency(names.len(), first.keys().copied());
        let mut out = Vec::new();
        for scc in tarjan(&graph) {
            let members: BTreeSet<usize> = scc.iter().copied().collect();
            let mut listed: Vec<&str> = members.iter().map(|&k| names[k].as_str()).collect();
            listed.sort();
            let mut text = format!("circle between modules {}", listed.join(" <-> "));
            for ((a, b), (file, site)) in &first {
                if members.contains(a) && members.contains(b) {
                    text.push_str(&format!(
                        "\n{} -> {}: {}:{} `{}`",
                        names[*a], names[*b], self.files[*file].rel, site.line, site.path
                    ));
                }
            }
            out.push(text);
        }
        out
    }

    /// Rule 3: GUI/CLI crates or the faces named outside the faces.
    fn face_leaks(&self) -> Vec<String> {
        let mut out = BTreeSet::new();
        for file in self.files.iter().filter(|f| !f.is_face()) {
            let t = &file.toks;
            for (k, tok) in t.iter().enumerate() {
                // `a::egui` is something inside `a`; `::egui` (a leading `::`) is the crate.
                let inside_a_path = k > 1 && t[k - 1].is("::") && t[k - 2].ident();
                if !tok.ident() || inside_a_path {
                    continue;
                }
                let next_is_path = t.get(k + 1).is_some_and(|x| x.is("::"));
                let after_use = k > 0 && (t[k - 1].is("use") || t[k - 1].is("crate"));
                if FACE_CRATES.contains(&tok.text.as_str()) && (next_is_path || after_use) {
                    out.insert((
                        file.rel.clone(),
                        tok.line,
                        format!("names the GUI/CLI crate `{}`", tok.text),
                    ));
                }
                if tok.is("crate")
                    && t.get(k + 1).is_some_and(|x| x.is("::"))
                    && let Some(face) = t.get(k + 2).filter(|x| FACES.contains(&x.text.as_str()))
                {
                    out.insert((
                        file.rel.clone(),
                        tok.line,
                        format!("names the face `crate::{}`", face.text),
                    ));
                }
            }
        }
        // Relative paths into a face (`super::super::ui::…`), found through the resolved imports.
        for ((a, b), sites) in self.edges() {
            let (fa, fb) = (&self.files[a], &self.files[b]);
            let root = fa.module.as_ref().is_some_and(Vec::is_empty); // lib.rs may re-export
            if !root && !fa.is_face() && fb.is_face() {
                for s in sites {
                    out.insert((
                        fa.rel.clone(),
                        s.line,
                        format!("uses the face file {} via `{}`", fb.rel, s.path),
                    ));
                }
            }
        }
        let mut seen = HashSet::new();
        out.into_iter()
            .filter(|(f, l, _)| seen.insert((f.clone(), *l)))
            .map(|(f, l, what)| format!("{f}:{l}: {what}"))
            .collect()
    }

    /// Rule 4: functions (non-test code) longer than `max` lines, longest first.
    fn long_functions(&self, max: usize) -> Vec<String> {
        let mut found = Vec::new();
        for file in self.files.iter().filter(|f| !f.test_only) {
            for (line, name, len) in function_lengths(&file.code) {
                if len > max {
                    found.push((
                        len,
                        format!("{}:{line}: fn {name} is {len} lines", file.rel),
                    ));
                }
            }
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found.into_iter().map(|(_, s)| s).collect()
    }

    /// Rule 5: files under src/ui/ longer than `max` lines, longest first.
    fn big_ui_files(&self, max: usize) -> Vec<String> {
        let mut found: Vec<_> = self
            .files
            .iter()
            .filter(|f| f.rel.starts_with("src/ui/") && f.lines > max)
            .map(|f| (f.lines, format!("{}: {} lines", f.rel, f.lines)))
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found.into_iter().map(|(_, s)| s).collect()
    }
}

/// `src/a.rs:3, 10, 12 (use crate::b::X, b::Y, …)`
fn describe_sites(rel: &str, sites: &[Site]) -> String {
    let mut lines: Vec<usize> = sites.iter().map(|s| s.line).collect();
    lines.sort();
    lines.dedup();
    let mut paths: Vec<&str> = Vec::new();
    for s in sites {
        if !paths.contains(&s.path.as_str()) {
            paths.push(&s.path);
        }
    }
    let shown = paths
        .iter()
        .take(4)
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let more = if paths.len() > 4 {
        format!(", +{} more", paths.len() - 4)
    } else {
        String::new()
    };
    let lines = lines
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(",");
    format!("{rel}:{lines} ({shown}{more})")
}

fn adjacency(n: usize, edges: impl Iterator<Item = (usize, usize)>) -> Vec<Vec<usize>> {
    let mut graph = vec![Vec::new(); n];
    for (a, b) in edges {
        graph[a].push(b);
    }
    graph
}

/// Tarjan's strongly connected components with more than one node.
fn tarjan(graph: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct State<'g> {
        graph: &'g [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in s.graph[v].iter() {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                scc.push(w);
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                s.out.push(scc);
            }
        }
    }
    let n = graph.len();
    let mut s = State {
        graph,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out.sort();
    s.out
}

/// `(fn line, name, lines from the fn line to the closing brace)` for every fn with a body.
fn function_lengths(t: &[Tok]) -> Vec<(usize, String, usize)> {
    // Which `{` opens an `impl`/`trait` body, and for which type.
    let mut owner: HashMap<usize, String> = HashMap::new();
    for (k, tok) in t.iter().enumerate() {
        if !(tok.is("impl") || tok.is("trait")) {
            continue;
        }
        let (mut angle, mut paren) = (0i32, 0i32);
        let mut name: Option<String> = None;
        let mut stopped = false;
        for j in k + 1..t.len() {
            let x = &t[j];
            match x.text.as_str() {
                "<" if x.kind == Kind::Punct => angle += 1,
                ">" if x.kind == Kind::Punct && !t[j - 1].is("-") => angle -= 1,
                "(" | "[" if x.kind == Kind::Punct => paren += 1,
                ")" | "]" if x.kind == Kind::Punct => paren -= 1,
                ";" if x.kind == Kind::Punct => break,
                "{" if x.kind == Kind::Punct && angle <= 0 && paren == 0 => {
                    if let Some(n) = name.take() {
                        owner.insert(j, n);
                    }
                    break;
                }
                "for" if angle <= 0 && tok.is("impl") => {
                    name = None;
                    stopped = false;
                }
                "where" => stopped = true,
                _ if x.ident() && angle <= 0 && paren == 0 && !stopped && x.text != "dyn" => {
                    if tok.is("trait") {
                        name.get_or_insert_with(|| x.text.clone());
                        stopped = true;
                    } else {
                        name = Some(x.text.clone());
                    }
                }
                _ => {}
            }
        }
    }
    let mut found = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (k, tok) in t.iter().enumerate() {
        if tok.is("{") {
            open.push(k);
        } else if tok.is("}") {
            open.pop();
        }
        if !tok.is("fn") || !t.get(k + 1).is_some_and(Tok::ident) {
            continue;
        }
        let mut j = k + 2;
        let body = loop {
            match t.get(j) {
                None => break None,
                Some(x) if x.is(";") => break None,
                Some(x) if x.is("{") => break Some(j),
                Some(x) if x.is("(") || x.is("[") => j = close_of(t, j) + 1,
                Some(_) => j += 1,
            }
        };
        let Some(body) = body else { continue };
        let end = close_of(t, body);
        let name = match open.iter().rev().find_map(|b| owner.get(b)) {
            Some(owner) => format!("{owner}::{}", t[k + 1].text),
            None => t[k + 1].text.clone(),
        };
        found.push((tok.line, name, t[end].line - tok.line + 1));
    }
    found
}

// ------------------------------------------------------------------------------------------------
// The checker's own tests: it can fail
// ------------------------------------------------------------------------------------------------

#[cfg(test)]
mod checker {
    use super::*;

    fn krate(files: &[(&str, &str)]) -> Crate {
        Crate::new(
            files
                .iter()
                .map(|(p, s)| (p.to_string(), s.to_string()))
                .collect(),
        )
    }

    fn edge_names(k: &Crate) -> Vec<(String, String)> {
        k.edges()
            .keys()
            .map(|&(a, b)| (k.files[a].rel.clone(), k.files[b].rel.clone()))
            .collect()
    }

    #[test]
    fn a_two_file_circle_is_found() {
        let k = krate(&[
            ("src/lib.rs", "pub mod a;\npub mod b;\n"),
            ("src/a.rs", "use crate::b::B;\npub struct A;\n"),
            (
                "src/b.rs",
                "pub struct B;\nfn f() -> crate::a::A { crate::a::A }\n",
            ),
        ]);
        let circles = k.file_circles();
        assert_eq!(circles.len(), 1, "{circles:?}");
        assert!(
            circles[0].contains("src/a.rs -> src/b.rs: src/a.rs:1"),
            "{}",
            circles[0]
        );
        assert!(
            circles[0].contains("src/b.rs -> src/a.rs: src/b.rs:2"),
            "{}",
            circles[0]
        );
        // and the same pair as top-level modules
        let modules = k.module_circles();
        assert_eq!(modules.len(), 1, "{modules:?}");
        assert!(modules[0].contains("a <-> b"), "{}", modules[0]);
    }

    #[test]
    fn a_parent_and_its_child_are_not_a_circle() {
        let k = krate(&[
            ("src/lib.rs", "pub mod inv;\n"),
            (
                "src/inv/mod.rs",
                "mod devices;\npub use devices::Dev;\npub struct Inventory;\n",
            ),
            (
                "src/inv/devices.rs",
                "use super::Inventory;\npub struct Dev;\nimpl Inventory { fn d(&self) -> super::Dev { todo!() } }\n",
            ),
        ]);
        assert!(!edge_names(&k).is_empty(), "the edges exist");
        assert!(k.file_circles().is_empty(), "{:?}", k.file_circles());
    }

    #[test]
    fn siblings_through_the_parent_are_a_circle() {
        // devices -> (mod.rs re-export) -> sites and sites -> devices: mod.rs is not the culprit.
        let k = krate(&[
            ("src/lib.rs", "pub mod inv;\n"),
            (
                "src/inv/mod.rs",
                "mod devices;\nmod sites;\npub use devices::Dev;\npub use sites::*;\n",
            ),
            ("src/inv/devices.rs", "use super::Site;\npub struct Dev;\n"),
            (
                "src/inv/sites.rs",
                "pub struct Site;\nfn f(_: super::Dev) {}\n",
            ),
        ]);
        let circles = k.file_circles();
        assert_eq!(circles.len(), 1, "{circles:?}");
        assert!(circles[0].starts_with("circle of 2 files: src/inv/devices.rs, src/inv/sites.rs"));
    }

    #[test]
    fn a_reexport_is_resolved_to_the_defining_file() {
        let k = krate(&[
            (
                "src/lib.rs",
                "pub mod d;\npub mod x;\npub use d::Mac as TopMac;\n",
            ),
            (
                "src/d/mod.rs",
                "mod mac;\nmod secret;\npub use mac::Mac;\npub use self::secret::*;\n",
            ),
            ("src/d/mac.rs", "pub struct Mac;\n"),
            (
                "src/d/secret.rs",
                "pub struct Secret;\nfn f(_: crate::x::X) {}\n",
            ),
            (
                "src/x.rs",
                "use crate::d::{self, Mac as M};\npub struct X;\nfn f(_: d::Secret, _: M, _: crate::TopMac) {}\n",
            ),
        ]);
        let edges = edge_names(&k);
        let has = |a: &str, b: &str| edges.contains(&(a.to_string(), b.to_string()));
        assert!(has("src/x.rs", "src/d/mac.rs"), "{edges:?}");
        assert!(
            has("src/x.rs", "src/d/secret.rs"),
            "glob re-export: {edges:?}"
        );
        assert!(!has("src/x.rs", "src/d/mod.rs"), "{edges:?}");
        let circles = k.file_circles();
        assert_eq!(circles.len(), 1, "{circles:?}");
        assert!(
            circles[0].starts_with("circle of 2 files: src/d/secret.rs, src/x.rs"),
            "{}",
            circles[0]
        );
    }

    #[test]
    fn test_code_comments_and_strings_are_not_imports() {
        let k = krate(&[
            ("src/lib.rs", "pub mod a;\npub mod b;\n"),
            ("src/a.rs", "use crate::b::B;\npub struct A;\n"),
            (
                "src/b.rs",
                "pub struct B;\n// crate::a::A\n/// [`crate::a::A`]\nconst S: &str = \"crate::a::A\";\n\
                 #[cfg(test)]\nmod tests {\n    use crate::a::A;\n}\n",
            ),
        ]);
        assert!(k.file_circles().is_empty(), "{:?}", k.file_circles());
    }

    #[test]
    fn a_brace_inside_a_string_char_or_comment_is_not_counted() {
        let src = "fn a() {\n    let s = \"\\\"}}}\";\n    let r = r#\"}\"#;\n    let c = '}';\n    // }\n    /* } /* } */ */\n}\nfn b() {\n}\n";
        let lengths = function_lengths(&strip_tests(&tokenize(src)).code);
        assert_eq!(
            lengths,
            vec![(1, "a".to_string(), 7), (8, "b".to_string(), 2)]
        );
    }

    #[test]
    fn a_lifetime_is_not_taken_for_a_char() {
        // A naive scanner reads `'a x: &'` as a char and loses the brace that follows.
        let src = "impl<'a> Foo<'a> {\n    fn get(&'a self, x: &'a str) -> &'a str {\n        x\n    }\n}\nfn next() {}\n";
        let toks = tokenize(src);
        assert_eq!(toks.iter().filter(|t| t.kind == Kind::Lifetime).count(), 5);
        let lengths = function_lengths(&toks);
        assert_eq!(
            lengths,
            vec![(2, "Foo::get".to_string(), 3), (6, "next".to_string(), 1)]
        );
    }

    #[test]
    fn a_long_function_is_reported_and_test_code_is_not() {
        let body = "    let _ = 1;\n".repeat(100);
        let src = format!(
            "fn long() {{\n{body}}}\n#[cfg(test)]\nmod tests {{\n    fn long_test() {{\n{body}    }}\n}}\n"
        );
        let k = krate(&[("src/lib.rs", &src)]);
        assert_eq!(
            k.long_functions(100),
            vec!["src/lib.rs:1: fn long is 102 lines".to_string()]
        );
    }

    #[test]
    fn a_face_crate_in_the_core_is_reported() {
        let k = krate(&[
            ("src/lib.rs", "pub mod core;\npub mod ui;\n"),
            (
                "src/core.rs",
                "// egui::Ui in a comment\nconst S: &str = \"clap::Parser\";\nuse eframe;\nfn f(ui: &mut egui::Ui) {}\nfn g() -> crate::ui::Panel { todo!() }\nfn h(_: super::ui::Panel) {}\n\
                 fn i(_: ::rfd::FileDialog, _: crate::style::egui::Color) {}\n",
            ),
            ("src/ui.rs", "use egui::Ui;\npub struct Panel;\n"),
        ]);
        assert_eq!(
            k.face_leaks(),
            vec![
                "src/core.rs:3: names the GUI/CLI crate `eframe`".to_string(),
                "src/core.rs:4: names the GUI/CLI crate `egui`".to_string(),
                "src/core.rs:5: names the face `crate::ui`".to_string(),
                "src/core.rs:6: uses the face file src/ui.rs via `super::ui::Panel`".to_string(),
                "src/core.rs:7: names the GUI/CLI crate `rfd`".to_string(),
            ]
        );
        // and an edge from a face into the core is no module circle
        assert!(k.module_circles().is_empty(), "{:?}", k.module_circles());
    }

    #[test]
    fn use_trees_with_groups_self_and_renames() {
        let toks = tokenize("use crate::a::{self, b::{C, D as E}, f::*, G as _};\n");
        let (items, _) = parse_uses(&toks);
        let got: Vec<(String, Bind)> = items
            .into_iter()
            .map(|u| (u.segs.join("::"), u.bind))
            .collect();
        let name = |s: &str| Bind::Name(s.to_string());
        assert_eq!(
            got,
            vec![
                ("crate::a".to_string(), name("a")),
                ("crate::a::b::C".to_string(), name("C")),
                ("crate::a::b::D".to_string(), name("E")),
                ("crate::a::f".to_string(), Bind::Glob),
                ("crate::a::G".to_string(), Bind::Underscore),
            ]
        );
    }

    #[test]
    fn a_file_declared_under_cfg_test_is_test_code() {
        let k = krate(&[
            ("src/lib.rs", "pub mod a;\npub mod b;\n"),
            (
                "src/a.rs",
                "use crate::b::B;\npub struct A;\n#[cfg(test)]\nmod tests;\n",
            ),
            (
                "src/a/tests.rs",
                "use crate::a::A;\nfn t() { let _ = crate::b::B; }\n",
            ),
            (
                "src/b.rs",
                "pub struct B;\n#[cfg(test)]\nfn helper() -> crate::a::A { crate::a::A }\n",
            ),
        ]);
        assert!(
            k.files
                .iter()
                .any(|f| f.rel == "src/a/tests.rs" && f.test_only)
        );
        assert!(k.file_circles().is_empty(), "{:?}", k.file_circles());
    }
}
