//! Everything that touches YAML: parsing files into typed structs, turning parser errors
//! into located diagnostics, and finding where a key sits in the source text.
//!
//! No other module names `serde_yaml`, so the YAML crate can be replaced here alone.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Location};

/// Parses `source` into `T`, or returns one diagnostic with the location and a hint.
pub fn parse<T: DeserializeOwned>(path: &Path, source: &str) -> Result<T, Diagnostic> {
    // serde_yaml 0.9 misreads a file that starts with a UTF-8 byte order mark, so drop it.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let only_comments = source
        .lines()
        .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'));
    if only_comments {
        return Err(Diagnostic::error(
            path,
            Location::new(1, 1),
            "the file is empty; expected a YAML mapping of keys such as `name:` or `title:`",
        ));
    }
    check_flow_depth(path, source)?;
    serde_yaml::from_str(source).map_err(|err| describe_error(path, source, &err))
}

/// The deepest nesting of flow lists and mappings (`[…]` and `{…}`) accepted.
///
/// The time libyaml (the parser behind serde_yaml 0.9) takes grows with the square of
/// the flow depth. `vita build` in the debug profile took 1.1 s for 5,000 levels, 3.7 s
/// for 10,000 and 13.5 s for 20,000, on two busy cores. Content files need three or
/// four levels.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Rejects a source whose flow lists and mappings nest deeper than [`MAX_FLOW_DEPTH`],
/// before libyaml parses it.
///
/// The scan follows YAML's rules closely enough to count the brackets that libyaml reads
/// as flow indicators: it skips comments, quoted scalars and `|` or `>` block scalars,
/// and a bracket in block context counts only where a value starts. A rare false count
/// only matters past the limit, where the message names it.
fn check_flow_depth(path: &Path, source: &str) -> Result<(), Diagnostic> {
    let mut scanner = DepthScanner::default();
    for (index, line) in source.lines().enumerate() {
        if let Some(column) = scanner.scan_line(line) {
            let message = format!(
                "the value nests lists or mappings more than {MAX_FLOW_DEPTH} levels deep; \
                 flatten it"
            );
            return Err(Diagnostic::error(
                path,
                Location::new(index + 1, column),
                message,
            ));
        }
    }
    Ok(())
}

/// The state of [`check_flow_depth`] between lines.
#[derive(Default)]
struct DepthScanner {
    depth: usize,
    quote: Option<char>,
    /// The indentation of the line that starts the block scalar being skipped.
    block_scalar_parent: Option<usize>,
}

impl DepthScanner {
    /// Scans one line; returns the 1-based column where the depth goes over the limit.
    fn scan_line(&mut self, line: &str) -> Option<usize> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = self.block_scalar_parent {
            if line.trim().is_empty() || indent > parent {
                return None;
            }
            self.block_scalar_parent = None;
        }
        let mut value_starts = true;
        let mut content_end = line.len();
        let mut chars = line.char_indices().peekable();
        let mut previous = ' ';
        while let Some((index, c)) = chars.next() {
            if let Some(quote) = self.quote {
                let next = chars.peek().map(|(_, c)| *c);
                // A backslash escapes in double quotes, and `''` is a quote in single quotes.
                let escape = match quote {
                    '"' => c == '\\',
                    _ => c == '\'' && next == Some('\''),
                };
                if escape {
                    chars.next();
                } else if c == quote {
                    self.quote = None;
                    value_starts = false;
                }
                previous = c;
                continue;
            }
            let next = chars.peek().map_or(' ', |(_, c)| *c);
            match c {
                '#' if previous.is_whitespace() => {
                    content_end = index;
                    break;
                }
                '\'' | '"' if value_starts => self.quote = Some(c),
                '[' | '{' if value_starts || self.depth > 0 => {
                    self.depth += 1;
                    if self.depth > MAX_FLOW_DEPTH {
                        return Some(line[..index].chars().count() + 1);
                    }
                    value_starts = true;
                }
                ']' | '}' if self.depth > 0 => {
                    self.depth -= 1;
                    value_starts = false;
                }
                ',' if self.depth > 0 => value_starts = true,
                ':' | '-' | '?' if next.is_whitespace() => value_starts = true,
                c if c.is_whitespace() => {}
                _ => value_starts = false,
            }
            previous = c;
        }
        let content = line[..content_end].trim_end();
        let indicator =
            content.trim_end_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
        let starts_block_scalar = self.depth == 0
            && self.quote.is_none()
            && (indicator.ends_with('|') || indicator.ends_with('>'))
            && indicator[..indicator.len() - 1]
                .chars()
                .last()
                .is_none_or(char::is_whitespace);
        if starts_block_scalar {
            self.block_scalar_parent = Some(indent);
        }
        None
    }
}

