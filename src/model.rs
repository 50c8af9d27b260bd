//! The linked, validated site: what templates are rendered from.
//!
//! Every collection is sorted when the model is built, and pages are rendered from
//! it without further changes, so the output does not depend on file-system order.

use std::path::PathBuf;

use crate::config::SiteConfig;
use crate::text::Rendered;

#[derive(Debug)]
pub struct Site {
    /// The site folder, holding `site.yaml` and `content/`.
    pub root: PathBuf,
    pub config: SiteConfig,
    /// Sorted by name, then id.
    pub researchers: Vec<Researcher>,
    /// Sorted newest first, then by title and id.
    pub publications: Vec<Publication>,
    /// Sorted by slug.
    pub topics: Vec<Topic>,
    /// Derived from researchers' affiliations; sorted by slug.
    pub institutions: Vec<Institution>,
}

#[derive(Debug, Clone)]
pub struct Researcher {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub headline: Option<String>,
    pub affiliations: Vec<Affiliation>,
    /// Topics as the researcher wrote them, in their order.
    pub topics: Vec<String>,
    pub open_to_collaborate: bool,
    pub claimed: bool,
    pub email: Option<String>,
    /// An http(s) or `mailto:` URL for getting in touch.
    pub contact_url: Option<String>,
    pub identifiers: Vec<ExternalLink>,
    /// The avatar file, relative to `content/`, and the output path it is copied to.
    pub avatar: Option<(PathBuf, String)>,
    pub bio: Option<Rendered>,
    pub followers: Option<u64>,
    pub source: PathBuf,
    /// Indexes into `Site::publications`, in the site's publication order.
    pub publications: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Affiliation {
    pub name: String,
    pub role: Option<String>,
    pub url: Option<String>,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl Affiliation {
    /// Returns the slug of the institution page that this affiliation links to, or none
    /// when the name is blank.
    pub fn institution_slug(&self) -> Option<String> {
        let name = self.name.trim();
        (!name.is_empty()).then(|| crate::slug::slugify(name))
    }
}

/// A link to an external service or page, with the label shown for it.
#[derive(Debug, Clone)]
pub struct ExternalLink {
    pub kind: &'static str,
    pub label: &'static str,
    pub value: String,
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct Publication {
    pub id: String,
    pub title: Rendered,
    /// The title as written in the file, trimmed, with its Markdown and LaTeX, for
    /// BibTeX export.
    pub title_source: String,
    pub authors: Vec<Author>,
    pub date: PublicationDate,
    pub kind: PublicationType,
    pub venue: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<String>,
    pub publisher: Option<String>,
    pub abstract_text: Option<Rendered>,
    /// Topics as written in the file, in their order.
    pub topics: Vec<String>,
    pub links: Vec<ExternalLink>,
    pub featured: bool,
    pub source: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    /// Index into `Site::researchers` when the author has a page.
    pub researcher: Option<usize>,
    pub affiliation: Option<String>,
    pub equal_contribution: bool,
    pub corresponding: bool,
}

/// A publication date with the precision it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PublicationDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PublicationDate {
    /// Formats the date as written: `2020`, `2020-05` or `2020-05-01`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(month), Some(day)) => format!("{:04}-{month:02}-{day:02}", self.year),
            (Some(month), None) => format!("{:04}-{month:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }
}

/// The kinds of publication a file may declare with `type:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicationType {
    Article,
    Conference,
    Preprint,
    Chapter,
    Book,
    Thesis,
    Report,
    Dataset,
    Software,
    Talk,
    Poster,
    Patent,
    Other,
}

impl PublicationType {
    pub const ALL: [PublicationType; 13] = [
        Self::Article,
        Self::Conference,
        Self::Preprint,
        Self::Chapter,
        Self::Book,
        Self::Thesis,
        Self::Report,
        Self::Dataset,
        Self::Software,
        Self::Talk,
        Self::Poster,
        Self::Patent,
        Self::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Article => "article",
            Self::Conference => "conference",
            Self::Preprint => "preprint",
            Self::Chapter => "chapter",
            Self::Book => "book",
            Self::Thesis => "thesis",
            Self::Report => "report",
            Self::Dataset => "dataset",
            Self::Software => "software",
            Self::Talk => "talk",
            Self::Poster => "poster",
            Self::Patent => "patent",
            Self::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.key() == key)
    }
}

/// Every spelling of a topic that slugifies to one slug, with what uses it.
#[derive(Debug)]
pub struct Topic {
    pub slug: String,
    /// The spellings in use, the most used first.
    pub names: Vec<String>,
    /// Researchers who list the topic or wrote a publication with it; indexes, sorted.
    pub researchers: Vec<usize>,
    /// Publications with the topic; indexes in the site's publication order.
    pub publications: Vec<usize>,
}

/// Every spelling of an affiliation name that slugifies to one slug, with the
/// researchers who list it.
#[derive(Debug)]
pub struct Institution {
    pub slug: String,
    /// The spellings in use, the most used first, ties in alphabetical order.
    pub names: Vec<String>,
    /// Researchers with an affiliation of this name; indexes, sorted.
    pub researchers: Vec<usize>,
    /// Publications of those researchers; indexes in the site's publication order.
    pub publications: Vec<usize>,
}
