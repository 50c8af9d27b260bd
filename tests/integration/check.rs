//! `vita check`: every problem `vita build` reports, warnings for likely mistakes, and
//! links between the rendered pages, all reported without writing anything.
//!
//! Each test pins whole printed lines (`path:line:column: error|warning: message`).

use std::path::Path;
use std::process::{Command, Output};

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

/// Creates a site with `alice`, a `paper` with an abstract, and the theme `custom`
/// holding the given templates.
fn themed_site(templates: &[(&str, &str)]) -> Fixture {
    let fixture = site_with_paper(&format!("{PAPER}abstract: Mirrors.\n"));
    fixture.file(
        "site.yaml",
        "theme: custom\nbase_url: https://example.org/\n",
    );
    for (name, body) in templates {
        fixture.file(&format!("themes/custom/templates/{name}"), body);
    }
    fixture
}

// A clean site.

#[test]
fn clean_site_passes_and_writes_nothing() {
    let fixture = Fixture::new();
    fixture.researcher(
        "alice",
        "name: Alice Liddell\ntopics: [Optics]\navatar: static/alice.jpg\n\
         bio: 'My [works](/researchers/alice/#works), [CV](/cv.pdf) and [team](/about.html#team).'\n",
    );
    fixture.publication(
        "paper",
        "title: Looking-glass optics\nauthors: [alice]\nyear: 2020\ntopics: [Optics]\n\
         links:\n  pdf: /papers/looking%20glass.pdf\n  doi: https://doi.org/10.1000/xyz123\n\
         abstract: See [the topic](/topics/optics/) and [the top](#main).\n",
    );
    fixture.file("content/static/alice.jpg", "JPEG\n");
    fixture.file("content/static/cv.pdf", "%PDF\n");
    fixture.file("content/static/about.html", "<h2 id=\"team\">Team</h2>\n");
    fixture.file("content/static/papers/looking glass.pdf", "%PDF\n");
    let before = common::tree(fixture.root());

    assert_eq!(fixture.check(), Vec::<String>::new());
    assert!(
        !fixture.output().exists(),
        "check created the output folder"
    );
    assert_eq!(
        common::tree(fixture.root()),
        before,
        "check changed the site folder"
    );
}

#[test]
fn base_path_site_passes() {
    let fixture = site_with_paper(&format!(
        "{PAPER}abstract: See [Alice](/researchers/alice/).\n"
    ));
    fixture.file("site.yaml", "base_url: https://example.org/lab\n");
    assert_eq!(fixture.check(), Vec::<String>::new());
}

#[test]
fn example_site_has_no_errors() {
    let options = vita::check::CheckOptions {
        root: env!("CARGO_MANIFEST_DIR").into(),
    };
    let report = vita::check::check(&options).expect("check the example site");
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    assert_eq!(errors, Vec::<String>::new());
}

// Errors that `vita build` reports.

#[test]
fn content_errors_match_build() {
    let fixture = site_with_paper(&format!("{PAPER}abstarct: Through the mirror.\n"));
    fixture.publication(
        "colon",
        "title: Optics: a primer\nauthors: [alice]\nyear: 2020\n",
    );
    let expected = [
        "content/publications/colon.yaml:1:14: error: `title`: the value contains `: `, which \
         YAML reads as the start of another key; quote the whole value, for example \
         `title: 'text: more text'`",
        "content/publications/paper.yaml:4:1: error: unknown key `abstarct`; did you mean \
         `abstract`?",
    ];
    assert_eq!(fixture.check(), expected);
    assert_eq!(fixture.build_errors(), expected);
}

#[test]
fn theme_and_content_errors_together() {
    let fixture = site_with_paper(&format!("{PAPER}abstarct: x\n"));
    fixture.file(
        "site.yaml",
        "theme: missing\nbase_url: https://example.org/\n",
    );
    assert_eq!(
        fixture.check(),
        [
            "content/publications/paper.yaml:4:1: error: unknown key `abstarct`; did you mean \
             `abstract`?",
            "site.yaml: error: `theme`: theme `missing` not found; expected a folder \
             themes/missing",
        ]
    );
}

#[test]
fn static_file_collision_is_error() {
    let fixture = site_with_paper(PAPER);
    fixture.file("content/static/publications/index.html", "<p>mine</p>\n");
    assert_eq!(
        fixture.check(),
        [
            "content/static/publications/index.html: error: `publications/index.html` would \
             replace a page that Vita generates; rename or move the file"
        ]
    );
}

#[test]
fn content_errors_skip_site_checks() {
    // Bob has no publications, but a publication with errors may be his, so the check
    // of the whole site does not run.
    let fixture = site_with_paper(&format!("{PAPER}abstarct: x\n"));
    fixture.researcher("bob", "name: Bob Example\n");
    assert_eq!(
        fixture.check(),
        [
            "content/publications/paper.yaml:4:1: error: unknown key `abstarct`; did you mean \
          `abstract`?"
        ]
    );
}