/// A file format whose top-level keys can be checked one at a time, so that a file
/// with several wrong keys gets a diagnostic for each.
pub trait Schema: DeserializeOwned {
    /// Every top-level key the format accepts.
    const KEYS: &'static [&'static str];
    /// The keys a file must have.
    const REQUIRED: &'static [&'static str];

    /// Checks the value of one key; returns `None` when the key is unknown.
    fn check_key(key: &str, value: KeyValue) -> Option<Result<(), String>>;
}

/// The value of one top-level key, checked on its own by [`Schema::check_key`].
pub struct KeyValue(serde_yaml::Value);

impl KeyValue {
    /// Checks that the value reads as a `T`, returning the problem if it does not.
    pub fn check<T: DeserializeOwned>(self) -> Result<(), String> {
        serde_yaml::from_value::<T>(self.0)
            .map(drop)
            .map_err(|err| err.to_string())
    }
}

/// Parses `source` into `T`, reporting every wrong top-level key, not only the first.
///
/// The first problem comes from the parser with its exact location. The other keys
/// are then checked one by one, and their problems point at their key's line.
pub fn parse_all<T: Schema>(path: &Path, source: &str) -> Result<T, Vec<Diagnostic>> {
    let first = match parse::<T>(path, source) {
        Ok(value) => return Ok(value),
        Err(first) => first,
    };
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if check_flow_depth(path, source).is_err() {
        // Parsing the file again to check each key would take as long as the first time.
        return Err(vec![first]);
    }
    let first_key = top_level_key_at(source, first.line);
    let mut problems = vec![first];
    for extra in key_problems::<T>(path, source) {
        let same_key = first_key.is_some() && extra.key == first_key;
        let same_line = problems.iter().any(|p| p.line == extra.diagnostic.line);
        if !same_key && !same_line {
            problems.push(extra.diagnostic);
        }
    }
    problems.sort_by_key(|d| (d.line, d.column));
    Err(problems)
}

struct KeyProblem {
    key: Option<String>,
    diagnostic: Diagnostic,
}

fn key_problems<T: Schema>(path: &Path, source: &str) -> Vec<KeyProblem> {
    let Ok(serde_yaml::Value::Mapping(mapping)) = serde_yaml::from_str(source) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    for (key, value) in mapping {
        let Some(key) = key.as_str() else {
            continue;
        };
        let location = locate(source, &[Step::Key(key)]);
        let message = match T::check_key(key, KeyValue(value)) {
            Some(Ok(())) => continue,
            Some(Err(problem)) => {
                let problem = strip_locations(&problem);
                let (within, problem) = split_value_path(&problem);
                let within = within.map(|inner| format!("{key}.{inner}"));
                unknown_key_message(Some(within.as_deref().unwrap_or(key)), problem)
                    .unwrap_or_else(|| format!("`{key}`: {}", humanize_expected(problem)))
            }
            None => {
                let mut message = format!("unknown key `{key}`");
                match closest(key, T::KEYS) {
                    Some(best) => message.push_str(&format!("; did you mean `{best}`?")),
                    None => message.push_str(&format!("; expected one of: {}", T::KEYS.join(", "))),
                }
                message
            }
        };
        problems.push(KeyProblem {
            key: Some(key.to_owned()),
            diagnostic: Diagnostic::error(path, location, message),
        });
    }
    let present = |key: &str| {
        source
            .lines()
            .any(|line| !line.starts_with(' ') && key_of(line) == Some(key))
    };
    for key in T::REQUIRED.iter().filter(|key| !present(key)) {
        let message = format!("missing required key `{key}`; add a line `{key}: …`");
        problems.push(KeyProblem {
            key: None,
            diagnostic: Diagnostic::error(path, Location::new(1, 1), message),
        });
    }
    problems
}

/// Returns the top-level key whose value contains `line`.
fn top_level_key_at(source: &str, line: usize) -> Option<String> {
    source
        .lines()
        .take(line)
        .filter(|text| !text.starts_with([' ', '\t', '-', '#']))
        .filter_map(key_of)
        .last()
        .map(str::to_owned)
}

