//! The trust snapshot, verification levels, profile actions (follow, claim, contact)
//! and the counts of researcher pages.

use std::path::Path;

use vita::BuildOptions;

use crate::common::{Fixture, Page};

/// One row of the "Why this score" table: component, points, max and explanation.
type Row = (String, u32, u32, String);

/// Returns the compact trust block, such as "Trust 21 · Emerging · Verification L1 ·
/// Unclaimed profile".
fn trust_block(page: &Page) -> String {
    let blocks = page.texts(".profile-header p.trust");
    assert_eq!(blocks.len(), 1, "one trust block: {blocks:?}");
    blocks[0].clone()
}

fn breakdown(page: &Page) -> Vec<Row> {
    let names = page.texts("table.trust-breakdown tbody th");
    let cells = page.texts("table.trust-breakdown tbody td");
    assert_eq!(cells.len(), names.len() * 3, "three cells per row");
    names
        .into_iter()
        .zip(cells.chunks(3))
        .map(|(name, cells)| {
            let number = |text: &str| {
                text.parse::<u32>()
                    .unwrap_or_else(|_| panic!("not a number: {text}"))
            };
            (name, number(&cells[0]), number(&cells[1]), cells[2].clone())
        })
        .collect()
}

/// Returns the (component, points) pairs of the breakdown.
fn points(page: &Page) -> Vec<(String, u32)> {
    breakdown(page)
        .into_iter()
        .map(|(name, points, _, _)| (name, points))
        .collect()
}

fn total(page: &Page) -> u32 {
    let cells = page.texts("table.trust-breakdown tfoot td");
    cells[0].parse().expect("the total is a number")
}

fn pairs(rows: &[(&str, u32)]) -> Vec<(String, u32)> {
    rows.iter()
        .map(|(name, points)| ((*name).to_owned(), *points))
        .collect()
}

/// Writes a site with one researcher at each verification level:
/// `lea` (L0), `lin` (L1), `max` (L2) and `ada` (L3).
fn levels_site() -> Fixture {
    let site = Fixture::new();
    site.researcher("lea", "name: Lea Null\n")
        .publication("lea-solo", "title: Solo\nyear: 2020\nauthors: [lea]\n");

    site.researcher(
        "lin",
        "name: Lin One\nclaimed: true\naffiliations:\n  - name: Example University\n\
         identifiers:\n  github: lin-one\n  homepage: https://example.org/~lin\n",
    )
    .publication(
        "lin-first",
        "title: First\nyear: 2021\nauthors: [lin, Bo Chen]\nvenue: Journal of Tests\n\
         topics: [Testing]\n",
    )
    .publication(
        "lin-second",
        "title: Second\nyear: 2022\nauthors: [lin, bo chen, Cy Young]\n\
         venue: journal of  tests\ntopics: [testing, Proofs]\n",
    );

    site.researcher(
        "max",
        "name: Max Two\ntopics: [Graphs]\nidentifiers:\n  orcid: https://orcid.org/0000-0002-1825-0097\n",
    );

    site.researcher(
        "ada",
        "name: Ada Three\nclaimed: true\naffiliations:\n  - name: Example Institute\n\
         identifiers:\n  orcid: 0000-0002-1694-233X\n  google_scholar: AbCdEfGhIjKL\n\
         \x20 dblp: 123/4567\n  arxiv: three_a_1\n  github: ada-three\n\
         \x20 homepage: https://example.org/~ada\n",
    );
    let coauthors = ["Ann Ames", "Ben Bode", "Cal Cole", "Dan Dunn", "Eli Eads"];
    let venues = ["Venue A", "Venue B", "Venue C"];
    let topics = ["Alpha Topic", "Beta Topic", "Gamma Topic", "Delta Topic"];
    for n in 0..10 {
        site.publication(
            &format!("ada-{n:02}"),
            &format!(
                "title: Work {n}\nyear: {}\nauthors: [ada, {}]\nvenue: {}\ntopics: [{}]\n",
                2010 + n,
                coauthors[n % coauthors.len()],
                venues[n % venues.len()],
                topics[n % topics.len()],
            ),
        );
    }
    site
}

