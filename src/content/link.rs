//! Linking authors to researchers and deriving each researcher's works and the topics.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use super::raw::RawAuthor;
use super::validate::{FileCheck, PendingPublication};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::model::{Author, Institution, Publication, Researcher, Site, Topic};
use crate::slug;
use crate::yaml::{self, Step};

/// Returns the key under which names are compared: NFC, case-folded, single spaces.
pub fn name_key(name: &str) -> String {
    let normalized: String = name.nfc().collect();
    let folded = caseless::default_case_fold_str(&normalized);
    let words: Vec<&str> = folded.split_whitespace().collect();
    words.join(" ").nfc().collect()
}

/// Researchers found by id and by every written spelling of their name.
struct Directory<'a> {
    by_id: HashMap<&'a str, usize>,
    by_name: HashMap<String, BTreeSet<usize>>,
    ids: Vec<&'a str>,
}

impl<'a> Directory<'a> {
    fn new(researchers: &'a [Researcher]) -> Self {
        let mut by_id = HashMap::new();
        let mut by_name: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for (index, researcher) in researchers.iter().enumerate() {
            by_id.entry(researcher.id.as_str()).or_insert(index);
            let spellings = std::iter::once(&researcher.name).chain(&researcher.aliases);
            for spelling in spellings {
                by_name.entry(name_key(spelling)).or_default().insert(index);
            }
        }
        let ids = researchers.iter().map(|r| r.id.as_str()).collect();
        Self {
            by_id,
            by_name,
            ids,
        }
    }
}

/// Links every publication's authors, fills each researcher's works and builds topics.
pub(super) fn link_site(
    root: &Path,
    config: SiteConfig,
    mut researchers: Vec<Researcher>,
    pending: Vec<PendingPublication>,
    diagnostics: &mut Diagnostics,
) -> Site {
    let mut publications = Vec::with_capacity(pending.len());
    {
        let directory = Directory::new(&researchers);
        for item in pending {
            let PendingPublication {
                mut publication,
                authors,
                source,
            } = item;
            let mut check = FileCheck::new(&publication.source, &source);
            publication.authors = link_authors(&authors, &directory, &researchers, &mut check);
            diagnostics.extend(check.diagnostics);
            publications.push(publication);
        }
    }

    for (index, publication) in publications.iter().enumerate() {
        let linked: BTreeSet<usize> = publication
            .authors
            .iter()
            .filter_map(|a| a.researcher)
            .collect();
        for researcher in linked {
            researchers[researcher].publications.push(index);
        }
    }
    let topics = build_topics(&researchers, &publications);
    let institutions = build_institutions(&researchers);
    Site {
        root: root.to_path_buf(),
        config,
        researchers,
        publications,
        topics,
        institutions,
    }
}

fn link_authors(
    authors: &[RawAuthor],
    directory: &Directory<'_>,
    researchers: &[Researcher],
    check: &mut FileCheck<'_>,
) -> Vec<Author> {
    let mut linked = Vec::with_capacity(authors.len());
    for (index, raw) in authors.iter().enumerate() {
        let at = [Step::Key("authors"), Step::Index(index)];
        let author = match raw {
            RawAuthor::Name(written) => {
                let written = written.trim();
                check.text(&at, "authors", written);
                if let Some(&researcher) = directory.by_id.get(written) {
                    plain_author(researchers[researcher].name.clone(), Some(researcher))
                } else {
                    let researcher = match_name(written, directory, researchers, &at, check);
                    if researcher.is_none() {
                        warn_unknown_id(written, directory, &at, check);
                    }
                    plain_author(written.to_owned(), researcher)
                }
            }
            RawAuthor::Detailed(details) => {
                let researcher = match &details.researcher {
                    Some(id) => match directory.by_id.get(id.as_str()) {
                        Some(&found) => Some(found),
                        None => {
                            let hint = yaml::closest(id, &directory.ids)
                                .map(|best| format!("; did you mean `{best}`?"))
                                .unwrap_or_else(|| {
                                    "; check the id against the files in content/researchers/"
                                        .to_owned()
                                });
                            let nested = [at[0], at[1], Step::Key("researcher")];
                            check.error(&nested, format!("`authors[{index}].researcher`: no researcher has the id `{id}`{hint}"));
                            None
                        }
                    },
                    None => None,
                };
                let name = match (&details.name, researcher) {
                    (Some(name), _) => name.trim().to_owned(),
                    (None, Some(found)) => researchers[found].name.clone(),
                    (None, None) => {
                        if details.researcher.is_none() {
                            check.error(&at, format!("`authors[{index}]` has neither `name` nor `researcher`; add one of them"));
                        }
                        continue;
                    }
                };
                let researcher = researcher.or_else(|| {
                    details
                        .researcher
                        .is_none()
                        .then(|| match_name(&name, directory, researchers, &at, check))
                        .flatten()
                });
                Author {
                    name,
                    researcher,
                    affiliation: details.affiliation.clone(),
                    equal_contribution: details.equal_contribution,
                    corresponding: details.corresponding,
                }
            }
        };
        linked.push(author);
    }
    linked
}

