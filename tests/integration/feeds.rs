//! Atom feeds, sitemaps, `robots.txt`, and the feed links and Open Graph tags of pages,
//! checked by parsing the written files with a strict XML parser.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use roxmltree::{Document, Node};
use vita::BuildOptions;
use vita::publish::sitemap;
use vita::render::{self, PageKey};

use crate::common::{self, Fixture};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const BASE: &str = "https://example.org/~lab/";

/// The title of `tricky`, with every character that XML must escape.
const TRICKY_TITLE: &str = r#"AT&T says 1 < 2 > 0 and "x" isn't 'y'"#;

/// Writes a site under a sub-path with two researchers, four publications of every date
/// precision, and titles that need escaping.
fn feed_site() -> Fixture {
    let fixture = Fixture::new();
    fixture.file(
        "site.yaml",
        "title: 'Lab & \"Friends\" <Zürich>'\nbase_url: https://example.org/~lab/\n",
    );
    fixture.researcher("ada", "name: Ada Lovelace\n");
    fixture.researcher("bob", "name: Bob Byron\n");
    let abstract_text = "Fish & chips <b>bold</b> words. ".repeat(40);
    fixture.publication(
        "tricky",
        &format!(
            "title: '{}'\nauthors: [bob, Ada Lovelace, Carol Unlinked]\ndate: 2024-05-17\n\
             topics: [Game Theory]\nabstract: |\n  {abstract_text}\n",
            TRICKY_TITLE.replace('\'', "''")
        ),
    );
    fixture.publication(
        "month",
        "title: Month only\nauthors: [ada]\ndate: 2024-03\ntopics: [Game Theory, Interpretability]\n\
         abstract: A short abstract.\n",
    );
    fixture.publication(
        "year-only",
        "title: Year only\nauthors: [ada, bob]\nyear: 2023\ntopics: [Interpretability]\n",
    );
    fixture.publication("older", "title: Older work\nauthors: [bob]\nyear: 2022\n");
    fixture
}

/// An Atom feed read back into owned values.
#[derive(Debug)]
struct Feed {
    id: String,
    title: String,
    subtitle: String,
    updated: String,
    links: Vec<(String, String)>,
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    id: String,
    title: String,
    link: String,
    published: String,
    updated: String,
    authors: Vec<String>,
    summary: Option<String>,
    categories: Vec<String>,
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("read {}: {err}", path.display()))
}

fn parse<'a>(text: &'a str, source_name: &str) -> Document<'a> {
    Document::parse(text)
        .unwrap_or_else(|err| panic!("{source_name} is not well-formed XML: {err}"))
}

fn is(node: &Node<'_, '_>, namespace: &str, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace() == Some(namespace)
}

fn children<'a, 'input>(
    node: Node<'a, 'input>,
    namespace: &'a str,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children()
        .filter(move |child| is(child, namespace, name))
}

/// Returns the text of the one child element `name`, and panics if there is not exactly one.
fn only_text(node: Node<'_, '_>, namespace: &str, name: &str) -> String {
    let found: Vec<Node<'_, '_>> = children(node, namespace, name).collect();
    assert_eq!(
        found.len(),
        1,
        "<{}> has {} <{name}> elements",
        node.tag_name().name(),
        found.len()
    );
    found[0].text().unwrap_or_default().to_owned()
}

fn read_feed(path: &Path) -> Feed {
    let text = read(path);
    let document = parse(&text, &path.display().to_string());
    let root = document.root_element();
    assert!(
        is(&root, ATOM, "feed"),
        "{} is not an Atom feed",
        path.display()
    );
    let links = |node: Node<'_, '_>| -> Vec<(String, String)> {
        children(node, ATOM, "link")
            .map(|link| {
                (
                    link.attribute("rel").unwrap_or("alternate").to_owned(),
                    link.attribute("href").expect("link has href").to_owned(),
                )
            })
            .collect()
    };
    let entries = children(root, ATOM, "entry")
        .map(|entry| {
            let alternates: Vec<String> = links(entry)
                .into_iter()
                .filter(|(rel, _)| rel == "alternate")
                .map(|(_, href)| href)
                .collect();
            assert_eq!(alternates.len(), 1, "entry alternate links: {alternates:?}");
            Entry {
                id: only_text(entry, ATOM, "id"),
                title: only_text(entry, ATOM, "title"),
                link: alternates[0].clone(),
                published: only_text(entry, ATOM, "published"),
                updated: only_text(entry, ATOM, "updated"),
                authors: children(entry, ATOM, "author")
                    .map(|author| only_text(author, ATOM, "name"))
                    .collect(),
                summary: children(entry, ATOM, "summary")
                    .next()
                    .map(|s| s.text().unwrap_or_default().to_owned()),
                categories: children(entry, ATOM, "category")
                    .map(|c| c.attribute("term").expect("category has term").to_owned())
                    .collect(),
            }
        })
        .collect();
    Feed {
        id: only_text(root, ATOM, "id"),
        title: only_text(root, ATOM, "title"),
        subtitle: only_text(root, ATOM, "subtitle"),
        updated: only_text(root, ATOM, "updated"),
        links: links(root),
        entries,
    }
}