#[test]
fn level_l0_snapshot() {
    let site = levels_site();
    site.build();
    let page = site.page("researchers/lea/index.html");
    assert_eq!(
        trust_block(&page),
        "Trust 4 · Emerging · Verification L0 · Unclaimed profile"
    );
    assert_eq!(
        points(&page),
        pairs(&[
            ("ORCID iD", 0),
            ("Research profiles", 0),
            ("Homepage", 0),
            ("Claimed profile", 0),
            ("Affiliation", 0),
            ("Works", 4),
            ("Co-authors", 0),
            ("Venues", 0),
            ("Topics", 0),
        ])
    );
    assert_eq!(total(&page), 4);
}

#[test]
fn level_l1_snapshot() {
    let site = levels_site();
    site.build();
    let page = site.page("researchers/lin/index.html");
    assert_eq!(
        trust_block(&page),
        "Trust 49 · Established · Verification L1 · Claimed profile",
        "a claimed profile without ORCID iD stays at L1"
    );
    assert_eq!(
        points(&page),
        pairs(&[
            ("ORCID iD", 0),
            ("Research profiles", 4),
            ("Homepage", 3),
            ("Claimed profile", 15),
            ("Affiliation", 10),
            ("Works", 8),
            ("Co-authors", 4),
            ("Venues", 1),
            ("Topics", 4),
        ])
    );
    assert_eq!(total(&page), 49);
    let rows = breakdown(&page);
    assert_eq!(rows[1].3, "GitHub linked, 4 points each");
    assert_eq!(
        rows[6].3, "2 distinct co-authors; 2 points at each of 1, 2, 5, 10 and 20",
        "`Bo Chen` and `bo chen` are one co-author"
    );
    assert_eq!(
        rows[7].3, "1 distinct venue; 1 point each",
        "venues are compared after case folding"
    );
    assert_eq!(rows[8].3, "2 distinct topics; 2 points each");
}

#[test]
fn level_l2_snapshot() {
    let site = levels_site();
    site.build();
    let page = site.page("researchers/max/index.html");
    assert_eq!(
        trust_block(&page),
        "Trust 17 · Emerging · Verification L2 · Unclaimed profile"
    );
    assert_eq!(
        points(&page),
        pairs(&[
            ("ORCID iD", 15),
            ("Research profiles", 0),
            ("Homepage", 0),
            ("Claimed profile", 0),
            ("Affiliation", 0),
            ("Works", 0),
            ("Co-authors", 0),
            ("Venues", 0),
            ("Topics", 2),
        ])
    );
    let rows = breakdown(&page);
    assert_eq!(
        rows[0].3, "valid ORCID iD 0000-0002-1825-0097",
        "the iD without its URL"
    );
}

#[test]
fn level_l3_snapshot() {
    let site = levels_site();
    site.build();
    let page = site.page("researchers/ada/index.html");
    assert_eq!(
        trust_block(&page),
        "Trust 88 · Trusted · Verification L3 · Claimed profile"
    );

    let rows = breakdown(&page);
    let expected: Vec<Row> = [
        ("ORCID iD", 15, 15, "valid ORCID iD 0000-0002-1694-233X"),
        (
            "Research profiles",
            12,
            12,
            "Google Scholar, DBLP, arXiv, GitHub linked, 4 points each",
        ),
        ("Homepage", 3, 3, "homepage linked"),
        (
            "Claimed profile",
            15,
            15,
            "the person has confirmed this profile",
        ),
        ("Affiliation", 10, 10, "1 affiliation listed"),
        (
            "Works",
            16,
            20,
            "10 works; 4 points at each of 1, 2, 5, 10 and 20 works",
        ),
        (
            "Co-authors",
            6,
            10,
            "5 distinct co-authors; 2 points at each of 1, 2, 5, 10 and 20",
        ),
        ("Venues", 3, 5, "3 distinct venues; 1 point each"),
        ("Topics", 8, 10, "4 distinct topics; 2 points each"),
    ]
    .into_iter()
    .map(|(name, points, max, why)| (name.to_owned(), points, max, why.to_owned()))
    .collect();
    assert_eq!(rows, expected);

    assert_eq!(total(&page), 88);
    assert_eq!(
        rows.iter().map(|row| row.2).sum::<u32>(),
        100,
        "the maxima add up to 100"
    );
}

#[test]
fn blank_affiliation_gets_no_points() {
    let site = Fixture::new();
    site.researcher("ada", "name: Ada Byron\naffiliations:\n  - name: ' '\n");
    site.build();
    let page = site.page("researchers/ada/index.html");
    let rows = breakdown(&page);
    assert_eq!(rows[4].0, "Affiliation");
    assert_eq!(rows[4].1, 0, "{rows:?}");
    assert_eq!(rows[4].3, "no affiliation listed");
}

