//! The Cite section of publication pages and the citation downloads, read back with a
//! BibTeX parser (the `biblatex` crate), serde_json and the HTML parser.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use biblatex::{Bibliography, Chunk, DateValue, Entry, EntryType, PermissiveType};
use vita::BuildOptions;
use vita::render::PageKey;

use crate::common::{self, Fixture};

/// A title with every character that BibTeX needs escaped, math, and capitals that
/// styles must keep.
const HARD_TITLE: &str = "Q&A on 100% of #Agents_Alpha with $x_i$ in DNNs: Shapley Values";
const HARD_ID: &str = "hard-title";

/// Writes a site with one researcher and two publications: a conference paper with
/// three authors, a DOI, an arXiv id and pages, and a plain preprint.
fn cite_site() -> Fixture {
    let fixture = Fixture::new();
    fixture.file(
        "site.yaml",
        "title: Lab\nbase_url: https://example.org/lab/\n",
    );
    fixture.researcher("ada-lovelace", "name: Ada Lovelace\n");
    fixture.publication(
        HARD_ID,
        &format!(
            "title: '{HARD_TITLE}'\n\
             authors: [ada-lovelace, Ludwig van Beethoven, Quanshi Zhang]\n\
             date: 2024-03\n\
             type: conference\n\
             venue: 'Proc. <b>Bold</b> & NeurIPS'\n\
             volume: '12'\n\
             pages: 12--34\n\
             publisher: Curran\n\
             links:\n  doi: 10.1000/xyz_1\n  arxiv: 2103.10230\n"
        ),
    );
    fixture.publication(
        "plain-preprint",
        "title: A Plain Preprint\nauthors: [ada-lovelace]\nyear: 2023\ntype: preprint\n",
    );
    fixture
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("read {}: {err}", path.display()))
}

fn parse_bib(path: &Path) -> Bibliography {
    let source = read(path);
    Bibliography::parse(&source)
        .unwrap_or_else(|err| panic!("{} is not valid BibTeX: {err:?}\n{source}", path.display()))
}

/// Returns the only entry of a one-entry file.
fn only_entry(path: &Path) -> Entry {
    let bibliography = parse_bib(path);
    assert_eq!(bibliography.len(), 1, "{} has one entry", path.display());
    bibliography.into_vec().remove(0)
}

/// Joins parsed title chunks back into source text, with math in `$…$`.
fn chunks_text(chunks: &[biblatex::Spanned<Chunk>]) -> String {
    chunks
        .iter()
        .map(|chunk| match &chunk.v {
            Chunk::Normal(text) | Chunk::Verbatim(text) => text.clone(),
            Chunk::Math(math) => format!("${math}$"),
        })
        .collect()
}

/// Returns each author as `Given prefix Family suffix`, the order content files use.
fn author_names(entry: &Entry) -> Vec<String> {
    entry
        .author()
        .expect("the entry has authors")
        .iter()
        .map(|person| {
            [
                person.given_name.as_str(),
                person.prefix.as_str(),
                person.name.as_str(),
                person.suffix.as_str(),
            ]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
        })
        .collect()
}

/// Returns the year and the month counted from 1.
fn year_month(entry: &Entry) -> (i32, Option<u8>) {
    match entry.date().expect("the entry has a date") {
        PermissiveType::Typed(date) => match date.value {
            DateValue::At(at) => (at.year, at.month.map(|month| month + 1)),
            other => panic!("expected a single date, got {other:?}"),
        },
        PermissiveType::Chunks(chunks) => panic!("unparsed date {chunks:?}"),
    }
}

fn field(entry: &Entry, name: &str) -> Option<String> {
    entry.get(name).map(chunks_text)
}

/// The citation data in an example publication's YAML file, read without Vita.
struct ExamplePublication {
    id: String,
    title: String,
    authors: Vec<String>,
    year: i64,
    doi: Option<String>,
    arxiv: Option<String>,
}

/// Reads the example researchers' names by id and every example publication.
fn example_publications() -> Vec<ExamplePublication> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (id, value) in yaml_files(&content.join("researchers")) {
        let name = value["name"].as_str().expect("a researcher has a name");
        names.insert(id, name.to_owned());
    }
    yaml_files(&content.join("publications"))
        .into_iter()
        .map(|(id, value)| {
            let authors = value["authors"]
                .as_sequence()
                .expect("authors is a list")
                .iter()
                .map(|author| {
                    let written = author
                        .as_str()
                        .or_else(|| author["name"].as_str())
                        .expect("an author is a name or an id");
                    names
                        .get(written)
                        .cloned()
                        .unwrap_or_else(|| written.to_owned())
                })
                .collect();
            let link = |kind: &str| value["links"][kind].as_str().map(str::to_owned);
            ExamplePublication {
                title: value["title"].as_str().expect("a title").trim().to_owned(),
                year: value["year"].as_i64().expect("the examples give a year"),
                doi: link("doi"),
                arxiv: link("arxiv"),
                authors,
                id,
            }
        })
        .collect()
}

