//! Script-injection payloads in every text field of a site, checked against a twin site
//! with neutral text in the same fields.
//!
//! Both sites are built and every page is parsed. An element name or attribute name in
//! the hostile site must also occur in the twin, so it is one the theme writes. Every
//! URL must be http(s), mailto, a site path or a `#fragment`. Scripts other than JSON-LD
//! must have the same text as a script of the twin, JSON-LD must parse as JSON, and the
//! feeds must parse as XML with the HTML inside them passing the same checks.

use std::collections::BTreeSet;
use std::path::Path;

use scraper::{ElementRef, Html, Selector};

use crate::common::Fixture;

/// The text fields of the fixture, filled from one payload per field by `write_site`.
struct Fields<'a> {
    site_title: &'a str,
    site_description: &'a str,
    name: &'a str,
    alias: &'a str,
    headline: &'a str,
    topic: &'a str,
    affiliation_name: &'a str,
    affiliation_role: &'a str,
    bio: &'a str,
    title: &'a str,
    venue: &'a str,
    publisher: &'a str,
    author: &'a str,
    abstract_text: &'a str,
    /// A URL for `contact_url`, an affiliation `url`, and the `url` and `code` links.
    url: &'a str,
    email: &'a str,
    doi: &'a str,
    /// A value for each researcher identifier that accepts free text.
    identifier: &'a str,
    edit_url: &'a str,
}

/// Payloads that try every way out of their context: element content, attribute
/// values in both quote styles, URLs, Markdown links, raw HTML, JSON and XML.
const HOSTILE: Fields<'static> = Fields {
    site_title: "Lab \"><script>alert('site')</script><pwnd data-pwnd=1>",
    site_description: "</title><script>alert(1)</script>' onmouseover='alert(1)",
    name: "Eve \"><img src=x onerror=alert(1)><pwnd>",
    alias: "Eve' onfocus='alert(1)' autofocus='",
    headline: "</script><script>alert(1)</script><!--",
    topic: "<svg onload=alert(1)>\"}]</script>",
    affiliation_name: "Uni <iframe src=\"javascript:alert(1)\"></iframe>",
    affiliation_role: "Chair <a href=\"javascript:alert(1)\">x</a> ]]> &lt;script&gt;",
    bio: "Hi <script>alert(1)</script> <img src=x onerror=alert(1)>\n\
          [x](javascript:alert(1)) [y](data:text/html,x) [z](//evil.example/)\n\
          <a href=\"vbscript:x\" onclick=\"alert(1)\" data-pwnd=\"1\">w</a> \
          <form action=\"https://evil.example/\"><input formaction=\"javascript:x\"></form>\n\
          <meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\"> \
          <base href=\"https://evil.example/\"> <style>*{}</style> <object data=\"x\"></object>\n\
          $\\operatorname{<b>x</b>}$ $\\text{<script>alert(1)</script>}$\n",
    title: "T <script>alert(1)</script> $\\operatorname{<b onclick=alert(1)>x</b>}$ \
            [l](javascript:alert(1)) <img src=x onerror=alert(1)>",
    venue: "Proc. <i onclick=alert(1)>A</i> & \"B\" </venue><pwnd/>",
    publisher: "Pub ]]></content><script>alert(1)</script>",
    author: "Mallory \"><script>alert(2)</script>",
    abstract_text: "<script>alert(1)</script> <img src=x onerror=alert(1)> \
                    [x](javascript:alert(1))\n\
                    <svg onload=alert(1)></svg> <a href=\"JaVaScRiPt:alert(1)\">z</a> \
                    <a href=\"&#106;avascript:alert(1)\">e</a> ![i](data:image/png;base64,AA)\n\n\
                    $a</annotation></semantics></math><script>alert(3)</script>$\n\
                    $\\operatorname{<b\\ onclick=alert(4)>}$ $\\operatorname{<b>x</b>}$ \
                    $\\href{javascript:alert(1)}{x}$ $\\style{color:red}{x}$\n",
    url: "https://example.org/a?q='onmouseover='alert(1)'&r=javascript:alert(1)#'onfocus='x",
    email: "o'neil+'onmouseover='alert(1)@example.org",
    doi: "10.1234/'><script>alert(1)</script>",
    identifier: "x/../../javascript",
    edit_url: "https://git.example/edit/{path}?x=javascript:alert(1)",
};

/// Neutral text that uses the same features: Markdown, raw HTML, math and links.
const NEUTRAL: Fields<'static> = Fields {
    site_title: "Lab",
    site_description: "The lab's profiles.",
    name: "Eve Example",
    alias: "E. Example",
    headline: "Studies graphs",
    topic: "Graphs",
    affiliation_name: "University",
    affiliation_role: "Chair",
    bio: "Hi <b>there</b>, *see* [x](https://example.org/) and <a href=\"/cv.pdf\">cv</a>.\n\n\
          $\\operatorname{rank}(x)$ and $$\\frac{a}{b}$$\n",
    title: "T $\\operatorname{x}$ <i>y</i> [l](https://example.org/)",
    venue: "Proc. A & B",
    publisher: "Pub",
    author: "Mallory Example",
    abstract_text: "Some <b>bold</b> text, *em* [x](https://example.org/) \
                    ![i](https://example.org/i.png)\n\n\
                    $a_1 + 2 \\cdot b$ $\\operatorname{x}$ $\\frac{a}{b}$ $\\text{t}$ $\\unknownmacro{x}$\n",
    url: "https://example.org/a",
    email: "eve@example.org",
    doi: "10.1234/abc",
    identifier: "eve",
    edit_url: "https://git.example/edit/{path}",
};