fn describe_error(path: &Path, source: &str, err: &serde_yaml::Error) -> Diagnostic {
    let location = err
        .location()
        .map(|l| Location::new(l.line(), l.column()))
        .unwrap_or(Location::new(1, 1));
    let full = err.to_string();
    let raw = strip_locations(&full);
    // serde_yaml starts messages about nested values with their path, such as `links: `.
    let (within, problem) = split_value_path(&raw);

    if let Some(message) = unknown_key_message(within, problem) {
        return Diagnostic::error(path, location, message);
    }
    if let Some(key) = between(problem, "duplicate field `", "`") {
        return duplicate_key(path, source, location, within, key);
    }
    if let Some(key) = between(problem, "missing field `", "`") {
        // The location is where the mapping that lacks the key starts.
        let parent_suffix = within.map(|p| format!(" in `{p}`")).unwrap_or_default();
        let message = format!("missing required key `{key}`{parent_suffix}; add a line `{key}: …`");
        return Diagnostic::error(path, location, message);
    }
    let misplaced = problem.contains("mapping values are not allowed")
        || problem.contains("did not find expected key");
    if misplaced {
        if let Some(message) = indented_key_message(source, location.line) {
            return Diagnostic::error(path, location, message);
        }
    }
    if problem.contains("mapping values are not allowed") {
        let key = key_on_line(source, location.line).unwrap_or_else(|| "value".to_owned());
        let message = format!(
            "`{key}`: the value contains `: `, which YAML reads as the start of another key; \
             quote the whole value, for example `{key}: 'text: more text'`"
        );
        return Diagnostic::error(path, location, message);
    }
    if problem.contains("unknown escape character") {
        let key = key_on_line(source, location.line).unwrap_or_else(|| "value".to_owned());
        let escape = escape_at(source, location).unwrap_or_else(|| "\\".to_owned());
        let message = format!(
            "`{key}`: `{escape}` is not a valid escape in a double-quoted YAML string; \
             write the value in single quotes or as a `|` block, where backslashes are kept as written"
        );
        return Diagnostic::error(path, location, message);
    }
    if problem.contains("end of stream, while scanning a quoted scalar") {
        // libyaml reports the end of the file, so point at the opening quote that it names.
        let opened =
            location_after(&full, "while scanning a quoted scalar at ").unwrap_or(location);
        let key = key_on_line(source, opened.line).unwrap_or_else(|| "value".to_owned());
        let message = format!("`{key}`: the quoted value is not closed; add the closing quote");
        return Diagnostic::error(path, opened, message);
    }
    let tab_token =
        problem.contains("cannot start any token") && char_at(source, location) == Some('\t');
    if problem.contains("found a tab character") || tab_token {
        let message = "YAML does not allow tabs for indentation; indent with spaces";
        return Diagnostic::error(path, location, message);
    }
    let message = match within {
        Some(value_path) => format!("`{value_path}`: {}", humanize_expected(problem)),
        None => humanize_expected(problem),
    };
    Diagnostic::error(path, location, message)
}

/// Removes every " at line L column C" and " at position N" that serde_yaml and libyaml
/// write into messages, because the diagnostic reports its location separately.
fn strip_locations(message: &str) -> String {
    let mut text = message.to_owned();
    let mut search_from = 0;
    while let Some(found) = text[search_from..].find(" at ") {
        let index = search_from + found;
        let rest = &text[index + " at ".len()..];
        match location_text_length(rest) {
            Some(length) => text.replace_range(index..index + " at ".len() + length, ""),
            None => search_from = index + 1,
        }
    }
    text
}

/// Returns the length of `line L column C` or `position N` at the start of `text`.
fn location_text_length(text: &str) -> Option<usize> {
    let digits = |text: &str| {
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len())
    };
    if let Some(rest) = text.strip_prefix("position ") {
        let length = digits(rest);
        return (length > 0).then_some("position ".len() + length);
    }
    let rest = text.strip_prefix("line ")?;
    let line_digits = digits(rest);
    let rest = rest[line_digits..].strip_prefix(" column ")?;
    let column_digits = digits(rest);
    (line_digits > 0 && column_digits > 0)
        .then_some("line ".len() + line_digits + " column ".len() + column_digits)
}

