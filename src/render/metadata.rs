//! Metadata that scholarly indexers read: Highwire Press `citation_*` tags for Google
//! Scholar, and schema.org JSON-LD for search engines.
//!
//! The JSON is built with serde_json and then escaped for the inside of a `<script>`
//! element, so no text from content can close the element or start markup.

use serde_json::{Value, json};

use super::views::{MetaTag, TopicRef};
use crate::model::{Publication, PublicationType, Researcher, Site};

/// Builds the Highwire Press tags of a publication page, authors in their order.
pub fn highwire_tags(site: &Site, publication: &Publication) -> Vec<MetaTag> {
    let config = &site.config;
    let mut tags = vec![tag("citation_title", &publication.title.plain)];
    for author in &publication.authors {
        tags.push(tag("citation_author", &author.name));
    }
    let date = &publication.date;
    let mut published = format!("{:04}", date.year);
    for part in [date.month, date.day].into_iter().flatten() {
        published.push_str(&format!("/{part:02}"));
    }
    tags.push(tag("citation_publication_date", &published));

    if let Some(venue) = &publication.venue {
        tags.push(tag(venue_tag(publication.kind), venue));
    }
    let optional = [
        ("citation_volume", &publication.volume),
        ("citation_issue", &publication.issue),
        ("citation_publisher", &publication.publisher),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            tags.push(tag(name, value));
        }
    }

    if let Some(pages) = &publication.pages {
        let (first, last) = split_pages(pages);
        tags.push(tag("citation_firstpage", first));
        if let Some(last) = last {
            tags.push(tag("citation_lastpage", last));
        }
    }

    for link in &publication.links {
        match link.kind {
            "doi" => tags.push(tag("citation_doi", &link.value)),
            "arxiv" => tags.push(tag("citation_arxiv_id", &link.value)),
            "pdf" => {
                if let Some(url) = same_host_url(site, &link.url) {
                    tags.push(tag("citation_pdf_url", &url));
                }
            }
            _ => {}
        }
    }
    for topic in &publication.topics {
        tags.push(tag("citation_keywords", topic));
    }
    let page = config.absolute_url(&format!("publications/{}/", publication.id));
    tags.push(tag("citation_abstract_html_url", &page));
    tags
}

fn tag(name: &'static str, content: &str) -> MetaTag {
    MetaTag {
        name,
        content: content.to_owned(),
    }
}

/// Returns the Highwire tag that names the venue of a publication type.
fn venue_tag(kind: PublicationType) -> &'static str {
    match kind {
        PublicationType::Conference | PublicationType::Poster | PublicationType::Talk => {
            "citation_conference_title"
        }
        PublicationType::Chapter | PublicationType::Book => "citation_inbook_title",
        PublicationType::Thesis => "citation_dissertation_institution",
        PublicationType::Report => "citation_technical_report_institution",
        _ => "citation_journal_title",
    }
}

/// Splits `12–34`, `12--34` or `12-34` into first and last page.
fn split_pages(pages: &str) -> (&str, Option<&str>) {
    let separators: &[char] = &['\u{2013}', '-', '\u{2014}'];
    match pages.split_once(separators) {
        Some((first, last)) => (
            first.trim(),
            Some(last.trim_start_matches(separators).trim()).filter(|l| !l.is_empty()),
        ),
        None => (pages.trim(), None),
    }
}

/// Returns the absolute URL of a link when it is served by the site itself.
///
/// `citation_pdf_url` is only written for such links, so a PDF on another host, or any
/// PDF when the site has no absolute base URL, gets no tag.
fn same_host_url(site: &Site, url: &str) -> Option<String> {
    let base = site.config.base_url.as_deref()?;
    let origin = origin_of(base)?;
    if url.starts_with('/') && !url.starts_with("//") {
        return Some(format!("{origin}{url}"));
    }
    (origin_of(url)? == origin).then(|| url.to_owned())
}

/// Returns `scheme://host[:port]` of an absolute http(s) URL.
fn origin_of(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")? + 3;
    let host_end = url[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |index| scheme_end + index);
    Some(&url[..host_end])
}

