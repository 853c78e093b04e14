//! The layers point one way: only the interface imports iced, and no module of the terminal or the hub
//! reaches back to one that reaches it (no file cycles, no cycles between the top-level parts). Read from
//! the source as text: every `crate::…` and `super::…` path outside comments and `#[cfg(test)]` modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path inside one crate, as its file names it (`["sync", "client"]` for src/sync/client.rs).
type Module = Vec<String>;

struct Crate {
    /// Each module's source, comments and test modules removed.
    files: BTreeMap<Module, (PathBuf, String)>,
}

impl Crate {
    fn read(root: &Path) -> Crate {
        let mut files = BTreeMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    // The binary is a crate of its own, on top of the library.
                    && path != root.join("main.rs")
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    files.insert(module_of(root, &path), (path, without_tests(&text)));
                }
            }
        }
        Crate { files }
    }

    /// The longest prefix of `path` that is a module with a file.
    fn resolve(&self, path: &[String]) -> Option<Module> {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|m| self.files.contains_key(m))
    }

    /// Which module uses which (a module's use of its own ancestors or descendants is not counted: a
    /// parent and its children are one part).
    fn edges(&self) -> BTreeMap<Module, BTreeSet<Module>> {
        let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
        for (module, (_, text)) in &self.files {
            for (anchor, rest) in paths(text) {
                let mut base: Module = match anchor {
                    Anchor::Crate => vec![],
                    Anchor::Super => {
                        // `super` of src/a/b.rs and of src/a/b/mod.rs is `a`.
                        let mut parent = module.clone();
                        parent.pop();
                        parent
                    }
                };
                let mut rest = rest.as_slice();
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                if let Some(target) = self.resolve(&base) {
                    let related =
                        target.starts_with(module.as_slice()) || module.starts_with(&target);
                    if !related {
                        edges.entry(module.clone()).or_default().insert(target);
                    }
                }
            }
        }
        edges
    }
}

fn module_of(root: &Path, path: &Path) -> Module {
    let relative = path.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Module = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The source without line comments and without the `#[cfg(test)] mod tests` at its end.
fn without_tests(text: &str) -> String {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    code.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Clone, Copy)]
enum Anchor {
    Crate,
    Super,
}

/// Every path that starts at `crate::` or `super::`, with use-groups (`a::{b, c::d}`) spread out.
fn paths(text: &str) -> Vec<(Anchor, Module)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for (anchor, word) in [(Anchor::Crate, "crate::"), (Anchor::Super, "super::")] {
        let mut from = 0;
        while let Some(at) = text[from..].find(word) {
            let start = from + at;
            from = start + word.len();
            let before = start.checked_sub(1).map(|i| bytes[i]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                continue;
            }
            let mut prefix = vec![];
            spread(text, from, &mut prefix, &mut |path| {
                found.push((anchor, path))
            });
        }
    }
    found
}

/// Reads the path at `at` (after a `::`), calling `out` with each full path it names.
fn spread(text: &str, at: usize, prefix: &mut Module, out: &mut dyn FnMut(Module)) -> usize {
    let bytes = text.as_bytes();
    let mut i = at;
    while i < bytes.len() && bytes[i] == b' ' {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'{' {
        i += 1;
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'}' {
                return i + 1;
            }
            let depth = prefix.len();
            i = spread(text, i, prefix, out);
            prefix.truncate(depth);
            // Skip an `as name` or anything up to the next item of the group.
            while i < bytes.len() && bytes[i] != b',' && bytes[i] != b'}' {
                i += 1;
            }
        }
    }
    let start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
    }
    if i == start {
        out(prefix.clone());
        return i;
    }
    prefix.push(text[start..i].to_string());
    if text[i..].starts_with("::") {
        return spread(text, i + 2, prefix, out);
    }
    out(prefix.clone());
    i
}

/// The groups of modules that reach each other (strongly connected, more than one).
fn cycles<N: Ord + Clone>(edges: &BTreeMap<N, BTreeSet<N>>) -> Vec<Vec<N>> {
    let nodes: BTreeSet<N> = edges
        .iter()
        .flat_map(|(a, bs)| std::iter::once(a.clone()).chain(bs.iter().cloned()))
        .collect();
    let reach = |from: &N| -> BTreeSet<N> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for next in edges.get(&n).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<N, BTreeSet<N>> = nodes.iter().map(|n| (n.clone(), reach(n))).collect();
    let mut groups: Vec<Vec<N>> = Vec::new();
    let mut placed = BTreeSet::new();
    for n in &nodes {
        if placed.contains(n) {
            continue;
        }
        let group: Vec<N> = nodes
            .iter()
            .filter(|m| *m == n || (reached[n].contains(*m) && reached[*m].contains(n)))
            .cloned()
            .collect();
        placed.extend(group.iter().cloned());
        if group.len() > 1 {
            groups.push(group);
        }
    }
    groups
}

fn names(group: &[Module]) -> String {
    group
        .iter()
        .map(|m| m.join("::"))
        .collect::<Vec<_>>()
        .join(" ↔ ")
}

fn problems(root: &str) -> Vec<String> {
    let krate = Crate::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join(root));
    let edges = krate.edges();
    let mut problems: Vec<String> = cycles(&edges)
        .iter()
        .map(|group| format!("{root}: file cycle {}", names(group)))
        .collect();
    // The top-level parts (src/sync, src/device, …) as one node each.
    let mut parts: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (from, targets) in &edges {
        for to in targets {
            if let (Some(a), Some(b)) = (from.first(), to.first()) {
                if a != b {
                    parts
                        .entry(vec![a.clone()])
                        .or_default()
                        .insert(vec![b.clone()]);
                }
            }
        }
    }
    problems.extend(
        cycles(&parts)
            .iter()
            .map(|group| format!("{root}: cycle between parts {}", names(group))),
    );
    problems
}

#[test]
fn no_module_of_the_terminal_or_the_hub_reaches_back_to_one_that_reaches_it() {
    let mut found = problems("src");
    found.extend(problems("hub/src"));
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn only_the_interface_imports_iced() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let krate = Crate::read(&root);
    let outside: Vec<String> = krate
        .files
        .iter()
        .filter(|(module, _)| module.first().is_none_or(|m| m != "ui"))
        .filter(|(_, (_, text))| {
            ["iced::", "iced_test::", "iced_core::", "iced_widget::"]
                .iter()
                .any(|word| {
                    text.match_indices(word).any(|(at, _)| {
                        at == 0 || {
                            let b = text.as_bytes()[at - 1];
                            !(b.is_ascii_alphanumeric() || b == b'_' || b == b':')
                        }
                    })
                })
        })
        .map(|(_, (path, _))| path.display().to_string())
        .collect();
    assert!(
        outside.is_empty(),
        "iced outside src/ui: {}",
        outside.join(", ")
    );
}
