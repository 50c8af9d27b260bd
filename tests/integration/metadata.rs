//! Metadata for scholarly indexers: Highwire Press tags and schema.org JSON-LD, read
//! back from the built pages by parsing them.

use scraper::{Html, Selector};
use serde_json::Value;

use crate::common::{Fixture, Page};

const ADA: &str = "name: Ada Lovelace\nidentifiers:\n  orcid: 0000-0002-1825-0097\n  github: ada\n\
                   affiliations:\n  - name: Analytical Society\n    url: https://example.org/society\n\
                   topics: [Engines]\n";

const PAPER: &str = "title: 'Notes on the Engine'\nauthors:\n  - ada\n  - Charles Babbage\n  - { name: Mary Somerville }\n\
                     date: 2024-05-17\ntype: article\nvenue: Journal of Engines\nvolume: 12\nissue: 3\npages: 101--117\n\
                     publisher: Society Press\ntopics: [Engines, Computing]\nabstract: The engine computes $x_i$.\n\
                     links:\n  doi: https://doi.org/10.1000/engine.1\n  arxiv: 2103.10230\n  pdf: /papers/engine.pdf\n";

fn site() -> Fixture {
    let fixture = Fixture::new();
    fixture.file("site.yaml", "base_url: https://example.org/lab/\n");
    fixture.researcher("ada", ADA);
    fixture.publication("engine", PAPER);
    fixture.file("content/static/papers/engine.pdf", "%PDF-1.4\n");
    fixture
}

/// Returns the `(name, content)` pairs of every `meta[name^=citation_]`, in order.
fn highwire(page: &Page) -> Vec<(String, String)> {
    let selector = Selector::parse("meta[name^=citation_]").expect("valid selector");
    page.document
        .select(&selector)
        .map(|meta| {
            let name = meta.value().attr("name").unwrap_or_default().to_owned();
            let content = meta.value().attr("content").unwrap_or_default().to_owned();
            (name, content)
        })
        .collect()
}

fn json_ld(page: &Page) -> Value {
    let selector = Selector::parse("script[type='application/ld+json']").expect("valid selector");
    let scripts: Vec<String> = page
        .document
        .select(&selector)
        .map(|script| script.text().collect())
        .collect();
    assert_eq!(scripts.len(), 1, "one JSON-LD block");
    serde_json::from_str(&scripts[0])
        .unwrap_or_else(|err| panic!("JSON-LD parses: {err}\n{}", scripts[0]))
}

