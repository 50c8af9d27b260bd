//! Warnings about content that builds but is likely wrong: author names close to a
//! researcher's name, researchers without publications, topics used once, and links in
//! content that do not resolve.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::links::SiteIndex;
use crate::content::raw::{RawAuthor, RawPublication};
use crate::content::{CheckedFile, Entry, name_key};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::{Site, Topic};
use crate::slug;
use crate::yaml::{self, Step};

/// Returns how many edits may separate an author name from a researcher's name for a
/// suggestion, given the length of the name key in characters.
///
/// Short names get no suggestions: `Wei Wang` and `Wei Zhang` are two edits apart but
/// usually two people.
fn max_name_edits(length: usize) -> usize {
    match length {
        0..8 => 0,
        8..12 => 1,
        _ => 2,
    }
}

/// Returns how many edits may separate two topic slugs for a suggestion.
fn max_topic_edits(length: usize) -> usize {
    match length {
        0..5 => 0,
        5..9 => 1,
        _ => 2,
    }
}

/// One written spelling (name or alias) of a researcher, keyed for comparison.
struct Spelling<'a> {
    key: String,
    /// The length of `key` in characters.
    length: usize,
    written: &'a str,
    researcher: usize,
}

/// An author name that links to no researcher, with where it is written.
struct Unmatched<'a> {
    path: &'a Path,
    location: Location,
    name: &'a str,
    key: String,
    /// Whether the author is a mapping (`{name: …}`) rather than a plain name.
    detailed: bool,
}

/// Warns about author names that link to no researcher but are a few edits away from a
/// researcher's name or alias.
///
/// The raw authors of each file are checked, so that warnings point at the list item
/// as written. Names that match a researcher exactly are skipped: one match links, and
/// two matches are already reported as ambiguous when the site is assembled.
pub(super) fn author_names(site: &Site, files: &[CheckedFile], diagnostics: &mut Diagnostics) {
    let mut spellings = Vec::new();
    for (index, researcher) in site.researchers.iter().enumerate() {
        for written in std::iter::once(&researcher.name).chain(&researcher.aliases) {
            let key = name_key(written);
            spellings.push(Spelling {
                length: key.chars().count(),
                key,
                written,
                researcher: index,
            });
        }
    }
    let unmatched = unmatched_authors(site, files, &spellings);

    // Each distinct name is compared once: the same co-author often appears in many files.
    let keys: Vec<&str> = unmatched
        .iter()
        .map(|author| author.key.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let closest: HashMap<&str, Vec<usize>> = keys
        .par_iter()
        .map(|key| (*key, closest_spellings(key, &spellings)))
        .filter(|(_, close)| !close.is_empty())
        .collect();

    for author in &unmatched {
        let Some(close) = closest.get(author.key.as_str()) else {
            continue;
        };
        let close: Vec<&Spelling<'_>> = close.iter().map(|&index| &spellings[index]).collect();
        let message = near_miss_message(site, author.name, &close, author.detailed);
        diagnostics.push(Diagnostic::warning(author.path, author.location, message));
    }
}

/// Lists the authors written as names that match no researcher's name, alias or id.
fn unmatched_authors<'a>(
    site: &Site,
    files: &'a [CheckedFile],
    spellings: &[Spelling<'_>],
) -> Vec<Unmatched<'a>> {
    let ids: HashSet<&str> = site.researchers.iter().map(|r| r.id.as_str()).collect();
    let exact: HashSet<&str> = spellings.iter().map(|s| s.key.as_str()).collect();
    let mut unmatched = Vec::new();
    for file in files {
        let Some(Entry::Publication(pending)) = &file.entry else {
            continue;
        };
        for (index, author) in pending.authors.iter().enumerate() {
            let (name, detailed) = match author {
                RawAuthor::Name(written) if !ids.contains(written.trim()) => {
                    (written.trim(), false)
                }
                RawAuthor::Detailed(details) if details.researcher.is_none() => {
                    match &details.name {
                        Some(name) => (name.trim(), true),
                        None => continue,
                    }
                }
                _ => continue,
            };
            // The build checks names written like ids (`zoe-angstrm`) against the ids.
            if slug::is_valid_id(name) {
                continue;
            }
            let key = name_key(name);
            if exact.contains(key.as_str()) {
                continue;
            }
            let at = [Step::Key("authors"), Step::Index(index)];
            unmatched.push(Unmatched {
                path: &pending.publication.source,
                location: yaml::locate(&pending.source, &at),
                name,
                key,
                detailed,
            });
        }
    }
    unmatched
}