fn link_of<'a>(feed: &'a Feed, rel: &str) -> &'a str {
    feed.links
        .iter()
        .find(|(r, _)| r == rel)
        .map(|(_, href)| href.as_str())
        .unwrap_or_else(|| panic!("the feed has no link rel={rel}: {:?}", feed.links))
}

fn titles(feed: &Feed) -> Vec<&str> {
    feed.entries.iter().map(|e| e.title.as_str()).collect()
}

/// Returns the `<loc>` of each `<url>` and its `<lastmod>`, if any, in file order.
fn sitemap_urls(text: &str) -> Vec<(String, Option<String>)> {
    let document = parse(text, "the sitemap");
    let root = document.root_element();
    assert!(
        is(&root, SITEMAP, "urlset"),
        "root is {:?}",
        root.tag_name()
    );
    children(root, SITEMAP, "url")
        .map(|url| {
            let lastmod = children(url, SITEMAP, "lastmod")
                .next()
                .map(|l| l.text().unwrap_or_default().to_owned());
            (only_text(url, SITEMAP, "loc"), lastmod)
        })
        .collect()
}

fn locs(text: &str) -> Vec<String> {
    sitemap_urls(text).into_iter().map(|(loc, _)| loc).collect()
}

/// Lists the HTML files of a built site, relative to `output`, sorted.
fn html_files(output: &Path) -> Vec<String> {
    common::tree(output)
        .into_iter()
        .map(|(relative, _)| relative)
        .filter(|relative| relative.ends_with(".html"))
        .collect()
}

/// Lists the feeds, sitemaps and `robots.txt` of a built site with their bytes.
fn published_files(output: &Path) -> Vec<(String, Vec<u8>)> {
    common::tree(output)
        .into_iter()
        .filter(|(relative, _)| relative.ends_with(".xml") || relative == "robots.txt")
        .collect()
}

#[test]
fn site_feed_entries_newest_first() {
    let site = feed_site();
    site.build();
    let feed = read_feed(&site.output().join("feed.xml"));

    assert_eq!(
        titles(&feed),
        [TRICKY_TITLE, "Month only", "Year only", "Older work"]
    );
    let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "https://example.org/~lab/publications/tricky/",
            "https://example.org/~lab/publications/month/",
            "https://example.org/~lab/publications/year-only/",
            "https://example.org/~lab/publications/older/",
        ]
    );
    for entry in &feed.entries {
        assert_eq!(entry.link, entry.id);
    }
}