// Identifiers.

#[test]
fn orcid_check_digit_is_error() {
    let fixture = site_with_paper(PAPER);
    fixture.researcher(
        "alice",
        "name: Alice Liddell\nidentifiers:\n  orcid: 0000-0002-1825-0098\n",
    );
    assert_eq!(
        fixture.check(),
        [
            "content/researchers/alice.yaml:3:3: error: `identifiers.orcid`: invalid ORCID iD \
          `0000-0002-1825-0098`: the check digit is `8` but should be `7`; check the iD for a typo"
        ]
    );
}

#[test]
fn invalid_doi_and_arxiv_are_errors() {
    let fixture = site_with_paper(&format!(
        "{PAPER}links:\n  doi: 11.1000/x\n  arxiv: 2103.1\n"
    ));
    assert_eq!(
        fixture.check(),
        [
            "content/publications/paper.yaml:5:3: error: `links.doi`: invalid DOI `11.1000/x`; \
             expected the form `10.<registrant>/<suffix>`, such as `10.1000/xyz123`",
            "content/publications/paper.yaml:6:3: error: `links.arxiv`: invalid arXiv id \
             `2103.1`; expected a form such as `2103.10230`, `2103.10230v2` or `hep-th/9901001`",
        ]
    );
}

#[test]
fn identifier_forms_accepted() {
    let fixture = site_with_paper(&format!(
        "{PAPER}links:\n  doi: https://doi.org/10.1000/xyz123\n  arxiv: hep-th/9901001\n"
    ));
    fixture.publication(
        "second",
        "title: Second\nauthors: [alice]\nyear: 2021\n\
         links:\n  doi: 'doi:10.1000/abc'\n  arxiv: arXiv:2103.10230v2\n",
    );
    assert_eq!(fixture.check(), Vec::<String>::new());
}

// Author names.

#[test]
fn near_miss_author_suggests_id() {
    let fixture = Fixture::new();
    fixture.researcher("quanshi-zhang", "name: Quanshi Zhang\n");
    fixture.publication(
        "first",
        "title: First\nyear: 2020\nauthors:\n  - Ada Lovelace\n  - Quanshi Zhan\n",
    );
    fixture.publication(
        "second",
        "title: Second\nyear: 2021\nauthors: [quanshi-zhang]\n",
    );
    assert_eq!(
        fixture.check(),
        [
            "content/publications/first.yaml:5:3: warning: author `Quanshi Zhan` matches no \
          researcher, but is close to `Quanshi Zhang` (researcher `quanshi-zhang`); if it is \
          the same person, write the id `quanshi-zhang` instead of the name"
        ]
    );
}

#[test]
fn near_miss_detailed_author_suggests_key() {
    let fixture = Fixture::new();
    fixture.researcher(
        "quanshi-zhang",
        "name: Quanshi Zhang\naliases: [Q. Zhang]\n",
    );
    fixture.publication(
        "first",
        "title: First\nyear: 2020\nauthors:\n  - quanshi-zhang\n  - name: Q. Zhangg\n    affiliation: X\n",
    );
    assert_eq!(
        fixture.check(),
        [
            "content/publications/first.yaml:5:3: warning: author `Q. Zhangg` matches no \
          researcher, but is close to `Q. Zhang` (researcher `quanshi-zhang`); if it is the \
          same person, add `researcher: quanshi-zhang`"
        ]
    );
}

#[test]
fn near_miss_names_every_closest_researcher() {
    let fixture = Fixture::new();
    fixture.researcher("anna-schmidt", "name: Anna Schmidt\n");
    fixture.researcher("anne-schmidt", "name: Anne Schmidt\n");
    fixture.publication(
        "paper",
        "title: T\nyear: 2020\nauthors: [anna-schmidt, anne-schmidt, Ann Schmidt]\n",
    );
    assert_eq!(
        fixture.check(),
        [
            "content/publications/paper.yaml:3:1: warning: author `Ann Schmidt` matches no \
          researcher, but is close to `Anna Schmidt` (researcher `anna-schmidt`) and `Anne \
          Schmidt` (researcher `anne-schmidt`); if it is one of them, write that researcher's \
          id instead of the name"
        ]
    );
}

#[test]
fn short_names_get_no_suggestion() {
    let fixture = Fixture::new();
    fixture.researcher("wei-zhang", "name: Wei Zhang\n");
    fixture.researcher("bo-li", "name: Bo Li\n");
    fixture.publication(
        "paper",
        "title: T\nyear: 2020\nauthors: [wei-zhang, bo-li, Wei Wang, Bo Lu]\n",
    );
    assert_eq!(fixture.check(), Vec::<String>::new());
}

