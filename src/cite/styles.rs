//! References formatted in citation styles by hayagriva, a processor of the Citation
//! Style Language, with the CSL styles and locales that hayagriva bundles.
//!
//! hayagriva's own HTML output does not escape text, so the HTML here is written from
//! its formatted elements, with every text escaped.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Mutex, OnceLock, PoisonError};

use hayagriva::archive::{self, ArchivedStyle};
use hayagriva::citationberg::{
    FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, Style, TextDecoration,
    VerticalAlign,
};
use hayagriva::types::{
    ChunkKind, ChunkedString, Date, EntryType, FormatString, MaybeTyped, Numeric, PageRanges,
    Person, Publisher, QualifiedUrl,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
    ElemChild, ElemChildren, Entry, Formatted, Formatting,
};
use serde::Serialize;

use super::{Name, Reference, protects_case};
use crate::model::PublicationType;
use crate::text::escape_html;
use crate::text::math::{self, Segment};

/// The styles shown on publication pages, in order: an id for HTML ids, the name
/// shown, and the bundled style.
const STYLES: [(&str, &str, ArchivedStyle); 3] = [
    (
        "apa",
        "APA",
        ArchivedStyle::AmericanPsychologicalAssociation,
    ),
    (
        "ieee",
        "IEEE",
        ArchivedStyle::InstituteOfElectricalAndElectronicsEngineers,
    ),
    (
        "chicago",
        "Chicago (author-date)",
        ArchivedStyle::ChicagoAuthorDate,
    ),
];

/// A reference in one citation style.
#[derive(Debug, Clone, Serialize)]
pub struct FormattedReference {
    /// A short id such as `apa`.
    pub id: &'static str,
    /// The style's name as shown, such as `APA`.
    pub name: &'static str,
    /// The reference as plain text.
    pub reference: String,
    /// The reference as HTML, with italics and links, and its text escaped.
    pub reference_html: String,
}

/// The styles and locales, decoded from hayagriva's archive once per process instead
/// of once per reference.
struct LoadedStyles {
    styles: Vec<(&'static str, &'static str, IndependentStyle)>,
    locales: Vec<Locale>,
}

fn loaded_styles() -> &'static LoadedStyles {
    static LOADED_STYLES: OnceLock<LoadedStyles> = OnceLock::new();
    LOADED_STYLES.get_or_init(|| LoadedStyles {
        styles: STYLES
            .iter()
            .map(|&(id, name, archived)| match archived.get() {
                Style::Independent(style) => (id, name, style),
                Style::Dependent(_) => {
                    unreachable!("the APA, IEEE and Chicago styles are independent styles")
                }
            })
            .collect(),
        locales: archive::locales(),
    })
}

/// The maximum number of entries in [`cache`]. An entry with its three references
/// takes an estimated 2 to 3 KB, so a full cache stays near 100 to 150 MB.
const MAX_CACHED: usize = 50_000;

/// Formatted references by entry, kept for the life of the process. `vita serve`
/// renders every page again after a template change, and formatting in APA and
/// Chicago style takes an estimated 0.5 to 0.9 ms each per publication (hayagriva
/// 0.10, timed on one core of the development machine). The cache leaves only the
/// changed publications to format.
fn cache() -> &'static Mutex<HashMap<Entry, Vec<FormattedReference>>> {
    static CACHE: OnceLock<Mutex<HashMap<Entry, Vec<FormattedReference>>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// Formats the reference in every style of [`STYLES`].
pub fn format(reference: &Reference<'_>) -> Vec<FormattedReference> {
    let entry = entry(reference);
    let cached = cache()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&entry)
        .cloned();
    if let Some(formatted) = cached {
        return formatted;
    }
    let formatted = format_entry(&entry);
    let mut cache = cache().lock().unwrap_or_else(PoisonError::into_inner);
    if cache.len() >= MAX_CACHED {
        cache.clear();
    }
    cache.insert(entry, formatted.clone());
    formatted
}