/// Parses the `line L column C` that follows `marker` in `message`.
fn location_after(message: &str, marker: &str) -> Option<Location> {
    let (_, rest) = message.split_once(marker)?;
    let rest = rest.strip_prefix("line ")?;
    let (line, rest) = rest.split_once(" column ")?;
    let column_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let line = line.parse().ok()?;
    let column = rest[..column_end].parse().ok()?;
    Some(Location::new(line, column))
}

/// Splits `authors[0]: message` into the value path and the message. Messages about
/// the top-level mapping have no path.
fn split_value_path(message: &str) -> (Option<&str>, &str) {
    let is_path_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']');
    match message.split_once(": ") {
        Some((value_path, rest))
            if !value_path.is_empty() && value_path.chars().all(is_path_char) =>
        {
            (Some(value_path), rest)
        }
        _ => (None, message),
    }
}

/// Rewrites serde's `invalid type: X, expected Y` as `expected Y, found X`, in the words
/// that content authors use.
fn humanize_expected(message: &str) -> String {
    let reordered = match message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        Some((found, expected)) => format!("expected {expected}, found {found}"),
        None => message.to_owned(),
    };
    let mut text = reordered
        .replace("expected u32", "expected a whole number")
        .replace("expected u16", "expected a whole number")
        .replace("expected i32", "expected a whole number")
        .replace("expected u64", "expected a whole number")
        .replace("expected a sequence", "expected a list")
        .replace("a boolean", "true or false");
    // Rust names such as `RawPublication` mean nothing to a content author.
    if let Some(index) = text.find("struct Raw") {
        let name_start = index + "struct ".len();
        let end = text[name_start..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(text.len(), |length| name_start + length);
        text.replace_range(index..end, "a mapping of `key: value` lines");
    }
    text
}

/// Returns the escape sequence, such as `\c`, that starts at `location`.
fn escape_at(source: &str, location: Location) -> Option<String> {
    let mut chars = chars_from(source, location)?;
    let backslash = chars.next().filter(|c| *c == '\\')?;
    let letter = chars.next()?;
    Some(format!("{backslash}{letter}"))
}

fn char_at(source: &str, location: Location) -> Option<char> {
    chars_from(source, location)?.next()
}

fn chars_from(source: &str, location: Location) -> Option<impl Iterator<Item = char> + '_> {
    let line = source.lines().nth(location.line.checked_sub(1)?)?;
    Some(line.chars().skip(location.column.checked_sub(1)?))
}