#[test]
fn ambiguous_author_reported_once() {
    let fixture = Fixture::new();
    fixture.researcher("ann-smith", "name: Ann Smith\naliases: [A. Smith]\n");
    fixture.researcher("alan-smith", "name: Alan Smith\naliases: [A. Smith]\n");
    fixture.publication(
        "paper",
        "title: T\nyear: 2020\nauthors:\n  - ann-smith\n  - alan-smith\n  - A. Smith\n",
    );
    assert_eq!(
        fixture.check(),
        [
            "content/publications/paper.yaml:6:3: warning: author `A. Smith` is ambiguous: it \
          matches the researchers `alan-smith` and `ann-smith`; write the researcher id instead \
          of the name to link one"
        ]
    );
}

// Researchers and topics.

#[test]
fn researcher_without_publications_warned() {
    let fixture = site_with_paper(PAPER);
    fixture.researcher("bob", "name: Bob Example\n");
    assert_eq!(
        fixture.check(),
        [
            "content/researchers/bob.yaml: warning: researcher `bob` has no publications; list \
          the id `bob` in the `authors` of their publications"
        ]
    );
}

#[test]
fn single_use_topic_suggests_closest() {
    let fixture = site_with_paper(&format!("{PAPER}topics: [Interpretability]\n"));
    fixture.publication(
        "second",
        "title: Second\nauthors: [alice]\nyear: 2021\ntopics: [Interpretability]\n",
    );
    fixture.publication(
        "third",
        "title: Third\nauthors: [alice]\nyear: 2022\ntopics:\n  - Optics\n  - Interpretabilty\n",
    );
    fixture.researcher("alice", "name: Alice Liddell\ntopics: [Optics]\n");
    assert_eq!(
        fixture.check(),
        [
            "content/publications/third.yaml:6:3: warning: topic `Interpretabilty` is used only \
          once in the site; did you mean `Interpretability`?"
        ]
    );
}

#[test]
fn single_use_topic_without_match() {
    let fixture = site_with_paper(&format!("{PAPER}topics: [Quantum Widgets]\n"));
    assert_eq!(
        fixture.check(),
        [
            "content/publications/paper.yaml:4:1: warning: topic `Quantum Widgets` is used only \
          once in the site; check its spelling if it is meant to match another topic"
        ]
    );
}

// Links in content.

#[test]
fn missing_static_file_in_links() {
    let fixture = site_with_paper(&format!(
        "{PAPER}links:\n  pdf: /papers/missing.pdf\n  slides: /papers/slides.pdf\n"
    ));
    fixture.file("content/static/papers/slides.pdf", "%PDF\n");
    assert_eq!(
        fixture.check(),
        [
            "content/publications/paper.yaml:5:3: warning: `links.pdf`: the link \
          `/papers/missing.pdf` is broken because the site has no page or file \
          `papers/missing.pdf`; add the file to content/static/ or correct the link"
        ]
    );
}

#[test]
fn broken_markdown_links_in_content() {
    let fixture = site_with_paper(&format!(
        "{PAPER}abstract: See [code](/code/) and [works](/researchers/alice/#wroks).\n"
    ));
    fixture.researcher(
        "alice",
        "name: Alice Liddell\nbio: |\n  My <a href=\"/cv.pdf\">CV</a> and [team](/about.html#staff).\n",
    );
    fixture.file("content/static/about.html", "<h2 id=\"team\">Team</h2>\n");
    fixture.file("site.yaml", "base_url: https://example.org/lab/\n");
    assert_eq!(
        fixture.check(),
        [
            "content/publications/paper.yaml:4:1: warning: `abstract`: the link `/code/` is \
             broken because the site has no page or file `code/index.html`; add the file to \
             content/static/ or correct the link",
            "content/publications/paper.yaml:4:1: warning: `abstract`: the link \
             `/researchers/alice/#wroks` is broken because `researchers/alice/index.html` has no \
             element with id `wroks`; correct the id after `#`",
            "content/researchers/alice.yaml:2:1: warning: `bio`: the link `/about.html#staff` is \
             broken because `about.html` has no element with id `staff`; correct the id after `#`",
            "content/researchers/alice.yaml:2:1: warning: `bio`: the link `/cv.pdf` is broken \
             because the site has no page or file `cv.pdf`; add the file to content/static/ or \
             correct the link",
        ]
    );
}

#[test]
fn content_anchor_checked_on_each_page() {
    // `#abstract` names an element of the publication page only, and the abstract is
    // shown on the researcher page too, where the link is broken.
    let fixture = site_with_paper(&format!(
        "{PAPER}abstract: Read [the abstract](#abstract) or [the top](#main).\n"
    ));
    assert_eq!(
        fixture.check(),
        [
            "content/researchers/alice.yaml: error: page `/researchers/alice/` links to \
             `#abstract`, but `researchers/alice/index.html` has no element with id `abstract`",
        ]
    );
}

