//! RIS records, the tagged format that EndNote, Zotero and Mendeley import.
//!
//! Each line is a two-letter tag, two spaces, a hyphen, a space and the value. Values
//! are written on one line, with line breaks in abstracts replaced by spaces.

use super::Reference;
use crate::model::PublicationType;

/// Formats one record, from `TY` to `ER`.
pub fn record(reference: &Reference<'_>) -> String {
    let mut lines: Vec<(&str, String)> = vec![("TY", record_type(reference.kind).to_owned())];
    for name in &reference.authors {
        lines.push(("AU", name.family_first()));
    }
    lines.push(("TI", reference.title.to_owned()));
    let date = reference.date;
    lines.push(("PY", date.year.to_string()));
    if date.month.is_some() {
        let part = |value: Option<u8>| value.map(|v| format!("{v:02}")).unwrap_or_default();
        lines.push((
            "DA",
            format!("{:04}/{}/{}/", date.year, part(date.month), part(date.day)),
        ));
    }
    if let Some(venue) = reference.venue {
        lines.push((venue_tag(reference), venue.to_owned()));
        if reference.kind == PublicationType::Article {
            lines.push(("JO", venue.to_owned()));
        }
    }
    if let Some(volume) = reference.volume {
        lines.push(("VL", volume.to_owned()));
    }
    if let Some(issue) = reference.issue {
        lines.push(("IS", issue.to_owned()));
    }
    if let Some(pages) = &reference.pages {
        lines.push(("SP", pages.first.clone()));
        if let Some(last) = &pages.last {
            lines.push(("EP", last.clone()));
        }
    }
    if let Some(publisher) = reference.publisher {
        lines.push(("PB", publisher.to_owned()));
    }
    if reference.kind == PublicationType::Thesis {
        lines.push(("M3", "PhD thesis".to_owned()));
    }
    if let Some(doi) = reference.doi {
        lines.push(("DO", doi.to_owned()));
    }
    if let Some(arxiv) = reference.arxiv {
        lines.push(("AN", format!("arXiv:{arxiv}")));
    }
    if let Some(url) = &reference.url {
        lines.push(("UR", url.clone()));
    }
    if let Some(abstract_text) = reference.abstract_text {
        lines.push(("AB", abstract_text.to_owned()));
    }

    let mut out = String::new();
    for (tag, value) in lines {
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push_str(&format!("{tag}  - {value}\n"));
    }
    out.push_str("ER  - \n");
    out
}

fn record_type(kind: PublicationType) -> &'static str {
    match kind {
        PublicationType::Article => "JOUR",
        PublicationType::Conference => "CONF",
        PublicationType::Preprint => "UNPB",
        PublicationType::Chapter => "CHAP",
        PublicationType::Book => "BOOK",
        PublicationType::Thesis => "THES",
        PublicationType::Report => "RPRT",
        PublicationType::Dataset => "DATA",
        PublicationType::Software => "COMP",
        PublicationType::Talk => "SLIDE",
        PublicationType::Patent => "PAT",
        PublicationType::Poster | PublicationType::Other => "GEN",
    }
}

/// Returns the tag for the venue: the publisher for theses and reports, whose venue
/// is the institution, the series for books, else the secondary title.
fn venue_tag(reference: &Reference<'_>) -> &'static str {
    match reference.kind {
        PublicationType::Thesis | PublicationType::Report if reference.publisher.is_none() => "PB",
        PublicationType::Book => "T3",
        _ => "T2",
    }
}
