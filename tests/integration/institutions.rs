//! Institution pages built from researchers' affiliations, and the works filter on
//! profile pages.

use std::collections::BTreeSet;

use scraper::{ElementRef, Selector};

use crate::common::{Fixture, Page};

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|err| panic!("selector {css}: {err:?}"))
}

/// Returns the text of an element, whitespace collapsed.
fn text_of(element: ElementRef<'_>) -> String {
    let text: String = element.text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Three researchers: Ada and Bob share a university under two spellings, Ada also
/// lists an institute, and Cy lists no affiliation.
fn campus() -> Fixture {
    let site = Fixture::new();
    site.researcher(
        "ada",
        concat!(
            "name: Ada Byron\n",
            "affiliations:\n",
            "  - { name: Example University, role: Professor, url: 'https://example.edu', from: 2019 }\n",
            "  - { name: Institute of Looms, role: Fellow, from: 2010, to: 2015 }\n",
        ),
    )
    .researcher(
        "bob",
        concat!(
            "name: Bob Stone\n",
            "affiliations:\n",
            "  - { name: 'example university', role: PhD student, from: 2020 }\n",
        ),
    )
    .researcher("cy", "name: Cy Young\n")
    .publication(
        "looms",
        "title: Looms\nauthors: [ada]\ndate: 2021-05-04\ntype: conference\n",
    )
    .publication(
        "stones",
        "title: Stones\nauthors: [bob]\nyear: 2020\ntype: article\n",
    )
    .publication(
        "joint",
        "title: Joint work\nauthors: [ada, bob]\nyear: 2019\ntype: preprint\n",
    )
    .publication(
        "alone",
        "title: Alone\nauthors: [cy]\nyear: 2018\ntype: article\n",
    );
    site.build();
    site
}

/// Returns the `(href, text)` of each researcher listed on an institution page.
fn members(page: &Page) -> Vec<(String, String)> {
    let items = selector("ul.members > li");
    let link = selector("a");
    page.document
        .select(&items)
        .map(|item| {
            let a = item.select(&link).next().expect("a member has a link");
            let href = a.value().attr("href").unwrap_or_default().to_owned();
            (href, text_of(a))
        })
        .collect()
}

/// Returns the hrefs of the affiliation names on a profile, without website links.
fn affiliation_links(page: &Page) -> Vec<String> {
    page.attrs("ul.affiliations a:not(.website)", "href")
}

/// Returns the title links of the works on a page, in page order.
fn work_links(page: &Page) -> Vec<String> {
    page.attrs("li.work .work-title a", "href")
}

#[test]
fn institution_page_lists_researchers() {
    let site = campus();
    let page = site.page("institutions/example-university/index.html");
    assert_eq!(page.texts("h1"), ["Example University"]);
    assert_eq!(
        members(&page),
        [
            ("/researchers/ada/".to_owned(), "Ada Byron".to_owned()),
            ("/researchers/bob/".to_owned(), "Bob Stone".to_owned()),
        ]
    );
    assert_eq!(
        page.texts("ul.members > li ul.positions > li"),
        ["Professor (since 2019)", "PhD student (since 2020)"],
        "roles and years of each researcher"
    );
    assert_eq!(
        page.attrs("p.website a", "href"),
        ["https://example.edu"],
        "the website given with the affiliation"
    );

    let looms = site.page("institutions/institute-of-looms/index.html");
    assert_eq!(
        looms.texts("ul.positions > li"),
        ["Fellow (2010–2015)"],
        "a closed period shows both years"
    );
}

#[test]
fn institution_page_lists_works_by_year() {
    let site = campus();
    let page = site.page("institutions/example-university/index.html");
    assert_eq!(
        work_links(&page),
        [
            "/publications/looms/",
            "/publications/stones/",
            "/publications/joint/",
        ],
        "the works of Ada and Bob, newest first, each once"
    );
    assert_eq!(page.texts("section.year h3"), ["2021", "2020", "2019"]);

    let looms = site.page("institutions/institute-of-looms/index.html");
    assert_eq!(
        work_links(&looms),
        ["/publications/looms/", "/publications/joint/"],
        "only Ada's works"
    );
}

#[test]
fn spellings_share_one_page() {
    let site = campus();
    let folders: BTreeSet<String> = std::fs::read_dir(site.output().join("institutions"))
        .expect("list the institutions folder")
        .map(|entry| entry.expect("read a folder entry"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        folders,
        BTreeSet::from([
            "example-university".to_owned(),
            "institute-of-looms".to_owned()
        ]),
        "one page per institution, none for a researcher without affiliations"
    );

    let page = site.page("institutions/example-university/index.html");
    assert_eq!(
        page.texts("p.spellings span"),
        ["example university"],
        "the other spelling is named"
    );
    let bob = site.page("researchers/bob/index.html");
    assert_eq!(
        affiliation_links(&bob),
        ["/institutions/example-university/"]
    );
    assert_eq!(
        bob.texts("ul.affiliations a:not(.website)"),
        ["example university"],
        "the profile keeps the researcher's own spelling"
    );
}

#[test]
fn profile_affiliations_link_to_institutions() {
    let site = campus();
    let ada = site.page("researchers/ada/index.html");
    let links = affiliation_links(&ada);
    assert_eq!(
        links,
        [
            "/institutions/example-university/",
            "/institutions/institute-of-looms/",
        ]
    );
    for link in &links {
        let page = site
            .output()
            .join(link.trim_start_matches('/'))
            .join("index.html");
        assert!(page.is_file(), "{link} has no page");
    }
    assert_eq!(
        ada.attrs("ul.affiliations a.website", "href"),
        ["https://example.edu"],
        "the website stays as a separate link"
    );
    assert_eq!(
        ada.attrs("ul.affiliations a.website", "aria-label"),
        ["Website of Example University"]
    );

    let cy = site.page("researchers/cy/index.html");
    assert_eq!(cy.texts("p.affiliations.none"), ["Affiliation not listed"]);
}

#[test]
fn institution_list_counts_match_pages() {
    let site = campus();
    let list = site.page("institutions/index.html");
    let items = selector("ul.institution-list > li");
    let link = selector("a");
    let count = selector(".count");
    let rows: Vec<(String, String, String)> = list
        .document
        .select(&items)
        .map(|item| {
            let a = item
                .select(&link)
                .next()
                .expect("an institution has a link");
            let href = a.value().attr("href").unwrap_or_default().to_owned();
            let counts = item.select(&count).next().map(text_of).unwrap_or_default();
            (href, text_of(a), counts)
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "/institutions/example-university/".to_owned(),
                "Example University".to_owned(),
                "2 researchers, 3 works".to_owned(),
            ),
            (
                "/institutions/institute-of-looms/".to_owned(),
                "Institute of Looms".to_owned(),
                "1 researcher, 2 works".to_owned(),
            ),
        ]
    );
    for (href, _, counts) in &rows {
        let page = site.page(&format!("{}index.html", href.trim_start_matches('/')));
        let expected = format!(
            "{} researcher{}, {} work{}",
            members(&page).len(),
            if members(&page).len() == 1 { "" } else { "s" },
            work_links(&page).len(),
            if work_links(&page).len() == 1 {
                ""
            } else {
                "s"
            },
        );
        assert_eq!(counts, &expected, "counts of {href} match its page");
    }
}

#[test]
fn navigation_links_institutions() {
    let site = campus();
    let home = site.page("index.html");
    assert!(
        home.attrs("nav a", "href")
            .contains(&"/institutions/".to_owned()),
        "the navigation links the institution list"
    );

    let plain = Fixture::new();
    plain
        .researcher("cy", "name: Cy Young\n")
        .publication("alone", "title: Alone\nauthors: [cy]\nyear: 2018\n");
    plain.build();
    let home = plain.page("index.html");
    assert!(
        !home
            .attrs("nav a", "href")
            .contains(&"/institutions/".to_owned()),
        "no navigation link when no researcher lists an affiliation"
    );
    let list = plain.page("institutions/index.html");
    assert_eq!(list.count("ul.institution-list"), 0);
    assert_eq!(
        list.texts("main p"),
        ["No researcher lists an affiliation yet."]
    );
}

#[test]
fn blank_affiliation_gets_no_page() {
    let site = Fixture::new();
    site.researcher(
        "ada",
        "name: Ada Byron\naffiliations:\n  - { name: ' ', role: Visitor }\n",
    );
    site.build();
    let ada = site.page("researchers/ada/index.html");
    assert_eq!(affiliation_links(&ada), Vec::<String>::new());
    assert!(
        !site.output().join("institutions/t").exists(),
        "a blank name has no institution page"
    );
}

#[test]
fn institution_names_are_escaped() {
    let site = Fixture::new();
    site.researcher(
        "eve",
        concat!(
            "name: Eve\n",
            "affiliations:\n",
            "  - { name: '<script>alert(1)</script> Lab', role: '<b>Chief</b>' }\n",
        ),
    )
    .publication("p", "title: P\nauthors: [eve]\nyear: 2020\n");
    site.build();
    let page = site.page("institutions/script-alert-1-script-lab/index.html");
    assert_eq!(page.texts("h1"), ["<script>alert(1)</script> Lab"]);
    assert_eq!(page.texts("ul.positions .role"), ["<b>Chief</b>"]);
    assert_eq!(page.count("main script"), 0, "the name is text, not markup");
    assert_eq!(page.count("main b"), 0, "the role is text, not markup");
    let list = site.page("institutions/index.html");
    assert_eq!(list.count("main script"), 0);
    let profile = site.page("researchers/eve/index.html");
    assert_eq!(
        profile.texts("ul.affiliations a"),
        ["<script>alert(1)</script> Lab"]
    );
}

#[test]
fn institution_links_follow_base_path() {
    let site = campus();
    site.file("site.yaml", "base_url: https://example.org/lab/\n");
    site.build();
    let ada = site.page("researchers/ada/index.html");
    assert_eq!(
        affiliation_links(&ada)[0],
        "/lab/institutions/example-university/"
    );
    let list = site.page("institutions/index.html");
    assert_eq!(
        list.attrs("ul.institution-list a", "href")[0],
        "/lab/institutions/example-university/"
    );
    assert_eq!(
        list.attrs("link[rel=canonical]", "href"),
        ["https://example.org/lab/institutions/"]
    );
}

#[test]
fn check_accepts_institution_links() {
    let site = campus();
    let problems = site.check();
    let errors: Vec<&String> = problems.iter().filter(|p| p.contains(": error:")).collect();
    assert!(errors.is_empty(), "vita check reports {errors:?}");
}

#[test]
fn sitemap_lists_institution_pages() {
    let site = campus();
    let sitemap =
        std::fs::read_to_string(site.output().join("sitemap.xml")).expect("read sitemap.xml");
    for path in [
        "https://example.org/institutions/",
        "https://example.org/institutions/example-university/",
        "https://example.org/institutions/institute-of-looms/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{path}</loc>")),
            "{path} is missing from the sitemap"
        );
    }
}

