//! Research graphs: the SVG on researcher pages, read back as XML, and the explorer page.

use std::collections::BTreeSet;

use scraper::Selector;
use vita::BuildOptions;

use crate::common::{Fixture, Page};

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|err| panic!("selector {css}: {err:?}"))
}

/// Returns the outer HTML of the `<svg>` element with `id`, as the HTML parser read it.
fn svg_markup(page: &Page, id: &str) -> String {
    let css = format!("svg#{id}");
    page.document
        .select(&selector(&css))
        .next()
        .unwrap_or_else(|| panic!("no element matches {css}"))
        .html()
}

/// One node of a graph: a linked `<a>` or an unlinked `<g class="node …">`.
#[derive(Debug, Clone)]
struct GraphNode {
    /// The `class` attribute, such as `node topic`.
    class: String,
    href: Option<String>,
    title: String,
    radius: f64,
    /// The visible label, if any.
    label: Option<String>,
}

/// A graph's SVG parsed as strict XML.
struct Graph {
    /// The text of the SVG's `<title>`, found through `aria-labelledby`.
    title: String,
    role: String,
    nodes: Vec<GraphNode>,
    edges: usize,
    /// Every element's local name, for checking that text made no elements.
    element_names: BTreeSet<String>,
}

impl Graph {
    fn parse(markup: &str) -> Self {
        let document = roxmltree::Document::parse(markup)
            .unwrap_or_else(|err| panic!("the SVG is not well-formed XML: {err}\n{markup}"));
        let svg = document.root_element();
        assert_eq!(svg.tag_name().name(), "svg", "root element");
        assert_eq!(
            svg.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg"),
            "the SVG namespace"
        );
        let labelled_by = svg
            .attribute("aria-labelledby")
            .expect("the SVG has aria-labelledby");
        let title = document
            .descendants()
            .find(|node| node.attribute("id") == Some(labelled_by))
            .and_then(|node| node.text())
            .unwrap_or_else(|| panic!("no element with the id {labelled_by}"))
            .to_owned();
        let mut nodes = Vec::new();
        let mut edges = 0;
        let mut element_names = BTreeSet::new();
        for element in svg.descendants().filter(|node| node.is_element()) {
            let name = element.tag_name().name();
            element_names.insert(name.to_owned());
            if name == "line" || name == "path" {
                edges += 1;
            }
            let class = element.attribute("class").unwrap_or_default();
            if !class.split(' ').any(|c| c == "node") {
                continue;
            }
            let child = |tag: &str| {
                element
                    .children()
                    .find(|child| child.tag_name().name() == tag)
            };
            let title = child("title")
                .and_then(|title| title.text())
                .unwrap_or_else(|| panic!("a node without a <title>: {class}"))
                .to_owned();
            let radius = child("circle")
                .and_then(|circle| circle.attribute("r"))
                .and_then(|r| r.parse().ok())
                .unwrap_or_else(|| panic!("a node without a circle radius: {title}"));
            nodes.push(GraphNode {
                class: class.to_owned(),
                href: element.attribute("href").map(str::to_owned),
                title,
                radius,
                label: child("text")
                    .and_then(|text| text.text())
                    .map(str::to_owned),
            });
        }
        Self {
            title,
            role: svg.attribute("role").unwrap_or_default().to_owned(),
            nodes,
            edges,
            element_names,
        }
    }

    fn of_kind(&self, kind: &str) -> Vec<&GraphNode> {
        self.nodes
            .iter()
            .filter(|node| node.class.split(' ').any(|c| c == kind))
            .collect()
    }

    fn by_title(&self, title: &str) -> &GraphNode {
        self.nodes
            .iter()
            .find(|node| node.title == title)
            .unwrap_or_else(|| panic!("no node titled {title:?} in {:#?}", self.nodes))
    }

    fn collapsed(&self) -> Vec<&GraphNode> {
        self.of_kind("collapsed")
    }
}

fn researcher_graph(site: &Fixture, id: &str) -> Graph {
    let page = site.page(&format!("researchers/{id}/index.html"));
    Graph::parse(&svg_markup(&page, "research-graph"))
}