#[test]
fn breakdown_inside_details() {
    let site = levels_site();
    site.build();
    let page = site.page("researchers/ada/index.html");
    assert_eq!(
        page.texts("details.trust-details > summary"),
        ["Why this score"]
    );
    assert_eq!(page.count("details.trust-details table.trust-breakdown"), 1);
    assert_eq!(
        page.texts("details.trust-details ul.trust-levels strong"),
        ["L3"],
        "the researcher's level is marked"
    );
    let paragraphs = page.texts("details.trust-details p");
    assert!(
        paragraphs.contains(
            &"Tiers: Emerging below 40, Established from 40, Trusted from 70.".to_owned()
        ),
        "{paragraphs:?}"
    );
}

#[test]
fn snapshot_pages_are_deterministic() {
    let site = levels_site();
    let first = site.root().join("first");
    let second = site.root().join("second");
    for output in [&first, &second] {
        site.build_with(BuildOptions {
            output: Some(output.clone()),
            ..site.options()
        });
    }
    for id in ["lea", "lin", "max", "ada"] {
        let relative = format!("researchers/{id}/index.html");
        let a = std::fs::read(first.join(&relative)).expect("read the first build");
        let b = std::fs::read(second.join(&relative)).expect("read the second build");
        assert!(a == b, "{relative} differs between two builds");
    }
}

/// Builds the example site of the repository into a temporary folder.
fn build_example() -> (tempfile::TempDir, Page) {
    let output = tempfile::tempdir().expect("create a temporary folder");
    let options = BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        output: Some(output.path().join("site")),
        base_url: None,
    };
    if let Err(err) = vita::build(&options) {
        panic!("the example site failed to build: {err:#}");
    }
    let path = output
        .path()
        .join("site/researchers/quanshi-zhang/index.html");
    let html = std::fs::read_to_string(&path).expect("read the example profile");
    let page = Page {
        document: scraper::Html::parse_document(&html),
        source: html,
    };
    (output, page)
}

#[test]
fn example_profile_snapshot_pinned() {
    let (_output, page) = build_example();
    assert_eq!(
        trust_block(&page),
        "Trust 31 · Emerging · Verification L0 · Unclaimed profile"
    );
    assert_eq!(
        points(&page),
        pairs(&[
            ("ORCID iD", 0),
            ("Research profiles", 0),
            ("Homepage", 0),
            ("Claimed profile", 0),
            ("Affiliation", 0),
            ("Works", 20),
            ("Co-authors", 0),
            ("Venues", 1),
            ("Topics", 10),
        ])
    );
    assert_eq!(total(&page), 31);
}

// Claim

const EDIT_URL: &str = "https://github.com/acme/site/edit/main/{path}";

fn claim_links(page: &Page) -> Vec<String> {
    page.attrs(".actions .claim a", "href")
}

#[test]
fn claim_link_for_unclaimed_in_subfolder() {
    let site = Fixture::new();
    site.file(
        "site.yaml",
        &format!("base_url: https://example.org/\nedit_url: {EDIT_URL}\n"),
    )
    .file(
        "content/researchers/past members/kim.yaml",
        "name: Kim Lee\n",
    )
    .researcher("ada", "name: Ada Byron\n")
    .researcher("bob", "name: Bob Stone\nclaimed: true\n");
    site.build();

    let kim = site.page("researchers/kim/index.html");
    assert_eq!(
        claim_links(&kim),
        ["https://github.com/acme/site/edit/main/content/researchers/past%20members/kim.yaml"]
    );
    assert_eq!(kim.texts(".actions .claim a"), ["Claim this profile"]);

    let ada = site.page("researchers/ada/index.html");
    assert_eq!(
        claim_links(&ada),
        ["https://github.com/acme/site/edit/main/content/researchers/ada.yaml"]
    );

    let bob = site.page("researchers/bob/index.html");
    assert!(claim_links(&bob).is_empty(), "no claim link when claimed");
}

#[test]
fn no_claim_link_without_edit_url() {
    let site = Fixture::new();
    site.researcher("ada", "name: Ada Byron\n");
    site.build();
    let ada = site.page("researchers/ada/index.html");
    assert!(claim_links(&ada).is_empty());
    assert!(!ada.source.contains("Claim this profile"));
}

