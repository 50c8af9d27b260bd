//! Finding TeX math in text and rendering it to MathML with pulldown-latex.

use std::collections::HashSet;
use std::convert::Infallible;
use std::panic::{self, AssertUnwindSafe};
use std::sync::LazyLock;

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage};

/// A piece of source text: prose, or a math formula with its delimiters removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    Prose(&'a str),
    Math(Math<'a>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Math<'a> {
    /// The TeX between the delimiters.
    pub tex: &'a str,
    /// The formula as written, delimiters included.
    pub source: &'a str,
    pub display: bool,
}

/// Splits text into prose and math. Math is `$…$`, `$$…$$`, `\(…\)` or `\[…\]`.
///
/// An inline `$` opens math only when a non-space follows it. The closing `$` must
/// follow a non-space and be in the same paragraph. `\$` is a literal dollar sign, and
/// backtick code spans are prose, so a `$` inside them never opens math.
pub fn split(text: &str) -> Vec<Segment<'_>> {
    let bytes = text.as_bytes();
    let mut segments = Vec::new();
    let mut prose_start = 0;
    let mut i = 0;

    while i < bytes.len() {
        let found = match bytes[i] {
            b'\\' => match bytes.get(i + 1) {
                Some(b'(') => find_closing(text, i, "\\(", "\\)", false),
                Some(b'[') => find_closing(text, i, "\\[", "\\]", true),
                Some(_) => {
                    i += 2;
                    continue;
                }
                None => None,
            },
            b'$' if bytes.get(i + 1) == Some(&b'$') => find_closing(text, i, "$$", "$$", true),
            b'$' => find_inline_dollar(text, i),
            b'`' => {
                i = skip_code_span(bytes, i);
                continue;
            }
            _ => None,
        };
        match found {
            Some((end, math)) => {
                if prose_start < i {
                    segments.push(Segment::Prose(&text[prose_start..i]));
                }
                segments.push(Segment::Math(math));
                i = end;
                prose_start = end;
            }
            None => i += 1,
        }
    }
    if prose_start < text.len() {
        segments.push(Segment::Prose(&text[prose_start..]));
    }
    segments
}

fn find_closing<'a>(
    text: &'a str,
    start: usize,
    open: &str,
    close: &str,
    display: bool,
) -> Option<(usize, Math<'a>)> {
    let body_start = start + open.len();
    let relative = find_unescaped(&text[body_start..], close)?;
    let body = &text[body_start..body_start + relative];
    if body.trim().is_empty() || body.contains("\n\n") {
        return None;
    }
    let end = body_start + relative + close.len();
    Some((
        end,
        Math {
            tex: body,
            source: &text[start..end],
            display,
        },
    ))
}

fn find_inline_dollar(text: &str, start: usize) -> Option<(usize, Math<'_>)> {
    let body_start = start + 1;
    let first = text[body_start..].chars().next()?;
    if first.is_whitespace() {
        return None;
    }
    let relative = find_unescaped(&text[body_start..], "$")?;
    let body = &text[body_start..body_start + relative];
    let last = body.chars().next_back()?;
    if last.is_whitespace() || body.contains("\n\n") {
        return None;
    }
    let end = body_start + relative + 1;
    Some((
        end,
        Math {
            tex: body,
            source: &text[start..end],
            display: false,
        },
    ))
}

/// Finds `needle` in `haystack`, skipping occurrences preceded by a backslash escape.
fn find_unescaped(haystack: &str, needle: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if haystack[i..].starts_with(needle) {
            return Some(i);
        }
        if bytes[i] == b'\\' {
            i += 1;
        }
        i += 1;
        while i < bytes.len() && !haystack.is_char_boundary(i) {
            i += 1;
        }
    }
    None
}

/// Returns the index after a backtick code span starting at `start`, or after the
/// backtick run itself when the span is not closed.
fn skip_code_span(bytes: &[u8], start: usize) -> usize {
    let run = bytes[start..].iter().take_while(|&&b| b == b'`').count();
    let mut i = start + run;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let closing = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if closing == run {
                return i + closing;
            }
            i += closing;
        } else {
            i += 1;
        }
    }
    start + run
}

