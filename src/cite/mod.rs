//! Citations of publications: formatted references for the publication page and the
//! BibTeX, RIS and CSL-JSON downloads next to it.
//!
//! Every format is written from one [`Reference`], which contains the model's data of a
//! publication in the terms of bibliographies: names split into family and given
//! parts, pages as a range, the DOI and arXiv id, and the URL to cite.
//!
//! The BibTeX key of a publication is its id, such as
//! `attributing-emergence-million-agent-systems`. Ids are unique in a site, so the key
//! is unique in every file that lists several works, and it stays the same when the
//! title, authors or year change.

mod bibtex;
mod csl;
mod names;
mod ris;
mod styles;

use serde::Serialize;

use crate::config::SiteConfig;
use crate::model::{Publication, PublicationDate, PublicationType, Site};
use crate::render::{PageKey, RenderedPage};

pub use names::Name;

/// A publication in the terms of a bibliography, shared by every export format.
#[derive(Debug, Clone)]
pub struct Reference<'a> {
    /// The BibTeX key and CSL-JSON id: the publication id.
    pub key: &'a str,
    pub kind: PublicationType,
    /// The title as written in the content file, with its LaTeX.
    pub title_source: &'a str,
    /// The title as plain text, with math as its TeX source.
    pub title: &'a str,
    /// The authors in the order of the content file.
    pub authors: Vec<Name>,
    pub date: PublicationDate,
    pub venue: Option<&'a str>,
    pub volume: Option<&'a str>,
    pub issue: Option<&'a str>,
    pub pages: Option<Pages>,
    pub publisher: Option<&'a str>,
    pub doi: Option<&'a str>,
    pub arxiv: Option<&'a str>,
    /// The absolute URL to cite, when there is one.
    pub url: Option<String>,
    /// The abstract as plain text, with math as its TeX source.
    pub abstract_text: Option<&'a str>,
}

/// A page range as written, split at its dash when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pages {
    pub first: String,
    pub last: Option<String>,
}

impl Pages {
    /// Splits `12–34`, `12--34` or `12-34` into its two ends. Any other text, such as
    /// `e1001` or `12, 15`, is kept whole as the first page.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let dashes: &[char] = &['\u{2013}', '\u{2014}', '-'];
        let range = text.split_once(dashes).and_then(|(first, last)| {
            let first = first.trim();
            let last = last.trim_start_matches(dashes).trim();
            let simple = |part: &str| {
                !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '.')
            };
            (simple(first) && simple(last)).then(|| (first.to_owned(), last.to_owned()))
        });
        Some(match range {
            Some((first, last)) => Pages {
                first,
                last: Some(last),
            },
            None => Pages {
                first: text.to_owned(),
                last: None,
            },
        })
    }

    /// Joins the range with `separator`, such as `--` for BibTeX.
    pub fn joined(&self, separator: &str) -> String {
        match &self.last {
            Some(last) => format!("{}{separator}{last}", self.first),
            None => self.first.clone(),
        }
    }
}

impl<'a> Reference<'a> {
    /// Collects the citation data of a publication.
    pub fn new(site: &'a Site, publication: &'a Publication) -> Self {
        let link = |kind: &str| {
            publication
                .links
                .iter()
                .find(|link| link.kind == kind)
                .map(|link| link.value.as_str())
        };
        Reference {
            key: &publication.id,
            kind: publication.kind,
            title_source: &publication.title_source,
            title: &publication.title.plain,
            authors: publication
                .authors
                .iter()
                .map(|author| Name::parse(&author.name))
                .collect(),
            date: publication.date,
            venue: publication.venue.as_deref().filter(|v| !v.is_empty()),
            volume: publication.volume.as_deref(),
            issue: publication.issue.as_deref(),
            pages: publication.pages.as_deref().and_then(Pages::parse),
            publisher: publication.publisher.as_deref(),
            doi: link("doi"),
            arxiv: link("arxiv"),
            url: citation_url(&site.config, publication),
            abstract_text: publication.abstract_text.as_ref().map(|a| a.plain.as_str()),
        }
    }

    /// Returns whether the work appeared on arXiv alone: its venue is arXiv or not
    /// given. The arXiv id then identifies the work in its venue, like a report number.
    fn venue_is_arxiv(&self) -> bool {
        self.venue
            .is_none_or(|venue| venue.trim().eq_ignore_ascii_case("arxiv"))
    }
}