/// Describes an unknown struct key or an unknown `links:` kind, with the likely intended key.
fn unknown_key_message(within: Option<&str>, problem: &str) -> Option<String> {
    // `LinkKind` is the only enum in the raw structs, and it is only used as a map key,
    // so an unknown variant is an unknown key.
    let (marker, index) = ["unknown field `", "unknown variant `"]
        .into_iter()
        .find_map(|marker| problem.find(marker).map(|index| (marker, index)))?;
    let rest = &problem[index..];
    let key = between(rest, marker, "`")?;
    let expected: Vec<&str> = rest
        .split_once("expected ")
        .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    let mut message = format!("unknown key `{key}`");
    if let Some(value_path) = within {
        message.push_str(&format!(" in `{value_path}`"));
    }
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

/// Reports a key written twice in the mapping that starts at `mapping_start`, at the
/// second occurrence and naming the line of the first.
fn duplicate_key(
    path: &Path,
    source: &str,
    mapping_start: Location,
    within: Option<&str>,
    key: &str,
) -> Diagnostic {
    let name = match within {
        Some(value_path) => format!("{value_path}.{key}"),
        None => key.to_owned(),
    };
    let found = key_locations_in_mapping(source, mapping_start, key);
    match (found.first(), found.get(1)) {
        (Some(first), Some(second)) => {
            let message = format!(
                "duplicate key `{name}`; it is first set on line {}; keep one of the two",
                first.line
            );
            Diagnostic::error(path, *second, message)
        }
        _ => {
            let message = format!("duplicate key `{name}`; keep one of the two");
            Diagnostic::error(path, mapping_start, message)
        }
    }
}

/// Finds the lines where `key` is set in the block mapping whose first key is at `start`.
///
/// Keys of nested mappings and lines of block scalars are indented deeper and skipped.
/// A flow mapping (`{a: 1, a: 2}`) yields no locations.
fn key_locations_in_mapping(source: &str, start: Location, key: &str) -> Vec<Location> {
    let (Some(first_index), Some(indent)) =
        (start.line.checked_sub(1), start.column.checked_sub(1))
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (index, line) in source.lines().enumerate().skip(first_index) {
        let text = if index == first_index {
            // The mapping may start after a list dash, as in `- name: x`.
            let offset = line
                .char_indices()
                .nth(indent)
                .map_or(line.len(), |(i, _)| i);
            &line[offset..]
        } else {
            let trimmed = line.trim_start_matches(' ');
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let line_indent = line.len() - trimmed.len();
            if line_indent < indent {
                break;
            }
            if line_indent > indent || trimmed.starts_with('-') {
                continue;
            }
            trimmed
        };
        if key_of(text) == Some(key) {
            found.push(Location::new(index + 1, indent + 1));
        }
    }
    found
}

/// Explains a `key:` line indented under a key that already has a value on its own
/// line, which YAML reads as a continuation of that value.
fn indented_key_message(source: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let current = lines.get(line.checked_sub(1)?)?;
    let indent = current.len() - current.trim_start().len();
    if indent == 0 {
        return None;
    }
    let key = key_of(current)?;
    let previous = lines[..line - 1]
        .iter()
        .rev()
        .find(|text| !text.trim().is_empty() && !text.trim_start().starts_with('#'))?;
    let previous_indent = previous.len() - previous.trim_start().len();
    let (_, value) = previous.split_once(':')?;
    let parent = key_of(previous)?;
    let has_value = !value.trim().is_empty();
    (previous_indent < indent && has_value).then(|| {
        format!(
            "`{key}` is indented under `{parent}`, which already has a value, so YAML reads \
             it as part of that value; indent `{key}` like `{parent}`"
        )
    })
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
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

/// A YAML escape sequence found where LaTeX was probably meant, such as `\n` in `\nabla`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatexEscape {
    /// The escape as written, such as `\n`.
    pub sequence: String,
    /// The command it starts, such as `\nabla`.
    pub command: String,
    /// The character YAML turns the escape into, such as "a line break".
    pub meaning: &'static str,
}

/// Finds a backslash escape in a double-quoted value written on the line at `location`.
///
/// YAML turns `\t`, `\n`, `\L`, `\P`, `\_` and others into characters, so a LaTeX
/// command such as `\textit` or `\nabla` in double quotes is silently changed.
pub fn latex_escape_in_double_quotes(source: &str, location: Location) -> Option<LatexEscape> {
    let line = source.lines().nth(location.line.checked_sub(1)?)?;
    let from_key = line.get(location.column.saturating_sub(1)..)?;
    let value = match from_key.strip_prefix("- ") {
        Some(item) if !item.trim_start().starts_with(|c: char| c.is_alphanumeric()) => item,
        _ => from_key.split_once(':')?.1,
    };
    let quoted = value.trim_start().strip_prefix('"')?;
    let mut chars = quoted.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                let (_, next) = chars.next()?;
                let Some(meaning) = escape_meaning(next) else {
                    continue;
                };
                let command: String = quoted[index..]
                    .chars()
                    .enumerate()
                    .take_while(|(position, c)| *position < 2 || c.is_ascii_alphabetic())
                    .map(|(_, c)| c)
                    .collect();
                return Some(LatexEscape {
                    sequence: format!("\\{next}"),
                    command,
                    meaning,
                });
            }
            _ => {}
        }
    }
    None
}

/// Returns what YAML makes of `\c` in double quotes, for the escapes a LaTeX command
/// can start with.
fn escape_meaning(c: char) -> Option<&'static str> {
    let meaning = match c {
        't' => "a TAB",
        'n' => "a line break",
        'r' => "a carriage return",
        'b' => "a backspace",
        'f' => "a form feed",
        'v' => "a vertical tab",
        'a' => "a bell character",
        'e' => "an escape character",
        '0' => "a NUL character",
        'N' => "a next-line character",
        '_' => "a no-break space",
        'L' => "a line separator",
        'P' => "a paragraph separator",
        'x' | 'u' | 'U' => "a character code",
        ' ' => "a space",
        _ => return None,
    };
    Some(meaning)
}