/// Ada has three co-authors with 3, 2 and 1 joint works (Dan without a page), two
/// topics (Logic her own), her institution and Bob's, and four works.
fn lab() -> Fixture {
    let site = Fixture::new();
    site.researcher(
        "ada",
        concat!(
            "name: Ada Lovelace\n",
            "affiliations:\n  - { name: Example University }\n",
            "topics: [Logic]\n",
        ),
    )
    .researcher(
        "bob",
        "name: Bob Stone\naffiliations:\n  - { name: Bell Labs }\n",
    )
    .researcher("carol", "name: Carol Chen\n")
    .publication(
        "p1",
        "title: First\nauthors: [ada, bob, Dan Field]\nyear: 2021\ntopics: [Logic, Algebra]\n",
    )
    .publication(
        "p2",
        "title: Second\nauthors: [ada, bob]\nyear: 2020\ntopics: [Algebra]\n",
    )
    .publication(
        "p3",
        "title: Third\nauthors: [ada, bob, carol, Dan Field]\nyear: 2019\n",
    )
    .publication("p4", "title: Fourth\nauthors: [ada]\nyear: 2018\n")
    .publication("p5", "title: Elsewhere\nauthors: [carol]\nyear: 2017\n");
    site.build();
    site
}

#[test]
fn graph_centre_and_coauthors() {
    let site = lab();
    let graph = researcher_graph(&site, "ada");
    assert_eq!(graph.title, "Research graph of Ada Lovelace");
    assert_eq!(
        graph.role, "",
        "no role: `img` would hide the links from screen readers"
    );

    let centre = graph.by_title("Ada Lovelace: 4 works");
    assert_eq!(centre.href.as_deref(), Some("/researchers/ada/"));

    let bob = graph.by_title("Bob Stone: 3 joint works");
    let dan = graph.by_title("Dan Field: 2 joint works");
    let carol = graph.by_title("Carol Chen: 1 joint work");
    assert_eq!(bob.href.as_deref(), Some("/researchers/bob/"));
    assert_eq!(carol.href.as_deref(), Some("/researchers/carol/"));
    assert_eq!(dan.href, None, "a co-author without a page is no link");
    assert!(dan.class.contains("person"), "Dan is drawn as a person");
    assert!(
        bob.radius > dan.radius,
        "3 joint works draw larger than 2: {} {}",
        bob.radius,
        dan.radius
    );
    assert!(
        dan.radius > carol.radius,
        "2 joint works draw larger than 1: {} {}",
        dan.radius,
        carol.radius
    );
    assert_eq!(bob.label.as_deref(), Some("Bob Stone"), "visible label");
    assert!(graph.collapsed().is_empty(), "everything fits the budget");
}

#[test]
fn graph_topics_institutions_works() {
    let site = lab();
    let graph = researcher_graph(&site, "ada");
    let topics: Vec<(&str, Option<&str>)> = graph
        .of_kind("topic")
        .iter()
        .map(|node| (node.title.as_str(), node.href.as_deref()))
        .collect();
    assert_eq!(
        topics,
        [
            ("Logic: 1 work", Some("/topics/logic/")),
            ("Algebra: 2 works", Some("/topics/algebra/")),
        ],
        "own topics first, then topics of works"
    );

    let institutions: Vec<(&str, Option<&str>)> = graph
        .of_kind("institution")
        .iter()
        .map(|node| (node.title.as_str(), node.href.as_deref()))
        .collect();
    assert_eq!(
        institutions,
        [
            (
                "Example University: affiliation of Ada Lovelace",
                Some("/institutions/example-university/")
            ),
            (
                "Bell Labs: affiliation of 1 co-author",
                Some("/institutions/bell-labs/")
            ),
        ]
    );

    let works: Vec<(&str, Option<&str>)> = graph
        .of_kind("work")
        .iter()
        .map(|node| (node.title.as_str(), node.href.as_deref()))
        .collect();
    assert_eq!(
        works,
        [
            ("First (2021)", Some("/publications/p1/")),
            ("Second (2020)", Some("/publications/p2/")),
            ("Third (2019)", Some("/publications/p3/")),
            ("Fourth (2018)", Some("/publications/p4/")),
        ],
        "works newest first"
    );
    assert_eq!(
        graph.edges,
        graph.nodes.len() - 1,
        "one edge from the centre to each node"
    );
}