#[test]
fn highwire_tags_in_order() {
    let fixture = site();
    fixture.build();
    let page = fixture.page("publications/engine/index.html");
    let expected = [
        ("citation_title", "Notes on the Engine"),
        ("citation_author", "Ada Lovelace"),
        ("citation_author", "Charles Babbage"),
        ("citation_author", "Mary Somerville"),
        ("citation_publication_date", "2024/05/17"),
        ("citation_journal_title", "Journal of Engines"),
        ("citation_volume", "12"),
        ("citation_issue", "3"),
        ("citation_publisher", "Society Press"),
        ("citation_firstpage", "101"),
        ("citation_lastpage", "117"),
        ("citation_arxiv_id", "2103.10230"),
        ("citation_doi", "10.1000/engine.1"),
        (
            "citation_pdf_url",
            "https://example.org/lab/papers/engine.pdf",
        ),
        ("citation_keywords", "Engines"),
        ("citation_keywords", "Computing"),
        (
            "citation_abstract_html_url",
            "https://example.org/lab/publications/engine/",
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(name, content)| ((*name).to_owned(), (*content).to_owned()))
        .collect();
    assert_eq!(highwire(&page), expected);
}

#[test]
fn venue_tag_follows_type() {
    let fixture = site();
    fixture.publication(
        "talk",
        "title: T\nauthors: [ada]\nyear: 2020\ntype: conference\nvenue: EngineConf\n",
    );
    fixture.publication(
        "thesis",
        "title: T2\nauthors: [ada]\nyear: 2019\ntype: thesis\nvenue: Uni\n",
    );
    fixture.build();
    let conference = highwire(&fixture.page("publications/talk/index.html"));
    assert!(conference.contains(&(
        "citation_conference_title".to_owned(),
        "EngineConf".to_owned()
    )));
    let thesis = highwire(&fixture.page("publications/thesis/index.html"));
    assert!(thesis.contains(&(
        "citation_dissertation_institution".to_owned(),
        "Uni".to_owned()
    )));
}

#[test]
fn pdf_elsewhere_gets_no_pdf_tag() {
    let fixture = site();
    fixture.publication(
        "remote",
        "title: R\nauthors: [ada]\nyear: 2020\nlinks:\n  pdf: https://other.example.com/r.pdf\n",
    );
    fixture.build();
    let tags = highwire(&fixture.page("publications/remote/index.html"));
    assert!(
        tags.iter().all(|(name, _)| name != "citation_pdf_url"),
        "{tags:?}"
    );
}

#[test]
fn article_json_ld_has_people_and_ids() {
    let fixture = site();
    fixture.build();
    let article = json_ld(&fixture.page("publications/engine/index.html"));
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["@type"], "ScholarlyArticle");
    assert_eq!(article["headline"], "Notes on the Engine");
    assert_eq!(article["datePublished"], "2024-05-17");
    assert_eq!(
        article["url"],
        "https://example.org/lab/publications/engine/"
    );
    assert_eq!(article["abstract"], "The engine computes $x_i$.");

    let authors = article["author"].as_array().expect("an author list");
    let names: Vec<&str> = authors
        .iter()
        .map(|a| a["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        ["Ada Lovelace", "Charles Babbage", "Mary Somerville"]
    );
    assert!(authors.iter().all(|a| a["@type"] == "Person"));
    let same_as: Vec<&str> = authors[0]["sameAs"]
        .as_array()
        .expect("sameAs for a known researcher")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        same_as.contains(&"https://orcid.org/0000-0002-1825-0097"),
        "{same_as:?}"
    );
    assert!(
        same_as.contains(&"https://example.org/lab/researchers/ada/"),
        "{same_as:?}"
    );
    assert!(
        authors[1].get("sameAs").is_none(),
        "no sameAs for an unknown author"
    );

    let identifiers = article["identifier"].as_array().expect("identifiers");
    let pairs: Vec<(&str, &str)> = identifiers
        .iter()
        .map(|id| {
            (
                id["propertyID"].as_str().unwrap_or_default(),
                id["value"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert!(pairs.contains(&("DOI", "10.1000/engine.1")), "{pairs:?}");
    assert!(pairs.contains(&("arXiv", "2103.10230")), "{pairs:?}");
}

#[test]
fn profile_json_ld_describes_person() {
    let fixture = site();
    fixture.build();
    let profile = json_ld(&fixture.page("researchers/ada/index.html"));
    assert_eq!(profile["@type"], "ProfilePage");
    let person = &profile["mainEntity"];
    assert_eq!(person["@type"], "Person");
    assert_eq!(person["name"], "Ada Lovelace");
    assert_eq!(person["affiliation"][0]["name"], "Analytical Society");
    let same_as: Vec<&str> = person["sameAs"]
        .as_array()
        .expect("sameAs")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        same_as,
        [
            "https://orcid.org/0000-0002-1825-0097",
            "https://github.com/ada"
        ]
    );
    let knows: Vec<&str> = person["knowsAbout"]
        .as_array()
        .expect("knowsAbout")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(knows, ["Engines", "Computing"]);
}

#[test]
fn hostile_title_cannot_break_out() {
    // Backslashes make the tags literal text in Markdown, so the title the reader sees
    // contains them. The raw `<b>` stays markup and is removed by the sanitizer.
    let source = r#"Quotes " and & and 1 < 2 <b>bold</b> \</script>\<script>alert(1)\</script>"#;
    let title = r#"Quotes " and & and 1 < 2 bold </script><script>alert(1)</script>"#;
    let fixture = site();
    fixture.publication(
        "hostile",
        &format!(
            "title: '{}'\nauthors: [ada]\nyear: 2020\n",
            source.replace('\'', "''")
        ),
    );
    fixture.build();
    let page = fixture.page("publications/hostile/index.html");

    let tags = highwire(&page);
    assert_eq!(
        tags[0],
        ("citation_title".to_owned(), title.to_owned()),
        "the title survives in the tag"
    );
    let article = json_ld(&page);
    assert_eq!(article["headline"], title, "the title survives in JSON-LD");

    let document = Html::parse_document(&page.source);
    let scripts = Selector::parse("script").expect("valid selector");
    for script in document.select(&scripts) {
        let text: String = script.text().collect();
        assert!(
            !text.contains("alert(1)</script>"),
            "a script element was split: {text}"
        );
        let kind = script.value().attr("type").unwrap_or_default();
        assert!(
            kind == "application/ld+json" || !text.contains("alert"),
            "injected script: {text}"
        );
    }
    let titles = Selector::parse("title").expect("valid selector");
    let shown: String = document.select(&titles).flat_map(|t| t.text()).collect();
    assert!(shown.starts_with(title), "the <title> text: {shown}");
}