fn format_entry(entry: &Entry) -> Vec<FormattedReference> {
    let loaded = loaded_styles();
    loaded
        .styles
        .iter()
        .filter_map(|(id, name, style)| {
            let mut driver = BibliographyDriver::new();
            let items = vec![CitationItem::with_entry(entry)];
            driver.citation(CitationRequest::from_items(items, style, &loaded.locales));
            let rendered = driver.finish(BibliographyRequest::new(style, None, &loaded.locales));
            let item = rendered.bibliography?.items.into_iter().next()?;
            let mut plain = String::new();
            item.content
                .write_buf(&mut plain, BufWriteFormat::Plain)
                .expect("writing to a String never fails");
            let mut html = String::new();
            write_html(&item.content, &mut html);
            Some(FormattedReference {
                id,
                name,
                reference: tidy(&plain),
                reference_html: tidy(&html),
            })
        })
        .collect()
}

/// Tidies the spacing and punctuation that hayagriva 0.10 leaves between the parts of
/// a reference. Trims the text and replaces runs of spaces with one space. Also removes
/// the comma before a period, which the Chicago style leaves when a preprint's date has
/// no month.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for part in text.trim().split(' ').filter(|part| !part.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out.replace(",.", ".")
}

/// Builds the hayagriva entry of a reference.
///
/// Conference papers become chapters of a book named after the venue. hayagriva 0.10
/// also reads the title of a `Proceedings` parent as a volume title, which the Chicago
/// style prints a second time as "Special issue", while a chapter is formatted the way
/// APA, IEEE and Chicago format papers in published proceedings.
fn entry(reference: &Reference<'_>) -> Entry {
    let kind = reference.kind;
    let entry_type = match kind {
        PublicationType::Article | PublicationType::Preprint => EntryType::Article,
        PublicationType::Conference | PublicationType::Chapter => EntryType::Chapter,
        PublicationType::Book => EntryType::Book,
        PublicationType::Thesis => EntryType::Thesis,
        PublicationType::Report => EntryType::Report,
        PublicationType::Software => EntryType::Repository,
        PublicationType::Patent => EntryType::Patent,
        PublicationType::Dataset
        | PublicationType::Talk
        | PublicationType::Poster
        | PublicationType::Other => EntryType::Misc,
    };
    let mut entry = Entry::new(reference.key, entry_type);
    entry.set_title(protected(reference.title));
    if !reference.authors.is_empty() {
        entry.set_authors(reference.authors.iter().map(person).collect());
    }
    let date = reference.date;
    entry.set_date(Date {
        year: date.year,
        // hayagriva counts months and days from zero.
        month: date.month.map(|month| month - 1),
        day: date.day.map(|day| day - 1),
        approximate: false,
        season: None,
    });
    if let Some(pages) = &reference.pages {
        entry.set_page_range(typed::<PageRanges>(&pages.joined("-")));
    }
    if let Some(doi) = reference.doi {
        entry.set_doi(doi.to_owned());
    }
    if let Some(arxiv) = reference.arxiv {
        entry.set_arxiv(arxiv.to_owned());
    }
    if let Some(url) = reference
        .url
        .as_deref()
        .and_then(|url| QualifiedUrl::from_str(url).ok())
    {
        entry.set_url(url);
    }

    let venue = reference.venue;
    let publisher_or_venue = reference.publisher.or(venue);
    match kind {
        PublicationType::Article => {
            let mut journal = parent(EntryType::Periodical, venue);
            if let Some(volume) = reference.volume {
                journal.set_volume(typed::<Numeric>(volume));
            }
            if let Some(issue) = reference.issue {
                journal.set_issue(typed::<Numeric>(issue));
            }
            entry.set_parents(vec![journal]);
        }
        PublicationType::Conference | PublicationType::Chapter => {
            let mut book = parent(EntryType::Book, venue);
            if let Some(volume) = reference.volume {
                book.set_volume(typed::<Numeric>(volume));
            }
            if let Some(publisher) = reference.publisher {
                book.set_publisher(publisher_named(publisher));
            }
            entry.set_parents(vec![book]);
        }
        PublicationType::Preprint => {
            if reference.arxiv.is_some() && reference.venue_is_arxiv() {
                entry.set_publisher(publisher_named(venue.unwrap_or("arXiv")));
                let id = reference.arxiv.unwrap_or_default();
                entry.set_keyed_serial_number("serial", id.to_owned());
            } else if let Some(host) = publisher_or_venue {
                entry.set_publisher(publisher_named(host));
            }
        }
        PublicationType::Talk | PublicationType::Poster => {
            let genre = if kind == PublicationType::Talk {
                "Talk"
            } else {
                "Poster"
            };
            entry.set_genre(FormatString::with_value(genre));
            if venue.is_some() {
                entry.set_parents(vec![parent(EntryType::Conference, venue)]);
            }
        }
        _ => {
            match kind {
                PublicationType::Thesis => entry.set_genre(FormatString::with_value("PhD thesis")),
                PublicationType::Dataset => entry.set_genre(FormatString::with_value("Data set")),
                _ => {}
            }
            if let Some(volume) = reference.volume {
                entry.set_volume(typed::<Numeric>(volume));
            }
            if let Some(issue) = reference.issue {
                entry.set_keyed_serial_number("serial", issue.to_owned());
            }
            if let Some(host) = publisher_or_venue {
                entry.set_publisher(publisher_named(host));
            }
        }
    }
    entry
}