#[test]
fn affiliation_site_path_checked() {
    let fixture = site_with_paper(PAPER);
    fixture.researcher(
        "alice",
        "name: Alice Liddell\naffiliations:\n  - name: Lab\n    url: /lab-page/\n",
    );
    assert_eq!(
        fixture.check(),
        [
            "content/researchers/alice.yaml:4:5: warning: `affiliations.url`: the link \
          `/lab-page/` is broken because the site has no page or file `lab-page/index.html`; \
          add the file to content/static/ or correct the link"
        ]
    );
}

// Links in rendered pages.

#[test]
fn broken_template_links_are_errors() {
    let not_found = "{% extends \"base.html\" %}{% block content %}\
        <a href=\"{{ site.base_path }}about/\">About</a>\
        <a href=\"#nowhere\">Nowhere</a>\
        <a href=\"{{ site.base_path }}publications/paper/#abstract\">Abstract</a>\
        <a href=\"style.css\">Style</a>\
        <a href=\"https://elsewhere.example.com/missing/\">Elsewhere</a>\
        {% endblock content %}";
    let fixture = themed_site(&[("404.html", not_found)]);
    assert_eq!(
        fixture.check(),
        [
            "output:404.html: error: page `/404.html` links to `#nowhere`, but `404.html` has no \
             element with id `nowhere`",
            "output:404.html: error: page `/404.html` links to `/about/`, but the site has no \
             page or file `about/index.html`",
        ]
    );
}

#[test]
fn content_page_error_names_source() {
    let publication = "{% extends \"base.html\" %}{% block content %}\
        <h1 id=\"title\">{{ publication.title }}</h1>\
        <a href=\"#title\">Title</a> <a href=\"#missing\">Missing</a>\
        {% endblock content %}";
    let fixture = themed_site(&[("publication.html", publication)]);
    assert_eq!(
        fixture.check(),
        [
            "content/publications/paper.yaml: error: page `/publications/paper/` links to \
          `#missing`, but `publications/paper/index.html` has no element with id `missing`"
        ]
    );
}

// The `vita check` command.

/// Runs `vita check --root <fixture> ARGS` with logging settings from the environment removed.
fn run_check(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vita"))
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(args)
        .env_remove("VITA_LOG")
        .output()
        .expect("run the vita binary")
}

/// Returns stderr as lines, with the fixture folder written as `<root>`.
fn stderr_lines(fixture: &Fixture, output: &Output) -> Vec<String> {
    let root = fixture.root().display().to_string();
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(|line| line.replace(&root, "<root>"))
        .collect()
}

#[test]
fn binary_clean_exits_zero() {
    let fixture = site_with_paper(PAPER);
    let output = run_check(fixture.root(), &["--deny-warnings"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stderr_lines(&fixture, &output),
        ["check passed: 0 error(s), 0 warning(s)"]
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    assert!(
        !fixture.output().exists(),
        "check created the output folder"
    );
}

#[test]
fn binary_warnings_exit_zero() {
    let fixture = site_with_paper(PAPER);
    fixture.researcher("bob", "name: Bob Example\n");
    let output = run_check(fixture.root(), &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stderr_lines(&fixture, &output),
        [
            "<root>/content/researchers/bob.yaml: warning: researcher `bob` has no publications; \
             list the id `bob` in the `authors` of their publications",
            "check passed: 0 error(s), 1 warning(s)",
        ]
    );
}

#[test]
fn binary_deny_warnings_exits_one() {
    let fixture = site_with_paper(PAPER);
    fixture.researcher("bob", "name: Bob Example\n");
    let output = run_check(fixture.root(), &["--deny-warnings"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr_lines(&fixture, &output).last().map(String::as_str),
        Some("check failed: 0 error(s), 1 warning(s)")
    );
}

#[test]
fn binary_errors_exit_one() {
    let fixture = site_with_paper(&format!("{PAPER}abstarct: x\n"));
    let output = run_check(fixture.root(), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr_lines(&fixture, &output),
        [
            "<root>/content/publications/paper.yaml:4:1: error: unknown key `abstarct`; did you \
             mean `abstract`?",
            "check failed: 1 error(s), 0 warning(s)",
        ]
    );
}

#[test]
fn binary_missing_root_exits_two() {
    let fixture = Fixture::new();
    let missing = fixture.root().join("nowhere");
    let output = run_check(&missing, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr_lines(&fixture, &output),
        [
            "error: the site folder <root>/nowhere does not exist; pass the folder that contains \
          content/ with --root"
        ]
    );
}