#[test]
fn feed_escapes_title_characters() {
    let site = feed_site();
    site.build();
    let text = read(&site.output().join("feed.xml"));
    let feed = read_feed(&site.output().join("feed.xml"));

    assert_eq!(feed.entries[0].title, TRICKY_TITLE);
    assert_eq!(feed.title, r#"Lab & "Friends" <Zürich>"#);
    assert!(text.contains("AT&amp;T says 1 &lt; 2 &gt; 0"), "{text}");
    assert!(!text.contains("AT&T"));
}

#[test]
fn control_characters_in_settings_rejected() {
    // Control characters cannot appear in XML 1.0, so settings that carry them are
    // rejected before any feed is written.
    let site = Fixture::new();
    site.file(
        "site.yaml",
        "title: \"Bell\\x07 lab\"\ndescription: \"Form\\x0Cfeed\"\nbase_url: https://example.org/\n",
    );
    site.researcher("ada", "name: Ada Lovelace\n");
    site.publication("p", "title: Work\nauthors: [ada]\nyear: 2020\n");
    let expected = [
        "site.yaml:1:1: error: `title` contains the control character U+0007; remove it, and \
         write text with backslashes in single quotes",
        "site.yaml:2:1: error: `description` contains the control character U+000C; remove it, \
         and write text with backslashes in single quotes",
    ];
    assert_eq!(site.build_errors(), expected);
    assert!(!site.output().exists(), "nothing is written");
}

#[test]
fn feed_authors_keep_order() {
    let site = feed_site();
    site.build();
    let feed = read_feed(&site.output().join("feed.xml"));

    assert_eq!(
        feed.entries[0].authors,
        ["Bob Byron", "Ada Lovelace", "Carol Unlinked"]
    );
    assert_eq!(feed.entries[2].authors, ["Ada Lovelace", "Bob Byron"]);
}

#[test]
fn feed_dates_from_publication_dates() {
    let site = feed_site();
    site.build();
    let feed = read_feed(&site.output().join("feed.xml"));

    let published: Vec<&str> = feed.entries.iter().map(|e| e.published.as_str()).collect();
    assert_eq!(
        published,
        [
            "2024-05-17T00:00:00Z",
            "2024-03-01T00:00:00Z",
            "2023-01-01T00:00:00Z",
            "2022-01-01T00:00:00Z",
        ]
    );
    for entry in &feed.entries {
        assert_eq!(entry.updated, entry.published);
    }
    assert_eq!(feed.updated, "2024-05-17T00:00:00Z");
}

#[test]
fn feed_summary_is_cut_plain_text() {
    let site = feed_site();
    site.build();
    let feed = read_feed(&site.output().join("feed.xml"));

    let summary = feed.entries[0].summary.as_deref().expect("a summary");
    assert!(summary.starts_with("Fish & chips bold words."), "{summary}");
    assert!(!summary.contains('<'), "{summary}");
    assert!(summary.ends_with('…'), "{summary}");
    assert!(
        summary.chars().count() <= 501,
        "{} chars",
        summary.chars().count()
    );
    assert_eq!(
        feed.entries[1].summary.as_deref(),
        Some("A short abstract.")
    );
    assert_eq!(feed.entries[2].summary, None);
}

#[test]
fn feed_metadata_and_links() {
    let site = feed_site();
    site.build();
    let feed = read_feed(&site.output().join("feed.xml"));

    assert_eq!(feed.id, "https://example.org/~lab/feed.xml");
    assert_eq!(link_of(&feed, "self"), "https://example.org/~lab/feed.xml");
    assert_eq!(link_of(&feed, "alternate"), BASE);
    assert_eq!(
        feed.subtitle,
        r#"The latest publications on Lab & "Friends" <Zürich>."#
    );
    assert_eq!(feed.entries[0].categories, ["game-theory"]);
    assert_eq!(
        feed.entries[1].categories,
        ["game-theory", "interpretability"]
    );
}

#[test]
fn researcher_feed_lists_their_works() {
    let site = feed_site();
    site.build();
    let ada = read_feed(&site.output().join("researchers/ada/feed.xml"));
    let bob = read_feed(&site.output().join("researchers/bob/feed.xml"));

    assert_eq!(ada.title, "Works by Ada Lovelace");
    assert_eq!(titles(&ada), [TRICKY_TITLE, "Month only", "Year only"]);
    assert_eq!(ada.updated, "2024-05-17T00:00:00Z");
    assert_eq!(
        link_of(&ada, "self"),
        "https://example.org/~lab/researchers/ada/feed.xml"
    );
    assert_eq!(
        link_of(&ada, "alternate"),
        "https://example.org/~lab/researchers/ada/"
    );
    assert_eq!(titles(&bob), [TRICKY_TITLE, "Year only", "Older work"]);
}

#[test]
fn topic_feed_lists_its_works() {
    let site = feed_site();
    site.build();
    let feed = read_feed(&site.output().join("topics/interpretability/feed.xml"));

    assert_eq!(feed.title, "Publications on Interpretability");
    assert_eq!(titles(&feed), ["Month only", "Year only"]);
    assert_eq!(feed.updated, "2024-03-01T00:00:00Z");
    assert_eq!(
        link_of(&feed, "self"),
        "https://example.org/~lab/topics/interpretability/feed.xml"
    );
}

#[test]
fn researcher_without_works_has_empty_feed() {
    let site = feed_site();
    site.researcher("eve", "name: Eve Empty\n");
    site.build();
    let feed = read_feed(&site.output().join("researchers/eve/feed.xml"));

    assert!(feed.entries.is_empty());
    assert_eq!(feed.updated, "1970-01-01T00:00:00Z");
}

#[test]
fn feeds_keep_newest_fifty() {
    let site = Fixture::new();
    site.researcher("ada", "name: Ada Lovelace\n");
    for index in 0..55 {
        site.publication(
            &format!("p{index:02}"),
            &format!(
                "title: Work {index:02}\nauthors: [ada]\nyear: {}\ntopics: [Logic]\n",
                1950 + index
            ),
        );
    }
    site.build();

    for path in [
        "feed.xml",
        "researchers/ada/feed.xml",
        "topics/logic/feed.xml",
    ] {
        let feed = read_feed(&site.output().join(path));
        assert_eq!(feed.entries.len(), 50, "{path}");
        assert_eq!(feed.entries[0].title, "Work 54", "{path}");
        assert_eq!(feed.entries[49].title, "Work 05", "{path}");
        assert_eq!(feed.updated, "2004-01-01T00:00:00Z", "{path}");
    }
}

#[test]
fn feeds_without_base_url_use_paths() {
    let site = feed_site();
    site.file("site.yaml", "base_url: /lab/\n");
    site.build();
    let feed = read_feed(&site.output().join("feed.xml"));

    assert_eq!(link_of(&feed, "self"), "/lab/feed.xml");
    assert_eq!(link_of(&feed, "alternate"), "/lab/");
    assert_eq!(feed.entries[0].link, "/lab/publications/tricky/");
    assert_eq!(feed.id, "tag:research-profiles.invalid,2000:/lab/feed.xml");
    assert_eq!(
        feed.entries[0].id,
        "tag:research-profiles.invalid,2000:/lab/publications/tricky/"
    );
}

#[test]
fn sitemap_lists_every_html_page() {
    let site = feed_site();
    site.build();
    let output = site.output();
    let urls = locs(&read(&output.join("sitemap.xml")));

    let expected: BTreeSet<String> = html_files(&output)
        .into_iter()
        .filter(|file| file != "404.html")
        .map(|file| format!("{BASE}{}", file.strip_suffix("index.html").unwrap_or(&file)))
        .collect();
    let listed: BTreeSet<String> = urls.iter().cloned().collect();
    assert_eq!(listed.len(), urls.len(), "the sitemap repeats a URL");
    assert_eq!(listed, expected);
    assert!(listed.contains("https://example.org/~lab/"));
    assert!(!output.join("sitemap-1.xml").exists());
}

#[test]
fn sitemap_dates_publication_pages() {
    let site = feed_site();
    site.build();
    let urls = sitemap_urls(&read(&site.output().join("sitemap.xml")));
    let lastmod = |loc: &str| {
        urls.iter()
            .find(|(l, _)| l == loc)
            .unwrap_or_else(|| panic!("{loc} is not in the sitemap"))
            .1
            .clone()
    };

    let tricky = lastmod("https://example.org/~lab/publications/tricky/");
    let month = lastmod("https://example.org/~lab/publications/month/");
    let year = lastmod("https://example.org/~lab/publications/year-only/");
    assert_eq!(tricky.as_deref(), Some("2024-05-17"));
    assert_eq!(month.as_deref(), Some("2024-03-01"));
    assert_eq!(year.as_deref(), Some("2023-01-01"));
    assert_eq!(lastmod("https://example.org/~lab/researchers/ada/"), None);
}

/// Loads the fixture into the model, as a build does before rendering.
fn load(site: &Fixture) -> (vita::model::Site, vita::render::theme::Theme) {
    match vita::build::load(&site.options()) {
        Ok((model, theme, _warnings)) => (model, theme),
        Err(err) => panic!("the fixture does not load: {err:?}"),
    }
}

#[test]
fn sitemap_splits_at_url_limit() {
    let site = feed_site();
    site.build();
    let single = locs(&read(&site.output().join("sitemap.xml")));
    assert_eq!(single.len(), 14);
    let (model, _) = load(&site);

    let files = sitemap::sitemaps(&model, 5, sitemap::MAX_BYTES);

    let targets: Vec<&str> = files.iter().map(|f| f.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "sitemap-1.xml",
            "sitemap-2.xml",
            "sitemap-3.xml",
            "sitemap.xml"
        ]
    );
    let index = parse(&files[3].html, "the sitemap index");
    let root = index.root_element();
    assert!(is(&root, SITEMAP, "sitemapindex"), "{:?}", root.tag_name());
    let parts: Vec<String> = children(root, SITEMAP, "sitemap")
        .map(|entry| only_text(entry, SITEMAP, "loc"))
        .collect();
    assert_eq!(
        parts,
        [
            "https://example.org/~lab/sitemap-1.xml",
            "https://example.org/~lab/sitemap-2.xml",
            "https://example.org/~lab/sitemap-3.xml",
        ]
    );
    let counts: Vec<usize> = files[..3].iter().map(|f| locs(&f.html).len()).collect();
    assert_eq!(counts, [5, 5, 4]);
    let joined: Vec<String> = files[..3].iter().flat_map(|f| locs(&f.html)).collect();
    assert_eq!(joined, single);
}

