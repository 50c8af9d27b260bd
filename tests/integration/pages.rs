//! Pages of built fixture sites, checked by parsing their HTML.

use std::path::Path;

use scraper::{ElementRef, Html, Selector};
use vita::BuildOptions;
use vita::diagnostics::{Diagnostic, Severity};

use crate::common::{self, Fixture, Page};

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|err| panic!("selector {css}: {err:?}"))
}

/// Returns the link target of each author on a publication page, in page order.
fn author_links(page: &Page) -> Vec<Option<String>> {
    let items = selector("article.publication > header ol.authors > li");
    let link = selector("a");
    page.document
        .select(&items)
        .map(|item| {
            item.select(&link)
                .next()
                .and_then(|a| a.value().attr("href"))
                .map(str::to_owned)
        })
        .collect()
}

/// Returns the text of an element without the text inside `<math>` elements.
fn prose_text(element: ElementRef<'_>) -> String {
    let mut text = String::new();
    for node in element.descendants() {
        let Some(part) = node.value().as_text() else {
            continue;
        };
        let in_math = node.ancestors().any(|ancestor| {
            ancestor
                .value()
                .as_element()
                .is_some_and(|e| e.name() == "math")
        });
        if !in_math {
            text.push_str(part);
        }
    }
    text
}

/// Returns the prose text of the first element matching `css`.
fn prose_of(page: &Page, css: &str) -> String {
    let element = page
        .document
        .select(&selector(css))
        .next()
        .unwrap_or_else(|| panic!("no element matches {css}"));
    prose_text(element)
}

/// Returns the glyph text of each `<math>` element matching `css`, without its
/// TeX annotation.
fn math_glyphs(page: &Page, css: &str) -> Vec<String> {
    page.document
        .select(&selector(css))
        .map(|math| {
            let mut glyphs = String::new();
            for node in math.descendants() {
                let Some(part) = node.value().as_text() else {
                    continue;
                };
                let in_annotation = node.ancestors().any(|ancestor| {
                    ancestor
                        .value()
                        .as_element()
                        .is_some_and(|e| e.name() == "annotation")
                });
                if !in_annotation {
                    glyphs.push_str(part);
                }
            }
            glyphs
        })
        .collect()
}

fn parse_page(source: String) -> Page {
    Page {
        document: Html::parse_document(&source),
        source,
    }
}

fn read_page(path: &Path) -> Page {
    let source = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("read {}: {err}", path.display()));
    parse_page(source)
}

/// Parses every HTML file under `dir`, keyed by its path relative to `dir`.
fn html_pages(dir: &Path) -> Vec<(String, Page)> {
    common::tree(dir)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| {
            let source = String::from_utf8(bytes).expect("pages are UTF-8");
            (path, parse_page(source))
        })
        .collect()
}

/// Counts the subfolders of `dir` that contain an `index.html` page.
fn count_page_folders(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("list {}: {err}", dir.display()))
        .map(|entry| entry.expect("read a folder entry").path())
        .filter(|path| path.join("index.html").is_file())
        .count()
}

