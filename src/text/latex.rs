//! The LaTeX text-mode markup that arXiv abstracts use, turned into HTML and typography.

/// The text commands that become HTML elements, with the element they become.
const COMMANDS: &[(&str, &str)] = &[
    ("emph", "em"),
    ("textit", "em"),
    ("textsl", "em"),
    ("textbf", "strong"),
    ("texttt", "code"),
    ("underline", "u"),
];

/// Rewrites `\emph{…}`-style commands as inline HTML and ``` ``…'' ``` as curly quotes.
///
/// Runs before Markdown parsing, on text whose math was already replaced by
/// placeholders, so braces and quotes inside math are never touched. A command
/// without a closing brace is left as written.
pub fn convert_commands(text: &str) -> String {
    let quoted = convert_quotes(text);
    let mut out = String::with_capacity(quoted.len());
    let mut rest = quoted.as_str();

    while let Some(index) = rest.find('\\') {
        out.push_str(&rest[..index]);
        let after = &rest[index + 1..];
        match parse_command(after) {
            Some((element, body, consumed)) => {
                out.push_str(&format!(
                    "<{element}>{}</{element}>",
                    convert_commands(body)
                ));
                rest = &after[consumed..];
            }
            None => {
                // Keep the backslash and the next character together, so `\\emph` stays literal.
                let next_len = after.chars().next().map_or(0, char::len_utf8);
                out.push('\\');
                out.push_str(&after[..next_len]);
                rest = &after[next_len..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses `name{body}` at the start of `text`, returning the element, body and bytes used.
fn parse_command(text: &str) -> Option<(&'static str, &str, usize)> {
    let (name, element) = COMMANDS
        .iter()
        .find(|(name, _)| text.starts_with(name) && text[name.len()..].starts_with('{'))?;
    let body_start = name.len() + 1;
    let body_len = matching_brace(&text[body_start..])?;
    let body = &text[body_start..body_start + body_len];
    Some((element, body, body_start + body_len + 1))
}

/// Returns the index of the `}` that closes an already opened group.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' if depth == 0 => return Some(index),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Turns ``` ``text'' ``` into “text” when the closing `''` comes before the paragraph ends.
fn convert_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("``") {
        let after = &rest[open + 2..];
        let paragraph_end = after.find("\n\n").unwrap_or(after.len());
        let close = after[..paragraph_end]
            .find("''")
            .filter(|&close| !after[..close].contains('`'));
        out.push_str(&rest[..open]);
        match close {
            Some(close) => {
                out.push('\u{201C}');
                out.push_str(&after[..close]);
                out.push('\u{201D}');
                rest = &after[close + 2..];
            }
            None => {
                out.push_str("``");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Applies TeX typography to prose: `---` → em dash, `--` → en dash, `~` → no-break space.
///
/// A `~` after `/` or at a word's start is kept, so paths such as `/~lab/` survive.
pub fn typography(text: &str) -> String {
    let replaced = text.replace("---", "\u{2014}").replace("--", "\u{2013}");
    let mut out = String::with_capacity(replaced.len());
    let mut previous: Option<char> = None;
    for c in replaced.chars() {
        let tie = c == '~' && previous.is_some_and(|p| !p.is_whitespace() && p != '/');
        out.push(if tie { '\u{00A0}' } else { c });
        previous = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_become_elements() {
        assert_eq!(convert_commands(r"\emph{a}"), "<em>a</em>");
        assert_eq!(
            convert_commands(r"\textbf{a \textit{b}}"),
            "<strong>a <em>b</em></strong>"
        );
        assert_eq!(convert_commands(r"\texttt{x}"), "<code>x</code>");
    }

    #[test]
    fn unclosed_and_unknown_commands_stay() {
        assert_eq!(convert_commands(r"\emph{a"), r"\emph{a");
        assert_eq!(convert_commands(r"\cite{x}"), r"\cite{x}");
        assert_eq!(convert_commands(r"\\emph{x}"), r"\\emph{x}");
    }

    #[test]
    fn latex_quotes_become_curly() {
        assert_eq!(
            convert_quotes("``fast'' and ``slow''"),
            "\u{201C}fast\u{201D} and \u{201C}slow\u{201D}"
        );
        assert_eq!(convert_quotes("``code``"), "``code``");
    }

    #[test]
    fn typography_dashes_and_ties() {
        assert_eq!(typography("a--b---c"), "a\u{2013}b\u{2014}c");
        assert_eq!(typography("Fig.~3"), "Fig.\u{00A0}3");
        assert_eq!(typography("/~lab/"), "/~lab/");
    }
}
