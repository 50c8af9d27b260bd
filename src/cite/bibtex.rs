//! BibTeX entries.
//!
//! Text fields are escaped for LaTeX: `&`, `%`, `#`, `_` and a `$` outside math get a
//! backslash, `^` becomes `\^{}`, and braces that do not pair up become
//! `\textbraceleft{}` and `\textbraceright{}`, so every entry has balanced braces.
//! LaTeX that the source already contains, such as `\&`, `\emph{…}` and math in
//! `$…$`, is kept as written. Titles also get their capitals protected, as
//! [`protects_case`] describes. The `doi`, `eprint` and `url` fields are written as
//! they are, because BibTeX styles print them verbatim.

use super::{Reference, protects_case};
use crate::model::PublicationType;
use crate::text::math::{self, Segment};

/// BibTeX's month macros, which styles print in their own language.
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Formats one entry, ending with a newline.
pub fn entry(reference: &Reference<'_>) -> String {
    // Each field with its value as written after `=`: in braces, or a month macro.
    let mut fields: Vec<(&str, String)> = Vec::new();
    let authors: Vec<String> = reference.authors.iter().map(author).collect();
    if !authors.is_empty() {
        fields.push(("author", braced(&authors.join(" and "))));
    }
    fields.push(("title", braced(&title(reference.title_source))));
    if let Some((field, venue)) = container(reference) {
        fields.push((field, braced(&venue)));
    }
    fields.push(("year", braced(&reference.date.year.to_string())));
    if let Some(month) = reference.date.month {
        fields.push(("month", MONTHS[usize::from(month) - 1].to_owned()));
    }
    let optional_text = [
        ("volume", reference.volume),
        ("number", reference.issue),
        ("publisher", reference.publisher),
    ];
    for (field, value) in optional_text {
        if let Some(value) = value {
            fields.push((field, braced(&text(value))));
        }
    }
    if let Some(pages) = &reference.pages {
        fields.push(("pages", braced(&text(&pages.joined("--")))));
    }
    if let Some(doi) = reference.doi {
        fields.push(("doi", braced(&verbatim(doi))));
    }
    if let Some(arxiv) = reference.arxiv {
        fields.push(("eprint", braced(&verbatim(arxiv))));
        fields.push(("archivePrefix", braced("arXiv")));
    }
    if let Some(url) = &reference.url {
        fields.push(("url", braced(&verbatim(url))));
    }
    if let Some(note) = note(reference.kind) {
        fields.push(("note", braced(note)));
    }

    let mut out = format!("@{}{{{},\n", entry_type(reference.kind), reference.key);
    for (field, value) in &fields {
        out.push_str(&format!("  {field} = {value},\n"));
    }
    out.push_str("}\n");
    out
}

fn braced(value: &str) -> String {
    format!("{{{value}}}")
}

fn entry_type(kind: PublicationType) -> &'static str {
    match kind {
        PublicationType::Article => "article",
        PublicationType::Conference => "inproceedings",
        PublicationType::Chapter => "incollection",
        PublicationType::Book => "book",
        PublicationType::Thesis => "phdthesis",
        PublicationType::Report => "techreport",
        PublicationType::Preprint
        | PublicationType::Dataset
        | PublicationType::Software
        | PublicationType::Talk
        | PublicationType::Poster
        | PublicationType::Patent
        | PublicationType::Other => "misc",
    }
}

/// Returns the field that names where the work appeared, from its venue.
fn container(reference: &Reference<'_>) -> Option<(&'static str, String)> {
    let venue = reference.venue?;
    let field = match reference.kind {
        PublicationType::Article => "journal",
        PublicationType::Conference | PublicationType::Chapter => "booktitle",
        PublicationType::Thesis => "school",
        PublicationType::Report => "institution",
        // A book's venue is its series, because its publisher has a field of its own.
        PublicationType::Book => "series",
        // The eprint fields already name arXiv.
        PublicationType::Preprint if reference.arxiv.is_some() && reference.venue_is_arxiv() => {
            return None;
        }
        PublicationType::Preprint
        | PublicationType::Dataset
        | PublicationType::Software
        | PublicationType::Talk
        | PublicationType::Poster
        | PublicationType::Patent
        | PublicationType::Other => "howpublished",
    };
    Some((field, text(venue)))
}

/// Returns a note for the kinds that `@misc` cannot tell apart.
fn note(kind: PublicationType) -> Option<&'static str> {
    match kind {
        PublicationType::Dataset => Some("Dataset"),
        PublicationType::Software => Some("Software"),
        PublicationType::Talk => Some("Talk"),
        PublicationType::Poster => Some("Poster"),
        PublicationType::Patent => Some("Patent"),
        _ => None,
    }
}

