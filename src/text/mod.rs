//! Titles, abstracts and bios: CommonMark with TeX math and LaTeX text commands, to safe HTML.
//!
//! The steps, in order: math is cut out and replaced by placeholders, LaTeX text
//! commands become inline HTML, Markdown is parsed and links are checked. Then ammonia
//! sanitizes the HTML and places site paths under the base path, and only then is the
//! MathML put back in. Markdown and the sanitizer therefore never see the inside of a
//! formula.

mod latex;
pub(crate) mod math;

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::links;

/// Text rendered for both HTML and plain-text places.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Sanitized HTML with MathML.
    pub html: String,
    /// The same text without markup, math shown as its TeX source.
    pub plain: String,
    /// Problems worth a warning, such as math that could not be rendered.
    pub problems: Vec<String>,
}

/// Renders Markdown paragraphs (abstracts and bios).
pub fn render_block(source: &str, base_path: &str) -> Rendered {
    render(source, base_path, false)
}

/// Renders a single line of inline Markdown (titles), without a wrapping paragraph.
pub fn render_inline(source: &str, base_path: &str) -> Rendered {
    render(source, base_path, true)
}

const PLACEHOLDER_OPEN: char = '\u{E000}';
const PLACEHOLDER_CLOSE: char = '\u{E001}';

fn render(source: &str, base_path: &str, inline: bool) -> Rendered {
    let mut problems = Vec::new();
    let mut templated = String::with_capacity(source.len());
    let mut formulas = Vec::new();

    for segment in math::split(source) {
        match segment {
            math::Segment::Prose(prose) => templated
                .push_str(&prose.replace([PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE], "\u{FFFD}")),
            math::Segment::Math(formula) => {
                templated.push(PLACEHOLDER_OPEN);
                templated.push_str(&formulas.len().to_string());
                templated.push(PLACEHOLDER_CLOSE);
                formulas.push(formula);
            }
        }
    }

    let converted = latex::convert_commands(&templated);
    let events = markdown_events(&converted, base_path, inline, &mut problems);
    let mut html = String::with_capacity(converted.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let clean = sanitize(&html, base_path, &mut problems);
    let plain = visible_text(&clean);

    let rendered_math: Vec<String> = formulas
        .iter()
        .map(|formula| match math::to_mathml(formula) {
            Ok(mathml) => mathml,
            Err(reason) => {
                problems.push(format!(
                    "math `{}` could not be rendered ({reason}); it is shown as TeX source",
                    formula.source
                ));
                format!("<code class=\"tex\">{}</code>", escape_html(formula.source))
            }
        })
        .collect();
    let sources: Vec<&str> = formulas.iter().map(|formula| formula.source).collect();

    Rendered {
        html: fill_placeholders(clean.trim_end(), |index| rendered_math[index].as_str()),
        plain: fill_placeholders(plain.trim(), |index| sources[index]),
        problems,
    }
}

fn markdown_events<'a>(
    text: &'a str,
    base_path: &str,
    inline: bool,
    problems: &mut Vec<String>,
) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    // One entry per open link or image: whether its start tag was kept.
    let mut kept_links: Vec<bool> = Vec::new();
    let mut code_depth = 0usize;

    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let kept = with_checked_url(tag, base_path, problems);
                kept_links.push(kept.is_some());
                events.extend(kept.map(Event::Start));
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                if kept_links.pop().unwrap_or(false) {
                    events.push(Event::End(end));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                code_depth += 1;
                events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                code_depth = code_depth.saturating_sub(1);
                events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Text(text) if code_depth == 0 => {
                events.push(Event::Text(latex::typography(&text).into()));
            }
            Event::Start(tag) if inline && is_block(&tag) => {}
            Event::End(tag) if inline && is_block_end(tag) => {}
            Event::SoftBreak | Event::HardBreak if inline => {
                events.push(Event::Text(" ".into()));
            }
            other => events.push(other),
        }
    }
    events
}

/// Returns a link or image tag with its URL checked, or `None` when the URL is rejected.
fn with_checked_url<'a>(
    tag: Tag<'a>,
    base_path: &str,
    problems: &mut Vec<String>,
) -> Option<Tag<'a>> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => {
            let dest_url = checked_url(&dest_url, base_path, problems)?.into();
            Some(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => {
            let dest_url = checked_url(&dest_url, base_path, problems)?.into();
            Some(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => Some(other),
    }
}

/// Returns the link's URL as written when `links::resolve` accepts it. The sanitizer
/// places site paths under the base path later, for raw HTML links too.
fn checked_url(url: &str, base_path: &str, problems: &mut Vec<String>) -> Option<String> {
    if url.starts_with('#') {
        return Some(url.to_owned());
    }
    match links::resolve(url, base_path) {
        Ok(_) => Some(url.to_owned()),
        Err(reason) => {
            problems.push(format!("link left out: {reason}"));
            None
        }
    }
}

fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

fn is_block_end(tag: TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
    )
}