/// Writes `text` as a YAML scalar for a `key: value` line or a `- item` line: plain when
/// YAML reads it back as the same string, otherwise single-quoted.
///
/// `text` must not contain line breaks, which a quoted scalar folds into spaces.
pub fn scalar(text: &str) -> String {
    let reads_back = serde_yaml::from_str::<serde_yaml::Value>(text)
        .is_ok_and(|value| value.as_str() == Some(text));
    if reads_back && !text.is_empty() {
        text.to_owned()
    } else {
        single_quoted(text)
    }
}

/// Writes `text` as a single-quoted YAML scalar, in which `'` is written `''` and a
/// backslash has no special meaning.
///
/// `text` must not contain line breaks, which a quoted scalar folds into spaces.
pub fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
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
    fn strip_locations_removes_every_location() {
        let message = "found unknown escape character at line 1 column 13, \
                       while parsing a quoted scalar at line 1 column 8";
        assert_eq!(
            strip_locations(message),
            "found unknown escape character, while parsing a quoted scalar"
        );
        assert_eq!(strip_locations("look at lines"), "look at lines");
        assert_eq!(strip_locations("EOF at position 12"), "EOF");
    }

    fn flow_depth_error(source: &str) -> Option<Location> {
        check_flow_depth(Path::new("a.yaml"), source)
            .err()
            .map(|diagnostic| Location::new(diagnostic.line, diagnostic.column))
    }

    #[test]
    fn flow_depth_limit_located() {
        let at_limit = format!("topics: {}{}\n", "[".repeat(64), "]".repeat(64));
        assert_eq!(flow_depth_error(&at_limit), None);
        let over = format!("title: x\ntopics: {}{}\n", "[".repeat(65), "]".repeat(65));
        assert_eq!(flow_depth_error(&over), Some(Location::new(2, 73)));
        let across_lines = format!("links: {{\n{}\n", "  {a: \n".repeat(70));
        assert!(flow_depth_error(&across_lines).is_some());
    }

    #[test]
    fn flow_depth_skips_text() {
        let brackets = "[".repeat(100);
        let sources = [
            format!("title: a {brackets}\n"),
            format!("title: '{brackets}'\n"),
            format!("title: \"{brackets}\\\"\"\nvenue: x\n"),
            format!("title: x # {brackets}\n"),
            format!("abstract: |\n  {brackets}\n\n  more {brackets}\ntitle: x\n"),
            format!("authors:\n  - >-\n    {brackets}\n"),
            format!("title: ['it''s {brackets}', \"{brackets}\"]\n"),
        ];
        for source in sources {
            assert_eq!(flow_depth_error(&source), None, "{source}");
        }
    }

    #[test]
    fn closest_suggests_typos_only() {
        assert_eq!(
            closest("abstarct", &["title", "abstract"]),
            Some("abstract")
        );
        assert_eq!(closest("zzzz", &["title", "abstract"]), None);
    }

    #[test]
    fn scalar_reads_back_as_written() {
        let texts = [
            "Zoë Ängström",
            "zoe-angstrom",
            "null",
            "true",
            "2024",
            "1e3",
            "",
            "Dark matter: a review",
            "Why #1 matters",
            "It's $\\alpha$",
            "- dash",
            "[bracket",
            "{brace}",
            "*star",
            "&anchor x",
            "! tag",
            "%percent",
            "@at",
            "`tick",
            "'quoted'",
            "\"double\"",
            "--- dashes",
            "? question",
            "|",
            "Lovelace, Ada",
        ];
        for text in texts {
            let line = format!("key: {}\nlist:\n  - {}\n", scalar(text), scalar(text));
            let parsed: std::collections::BTreeMap<String, serde_yaml::Value> =
                serde_yaml::from_str(&line).unwrap_or_else(|err| panic!("{line}: {err}"));
            assert_eq!(parsed["key"].as_str(), Some(text), "{line}");
            assert_eq!(parsed["list"][0].as_str(), Some(text), "{line}");
        }
    }

    #[test]
    fn scalar_keeps_plain_text_plain() {
        assert_eq!(scalar("Zoë Ängström"), "Zoë Ängström");
        assert_eq!(scalar("zoe-angstrom"), "zoe-angstrom");
        assert_eq!(scalar("null"), "'null'");
        assert_eq!(scalar("a: b"), "'a: b'");
        assert_eq!(single_quoted("It's"), "'It''s'");
    }
}