/// Formats a name as `van Beethoven, Jr., Ludwig`, in braces when it contains the word
/// `and`, which BibTeX would read as the start of the next name.
fn author(name: &super::Name) -> String {
    let written = text(&name.family_first());
    if written
        .split(' ')
        .any(|word| word.eq_ignore_ascii_case("and"))
    {
        format!("{{{written}}}")
    } else {
        written
    }
}

/// Escapes a title and protects its capitals.
pub fn title(source: &str) -> String {
    convert(source, true)
}

/// Escapes a text field without changing how styles case it.
pub fn text(source: &str) -> String {
    convert(source, false)
}

/// Writes a value that styles print verbatim, with braces percent-encoded so that the
/// field still ends where BibTeX expects.
fn verbatim(value: &str) -> String {
    value.replace('{', "%7B").replace('}', "%7D")
}

/// One piece of a text field: a character, a LaTeX command or escape, or math.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Char(char),
    /// A command such as `\emph`, or an escaped character such as `\&`.
    Command(&'a str),
    Math(String),
}

impl Piece<'_> {
    /// Returns `'{'` or `'}'` when the piece is a brace, escaped or not.
    fn brace(&self) -> Option<char> {
        match self {
            Piece::Char(c @ ('{' | '}')) => Some(*c),
            Piece::Command("\\{") => Some('{'),
            Piece::Command("\\}") => Some('}'),
            _ => None,
        }
    }
}

fn convert(source: &str, protect: bool) -> String {
    let pieces = lex(source);
    let paired = pair_braces(&pieces);
    let mut out = String::with_capacity(source.len() + 16);
    let mut depth = 0usize;
    let mut word_start = 0;
    let mut first_word = true;
    for (index, piece) in pieces.iter().enumerate() {
        let splits = depth == 0 && matches!(piece, Piece::Char(c) if c.is_whitespace());
        if splits {
            if word_start < index {
                write_word(
                    &pieces,
                    &paired,
                    word_start..index,
                    first_word,
                    protect,
                    &mut out,
                );
                first_word = false;
            }
            out.push(' ');
            word_start = index + 1;
            continue;
        }
        if paired[index] {
            match piece.brace() {
                Some('{') => depth += 1,
                Some('}') => depth -= 1,
                _ => {}
            }
        }
    }
    if word_start < pieces.len() {
        write_word(
            &pieces,
            &paired,
            word_start..pieces.len(),
            first_word,
            protect,
            &mut out,
        );
    }
    out
}

/// Splits text into pieces, keeping math whose braces balance as one piece.
fn lex(source: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    for segment in math::split(source) {
        match segment {
            Segment::Math(formula) => match balanced_math(formula.source) {
                Some(math) => pieces.push(Piece::Math(math)),
                None => lex_prose(formula.source, &mut pieces),
            },
            Segment::Prose(prose) => lex_prose(prose, &mut pieces),
        }
    }
    pieces
}

fn lex_prose<'a>(prose: &'a str, pieces: &mut Vec<Piece<'a>>) {
    let mut chars = prose.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c != '\\' {
            pieces.push(Piece::Char(c));
            continue;
        }
        let mut end = start + 1;
        match chars.peek() {
            Some(&(_, next)) if next.is_ascii_alphabetic() => {
                while let Some(&(at, letter)) = chars.peek() {
                    if !letter.is_ascii_alphabetic() {
                        break;
                    }
                    end = at + letter.len_utf8();
                    chars.next();
                }
            }
            Some(&(at, next)) => {
                end = at + next.len_utf8();
                chars.next();
            }
            None => {
                pieces.push(Piece::Command("\\textbackslash{}"));
                continue;
            }
        }
        pieces.push(Piece::Command(&prose[start..end]));
    }
}

/// Returns math as written when its braces balance, or with `\{` and `\}` written as
/// `\lbrace` and `\rbrace` when that makes them balance; `None` otherwise.
fn balanced_math(source: &str) -> Option<String> {
    if braces_balance(source) {
        return Some(source.to_owned());
    }
    let rewritten = source
        .replace("\\{", "\\lbrace ")
        .replace("\\}", "\\rbrace ");
    braces_balance(&rewritten).then_some(rewritten)
}