/// Returns every `(element, attribute, value)` in the page.
fn all_attributes(page: &Page) -> Vec<(String, String, String)> {
    page.document
        .select(&selector("*"))
        .flat_map(|element| {
            let name = element.value().name().to_owned();
            element
                .value()
                .attrs()
                .map(move |(attribute, value)| {
                    (name.clone(), attribute.to_owned(), value.to_owned())
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Returns the `dt` and `dd` texts of the researcher page's counts list.
fn counts(page: &Page) -> Vec<(String, String)> {
    let terms = page.texts("dl.counts dt");
    let values = page.texts("dl.counts dd");
    terms.into_iter().zip(values).collect()
}

fn count_of(page: &Page, term: &str) -> Option<usize> {
    counts(page)
        .into_iter()
        .find(|(name, _)| name == term)
        .map(|(_, value)| {
            value
                .parse()
                .unwrap_or_else(|_| panic!("count {term} is not a number: {value}"))
        })
}

fn warnings_for<'a>(warnings: &'a [Diagnostic], file: &str) -> Vec<&'a Diagnostic> {
    warnings
        .iter()
        .filter(|w| w.severity == Severity::Warning && w.path.ends_with(file))
        .collect()
}

/// Researchers shared by the author-linking tests.
fn people() -> Fixture {
    let site = Fixture::new();
    site.researcher("ada", "name: Ada Byron\n")
        .researcher("bob", "name: Bob Stone\n")
        .researcher("qin", "name: Qin Zhang\naliases: [\"Q. Zhang\"]\n")
        .researcher("zoe", "name: Zoë Ängström\n")
        .researcher("theo", "name: Theo Lind\n");
    site
}

#[test]
fn authors_keep_written_order() {
    let site = people();
    site.publication(
        "p",
        "title: Order\nyear: 2020\nauthors:\n  - Zed Quinn\n  - researcher: bob\n  - ada\n  - name: Mia Chen\n",
    );
    site.build();
    let page = site.page("publications/p/index.html");
    let names = page.texts("article.publication > header ol.authors > li > :first-child");
    assert_eq!(
        names,
        ["Zed Quinn", "Bob Stone", "Ada Byron", "Mia Chen"],
        "authors are listed as written, ids shown as the researcher's name"
    );
    let links = author_links(&page);
    assert_eq!(links[0], None, "an unknown name has no link");
    assert_eq!(
        links[1].as_deref(),
        Some("/researchers/bob/"),
        "a map item links its researcher"
    );
    assert_eq!(
        links[2].as_deref(),
        Some("/researchers/ada/"),
        "an id links its researcher"
    );
    assert_eq!(links[3], None, "an unknown map name has no link");
}

#[test]
fn authors_link_by_id_name_alias() {
    let site = people();
    site.publication(
        "p",
        "title: Links\nyear: 2020\nauthors:\n  - ada\n  - Bob Stone\n  - Q. Zhang\n  - researcher: zoe\n  - name: Theo Lind\n  - name: B. Stone\n    researcher: bob\n",
    );
    site.build();
    let links = author_links(&site.page("publications/p/index.html"));
    let expected = [
        ("id", "/researchers/ada/"),
        ("exact name", "/researchers/bob/"),
        ("alias", "/researchers/qin/"),
        ("map researcher", "/researchers/zoe/"),
        ("map name", "/researchers/theo/"),
        ("map name and researcher", "/researchers/bob/"),
    ];
    assert_eq!(links.len(), expected.len(), "one list item per author");
    for (index, (case, href)) in expected.iter().enumerate() {
        assert_eq!(
            links[index].as_deref(),
            Some(*href),
            "author linked by {case}"
        );
    }
}

#[test]
fn author_names_fold_case_and_nfc() {
    let site = people();
    let decomposed = "zoe\u{308} a\u{308}ngstro\u{308}m";
    site.publication(
        "p",
        &format!(
            "title: Folding\nyear: 2020\nauthors:\n  - \"{decomposed}\"\n  - ZOË ÄNGSTRÖM\n  - \"qin  ZHANG\"\n"
        ),
    );
    site.build();
    let links = author_links(&site.page("publications/p/index.html"));
    assert_eq!(
        links[0].as_deref(),
        Some("/researchers/zoe/"),
        "a decomposed lowercase name links"
    );
    assert_eq!(
        links[1].as_deref(),
        Some("/researchers/zoe/"),
        "an uppercase name links"
    );
    assert_eq!(
        links[2].as_deref(),
        Some("/researchers/qin/"),
        "extra spaces and mixed case link"
    );
}

#[test]
fn shared_name_part_does_not_link() {
    let site = people();
    site.publication(
        "p",
        "title: Partial\nyear: 2020\nauthors:\n  - Theo A. Berg\n  - Mara Lind\n  - Theo\n  - Lind\n  - name: Ada\n",
    );
    site.build();
    let links = author_links(&site.page("publications/p/index.html"));
    for (index, written) in ["Theo A. Berg", "Mara Lind", "Theo", "Lind", "Ada"]
        .iter()
        .enumerate()
    {
        assert_eq!(links[index], None, "`{written}` must not link");
    }
}

#[test]
fn ambiguous_name_links_nobody() {
    let site = Fixture::new();
    site.researcher("wei-a", "name: Wei Zhang\n")
        .researcher("wei-b", "name: Wei Zhang\n")
        .publication(
            "p",
            "title: Twins\nyear: 2020\nauthors:\n  - Wei Zhang\n  - wei-b\n",
        );
    let report = site.build();
    let page = site.page("publications/p/index.html");
    assert_eq!(
        page.count("article.publication > header ol.authors > li:nth-child(1) a"),
        0,
        "a name shared by two researchers has no link"
    );
    assert_eq!(
        author_links(&page)[1].as_deref(),
        Some("/researchers/wei-b/"),
        "the id still links"
    );
    let warnings = warnings_for(&report.warnings, "publications/p.yaml");
    assert!(
        warnings.iter().any(|w| w.message.contains("ambiguous")),
        "the build warns about the ambiguous name: {warnings:?}"
    );
}

#[test]
fn mistyped_id_warns_and_stays_name() {
    let site = Fixture::new();
    site.researcher("zoe-angstrom", "name: Zoë Ängström\n")
        .publication(
            "p",
            "title: T\nyear: 2020\nauthors:\n  - zoe-angstrm\n  - plato\n",
        );
    let report = site.build();
    let page = site.page("publications/p/index.html");
    assert_eq!(author_links(&page), [None, None], "neither author links");
    let lines: Vec<String> = site.printed(&report.warnings);
    assert_eq!(
        lines,
        [
            "content/publications/p.yaml:4:3: warning: author `zoe-angstrm` looks like a researcher \
          id, but no researcher has it; did you mean `zoe-angstrom`? It is shown as a plain name"
        ],
        "one warning, none for a one-word name"
    );
}

/// Writes a site where one researcher has works over three years, shared co-authors
/// and one abstract.
fn profile_site() -> Fixture {
    let site = Fixture::new();
    site.researcher(
        "ada",
        "name: Ada Byron\nheadline: Studies analytical engines\nopen_to_collaborate: true\nfollowers: 12\ntopics: [Engines]\n",
    )
    .researcher(
        "bob",
        "name: Bob Stone\naffiliations:\n  - name: Institute of Looms\n",
    )
    .researcher("cy", "name: Cy Young\n")
    .researcher("dee", "name: Dee Park\n")
    .publication(
        "alpha",
        "title: Alpha\nyear: 2024\nauthors: [ada, cy, bob]\ntopics: [Engines, Looms]\n",
    )
    .publication(
        "beta",
        "title: Beta\nyear: 2024\nauthors: [ada, cy, Eve Unlisted]\ntopics: [Looms]\n",
    )
    .publication(
        "gamma",
        "title: Gamma\nyear: 2022\nauthors: [ada, cy, bob]\ntopics: [Cards]\n",
    )
    .publication(
        "delta",
        "title: Delta\nyear: 2019\nauthors: [ada, dee]\nabstract: An abstract about punched cards.\n",
    )
    .publication(
        "epsilon",
        "title: Epsilon\nyear: 2019\nauthors: [ada, Al Unlisted]\n",
    );
    site
}

#[test]
fn researcher_header_and_badges() {
    let site = profile_site();
    site.build();
    let ada = site.page("researchers/ada/index.html");
    assert_eq!(ada.texts("h1"), ["Ada Byron"], "name heading");
    assert_eq!(
        ada.texts(".profile-header p.headline"),
        ["Studies analytical engines"],
        "headline"
    );
    assert_eq!(
        ada.texts("p.affiliations.none"),
        ["Affiliation not listed"],
        "missing affiliation is stated"
    );
    assert_eq!(
        ada.count(".badge.collaborate"),
        1,
        "open-to-collaborate badge shown"
    );

    let bob = site.page("researchers/bob/index.html");
    assert_eq!(
        bob.texts("ul.affiliations li"),
        ["Institute of Looms"],
        "listed affiliation"
    );
    assert_eq!(
        bob.count("p.affiliations.none"),
        0,
        "no placeholder when an affiliation is listed"
    );
    assert_eq!(
        bob.count(".badge.collaborate"),
        0,
        "no badge without open_to_collaborate"
    );
}

#[test]
fn researcher_counts_match_lists() {
    let site = profile_site();
    site.build();
    let ada = site.page("researchers/ada/index.html");
    assert_eq!(
        count_of(&ada, "Works"),
        Some(ada.count(".works-section li.work")),
        "works count equals listed works"
    );
    assert_eq!(count_of(&ada, "Works"), Some(5), "five works");
    assert_eq!(
        count_of(&ada, "Topics"),
        Some(ada.count("ul.topics li")),
        "topics count equals listed topics"
    );
    assert_eq!(
        count_of(&ada, "Close collaborators"),
        Some(ada.count("ol.collaborators li")),
        "collaborators count equals listed collaborators"
    );
    assert_eq!(count_of(&ada, "Followers"), Some(12), "followers as given");

    let bob = site.page("researchers/bob/index.html");
    assert_eq!(
        count_of(&bob, "Followers"),
        None,
        "no followers count when not given"
    );
}

#[test]
fn collaborator_count_matches_truncated_list() {
    let site = Fixture::new();
    site.researcher("ada", "name: Ada Byron\n");
    let coauthors: Vec<String> = (1..=10).map(|n| format!("Person {n:02}")).collect();
    site.publication(
        "big",
        &format!(
            "title: Big\nyear: 2020\nauthors: [ada, {}]\n",
            coauthors.join(", ")
        ),
    );
    site.build();
    let ada = site.page("researchers/ada/index.html");
    let listed = ada.count("ol.collaborators li");
    assert!(listed < coauthors.len(), "the list is cut to a maximum");
    assert_eq!(
        count_of(&ada, "Close collaborators"),
        Some(listed),
        "count equals the listed collaborators"
    );
}

#[test]
fn collaborators_ranked_then_by_name() {
    let site = profile_site();
    site.build();
    let ada = site.page("researchers/ada/index.html");
    let joint = ada.texts("ol.collaborators li .count");
    let names: Vec<String> = ada
        .texts("ol.collaborators li")
        .into_iter()
        .zip(&joint)
        .map(|(item, count)| item.trim_end_matches(count.as_str()).trim().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "Cy Young",
            "Bob Stone",
            "Al Unlisted",
            "Dee Park",
            "Eve Unlisted"
        ],
        "ranked by joint works, ties by name"
    );
    assert_eq!(
        joint,
        [
            "3 joint works",
            "2 joint works",
            "1 joint work",
            "1 joint work",
            "1 joint work"
        ],
        "joint work counts"
    );
    assert_eq!(
        ada.attrs("ol.collaborators li a", "href"),
        ["/researchers/cy/", "/researchers/bob/", "/researchers/dee/"],
        "only researchers with pages are linked"
    );
}

#[test]
fn works_grouped_by_year_descending() {
    let site = profile_site();
    site.build();
    let ada = site.page("researchers/ada/index.html");
    assert_eq!(
        ada.texts(".works-section section.year > h3"),
        ["2024", "2022", "2019"],
        "years newest first"
    );
    let expected: [(&str, &[&str]); 3] = [
        ("2024", &["Alpha", "Beta"]),
        ("2022", &["Gamma"]),
        ("2019", &["Delta", "Epsilon"]),
    ];
    for (year, titles) in expected {
        let css =
            format!(".works-section section.year[aria-labelledby=\"year-{year}\"] .work-title");
        assert_eq!(ada.texts(&css), titles, "works of {year}");
    }
}

#[test]
fn abstract_inside_details() {
    let site = profile_site();
    site.build();
    let ada = site.page("researchers/ada/index.html");
    assert_eq!(
        ada.texts("li.work details.abstract > p"),
        ["An abstract about punched cards."],
        "the abstract sits in a details element"
    );
    assert_eq!(
        ada.texts("li.work details.abstract > summary"),
        ["Abstract"],
        "the details element has a summary"
    );
    let outside: Vec<String> = ada
        .texts("li.work > p")
        .into_iter()
        .filter(|text| text.contains("punched cards"))
        .collect();
    assert!(
        outside.is_empty(),
        "abstract text outside details: {outside:?}"
    );
}

/// Writes a site with every kind of internal link: avatar, affiliation, bio and
/// publication links.
fn sub_path_site(site_yaml: &str) -> Fixture {
    let site = Fixture::new();
    site.file("site.yaml", site_yaml)
        .file("content/static/avatars/ada.png", "not really a png")
        .researcher(
            "ada",
            concat!(
                "name: Ada Byron\n",
                "avatar: static/avatars/ada.png\n",
                "affiliations:\n  - name: Lab\n    url: /about/\n",
                "identifiers:\n  github: ada\n",
                "bio: |\n",
                "  See [my CV](/cv.pdf), <a href=\"/notes/\">notes</a> and ![plot](/img/plot.png).\n",
            ),
        )
        .publication(
            "graphs",
            concat!(
                "title: Graphs\nyear: 2021\nauthors: [ada, Bo Li]\ntopics: [Graph Theory]\n",
                "links:\n  pdf: /papers/graphs.pdf\n  doi: 10.1000/xyz\n",
                "abstract: |\n  Data at [the archive](/data/) and <a href=\"/raw/\">raw</a>.\n",
            ),
        )
        .publication(
            "trees",
            "title: Trees\nyear: 2020\nauthors: [ada]\ntopics: [Graph Theory]\n",
        );
    site
}

/// Checks every `href` and `src` of every page against the `/lab/` base path.
fn assert_links_under_lab(output: &Path) {
    let pages = html_pages(output);
    assert!(pages.len() > 5, "the site has pages");
    for (path, page) in &pages {
        for (element, attribute, value) in all_attributes(page) {
            if attribute != "href" && attribute != "src" {
                continue;
            }
            let context = format!("{path}: <{element} {attribute}=\"{value}\">");
            let after_scheme = value
                .strip_prefix("https://")
                .or_else(|| value.strip_prefix("http://"))
                .unwrap_or(&value);
            assert!(
                !after_scheme.contains("//"),
                "double slash after the scheme in {context}"
            );
            assert!(
                !value.contains("/labpublications"),
                "base path joined without a slash in {context}"
            );
            if value.starts_with('#') || value.starts_with("mailto:") {
                continue;
            }
            if let Some(on_site) = value.strip_prefix("https://example.org") {
                assert!(
                    on_site.starts_with("/lab/"),
                    "absolute site URL outside /lab/ in {context}"
                );
            } else if !value.starts_with("https://") && !value.starts_with("http://") {
                assert!(
                    value.starts_with("/lab/"),
                    "internal link outside /lab/ in {context}"
                );
            }
        }
    }
}

#[test]
fn sub_path_links_stay_under_base() {
    let without_slash = sub_path_site("base_url: https://example.org/lab\n");
    without_slash.build();
    assert_links_under_lab(&without_slash.output());

    let with_slash = sub_path_site("base_url: https://example.org/lab/\n");
    with_slash.build();
    assert_links_under_lab(&with_slash.output());

    let from_options = sub_path_site("title: Research profiles\n");
    let mut options = from_options.options();
    options.base_url = Some("https://example.org/lab".to_owned());
    from_options.build_with(options);
    assert_links_under_lab(&from_options.output());
}

#[test]
fn sub_path_builds_are_identical() {
    let without_slash = sub_path_site("base_url: https://example.org/lab\n");
    without_slash.build();
    let with_slash = sub_path_site("base_url: https://example.org/lab/\n");
    with_slash.build();
    let from_options = sub_path_site("title: Research profiles\n");
    let options = BuildOptions {
        base_url: Some("https://example.org/lab/".to_owned()),
        ..from_options.options()
    };
    from_options.build_with(options);

    let expected = common::tree(&without_slash.output());
    assert!(
        common::tree(&with_slash.output()) == expected,
        "a trailing slash on base_url changes the output"
    );
    assert!(
        common::tree(&from_options.output()) == expected,
        "BuildOptions.base_url gives a different output than site.yaml"
    );
}

#[test]
fn canonical_link_is_absolute() {
    let site = sub_path_site("base_url: https://example.org/lab\n");
    site.build();
    let cases = [
        ("index.html", "https://example.org/lab/"),
        (
            "researchers/ada/index.html",
            "https://example.org/lab/researchers/ada/",
        ),
        (
            "publications/graphs/index.html",
            "https://example.org/lab/publications/graphs/",
        ),
        (
            "topics/graph-theory/index.html",
            "https://example.org/lab/topics/graph-theory/",
        ),
    ];
    for (page, expected) in cases {
        assert_eq!(
            site.page(page).attrs("link[rel=canonical]", "href"),
            [expected],
            "canonical link of {page}"
        );
    }
}

fn topic_site() -> Fixture {
    let site = Fixture::new();
    site.publication(
        "one",
        "title: One\nyear: 2021\nauthors: [Ann Ray]\ntopics: [Jürgen Größ, 张伟, '!!!', '🚀', Deep Learning]\n",
    )
    .publication(
        "two",
        "title: Two\nyear: 2020\nauthors: [Ann Ray]\ntopics: ['???', deep-learning]\n",
    );
    site
}

/// Returns the topic folder that a publication page links for the topic `name`.
fn topic_folder(page: &Page, name: &str) -> String {
    let link = selector("ul.topics a");
    let href = page
        .document
        .select(&link)
        .find(|a| a.text().collect::<String>() == name)
        .and_then(|a| a.value().attr("href"))
        .unwrap_or_else(|| panic!("no topic link for {name}"));
    href.strip_prefix("/topics/")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("topic link {href} is not /topics/<slug>/"))
        .to_owned()
}

#[test]
fn topic_slugs_transliterate() {
    let site = topic_site();
    site.build();
    assert_eq!(
        site.page("topics/jurgen-gross/index.html").texts("h1"),
        ["Jürgen Größ"],
        "German topic page"
    );
    assert_eq!(
        site.page("topics/zhang-wei/index.html").texts("h1"),
        ["张伟"],
        "Chinese topic page"
    );
}

#[test]
fn symbol_topics_get_stable_folders() {
    let site = topic_site();
    site.build();
    let rebuilt = topic_site();
    rebuilt.build();

    // Each topic with the publication that lists it.
    let cases = [("!!!", "one"), ("🚀", "one"), ("???", "two")];
    let mut folders = Vec::new();
    for (name, publication) in cases {
        let page_path = format!("publications/{publication}/index.html");
        let folder = topic_folder(&site.page(&page_path), name);
        assert!(!folder.is_empty(), "topic {name} has an empty folder");
        assert!(
            folder
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "topic {name} folder `{folder}` is not URL-safe"
        );
        assert_eq!(
            site.page(&format!("topics/{folder}/index.html"))
                .texts("h1"),
            [name],
            "topic {name} has its own page"
        );
        assert_eq!(
            topic_folder(&rebuilt.page(&page_path), name),
            folder,
            "topic {name} folder differs between builds"
        );
        folders.push(folder);
    }
    assert_ne!(folders[0], folders[2], "`!!!` and `???` share a folder");
}

#[test]
fn topic_spellings_share_page() {
    let site = topic_site();
    site.build();
    let page = site.page("topics/deep-learning/index.html");
    assert_eq!(
        page.texts("li.work .work-title"),
        ["One", "Two"],
        "both spellings' works are listed"
    );
    assert_eq!(
        page.texts("p.spellings span"),
        ["deep-learning"],
        "the other spelling is named"
    );
    let index = site.page("topics/index.html");
    let hrefs = index.attrs("ul.topic-list a", "href");
    let shared = hrefs
        .iter()
        .filter(|href| *href == "/topics/deep-learning/")
        .count();
    assert_eq!(shared, 1, "one topic entry for both spellings: {hrefs:?}");
}

/// Builds a one-publication site with the given abstract, written as a YAML block.
fn abstract_site(abstract_text: &str) -> (Fixture, vita::BuildReport) {
    let site = Fixture::new();
    let indented: Vec<String> = abstract_text
        .lines()
        .map(|line| format!("  {line}"))
        .collect();
    site.publication(
        "p",
        &format!(
            "title: Math\nyear: 2020\nauthors: [Ann Ray]\nabstract: |\n{}\n",
            indented.join("\n")
        ),
    );
    let report = site.build();
    (site, report)
}

#[test]
fn math_subscripts_are_not_emphasis() {
    let (site, _) = abstract_site(r"$O(d_{\max})$ and $d_{\max}$");
    let page = site.page("publications/p/index.html");
    assert_eq!(page.count("section.abstract math"), 2, "two formulas");
    assert_eq!(
        page.count("section.abstract em"),
        0,
        "underscores in math made emphasis"
    );
    assert_eq!(
        page.texts("section.abstract annotation"),
        [r"O(d_{\max})", r"d_{\max}"],
        "TeX sources kept as annotations"
    );
}

#[test]
fn math_keeps_braces_and_percent() {
    let (site, _) = abstract_site(r"Sets $\{x_i\}$ cover $95\%$ of cases.");
    let page = site.page("publications/p/index.html");
    assert_eq!(
        page.texts("section.abstract annotation"),
        [r"\{x_i\}", r"95\%"],
        "annotations keep braces and percent"
    );
    let glyphs = math_glyphs(&page, "section.abstract math");
    assert!(
        glyphs[0].starts_with('{') && glyphs[0].ends_with('}'),
        "rendered set has braces: {glyphs:?}"
    );
    assert!(glyphs[1].contains('%'), "rendered percent: {glyphs:?}");
}

#[test]
fn math_comparisons_stay_text() {
    let (site, _) = abstract_site(r"Order $a<b$ and $c>d$, then $x<y>z$.");
    let page = site.page("publications/p/index.html");
    assert_eq!(
        page.texts("section.abstract annotation"),
        ["a<b", "c>d", "x<y>z"],
        "annotations keep comparison signs"
    );
    assert_eq!(
        math_glyphs(&page, "section.abstract math"),
        ["a<b", "c>d", "x<y>z"],
        "rendered formulas keep comparison signs"
    );
    assert_eq!(
        page.count("section.abstract math *:not(math, semantics, annotation, mrow, mi, mo)"),
        0,
        "comparison signs opened elements"
    );
}

#[test]
fn math_delimiters_become_math() {
    let (site, report) = abstract_site(r"Block $$a^2$$ then \(b_1\) and \[c_2\] end.");
    let page = site.page("publications/p/index.html");
    assert_eq!(
        page.attrs("section.abstract math", "display"),
        ["block", "inline", "block"],
        "display mode of $$, \\( and \\["
    );
    let prose = prose_of(&page, "section.abstract > p");
    for delimiter in ["$$", r"\(", r"\)", r"\[", r"\]"] {
        assert!(
            !prose.contains(delimiter),
            "delimiter {delimiter} left in: {prose}"
        );
    }
    assert!(
        report.warnings.is_empty(),
        "warnings: {:?}",
        report.warnings
    );
}

#[test]
fn unknown_macro_shown_as_tex() {
    let (site, report) = abstract_site(r"We use $\foo{x}$ and $y$.");
    let page = site.page("publications/p/index.html");
    assert_eq!(
        page.texts("section.abstract code.tex"),
        [r"$\foo{x}$"],
        "the formula is shown as TeX source"
    );
    assert_eq!(
        page.count("section.abstract math"),
        1,
        "the valid formula still renders"
    );
    let warnings = warnings_for(&report.warnings, "publications/p.yaml");
    assert!(
        warnings.iter().any(|w| w.message.contains(r"\foo")),
        "a warning names the file and the formula: {:?}",
        report.warnings
    );
}

#[test]
fn latex_text_commands_become_html() {
    let (site, _) = abstract_site(concat!(
        r"\emph{a1} \textit{a2} \textbf{b} \texttt{c} ``quotes'' ",
        r"x--y x---y Fig.~3 costs \% \& \_ \# \$ end."
    ));
    let page = site.page("publications/p/index.html");
    assert_eq!(page.texts("section.abstract em"), ["a1", "a2"], "emphasis");
    assert_eq!(page.texts("section.abstract strong"), ["b"], "bold");
    assert_eq!(page.texts("section.abstract code"), ["c"], "typewriter");
    let prose = prose_of(&page, "section.abstract > p");
    let expected = [
        ("quotes", "\u{201C}quotes\u{201D}"),
        ("en dash", "x\u{2013}y"),
        ("em dash", "x\u{2014}y"),
        ("tie", "Fig.\u{00A0}3"),
        ("escaped characters", "costs % & _ # $ end."),
    ];
    for (case, text) in expected {
        assert!(prose.contains(text), "{case}: `{text}` not in `{prose}`");
    }
    assert!(!prose.contains('\\'), "a backslash is left in `{prose}`");
}

#[test]
fn title_element_is_plain_text() {
    let site = Fixture::new();
    site.publication(
        "p",
        "title: 'A \\emph{B} of $x$'\nyear: 2020\nauthors: [Ann Ray]\n",
    );
    site.build();
    let page = site.page("publications/p/index.html");
    let title = page.texts("title");
    assert!(
        title[0].starts_with("A B of $x$"),
        "page title without markup: {title:?}"
    );
    assert_eq!(page.texts("h1 em"), ["B"], "heading keeps emphasis");
    assert_eq!(page.count("h1 math"), 1, "heading keeps math");
}

/// Builds a site whose content tries script injection in every field that reaches a page.
fn hostile_site() -> (Fixture, vita::BuildReport) {
    let site = Fixture::new();
    site.researcher(
        "eve",
        concat!(
            "name: 'Eve \"><script>alert(1)</script>'\n",
            "headline: '<img src=x onerror=alert(1)>'\n",
            "topics: ['<b>t</b>']\n",
            "bio: |\n",
            "  Hi <script>alert(1)</script> <img src=x onerror=alert(1)>\n",
            "  [x](javascript:alert(1)) <a href=\"javascript:alert(1)\" onclick=\"alert(1)\">y</a>\n",
            "  <iframe src=\"data:text/html,x\"></iframe> [d](data:text/html,x)\n",
        ),
    )
    .publication(
        "p",
        concat!(
            "title: 'Safe <script>alert(1)</script> title'\n",
            "authors: [eve, '\"><script>alert(2)</script>']\n",
            "year: 2020\n",
            "venue: 'Proc. A & B <i>x</i>'\n",
            "topics: ['<b>t</b>']\n",
            "links:\n  url: 'javascript:alert(1)'\n  pdf: papers/x.pdf\n",
            "abstract: |\n",
            "  <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))\n",
            "  <svg onload=alert(1)></svg> <a href=\"JaVaScRiPt:alert(1)\">z</a>\n",
            "  $a</annotation></semantics></math><script>alert(3)</script>$\n",
            "  $\\operatorname{<b\\ onclick=alert(4)>}$ $\\operatorname{<i>x</i>}$\n",
        ),
    );
    let report = site.build();
    (site, report)
}

#[test]
fn hostile_content_has_no_scripts() {
    let (site, _) = hostile_site();
    // The theme adds JSON-LD and small scripts of its own; none may carry the payloads.
    for (path, page) in html_pages(&site.output()) {
        for data in page.texts("script[type='application/ld+json']") {
            assert!(
                !data.contains('<'),
                "unescaped < in JSON-LD in {path}: {data}"
            );
        }
        for script in page.texts("script:not([type='application/ld+json'])") {
            assert!(
                !script.contains("alert"),
                "content reached a script in {path}: {script}"
            );
        }
        assert_eq!(page.count("iframe"), 0, "iframe element in {path}");
        assert!(
            !page.source.to_ascii_lowercase().contains("<script>alert"),
            "unescaped <script anywhere in {path}"
        );
    }
}

#[test]
fn hostile_content_has_no_handlers() {
    let (site, _) = hostile_site();
    for (path, page) in html_pages(&site.output()) {
        for (element, attribute, value) in all_attributes(&page) {
            assert!(
                !attribute.to_ascii_lowercase().starts_with("on"),
                "event handler in {path}: <{element} {attribute}=\"{value}\">"
            );
        }
    }
}

#[test]
fn hostile_urls_are_removed() {
    let (site, _) = hostile_site();
    for (path, page) in html_pages(&site.output()) {
        for (element, attribute, value) in all_attributes(&page) {
            if attribute != "href" && attribute != "src" {
                continue;
            }
            let lower = value.trim().to_ascii_lowercase();
            assert!(
                !lower.starts_with("javascript:") && !lower.starts_with("data:"),
                "unsafe URL in {path}: <{element} {attribute}=\"{value}\">"
            );
        }
    }
}

#[test]
fn hostile_text_survives_escaped() {
    let (site, _) = hostile_site();
    let publication = site.page("publications/p/index.html");
    assert_eq!(
        publication.texts("header .work-venue"),
        ["Proc. A & B <i>x</i>"],
        "venue text kept with its ampersand"
    );
    assert_eq!(
        publication.count("header .work-venue i"),
        0,
        "venue markup is text"
    );
    assert_eq!(
        publication.inner_html("header .work-venue"),
        "Proc. A &amp; B &lt;i&gt;x&lt;/i&gt;",
        "venue written as escaped text"
    );
    assert_eq!(
        publication.texts("article.publication > header ol.authors > li > :first-child"),
        [
            "Eve \"><script>alert(1)</script>",
            "\"><script>alert(2)</script>"
        ],
        "author names kept as text"
    );
    assert_eq!(
        publication.count("section.abstract :is(b, i)"),
        0,
        "markup written inside math is text"
    );

    let eve = site.page("researchers/eve/index.html");
    assert_eq!(
        eve.texts("h1"),
        ["Eve \"><script>alert(1)</script>"],
        "researcher name kept as text"
    );
    assert_eq!(
        eve.texts(".profile-header p.headline"),
        ["<img src=x onerror=alert(1)>"],
        "headline kept as text"
    );

    let folder = topic_folder(&publication, "<b>t</b>");
    let topic = site.page(&format!("topics/{folder}/index.html"));
    assert_eq!(topic.texts("h1"), ["<b>t</b>"], "topic name kept as text");
    assert_eq!(topic.count("main b"), 0, "topic markup is text");
}

#[test]
fn unsafe_publication_links_warn() {
    let (site, report) = hostile_site();
    let page = site.page("publications/p/index.html");
    assert_eq!(page.count("ul.links a"), 0, "both links are left out");
    let warnings = warnings_for(&report.warnings, "publications/p.yaml");
    for key in ["`links.url`", "`links.pdf`"] {
        assert!(
            warnings.iter().any(|w| w.message.contains(key)),
            "no warning for {key}: {warnings:?}"
        );
    }
}

#[test]
fn rebuild_into_same_output_identical() {
    let site = profile_site();
    site.build();
    let first = common::tree(&site.output());
    site.build();
    let second = common::tree(&site.output());
    assert!(!first.is_empty(), "the first build wrote files");
    assert!(first == second, "a second build changed the output");
}

#[test]
fn builds_into_two_folders_identical() {
    // Six researchers with one display name make any unordered step show up.
    let site = Fixture::new();
    site.researcher("ada", "name: Ada Byron\ntopics: [Looms, Engines]\n");
    let mut ids = Vec::new();
    for n in 1..=6 {
        let id = format!("wei-{n}");
        site.researcher(&id, "name: Wei Zhang\n");
        ids.push(id);
    }
    site.publication(
        "p",
        &format!(
            "title: Many\nyear: 2020\nauthors: [ada, {}]\ntopics: [Cards, Looms]\n",
            ids.join(", ")
        ),
    );

    let first = site.root().join("first");
    let second = site.root().join("second");
    for output in [&first, &second] {
        let options = BuildOptions {
            output: Some(output.clone()),
            ..site.options()
        };
        site.build_with(options);
    }

    let first_tree = common::tree(&first);
    let second_tree = common::tree(&second);
    assert!(!first_tree.is_empty(), "the first build wrote files");
    let first_paths: Vec<&String> = first_tree.iter().map(|(path, _)| path).collect();
    let second_paths: Vec<&String> = second_tree.iter().map(|(path, _)| path).collect();
    assert_eq!(
        first_paths, second_paths,
        "the two builds wrote different files"
    );
    let mismatched: Vec<&String> = first_tree
        .iter()
        .zip(&second_tree)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| &a.0)
        .collect();
    assert!(
        mismatched.is_empty(),
        "files differ between the two builds: {mismatched:?}"
    );
}