#[test]
fn graph_links_name_site_pages() {
    let site = lab();
    let graph = researcher_graph(&site, "ada");
    for href in graph.nodes.iter().filter_map(|node| node.href.as_deref()) {
        let page = site
            .output()
            .join(href.trim_start_matches('/'))
            .join("index.html");
        assert!(page.is_file(), "{href} names no page");
    }
}

#[test]
fn graph_section_links_explorer() {
    let site = lab();
    let page = site.page("researchers/ada/index.html");
    assert_eq!(
        page.texts("section.research-graph h2"),
        ["Research graph"],
        "section heading"
    );
    assert_eq!(
        page.attrs("section.research-graph p.explore-link a", "href"),
        ["/explore/"],
        "link to the explorer"
    );
    assert_eq!(
        page.count("section.research-graph figure figcaption li"),
        5,
        "legend of researcher, person, topic, institution and work"
    );
}

#[test]
fn graph_absent_without_neighbours() {
    let site = Fixture::new();
    site.researcher("solo", "name: Solo Person\n");
    site.build();
    let page = site.page("researchers/solo/index.html");
    assert_eq!(page.count("svg#research-graph"), 0, "no graph to draw");
    assert_eq!(page.count("section.research-graph"), 0, "no empty section");
}

#[test]
fn graph_output_is_deterministic() {
    let site = lab();
    let first = site.root().join("first");
    let second = site.root().join("second");
    for output in [&first, &second] {
        site.build_with(BuildOptions {
            output: Some(output.clone()),
            ..site.options()
        });
    }
    for page in ["researchers/ada/index.html", "explore/index.html"] {
        let a = std::fs::read_to_string(first.join(page)).expect("read the first build");
        let b = std::fs::read_to_string(second.join(page)).expect("read the second build");
        assert!(a.contains("<svg"), "{page} has a graph");
        assert!(a == b, "{page} differs between two builds");
    }
}

/// Writes a researcher with 500 works and 300 co-authors: ten researchers of the site
/// with one institution each, and 290 names. Co-author `k` is on works `k` and `k + 300`,
/// so the first 200 have two joint works and the rest one. The works spread over 20
/// topics, and the researcher lists two institutions of their own.
fn big_profile() -> Fixture {
    let site = Fixture::new();
    site.researcher(
        "big",
        concat!(
            "name: Big Author\n",
            "affiliations:\n  - { name: Home University }\n  - { name: Second Institute }\n",
        ),
    );
    let mut coauthors = Vec::new();
    for k in 0..10 {
        site.researcher(
            &format!("r{k}"),
            &format!(
                "name: Linked Person {k:02}\naffiliations:\n  - {{ name: Institute {k:02} }}\n"
            ),
        );
        coauthors.push(format!("r{k}"));
    }
    for k in 10..300 {
        coauthors.push(format!("Named Person {k:03}"));
    }
    for work in 0..500 {
        site.publication(
            &format!("w{work:03}"),
            &format!(
                "title: Work {work:03}\nauthors: [big, '{}']\nyear: {}\ntopics: ['Topic {:02}']\n",
                coauthors[work % 300],
                1990 + work % 30,
                work % 20
            ),
        );
    }
    site.build();
    site
}

#[test]
fn big_profile_within_node_budget() {
    let site = big_profile();
    let graph = researcher_graph(&site, "big");
    // The centre is a researcher too, and co-authors are researchers or persons.
    let coauthor_nodes = graph.of_kind("person").len() + graph.of_kind("researcher").len() - 1;
    assert_eq!(coauthor_nodes, 12, "co-author nodes");
    for (kind, budget) in [("topic", 8), ("institution", 6), ("work", 24)] {
        assert_eq!(graph.of_kind(kind).len(), budget, "{kind} nodes");
    }
    assert_eq!(
        graph.nodes.len(),
        1 + 12 + 8 + 6 + 24,
        "every node within its budget"
    );
}