#[test]
fn sitemap_splits_at_byte_limit() {
    let site = feed_site();
    site.build();
    let single_text = read(&site.output().join("sitemap.xml"));
    let single = locs(&single_text);
    let (model, _) = load(&site);
    let max_bytes = 400;
    assert!(single_text.len() > 2 * max_bytes);

    let files = sitemap::sitemaps(&model, sitemap::MAX_URLS, max_bytes);

    let (index, parts) = files.split_last().expect("files");
    assert_eq!(index.target, "sitemap.xml");
    assert!(parts.len() >= 3, "{} parts", parts.len());
    for part in parts {
        assert!(
            part.html.len() <= max_bytes,
            "{} has {} bytes",
            part.target,
            part.html.len()
        );
    }
    let joined: Vec<String> = parts.iter().flat_map(|f| locs(&f.html)).collect();
    assert_eq!(joined, single);
}

#[test]
fn robots_txt_names_sitemap() {
    let site = feed_site();
    site.build();

    assert_eq!(
        read(&site.output().join("robots.txt")),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/~lab/sitemap.xml\n"
    );
}

#[test]
fn robots_txt_without_base_url() {
    let site = feed_site();
    site.file("site.yaml", "base_url: /lab/\n");
    site.build();
    let robots = read(&site.output().join("robots.txt"));

    assert!(robots.starts_with("User-agent: *\nAllow: /\n"), "{robots}");
    assert!(!robots.contains("Sitemap:"), "{robots}");
    assert!(robots.contains("# /lab/sitemap.xml\n"), "{robots}");
    let urls = locs(&read(&site.output().join("sitemap.xml")));
    assert_eq!(urls[0], "/lab/");
}

