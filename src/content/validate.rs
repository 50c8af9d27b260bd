//! Turning raw content files into the validated, linked site model.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::identifiers::{normalize_arxiv, normalize_doi, profile_link};
use super::raw::{LinkKind, RawAuthor, RawPublication, RawResearcher};
use super::{Loaded, MAX_BLOCK_TEXT_BYTES, MAX_LINE_TEXT_BYTES};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links;
use crate::model::{
    Affiliation, ExternalLink, Publication, PublicationDate, PublicationType, Researcher, Site,
};
use crate::slug;
use crate::text;
use crate::yaml::{self, Step};

/// One content file being validated: reports problems at the location of a key path.
pub(super) struct FileCheck<'a> {
    pub path: &'a Path,
    pub source: &'a str,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> FileCheck<'a> {
    pub fn new(path: &'a Path, source: &'a str) -> Self {
        Self {
            path,
            source,
            diagnostics: Vec::new(),
        }
    }

    pub fn error(&mut self, at: &[Step<'_>], message: impl Into<String>) {
        let location = yaml::locate(self.source, at);
        self.diagnostics
            .push(Diagnostic::error(self.path, location, message));
    }

    pub fn warning(&mut self, at: &[Step<'_>], message: impl Into<String>) {
        let location = yaml::locate(self.source, at);
        self.diagnostics
            .push(Diagnostic::warning(self.path, location, message));
    }

    /// Reports a text longer than its field's limit, a LaTeX command that YAML escapes
    /// changed, such as `"\textit{x}"` in double quotes, where `\t` becomes a TAB, and
    /// any other control character. Returns `false` when the text is too long to render.
    pub fn text(&mut self, at: &[Step<'_>], field: &str, value: &str) -> bool {
        let limit = max_text_bytes(field);
        if value.len() > limit {
            let message = format!(
                "`{field}` is {} bytes long, above the limit of {limit} bytes; shorten it",
                value.len()
            );
            self.error(at, message);
            return false;
        }
        let location = yaml::locate(self.source, at);
        if let Some(escape) = yaml::latex_escape_in_double_quotes(self.source, location) {
            let message = format!(
                "`{field}` is in double quotes, where YAML reads `{}` in `{}` as {}; \
                 write the value in single quotes or as a `|` block",
                escape.sequence, escape.command, escape.meaning
            );
            self.error(at, message);
            return true;
        }
        if let Some(control) = value.chars().find(|c| c.is_control() && *c != '\n') {
            let code = u32::from(control);
            self.error(
                at,
                format!("`{field}` contains the control character U+{code:04X}; remove it"),
            );
        }
        true
    }
}

/// Returns the limit in bytes for the text of `field`: [`MAX_BLOCK_TEXT_BYTES`] for an
/// abstract or a bio, [`MAX_LINE_TEXT_BYTES`] for every other field.
fn max_text_bytes(field: &str) -> usize {
    match field {
        "abstract" | "bio" => MAX_BLOCK_TEXT_BYTES,
        _ => MAX_LINE_TEXT_BYTES,
    }
}

/// Validates one parsed researcher file.
pub(super) fn researcher_file(
    root: &Path,
    config: &SiteConfig,
    file: Loaded<RawResearcher>,
) -> (Option<Researcher>, Vec<Diagnostic>) {
    let content = root.join("content");
    let mut check = FileCheck::new(&file.path, &file.source);
    let researcher = researcher(&content, config, &file.path, file.raw, &mut check);
    (researcher, check.diagnostics)
}

/// Validates one parsed publication file; its authors are linked later.
pub(super) fn publication_file(
    config: &SiteConfig,
    file: Loaded<RawPublication>,
) -> (Option<PendingPublication>, Vec<Diagnostic>) {
    let mut check = FileCheck::new(&file.path, &file.source);
    let converted = publication(config, &file.path, file.raw, &mut check);
    let diagnostics = check.diagnostics;
    let pending = converted.map(|(publication, authors)| PendingPublication {
        publication,
        authors,
        source: file.source,
    });
    (pending, diagnostics)
}

/// Checks ids across files, sorts, links authors to researchers and derives topics.
pub(super) fn assemble(
    root: &Path,
    config: SiteConfig,
    mut researchers: Vec<Researcher>,
    mut publications: Vec<PendingPublication>,
    diagnostics: &mut Diagnostics,
) -> Site {
    let researcher_ids = researchers.iter().map(|r| (&r.id, &r.source));
    report_duplicate_ids(researcher_ids, "researcher", diagnostics);
    let publication_ids = publications
        .iter()
        .map(|p| (&p.publication.id, &p.publication.source));
    report_duplicate_ids(publication_ids, "publication", diagnostics);

    researchers.sort_by(|a, b| (&a.name, &a.id, &a.source).cmp(&(&b.name, &b.id, &b.source)));
    publications.sort_by(|a, b| {
        let (a, b) = (&a.publication, &b.publication);
        (b.date, &a.title.plain, &a.id, &a.source).cmp(&(a.date, &b.title.plain, &b.id, &b.source))
    });
    super::link::link_site(root, config, researchers, publications, diagnostics)
}

/// A validated publication whose authors are not linked yet, with its source text
/// kept so that linking can locate problems in it.
#[derive(Debug, Clone)]
pub struct PendingPublication {
    pub publication: Publication,
    pub authors: Vec<RawAuthor>,
    pub source: String,
}

fn report_duplicate_ids<'a>(
    items: impl Iterator<Item = (&'a String, &'a PathBuf)>,
    kind: &str,
    diagnostics: &mut Diagnostics,
) {
    let mut seen: HashMap<&String, Vec<&PathBuf>> = HashMap::new();
    for (id, path) in items {
        seen.entry(id).or_default().push(path);
    }
    let mut duplicates: Vec<_> = seen
        .into_iter()
        .filter(|(_, paths)| paths.len() > 1)
        .collect();
    duplicates.sort();
    for (id, mut paths) in duplicates {
        paths.sort();
        let others: Vec<String> = paths[1..]
            .iter()
            .map(|p| p.strip_prefix(".").unwrap_or(p).display().to_string())
            .collect();
        let message = format!(
            "{kind} id `{id}` is also used by {}; give each file a different name or `id:`",
            others.join(" and ")
        );
        // The id is the file name or the `id:` key near the top, so point at line 1.
        let location = crate::diagnostics::Location::new(1, 1);
        diagnostics.push(Diagnostic::error(paths[0], location, message));
    }
}

/// Returns the id of a file: its `id:` key, or else its file name without the extension.
fn file_id(path: &Path, written: Option<&str>, check: &mut FileCheck<'_>) -> Option<String> {
    if let Some(id) = written {
        if slug::is_valid_id(id) {
            return Some(id.to_owned());
        }
        check.error(
            &[Step::Key("id")],
            format!(
                "`id`: `{id}` is not a valid id; use lowercase letters, digits and single hyphens, such as `{}`",
                slug::slugify(id)
            ),
        );
        return None;
    }
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if slug::is_valid_id(stem) {
        return Some(stem.to_owned());
    }
    check.error(
        &[],
        format!(
            "the file name `{stem}` is not a valid id; rename the file to `{}.yaml` or add `id: {}`",
            slug::slugify(stem),
            slug::slugify(stem)
        ),
    );
    None
}

fn researcher(
    content: &Path,
    config: &SiteConfig,
    path: &Path,
    raw: RawResearcher,
    check: &mut FileCheck<'_>,
) -> Option<Researcher> {
    let id = file_id(path, raw.id.as_deref(), check);
    check.text(&[Step::Key("name")], "name", &raw.name);
    if raw.name.trim().is_empty() {
        check.error(
            &[Step::Key("name")],
            "`name` is empty; write the researcher's display name",
        );
    }
    if let Some(headline) = &raw.headline {
        check.text(&[Step::Key("headline")], "headline", headline);
    }
    for (index, alias) in raw.aliases.iter().enumerate() {
        check.text(
            &[Step::Key("aliases"), Step::Index(index)],
            "aliases",
            alias,
        );
    }
    for (index, topic) in raw.topics.iter().enumerate() {
        check.text(&[Step::Key("topics"), Step::Index(index)], "topics", topic);
    }

    let affiliations = raw
        .affiliations
        .into_iter()
        .enumerate()
        .map(|(index, affiliation)| {
            let at = [Step::Key("affiliations"), Step::Index(index)];
            check.text(&at, "affiliations.name", &affiliation.name);
            let url =
                affiliation
                    .url
                    .and_then(|url| match links::resolve(&url, &config.base_path) {
                        Ok(url) => Some(url),
                        Err(reason) => {
                            check.warning(
                                &[at[0], at[1], Step::Key("url")],
                                format!("`affiliations.url` left out: {reason}"),
                            );
                            None
                        }
                    });
            if let (Some(from), Some(to)) = (affiliation.from, affiliation.to) {
                if from.0 > to.0 {
                    check.error(
                        &[at[0], at[1], Step::Key("to")],
                        format!(
                            "`affiliations.to` ({}) is before `from` ({}); swap them",
                            to.0, from.0
                        ),
                    );
                }
            }
            Affiliation {
                name: affiliation.name,
                role: affiliation.role,
                url,
                from: affiliation.from.map(|y| y.0),
                to: affiliation.to.map(|y| y.0),
            }
        })
        .collect();

    let identifiers = researcher_identifiers(&raw.identifiers, check);
    let avatar = raw
        .avatar
        .and_then(|avatar| avatar_file(content, &avatar, id.as_deref(), check));
    let bio = raw.bio.and_then(|bio| {
        if !check.text(&[Step::Key("bio")], "bio", &bio) {
            return None;
        }
        let rendered = text::render_block(&bio, &config.base_path);
        for problem in &rendered.problems {
            check.warning(&[Step::Key("bio")], format!("`bio`: {problem}"));
        }
        Some(rendered)
    });
    let email = raw.email.filter(|email| {
        let valid = email.contains('@')
            && !email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
        if !valid {
            check.error(
                &[Step::Key("email")],
                format!("`email`: `{email}` is not an email address"),
            );
        }
        valid
    });
    let contact_url = raw.contact_url.and_then(|url| match contact_link(&url) {
        Ok(url) => Some(url),
        Err(reason) => {
            check.error(
                &[Step::Key("contact_url")],
                format!("`contact_url`: {reason}"),
            );
            None
        }
    });

    Some(Researcher {
        id: id?,
        name: raw.name.trim().to_owned(),
        aliases: raw.aliases,
        headline: raw.headline,
        affiliations,
        topics: raw.topics,
        open_to_collaborate: raw.open_to_collaborate,
        claimed: raw.claimed,
        email,
        contact_url,
        identifiers,
        avatar,
        bio,
        followers: raw.followers,
        source: path.to_path_buf(),
        publications: Vec::new(),
    })
}

/// ASCII characters that RFC 3986 does not allow anywhere in a URL.
const NOT_IN_URL: &str = "\"<>\\^`{|}";

/// Checks a `contact_url`: an http(s) URL with a host, or a `mailto:` URL with an
/// address.
fn contact_link(url: &str) -> Result<String, String> {
    let url = url.trim();
    let expected = "expected an http(s) URL such as `https://example.org/contact` or an \
                    address such as `mailto:zoe@example.edu`";
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "`{url}` contains spaces or control characters; {expected}"
        ));
    }
    if let Some(c) = url.chars().find(|c| NOT_IN_URL.contains(*c)) {
        return Err(format!(
            "`{url}` contains `{c}`, which a URL cannot contain; write it percent-encoded, \
             as `%{:02X}`",
            u32::from(c)
        ));
    }
    let lower = url.to_ascii_lowercase();
    let valid = if let Some(address) = lower.strip_prefix("mailto:") {
        address.contains('@')
    } else {
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        rest.is_some_and(|rest| !rest.starts_with(['/', '?', '#']) && !rest.is_empty())
    };
    if valid {
        Ok(url.to_owned())
    } else {
        Err(format!(
            "`{url}` is not an http(s) or mailto URL; {expected}"
        ))
    }
}