/// Builds the example site shipped with the repository into a temporary folder.
fn build_example() -> (tempfile::TempDir, vita::BuildReport) {
    let output = tempfile::tempdir().expect("create a temporary folder");
    let options = BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        output: Some(output.path().join("site")),
        base_url: None,
    };
    let report = match vita::build(&options) {
        Ok(report) => report,
        Err(err) => panic!("the example site failed to build: {err:#}"),
    };
    (output, report)
}

/// Returns each example publication's id and abstract, read from its YAML file.
fn example_abstracts() -> Vec<(String, String)> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/publications");
    let mut abstracts = Vec::new();
    for entry in walkdir::WalkDir::new(&folder).sort_by_file_name() {
        let entry = entry.expect("walk the example publications");
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "yaml") {
            continue;
        }
        let source = std::fs::read_to_string(path).expect("read an example publication");
        let value: serde_yaml::Value = serde_yaml::from_str(&source).expect("valid YAML");
        let id = match value.get("id").and_then(|v| v.as_str()) {
            Some(id) => id.to_owned(),
            None => path
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("UTF-8 file name")
                .to_owned(),
        };
        let text = value
            .get("abstract")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        abstracts.push((id, text));
    }
    abstracts
}

#[test]
fn example_site_pages_exist() {
    let (output, _) = build_example();
    let site = output.path().join("site");
    assert_eq!(
        count_page_folders(&site.join("publications")),
        20,
        "one page per example publication"
    );
    assert_eq!(
        count_page_folders(&site.join("researchers")),
        1,
        "one researcher page"
    );

    for page in [
        "index.html",
        "researchers/index.html",
        "publications/index.html",
        "topics/index.html",
        "404.html",
    ] {
        assert!(site.join(page).is_file(), "{page} is missing");
    }

    let topics = read_page(&site.join("topics/index.html"));
    let hrefs = topics.attrs("ul.topic-list a", "href");
    assert!(!hrefs.is_empty(), "the topic list is empty");
    for href in hrefs {
        let page = site.join(href.trim_start_matches('/')).join("index.html");
        assert!(page.is_file(), "topic page {href} is missing");
    }
}