#[test]
fn rebuild_gives_identical_files() {
    let site = feed_site();
    let first = site.root().join("first");
    let second = site.root().join("second");
    let options = |output: &PathBuf| BuildOptions {
        output: Some(output.clone()),
        ..site.options()
    };

    site.build_with(options(&first));
    // A feed that used the build time would differ after a second.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    site.build_with(options(&second));

    let first_files = published_files(&first);
    let names: Vec<&str> = first_files.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.contains(&"feed.xml"), "{names:?}");
    assert!(names.contains(&"sitemap.xml"), "{names:?}");
    assert!(names.contains(&"researchers/ada/feed.xml"), "{names:?}");
    assert_eq!(first_files, published_files(&second));
}

#[test]
fn pages_link_site_feed() {
    let site = feed_site();
    site.build();
    let output = site.output();

    for file in html_files(&output) {
        let page = site.page(&file);
        let feeds = page.attrs(
            r#"head link[rel="alternate"][type="application/atom+xml"]"#,
            "href",
        );
        assert!(
            feeds.contains(&"/~lab/feed.xml".to_owned()),
            "{file}: {feeds:?}"
        );
        for href in feeds {
            let target = href.strip_prefix("/~lab/").expect("under the base path");
            assert!(output.join(target).is_file(), "{file} links {href}");
        }
    }
}