/// Builds the `ScholarlyArticle` JSON-LD of a publication page.
pub fn article_json_ld(site: &Site, publication: &Publication) -> String {
    let config = &site.config;
    let url = config.absolute_url(&format!("publications/{}/", publication.id));
    let authors: Vec<Value> = publication
        .authors
        .iter()
        .map(|author| match author.researcher {
            Some(index) => {
                // The name as the publication writes it, which may be an alias.
                let mut person = person(site, &site.researchers[index], false);
                person["name"] = Value::String(author.name.clone());
                person
            }
            None => json!({ "@type": "Person", "name": author.name }),
        })
        .collect();

    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": publication.title.plain,
        "name": publication.title.plain,
        "author": authors,
        "datePublished": publication.date.iso(),
        "url": url,
    });
    let mut identifiers = Vec::new();
    let mut same_as = Vec::new();
    for link in &publication.links {
        let property = match link.kind {
            "doi" => "DOI",
            "arxiv" => "arXiv",
            _ => continue,
        };
        identifiers
            .push(json!({ "@type": "PropertyValue", "propertyID": property, "value": link.value }));
        same_as.push(Value::String(link.url.clone()));
    }
    insert_nonempty(&mut article, "identifier", identifiers);
    insert_nonempty(&mut article, "sameAs", same_as);
    if let Some(text) = &publication.abstract_text {
        article["abstract"] = Value::String(text.plain.clone());
    }
    if let Some(venue) = &publication.venue {
        article["isPartOf"] = json!({ "@type": "Periodical", "name": venue });
    }
    if let Some(publisher) = &publication.publisher {
        article["publisher"] = json!({ "@type": "Organization", "name": publisher });
    }
    let keywords: Vec<Value> = publication
        .topics
        .iter()
        .map(|t| Value::String(t.clone()))
        .collect();
    insert_nonempty(&mut article, "keywords", keywords);
    script_json(&article)
}

/// Builds the `ProfilePage` JSON-LD of a researcher page, with the researcher as its
/// main entity.
pub fn profile_json_ld(site: &Site, researcher: &Researcher, topics: &[&TopicRef]) -> String {
    let url = site
        .config
        .absolute_url(&format!("researchers/{}/", researcher.id));
    let mut person = person(site, researcher, true);
    let knows: Vec<Value> = topics
        .iter()
        .map(|t| Value::String(t.name.clone()))
        .collect();
    insert_nonempty(&mut person, "knowsAbout", knows);
    let page = json!({
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "mainEntity": person,
    });
    script_json(&page)
}

/// Describes a researcher as a schema.org `Person`; `full` adds what only the profile
/// page shows (headline, affiliations, aliases, image).
fn person(site: &Site, researcher: &Researcher, full: bool) -> Value {
    let config = &site.config;
    let profile = config.absolute_url(&format!("researchers/{}/", researcher.id));
    let mut same_as: Vec<Value> = researcher
        .identifiers
        .iter()
        .map(|link| Value::String(link.url.clone()))
        .collect();
    if !full {
        same_as.push(Value::String(profile.clone()));
    }
    let mut person = json!({ "@type": "Person", "name": researcher.name, "url": profile });
    insert_nonempty(&mut person, "sameAs", same_as);
    if !full {
        return person;
    }

    if let Some(headline) = &researcher.headline {
        person["description"] = Value::String(headline.clone());
    }
    let aliases: Vec<Value> = researcher
        .aliases
        .iter()
        .map(|a| Value::String(a.clone()))
        .collect();
    insert_nonempty(&mut person, "alternateName", aliases);

    let affiliations: Vec<Value> = researcher
        .affiliations
        .iter()
        .map(|affiliation| {
            let mut organization = json!({ "@type": "Organization", "name": affiliation.name });
            if let Some(url) = &affiliation.url {
                organization["url"] = Value::String(url.clone());
            }
            organization
        })
        .collect();
    insert_nonempty(&mut person, "affiliation", affiliations);
    if let Some((_, target)) = &researcher.avatar {
        person["image"] = Value::String(config.absolute_url(target));
    }
    person
}

fn insert_nonempty(object: &mut Value, key: &str, values: Vec<Value>) {
    if !values.is_empty() {
        object[key] = Value::Array(values);
    }
}

/// Serializes JSON for a `<script type="application/ld+json">` element: `<`, `>` and
/// `&` become `\u003c`, `\u003e` and `\u0026`, which JSON parsers read back unchanged,
/// so `</script>` or `<!--` in a value cannot end or change the element.
fn script_json(value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_owned());
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_on_dashes() {
        assert_eq!(split_pages("12--34"), ("12", Some("34")));
        assert_eq!(split_pages("12\u{2013}34"), ("12", Some("34")));
        assert_eq!(split_pages("e1234"), ("e1234", None));
    }

    #[test]
    fn script_json_cannot_close_script() {
        let escaped = script_json(&json!({ "name": "</script><script>alert(1)</script>&" }));
        assert!(!escaped.contains('<'), "{escaped}");
        let back: Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script>&");
    }

    #[test]
    fn origins() {
        assert_eq!(origin_of("https://a.org/x/y"), Some("https://a.org"));
        assert_eq!(origin_of("https://a.org:8080"), Some("https://a.org:8080"));
    }
}