/// Returns the indexes of the spellings at the smallest distance from `key` within the
/// edit limit, one per researcher, ordered by researcher.
fn closest_spellings(key: &str, spellings: &[Spelling<'_>]) -> Vec<usize> {
    let length = key.chars().count();
    let limit = max_name_edits(length);
    if limit == 0 {
        return Vec::new();
    }
    // Two strings are at least as many edits apart as their lengths differ, so most
    // spellings are skipped before the distance is computed.
    let scored: Vec<(usize, usize)> = spellings
        .iter()
        .enumerate()
        .filter(|(_, spelling)| spelling.length.abs_diff(length) <= limit)
        .map(|(index, spelling)| (strsim::osa_distance(key, &spelling.key), index))
        .filter(|(distance, _)| *distance <= limit)
        .collect();
    let Some(best) = scored.iter().map(|(distance, _)| *distance).min() else {
        return Vec::new();
    };
    let mut seen = BTreeSet::new();
    let mut closest: Vec<usize> = scored
        .into_iter()
        .filter(|&(distance, index)| distance == best && seen.insert(spellings[index].researcher))
        .map(|(_, index)| index)
        .collect();
    closest.sort_by_key(|&index| spellings[index].researcher);
    closest
}

fn near_miss_message(site: &Site, name: &str, close: &[&Spelling<'_>], detailed: bool) -> String {
    let candidates: Vec<String> = close
        .iter()
        .map(|spelling| {
            let id = &site.researchers[spelling.researcher].id;
            format!("`{}` (researcher `{id}`)", spelling.written)
        })
        .collect();
    let fix = match (close, detailed) {
        ([only], false) => format!(
            "if it is the same person, write the id `{}` instead of the name",
            site.researchers[only.researcher].id
        ),
        ([only], true) => format!(
            "if it is the same person, add `researcher: {}`",
            site.researchers[only.researcher].id
        ),
        (_, false) => {
            "if it is one of them, write that researcher's id instead of the name".to_owned()
        }
        (_, true) => "if it is one of them, add `researcher:` with that researcher's id".to_owned(),
    };
    format!(
        "author `{name}` matches no researcher, but is close to {}; {fix}",
        candidates.join(" and ")
    )
}

/// Warns about researchers whom no publication lists as an author.
pub(super) fn researchers_without_publications(site: &Site, diagnostics: &mut Diagnostics) {
    for researcher in &site.researchers {
        if researcher.publications.is_empty() {
            let message = format!(
                "researcher `{}` has no publications; list the id `{}` in the `authors` of their publications",
                researcher.id, researcher.id
            );
            diagnostics.push(Diagnostic::warning(
                &researcher.source,
                Location::default(),
                message,
            ));
        }
    }
}

/// Warns about publication topics that appear once in the whole site, counting
/// publications and the topics that researchers list, because a topic used once is
/// often a misspelling of another.
pub(super) fn single_use_topics(site: &Site, diagnostics: &mut Diagnostics) {
    let mut researcher_uses: HashMap<String, usize> = HashMap::new();
    for researcher in &site.researchers {
        let slugs: BTreeSet<String> = researcher.topics.iter().map(|t| slug::slugify(t)).collect();
        for slug in slugs {
            *researcher_uses.entry(slug).or_default() += 1;
        }
    }
    for topic in &site.topics {
        let uses =
            topic.publications.len() + researcher_uses.get(&topic.slug).copied().unwrap_or(0);
        let [publication] = topic.publications[..] else {
            continue;
        };
        if uses != 1 {
            continue;
        }
        let publication = &site.publications[publication];
        let (written, location) = read_source(&publication.source)
            .and_then(|source| written_topic(&publication.source, &source, &topic.slug))
            .unwrap_or_else(|| (topic.names[0].clone(), Location::default()));
        let hint = match closest_topic(topic, &site.topics) {
            Some(other) => format!("did you mean `{}`?", other.names[0]),
            None => "check its spelling if it is meant to match another topic".to_owned(),
        };
        let message = format!("topic `{written}` is used only once in the site; {hint}");
        diagnostics.push(Diagnostic::warning(&publication.source, location, message));
    }
}

/// Finds the first topic in a publication file that has `slug`, with its location.
fn written_topic(path: &Path, source: &str, slug: &str) -> Option<(String, Location)> {
    let raw: RawPublication = yaml::parse(path, source).ok()?;
    let (index, written) = raw
        .topics
        .iter()
        .enumerate()
        .find(|(_, topic)| !topic.trim().is_empty() && slug::slugify(topic) == slug)?;
    let location = yaml::locate(source, &[Step::Key("topics"), Step::Index(index)]);
    Some((written.trim().to_owned(), location))
}

/// Returns the other topic whose slug is closest to `topic`'s, within the edit limit.
fn closest_topic<'a>(topic: &Topic, topics: &'a [Topic]) -> Option<&'a Topic> {
    let limit = max_topic_edits(topic.slug.chars().count());
    topics
        .iter()
        .filter(|other| other.slug != topic.slug)
        .map(|other| (strsim::osa_distance(&topic.slug, &other.slug), other))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, other)| other)
}