#[test]
fn researcher_page_links_feed() {
    let site = feed_site();
    site.build();
    let page = site.page("researchers/ada/index.html");

    let css = r#"head link[rel="alternate"][type="application/atom+xml"]"#;
    assert_eq!(
        page.attrs(css, "href"),
        ["/~lab/feed.xml", "/~lab/researchers/ada/feed.xml"]
    );
    assert_eq!(
        page.attrs(css, "title"),
        [r#"Lab & "Friends" <Zürich>"#, "Works by Ada Lovelace"]
    );
    let follow: Vec<String> = page
        .texts("main a")
        .into_iter()
        .filter(|text| text.starts_with("Follow"))
        .collect();
    assert_eq!(follow.len(), 1, "{follow:?}");
    assert_eq!(
        page.attrs("main .actions .follow a", "href"),
        ["/~lab/researchers/ada/feed.xml"]
    );
}

#[test]
fn topic_page_links_feed() {
    let site = feed_site();
    site.build();
    let page = site.page("topics/game-theory/index.html");

    let css = r#"head link[rel="alternate"][type="application/atom+xml"]"#;
    assert_eq!(
        page.attrs(css, "href"),
        ["/~lab/feed.xml", "/~lab/topics/game-theory/feed.xml"]
    );
    assert_eq!(page.attrs(css, "title")[1], "Publications on Game Theory");
}

/// Returns the `content` of the one `<meta property>` tag, and panics unless there is one.
fn og(page: &common::Page, property: &str) -> String {
    let values = page.attrs(&format!(r#"head meta[property="{property}"]"#), "content");
    assert_eq!(values.len(), 1, "{property}: {values:?}");
    values[0].clone()
}

#[test]
fn pages_have_open_graph_tags() {
    let site = feed_site();
    site.build();

    for file in html_files(&site.output()) {
        let page = site.page(&file);
        let expected_type = if file.starts_with("researchers/") && file != "researchers/index.html"
        {
            "profile"
        } else if file.starts_with("publications/") && file != "publications/index.html" {
            "article"
        } else {
            "website"
        };
        assert_eq!(og(&page, "og:type"), expected_type, "{file}");
        assert_eq!(
            og(&page, "og:url"),
            page.attrs(r#"link[rel="canonical"]"#, "href")[0],
            "{file}"
        );
        assert_eq!(
            og(&page, "og:description"),
            page.attrs(r#"meta[name="description"]"#, "content")[0],
            "{file}"
        );
        assert_eq!(og(&page, "og:site_name"), r#"Lab & "Friends" <Zürich>"#);
        assert!(!og(&page, "og:title").is_empty(), "{file}");
    }
    let publication = site.page("publications/tricky/index.html");
    assert_eq!(og(&publication, "og:title"), TRICKY_TITLE);
    assert_eq!(
        og(&publication, "og:url"),
        "https://example.org/~lab/publications/tricky/"
    );
    let researcher = site.page("researchers/ada/index.html");
    assert_eq!(og(&researcher, "og:title"), "Ada Lovelace");
}

#[test]
fn partial_render_selects_feeds() {
    let site = feed_site();
    let (model, theme) = load(&site);

    let pages = render::render_pages(&model, &theme, |key| key == PageKey::Researcher("ada"))
        .expect("the pages render");

    let targets: BTreeSet<&str> = pages.iter().map(|p| p.target.as_str()).collect();
    assert!(targets.contains("researchers/ada/feed.xml"), "{targets:?}");
    assert!(!targets.contains("researchers/bob/feed.xml"));
    assert!(!targets.contains("feed.xml"));
    assert!(!targets.contains("sitemap.xml"));
    assert!(!targets.contains("robots.txt"));
    assert!(!targets.contains("topics/game-theory/feed.xml"));
}

#[test]
fn check_accepts_feed_links() {
    let site = feed_site();
    let errors: Vec<String> = site
        .check()
        .into_iter()
        .filter(|line| line.contains("error"))
        .collect();

    assert!(errors.is_empty(), "{errors:#?}");
}

/// Runs Python's `feedparser` over `feed` and returns `bozo` with its exception, the
/// entry count and the entry titles, as JSON.
fn feedparser(feed: &Path) -> serde_json::Value {
    let script = "import json, sys, feedparser\n\
                  d = feedparser.parse(sys.argv[1])\n\
                  print(json.dumps({'bozo': int(d.bozo), \
                  'exception': str(d.get('bozo_exception', '')), \
                  'entries': len(d.entries), \
                  'titles': [e.title for e in d.entries]}))\n";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(feed)
        .output()
        .unwrap_or_else(|err| {
            panic!("cannot run python3: {err}; install Python 3, then run `pip install feedparser`")
        });
    assert!(
        output.status.success(),
        "feedparser failed on {}: {}",
        feed.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        let stdout = String::from_utf8_lossy(&output.stdout);
        panic!("the feedparser script printed no JSON ({err}): {stdout}")
    })
}

#[test]
fn feedparser_reads_example_feeds() {
    let available = Command::new("python3")
        .args(["-c", "import feedparser"])
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        available,
        "Python's feedparser is missing; run `pip install feedparser` (or \
         `python3 -m pip install feedparser`) and run the tests again"
    );

    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    let temporary = tempfile::tempdir().expect("create a temporary folder");
    // With a path as base URL, links are paths and ids are `tag:` URIs.
    for (folder, base_url) in [("absolute", "https://example.org/lab/"), ("paths", "/lab/")] {
        let output = temporary.path().join(folder);
        let options = BuildOptions {
            root: example.to_path_buf(),
            output: Some(output.clone()),
            base_url: Some(base_url.to_owned()),
        };
        vita::build(&options).unwrap_or_else(|err| panic!("the example site fails: {err:?}"));
        let (model, _, _) = vita::build::load(&options).expect("the example site loads");

        let mut feeds = vec![(output.join("feed.xml"), model.publications.len())];
        for researcher in &model.researchers {
            let path = output.join(format!("researchers/{}/feed.xml", researcher.id));
            feeds.push((path, researcher.publications.len()));
        }
        for topic in &model.topics {
            let path = output.join(format!("topics/{}/feed.xml", topic.slug));
            feeds.push((path, topic.publications.len()));
        }
        for (path, works) in feeds {
            let parsed = feedparser(&path);
            let ours: Vec<serde_json::Value> = titles(&read_feed(&path))
                .into_iter()
                .map(serde_json::Value::from)
                .collect();
            assert_eq!(
                parsed["bozo"],
                0,
                "{}: {}",
                path.display(),
                parsed["exception"]
            );
            assert_eq!(parsed["entries"], works.min(50), "{}", path.display());
            assert_eq!(
                parsed["titles"],
                serde_json::Value::from(ours),
                "{}",
                path.display()
            );
        }
        let site_feed = feedparser(&output.join("feed.xml"));
        let titles = site_feed["titles"].as_array().expect("a list of titles");
        assert!(
            titles.contains(&"Attributing Emergence in Million-Agent Systems".into()),
            "{titles:?}"
        );
    }
}

/// Validates XML files against `tests/schemas/sitemap.xsd` with Python's lxml and
/// returns the problems lxml reports, one line per file.
fn schema_problems(files: &[std::path::PathBuf]) -> Vec<String> {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sitemap.xsd");
    let script = "import sys\n\
                  from lxml import etree\n\
                  schema = etree.XMLSchema(etree.parse(sys.argv[1]))\n\
                  for path in sys.argv[2:]:\n\
                  \x20   if not schema.validate(etree.parse(path)):\n\
                  \x20       print(path, schema.error_log.last_error)\n";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(&schema)
        .args(files)
        .output()
        .unwrap_or_else(|err| panic!("cannot run python3: {err}; install Python 3 and lxml"));
    assert!(
        output.status.success(),
        "the schema check failed to run; install lxml with `python3 -m pip install lxml`:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn sitemaps_match_protocol_schema() {
    let output = tempfile::tempdir().expect("create a temporary folder");
    let options = vita::BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        output: Some(output.path().join("site")),
        base_url: None,
    };
    vita::build(&options).expect("the example site builds");
    let sitemap = output.path().join("site/sitemap.xml");
    assert_eq!(schema_problems(&[sitemap]), Vec::<String>::new());

    let site = feed_site();
    site.build();
    let (model, _theme, _warnings) = vita::build::load(&site.options()).expect("the fixture loads");
    let split = vita::publish::sitemap::sitemaps(&model, 2, 50 * 1024 * 1024);
    assert!(split.len() > 2, "a limit of two URLs splits the sitemap");
    let folder = tempfile::tempdir().expect("create a temporary folder");
    let mut paths = Vec::new();
    for file in &split {
        let path = folder.path().join(&file.target);
        std::fs::write(&path, &file.html).expect("write the sitemap");
        paths.push(path);
    }
    assert_eq!(schema_problems(&paths), Vec::<String>::new());
}
