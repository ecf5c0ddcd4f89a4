//! The house's stairs go one way. Every module of `app/src` and `server/src` has a layer (the
//! one table below), and its `crate::…`, `super::…` and child-module paths may only point to
//! its own layer or below; within a layer, the top-level modules (the domains) form no cycle.
//! Beside that: no source file holds more than 500 lines of non-test code, and no API or form
//! handler checks a role or scope itself (the services do).
//!
//! The reading is plain text: comments and literals are blanked, `#[cfg(test)]` items are
//! left out (tests may reach anywhere), `use` trees are expanded and every path is resolved to
//! the longest module it names.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module may use modules of its own layer or lower ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Layer {
    /// Types and pure rules: no database, no HTTP, no pages.
    Core,
    /// SQL and row mapping (`store`), the database handle and the caches built from it.
    Store,
    /// The use cases (`service`): authorization, transactions, one function per rule.
    Service,
    /// Leptos pages, components and islands (they call services through server functions).
    Page,
    /// The whole site: the router and the HTML document.
    Site,
    /// The server's HTTP plumbing: state, errors, sessions, security headers, metrics.
    Http,
    /// What meets the outside: the JSON API, the form posts, the demo data, the sync client.
    Interface,
    /// The router of the whole server.
    Wiring,
    /// The command line and `main`.
    Entry,
}

use Layer::*;

