//! Everything that touches YAML: parsing files into typed structs, turning parser errors
//! into located diagnostics, and finding where a key sits in the source text.
//!
//! No other module names `serde_yaml`, so the YAML crate can be replaced here alone.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Location};

/// Parses `source` into `T`, or returns one diagnostic with the location and a hint.
pub fn parse<T: DeserializeOwned>(path: &Path, source: &str) -> Result<T, Diagnostic> {
    if source.trim().is_empty() {
        return Err(Diagnostic::error(
            path,
            Location::new(1, 1),
            "the file is empty; expected a YAML mapping of keys such as `name:` or `title:`",
        ));
    }
    serde_yaml::from_str(source).map_err(|err| describe_error(path, source, &err))
}

fn describe_error(path: &Path, source: &str, err: &serde_yaml::Error) -> Diagnostic {
    let location = err
        .location()
        .map(|l| Location::new(l.line(), l.column()))
        .unwrap_or(Location::new(1, 1));
    let raw = strip_location_suffix(&err.to_string());

    if let Some(message) = unknown_field_message(&raw) {
        return Diagnostic::error(path, location, message);
    }
    if let Some(key) = between(&raw, "duplicate field `", "`") {
        return duplicate_key(path, source, key);
    }
    if let Some(key) = between(&raw, "missing field `", "`") {
        let message = format!("missing required key `{key}`; add a line `{key}: …`");
        return Diagnostic::error(path, Location::new(1, 1), message);
    }
    if raw.contains("mapping values are not allowed") {
        let key = key_on_line(source, location.line).unwrap_or_else(|| "value".to_owned());
        let message = format!(
            "`{key}`: the value contains `: `, which YAML reads as the start of another key; \
             quote the whole value, for example `{key}: 'text: more text'`"
        );
        return Diagnostic::error(path, location, message);
    }
    let message = match raw.split_once(": invalid") {
        Some((field, rest)) if !field.contains(' ') => {
            format!("`{field}`: invalid{}", humanize_expected(rest))
        }
        _ => humanize_expected(&raw),
    };
    Diagnostic::error(path, location, message)
}

/// Removes the " at line L column C" suffix that serde_yaml appends; the location is kept apart.
fn strip_location_suffix(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

fn humanize_expected(message: &str) -> String {
    message
        .replace("invalid type: ", "")
        .replace("expected u32", "expected a whole number")
        .replace("expected u16", "expected a whole number")
        .replace("expected i32", "expected a whole number")
        .replace("expected u64", "expected a whole number")
        .replace("a boolean", "true or false")
        .replace("struct ", "")
}

fn unknown_field_message(raw: &str) -> Option<String> {
    let field_path_end = raw.find("unknown field `")?;
    let prefix = raw[..field_path_end].trim_end_matches(": ");
    let rest = &raw[field_path_end..];
    let key = between(rest, "unknown field `", "`")?;
    let expected: Vec<&str> = rest
        .split_once("expected ")
        .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    let within = if prefix.is_empty() {
        String::new()
    } else {
        format!(" in `{prefix}`")
    };
    let mut message = format!("unknown key `{key}`{within}");
    match closest(key, &expected) {
        Some(best) => message.push_str(&format!("; did you mean `{best}`?")),
        None if !expected.is_empty() => {
            message.push_str(&format!("; expected one of: {}", expected.join(", ")));
        }
        None => {}
    }
    Some(message)
}

/// Returns the candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4))
        .min()
        .map(|(_, candidate)| candidate)
}

fn duplicate_key(path: &Path, source: &str, key: &str) -> Diagnostic {
    let lines = top_level_key_lines(source, key);
    let message = match lines.first() {
        Some(first) => {
            format!("duplicate key `{key}`; it is first set on line {first}; keep one of the two")
        }
        None => format!("duplicate key `{key}`; keep one of the two"),
    };
    let line = lines.get(1).copied().unwrap_or(1);
    Diagnostic::error(path, Location::new(line, 1), message)
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

fn top_level_key_lines(source: &str, key: &str) -> Vec<usize> {
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| key_of(line) == Some(key) && !line.starts_with(' '))
        .map(|(index, _)| index + 1)
        .collect()
}

