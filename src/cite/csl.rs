//! CSL-JSON, the item format of the Citation Style Language (version 1.0.2), which
//! Zotero, Pandoc and citeproc processors read.

use serde::Serialize;

use super::{Name, Reference};
use crate::model::PublicationType;

/// One CSL-JSON item. Absent fields are left out of the file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Item<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Person<'a>>,
    issued: Issued,
    #[serde(skip_serializing_if = "Option::is_none")]
    container_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    collection_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    volume: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<&'a str>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    r#abstract: Option<&'a str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Person<'a> {
    family: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    given: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    non_dropping_particle: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suffix: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Issued {
    /// One date of one to three numbers: year, month, day.
    #[serde(rename = "date-parts")]
    date_parts: [Vec<i32>; 1],
}

/// Formats the file: a JSON array holding the one item, the form that CSL-JSON
/// importers expect, ending with a newline.
pub fn file(reference: &Reference<'_>) -> String {
    let item = item(reference);
    let mut json = serde_json::to_string_pretty(&[item])
        .expect("a CSL-JSON item has only strings and numbers, which always serialize");
    json.push('\n');
    json
}

fn item<'a>(reference: &'a Reference<'a>) -> Item<'a> {
    let kind = reference.kind;
    let date = reference.date;
    let mut date_parts = vec![date.year];
    date_parts.extend(date.month.map(i32::from));
    if date.month.is_some() {
        date_parts.extend(date.day.map(i32::from));
    }
    let venue = reference.venue;
    let mut item = Item {
        id: reference.key,
        kind: item_type(kind),
        title: reference.title,
        author: reference.authors.iter().map(person).collect(),
        issued: Issued {
            date_parts: [date_parts],
        },
        container_title: None,
        event_title: None,
        collection_title: None,
        genre: genre(kind),
        volume: reference.volume,
        issue: reference.issue,
        number: None,
        page: reference.pages.as_ref().map(|pages| pages.joined("-")),
        publisher: reference.publisher,
        doi: reference.doi,
        url: reference.url.as_deref(),
        r#abstract: reference.abstract_text,
    };
    match kind {
        PublicationType::Article | PublicationType::Conference | PublicationType::Chapter => {
            item.container_title = venue;
        }
        PublicationType::Talk | PublicationType::Poster => item.event_title = venue,
        PublicationType::Book => item.collection_title = venue,
        PublicationType::Preprint if reference.arxiv.is_some() && reference.venue_is_arxiv() => {
            item.publisher = Some("arXiv");
            item.number = reference.arxiv.map(|id| format!("arXiv:{id}"));
        }
        // CSL names the institution of a thesis or report, and the host of a preprint,
        // dataset or program, as its publisher.
        _ => item.publisher = reference.publisher.or(venue),
    }
    item
}

fn person(name: &Name) -> Person<'_> {
    Person {
        family: &name.family,
        given: name.given.as_deref(),
        non_dropping_particle: name.particle.as_deref(),
        suffix: name.suffix.as_deref(),
    }
}

fn item_type(kind: PublicationType) -> &'static str {
    match kind {
        PublicationType::Article => "article-journal",
        PublicationType::Conference => "paper-conference",
        PublicationType::Preprint => "article",
        PublicationType::Chapter => "chapter",
        PublicationType::Book => "book",
        PublicationType::Thesis => "thesis",
        PublicationType::Report => "report",
        PublicationType::Dataset => "dataset",
        PublicationType::Software => "software",
        PublicationType::Talk | PublicationType::Poster => "speech",
        PublicationType::Patent => "patent",
        PublicationType::Other => "document",
    }
}

/// Returns the genre for kinds whose CSL type alone does not say what they are.
fn genre(kind: PublicationType) -> Option<&'static str> {
    match kind {
        PublicationType::Thesis => Some("PhD thesis"),
        PublicationType::Talk => Some("Talk"),
        PublicationType::Poster => Some("Poster"),
        _ => None,
    }
}