/// Returns whether a title word needs braces, or a verbatim chunk in CSL, so that
/// citation styles keep its capitals. Every word with a capital letter needs them,
/// except the first word of the title when its only capital is its first letter,
/// because styles never lowercase that letter.
///
/// A proper noun such as `Shapley` cannot be distinguished from a word capitalized for
/// title case, so both are protected. Styles that change titles to sentence case then
/// print them with the capitals they were written with, but never lowercase `DNNs`,
/// `arXiv` or a name.
pub(crate) fn protects_case(word: &str, first_word: bool) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    if first_word {
        letters.next();
    }
    letters.any(char::is_uppercase)
}

/// Returns the URL that citations give: the publication page when the site has an
/// absolute base URL, else the publication's own `url` link when that is absolute.
fn citation_url(config: &SiteConfig, publication: &Publication) -> Option<String> {
    if config.base_url.is_some() {
        return Some(config.absolute_url(&format!("publications/{}/", publication.id)));
    }
    publication
        .links
        .iter()
        .find(|link| link.kind == "url")
        .map(|link| link.url.clone())
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
}

/// The citation data of a publication page, for the template's `cite` variable.
#[derive(Debug, Serialize)]
pub struct CiteView {
    /// The BibTeX key.
    pub key: String,
    /// The reference in each citation style, in a fixed order.
    pub styles: Vec<styles::FormattedReference>,
    /// The BibTeX entry.
    pub bibtex: String,
    pub bibtex_url: String,
    pub ris_url: String,
    pub csl_json_url: String,
}

/// Builds the citation data shown on a publication's page.
pub fn view(site: &Site, publication: &Publication) -> CiteView {
    let reference = Reference::new(site, publication);
    let folder = format!("publications/{}/", publication.id);
    CiteView {
        key: publication.id.clone(),
        styles: if std::env::var_os("SKIPCSL").is_some() {
            Vec::new()
        } else {
            styles::format(&reference)
        },
        bibtex: bibtex::entry(&reference),
        bibtex_url: site.config.path(&format!("{folder}cite.bib")),
        ris_url: site.config.path(&format!("{folder}cite.ris")),
        csl_json_url: site.config.path(&format!("{folder}cite.json")),
    }
}

/// Produces the citation downloads that `select` accepts: `cite.bib`, `cite.ris` and
/// `cite.json` beside each publication page, and `publications.bib` beside each
/// researcher page that lists at least one work.
pub fn files(site: &Site, select: &dyn Fn(PageKey<'_>) -> bool) -> Vec<RenderedPage> {
    let mut files = Vec::new();
    for publication in &site.publications {
        if !select(PageKey::Publication(&publication.id)) {
            continue;
        }
        let reference = Reference::new(site, publication);
        let folder = format!("publications/{}", publication.id);
        files.push(RenderedPage {
            target: format!("{folder}/cite.bib"),
            html: bibtex::entry(&reference),
        });
        files.push(RenderedPage {
            target: format!("{folder}/cite.ris"),
            html: ris::record(&reference),
        });
        files.push(RenderedPage {
            target: format!("{folder}/cite.json"),
            html: csl::file(&reference),
        });
    }
    for researcher in &site.researchers {
        if researcher.publications.is_empty() || !select(PageKey::Researcher(&researcher.id)) {
            continue;
        }
        let entries: Vec<String> = researcher
            .publications
            .iter()
            .map(|&index| bibtex::entry(&Reference::new(site, &site.publications[index])))
            .collect();
        files.push(RenderedPage {
            target: format!("researchers/{}/publications.bib", researcher.id),
            html: entries.join("\n"),
        });
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_at_dashes() {
        let range = |first: &str, last: &str| Pages {
            first: first.to_owned(),
            last: Some(last.to_owned()),
        };
        assert_eq!(Pages::parse("12\u{2013}34"), Some(range("12", "34")));
        assert_eq!(Pages::parse("12--34"), Some(range("12", "34")));
        assert_eq!(Pages::parse("12 - 34"), Some(range("12", "34")));
        assert_eq!(Pages::parse("S1-S9"), Some(range("S1", "S9")));
    }

    #[test]
    fn pages_without_range_kept_whole() {
        let whole = |text: &str| Pages {
            first: text.to_owned(),
            last: None,
        };
        assert_eq!(Pages::parse("e1001"), Some(whole("e1001")));
        assert_eq!(Pages::parse("12, 15-17"), Some(whole("12, 15-17")));
        assert_eq!(Pages::parse("  "), None);
    }

    #[test]
    fn pages_joined_for_bibtex() {
        let pages = Pages::parse("12\u{2013}34").unwrap();
        assert_eq!(pages.joined("--"), "12--34");
    }
}