/// A link written in content, with where it was written.
struct ContentLink<'a> {
    /// The key path for messages, such as `links.pdf` or `abstract`.
    field: String,
    at: Vec<Step<'a>>,
    /// The URL as rendered: site paths are under the base path.
    url: String,
    /// The URL as the author wrote it, when known.
    written: Option<String>,
}

/// Warns about site paths in content that name a page, file or element id that the site
/// does not have. Returns the rendered URLs reported, so that the page check does not
/// report them again on every page that shows the content.
///
/// A site path means the same on every page, so it is checked once, where the content
/// wrote it. A bare `#id` depends on the page that shows the text and is left to the
/// page check.
pub(super) fn content_links(
    site: &Site,
    index: &SiteIndex,
    diagnostics: &mut Diagnostics,
) -> HashSet<String> {
    let mut reported = HashSet::new();
    for publication in &site.publications {
        let mut found = Vec::new();
        for link in &publication.links {
            if link.kind == "doi" || link.kind == "arxiv" {
                continue;
            }
            found.push(ContentLink {
                field: format!("links.{}", link.kind),
                at: vec![Step::Key("links"), Step::Key(link.kind)],
                url: link.url.clone(),
                written: Some(link.value.clone()),
            });
        }
        push_markdown_links(&mut found, "title", &publication.title.html);
        if let Some(text) = &publication.abstract_text {
            push_markdown_links(&mut found, "abstract", &text.html);
        }
        report_broken(
            &publication.source,
            &found,
            index,
            &mut reported,
            diagnostics,
        );
    }
    for researcher in &site.researchers {
        let mut found = Vec::new();
        for (position, affiliation) in researcher.affiliations.iter().enumerate() {
            if let Some(url) = &affiliation.url {
                found.push(ContentLink {
                    field: "affiliations.url".to_owned(),
                    at: vec![
                        Step::Key("affiliations"),
                        Step::Index(position),
                        Step::Key("url"),
                    ],
                    url: url.clone(),
                    written: None,
                });
            }
        }
        if let Some(bio) = &researcher.bio {
            push_markdown_links(&mut found, "bio", &bio.html);
        }
        report_broken(
            &researcher.source,
            &found,
            index,
            &mut reported,
            diagnostics,
        );
    }
    reported
}

fn push_markdown_links(found: &mut Vec<ContentLink<'_>>, field: &'static str, html: &str) {
    for url in super::links::fragment_links(html) {
        found.push(ContentLink {
            field: field.to_owned(),
            at: vec![Step::Key(field)],
            url,
            written: None,
        });
    }
}

fn report_broken(
    path: &Path,
    found: &[ContentLink<'_>],
    index: &SiteIndex,
    reported: &mut HashSet<String>,
    diagnostics: &mut Diagnostics,
) {
    let mut source: Option<Option<String>> = None;
    for link in found {
        if link.url.starts_with('#') {
            continue;
        }
        // Content cannot hold relative paths (rendering removes them), so the page that
        // a site path is resolved from does not matter.
        let Some(internal) = index.internal_link("index.html", &link.url) else {
            continue;
        };
        let Err(broken) = index.find(&internal) else {
            continue;
        };
        let written = link
            .written
            .clone()
            .unwrap_or_else(|| index.written_form(&link.url));
        let fix = match broken {
            super::links::Broken::MissingFile { .. } => {
                "add the file to content/static/ or correct the link"
            }
            super::links::Broken::MissingId { .. } => "correct the id after `#`",
        };
        let message = format!(
            "`{}`: the link `{written}` is broken because {}; {fix}",
            link.field,
            broken.reason()
        );
        let source = source.get_or_insert_with(|| read_source(path));
        let location = source
            .as_deref()
            .map_or_else(Location::default, |source| yaml::locate(source, &link.at));
        diagnostics.push(Diagnostic::warning(path, location, message));
        reported.insert(link.url.clone());
    }
}

/// Reads a content file again to locate a warning in it. Returns `None` if the file
/// cannot be read any more, and the caller then reports the warning for the whole file.
fn read_source(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    // `content::decode_text` removes a byte order mark too, so locations agree with errors.
    Some(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}