/// Parses every YAML file under `folder`, with its id: its `id:` key or file name.
fn yaml_files(folder: &Path) -> Vec<(String, serde_yaml::Value)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(folder).sort_by_file_name() {
        let entry = entry.expect("walk the example content");
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "yaml") {
            continue;
        }
        let value: serde_yaml::Value =
            serde_yaml::from_str(&read(path)).expect("example content is valid YAML");
        let id = match value.get("id").and_then(|v| v.as_str()) {
            Some(id) => id.to_owned(),
            None => path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .expect("UTF-8 file name")
                .to_owned(),
        };
        files.push((id, value));
    }
    files
}

/// Builds the example site into a temporary folder and returns it with the site path.
fn build_example() -> (tempfile::TempDir, PathBuf) {
    let output = tempfile::tempdir().expect("create a temporary folder");
    let site = output.path().join("site");
    let options = BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        output: Some(site.clone()),
        base_url: None,
    };
    if let Err(err) = vita::build(&options) {
        panic!("the example site failed to build: {err:#}");
    }
    (output, site)
}

#[test]
fn example_publications_round_trip_through_bibtex() {
    let (_output, site) = build_example();
    let examples = example_publications();
    assert_eq!(examples.len(), 20, "the example site has 20 publications");
    for example in &examples {
        let path = site.join(format!("publications/{}/cite.bib", example.id));
        let entry = only_entry(&path);
        let id = &example.id;
        assert_eq!(entry.key, *id, "{id}: key");
        let title = chunks_text(entry.title().expect("a title"));
        assert_eq!(title, example.title, "{id}: title");
        assert_eq!(author_names(&entry), example.authors, "{id}: authors");
        assert_eq!(i64::from(year_month(&entry).0), example.year, "{id}: year");
        assert_eq!(entry.doi().ok(), example.doi, "{id}: doi");
        assert_eq!(entry.eprint().ok(), example.arxiv, "{id}: eprint");
        let url = format!("https://example.org/publications/{id}/");
        assert_eq!(field(&entry, "url"), Some(url), "{id}: url");
    }
}

#[test]
fn example_researcher_bib_lists_every_work() {
    let (_output, site) = build_example();
    let bibliography = parse_bib(&site.join("researchers/quanshi-zhang/publications.bib"));
    let keys: Vec<&str> = bibliography.keys().collect();
    let unique: BTreeSet<&str> = keys.iter().copied().collect();
    assert_eq!(unique.len(), keys.len(), "keys are unique: {keys:?}");
    let ids: BTreeSet<String> = example_publications().into_iter().map(|p| p.id).collect();
    let keys: BTreeSet<String> = unique.into_iter().map(str::to_owned).collect();
    assert_eq!(keys, ids);
}

#[test]
fn hard_title_round_trips_through_bibtex() {
    let fixture = cite_site();
    fixture.build();
    let path = fixture
        .output()
        .join(format!("publications/{HARD_ID}/cite.bib"));
    let entry = only_entry(&path);
    assert_eq!(entry.entry_type, EntryType::InProceedings);
    assert_eq!(chunks_text(entry.title().expect("a title")), HARD_TITLE);
    assert_eq!(
        author_names(&entry),
        ["Ada Lovelace", "Ludwig van Beethoven", "Quanshi Zhang"]
    );
    assert_eq!(year_month(&entry), (2024, Some(3)));
    assert_eq!(entry.doi().ok().as_deref(), Some("10.1000/xyz_1"));
    assert_eq!(entry.eprint().ok().as_deref(), Some("2103.10230"));
    assert_eq!(
        entry.eprint_type().ok().map(chunks_text).as_deref(),
        Some("arXiv")
    );
    assert_eq!(
        field(&entry, "booktitle").as_deref(),
        Some("Proc. <b>Bold</b> & NeurIPS")
    );
    assert_eq!(field(&entry, "publisher").as_deref(), Some("Curran"));
    assert_eq!(field(&entry, "volume").as_deref(), Some("12"));
    assert_eq!(
        field(&entry, "url").as_deref(),
        Some("https://example.org/lab/publications/hard-title/")
    );
}

