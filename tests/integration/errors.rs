//! Content errors: every problem reported with its location and a fix.
//!
//! Each test pins whole printed lines (`path:line:column: error: message`), so a change to
//! a message or a location shows up here as a test change.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use vita::{BuildError, BuildOptions};

use crate::common::{self, Fixture};

const ALICE: &str = "name: Alice Liddell\n";
const PAPER: &str = "title: Looking-glass optics\nauthors: [alice]\nyear: 2020\n";

/// Creates a site with the researcher `alice` and the publication `paper` written as `yaml`.
fn site_with_paper(yaml: &str) -> Fixture {
    let fixture = Fixture::new();
    fixture.researcher("alice", ALICE);
    fixture.publication("paper", yaml);
    fixture
}

/// Builds a site whose only publication is `yaml` and returns the printed errors.
fn paper_errors(yaml: &str) -> Vec<String> {
    site_with_paper(yaml).build_errors()
}

fn lines(expected: &[&str]) -> Vec<String> {
    expected.iter().map(|line| (*line).to_owned()).collect()
}

// Values that YAML reads differently from what the author meant.

#[test]
fn colon_in_value_needs_quotes() {
    let errors = paper_errors("title: Dark matter: a field guide\nauthors: [alice]\nyear: 2020\n");
    let expected = lines(&[
        "content/publications/paper.yaml:1:19: error: `title`: the value contains `: `, which \
         YAML reads as the start of another key; quote the whole value, for example \
         `title: 'text: more text'`",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn indented_key_explained() {
    let plain = paper_errors("title: T\n  authors: [alice]\nyear: 2020\n");
    let expected = lines(&[
        "content/publications/paper.yaml:2:10: error: `authors` is indented under `title`, which \
         already has a value, so YAML reads it as part of that value; indent `authors` like `title`",
    ]);
    assert_eq!(plain, expected);

    let quoted = paper_errors("title: 'T'\n  authors: [alice]\nyear: 2020\n");
    let expected = lines(&[
        "content/publications/paper.yaml:2:3: error: `authors` is indented under `title`, which \
         already has a value, so YAML reads it as part of that value; indent `authors` like `title`",
    ]);
    assert_eq!(quoted, expected);
}

#[test]
fn missing_absolute_base_url_warns() {
    let fixture = site_with_paper(PAPER);
    fixture.file("site.yaml", "title: Lab\nbase_url: /lab/\n");
    let report = fixture.build();
    let expected = lines(&[
        "site.yaml:2:1: warning: `base_url` is not an absolute URL, so feeds, the sitemap and \
         canonical links use paths from the site root instead of full addresses; set \
         `base_url: https://…` to the address the site is published at",
    ]);
    assert_eq!(fixture.printed(&report.warnings), expected);
}

#[test]
fn settings_in_site_yml_reported() {
    let fixture = site_with_paper(PAPER);
    std::fs::remove_file(fixture.root().join("site.yaml")).expect("remove site.yaml");
    fixture.file("site.yml", "title: Lab\n");
    let expected = lines(&[
        "site.yml:1:1: error: Vita reads its settings from site.yaml, not site.yml; rename the file",
    ]);
    assert_eq!(fixture.build_errors(), expected);
}

#[test]
fn every_wrong_key_reported() {
    let errors = paper_errors(
        "title: 'T'\nauthors: [alice]\nyear: 20x4\nvenu: X\nabstarct: y\ntopics: 3\nlinks:\n  dio: x\n",
    );
    let expected = lines(&[
        "content/publications/paper.yaml:3:7: error: `year`: invalid year \"20x4\"; expected a \
         four-digit year such as 2020",
        "content/publications/paper.yaml:4:1: error: unknown key `venu`; did you mean `venue`?",
        "content/publications/paper.yaml:5:1: error: unknown key `abstarct`; did you mean \
         `abstract`?",
        "content/publications/paper.yaml:6:1: error: `topics`: expected a list, found integer `3`",
        "content/publications/paper.yaml:7:1: error: unknown key `dio` in `links`; did you mean \
         `doi`?",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn missing_key_and_wrong_key_together() {
    let errors = paper_errors("year: 2020\nauthors: 5\n");
    let expected = lines(&[
        "content/publications/paper.yaml:1:1: error: missing required key `title`; add a line \
         `title: …`",
        "content/publications/paper.yaml:2:10: error: `authors`: expected a list, found integer \
         `5`",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn latex_tab_escape_in_double_quotes() {
    let errors = paper_errors("title: \"$\\textit{x}$\"\nauthors: [alice]\nyear: 2020\n");
    let expected = lines(&[
        "content/publications/paper.yaml:1:1: error: `title` is in double quotes, where YAML \
         reads `\\t` in `\\textit` as a TAB; write the value in single quotes or as a `|` block",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn latex_escapes_without_control_characters() {
    let paper = "title: \"$\\nabla f$\"\nauthors: [alice]\nyear: 2020\nvenue: \"A\\_B\"\n\
                 abstract: \"The $\\Phi$ map\"\ntopics:\n  - \"\\nu\"\n";
    let expected = lines(&[
        "content/publications/paper.yaml:1:1: error: `title` is in double quotes, where YAML \
         reads `\\n` in `\\nabla` as a line break; write the value in single quotes or as a `|` block",
        "content/publications/paper.yaml:4:1: error: `venue` is in double quotes, where YAML \
         reads `\\_` in `\\_B` as a no-break space; write the value in single quotes or as a `|` block",
        "content/publications/paper.yaml:5:1: error: `abstract` is in double quotes, where YAML \
         reads `\\P` in `\\Phi` as a paragraph separator; write the value in single quotes or as a \
         `|` block",
        "content/publications/paper.yaml:7:3: error: `topics` is in double quotes, where YAML \
         reads `\\n` in `\\nu` as a line break; write the value in single quotes or as a `|` block",
    ]);
    assert_eq!(paper_errors(paper), expected);
}

#[test]
fn invalid_escape_in_double_quotes() {
    let errors = paper_errors("authors: [alice]\nyear: 2020\ntitle: \"As in \\cite{x}\"\n");
    let expected = lines(&[
        "content/publications/paper.yaml:3:15: error: `title`: `\\c` is not a valid escape in a \
         double-quoted YAML string; write the value in single quotes or as a `|` block, where \
         backslashes are kept as written",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn latex_in_single_quotes_builds() {
    let fixture =
        site_with_paper("title: '$\\textit{x}$ and \\cite{y}'\nauthors: [alice]\nyear: 2020\n");
    let report = fixture.build();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn unclosed_quote_points_at_opening() {
    let errors = paper_errors("authors: [alice]\ntitle: \"Looking-glass optics\nyear: 2020\n");
    let expected = lines(&[
        "content/publications/paper.yaml:2:8: error: `title`: the quoted value is not closed; \
         add the closing quote",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn tab_indentation_reported() {
    let errors = paper_errors("title: T\nauthors:\n\t- alice\nyear: 2020\n");
    let expected = lines(&[
        "content/publications/paper.yaml:3:1: error: YAML does not allow tabs for indentation; \
         indent with spaces",
    ]);
    assert_eq!(errors, expected);
}

// Unknown and duplicate keys.

#[test]
fn unknown_key_suggests_match() {
    let errors = paper_errors(&format!("{PAPER}abstarct: Through the mirror.\n"));
    let expected = lines(&[
        "content/publications/paper.yaml:4:1: error: unknown key `abstarct`; did you mean `abstract`?",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn unknown_link_kind_suggests_match() {
    let errors = paper_errors(&format!("{PAPER}links:\n  dio: 10.1000/xyz123\n"));
    let expected = lines(&[
        "content/publications/paper.yaml:5:3: error: unknown key `dio` in `links`; did you mean `doi`?",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn unknown_flow_link_kind_located() {
    let errors = paper_errors(&format!(
        "{PAPER}links: {{pdf: /a.pdf, dio: 10.1000/xyz123}}\n"
    ));
    let expected = lines(&[
        "content/publications/paper.yaml:4:22: error: unknown key `dio` in `links`; did you mean `doi`?",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn unknown_author_key_suggests_match() {
    let yaml =
        "title: T\nyear: 2020\nauthors:\n  - alice\n  - name: Bob Lee\n    afiliation: Oxford\n";
    let expected = lines(&[
        "content/publications/paper.yaml:6:5: error: unknown key `afiliation` in `authors[1]`; \
         did you mean `affiliation`?",
    ]);
    assert_eq!(paper_errors(yaml), expected);
}

#[test]
fn unknown_identifier_lists_keys() {
    let fixture = Fixture::new();
    fixture.researcher("alice", "name: Alice\nidentifiers:\n  twitter: alice\n");
    let expected = lines(&[
        "content/researchers/alice.yaml:3:3: error: unknown key `twitter` in `identifiers`; \
         expected one of: orcid, google_scholar, dblp, arxiv, semantic_scholar, openreview, \
         github, homepage",
    ]);
    assert_eq!(fixture.build_errors(), expected);
}

#[test]
fn duplicate_key_names_first_line() {
    let errors = paper_errors(&format!("{PAPER}title: Second title\n"));
    let expected = lines(&[
        "content/publications/paper.yaml:4:1: error: duplicate key `title`; it is first set on \
         line 1; keep one of the two",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn duplicate_link_kind_rejected() {
    let yaml = format!("{PAPER}links:\n  doi: 10.1000/a\n  pdf: /a.pdf\n  doi: 10.1000/b\n");
    let expected = lines(&[
        "content/publications/paper.yaml:7:3: error: duplicate key `links.doi`; it is first set \
         on line 5; keep one of the two",
    ]);
    assert_eq!(paper_errors(&yaml), expected);
}

#[test]
fn duplicate_flow_link_kind_rejected() {
    let errors = paper_errors(&format!(
        "{PAPER}links: {{doi: 10.1000/a, doi: 10.1000/b}}\n"
    ));
    let expected = lines(&[
        "content/publications/paper.yaml:4:8: error: duplicate key `links.doi`; keep one of the two",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn duplicate_author_key_located() {
    let yaml =
        "title: T\nyear: 2020\nauthors:\n  - name: Bob Lee\n    affiliation: A\n    name: Bo Lee\n";
    let expected = lines(&[
        "content/publications/paper.yaml:6:5: error: duplicate key `authors[0].name`; it is first \
         set on line 4; keep one of the two",
    ]);
    assert_eq!(paper_errors(yaml), expected);
}

// Ids and file names.

#[test]
fn duplicate_ids_one_error() {
    let fixture = Fixture::new();
    fixture.researcher("alice", ALICE);
    fixture.publication("first", &format!("{PAPER}id: same\n"));
    fixture.publication("second", &format!("{PAPER}id: same\n"));
    let expected = lines(&[
        "content/publications/first.yaml:1:1: error: publication id `same` is also used by \
         content/publications/second.yaml; give each file a different name or `id:`",
    ]);
    assert_eq!(fixture.build_errors(), expected);
}

#[test]
fn same_name_in_two_folders() {
    let fixture = Fixture::new();
    fixture.researcher("alice", ALICE);
    fixture.file("content/publications/2020/optics.yaml", PAPER);
    fixture.file("content/publications/2021/optics.yaml", PAPER);
    let expected = lines(&[
        "content/publications/2020/optics.yaml:1:1: error: publication id `optics` is also used by \
         content/publications/2021/optics.yaml; give each file a different name or `id:`",
    ]);
    assert_eq!(fixture.build_errors(), expected);
}

#[test]
fn invalid_id_suggests_slug() {
    let errors = paper_errors(&format!("{PAPER}id: Bad_Id\n"));
    let expected = lines(&[
        "content/publications/paper.yaml:4:1: error: `id`: `Bad_Id` is not a valid id; use \
         lowercase letters, digits and single hyphens, such as `bad-id`",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn invalid_file_name_suggests_slug() {
    let fixture = Fixture::new();
    fixture.researcher("alice", ALICE);
    fixture.publication("My Paper", PAPER);
    let expected = lines(&[
        "content/publications/My Paper.yaml:1:1: error: the file name `My Paper` is not a valid \
         id; rename the file to `my-paper.yaml` or add `id: my-paper`",
    ]);
    assert_eq!(fixture.build_errors(), expected);
}

// Dates.

#[test]
fn date_in_words_rejected() {
    let errors = paper_errors("title: T\nauthors: [alice]\ndate: May 2020\n");
    let expected = lines(&[
        "content/publications/paper.yaml:3:1: error: `date`: invalid date `May 2020`; expected \
         `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, such as `2024-05-17`",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn date_with_slashes_rejected() {
    let errors = paper_errors("title: T\nauthors: [alice]\ndate: 2020/05/01\n");
    let expected = lines(&[
        "content/publications/paper.yaml:3:1: error: `date`: invalid date `2020/05/01`; expected \
         `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, such as `2024-05-17`",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn impossible_day_rejected() {
    let errors = paper_errors("title: T\nauthors: [alice]\ndate: 2023-02-29\n");
    let expected = lines(&[
        "content/publications/paper.yaml:3:1: error: `date`: day 29 in `2023-02-29` does not \
         exist; that month has 28 days",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn quoted_year_accepted() {
    let fixture = site_with_paper("title: T\nauthors: [alice]\nyear: \"2020\"\n");
    fixture.build();
    let page = fixture.output().join("publications/paper/index.html");
    assert!(page.is_file(), "{} was not written", page.display());
}

#[test]
fn missing_year_and_date() {
    let errors = paper_errors("title: T\nauthors: [alice]\n");
    let expected = lines(&[
        "content/publications/paper.yaml:1:1: error: missing required key `year` (or `date`); \
         add a line such as `year: 2024`",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn year_and_date_disagree() {
    let errors = paper_errors("title: T\nauthors: [alice]\nyear: 2021\ndate: 2020-05-01\n");
    let expected = lines(&[
        "content/publications/paper.yaml:3:1: error: `year` is 2021 but `date` is in 2020; remove \
         `year` or make them agree",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn year_out_of_range() {
    let errors = paper_errors("title: T\nauthors: [alice]\nyear: 20\n");
    let expected = lines(&[
        "content/publications/paper.yaml:3:7: error: `year`: year 20 is out of range; expected a \
         four-digit year such as 2020",
    ]);
    assert_eq!(errors, expected);
}

// Types and identifiers.

#[test]
fn unknown_type_lists_types() {
    let errors = paper_errors(&format!("{PAPER}type: journal\n"));
    let expected = lines(&[
        "content/publications/paper.yaml:4:1: error: `type`: unknown publication type `journal`; \
         expected one of: article, conference, preprint, chapter, book, thesis, report, dataset, \
         software, talk, poster, patent, other",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn misspelled_type_suggests_match() {
    let errors = paper_errors(&format!("{PAPER}type: artcle\n"));
    let expected = lines(&[
        "content/publications/paper.yaml:4:1: error: `type`: unknown publication type `artcle`; \
         did you mean `article`?",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn invalid_doi_and_arxiv() {
    let errors = paper_errors(&format!(
        "{PAPER}links:\n  doi: 11.1000/x\n  arxiv: 2103.1\n"
    ));
    let expected = lines(&[
        "content/publications/paper.yaml:5:3: error: `links.doi`: invalid DOI `11.1000/x`; \
         expected the form `10.<registrant>/<suffix>`, such as `10.1000/xyz123`",
        "content/publications/paper.yaml:6:3: error: `links.arxiv`: invalid arXiv id `2103.1`; \
         expected a form such as `2103.10230`, `2103.10230v2` or `hep-th/9901001`",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn orcid_check_digit_named() {
    let fixture = Fixture::new();
    fixture.researcher(
        "alice",
        "name: Alice\nidentifiers:\n  orcid: 0000-0002-1825-0098\n",
    );
    let expected = lines(&[
        "content/researchers/alice.yaml:3:3: error: `identifiers.orcid`: invalid ORCID iD \
         `0000-0002-1825-0098`: the check digit is `8` but should be `7`; check the iD for a typo",
    ]);
    assert_eq!(fixture.build_errors(), expected);
}

// Required keys and authors.

#[test]
fn missing_title_reported() {
    let errors = paper_errors("authors: [alice]\nyear: 2020\n");
    let expected = lines(&[
        "content/publications/paper.yaml:1:1: error: missing required key `title`; add a line `title: …`",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn missing_authors_reported() {
    let errors = paper_errors("title: T\nyear: 2020\n");
    let expected = lines(&[
        "content/publications/paper.yaml:1:1: error: missing required key `authors`; add a line `authors: …`",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn missing_nested_key_located() {
    let fixture = Fixture::new();
    fixture.researcher("alice", "name: Alice\naffiliations:\n  - role: Fellow\n");
    let expected = lines(&[
        "content/researchers/alice.yaml:3:5: error: missing required key `name` in \
         `affiliations[0]`; add a line `name: …`",
    ]);
    assert_eq!(fixture.build_errors(), expected);
}

#[test]
fn unknown_researcher_id_reported() {
    let errors = paper_errors("title: T\nyear: 2020\nauthors:\n  - researcher: nobody\n");
    let expected = lines(&[
        "content/publications/paper.yaml:4:5: error: `authors[0].researcher`: no researcher has \
         the id `nobody`; check the id against the files in content/researchers/",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn close_researcher_id_suggested() {
    let errors = paper_errors("title: T\nyear: 2020\nauthors:\n  - researcher: alcie\n");
    let expected = lines(&[
        "content/publications/paper.yaml:4:5: error: `authors[0].researcher`: no researcher has \
         the id `alcie`; did you mean `alice`?",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn authors_not_a_list() {
    let errors = paper_errors("title: T\nyear: 2020\nauthors: alice\n");
    let expected = lines(&[
        "content/publications/paper.yaml:3:10: error: `authors`: expected a list, found string \"alice\"",
    ]);
    assert_eq!(errors, expected);
}

// File contents and names.

#[test]
fn empty_file_reported() {
    let errors = paper_errors("");
    let expected = lines(&[
        "content/publications/paper.yaml:1:1: error: the file is empty; expected a YAML mapping \
         of keys such as `name:` or `title:`",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn non_mapping_file_reported() {
    let errors = paper_errors("- alice\n- bob\n");
    let expected = lines(&[
        "content/publications/paper.yaml:1:1: error: expected a mapping of `key: value` lines, \
         found sequence",
    ]);
    assert_eq!(errors, expected);
}

#[test]
fn invalid_utf8_content_located() {
    let fixture = site_with_paper(PAPER);
    let path = fixture.root().join("content/publications/paper.yaml");
    std::fs::write(
        &path,
        b"authors: [alice]\ntitle: Caf\xe9 society\nyear: 2020\n",
    )
    .expect("write a Latin-1 file");
    let expected = lines(&[
        "content/publications/paper.yaml:2:11: error: the file is not valid UTF-8; save it with \
         UTF-8 encoding",
    ]);
    assert_eq!(fixture.build_errors(), expected);
}

#[test]
fn invalid_utf8_file_name_reported() {
    let fixture = Fixture::new();
    fixture.researcher("alice", ALICE);
    let folder = fixture.root().join("content/publications");
    std::fs::create_dir_all(&folder).expect("create the publications folder");
    let name = OsStr::from_bytes(b"caf\xe9.yaml");
    std::fs::write(folder.join(name), PAPER).expect("write a file with a Latin-1 name");
    let expected = lines(&[
        "content/publications/caf\u{fffd}.yaml: error: the file name is not valid UTF-8; rename \
         the file using UTF-8 characters",
    ]);
    assert_eq!(fixture.build_errors(), expected);
}

#[test]
fn byte_order_mark_accepted() {
    let fixture = site_with_paper(&format!("\u{feff}{PAPER}"));
    fixture.build();
    let page = fixture.output().join("publications/paper/index.html");
    assert!(page.is_file(), "{} was not written", page.display());
}

#[test]
fn byte_order_mark_keeps_locations() {
    let errors = paper_errors("\u{feff}titel: T\nauthors: [alice]\nyear: 2020\n");
    let expected = lines(&[
        "content/publications/paper.yaml:1:1: error: unknown key `titel`; did you mean `title`?",
    ]);
    assert_eq!(errors, expected);
}

// Whole builds.

#[test]
fn all_problems_in_one_run() {
    let fixture = Fixture::new();
    fixture.researcher("alice", ALICE);
    fixture.researcher(
        "bob",
        "name: Bob\nidentifiers:\n  orcid: 0000-0002-1825-0098\n",
    );
    fixture.publication("Bad Name", PAPER);
    fixture.publication(
        "colon",
        "title: Optics: a primer\nauthors: [alice]\nyear: 2020\n",
    );
    fixture.publication("dated", "title: T\nauthors: [alice]\ndate: 2023-02-29\n");
    fixture.publication("typo", &format!("{PAPER}venu: Nature\n"));
    fixture.publication("fine", PAPER);
    let expected = lines(&[
        "content/publications/Bad Name.yaml:1:1: error: the file name `Bad Name` is not a valid \
         id; rename the file to `bad-name.yaml` or add `id: bad-name`",
        "content/publications/colon.yaml:1:14: error: `title`: the value contains `: `, which \
         YAML reads as the start of another key; quote the whole value, for example \
         `title: 'text: more text'`",
        "content/publications/dated.yaml:3:1: error: `date`: day 29 in `2023-02-29` does not \
         exist; that month has 28 days",
        "content/publications/typo.yaml:4:1: error: unknown key `venu`; did you mean `venue`?",
        "content/researchers/bob.yaml:3:3: error: `identifiers.orcid`: invalid ORCID iD \
         `0000-0002-1825-0098`: the check digit is `8` but should be `7`; check the iD for a typo",
    ]);
    assert_eq!(fixture.build_errors(), expected);
}

/// Names of the entries directly in `dir`, sorted.
fn entry_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list the folder")
        .map(|entry| {
            let entry = entry.expect("read a folder entry");
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn invalid_content_keeps_output() {
    let fixture = site_with_paper(PAPER);
    fixture.build();
    let before = common::tree(&fixture.output());
    fixture.publication("paper", &format!("{PAPER}abstarct: x\n"));
    fixture.build_errors();
    assert_eq!(common::tree(&fixture.output()), before);
}

#[test]
fn invalid_content_leaves_no_staging() {
    let fixture = site_with_paper(PAPER);
    fixture.build();
    fixture.publication("paper", &format!("{PAPER}abstarct: x\n"));
    fixture.build_errors();
    assert_eq!(
        entry_names(fixture.root()),
        ["content", "output", "site.yaml"]
    );
}

#[test]
fn static_file_blocking_folder_rejected() {
    let fixture = site_with_paper(PAPER);
    fixture.build();
    let before = common::tree(&fixture.output());
    // A static file named like the folder of the researcher pages cannot coexist with it.
    fixture.file("content/static/researchers", "not a folder\n");
    assert_eq!(
        fixture.build_errors(),
        [
            "content/static/researchers: error: `researchers` is a file where the site needs a folder of generated pages; rename or move the file"
        ]
    );
    assert_eq!(common::tree(&fixture.output()), before);
    assert_eq!(
        entry_names(fixture.root()),
        ["content", "output", "site.yaml"]
    );
}

#[test]
fn static_file_replacing_page_rejected() {
    let fixture = site_with_paper(PAPER);
    fixture.file("content/static/publications/index.html", "<p>mine</p>\n");
    fixture.file("content/static/404.html/x.txt", "x\n");
    assert_eq!(
        fixture.build_errors(),
        [
            "content/static/404.html/x.txt: error: `404.html/x.txt` needs a folder where Vita generates a page; rename or move the file",
            "content/static/publications/index.html: error: `publications/index.html` would replace a page that Vita generates; rename or move the file",
        ]
    );
}

// Output folder safety. The site lives in `<temporary folder>/site`, so that even the
// parent of the site folder is a folder that the test owns.

/// Creates a valid site in `<fixture>/site` and returns it with the site's resolved path.
fn nested_site() -> (Fixture, PathBuf) {
    let fixture = Fixture::new();
    fixture.file("site/content/researchers/alice.yaml", ALICE);
    fixture.file("site/content/publications/paper.yaml", PAPER);
    let root = std::fs::canonicalize(fixture.root().join("site")).expect("resolve the site");
    (fixture, root)
}

/// Builds `root` into `output`, expecting the build to be rejected, and returns the message.
fn rejected(root: &Path, output: &Path) -> String {
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        base_url: None,
    };
    match vita::build(&options) {
        Ok(_) => panic!(
            "the build into {} was expected to be rejected",
            output.display()
        ),
        Err(BuildError::Io(err)) => format!("{err:#}"),
        Err(BuildError::Invalid(diagnostics)) => {
            panic!("expected an I/O error, got {diagnostics:?}")
        }
        Err(BuildError::Usage(message)) => panic!("expected an I/O error, got {message}"),
    }
}

#[test]
fn output_equal_to_root_rejected() {
    let (fixture, root) = nested_site();
    fixture.file("site/keep.txt", "keep\n");
    let message = rejected(&root, &root);
    let expected = format!(
        "refusing to write the site into {}: it contains the site source; choose another --output",
        root.display()
    );
    assert_eq!(message, expected);
    assert!(root.join("keep.txt").is_file());
}

#[test]
fn output_parent_of_root_rejected() {
    let (fixture, root) = nested_site();
    fixture.file("keep.txt", "keep\n");
    let parent = root.parent().expect("the site has a parent");
    let message = rejected(&root, parent);
    let expected = format!(
        "refusing to write the site into {}: it contains the site source; choose another --output",
        parent.display()
    );
    assert_eq!(message, expected);
    assert!(parent.join("keep.txt").is_file());
}

#[test]
fn output_inside_content_rejected() {
    let (fixture, root) = nested_site();
    fixture.file("site/content/keep.txt", "keep\n");
    let content = root.join("content");
    let message = rejected(&root, &content);
    let expected = format!(
        "refusing to write the site into {}: it is inside the site's content/ folder; choose \
         another --output",
        content.display()
    );
    assert_eq!(message, expected);
    assert!(content.join("keep.txt").is_file());
}

#[test]
fn output_foreign_folder_rejected() {
    let (fixture, root) = nested_site();
    fixture.file("notes/keep.txt", "keep\n");
    let notes = root.parent().expect("the site has a parent").join("notes");
    let message = rejected(&root, &notes);
    let expected = format!(
        "refusing to replace {}: it is not empty and was not written by vita build; remove it \
         yourself or choose another --output",
        notes.display()
    );
    assert_eq!(message, expected);
    assert!(notes.join("keep.txt").is_file());
}

#[test]
fn output_empty_folder_accepted() {
    let (fixture, root) = nested_site();
    let empty = fixture.root().join("empty");
    std::fs::create_dir(&empty).expect("create an empty folder");
    let options = BuildOptions {
        root,
        output: Some(empty.clone()),
        base_url: None,
    };
    fixture.build_with(options);
    assert!(empty.join("index.html").is_file());
}

// The `vita` binary.

/// Runs `vita build --root <fixture> ARGS` with logging settings from the environment removed.
fn run_vita(fixture: &Fixture, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vita"))
        .arg("build")
        .arg("--root")
        .arg(fixture.root())
        .args(args)
        .env_remove("VITA_LOG")
        .output()
        .expect("run the vita binary")
}

/// Returns stderr as lines, with the fixture folder written as `<root>` and every
/// duration (`in 0.03 s`) written as `in <t> s`.
fn stderr_lines(fixture: &Fixture, output: &Output) -> Vec<String> {
    let root = fixture.root().display().to_string();
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(|line| mask_seconds(&line.replace(&root, "<root>")))
        .collect()
}

fn mask_seconds(line: &str) -> String {
    let split = line
        .strip_suffix(" s")
        .and_then(|head| head.rsplit_once(" in "));
    match split {
        Some((start, seconds)) if seconds.parse::<f64>().is_ok() => format!("{start} in <t> s"),
        _ => line.to_owned(),
    }
}

#[test]
fn binary_exit_zero_on_success() {
    let fixture = site_with_paper(PAPER);
    let output = run_vita(&fixture, &[]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn binary_prints_summary() {
    let fixture = site_with_paper(PAPER);
    let output = run_vita(&fixture, &[]);
    let files = written_files(&fixture);
    let expected = vec![
        "Loaded 1 researcher and 1 publication".to_owned(),
        format!("Built 9 pages ({files} files) into <root>/output in <t> s"),
    ];
    assert_eq!(stderr_lines(&fixture, &output), expected);
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
}

#[test]
fn binary_quiet_prints_nothing() {
    let fixture = site_with_paper(PAPER);
    let output = run_vita(&fixture, &["-q"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
}

#[test]
fn binary_verbose_prints_timings() {
    let fixture = site_with_paper(PAPER);
    let output = run_vita(&fixture, &["-v"]);
    let files = written_files(&fixture);
    let expected = vec![
        "Loaded 1 researcher and 1 publication".to_owned(),
        "debug: Loaded and linked content in <t> s".to_owned(),
        "debug: Rendered 9 pages in <t> s".to_owned(),
        format!("debug: Wrote {files} files in <t> s"),
        format!("Built 9 pages ({files} files) into <root>/output in <t> s"),
    ];
    assert_eq!(stderr_lines(&fixture, &output), expected);
}

/// Counts the files of the built site, leaving out the folder's marker file.
fn written_files(fixture: &Fixture) -> usize {
    let files = common::tree(&fixture.output());
    files
        .iter()
        .filter(|(path, _)| path != vita::output::MARKER_FILE)
        .count()
}

#[test]
fn binary_exit_one_on_invalid() {
    let fixture = site_with_paper(&format!("{PAPER}abstarct: x\n"));
    fixture.publication(
        "colon",
        "title: Optics: a primer\nauthors: [alice]\nyear: 2020\n",
    );
    let output = run_vita(&fixture, &[]);
    assert_eq!(output.status.code(), Some(1));
    let expected = lines(&[
        "Loaded 1 researcher and 2 publications",
        "<root>/content/publications/colon.yaml:1:14: error: `title`: the value contains `: `, \
         which YAML reads as the start of another key; quote the whole value, for example \
         `title: 'text: more text'`",
        "<root>/content/publications/paper.yaml:4:1: error: unknown key `abstarct`; did you mean \
         `abstract`?",
        "error: the build failed with 2 error(s); the output folder was not changed",
    ]);
    assert_eq!(stderr_lines(&fixture, &output), expected);
}

#[test]
fn binary_quiet_still_prints_errors() {
    let fixture = site_with_paper(&format!("{PAPER}abstarct: x\n"));
    let output = run_vita(&fixture, &["-q"]);
    assert_eq!(output.status.code(), Some(1));
    let expected = lines(&[
        "<root>/content/publications/paper.yaml:4:1: error: unknown key `abstarct`; did you mean \
         `abstract`?",
        "error: the build failed with 1 error(s); the output folder was not changed",
    ]);
    assert_eq!(stderr_lines(&fixture, &output), expected);
}

#[test]
fn binary_exit_two_on_usage() {
    let fixture = site_with_paper(PAPER);
    let output = run_vita(&fixture, &["--bogus"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_lines(&fixture, &output);
    assert_eq!(stderr[0], "error: unexpected argument '--bogus' found");
    assert!(!fixture.output().exists(), "a usage error must not build");
}

#[test]
fn binary_missing_root_exits_two() {
    let fixture = Fixture::new();
    let missing = fixture.root().join("nowhere");
    let output = Command::new(env!("CARGO_BIN_EXE_vita"))
        .args(["build", "--root"])
        .arg(&missing)
        .output()
        .expect("run the vita binary");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = format!(
        "error: the site folder {} does not exist; pass the folder that contains content/ with --root\n",
        missing.display()
    );
    assert_eq!(stderr, expected);
    assert!(
        !missing.exists(),
        "nothing is created for a missing site folder"
    );
}

#[test]
fn binary_folder_without_site_exits_two() {
    let fixture = Fixture::empty();
    fixture.file("notes.txt", "not a site\n");
    let output = run_vita(&fixture, &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_lines(&fixture, &output);
    assert_eq!(
        stderr,
        [
            "error: <root> holds neither content/ nor site.yaml, so it is not a Vita site; \
          pass the site folder with --root, or create a site with `vita init`"
        ]
    );
}

#[test]
fn binary_invalid_base_url_exits_two() {
    let fixture = site_with_paper(PAPER);
    let output = run_vita(&fixture, &["--base-url", "example.org/lab"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_lines(&fixture, &output);
    assert_eq!(
        stderr,
        [
            "error: --base-url: invalid base URL `example.org/lab`; expected an absolute http(s) \
          URL such as `https://example.org/~lab/`, or a path such as `/lab/`"
        ]
    );
    assert!(!fixture.output().exists(), "a usage error must not build");
}

#[test]
fn binary_rejected_output_exits_one() {
    let fixture = site_with_paper(PAPER);
    fixture.file("notes/keep.txt", "keep\n");
    let notes = fixture.root().join("notes");
    let output = run_vita(&fixture, &["--output", notes.to_str().expect("UTF-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    let canonical = std::fs::canonicalize(&notes).expect("resolve the folder");
    let expected = vec![format!(
        "error: refusing to replace {}: it is not empty and was not written by vita build; \
         remove it yourself or choose another --output",
        canonical.display()
    )];
    let stderr: Vec<String> = String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(stderr, expected);
    assert!(notes.join("keep.txt").is_file());
}