/// Writes a site whose every text field carries the value from `fields`.
fn write_site(fields: &Fields<'_>) -> Fixture {
    let site = Fixture::empty();
    let q = quoted;
    site.file(
        "site.yaml",
        &format!(
            "title: {}\ndescription: {}\nbase_url: https://example.org/\nedit_url: {}\n",
            q(fields.site_title),
            q(fields.site_description),
            q(fields.edit_url),
        ),
    );
    site.researcher(
        "eve",
        &format!(
            "name: {name}\naliases: [{alias}]\nheadline: {headline}\ntopics: [{topic}]\n\
             affiliations:\n  - name: {affiliation}\n    role: {role}\n    url: {url}\n\
             email: {email}\ncontact_url: {url}\nopen_to_collaborate: true\n\
             identifiers:\n  google_scholar: {id}\n  dblp: {id}\n  semantic_scholar: {id}\n  \
             openreview: {id}\n  github: {id}\n  homepage: {url}\n\
             bio: {bio}\n",
            name = q(fields.name),
            alias = q(fields.alias),
            headline = q(fields.headline),
            topic = q(fields.topic),
            affiliation = q(fields.affiliation_name),
            role = q(fields.affiliation_role),
            url = q(fields.url),
            email = q(fields.email),
            id = q(fields.identifier),
            bio = block(fields.bio),
        ),
    );
    site.publication(
        "paper",
        &format!(
            "title: {title}\nauthors: [eve, {author}]\ndate: 2024-03-01\ntype: article\n\
             venue: {venue}\npublisher: {publisher}\ntopics: [{topic}]\n\
             links:\n  doi: {doi}\n  url: {url}\n  code: {url}\n  pdf: /papers/x.pdf\n\
             abstract: {abstract_text}\n",
            title = q(fields.title),
            author = q(fields.author),
            venue = q(fields.venue),
            publisher = q(fields.publisher),
            topic = q(fields.topic),
            doi = q(fields.doi),
            url = q(fields.url),
            abstract_text = block(fields.abstract_text),
        ),
    );
    site
}

/// Writes `text` as a single-quoted YAML scalar.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Writes `text` as a literal YAML block scalar.
fn block(text: &str) -> String {
    let mut out = String::from("|\n");
    for line in text.lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Element names, attribute names and script texts found in a built site.
#[derive(Default)]
struct Markup {
    elements: BTreeSet<String>,
    attributes: BTreeSet<(String, String)>,
    scripts: BTreeSet<String>,
}

impl Markup {
    fn add_html(&mut self, html: &Html) {
        for element in elements(html) {
            let value = element.value();
            self.elements.insert(value.name().to_owned());
            for (attribute, _) in value.attrs() {
                self.attributes
                    .insert((value.name().to_owned(), attribute.to_owned()));
            }
            if value.name() == "script" && value.attr("type") != Some("application/ld+json") {
                self.scripts.insert(element.text().collect());
            }
        }
    }
}

fn elements(html: &Html) -> impl Iterator<Item = ElementRef<'_>> {
    html.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .chain(std::iter::once(html.root_element()))
}

/// Lists the files under `dir` with the given extension, as (relative path, text).
fn files_with_extension(dir: &Path, extension: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("walk the output"))
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| entry.path().extension().is_some_and(|e| e == extension))
        .map(|entry| {
            let relative = entry.path().strip_prefix(dir).expect("inside dir");
            let text = std::fs::read_to_string(entry.path()).expect("read output file");
            (relative.display().to_string(), text)
        })
        .collect();
    files.sort();
    files
}

/// Returns the HTML documents of a built site: every page, and the HTML inside feeds.
fn html_documents(output: &Path) -> Vec<(String, Html)> {
    let mut documents: Vec<(String, Html)> = files_with_extension(output, "html")
        .into_iter()
        .map(|(path, text)| (path, Html::parse_document(&text)))
        .collect();
    for (path, xml) in feeds(output) {
        let document = roxmltree::Document::parse(&xml)
            .unwrap_or_else(|err| panic!("{path} is not well-formed XML: {err}"));
        let html_nodes = document.descendants().filter(|node| {
            node.attribute("type") == Some("html")
                || matches!(node.tag_name().name(), "description" | "encoded")
        });
        for node in html_nodes {
            let text = node.text().unwrap_or_default();
            let name = format!("{path} <{}>", node.tag_name().name());
            documents.push((name, Html::parse_fragment(text)));
        }
    }
    documents
}

/// Returns the XML files of a built site: feeds and the sitemap.
fn feeds(output: &Path) -> Vec<(String, String)> {
    files_with_extension(output, "xml")
}