/// Checks braces the way BibTeX does, which counts escaped braces too.
fn braces_balance(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// Marks the braces that have a partner; every other piece is marked `false`.
fn pair_braces(pieces: &[Piece<'_>]) -> Vec<bool> {
    let mut paired = vec![false; pieces.len()];
    let mut open: Vec<usize> = Vec::new();
    for (index, piece) in pieces.iter().enumerate() {
        match piece.brace() {
            Some('{') => open.push(index),
            Some('}') => {
                if let Some(start) = open.pop() {
                    paired[start] = true;
                    paired[index] = true;
                }
            }
            _ => {}
        }
    }
    paired
}

fn write_word(
    pieces: &[Piece<'_>],
    paired: &[bool],
    range: std::ops::Range<usize>,
    first_word: bool,
    protect: bool,
    out: &mut String,
) {
    let mut written = String::new();
    for index in range.clone() {
        write_piece(&pieces[index], paired[index], &mut written);
    }
    let visible: String = pieces[range.clone()]
        .iter()
        .filter_map(|piece| match piece {
            Piece::Char(c) => Some(*c),
            _ => None,
        })
        .collect();
    let already_grouped = pieces[range.start].brace() == Some('{')
        && paired[range.start]
        && closes_at(pieces, paired, range.start) == Some(range.end - 1);
    if !protect || already_grouped || !protects_case(&visible, first_word) {
        out.push_str(&written);
    } else if written.starts_with('\\') {
        // BibTeX reads `{\…}` as one special character and still changes the case of
        // its letters, so a word that starts with a command needs a second brace pair.
        out.push_str(&format!("{{{{{written}}}}}"));
    } else {
        out.push_str(&format!("{{{written}}}"));
    }
}

/// Returns the index of the brace that closes the brace at `start`.
fn closes_at(pieces: &[Piece<'_>], paired: &[bool], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (index, piece) in pieces.iter().enumerate().skip(start) {
        if !paired[index] {
            continue;
        }
        match piece.brace() {
            Some('{') => depth += 1,
            Some('}') => {
                depth -= 1;
                if depth == 0 {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}

fn write_piece(piece: &Piece<'_>, paired: bool, out: &mut String) {
    match piece {
        Piece::Math(math) => out.push_str(math),
        Piece::Command("\\{") if !paired => out.push_str("\\textbraceleft{}"),
        Piece::Command("\\}") if !paired => out.push_str("\\textbraceright{}"),
        Piece::Command(command) => out.push_str(command),
        Piece::Char('{') if !paired => out.push_str("\\textbraceleft{}"),
        Piece::Char('}') if !paired => out.push_str("\\textbraceright{}"),
        Piece::Char(c @ ('&' | '%' | '#' | '_' | '$')) => {
            out.push('\\');
            out.push(*c);
        }
        Piece::Char('^') => out.push_str("\\^{}"),
        Piece::Char('\n' | '\r' | '\t') => out.push(' '),
        Piece::Char(c) => out.push(*c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_escaped() {
        assert_eq!(
            text("Q&A for 100% of #1 x_1"),
            "Q\\&A for 100\\% of \\#1 x\\_1"
        );
        assert_eq!(text("costs $ 5 and 2^3"), "costs \\$ 5 and 2\\^{}3");
    }

    #[test]
    fn latex_kept_as_written() {
        assert_eq!(
            text("Q\\&A in \\emph{deep} nets"),
            "Q\\&A in \\emph{deep} nets"
        );
        assert_eq!(text("trailing \\"), "trailing \\textbackslash{}");
    }

    #[test]
    fn math_kept_as_written() {
        assert_eq!(text("with $x_i$ and $\\{a\\}$"), "with $x_i$ and $\\{a\\}$");
        assert_eq!(
            text("$\\left\\{ x \\right.$"),
            "$\\left\\lbrace  x \\right.$"
        );
    }

    #[test]
    fn unpaired_braces_replaced() {
        assert_eq!(
            text("a } b { c"),
            "a \\textbraceright{} b \\textbraceleft{} c"
        );
        assert_eq!(text("a {b} c"), "a {b} c");
        assert_eq!(text("\\{ alone"), "\\textbraceleft{} alone");
    }

    #[test]
    fn capitals_protected_in_titles() {
        assert_eq!(
            title("Interpreting Multivariate Shapley Interactions in DNNs"),
            "Interpreting {Multivariate} {Shapley} {Interactions} in {DNNs}"
        );
        assert_eq!(title("arXiv and the ReLU"), "{arXiv} and the {ReLU}");
        assert_eq!(title("Million-Agent Systems"), "{Million-Agent} {Systems}");
    }

    #[test]
    fn groups_not_protected_twice() {
        assert_eq!(title("A {Budget} Study"), "A {Budget} {Study}");
        assert_eq!(title("On {Many Words} here"), "On {Many Words} here");
    }

    #[test]
    fn commands_protected_with_two_braces() {
        assert_eq!(title("On \\emph{Deep} nets"), "On {{\\emph{Deep}}} nets");
    }

    #[test]
    fn math_in_title_not_protected() {
        assert_eq!(title("Scaling $N$ agents"), "Scaling $N$ agents");
        assert_eq!(
            title("Scaling $N \\geq 1$ Agents"),
            "Scaling $N \\geq 1$ {Agents}"
        );
    }
}