#[test]
fn big_profile_collapses_tails() {
    let site = big_profile();
    let graph = researcher_graph(&site, "big");
    let collapsed: Vec<(&str, Option<&str>)> = graph
        .collapsed()
        .iter()
        .map(|node| (node.title.as_str(), node.label.as_deref()))
        .collect();
    assert_eq!(
        collapsed,
        [
            ("and 477 more works", Some("+477")),
            ("and 289 more co-authors", Some("and 289 more co-authors")),
            ("and 13 more topics", Some("and 13 more topics")),
            ("and 7 more institutions", Some("and 7 more institutions")),
        ],
        "one collapsed node per kind, with the count of what it hides"
    );
    for node in graph.collapsed() {
        assert_eq!(node.href, None, "{} is no link", node.title);
    }
    let coauthors: Vec<&GraphNode> = graph
        .nodes
        .iter()
        .filter(|node| node.title.ends_with("joint works") || node.title.ends_with("joint work"))
        .collect();
    assert_eq!(coauthors.len(), 11, "eleven co-authors shown");
    assert!(
        coauthors
            .iter()
            .all(|node| node.title.ends_with(": 2 joint works")),
        "the co-authors with the most joint works are kept: {coauthors:#?}"
    );
    let institutions: Vec<&str> = graph
        .of_kind("institution")
        .iter()
        .map(|node| node.title.as_str())
        .collect();
    assert_eq!(
        institutions[..2],
        [
            "Home University: affiliation of Big Author",
            "Second Institute: affiliation of Big Author"
        ],
        "own institutions first"
    );
}