/// Renders one formula to MathML, or returns the parser's complaint.
///
/// The TeX source is kept in an `<annotation>` element, so copying the formula yields TeX.
/// pulldown-latex 0.8 copies characters such as `<` from the TeX into `<mi>`, `<mo>`
/// and `<annotation>` without escaping them. The MathML is therefore sanitized before
/// it is returned, so that `\operatorname{<b onclick=…>}` stays text.
pub fn to_mathml(math: &Math<'_>) -> Result<String, String> {
    let result = panic::catch_unwind(AssertUnwindSafe(|| render_unguarded(math)));
    let mathml =
        result.unwrap_or_else(|_| Err("the math renderer failed on this formula".to_owned()))?;
    Ok(MATHML_SANITIZER.clean(&mathml).to_string())
}

/// The elements that pulldown-latex 0.8 writes.
const MATHML_ELEMENTS: [&str; 22] = [
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mo",
    "mn",
    "mtext",
    "mspace",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mfrac",
    "msqrt",
    "mroot",
    "mtable",
    "mtr",
    "mtd",
    "merror",
];

/// The attributes that pulldown-latex 0.8 writes. Their values are fixed class names or
/// colors and dimensions that the renderer parsed and formatted itself.
const MATHML_ATTRIBUTES: [&str; 17] = [
    "class",
    "depth",
    "display",
    "displaystyle",
    "encoding",
    "height",
    "largeop",
    "linethickness",
    "mathvariant",
    "maxsize",
    "minsize",
    "movablelimits",
    "scriptlevel",
    "stretchy",
    "style",
    "symmetric",
    "width",
];

/// The sanitizer for rendered formulas. It keeps only the renderer's MathML elements
/// and attributes, and it escapes all text again.
static MATHML_SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .tags(HashSet::from(MATHML_ELEMENTS))
        .generic_attributes(HashSet::from(MATHML_ATTRIBUTES))
        .tag_attributes(Default::default())
        .url_schemes(HashSet::new())
        .link_rel(None);
    builder
});

fn render_unguarded(math: &Math<'_>) -> Result<String, String> {
    let storage = Storage::new();
    // The renderer writes the annotation as given, so it gets the escaped source.
    let annotation = super::escape_html(math.tex);
    let events = Parser::new(math.tex, &storage)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| first_line(&err.to_string()))?;
    let config = RenderConfig {
        display_mode: if math.display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(&annotation),
        ..RenderConfig::default()
    };
    let mut mathml = String::new();
    pulldown_latex::push_mathml(
        &mut mathml,
        events.into_iter().map(Ok::<_, Infallible>),
        config,
    )
    .map_err(|err| err.to_string())?;
    Ok(mathml)
}

/// Keeps the first line of a parser message, without its "parsing error: " prefix.
/// The following lines draw a box around the formula, which the caller shows anyway.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message);
    line.strip_prefix("parsing error: ")
        .unwrap_or(line)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn math_sources(text: &str) -> Vec<&str> {
        split(text)
            .into_iter()
            .filter_map(|segment| match segment {
                Segment::Math(math) => Some(math.source),
                Segment::Prose(_) => None,
            })
            .collect()
    }

    #[test]
    fn split_finds_every_delimiter() {
        let text = r"a $x$ b $$y$$ c \(z\) d \[w\] e";
        assert_eq!(math_sources(text), ["$x$", "$$y$$", r"\(z\)", r"\[w\]"]);
    }

    #[test]
    fn split_ignores_prices_and_escapes() {
        assert!(math_sources("costs $5 and $ 6").is_empty());
        assert!(math_sources(r"a \$x\$ b").is_empty());
        assert!(math_sources("`$x$` in code").is_empty());
    }

    #[test]
    fn split_keeps_escaped_dollar_inside_math() {
        assert_eq!(math_sources(r"$a \$ b$"), [r"$a \$ b$"]);
    }

    #[test]
    fn mathml_for_valid_tex() {
        let segments = split("$x^2$");
        let Segment::Math(math) = &segments[0] else {
            panic!("expected math, got {segments:?}");
        };
        let mathml = to_mathml(math).expect("valid TeX renders");
        assert!(mathml.starts_with("<math"), "{mathml}");
    }
}