fn parent(entry_type: EntryType, title: Option<&str>) -> Entry {
    let mut parent = Entry::new("", entry_type);
    if let Some(title) = title {
        parent.set_title(protected(title));
    }
    parent
}

fn publisher_named(name: &str) -> Publisher {
    Publisher::new(Some(protected(name)), None)
}

fn person(name: &Name) -> Person {
    Person {
        name: name.full_family(),
        given_name: name.given.clone(),
        prefix: None,
        suffix: name.suffix.clone(),
        comma_suffix: false,
        alias: None,
    }
}

/// Parses a number or page range, keeping text that is neither as it is.
fn typed<T: FromStr>(text: &str) -> MaybeTyped<T> {
    match text.parse::<T>() {
        Ok(value) => MaybeTyped::Typed(value),
        Err(_) => MaybeTyped::String(text.to_owned()),
    }
}

/// Splits text into chunks that styles may recase and verbatim chunks that they may
/// not, which hold math and the words that [`protects_case`] selects.
fn protected(text: &str) -> FormatString {
    let mut chunks = ChunkedString::new();
    let mut first_word = true;
    // A space joins the chunk before it: hayagriva 0.10 drops a space that starts a
    // normal chunk after a verbatim first word, printing `Q&Aon` for `Q&A on`.
    let mut last_kind = ChunkKind::Normal;
    for segment in math::split(text) {
        match segment {
            Segment::Math(formula) => {
                chunks.push_str(formula.source, ChunkKind::Verbatim);
                last_kind = ChunkKind::Verbatim;
                first_word = false;
            }
            Segment::Prose(prose) => {
                for (index, word) in prose.split(' ').enumerate() {
                    if index > 0 {
                        chunks.push_str(" ", last_kind);
                    }
                    if word.is_empty() {
                        continue;
                    }
                    let kind = if protects_case(word, first_word) {
                        ChunkKind::Verbatim
                    } else {
                        ChunkKind::Normal
                    };
                    chunks.push_str(word, kind);
                    last_kind = kind;
                    first_word = false;
                }
            }
        }
    }
    FormatString {
        value: chunks,
        short: None,
    }
}

/// Writes formatted elements as HTML: text escaped, italics as `<i>`, bold as `<b>`,
/// and links to http(s) URLs as `<a>`.
fn write_html(children: &ElemChildren, out: &mut String) {
    for child in &children.0 {
        match child {
            ElemChild::Text(formatted) => write_formatted(formatted, None, out),
            ElemChild::Elem(elem) => write_html(&elem.children, out),
            ElemChild::Markup(markup) => out.push_str(&escape_html(markup)),
            ElemChild::Link { text, url } => write_formatted(text, Some(url), out),
            ElemChild::Transparent { .. } => {}
        }
    }
}

fn write_formatted(formatted: &Formatted, url: Option<&str>, out: &mut String) {
    let url = url.filter(|url| url.starts_with("https://") || url.starts_with("http://"));
    if let Some(url) = url {
        out.push_str(&format!("<a href=\"{}\">", escape_html(url)));
    }
    let tags = tags(&formatted.formatting);
    for (open, _) in &tags {
        out.push_str(open);
    }
    out.push_str(&escape_html(&formatted.text));
    for (_, close) in tags.iter().rev() {
        out.push_str(close);
    }
    if url.is_some() {
        out.push_str("</a>");
    }
}

