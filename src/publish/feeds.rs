//! Atom 1.0 feeds (RFC 4287): the site's latest publications, and the works of each
//! researcher and each topic.
//!
//! A feed depends only on the content, never on the time of the build, so rebuilding an
//! unchanged site writes byte-identical feeds.

use std::borrow::Cow;
use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::model::{Publication, PublicationDate, Site};
use crate::render::{PageKey, RenderedPage};
use crate::slug;

/// The maximum number of entries in a feed: the newest works. Readers fetch a feed
/// again and again, so it carries recent works only, and the pages list all of them.
pub const MAX_ENTRIES: usize = 50;
/// The maximum length of an entry's summary, in characters, before it is cut at a word.
const SUMMARY_MAX_CHARS: usize = 500;
/// The site path of the site's feed.
pub const SITE_FEED_PATH: &str = "feed.xml";

const ATOM_NAMESPACE: &str = "http://www.w3.org/2005/Atom";
/// The `updated` date of a feed without entries, which has no date of its own.
const EMPTY_FEED_UPDATED: &str = "1970-01-01T00:00:00Z";
/// The date in `tag:` URIs (RFC 4151), which the scheme requires. It is fixed, so that
/// an entry keeps its id in every build.
const TAG_DATE: &str = "2000";

/// Returns the site path of a researcher's feed, such as `researchers/x/feed.xml`.
pub fn researcher_feed_path(id: &str) -> String {
    format!("researchers/{id}/feed.xml")
}

/// Returns the site path of a topic's feed, such as `topics/game-theory/feed.xml`.
pub fn topic_feed_path(slug: &str) -> String {
    format!("topics/{slug}/feed.xml")
}

pub fn researcher_feed_title(name: &str) -> String {
    format!("Works by {name}")
}

pub fn topic_feed_title(name: &str) -> String {
    format!("Publications on {name}")
}

/// Renders the feeds that `select` accepts: the site feed under [`PageKey::Listing`],
/// a researcher's feed under their page and a topic's feed under its page.
pub fn files(site: &Site, select: &dyn Fn(PageKey<'_>) -> bool) -> Vec<RenderedPage> {
    let mut feeds = Vec::new();
    if select(PageKey::Listing) {
        feeds.push(site_feed(site));
    }

    // `select` need not be thread-safe, so it runs here and only rendering is parallel.
    let researchers: Vec<usize> = (0..site.researchers.len())
        .filter(|&index| select(PageKey::Researcher(&site.researchers[index].id)))
        .collect();
    let topics: Vec<usize> = (0..site.topics.len())
        .filter(|&index| select(PageKey::Topic(&site.topics[index].slug)))
        .collect();
    feeds.par_extend(
        researchers
            .into_par_iter()
            .map(|index| researcher_feed(site, index)),
    );
    feeds.par_extend(topics.into_par_iter().map(|index| topic_feed(site, index)));
    feeds
}

/// The parts of a feed that differ between the site, researcher and topic feeds.
struct Feed<'a> {
    /// The site path of the feed file.
    path: String,
    /// The site path of the page that the feed belongs to.
    page_path: String,
    title: String,
    subtitle: String,
    /// The works, newest first; only the first [`MAX_ENTRIES`] are written.
    publications: Vec<&'a Publication>,
}

fn site_feed(site: &Site) -> RenderedPage {
    let config = &site.config;
    let subtitle = config
        .description
        .clone()
        .unwrap_or_else(|| format!("The latest publications on {}.", config.title));
    render(
        config,
        &Feed {
            path: SITE_FEED_PATH.to_owned(),
            page_path: String::new(),
            title: config.title.clone(),
            subtitle,
            publications: site.publications.iter().collect(),
        },
    )
}

fn researcher_feed(site: &Site, index: usize) -> RenderedPage {
    let researcher = &site.researchers[index];
    let subtitle = format!(
        "Publications by {} on {}, newest first.",
        researcher.name, site.config.title
    );
    render(
        &site.config,
        &Feed {
            path: researcher_feed_path(&researcher.id),
            page_path: format!("researchers/{}/", researcher.id),
            title: researcher_feed_title(&researcher.name),
            subtitle,
            publications: researcher
                .publications
                .iter()
                .map(|&work| &site.publications[work])
                .collect(),
        },
    )
}