/// Returns the text a reader sees in sanitized HTML: tags removed, entities decoded,
/// and block ends and line breaks turned into single spaces.
///
/// Taking the text after sanitizing means text inside removed elements, such as a
/// `<script>` in a title, is absent from the plain text as it is from the page.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&decode_entities(&rest[..open]));
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or_default();
        let breaks = matches!(
            name,
            "p" | "br"
                | "li"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "tr"
                | "td"
                | "th"
                | "pre"
                | "blockquote"
        );
        if breaks && !text.ends_with(' ') {
            text.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(&decode_entities(rest));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the entities that sanitized HTML contains: the named ones for markup
/// characters and numeric references.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let entity = after
            .find(';')
            .filter(|&end| end <= 10)
            .map(|end| &after[..end]);
        let decoded = entity.and_then(|name| match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{00A0}'),
            _ => {
                let number = name.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (entity, decoded) {
            (Some(name), Some(c)) => {
                out.push(c);
                rest = &after[name.len() + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Replaces each `\u{E000}N\u{E001}` placeholder with `content(N)`.
fn fill_placeholders<'a>(text: &str, content: impl Fn(usize) -> &'a str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(PLACEHOLDER_OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + PLACEHOLDER_OPEN.len_utf8()..];
        let close = after.find(PLACEHOLDER_CLOSE);
        let index = close.and_then(|close| after[..close].parse::<usize>().ok());
        match (close, index) {
            (Some(close), Some(index)) => {
                out.push_str(content(index));
                rest = &after[close + PLACEHOLDER_CLOSE.len_utf8()..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Sanitizes Markdown output with ammonia's defaults, allowing only http, https and
/// mailto URLs. Relative URLs from Markdown links and raw HTML go through
/// `links::resolve`, so a site path such as `/cv.pdf` is placed under `base_path`.
/// Any other relative URL loses its attribute, and the reason is added to `problems`.
fn sanitize(html: &str, base_path: &str, problems: &mut Vec<String>) -> String {
    let rejected = Arc::new(Mutex::new(Vec::new()));
    let relative_urls = RelativeUrls {
        base_path,
        rejected: Arc::clone(&rejected),
    };
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener"))
        .url_relative(ammonia::UrlRelative::Custom(Box::new(relative_urls)));
    let clean = builder.clean(html).to_string();
    let rejected = rejected.lock().unwrap_or_else(PoisonError::into_inner);
    problems.extend(
        rejected
            .iter()
            .map(|reason| format!("link left out: {reason}")),
    );
    clean
}

/// The rule for relative URLs in sanitized HTML, with the reasons for those it removed.
struct RelativeUrls<'a> {
    base_path: &'a str,
    rejected: Arc<Mutex<Vec<String>>>,
}

impl<'a> ammonia::UrlRelativeEvaluate<'a> for RelativeUrls<'a> {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        if url.starts_with('#') {
            return Some(Cow::Borrowed(url));
        }
        match links::resolve(url, self.base_path) {
            Ok(resolved) => Some(Cow::Owned(resolved)),
            Err(reason) => {
                let mut rejected = self.rejected.lock().unwrap_or_else(PoisonError::into_inner);
                rejected.push(reason);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn math_survives_markdown() {
        let out = render_block(r"$O(d_{\max})$ and $d_{\max}$", "/");
        assert_eq!(out.html.matches("<math").count(), 2, "{}", out.html);
        assert!(!out.html.contains("<em>"), "{}", out.html);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
    }

    #[test]
    fn unknown_macro_falls_back_to_source() {
        let out = render_block(r"see $\notamacro{x}$", "/");
        assert!(
            out.html
                .contains(r#"<code class="tex">$\notamacro{x}$</code>"#),
            "{}",
            out.html
        );
        assert_eq!(out.problems.len(), 1);
    }

    #[test]
    fn plain_text_has_no_tags() {
        let out = render_inline(r"A \emph{B} for $x$ -- ``C''", "/");
        assert_eq!(out.plain, "A B for $x$ \u{2013} \u{201C}C\u{201D}");
        assert!(out.html.contains("<em>B</em>"), "{}", out.html);
        assert!(!out.html.starts_with("<p>"), "{}", out.html);
    }

    #[test]
    fn site_paths_resolve_once_under_base() {
        let out = render_block(
            "[md](/a.pdf) <a href=\"/b/\">raw</a> <a href=\"c/\">relative</a>",
            "/lab/",
        );
        assert!(out.html.contains(r#"href="/lab/a.pdf""#), "{}", out.html);
        assert!(out.html.contains(r#"href="/lab/b/""#), "{}", out.html);
        assert!(!out.html.contains("c/"), "{}", out.html);
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    }

    #[test]
    fn scripts_are_removed() {
        let out = render_block(
            "<script>alert(1)</script><a href=\"javascript:x\" onclick=\"y\">z</a>",
            "/",
        );
        assert!(!out.html.contains("script"), "{}", out.html);
        assert!(!out.html.contains("onclick"), "{}", out.html);
        assert!(!out.html.contains("javascript"), "{}", out.html);
    }
}