/// The layer of every module, by its path (`app::catalog::store`). A file that is not listed
/// fails the test: a new module is placed on purpose.
const LAYERS: &[(&str, Layer)] = &[
    ("app", Site),
    ("app::access", Core),
    ("app::accounts", Core),
    ("app::accounts::hashing", Core),
    ("app::accounts::pages", Page),
    ("app::accounts::phone_code", Core),
    ("app::accounts::phone_code_store", Store),
    ("app::accounts::phone_codes", Service),
    ("app::accounts::real_name", Core),
    ("app::accounts::real_name_pages", Page),
    ("app::accounts::real_name_service", Service),
    ("app::accounts::real_name_store", Store),
    ("app::accounts::recovery", Service),
    ("app::accounts::recovery_pages", Page),
    ("app::accounts::second_factor", Service),
    ("app::accounts::second_factor_store", Store),
    ("app::accounts::totp", Core),
    ("app::accounts::service", Service),
    ("app::accounts::sessions", Service),
    ("app::accounts::store", Store),
    ("app::accounts::vault", Core),
    ("app::accounts::vault::ring", Core),
    ("app::audit", Core),
    ("app::audit::events", Core),
    ("app::audit::pages", Page),
    ("app::audit::service", Service),
    ("app::audit::store", Store),
    ("app::ratings", Core),
    ("app::ratings::pages", Page),
    ("app::ratings::service", Service),
    ("app::ratings::store", Store),
    ("app::catalog", Core),
    ("app::catalog::changes", Core),
    ("app::catalog::course_page", Page),
    ("app::catalog::directory", Core),
    ("app::catalog::directory_pages", Page),
    ("app::catalog::directory_service", Service),
    ("app::catalog::directory_store", Store),
    ("app::catalog::import", Core),
    ("app::catalog::import::read", Core),
    ("app::catalog::import::row", Core),
    ("app::catalog::index", Store),
    ("app::catalog::live", Page),
    ("app::catalog::live::browser", Page),
    ("app::catalog::pages", Page),
    ("app::catalog::query", Core),
    ("app::catalog::query::directory", Core),
    ("app::catalog::search", Core),
    ("app::catalog::search::asked", Core),
    ("app::catalog::search::facets", Core),
    ("app::catalog::search::order", Core),
    ("app::catalog::search::relevance", Core),
    ("app::catalog::search::terms", Core),
    ("app::catalog::search::text", Core),
    ("app::catalog::service", Service),
    ("app::catalog::store", Store),
    ("app::catalog::understanding", Core),
    ("app::catalog::understanding::lexicon", Core),
    ("app::catalog::understanding::tests", Core),
    ("app::catalog::upload_page", Page),
    ("app::certificate", Core),
    ("app::certificate::pages", Page),
    ("app::certificate::service", Service),
    ("app::certificate::store", Store),
    ("app::clock", Core),
    ("app::deployment", Core),
    ("app::dispute", Core),
    ("app::dispute::pages", Page),
    ("app::dispute::service", Service),
    ("app::dispute::store", Store),
    ("app::eligibility", Core),
    ("app::eligibility::pages", Page),
    ("app::eligibility::service", Service),
    ("app::enrollment", Core),
    ("app::enrollment::console", Service),
    ("app::enrollment::console_pages", Page),
    ("app::enrollment::pages", Page),
    ("app::enrollment::rules", Core),
    ("app::enrollment::service", Service),
    ("app::enrollment::store", Store),
    ("app::enrollment::voiding", Service),
    ("app::enrollment::waitlist", Service),
    ("app::error", Core),
    ("app::error::field", Core),
    ("app::groups", Core),
    ("app::groups::pages", Page),
    ("app::groups::rules", Core),
    ("app::groups::service", Service),
    ("app::groups::store", Store),
    ("app::i18n", Core),
    ("app::identity", Core),
    ("app::identity_cases", Core),
    ("app::identity_cases::pages", Page),
    ("app::identity_cases::service", Service),
    ("app::identity_cases::store", Store),
    ("app::identity::id_number", Core),
    ("app::identity::name", Core),
    ("app::identity::password", Core),
    ("app::identity::phone", Core),
    ("app::inbox", Core),
    ("app::inbox::pages", Page),
    ("app::inbox::service", Service),
    ("app::inbox::store", Store),
    ("app::list", Core),
    ("app::money", Core),
    ("app::outcomes", Core),
    ("app::outcomes::pages", Page),
    ("app::outcomes::service", Service),
    ("app::outcomes::store", Store),
    ("app::portal", Store),
    ("app::prefs", Page),
    ("app::prefs::browser", Page),
    ("app::privacy", Core),
    ("app::privacy::pages", Page),
    ("app::privacy::reseal", Store),
    ("app::privacy::rotation", Service),
    ("app::privacy::service", Service),
    ("app::reference", Core),
    ("app::shell", Page),
    ("app::shell::form", Page),
    ("app::shell::layout", Page),
    ("app::shell::status", Page),
    ("app::site", Site),
    ("app::site::document", Site),
    ("app::storage", Store),
    ("app::subsidy", Core),
    ("app::subsidy::batch_store", Store),
    ("app::subsidy::batches", Core),
    ("app::subsidy::budget", Service),
    ("app::subsidy::kept", Core),
    ("app::subsidy::pages", Page),
    ("app::subsidy::payee", Core),
    ("app::subsidy::payee_service", Service),
    ("app::subsidy::payment", Service),
    ("app::subsidy::payment_pages", Page),
    ("app::subsidy::payment_sheet", Service),
    ("app::subsidy::policy_store", Store),
    ("app::subsidy::queue_store", Store),
    ("app::subsidy::recovery", Service),
    ("app::subsidy::recovery_pages", Page),
    ("app::subsidy::recovery_store", Store),
    ("app::subsidy::review", Service),
    ("app::subsidy::rules", Core),
    ("app::subsidy::service", Service),
    ("app::subsidy::store", Store),
    ("app::subsidy::top_up", Service),
    ("app::text", Core),
    ("app::texts", Core),
    ("app::texts::service", Service),
    ("app::texts::store", Store),
    ("app::throttle", Core),
    ("app::throttle::store", Store),
    ("server", Entry),
    ("server::api", Interface),
    ("server::api::accounts", Interface),
    ("server::api::audit", Interface),
    ("server::api::catalog", Interface),
    ("server::api::certificate", Interface),
    ("server::api::console", Interface),
    ("server::api::dispute", Interface),
    ("server::api::eligibility", Interface),
    ("server::api::enrollment", Interface),
    ("server::api::groups", Interface),
    ("server::api::health", Interface),
    ("server::api::identity_cases", Interface),
    ("server::api::inbox", Interface),
    ("server::api::json", Interface),
    ("server::api::meta", Interface),
    ("server::api::privacy", Interface),
    ("server::api::ratings", Interface),
    ("server::api::second_factor", Interface),
    ("server::api::payment", Interface),
    ("server::api::subsidy", Interface),
    ("server::cli", Entry),
    ("server::cli::backup", Entry),
    ("server::cli::database", Entry),
    ("server::cli::keys", Entry),
    ("server::cli::oidc_args", Entry),
    ("server::cli::outbox", Entry),
    ("server::cli::policy", Entry),
    ("server::cli::serve", Entry),
    ("server::demo", Interface),
    ("server::error", Http),
    ("server::forms", Interface),
    ("server::forms::accounts", Interface),
    ("server::forms::catalog", Interface),
    ("server::forms::certificate", Interface),
    ("server::forms::dispute", Interface),
    ("server::forms::enrollment", Interface),
    ("server::forms::groups", Interface),
    ("server::forms::payment", Interface),
    ("server::forms::real_name", Interface),
    ("server::forms::recovery", Interface),
    ("server::forms::subsidy", Interface),
    ("server::metrics", Http),
    ("server::prefs", Interface),
    ("server::security", Http),
    ("server::request", Http),
    ("server::session", Http),
    ("server::state", Http),
    ("server::sync", Interface),
    ("server::oidc", Http),
    ("server::texts", Interface),
    ("server::web", Wiring),
];