#[test]
fn hard_title_bibtex_source_is_escaped() {
    let fixture = cite_site();
    fixture.build();
    let source = read(
        &fixture
            .output()
            .join(format!("publications/{HARD_ID}/cite.bib")),
    );
    assert!(
        source.starts_with("@inproceedings{hard-title,\n"),
        "{source}"
    );
    let title_line = source
        .lines()
        .find(|line| line.trim_start().starts_with("title = "))
        .expect("a title line");
    for escaped in [
        "\\&",
        "100\\%",
        "\\#",
        "Agents\\_Alpha",
        "$x_i$",
        "{DNNs:}",
        "{Shapley}",
    ] {
        assert!(title_line.contains(escaped), "{escaped} in {title_line}");
    }
    assert!(source.contains("  pages = {12--34},\n"), "{source}");
    assert!(source.contains("  month = mar,\n"), "{source}");
    assert!(source.contains("  eprint = {2103.10230},\n"), "{source}");
    assert!(source.contains("  archivePrefix = {arXiv},\n"), "{source}");
    assert!(
        source
            .contains("  author = {Lovelace, Ada and van Beethoven, Ludwig and Zhang, Quanshi},\n"),
        "{source}"
    );
    let opened = source.matches('{').count();
    let closed = source.matches('}').count();
    assert_eq!(opened, closed, "braces balance in {source}");
}

#[test]
fn researcher_bib_has_unique_keys() {
    let fixture = cite_site();
    fixture.build();
    let bibliography = parse_bib(
        &fixture
            .output()
            .join("researchers/ada-lovelace/publications.bib"),
    );
    let keys: Vec<&str> = bibliography.keys().collect();
    assert_eq!(keys, [HARD_ID, "plain-preprint"]);
    let preprint = bibliography.get("plain-preprint").expect("the preprint");
    assert_eq!(preprint.entry_type, EntryType::Misc);
    assert_eq!(
        chunks_text(preprint.title().expect("a title")),
        "A Plain Preprint"
    );
}

#[test]
fn researcher_page_links_bib() {
    let fixture = cite_site();
    fixture.build();
    let page = fixture.page("researchers/ada-lovelace/index.html");
    assert_eq!(
        page.attrs("a[href$='publications.bib']", "href"),
        ["/lab/researchers/ada-lovelace/publications.bib"]
    );
}

#[test]
fn cite_section_has_three_styles() {
    let fixture = cite_site();
    fixture.build();
    let page = fixture.page(&format!("publications/{HARD_ID}/index.html"));
    assert_eq!(page.count("section#cite"), 1);
    assert_eq!(page.texts("section#cite > h2"), ["Cite"]);
    for style in ["apa", "ieee", "chicago"] {
        let texts = page.texts(&format!("section#cite p#cite-{style}"));
        assert_eq!(texts.len(), 1, "one {style} reference");
        let text = &texts[0];
        for family in ["Lovelace", "Beethoven", "Zhang", "2024"] {
            assert!(text.contains(family), "{style}: {family} in {text}");
        }
        assert!(
            text.contains("Q&A on 100% of #Agents_Alpha"),
            "{style}: title in {text}"
        );
        assert!(
            text.contains("<b>Bold</b>"),
            "{style}: venue as text in {text}"
        );
    }
    assert_eq!(
        page.count("section#cite p.reference b"),
        0,
        "venue markup is escaped"
    );
    assert_eq!(
        page.texts("section#cite h3"),
        ["APA", "IEEE", "Chicago (author-date)", "BibTeX"]
    );
}

#[test]
fn cite_section_shows_bibtex_and_downloads() {
    let fixture = cite_site();
    fixture.build();
    let page = fixture.page(&format!("publications/{HARD_ID}/index.html"));
    let bibtex = read(
        &fixture
            .output()
            .join(format!("publications/{HARD_ID}/cite.bib")),
    );
    let pre = page
        .document
        .select(&scraper::Selector::parse("section#cite pre#cite-bibtex").expect("selector"))
        .next()
        .expect("a BibTeX block");
    assert_eq!(pre.text().collect::<String>(), bibtex);
    // The block scrolls sideways, so keyboard users must be able to focus it.
    assert_eq!(pre.value().attr("tabindex"), Some("0"));
    let folder = format!("/lab/publications/{HARD_ID}/");
    assert_eq!(
        page.attrs("section#cite .downloads a", "href"),
        [
            format!("{folder}cite.bib"),
            format!("{folder}cite.ris"),
            format!("{folder}cite.json")
        ]
    );
}

#[test]
fn copy_buttons_work_without_script() {
    let fixture = cite_site();
    fixture.build();
    let page = fixture.page(&format!("publications/{HARD_ID}/index.html"));
    let targets = page.attrs("section#cite button", "data-copy");
    assert_eq!(
        targets,
        ["cite-apa", "cite-ieee", "cite-chicago", "cite-bibtex"]
    );
    assert_eq!(page.attrs("section#cite button", "type"), ["button"; 4]);
    assert_eq!(
        page.count("section#cite button[hidden]"),
        4,
        "shown by the script"
    );
    assert_eq!(page.attrs("section#cite button", "aria-label").len(), 4);
    for target in &targets {
        assert_eq!(page.count(&format!("#{target}")), 1, "{target} exists");
    }
    assert_eq!(
        page.count("section#cite script[src]"),
        0,
        "no external script"
    );
    let script = page.texts("section#cite script").join("");
    assert!(script.contains("navigator.clipboard"), "{script}");
}