#[test]
fn example_formulas_become_mathml() {
    let (output, report) = build_example();
    let site = output.path().join("site");
    let mut with_math = 0;
    for (id, source) in example_abstracts() {
        if !source.contains('$') {
            continue;
        }
        let page = read_page(&site.join(format!("publications/{id}/index.html")));
        with_math += 1;
        let prose = prose_of(&page, "section.abstract");
        let leftover = prose
            .match_indices('$')
            .find(|(at, _)| prose[at + 1..].trim_start().starts_with('\\'));
        assert!(
            leftover.is_none(),
            "{id}: TeX left in the abstract text: {prose}"
        );
        let formulas = page.count("section.abstract math");
        assert!(formulas > 0, "{id}: no math element");
        if !source.contains("$$") && !source.contains("\\$") {
            assert_eq!(
                formulas,
                source.matches('$').count() / 2,
                "{id}: every $…$ pair becomes one math element"
            );
        }
        assert_eq!(
            page.count("section.abstract code.tex"),
            0,
            "{id}: a formula failed to render"
        );
    }
    assert!(with_math > 0, "no example abstract contains math");
    let math_warnings: Vec<&Diagnostic> = report
        .warnings
        .iter()
        .filter(|w| w.message.contains("math"))
        .collect();
    assert!(math_warnings.is_empty(), "math warnings: {math_warnings:?}");
}

#[test]
fn example_has_no_latex_commands() {
    let (output, _) = build_example();
    let body = selector("body");
    for (path, page) in html_pages(&output.path().join("site")) {
        let Some(body) = page.document.select(&body).next() else {
            panic!("{path} has no body");
        };
        let text = prose_text(body);
        for command in [r"\emph", r"\textbf", r"\textit"] {
            assert!(!text.contains(command), "{path} shows {command}");
        }
    }
}