#[test]
fn invalid_edit_url_is_located() {
    let site = Fixture::new();
    site.file(
        "site.yaml",
        "title: Lab\nedit_url: https://github.com/acme/site/edit/main/\n",
    )
    .researcher("ada", "name: Ada Byron\n");
    let errors = site.build_errors();
    assert_eq!(
        errors,
        ["site.yaml:2:1: error: `edit_url`: invalid edit URL \
          `https://github.com/acme/site/edit/main/` because it does not contain `{path}`; \
          expected an http(s) URL with `{path}` where the file's path goes, such as \
          `https://github.com/example/site/edit/main/{path}`"]
    );

    site.file("site.yaml", "edit_url: ftp://example.org/{path}\n");
    let errors = site.build_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("site.yaml:1:1: error: `edit_url`: invalid edit URL"),
        "{errors:?}"
    );
    assert!(
        errors[0].contains("does not start with https:// or http://"),
        "{errors:?}"
    );
}

// Follow

#[test]
fn follow_link_in_actions() {
    let site = Fixture::new();
    site.researcher("ada", "name: Ada Byron\n");
    site.build();
    let ada = site.page("researchers/ada/index.html");
    assert_eq!(
        ada.attrs(".actions .follow a", "href"),
        ["/researchers/ada/feed.xml"]
    );
    let follow: Vec<String> = ada
        .texts("main a")
        .into_iter()
        .filter(|text| text.starts_with("Follow"))
        .collect();
    assert_eq!(follow.len(), 1, "one Follow link: {follow:?}");
}

// Contact