#[test]
fn csl_json_has_type_authors_issued() {
    let fixture = cite_site();
    fixture.build();
    let path = fixture
        .output()
        .join(format!("publications/{HARD_ID}/cite.json"));
    let json: serde_json::Value = serde_json::from_str(&read(&path)).expect("valid JSON");
    let items = json.as_array().expect("an array of items");
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["id"], HARD_ID);
    assert_eq!(item["type"], "paper-conference");
    assert_eq!(item["title"], HARD_TITLE);
    let families: Vec<&str> = item["author"]
        .as_array()
        .expect("authors")
        .iter()
        .map(|a| a["family"].as_str().expect("a family name"))
        .collect();
    assert_eq!(families, ["Lovelace", "Beethoven", "Zhang"]);
    assert_eq!(item["author"][0]["given"], "Ada");
    assert_eq!(item["author"][1]["non-dropping-particle"], "van");
    assert_eq!(item["issued"]["date-parts"], serde_json::json!([[2024, 3]]));
    assert_eq!(item["DOI"], "10.1000/xyz_1");
    assert_eq!(item["page"], "12-34");
    assert_eq!(item["container-title"], "Proc. <b>Bold</b> & NeurIPS");
}

#[test]
fn ris_is_one_record() {
    let fixture = cite_site();
    fixture.build();
    let path = fixture
        .output()
        .join(format!("publications/{HARD_ID}/cite.ris"));
    let ris = read(&path);
    let lines: Vec<&str> = ris.lines().collect();
    assert_eq!(lines.first(), Some(&"TY  - CONF"));
    assert_eq!(lines.iter().filter(|l| l.starts_with("TY  - ")).count(), 1);
    assert!(ris.trim_end().ends_with("ER  -"), "{ris}");
    let authors: Vec<&str> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("AU  - "))
        .collect();
    assert_eq!(
        authors,
        ["Lovelace, Ada", "van Beethoven, Ludwig", "Zhang, Quanshi"]
    );
    for line in [
        &format!("TI  - {HARD_TITLE}"),
        "PY  - 2024",
        "DA  - 2024/03//",
        "SP  - 12",
        "EP  - 34",
        "DO  - 10.1000/xyz_1",
        "AN  - arXiv:2103.10230",
        "UR  - https://example.org/lab/publications/hard-title/",
    ] {
        assert!(lines.contains(&line), "{line} in {ris}");
    }
    for line in &lines {
        let tag_form = line.len() >= 6 && &line[2..6] == "  - ";
        assert!(tag_form, "tagged line: {line:?}");
    }
}

#[test]
fn cite_files_follow_selection() {
    let fixture = cite_site();
    let (site, _, _) = vita::build::load(&fixture.options()).expect("the site loads");
    let files = vita::cite::files(&site, &|key| key == PageKey::Publication("plain-preprint"));
    let targets: Vec<&str> = files.iter().map(|file| file.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "publications/plain-preprint/cite.bib",
            "publications/plain-preprint/cite.ris",
            "publications/plain-preprint/cite.json"
        ]
    );
    let files = vita::cite::files(&site, &|key| key == PageKey::Researcher("ada-lovelace"));
    let targets: Vec<&str> = files.iter().map(|file| file.target.as_str()).collect();
    assert_eq!(targets, ["researchers/ada-lovelace/publications.bib"]);
}

#[test]
fn cite_files_identical_across_builds() {
    let fixture = cite_site();
    let first = fixture.root().join("first");
    let second = fixture.root().join("second");
    for output in [&first, &second] {
        fixture.build_with(BuildOptions {
            output: Some(output.clone()),
            ..fixture.options()
        });
    }
    let citation_files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        common::tree(dir)
            .into_iter()
            .filter(|(path, _)| {
                path.ends_with(".bib")
                    || path.ends_with(".ris")
                    || path.ends_with(".json")
                    || path.starts_with("publications/")
            })
            .collect()
    };
    let first_files = citation_files(&first);
    // Per publication a page and three downloads, the publication list, and one
    // researcher's publications.bib.
    assert_eq!(first_files.len(), 10);
    assert_eq!(first_files, citation_files(&second));
}

#[test]
fn cite_links_pass_check() {
    let fixture = cite_site();
    let errors: Vec<String> = fixture
        .check()
        .into_iter()
        .filter(|line| line.contains(": error: "))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