fn topic_feed(site: &Site, index: usize) -> RenderedPage {
    let topic = &site.topics[index];
    let name = &topic.names[0];
    let subtitle = format!(
        "Publications on {name} on {}, newest first.",
        site.config.title
    );
    render(
        &site.config,
        &Feed {
            path: topic_feed_path(&topic.slug),
            page_path: format!("topics/{}/", topic.slug),
            title: topic_feed_title(name),
            subtitle,
            publications: topic
                .publications
                .iter()
                .map(|&work| &site.publications[work])
                .collect(),
        },
    )
}

fn render(config: &SiteConfig, feed: &Feed<'_>) -> RenderedPage {
    let mut buffer = Vec::new();
    write_feed(
        &mut Writer::new_with_indent(&mut buffer, b' ', 2),
        config,
        feed,
    )
    .expect("writing XML into memory does not fail");
    buffer.push(b'\n');
    RenderedPage {
        target: feed.path.clone(),
        html: String::from_utf8(buffer).expect("the XML writer writes the UTF-8 it is given"),
    }
}

fn write_feed<W: io::Write>(
    writer: &mut Writer<W>,
    config: &SiteConfig,
    feed: &Feed<'_>,
) -> io::Result<()> {
    let entries = &feed.publications[..feed.publications.len().min(MAX_ENTRIES)];
    // Works are sorted by date with the written precision, and `2020` sorts after
    // `2020-01`, so the newest timestamp is searched for rather than taken from the first.
    let updated = entries
        .iter()
        .map(|publication| timestamp(publication.date))
        .max()
        .unwrap_or_else(|| EMPTY_FEED_UPDATED.to_owned());

    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    writer
        .create_element("feed")
        .with_attribute(("xmlns", ATOM_NAMESPACE))
        .with_attribute(("xml:lang", xml_text(&config.language).as_ref()))
        .write_inner_content(|writer| {
            text_element(writer, "id", &atom_id(config, &feed.path))?;
            writer
                .create_element("title")
                .with_attribute(("type", "text"))
                .write_text_content(BytesText::new(&xml_text(&feed.title)))?;
            writer
                .create_element("subtitle")
                .with_attribute(("type", "text"))
                .write_text_content(BytesText::new(&xml_text(&feed.subtitle)))?;
            link(
                writer,
                "self",
                "application/atom+xml",
                &config.absolute_url(&feed.path),
            )?;
            let page_url = config.absolute_url(&feed.page_path);
            link(writer, "alternate", "text/html", &page_url)?;
            text_element(writer, "updated", &updated)?;
            writer
                .create_element("generator")
                .with_attribute(("version", env!("CARGO_PKG_VERSION")))
                .write_text_content(BytesText::new("Vita"))?;
            for publication in entries {
                write_entry(writer, config, publication)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write_entry<W: io::Write>(
    writer: &mut Writer<W>,
    config: &SiteConfig,
    publication: &Publication,
) -> io::Result<()> {
    let page_path = format!("publications/{}/", publication.id);
    let date = timestamp(publication.date);
    writer
        .create_element("entry")
        .write_inner_content(|writer| {
            text_element(writer, "id", &atom_id(config, &page_path))?;
            writer
                .create_element("title")
                .with_attribute(("type", "text"))
                .write_text_content(BytesText::new(&xml_text(&publication.title.plain)))?;
            link(
                writer,
                "alternate",
                "text/html",
                &config.absolute_url(&page_path),
            )?;
            text_element(writer, "published", &date)?;
            text_element(writer, "updated", &date)?;
            for author in &publication.authors {
                writer
                    .create_element("author")
                    .write_inner_content(|writer| text_element(writer, "name", &author.name))?;
            }
            let mut slugs: Vec<String> = Vec::new();
            for name in &publication.topics {
                // Two spellings of one topic share its slug and its page.
                let slug = slug::slugify(name);
                if slugs.contains(&slug) {
                    continue;
                }
                writer
                    .create_element("category")
                    .with_attribute(("term", slug.as_str()))
                    .with_attribute(("label", xml_text(name).as_ref()))
                    .write_empty()?;
                slugs.push(slug);
            }
            if let Some(abstract_text) = &publication.abstract_text {
                writer
                    .create_element("summary")
                    .with_attribute(("type", "text"))
                    .write_text_content(BytesText::new(&summary(&abstract_text.plain)))?;
            }
            Ok(())
        })?;
    Ok(())
}

fn text_element<W: io::Write>(writer: &mut Writer<W>, name: &str, text: &str) -> io::Result<()> {
    writer
        .create_element(name)
        .write_text_content(BytesText::new(&xml_text(text)))?;
    Ok(())
}

fn link<W: io::Write>(
    writer: &mut Writer<W>,
    rel: &str,
    media_type: &str,
    href: &str,
) -> io::Result<()> {
    writer
        .create_element("link")
        .with_attribute(("rel", rel))
        .with_attribute(("type", media_type))
        .with_attribute(("href", xml_text(href).as_ref()))
        .write_empty()?;
    Ok(())
}

/// Returns the id of a feed or entry: its absolute URL, or a `tag:` URI when the site
/// has no absolute base URL, because an Atom id must be an absolute IRI.
fn atom_id(config: &SiteConfig, site_path: &str) -> String {
    if config.base_url.is_some() {
        return config.absolute_url(site_path);
    }
    format!(
        "tag:{}.invalid,{TAG_DATE}:{}",
        tag_authority(&config.title),
        config.path(site_path)
    )
}

/// Makes a DNS label from the site title, so that sites without a base URL get
/// different ids. The `.invalid` domain that follows it is reserved (RFC 2606), so these
/// ids cannot clash with tags of a real domain's owner.
fn tag_authority(title: &str) -> String {
    let slug = slug::slugify(title);
    // A DNS label has at most 63 characters and cannot end in `-`.
    let label: String = slug.chars().take(63).collect();
    label.trim_end_matches('-').to_owned()
}

/// Formats a publication date as an RFC 3339 timestamp at midnight UTC; a date without
/// a day is taken as the first day of its month, or of its year.
fn timestamp(date: PublicationDate) -> String {
    format!("{}T00:00:00Z", calendar_day(date))
}

/// Formats a publication date as `YYYY-MM-DD`, taking a missing month or day as 1.
pub(super) fn calendar_day(date: PublicationDate) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year,
        date.month.unwrap_or(1),
        date.day.unwrap_or(1)
    )
}

/// Makes the plain text of an abstract into a summary: whitespace collapsed to single
/// spaces and cut at a word after [`SUMMARY_MAX_CHARS`] characters, ending in `…`.
fn summary(plain: &str) -> String {
    let cleaned = xml_text(plain);
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let text = words.join(" ");
    if text.chars().count() <= SUMMARY_MAX_CHARS {
        return text;
    }
    let cut: String = text.chars().take(SUMMARY_MAX_CHARS).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end())
}

/// Removes the characters that XML 1.0 does not allow in a document: the C0 controls
/// other than tab, line feed and carriage return, and U+FFFE and U+FFFF. The writer
/// escapes markup characters, but no escape makes these valid.
pub(super) fn xml_text(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| !matches!(c, '\0'..='\x08' | '\x0B' | '\x0C' | '\x0E'..='\x1F' | '\u{FFFE}' | '\u{FFFF}');
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_removes_forbidden_controls() {
        assert_eq!(xml_text("a\u{0}b\u{8}c\u{1F}d\u{FFFF}e"), "abcde");
        assert_eq!(xml_text("tab\tline\nreturn\r"), "tab\tline\nreturn\r");
        assert!(matches!(xml_text("plain & <text>"), Cow::Borrowed(_)));
    }

    #[test]
    fn timestamp_fills_missing_month_and_day() {
        let year = PublicationDate {
            year: 2020,
            month: None,
            day: None,
        };
        let month = PublicationDate {
            month: Some(5),
            ..year
        };
        let day = PublicationDate {
            day: Some(17),
            ..month
        };
        assert_eq!(timestamp(year), "2020-01-01T00:00:00Z");
        assert_eq!(timestamp(month), "2020-05-01T00:00:00Z");
        assert_eq!(timestamp(day), "2020-05-17T00:00:00Z");
    }

    #[test]
    fn summary_cuts_long_text_at_a_word() {
        let long = "word ".repeat(200);
        let cut = summary(&long);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= SUMMARY_MAX_CHARS + 1);
        assert_eq!(summary("two\n\nparagraphs  here"), "two paragraphs here");
    }

    #[test]
    fn tag_ids_without_base_url() {
        let config = SiteConfig {
            title: "Zoë's Lab".to_owned(),
            base_path: "/lab/".to_owned(),
            ..SiteConfig::default()
        };
        assert_eq!(
            atom_id(&config, "publications/x/"),
            "tag:zoe-s-lab.invalid,2000:/lab/publications/x/"
        );
        let absolute = SiteConfig {
            base_url: Some("https://example.org/lab/".to_owned()),
            ..config
        };
        assert_eq!(
            atom_id(&absolute, "publications/x/"),
            "https://example.org/lab/publications/x/"
        );
    }
}