/// Modules that are not files of their own (generated, or from a macro).
const VIRTUAL: &[&str] = &["app::i18n"];

/// The most lines of non-test code a source file may hold.
const MAX_LINES: usize = 500;

/// A module's source, by module path (`app::catalog::store`).
type Sources = BTreeMap<String, String>;

// ------------------------------------------------------------------------------- reading

/// `src` with comments and the contents of string and char literals blanked (newlines kept, so
/// lines still count).
fn code_only(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars[..i]
                .last()
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            out.push('"');
            for _ in i + 1..=j {
                out.push(' ');
            }
            i = j + 1;
            while i < chars.len() {
                if chars[i] == '"' && (0..hashes).all(|k| chars.get(i + 1 + k) == Some(&'#')) {
                    out.push('"');
                    out.push_str(&" ".repeat(hashes));
                    i += 1 + hashes;
                    break;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push('"');
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}'), or a lifetime or label ('a).
            let literal = next == Some('\\') || chars.get(i + 2) == Some(&'\'');
            if literal {
                out.push('\'');
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    if chars[i] == '\\' {
                        out.push(' ');
                        i += 1;
                    }
                    out.push(' ');
                    i += 1;
                }
                out.push('\'');
                i += 1;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The byte ranges of `#[cfg(test)]` items in blanked code: each attribute through the end of
/// its item (the matching `}` of its first `{`, or its `;`).
fn test_regions(code: &str) -> Vec<(usize, usize)> {
    let bytes = code.as_bytes();
    let mut regions = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("#[cfg(test)]") {
        let start = from + at;
        let mut i = start + "#[cfg(test)]".len();
        while i < bytes.len() && bytes[i] != b'{' && bytes[i] != b';' {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'{' {
            let mut depth = 0;
            while i < bytes.len() {
                match bytes[i] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        let end = (i + 1).min(bytes.len());
        regions.push((start, end));
        from = end;
    }
    regions
}

/// `code` without its test items (each replaced by blank lines).
fn without_tests(code: &str) -> String {
    let mut out = code.to_string();
    for (start, end) in test_regions(code).into_iter().rev() {
        let blanked: String = code[start..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(start..end, &blanked);
    }
    out
}

/// Lines of `src` outside its test items.
fn non_test_lines(src: &str) -> usize {
    let code = code_only(src);
    let regions = test_regions(&code);
    let mut lines = 0;
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        let inside = regions.iter().any(|(s, e)| offset >= *s && offset < *e);
        if !inside {
            lines += 1;
        }
        offset += line.len();
    }
    lines
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Colons,
    Open,
    Close,
    Comma,
    Semi,
    Other,
}

fn tokens(code: &str) -> Vec<Token> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphabetic() || c == '_' || (c == '$' && chars.get(i + 1) == Some(&'c')) {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token::Ident(chars[start..i].iter().collect()));
            continue;
        }
        out.push(match c {
            ':' if chars.get(i + 1) == Some(&':') => {
                i += 1;
                Token::Colons
            }
            '{' => Token::Open,
            '}' => Token::Close,
            ',' => Token::Comma,
            ';' => Token::Semi,
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            _ => Token::Other,
        });
        i += 1;
    }
    out
}

/// The paths of a `use` tree starting at `tokens[*i]` (just after `use`), expanded.
fn use_tree(tokens: &[Token], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    while *i < tokens.len() {
        match &tokens[*i] {
            Token::Ident(name) if name == "as" => {
                *i += 2;
                break;
            }
            Token::Ident(name) if name == "self" && !path.is_empty() => *i += 1,
            Token::Ident(name) => {
                path.push(name.clone());
                *i += 1;
            }
            Token::Colons => *i += 1,
            Token::Open => {
                *i += 1;
                loop {
                    use_tree(tokens, i, path.clone(), out);
                    match tokens.get(*i) {
                        Some(Token::Comma) => {
                            *i += 1;
                            if tokens.get(*i) == Some(&Token::Close) {
                                *i += 1;
                                return;
                            }
                        }
                        Some(Token::Close) => {
                            *i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            _ => break,
        }
    }
    if !path.is_empty() {
        out.push(path);
    }
}

/// Every path a module's code names: its `use` trees, and the `crate::…`, `super::…`,
/// `self::…` and `child::…` paths in its code (`children`: its child modules).
fn paths_in(code: &str, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let tokens = tokens(code);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let starts_path = i == 0 || tokens[i - 1] != Token::Colons;
        match &tokens[i] {
            Token::Ident(word) if word == "use" => {
                i += 1;
                use_tree(&tokens, &mut i, Vec::new(), &mut out);
                continue;
            }
            Token::Ident(word)
                if starts_path
                    && tokens.get(i + 1) == Some(&Token::Colons)
                    && (["crate", "super", "self"].contains(&word.as_str())
                        || children.contains(word)) =>
            {
                let mut path = vec![word.clone()];
                let mut j = i + 1;
                while tokens.get(j) == Some(&Token::Colons) {
                    match tokens.get(j + 1) {
                        Some(Token::Ident(next)) => {
                            path.push(next.clone());
                            j += 2;
                        }
                        _ => break,
                    }
                }
                out.push(path);
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// `path` as written in module `here` (of crate `krate`), made absolute; `None` for paths into
/// other crates.
fn absolute(
    krate: &str,
    here: &str,
    path: &[String],
    modules: &BTreeSet<String>,
) -> Option<Vec<String>> {
    let mut base: Vec<String> = here.split("::").map(str::to_string).collect();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base = vec![krate.to_string()];
            rest = &rest[1..];
        }
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        Some("self") => rest = &rest[1..],
        Some(first) => {
            let child = format!("{here}::{first}");
            if !modules.contains(&child) {
                return None;
            }
        }
        None => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The module an absolute path names: its longest prefix that is a module.
fn module_of(path: &[String], modules: &BTreeSet<String>) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| modules.contains(m))
}

// ------------------------------------------------------------------------------- judging

/// The domain of a module: its crate and first segment (`app::catalog`), or the crate.
fn top(module: &str) -> String {
    module.split("::").take(2).collect::<Vec<_>>().join("::")
}

/// The edges between (domain, layer) nodes, and every import up the layers.
type Graph = BTreeMap<(String, Layer), BTreeSet<(String, Layer)>>;

fn graph(
    sources: &Sources,
    layers: &BTreeMap<String, Layer>,
    modules: &BTreeSet<String>,
) -> (Graph, Vec<String>) {
    let mut ups = Vec::new();
    let mut edges = Graph::new();
    for (here, src) in sources {
        let krate = here.split("::").next().unwrap_or_default();
        let Some(&from) = layers.get(here) else {
            continue;
        };
        let children: BTreeSet<String> = modules
            .iter()
            .filter_map(|m| m.strip_prefix(&format!("{here}::")))
            .filter(|rest| !rest.contains("::"))
            .map(str::to_string)
            .collect();
        let code = without_tests(&code_only(src));
        for path in paths_in(&code, &children) {
            let Some(abs) = absolute(krate, here, &path, modules) else {
                continue;
            };
            let Some(target) = module_of(&abs, modules) else {
                continue;
            };
            if &target == here {
                continue;
            }
            let Some(&to) = layers.get(&target) else {
                continue;
            };
            if to > from {
                ups.push(format!(
                    "{here} ({from:?}) uses {} ({to:?}), a higher layer",
                    abs.join("::")
                ));
            }
            let (a, b) = ((top(here), from), (top(&target), to));
            if a != b {
                edges.entry(a).or_default().insert(b);
            }
        }
    }
    (edges, ups)
}

/// The modules of `sources` (and the virtual ones given a layer).
fn modules_of(sources: &Sources, layers: &BTreeMap<String, Layer>) -> BTreeSet<String> {
    let mut modules: BTreeSet<String> = sources.keys().cloned().collect();
    let virtuals = VIRTUAL.iter().filter(|m| layers.contains_key(**m));
    modules.extend(virtuals.map(|m| m.to_string()));
    modules
}

/// What is wrong with the stairs of `sources` (module path → source), given each module's
/// layer: modules without a layer, imports up the layers, and cycles between the domains of
/// one layer.
fn judge(sources: &Sources, layers: &BTreeMap<String, Layer>) -> Vec<String> {
    let modules = modules_of(sources, layers);
    let mut problems: Vec<String> = modules
        .iter()
        .filter(|m| !layers.contains_key(*m))
        .map(|m| format!("{m} has no layer: add it to LAYERS"))
        .collect();
    let (edges, ups) = graph(sources, layers, &modules);
    problems.extend(ups);
    problems.extend(cycles(&edges));
    problems
}

/// The cycles of a graph, each once (as found by depth-first search).
fn cycles<N: Ord + Clone + std::fmt::Debug>(edges: &BTreeMap<N, BTreeSet<N>>) -> Vec<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<N: Ord + Clone + std::fmt::Debug>(
        node: &N,
        edges: &BTreeMap<N, BTreeSet<N>>,
        marks: &mut BTreeMap<N, Mark>,
        stack: &mut Vec<N>,
        found: &mut Vec<String>,
    ) {
        marks.insert(node.clone(), Mark::Open);
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            match marks.get(next) {
                Some(Mark::Open) => {
                    let from = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle: Vec<String> =
                        stack[from..].iter().map(|n| format!("{n:?}")).collect();
                    cycle.push(format!("{next:?}"));
                    found.push(format!("cycle: {}", cycle.join(" → ")));
                }
                Some(Mark::Done) => {}
                None => visit(next, edges, marks, stack, found),
            }
        }
        stack.pop();
        marks.insert(node.clone(), Mark::Done);
    }
    let mut marks = BTreeMap::new();
    let mut found = Vec::new();
    for node in edges.keys() {
        if !marks.contains_key(node) {
            visit(node, edges, &mut marks, &mut Vec::new(), &mut found);
        }
    }
    found
}

// ------------------------------------------------------------------------------- the tree

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The module path of a source file of crate `krate` under `src`.
fn module_path(krate: &str, src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    std::iter::once(krate.to_string())
        .chain(parts)
        .collect::<Vec<_>>()
        .join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources_of(krate: &str, src: &Path) -> Sources {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            (module_path(krate, src, f), text)
        })
        .collect()
}

fn the_tree() -> Sources {
    let mut sources = sources_of("app", &root().join("app/src"));
    sources.extend(sources_of("server", &root().join("server/src")));
    sources
}

fn the_layers() -> BTreeMap<String, Layer> {
    LAYERS.iter().map(|(m, l)| (m.to_string(), *l)).collect()
}

#[test]
fn the_stairs_go_one_way() {
    let problems = judge(&the_tree(), &the_layers());
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_reading_sees_the_real_imports() {
    // A judge that read nothing would pass anything: these imports are known to be there.
    let (tree, layers) = (the_tree(), the_layers());
    let (edges, _) = graph(&tree, &layers, &modules_of(&tree, &layers));
    for (from, to) in [
        (("app::enrollment", Service), ("app::catalog", Store)),
        (("app::eligibility", Service), ("app::subsidy", Service)),
        (("app::privacy", Service), ("app::inbox", Service)),
        (("app::catalog", Page), ("app::eligibility", Page)),
        (("app::inbox", Core), ("app::enrollment", Core)),
        (("server::api", Interface), ("server::session", Http)),
        (("server::web", Wiring), ("server::forms", Interface)),
    ] {
        let (from, to) = ((from.0.to_string(), from.1), (to.0.to_string(), to.1));
        assert!(
            edges.get(&from).is_some_and(|e| e.contains(&to)),
            "{from:?} → {to:?} not seen; seen from it: {:?}",
            edges.get(&from)
        );
    }
}

#[test]
fn every_listed_layer_names_a_module() {
    let tree = the_tree();
    let missing: Vec<&str> = LAYERS
        .iter()
        .map(|(m, _)| *m)
        .filter(|m| !tree.contains_key(*m) && !VIRTUAL.contains(m))
        .collect();
    assert!(missing.is_empty(), "no such module: {missing:?}");
}

#[test]
fn no_file_holds_more_than_500_lines_of_code() {
    let mut files = Vec::new();
    for dir in ["app/src", "server/src", "bench/src"] {
        rust_files(&root().join(dir), &mut files);
    }
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = non_test_lines(&std::fs::read_to_string(f).unwrap_or_default());
            (n > MAX_LINES).then(|| format!("{} ({n} lines)", f.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "over {MAX_LINES} lines of non-test code: {long:?}"
    );
}

#[test]
fn no_handler_decides_who_may() {
    let tree = the_tree();
    let forbidden = [
        "Role::",
        "Scope::",
        ".role",
        ".scope",
        ".trainee()",
        ".institution()",
        ".evaluation_org()",
        ".city()",
    ];
    let mut found = Vec::new();
    for (module, src) in &tree {
        if !(module.starts_with("server::api") || module.starts_with("server::forms")) {
            continue;
        }
        let code = without_tests(&code_only(src));
        for word in forbidden {
            if code.contains(word) {
                found.push(format!("{module}: {word}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "role or scope checked in a handler: {found:?}"
    );
}

// ------------------------------------------------------------------------------- the judge itself

fn fixture(files: &[(&str, &str)], layers: &[(&str, Layer)]) -> Vec<String> {
    let sources = files
        .iter()
        .map(|(m, s)| (m.to_string(), s.to_string()))
        .collect();
    let layers = layers.iter().map(|(m, l)| (m.to_string(), *l)).collect();
    judge(&sources, &layers)
}

const LAYERED: &[(&str, Layer)] = &[
    ("app", Site),
    ("app::a", Core),
    ("app::a::store", Store),
    ("app::a::service", Service),
    ("app::b", Core),
    ("app::b::service", Service),
];

#[test]
fn a_clean_tree_passes() {
    let problems = fixture(
        &[
            ("app", "pub mod a; pub mod b;"),
            ("app::a", "pub mod store; pub mod service; pub struct T;"),
            ("app::a::store", "use super::T; pub fn one() -> T { T }"),
            (
                "app::a::service",
                "use super::store; fn f() { store::one(); crate::b::U; }",
            ),
            ("app::b", "pub mod service; pub struct U;"),
            (
                "app::b::service",
                "use crate::a::service as other; // crate::a::store is fine too\n",
            ),
        ],
        LAYERED,
    );
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn a_cycle_between_domains_fails() {
    let problems = fixture(
        &[
            ("app", ""),
            ("app::a", "pub struct T;"),
            ("app::a::store", ""),
            ("app::a::service", "use crate::b::service::g; pub fn f() {}"),
            ("app::b", "pub struct U;"),
            ("app::b::service", "pub fn g() { crate::a::service::f() }"),
        ],
        LAYERED,
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("cycle:"), "{problems:?}");
    assert!(
        problems[0].contains("app::a") && problems[0].contains("app::b"),
        "{problems:?}"
    );
}

#[test]
fn an_import_up_the_layers_fails() {
    let problems = fixture(
        &[
            ("app", ""),
            ("app::a", "use self::service::f;"),
            ("app::a::store", "fn x() { super::service::f(); }"),
            ("app::a::service", "pub fn f() {}"),
            ("app::b", "use crate::{a::{store::one, T}, b};"),
            ("app::b::service", ""),
        ],
        LAYERED,
    );
    let ups: Vec<&String> = problems
        .iter()
        .filter(|p| p.contains("a higher layer"))
        .collect();
    assert_eq!(ups.len(), 3, "{problems:?}");
    assert!(ups
        .iter()
        .any(|p| p.starts_with("app::a (Core) uses app::a::service::f")));
    assert!(ups
        .iter()
        .any(|p| p.starts_with("app::a::store (Store) uses app::a::service::f")));
    assert!(ups
        .iter()
        .any(|p| p.starts_with("app::b (Core) uses app::a::store::one")));
}

#[test]
fn comments_strings_and_tests_are_not_read() {
    let problems = fixture(
        &[
            ("app", ""),
            ("app::a", "// use crate::a::service;\nconst S: &str = \"crate::a::service\";\nconst R: &str = r#\"super::service\"#;\nconst C: char = '\"';\n#[cfg(test)]\nmod tests { use crate::a::service; }"),
            ("app::a::store", "/* crate::a::service::f() */ fn f<'a>(x: &'a str) {}"),
            ("app::a::service", ""),
            ("app::b", ""),
            ("app::b::service", ""),
        ],
        LAYERED,
    );
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn a_module_without_a_layer_fails() {
    let problems = fixture(&[("app", ""), ("app::c", "")], &[("app", Site)]);
    assert_eq!(problems, ["app::c has no layer: add it to LAYERS"]);
}

#[test]
fn lines_of_tests_do_not_count() {
    let src = "fn a() {}\nfn b() {}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n";
    assert_eq!(non_test_lines(src), 2);
}