/// Returns the opening and closing tags for a formatting, outermost first.
fn tags(formatting: &Formatting) -> Vec<(&'static str, &'static str)> {
    let mut tags = Vec::new();
    if formatting.font_style == FontStyle::Italic {
        tags.push(("<i>", "</i>"));
    }
    if formatting.font_weight == FontWeight::Bold {
        tags.push(("<b>", "</b>"));
    }
    if formatting.font_variant == FontVariant::SmallCaps {
        tags.push(("<span class=\"small-caps\">", "</span>"));
    }
    if formatting.text_decoration == TextDecoration::Underline {
        tags.push(("<u>", "</u>"));
    }
    match formatting.vertical_align {
        VerticalAlign::Sup => tags.push(("<sup>", "</sup>")),
        VerticalAlign::Sub => tags.push(("<sub>", "</sub>")),
        VerticalAlign::None | VerticalAlign::Baseline => {}
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::Pages;
    use crate::model::PublicationDate;

    fn reference(kind: PublicationType) -> Reference<'static> {
        Reference {
            key: "zhang2021",
            kind,
            title_source: "",
            title: "Interpreting Shapley Interactions in DNNs with $x_i$ <b>",
            authors: vec![Name::parse("Quanshi Zhang"), Name::parse("Ada Lovelace")],
            date: PublicationDate {
                year: 2021,
                month: Some(3),
                day: None,
            },
            venue: Some("Proceedings of NeurIPS"),
            volume: Some("3"),
            issue: Some("2"),
            pages: Pages::parse("12--34"),
            publisher: None,
            doi: Some("10.1000/xyz"),
            arxiv: None,
            url: None,
            abstract_text: None,
        }
    }

    fn by_id<'a>(formatted: &'a [FormattedReference], id: &str) -> &'a FormattedReference {
        formatted
            .iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("no {id} reference"))
    }

    #[test]
    fn three_styles_formatted() {
        let formatted = format(&reference(PublicationType::Article));
        let ids: Vec<&str> = formatted.iter().map(|f| f.id).collect();
        assert_eq!(ids, ["apa", "ieee", "chicago"]);
        for style in &formatted {
            assert!(style.reference.contains("Zhang"), "{}", style.reference);
            assert!(style.reference.contains("2021"), "{}", style.reference);
        }
    }

    #[test]
    fn html_escapes_text() {
        let formatted = format(&reference(PublicationType::Article));
        let apa = by_id(&formatted, "apa");
        assert!(apa.reference.contains("$x_i$ <b>"), "{}", apa.reference);
        assert!(
            apa.reference_html.contains("$x_i$ &lt;b&gt;"),
            "{}",
            apa.reference_html
        );
        assert!(
            apa.reference_html.contains("<i>Proceedings of NeurIPS</i>"),
            "{}",
            apa.reference_html
        );
        assert!(
            apa.reference_html
                .contains("<a href=\"https://doi.org/10.1000/xyz\">"),
            "{}",
            apa.reference_html
        );
    }

    #[test]
    fn title_case_keeps_protected_words() {
        let formatted = format(&reference(PublicationType::Conference));
        let chicago = by_id(&formatted, "chicago");
        assert!(chicago.reference.contains("DNNs"), "{}", chicago.reference);
        assert!(
            chicago.reference.contains("NeurIPS"),
            "{}",
            chicago.reference
        );
        assert!(
            !chicago.reference.contains("Special issue"),
            "{}",
            chicago.reference
        );
    }

    #[test]
    fn space_after_protected_first_word_kept() {
        let mut reference = reference(PublicationType::Article);
        reference.title = "Q&A on the DNNs of x";
        let formatted = format(&reference);
        let chicago = by_id(&formatted, "chicago");
        assert!(
            chicago.reference.contains("“Q&A on the DNNs"),
            "{}",
            chicago.reference
        );
    }

    #[test]
    fn spacing_tidied() {
        assert_eq!(tidy(" [Online].  Available: x "), "[Online]. Available: x");
        assert_eq!(
            tidy("Preprint, arXiv,. https://x/."),
            "Preprint, arXiv. https://x/."
        );
    }

    #[test]
    fn every_kind_formats() {
        for kind in PublicationType::ALL {
            let formatted = format(&reference(kind));
            assert_eq!(formatted.len(), 3, "{kind:?}");
        }
    }
}