/// Warns about an author written like an id (`zoe-angstrm`) that no researcher has,
/// since it was most likely meant to link and is shown as a plain name instead.
fn warn_unknown_id(
    written: &str,
    directory: &Directory<'_>,
    at: &[Step<'_>],
    check: &mut FileCheck<'_>,
) {
    if !crate::slug::is_valid_id(written) {
        return;
    }
    let closest = yaml::closest(written, &directory.ids);
    if closest.is_none() && !written.contains('-') {
        return;
    }
    let hint = match closest {
        Some(best) => format!("did you mean `{best}`?"),
        None => "check the id against the files in content/researchers/".to_owned(),
    };
    check.warning(
        at,
        format!("author `{written}` looks like a researcher id, but no researcher has it; {hint} It is shown as a plain name"),
    );
}

fn plain_author(name: String, researcher: Option<usize>) -> Author {
    Author {
        name,
        researcher,
        affiliation: None,
        equal_contribution: false,
        corresponding: false,
    }
}

/// Finds the one researcher whose name or alias equals `name`; two matches are ambiguous.
fn match_name(
    name: &str,
    directory: &Directory<'_>,
    researchers: &[Researcher],
    at: &[Step<'_>],
    check: &mut FileCheck<'_>,
) -> Option<usize> {
    let matches = directory.by_name.get(&name_key(name))?;
    if matches.len() == 1 {
        return matches.first().copied();
    }
    let ids: Vec<String> = matches
        .iter()
        .map(|&i| format!("`{}`", researchers[i].id))
        .collect();
    check.warning(
        at,
        format!(
            "author `{name}` is ambiguous: it matches the researchers {}; write the researcher id instead of the name to link one",
            ids.join(" and ")
        ),
    );
    None
}

/// Groups the topics of researchers and publications by slug.
fn build_topics(researchers: &[Researcher], publications: &[Publication]) -> Vec<Topic> {
    #[derive(Default)]
    struct Draft {
        spellings: BTreeMap<String, usize>,
        researchers: BTreeSet<usize>,
        publications: BTreeSet<usize>,
    }
    let mut drafts: BTreeMap<String, Draft> = BTreeMap::new();
    for (index, researcher) in researchers.iter().enumerate() {
        for topic in researcher
            .topics
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
        {
            let draft = drafts.entry(slug::slugify(topic)).or_default();
            *draft.spellings.entry(topic.to_owned()).or_default() += 1;
            draft.researchers.insert(index);
        }
    }
    for (index, publication) in publications.iter().enumerate() {
        for topic in &publication.topics {
            let draft = drafts.entry(slug::slugify(topic)).or_default();
            *draft.spellings.entry(topic.clone()).or_default() += 1;
            draft.publications.insert(index);
            draft
                .researchers
                .extend(publication.authors.iter().filter_map(|a| a.researcher));
        }
    }
    drafts
        .into_iter()
        .map(|(slug, draft)| {
            let mut names: Vec<(String, usize)> = draft.spellings.into_iter().collect();
            names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            Topic {
                slug,
                names: names.into_iter().map(|(name, _)| name).collect(),
                researchers: draft.researchers.into_iter().collect(),
                publications: draft.publications.into_iter().collect(),
            }
        })
        .collect()
}

/// Groups researchers' affiliations by the slug of the name, so that spellings such as
/// `Example University` and `example university` share one institution. An institution's
/// publications are all those of its researchers, whatever the years of the affiliation.
fn build_institutions(researchers: &[Researcher]) -> Vec<Institution> {
    #[derive(Default)]
    struct Draft {
        spellings: BTreeMap<String, usize>,
        researchers: BTreeSet<usize>,
    }
    let mut drafts: BTreeMap<String, Draft> = BTreeMap::new();
    for (index, researcher) in researchers.iter().enumerate() {
        for affiliation in &researcher.affiliations {
            let Some(slug) = affiliation.institution_slug() else {
                continue;
            };
            let draft = drafts.entry(slug).or_default();
            let name = affiliation.name.trim().to_owned();
            *draft.spellings.entry(name).or_default() += 1;
            draft.researchers.insert(index);
        }
    }
    drafts
        .into_iter()
        .map(|(slug, draft)| {
            let mut names: Vec<(String, usize)> = draft.spellings.into_iter().collect();
            names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let publications: BTreeSet<usize> = draft
                .researchers
                .iter()
                .flat_map(|&r| researchers[r].publications.iter().copied())
                .collect();
            Institution {
                slug,
                names: names.into_iter().map(|(name, _)| name).collect(),
                researchers: draft.researchers.into_iter().collect(),
                publications: publications.into_iter().collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_fold_case_and_normalization() {
        assert_eq!(
            name_key("Zoë  Ängström"),
            name_key("zoe\u{308} a\u{308}ngstro\u{308}m")
        );
        assert_eq!(name_key("STRASSE"), name_key("straße"));
        assert_ne!(name_key("Theo A. Berg"), name_key("Theo Lind"));
    }
}