// The works filter on profile pages.

#[test]
fn work_data_matches_visible_text() {
    let site = campus();
    for id in ["ada", "bob", "cy"] {
        let page = site.page(&format!("researchers/{id}/index.html"));
        let groups = selector("section.year");
        let heading = selector("h3");
        let works = selector("li.work");
        let kind = selector(".work-type");
        let year = selector(".work-year");
        let mut checked = 0;
        for group in page.document.select(&groups) {
            let group_year = group.select(&heading).next().map(text_of);
            for work in group.select(&works) {
                let element = work.value();
                let visible_kind = work.select(&kind).next().map(text_of);
                let visible_year = work.select(&year).next().map(text_of);
                assert_eq!(
                    element.attr("data-type"),
                    visible_kind.as_deref(),
                    "data-type of {:?} on {id}",
                    element.id()
                );
                assert_eq!(
                    element.attr("data-year"),
                    visible_year.as_deref(),
                    "data-year of {:?} on {id}",
                    element.id()
                );
                assert_eq!(
                    element.attr("data-year"),
                    group_year.as_deref(),
                    "{:?} sits under its year heading on {id}",
                    element.id()
                );
                checked += 1;
            }
        }
        assert_eq!(
            checked,
            page.count("li.work"),
            "every work is in a year on {id}"
        );
        assert!(checked > 0, "{id} has works");
    }
}