/// Returns the page source with the JSON-LD script removed, whose keys such as
/// `@context` contain `@`.
fn source_without_json_ld(page: &Page) -> String {
    let source = &page.source;
    let start = source
        .find(r#"<script type="application/ld+json">"#)
        .expect("the page has JSON-LD");
    let end = start + source[start..].find("</script>").expect("the script ends");
    format!("{}{}", &source[..start], &source[end..])
}

fn contact_links(page: &Page) -> Vec<String> {
    page.attrs(".actions .contact a", "href")
}

#[test]
fn email_contact_is_obfuscated() {
    let site = Fixture::new();
    site.researcher(
        "ada",
        "name: Ada Byron\nopen_to_collaborate: true\nemail: ada.b+lab@example.edu\n",
    );
    site.build();
    let ada = site.page("researchers/ada/index.html");

    assert_eq!(
        contact_links(&ada),
        ["mailto:ada.b+lab@example.edu"],
        "the parsed href is the mailto URL"
    );
    assert_eq!(ada.texts(".actions .contact a"), ["Email"]);
    let source = source_without_json_ld(&ada);
    assert!(!source.contains('@'), "an `@` is in the page source");
    assert!(
        !ada.source.contains("ada.b+lab"),
        "the address is in the source"
    );
    assert!(
        !ada.source.contains("example.edu"),
        "the domain is in the source"
    );
    assert!(
        !ada.source.contains("&amp;#"),
        "the character references are escaped twice"
    );
    assert!(ada.source.contains("&#64;"), "`@` is a character reference");
}

#[test]
fn contact_url_preferred_over_email() {
    let site = Fixture::new();
    site.researcher(
        "ada",
        "name: Ada Byron\nopen_to_collaborate: true\nemail: ada@example.edu\n\
         contact_url: https://example.org/contact?who=ada&lang=en\n",
    );
    site.build();
    let ada = site.page("researchers/ada/index.html");
    assert_eq!(
        contact_links(&ada),
        ["https://example.org/contact?who=ada&lang=en"]
    );
    assert_eq!(ada.texts(".actions .contact a"), ["Contact"]);
    assert!(!ada.source.contains("ada@example.edu"));
}

#[test]
fn mailto_contact_url_is_obfuscated() {
    let site = Fixture::new();
    site.researcher(
        "ada",
        "name: Ada Byron\nopen_to_collaborate: true\ncontact_url: mailto:office@example.edu\n",
    );
    site.build();
    let ada = site.page("researchers/ada/index.html");
    assert_eq!(contact_links(&ada), ["mailto:office@example.edu"]);
    assert_eq!(ada.texts(".actions .contact a"), ["Email"]);
    assert!(!source_without_json_ld(&ada).contains('@'));
}

#[test]
fn no_contact_unless_open() {
    let site = Fixture::new();
    site.researcher("ada", "name: Ada Byron\nemail: ada@example.edu\n")
        .researcher(
            "bob",
            "name: Bob Stone\nopen_to_collaborate: false\ncontact_url: https://example.org/bob\n",
        )
        .researcher("cy", "name: Cy Young\nopen_to_collaborate: true\n");
    site.build();
    for id in ["ada", "bob", "cy"] {
        let page = site.page(&format!("researchers/{id}/index.html"));
        assert!(contact_links(&page).is_empty(), "{id} has a contact link");
    }
    let ada = site.page("researchers/ada/index.html");
    assert!(!ada.source.contains("ada@example.edu"));
}

#[test]
fn invalid_contact_url_is_located() {
    let site = Fixture::new();
    site.researcher("ada", "name: Ada Byron\ncontact_url: javascript:alert(1)\n")
        .researcher("bob", "name: Bob Stone\ncontact_url: /contact/\n")
        .researcher("cy", "name: Cy Young\ncontact_url: mailto:nobody\n");
    let expected = "expected an http(s) URL such as `https://example.org/contact` or an \
                    address such as `mailto:zoe@example.edu`";
    assert_eq!(
        site.build_errors(),
        [
            format!(
                "content/researchers/ada.yaml:2:1: error: `contact_url`: \
                 `javascript:alert(1)` is not an http(s) or mailto URL; {expected}"
            ),
            format!(
                "content/researchers/bob.yaml:2:1: error: `contact_url`: `/contact/` is not \
                 an http(s) or mailto URL; {expected}"
            ),
            format!(
                "content/researchers/cy.yaml:2:1: error: `contact_url`: `mailto:nobody` is \
                 not an http(s) or mailto URL; {expected}"
            ),
        ]
    );
}

// Counts

/// Returns the number that the counts list shows for `term`, if it lists the term.
fn count_of(page: &Page, term: &str) -> Option<usize> {
    let terms = page.texts("dl.counts dt");
    let values = page.texts("dl.counts dd");
    terms
        .into_iter()
        .zip(values)
        .find(|(name, _)| name == term)
        .map(|(_, value)| value.parse().expect("a count is a number"))
}

#[test]
fn counts_equal_rendered_lists() {
    let site = levels_site();
    site.file(
        "content/researchers/lin.yaml",
        "name: Lin One\nfollowers: 7\ntopics: [Testing, Logic]\n",
    );
    site.build();
    for id in ["lea", "lin", "max", "ada"] {
        let page = site.page(&format!("researchers/{id}/index.html"));
        assert_eq!(
            count_of(&page, "Works"),
            Some(page.count(".works-section li.work")),
            "{id}: works"
        );
        assert_eq!(
            count_of(&page, "Topics"),
            Some(page.count("ul.topics li")),
            "{id}: topics"
        );
        assert_eq!(
            count_of(&page, "Close collaborators"),
            Some(page.count("ol.collaborators li")),
            "{id}: close collaborators"
        );
    }
    let lin = site.page("researchers/lin/index.html");
    assert_eq!(count_of(&lin, "Followers"), Some(7));
    assert_eq!(count_of(&lin, "Topics"), Some(3), "Testing, Logic, Proofs");
    let ada = site.page("researchers/ada/index.html");
    assert_eq!(count_of(&ada, "Followers"), None, "no followers given");
}

#[test]
fn coauthor_listed_twice_counts_once() {
    let site = Fixture::new();
    site.researcher("ada", "name: Ada Byron\n")
        .researcher("cy", "name: Cy Young\n")
        .publication(
            "twice",
            "title: Twice\nyear: 2024\nauthors: [ada, cy, Cy Young, Bo Chen, bo  chen]\n",
        )
        .publication("again", "title: Again\nyear: 2023\nauthors: [ada, cy]\n");
    site.build();
    let ada = site.page("researchers/ada/index.html");
    assert_eq!(
        ada.texts("ol.collaborators li .count"),
        ["2 joint works", "1 joint work"],
        "one count per work"
    );
    assert_eq!(count_of(&ada, "Close collaborators"), Some(2));
    let rows = breakdown(&ada);
    assert_eq!(
        rows[6].3, "2 distinct co-authors; 2 points at each of 1, 2, 5, 10 and 20",
        "the trust score counts the listed collaborators"
    );
}