fn key_on_line(source: &str, line: usize) -> Option<String> {
    let text = source.lines().nth(line.checked_sub(1)?)?;
    key_of(text.trim_start().trim_start_matches("- ")).map(str::to_owned)
}

/// Returns the key of a `key: value` line, ignoring indentation and list dashes.
fn key_of(line: &str) -> Option<&str> {
    let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = trimmed.split_once(':')?;
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    plain.then_some(key)
}

/// One step in a path to a value: a mapping key or a list index.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Finds where the value at `path` is written, for block-style YAML.
///
/// Returns the location of the key (or list dash) of the deepest step found, so a
/// problem inside a flow-style value still points at its nearest key.
pub fn locate(source: &str, path: &[Step<'_>]) -> Location {
    let lines: Vec<&str> = source.lines().collect();
    let mut best = Location::new(1, 1);
    let mut start = 0;
    let mut parent_indent: Option<usize> = None;

    for step in path {
        let found = find_step(&lines, start, parent_indent, *step);
        let Some((index, indent)) = found else {
            return best;
        };
        best = Location::new(index + 1, indent + 1);
        start = index;
        parent_indent = Some(indent);
    }
    best
}

/// Finds `step` among the children of the entry at `start`, which is indented by `parent`.
fn find_step(
    lines: &[&str],
    start: usize,
    parent: Option<usize>,
    step: Step<'_>,
) -> Option<(usize, usize)> {
    let mut item_count = 0;
    let first = if parent.is_some() { start + 1 } else { start };
    // A list item whose key sits on the dash line (`- name: x`) is the parent itself.
    if let (Some(_), Step::Key(key)) = (parent, step) {
        if let Some(line) = lines.get(start) {
            let trimmed = line.trim_start();
            if trimmed.starts_with("- ") && key_of(trimmed) == Some(key) {
                let indent = line.len() - trimmed.len() + 2;
                return Some((start, indent));
            }
        }
    }
    for (index, line) in lines.iter().enumerate().skip(first) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if let Some(parent) = parent {
            let dash_at_parent = trimmed.starts_with("- ") && indent == parent;
            if indent < parent || (indent == parent && !dash_at_parent) {
                return None;
            }
        }
        match step {
            Step::Key(key) => {
                let key_indent = if trimmed.starts_with("- ") {
                    indent + 2
                } else {
                    indent
                };
                if key_of(trimmed) == Some(key) && parent.is_none_or(|p| key_indent > p) {
                    return Some((index, key_indent));
                }
            }
            Step::Index(wanted) => {
                if trimmed.starts_with('-') {
                    if item_count == wanted {
                        return Some((index, indent));
                    }
                    item_count += 1;
                }
            }
        }
    }
    None
}

/// Tells whether the value on the line at `location` is written as a double-quoted string.
pub fn value_starts_with_double_quote(source: &str, location: Location) -> bool {
    let Some(line) = location
        .line
        .checked_sub(1)
        .and_then(|index| source.lines().nth(index))
    else {
        return false;
    };
    line.split_once(':')
        .is_some_and(|(_, value)| value.trim_start().starts_with('"'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str =
        "title: a\nauthors:\n  - alice\n  - name: Bob\n    affiliation: X\nlinks:\n  doi: 10.1/x\n";

    #[test]
    fn locate_finds_nested_keys() {
        let doi = locate(SOURCE, &[Step::Key("links"), Step::Key("doi")]);
        assert_eq!(doi, Location::new(7, 3));
    }

    #[test]
    fn locate_finds_list_items() {
        let item = locate(SOURCE, &[Step::Key("authors"), Step::Index(1)]);
        assert_eq!(item, Location::new(4, 3));
        let nested = locate(
            SOURCE,
            &[
                Step::Key("authors"),
                Step::Index(1),
                Step::Key("affiliation"),
            ],
        );
        assert_eq!(nested, Location::new(5, 5));
    }

    #[test]
    fn closest_suggests_typos_only() {
        assert_eq!(
            closest("abstarct", &["title", "abstract"]),
            Some("abstract")
        );
        assert_eq!(closest("zzzz", &["title", "abstract"]), None);
    }
}