#[test]
fn works_filter_is_hidden_and_labelled() {
    let site = campus();
    let page = site.page("researchers/ada/index.html");
    let form = selector("form.works-filter");
    let forms: Vec<ElementRef<'_>> = page.document.select(&form).collect();
    assert_eq!(forms.len(), 1, "one filter form");
    assert!(
        forms[0].value().attr("hidden").is_some(),
        "the form is hidden until the script shows it"
    );

    let selects = page.attrs("form.works-filter select", "id");
    assert_eq!(selects.len(), 3, "type, year and sort");
    for id in &selects {
        let labels = page.texts(&format!("form.works-filter label[for='{id}']"));
        assert_eq!(labels.len(), 1, "one label for #{id}");
        assert!(!labels[0].is_empty(), "the label of #{id} has text");
    }
    assert_eq!(
        page.texts("form.works-filter label"),
        ["Type", "Year", "Sort"]
    );

    let types: BTreeSet<String> = page.attrs("li.work", "data-type").into_iter().collect();
    let offered: BTreeSet<String> = page
        .attrs("#works-filter-type option", "value")
        .into_iter()
        .filter(|value| !value.is_empty())
        .collect();
    assert_eq!(
        offered, types,
        "the type filter offers the types in the list"
    );
    assert_eq!(
        page.texts("#works-filter-type option"),
        ["All types", "Conference (1)", "Preprint (1)"]
    );

    let years: Vec<String> = page
        .attrs("#works-filter-year option", "value")
        .into_iter()
        .filter(|value| !value.is_empty())
        .collect();
    assert_eq!(
        years,
        page.texts("section.year h3"),
        "the year filter offers the years in the list"
    );
    assert_eq!(
        page.attrs("#works-filter-sort option", "value"),
        ["newest", "oldest", "title"]
    );
    assert_eq!(page.count("form.works-filter [role=status]"), 1);
}

#[test]
fn works_filter_script_is_inline() {
    let site = campus();
    let page = site.page("researchers/ada/index.html");
    let scripts = selector("script:not([type='application/ld+json'])");
    let inline: Vec<ElementRef<'_>> = page.document.select(&scripts).collect();
    for script in &inline {
        assert_eq!(script.value().attr("src"), None, "a script loads a file");
    }
    let filter: Vec<String> = inline
        .iter()
        .map(|script| script.text().collect::<String>())
        .filter(|text| text.contains("works-filter"))
        .collect();
    assert_eq!(filter.len(), 1, "one inline script drives the filter");
    assert!(
        filter[0].contains("form.hidden = false"),
        "the script reveals the form"
    );
    assert_eq!(
        page.count("link[rel=stylesheet]"),
        1,
        "no stylesheet besides the theme's"
    );
}

#[test]
fn profile_without_works_has_no_filter() {
    let site = Fixture::new();
    site.researcher("ada", "name: Ada Byron\n");
    site.build();
    let page = site.page("researchers/ada/index.html");
    assert_eq!(page.count("form.works-filter"), 0);
    assert_eq!(
        page.texts("section.works-section p"),
        ["No works listed yet."]
    );
}