#[test]
fn explorer_lists_everything() {
    let site = lab();
    let page = site.page("explore/index.html");
    assert_eq!(page.texts("h1"), ["Explore"]);
    let hrefs: BTreeSet<String> = page
        .attrs("ul#explore-list > li > a", "href")
        .into_iter()
        .collect();
    let expected: BTreeSet<String> = [
        "/researchers/ada/",
        "/researchers/bob/",
        "/researchers/carol/",
        "/topics/logic/",
        "/topics/algebra/",
        "/institutions/example-university/",
        "/institutions/bell-labs/",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(hrefs, expected, "every researcher, topic and institution");
    assert_eq!(
        page.texts("ul#explore-list > li > a"),
        [
            "Ada Lovelace",
            "Algebra",
            "Bell Labs",
            "Bob Stone",
            "Carol Chen",
            "Example University",
            "Logic"
        ],
        "sorted by name"
    );
}

#[test]
fn explorer_search_form_is_labelled() {
    let site = lab();
    let page = site.page("explore/index.html");
    assert_eq!(page.count("form[role='search']"), 1, "a search form");
    assert_eq!(
        page.attrs("form[role='search'] input[type='search']", "id"),
        ["explore-filter"],
        "a search input"
    );
    assert_eq!(
        page.texts("form[role='search'] label[for='explore-filter']"),
        ["Filter by name"],
        "the input's label"
    );
    let scripts = page.texts("main script");
    assert_eq!(scripts.len(), 1, "one inline script filters the list");
    assert!(scripts[0].contains("explore-filter"));
}

#[test]
fn explorer_graph_draws_small_site() {
    let site = lab();
    let page = site.page("explore/index.html");
    let graph = Graph::parse(&svg_markup(&page, "explore-graph"));
    let mut hrefs: Vec<&str> = graph
        .nodes
        .iter()
        .filter_map(|node| node.href.as_deref())
        .collect();
    hrefs.sort_unstable();
    assert_eq!(
        hrefs,
        [
            "/institutions/bell-labs/",
            "/institutions/example-university/",
            "/researchers/ada/",
            "/researchers/bob/",
            "/researchers/carol/",
            "/topics/algebra/",
            "/topics/logic/",
        ],
        "a small site is drawn whole"
    );
    // Ada, Bob and Carol all wrote Third, Ada and Bob wrote on Logic and Algebra in
    // First, and each of Ada and Bob has an institution.
    assert_eq!(graph.edges, 3 + 4 + 2, "edges");
    assert_eq!(
        graph
            .by_title("Ada Lovelace: 4 works, 2 topics, 2 co-authors on this site")
            .href
            .as_deref(),
        Some("/researchers/ada/")
    );
}

#[test]
fn explorer_in_navigation_and_sitemap() {
    let site = lab();
    for page in [
        "index.html",
        "researchers/ada/index.html",
        "explore/index.html",
    ] {
        let links = site.page(page).attrs("header nav a", "href");
        assert!(
            links.iter().any(|href| href == "/explore/"),
            "{page} links the explorer: {links:?}"
        );
    }
    let sitemap = std::fs::read_to_string(site.output().join("sitemap.xml")).expect("read sitemap");
    assert!(
        sitemap.contains("<loc>https://example.org/explore/</loc>"),
        "the sitemap lists the explorer"
    );
}

/// Writes 100 researchers: everyone lists `Common Topic`, researcher `n` also lists
/// `Topic n`, and each group of ten shares an institution. Researchers 0 to 4 wrote one
/// work together.
fn big_site() -> Fixture {
    let site = Fixture::new();
    for n in 0..100 {
        site.researcher(
            &format!("r{n:03}"),
            &format!(
                "name: Person {n:03}\ntopics: [Common Topic, 'Topic {n:03}']\naffiliations:\n  - {{ name: 'Institute {:02}' }}\n",
                n / 10
            ),
        );
    }
    site.publication(
        "joint",
        "title: Joint\nauthors: [r000, r001, r002, r003, r004]\nyear: 2020\n",
    );
    site.build();
    site
}

#[test]
fn explorer_graph_within_budget() {
    let site = big_site();
    let page = site.page("explore/index.html");
    let graph = Graph::parse(&svg_markup(&page, "explore-graph"));
    assert_eq!(graph.nodes.len(), 60, "the graph stops at its node budget");
    let common = graph.by_title("Common Topic: 100 researchers, 0 works");
    assert_eq!(common.href.as_deref(), Some("/topics/common-topic/"));
    for n in 0..5 {
        let title = format!("Person {n:03}: 1 work, 2 topics, 4 co-authors on this site");
        assert_eq!(
            graph.by_title(&title).href,
            Some(format!("/researchers/r{n:03}/")),
            "the most connected researchers are drawn"
        );
    }
    assert_eq!(
        page.count("ul#explore-list > li"),
        100 + 101 + 10,
        "the list has every researcher, topic and institution"
    );
    let notes = page.texts("section.research-graph > p");
    assert_eq!(
        notes,
        ["The graph shows the 60 most connected of them. The list below has all 211."]
    );
}

#[test]
fn graph_names_are_escaped() {
    let site = Fixture::new();
    site.researcher(
        "eve",
        concat!(
            "name: 'Eve <b>&\"Q\"'\n",
            "topics: ['<i>t</i> & co']\n",
            "affiliations:\n  - { name: 'A & <B> \"Inc\"' }\n",
        ),
    )
    .publication(
        "p",
        "title: 'Safe & sound'\nauthors: [eve, '<script>alert(1)</script> \"x\"']\nyear: 2020\n",
    );
    site.build();

    let page = site.page("researchers/eve/index.html");
    let markup = svg_markup(&page, "research-graph");
    let graph = Graph::parse(&markup);
    assert_eq!(graph.title, "Research graph of Eve <b>&\"Q\"");
    graph.by_title("Eve <b>&\"Q\": 1 work");
    graph.by_title("<script>alert(1)</script> \"x\": 1 joint work");
    graph.by_title("<i>t</i> & co: a research interest");
    graph.by_title("A & <B> \"Inc\": affiliation of Eve <b>&\"Q\"");
    for name in ["b", "i", "script", "B"] {
        assert!(
            !graph.element_names.contains(name),
            "text made a <{name}> element: {:?}",
            graph.element_names
        );
    }
    assert_eq!(
        page.count("svg script, svg b, svg i"),
        0,
        "no elements from text"
    );

    let explore = site.page("explore/index.html");
    let graph = Graph::parse(&svg_markup(&explore, "explore-graph"));
    graph.by_title("Eve <b>&\"Q\": 1 work, 1 topic, 0 co-authors on this site");
    assert_eq!(explore.count("main b, main i"), 0, "no elements from text");
    assert_eq!(explore.count("main script"), 1, "only the filter script");
    assert!(
        explore
            .texts("ul#explore-list > li > a")
            .contains(&"A & <B> \"Inc\"".to_owned()),
        "names are text in the list"
    );
}

#[test]
fn graph_honours_base_path() {
    let site = lab();
    site.file("site.yaml", "base_url: https://example.org/lab/\n");
    site.build();
    let graph = researcher_graph(&site, "ada");
    for href in graph.nodes.iter().filter_map(|node| node.href.as_deref()) {
        assert!(href.starts_with("/lab/"), "{href} is outside the base path");
    }
    let page = site.page("researchers/ada/index.html");
    assert_eq!(
        page.attrs("p.explore-link a", "href"),
        ["/lab/explore/"],
        "explorer link under the base path"
    );
}