fn researcher_identifiers(
    raw: &super::raw::RawIdentifiers,
    check: &mut FileCheck<'_>,
) -> Vec<ExternalLink> {
    let fields: [(&'static str, &Option<String>); 8] = [
        ("orcid", &raw.orcid),
        ("google_scholar", &raw.google_scholar),
        ("dblp", &raw.dblp),
        ("arxiv", &raw.arxiv),
        ("semantic_scholar", &raw.semantic_scholar),
        ("openreview", &raw.openreview),
        ("github", &raw.github),
        ("homepage", &raw.homepage),
    ];
    let mut links = Vec::new();
    for (kind, value) in fields {
        let Some(value) = value else { continue };
        match profile_link(kind, value) {
            Ok(link) => links.push(link),
            Err(reason) => check.error(
                &[Step::Key("identifiers"), Step::Key(kind)],
                format!("`identifiers.{kind}`: {reason}"),
            ),
        }
    }
    links
}

/// Checks that an avatar path stays inside `content/` and names an existing file.
fn avatar_file(
    content: &Path,
    avatar: &str,
    id: Option<&str>,
    check: &mut FileCheck<'_>,
) -> Option<(PathBuf, String)> {
    let relative = Path::new(avatar.trim());
    let inside = relative
        .components()
        .all(|part| matches!(part, std::path::Component::Normal(_)));
    if !inside {
        check.error(&[Step::Key("avatar")], format!("`avatar`: `{avatar}` must be a path inside `content/`, such as `static/avatars/me.jpg`"));
        return None;
    }
    let file = content.join(relative);
    if !file.is_file() {
        check.error(
            &[Step::Key("avatar")],
            format!("`avatar`: file `{}` not found", file.display()),
        );
        return None;
    }
    let extension = relative
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or("img")
        .to_ascii_lowercase();
    Some((file, format!("researchers/{}/avatar.{extension}", id?)))
}

fn publication(
    config: &SiteConfig,
    path: &Path,
    raw: RawPublication,
    check: &mut FileCheck<'_>,
) -> Option<(Publication, Vec<RawAuthor>)> {
    let id = file_id(path, raw.id.as_deref(), check);
    let title_fits = check.text(&[Step::Key("title")], "title", &raw.title);
    if raw.title.trim().is_empty() {
        check.error(
            &[Step::Key("title")],
            "`title` is empty; write the publication's title",
        );
    }
    if raw.authors.is_empty() {
        check.error(
            &[Step::Key("authors")],
            "`authors` is empty; list at least one author",
        );
    }
    let date = publication_date(&raw, check);
    let kind = publication_type(raw.kind.as_deref(), check);

    // A title over the limit is already an error, so it is not rendered.
    let title = if title_fits {
        text::render_inline(raw.title.trim(), &config.base_path)
    } else {
        text::Rendered::default()
    };
    for problem in &title.problems {
        check.warning(&[Step::Key("title")], format!("`title`: {problem}"));
    }
    let abstract_text = raw.abstract_text.as_deref().and_then(|text| {
        if !check.text(&[Step::Key("abstract")], "abstract", text) {
            return None;
        }
        let rendered = text::render_block(text, &config.base_path);
        for problem in &rendered.problems {
            check.warning(&[Step::Key("abstract")], format!("`abstract`: {problem}"));
        }
        Some(rendered)
    });
    for (field, value) in [("venue", &raw.venue), ("publisher", &raw.publisher)] {
        if let Some(value) = value {
            check.text(&[Step::Key(field)], field, value);
        }
    }
    for (index, topic) in raw.topics.iter().enumerate() {
        check.text(&[Step::Key("topics"), Step::Index(index)], "topics", topic);
    }
    let links = publication_links(&raw.links, &config.base_path, check);

    let publication = Publication {
        id: id?,
        title,
        title_source: raw.title.trim().to_owned(),
        authors: Vec::new(),
        date: date?,
        kind: kind?,
        venue: raw.venue.map(|v| v.trim().to_owned()),
        volume: raw.volume.map(|v| v.0),
        issue: raw.issue.map(|v| v.0),
        pages: raw.pages.map(|v| v.0.replace("--", "\u{2013}")),
        publisher: raw.publisher,
        abstract_text,
        topics: raw
            .topics
            .into_iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect(),
        links,
        featured: raw.featured,
        source: path.to_path_buf(),
    };
    Some((publication, raw.authors))
}

fn publication_date(raw: &RawPublication, check: &mut FileCheck<'_>) -> Option<PublicationDate> {
    let from_date = match &raw.date {
        Some(text) => match parse_date(&text.0) {
            Ok(date) => Some(date),
            Err(message) => {
                check.error(&[Step::Key("date")], message);
                return None;
            }
        },
        None => None,
    };
    match (raw.year, from_date) {
        (Some(year), Some(date)) if year.0 != date.year => {
            check.error(
                &[Step::Key("year")],
                format!(
                    "`year` is {} but `date` is in {}; remove `year` or make them agree",
                    year.0, date.year
                ),
            );
            None
        }
        (_, Some(date)) => Some(date),
        (Some(year), None) => Some(PublicationDate {
            year: year.0,
            month: None,
            day: None,
        }),
        (None, None) => {
            check.error(
                &[],
                "missing required key `year` (or `date`); add a line such as `year: 2024`",
            );
            None
        }
    }
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking that the month and day exist.
pub fn parse_date(text: &str) -> Result<PublicationDate, String> {
    let invalid = || {
        format!(
            "`date`: invalid date `{text}`; expected `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, such as `2024-05-17`"
        )
    };
    let parts: Vec<&str> = text.trim().split('-').collect();
    let digits =
        |part: &str, len: usize| part.len() == len && part.chars().all(|c| c.is_ascii_digit());
    let shaped = match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    };
    if !shaped {
        return Err(invalid());
    }
    let year: i32 = parts[0].parse().map_err(|_| invalid())?;
    let month: Option<u8> = parts
        .get(1)
        .map(|m| m.parse())
        .transpose()
        .map_err(|_| invalid())?;
    let day: Option<u8> = parts
        .get(2)
        .map(|d| d.parse())
        .transpose()
        .map_err(|_| invalid())?;
    if let Some(month) = month {
        if !(1..=12).contains(&month) {
            return Err(format!(
                "`date`: month {month} in `{text}` does not exist; expected 01 to 12"
            ));
        }
        if let Some(day) = day {
            let last = days_in_month(year, month);
            if day == 0 || day > last {
                return Err(format!(
                    "`date`: day {day} in `{text}` does not exist; that month has {last} days"
                ));
            }
        }
    }
    Ok(PublicationDate { year, month, day })
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn publication_type(kind: Option<&str>, check: &mut FileCheck<'_>) -> Option<PublicationType> {
    let Some(kind) = kind else {
        return Some(PublicationType::Article);
    };
    if let Some(parsed) = PublicationType::from_key(kind.trim()) {
        return Some(parsed);
    }
    let keys: Vec<&str> = PublicationType::ALL.iter().map(|k| k.key()).collect();
    let hint = match yaml::closest(&kind.to_lowercase(), &keys) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("expected one of: {}", keys.join(", ")),
    };
    check.error(
        &[Step::Key("type")],
        format!("`type`: unknown publication type `{kind}`; {hint}"),
    );
    None
}

fn publication_links(
    raw: &std::collections::BTreeMap<LinkKind, String>,
    base_path: &str,
    check: &mut FileCheck<'_>,
) -> Vec<ExternalLink> {
    let mut result = Vec::new();
    for (kind, value) in raw {
        let at = [Step::Key("links"), Step::Key(kind.key())];
        let url = match kind {
            LinkKind::Doi => {
                normalize_doi(value).map(|doi| (doi.clone(), format!("https://doi.org/{doi}")))
            }
            LinkKind::Arxiv => {
                normalize_arxiv(value).map(|id| (id.clone(), format!("https://arxiv.org/abs/{id}")))
            }
            _ => links::resolve(value, base_path).map(|url| (value.trim().to_owned(), url)),
        };
        match url {
            Ok((value, url)) => result.push(ExternalLink {
                kind: kind.key(),
                label: kind.label(),
                value,
                url,
            }),
            Err(reason) if matches!(kind, LinkKind::Doi | LinkKind::Arxiv) => {
                check.error(&at, format!("`links.{}`: {reason}", kind.key()));
            }
            Err(reason) => check.warning(&at, format!("`links.{}` left out: {reason}", kind.key())),
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_links() {
        assert!(contact_link("https://example.org/contact?a=1&b=2").is_ok());
        assert!(contact_link("HTTP://example.org").is_ok());
        assert!(contact_link("mailto:zoe@example.edu?subject=Hello").is_ok());
        assert!(contact_link("mailto:nobody").is_err());
        assert!(contact_link("https:///path").is_err());
        assert!(contact_link("/contact/").is_err());
        assert!(contact_link("javascript:alert(1)").is_err());
        let quote = contact_link("https://example.org/?q=\"x\"").unwrap_err();
        assert!(quote.contains("`%22`"), "{quote}");
    }

    #[test]
    fn dates_in_three_precisions() {
        assert_eq!(parse_date("2020").unwrap().iso(), "2020");
        assert_eq!(parse_date("2020-05").unwrap().iso(), "2020-05");
        assert_eq!(parse_date("2024-02-29").unwrap().iso(), "2024-02-29");
    }

    #[test]
    fn impossible_dates_are_rejected() {
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("2020-13").is_err());
        assert!(parse_date("May 2020").is_err());
        assert!(parse_date("2020/05/01").is_err());
    }
}
