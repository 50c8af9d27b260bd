//! `sitemap.xml` (the sitemaps.org 0.9 protocol) and `robots.txt`.
//!
//! A sitemap file may list at most 50,000 URLs and be at most 50 MiB uncompressed.
//! A larger site gets `sitemap-1.xml`, `sitemap-2.xml`, … and `sitemap.xml` becomes a
//! sitemap index that lists them.

use std::collections::HashMap;
use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::feeds::{calendar_day, xml_text};
use crate::config::SiteConfig;
use crate::model::Site;
use crate::render::{self, PageKey, RenderedPage};

/// The maximum number of URLs in one sitemap file, from sitemaps.org.
pub const MAX_URLS: usize = 50_000;
/// The maximum size of one uncompressed sitemap file in bytes (50 MiB), from sitemaps.org.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

const SITEMAP_NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const SITEMAP_PATH: &str = "sitemap.xml";

/// Renders `sitemap.xml` (and its parts, when it is split) and `robots.txt` if
/// `select` accepts [`PageKey::Listing`].
pub fn files(site: &Site, select: &dyn Fn(PageKey<'_>) -> bool) -> Vec<RenderedPage> {
    if !select(PageKey::Listing) {
        return Vec::new();
    }
    let mut files = sitemaps(site, MAX_URLS, MAX_BYTES);
    files.push(robots_txt(&site.config));
    files
}

/// Renders the sitemap of every HTML page but `404.html`, split into files of at most
/// `max_urls` URLs and `max_bytes` bytes. One file is `sitemap.xml` itself; more are
/// `sitemap-1.xml`, `sitemap-2.xml`, … with `sitemap.xml` as their index.
///
/// A single URL larger than `max_bytes` still gets a file of its own, because it
/// cannot be split.
pub fn sitemaps(site: &Site, max_urls: usize, max_bytes: usize) -> Vec<RenderedPage> {
    let config = &site.config;
    let urls: Vec<Vec<u8>> = page_urls(site)
        .iter()
        .map(|(site_path, lastmod)| url_element(config, site_path, lastmod.as_deref()))
        .collect();

    let (head, tail) = document_parts("urlset");
    let empty_size = head.len() + tail.len();
    let mut groups: Vec<Vec<&[u8]>> = Vec::new();
    let mut current: Vec<&[u8]> = Vec::new();
    let mut size = empty_size;
    for url in &urls {
        let full = current.len() >= max_urls || size + url.len() > max_bytes;
        if full && !current.is_empty() {
            groups.push(std::mem::take(&mut current));
            size = empty_size;
        }
        current.push(url);
        size += url.len();
    }
    groups.push(current);

    if groups.len() == 1 {
        return vec![document(SITEMAP_PATH, &head, &groups[0], &tail)];
    }
    let mut files: Vec<RenderedPage> = groups
        .iter()
        .enumerate()
        .map(|(index, group)| document(&part_path(index), &head, group, &tail))
        .collect();
    // NOTE: the index is not split in turn, which it would need only past 50,000 parts.
    let parts: Vec<Vec<u8>> = (0..groups.len())
        .map(|index| sitemap_element(config, &part_path(index)))
        .collect();
    let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    let (head, tail) = document_parts("sitemapindex");
    files.push(document(SITEMAP_PATH, &head, &parts, &tail));
    files
}

/// Renders `robots.txt`: every crawler may fetch everything, and the sitemap is named
/// when the site has an absolute base URL, because the `Sitemap:` line must be one.
pub fn robots_txt(config: &SiteConfig) -> RenderedPage {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if config.base_url.is_some() {
        text.push_str(&format!(
            "\nSitemap: {}\n",
            config.absolute_url(SITEMAP_PATH)
        ));
    } else {
        text.push_str(
            "\n# The sitemap is at the site path below; set an absolute base_url to name\n\
             # it with a Sitemap line, which crawlers read only as a full URL.\n",
        );
        text.push_str(&format!("# {}\n", config.path(SITEMAP_PATH)));
    }
    RenderedPage {
        target: "robots.txt".to_owned(),
        html: text,
    }
}

/// Lists the site path of every HTML page but `404.html`, in page order, with the
/// `lastmod` date of publication pages.
fn page_urls(site: &Site) -> Vec<(String, Option<String>)> {
    let publication_dates: HashMap<String, String> = site
        .publications
        .iter()
        .map(|p| {
            let target = format!("publications/{}/index.html", p.id);
            (target, calendar_day(p.date))
        })
        .collect();
    render::page_targets(site)
        .into_iter()
        .filter(|target| target != "404.html")
        .map(|target| {
            let lastmod = publication_dates.get(&target).cloned();
            let site_path = target.strip_suffix("index.html").unwrap_or(&target);
            (site_path.to_owned(), lastmod)
        })
        .collect()
}

fn part_path(index: usize) -> String {
    format!("sitemap-{}.xml", index + 1)
}

/// Writes the XML declaration and the root element's start tag, and its end tag.
fn document_parts(root: &str) -> (Vec<u8>, Vec<u8>) {
    let declaration = BytesDecl::new("1.0", Some("UTF-8"), None);
    let start = BytesStart::new(root).with_attributes([("xmlns", SITEMAP_NAMESPACE)]);
    let mut head = Writer::new(Vec::new());
    write_or_panic(head.write_event(Event::Decl(declaration)));
    head.get_mut().push(b'\n');
    write_or_panic(head.write_event(Event::Start(start)));
    head.get_mut().push(b'\n');

    let mut tail = Writer::new(Vec::new());
    write_or_panic(tail.write_event(Event::End(BytesEnd::new(root))));
    tail.get_mut().push(b'\n');
    (head.into_inner(), tail.into_inner())
}

fn document(target: &str, head: &[u8], elements: &[&[u8]], tail: &[u8]) -> RenderedPage {
    let mut bytes = head.to_vec();
    for element in elements {
        bytes.extend_from_slice(element);
    }
    bytes.extend_from_slice(tail);
    RenderedPage {
        target: target.to_owned(),
        html: String::from_utf8(bytes).expect("the XML writer writes the UTF-8 it is given"),
    }
}

/// Writes one `<url>` element on a line of its own.
fn url_element(config: &SiteConfig, site_path: &str, lastmod: Option<&str>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut writer = Writer::new(&mut bytes);
    write_or_panic(writer.create_element("url").write_inner_content(|writer| {
        writer
            .create_element("loc")
            .write_text_content(BytesText::new(&xml_text(&config.absolute_url(site_path))))?;
        if let Some(lastmod) = lastmod {
            writer
                .create_element("lastmod")
                .write_text_content(BytesText::new(lastmod))?;
        }
        Ok(())
    }));
    bytes.push(b'\n');
    bytes
}

/// Writes one `<sitemap>` element of a sitemap index on a line of its own.
fn sitemap_element(config: &SiteConfig, site_path: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut writer = Writer::new(&mut bytes);
    write_or_panic(
        writer
            .create_element("sitemap")
            .write_inner_content(|writer| {
                writer
                    .create_element("loc")
                    .write_text_content(BytesText::new(&xml_text(
                        &config.absolute_url(site_path),
                    )))?;
                Ok(())
            }),
    );
    bytes.push(b'\n');
    bytes
}

/// Unwraps the result of writing XML into a `Vec<u8>`, whose writes return no I/O
/// error, so a failure here is a bug.
fn write_or_panic<T>(result: io::Result<T>) {
    result.expect("writing XML into memory does not fail");
}