/// Returns whether `url` is one the theme may link to: http(s), mailto, a site path
/// or a fragment.
fn is_allowed_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_allowed = ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme));
    let site_path = lower.starts_with('/') && !lower.starts_with("//");
    scheme_allowed || site_path || lower.starts_with('#')
}

/// Attributes whose value is a URL.
const URL_ATTRIBUTES: [&str; 8] = [
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "cite",
    "data",
    "xlink:href",
];

fn hostile_and_neutral() -> (Fixture, Fixture) {
    let hostile = write_site(&HOSTILE);
    let neutral = write_site(&NEUTRAL);
    hostile.build();
    neutral.build();
    (hostile, neutral)
}

#[test]
fn injection_adds_no_markup() {
    let (hostile, neutral) = hostile_and_neutral();
    let mut expected = Markup::default();
    for (_, document) in html_documents(&neutral.output()) {
        expected.add_html(&document);
    }
    let documents = html_documents(&hostile.output());
    assert!(documents.len() > 5, "only {} documents", documents.len());
    // The payloads reach the pages as text, so the checks below see them.
    let profile = hostile.page("researchers/eve/index.html");
    assert!(
        profile.source.contains("&lt;pwnd&gt;"),
        "the name payload is missing from the profile page"
    );
    for (path, document) in &documents {
        let mut found = Markup::default();
        found.add_html(document);
        let elements: Vec<_> = found.elements.difference(&expected.elements).collect();
        assert!(
            elements.is_empty(),
            "elements in {path} that the theme does not write: {elements:?}"
        );
        let attributes: Vec<_> = found.attributes.difference(&expected.attributes).collect();
        assert!(
            attributes.is_empty(),
            "(element, attribute) pairs in {path} that the theme does not write: {attributes:?}"
        );
        let scripts: Vec<_> = found.scripts.difference(&expected.scripts).collect();
        assert!(
            scripts.is_empty(),
            "scripts in {path} that are not the theme's: {scripts:?}"
        );
    }
}

#[test]
fn injection_adds_no_urls() {
    let (hostile, _) = hostile_and_neutral();
    for (path, document) in html_documents(&hostile.output()) {
        for element in elements(&document) {
            for (attribute, value) in element.value().attrs() {
                assert!(
                    !attribute.to_ascii_lowercase().starts_with("on"),
                    "event handler {attribute} in {path}"
                );
                if URL_ATTRIBUTES.contains(&attribute) {
                    assert!(
                        is_allowed_url(value),
                        "{attribute}={value:?} on <{}> in {path}",
                        element.value().name()
                    );
                }
                if attribute == "srcset" {
                    panic!("srcset={value:?} in {path}");
                }
            }
        }
    }
}

#[test]
fn injection_keeps_json_ld_valid() {
    let (hostile, _) = hostile_and_neutral();
    let selector = Selector::parse("script[type='application/ld+json']").expect("selector");
    let mut checked = 0;
    for (path, text) in files_with_extension(&hostile.output(), "html") {
        let document = Html::parse_document(&text);
        for script in document.select(&selector) {
            let data: String = script.text().collect();
            let parsed: Result<serde_json::Value, _> = serde_json::from_str(&data);
            assert!(parsed.is_ok(), "JSON-LD in {path} does not parse: {data}");
            assert!(
                !data.to_ascii_lowercase().contains("</script"),
                "JSON-LD in {path} closes its script element: {data}"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no JSON-LD found");
}

#[test]
fn injection_keeps_feeds_well_formed() {
    let (hostile, neutral) = hostile_and_neutral();
    let element_names = |output: &Path| {
        let mut names = BTreeSet::new();
        for (path, xml) in feeds(output) {
            let document = roxmltree::Document::parse(&xml)
                .unwrap_or_else(|err| panic!("{path} is not well-formed XML: {err}"));
            for node in document.descendants().filter(|node| node.is_element()) {
                names.insert(node.tag_name().name().to_owned());
            }
        }
        names
    };
    let expected = element_names(&neutral.output());
    let found = element_names(&hostile.output());
    assert!(!found.is_empty(), "no feeds found");
    let unexpected: Vec<_> = found.difference(&expected).collect();
    assert!(
        unexpected.is_empty(),
        "feed elements that the feed writer does not write: {unexpected:?}"
    );
}

#[test]
fn injection_in_checked_fields_rejected() {
    let site = Fixture::new();
    site.researcher(
        "eve",
        "name: Eve\nemail: 'eve\"><script>alert(1)</script>@example.org'\n\
         contact_url: 'https://example.org/\"onmouseover=\"alert(1)'\n\
         identifiers:\n  github: 'x\"><script>alert(1)</script>'\n",
    );
    let errors = site.build_errors();
    let keys: Vec<&str> = errors
        .iter()
        .filter_map(|error| error.split("error: `").nth(1))
        .filter_map(|rest| rest.split('`').next())
        .collect();
    assert_eq!(
        keys,
        ["email", "contact_url", "identifiers.github"],
        "{errors:?}"
    );
}
