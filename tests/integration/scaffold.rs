//! `vita init` and `vita new`: the files they write, the sites those files build, and
//! what they reject.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use vita::BuildOptions;
use vita::scaffold::{self, NewPublication};

use crate::common::{self, Fixture};

/// The keys of each file kind, as the README lists them.
const SITE_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "edit_url",
];
const RESEARCHER_KEYS: &[&str] = &[
    "name",
    "id",
    "aliases",
    "headline",
    "affiliations",
    "topics",
    "open_to_collaborate",
    "claimed",
    "email",
    "contact_url",
    "identifiers",
    "avatar",
    "followers",
    "bio",
];
const PUBLICATION_KEYS: &[&str] = &[
    "title",
    "authors",
    "year",
    "date",
    "type",
    "venue",
    "volume",
    "issue",
    "pages",
    "publisher",
    "topics",
    "links",
    "featured",
    "id",
    "abstract",
];

/// Creates a site with the researchers `zoe-angstrom` and `jane-doe` and no publications.
fn site_with_researchers() -> Fixture {
    let fixture = Fixture::new();
    fixture
        .researcher("zoe-angstrom", "name: Zoë Ängström\n")
        .researcher("jane-doe", "name: Jane Doe\n");
    fixture
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("read {}: {err}", path.display()))
}

/// Returns the paths of `files` relative to `root`, sorted.
fn relative(root: &Path, files: &[PathBuf]) -> Vec<String> {
    let mut paths: Vec<String> = files
        .iter()
        .map(|file| {
            let inside = file
                .strip_prefix(root)
                .expect("the file is inside the site");
            inside.display().to_string()
        })
        .collect();
    paths.sort();
    paths
}

/// Returns the lines of a generated file that set or document `key` at the top level:
/// `key:` itself, or `# key:` when the key is commented out.
fn key_lines<'a>(text: &'a str, key: &str) -> Vec<&'a str> {
    let set = format!("{key}:");
    let commented = format!("# {key}:");
    text.lines()
        .filter(|line| line.starts_with(&set) || line.starts_with(&commented))
        .collect()
}

/// Calls `scaffold::new_publication` with owned copies of the arguments.
fn new_publication(
    root: &Path,
    title: &str,
    authors: &[&str],
    year: Option<i32>,
) -> anyhow::Result<PathBuf> {
    let authors: Vec<String> = authors.iter().map(|author| (*author).to_owned()).collect();
    let request = NewPublication {
        title,
        authors: &authors,
        year,
    };
    scaffold::new_publication(root, &request)
}

fn error_text(result: anyhow::Result<PathBuf>) -> String {
    match result {
        Ok(path) => panic!("expected an error, but {} was written", path.display()),
        Err(err) => format!("{err:#}"),
    }
}

/// Runs the `vita` binary in `dir` with logging settings from the environment removed.
fn run_vita(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vita"))
        .args(args)
        .current_dir(dir)
        .env_remove("VITA_LOG")
        .output()
        .expect("run the vita binary")
}

// `vita init`

#[test]
fn init_writes_a_site() {
    let fixture = Fixture::empty();
    let files = scaffold::init(fixture.root()).expect("init an empty folder");

    let publication = files
        .iter()
        .find(|file| file.ends_with("an-example-publication.yaml"))
        .expect("a publication is written");
    let year_folder = publication
        .parent()
        .and_then(Path::file_name)
        .and_then(|name| name.to_str())
        .expect("the publication is in a year folder")
        .to_owned();
    assert_eq!(year_folder.len(), 4, "{year_folder}");
    assert!(year_folder.parse::<i32>().is_ok(), "{year_folder}");

    let expected = vec![
        ".gitignore".to_owned(),
        format!("content/publications/{year_folder}/an-example-publication.yaml"),
        "content/researchers/jane-doe.yaml".to_owned(),
        "content/static/.gitkeep".to_owned(),
        "site.yaml".to_owned(),
    ];
    assert_eq!(relative(fixture.root(), &files), expected);
    let on_disk: Vec<String> = common::tree(fixture.root())
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(on_disk, expected);

    let gitignore = read(&fixture.root().join(".gitignore"));
    assert!(
        gitignore.lines().any(|line| line == "output/"),
        "{gitignore}"
    );

    let site = read(&fixture.root().join("site.yaml"));
    for key in ["title", "description", "base_url", "language"] {
        assert!(
            site.lines()
                .any(|line| line.starts_with(&format!("{key}: "))),
            "`{key}` is not set:\n{site}"
        );
    }

    let text = read(publication);
    assert!(text.contains(&format!("\nyear: {year_folder}\n")), "{text}");
    assert!(text.contains("\nabstract: |\n"), "{text}");
    let abstract_text = text.split("\nabstract: |\n").nth(1).unwrap_or_default();
    assert!(
        abstract_text.contains('$'),
        "no inline math:\n{abstract_text}"
    );
    assert!(
        abstract_text.contains("\\emph{"),
        "no \\emph:\n{abstract_text}"
    );
}

#[test]
fn init_site_builds_without_warnings() {
    let fixture = Fixture::empty();
    scaffold::init(fixture.root()).expect("init an empty folder");
    let report = fixture.build();
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");

    for page in [
        "index.html",
        "researchers/index.html",
        "researchers/jane-doe/index.html",
        "publications/index.html",
        "publications/an-example-publication/index.html",
        "topics/index.html",
    ] {
        assert!(fixture.output().join(page).is_file(), "{page} is missing");
    }

    let page = fixture.page("publications/an-example-publication/index.html");
    assert_eq!(page.texts("article h1"), ["An Example Publication"]);
    assert_eq!(page.texts(".authors li"), ["Jane Doe"]);
    assert!(
        page.count(".abstract math") >= 1,
        "the abstract has no MathML"
    );
    assert_eq!(page.texts(".abstract em"), ["emphasis"]);
    assert_eq!(page.count(".abstract code"), 0, "math was shown as source");
}

#[test]
fn init_documents_every_key() {
    let fixture = Fixture::empty();
    let files = scaffold::init(fixture.root()).expect("init an empty folder");
    let file_of = |suffix: &str| {
        let path = files
            .iter()
            .find(|file| file.to_string_lossy().ends_with(suffix))
            .unwrap_or_else(|| panic!("no file ends with {suffix}"));
        read(path)
    };
    let cases = [
        ("site.yaml", SITE_KEYS),
        ("jane-doe.yaml", RESEARCHER_KEYS),
        ("an-example-publication.yaml", PUBLICATION_KEYS),
    ];
    for (suffix, keys) in cases {
        let text = file_of(suffix);
        for key in keys {
            let lines = key_lines(&text, key);
            assert_eq!(lines.len(), 1, "`{key}` in {suffix}: {lines:?}\n{text}");
        }
    }
}

#[test]
fn init_rejects_non_empty_folder() {
    let fixture = Fixture::empty();
    fixture.file("notes.txt", "keep me\n");
    let before = common::tree(fixture.root());

    let err = scaffold::init(fixture.root()).expect_err("a non-empty folder is rejected");
    let message = format!("{err:#}");
    let folder = fixture.root().display().to_string();
    assert!(message.contains(&folder), "{message}");
    assert!(message.contains("not empty"), "{message}");
    assert!(message.contains("notes.txt"), "{message}");
    assert_eq!(common::tree(fixture.root()), before, "files were written");
}

#[test]
fn init_accepts_cloned_empty_repository() {
    let fixture = Fixture::empty();
    fixture.file(".git/HEAD", "ref: refs/heads/main\n");
    scaffold::init(fixture.root()).expect("a folder holding only .git is accepted");
    assert!(fixture.root().join("site.yaml").is_file());
    assert!(
        fixture.root().join(".git/HEAD").is_file(),
        ".git is left alone"
    );
}

#[test]
fn init_creates_missing_folder() {
    let fixture = Fixture::empty();
    let site = fixture.root().join("sites/my-site");
    scaffold::init(&site).expect("init a missing folder");
    assert!(site.join("site.yaml").is_file());

    let options = BuildOptions {
        root: site.clone(),
        output: None,
        base_url: None,
    };
    let report = fixture.build_with(options);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert!(site.join("output/index.html").is_file());
}

#[test]
fn init_rejects_a_file() {
    let fixture = Fixture::empty();
    fixture.file("site", "a file\n");
    let err = scaffold::init(&fixture.root().join("site")).expect_err("a file is rejected");
    let message = format!("{err:#}");
    assert!(message.contains("not a folder"), "{message}");
    assert_eq!(read(&fixture.root().join("site")), "a file\n");
}

// `vita new researcher`

#[test]
fn new_researcher_writes_file() {
    let fixture = site_with_researchers();
    let path = scaffold::new_researcher(fixture.root(), "Ada Lovelace").expect("new researcher");
    assert_eq!(
        path,
        fixture.root().join("content/researchers/ada-lovelace.yaml")
    );

    let text = read(&path);
    assert_eq!(key_lines(&text, "name"), ["name: Ada Lovelace"]);
    for key in RESEARCHER_KEYS.iter().filter(|key| **key != "name") {
        let lines = key_lines(&text, key);
        assert_eq!(lines.len(), 1, "`{key}`: {lines:?}\n{text}");
        assert!(lines[0].starts_with("# "), "`{key}` is set: {}", lines[0]);
    }

    let report = fixture.build();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let page = fixture.page("researchers/ada-lovelace/index.html");
    assert_eq!(page.texts("h1"), ["Ada Lovelace"]);
}

#[test]
fn new_researcher_unicode_name() {
    let fixture = Fixture::empty();
    fixture.file("site.yaml", "title: Lab\nbase_url: https://example.org/\n");
    let path = scaffold::new_researcher(fixture.root(), "Zoë Ängström").expect("new researcher");
    assert_eq!(
        path,
        fixture.root().join("content/researchers/zoe-angstrom.yaml")
    );
    assert_eq!(key_lines(&read(&path), "name"), ["name: Zoë Ängström"]);

    fixture.build();
    let page = fixture.page("researchers/zoe-angstrom/index.html");
    assert_eq!(page.texts("h1"), ["Zoë Ängström"]);
}

#[test]
fn new_researcher_quotes_name_when_needed() {
    let fixture = site_with_researchers();
    let name = "Dr: O'Brien #1";
    let path = scaffold::new_researcher(fixture.root(), name).expect("new researcher");
    assert_eq!(
        path.file_name().and_then(|n| n.to_str()),
        Some("dr-o-brien-1.yaml")
    );
    fixture.build();
    let page = fixture.page("researchers/dr-o-brien-1/index.html");
    assert_eq!(page.texts("h1"), [name]);
}

#[test]
fn new_researcher_fallback_id() {
    let fixture = site_with_researchers();
    let path = scaffold::new_researcher(fixture.root(), "?!").expect("new researcher");
    let id = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .expect("a UTF-8 file name")
        .to_owned();
    assert!(id.starts_with("t-"), "{id}");
    fixture.build();
    let page = fixture.page(&format!("researchers/{id}/index.html"));
    assert_eq!(page.texts("h1"), ["?!"]);
}

#[test]
fn new_researcher_rejects_taken_id() {
    let fixture = site_with_researchers();
    fixture.file(
        "content/researchers/group/zoe.yaml",
        "name: Zoe A.\nid: ada-lovelace\n",
    );
    let before = common::tree(fixture.root());

    let message = error_text(scaffold::new_researcher(fixture.root(), "Ada Lovelace"));
    assert!(message.contains("`ada-lovelace`"), "{message}");
    assert!(
        message.contains("content/researchers/group/zoe.yaml"),
        "{message}"
    );
    assert_eq!(common::tree(fixture.root()), before, "files were written");
}

#[test]
fn new_researcher_rejects_existing_file() {
    let fixture = site_with_researchers();
    let existing = fixture.root().join("content/researchers/zoe-angstrom.yaml");
    let before = read(&existing);

    let message = error_text(scaffold::new_researcher(fixture.root(), "Zoë Ängström"));
    assert!(
        message.contains("content/researchers/zoe-angstrom.yaml"),
        "{message}"
    );
    assert_eq!(read(&existing), before, "the file was changed");
}

#[test]
fn new_rejects_folder_without_site() {
    let fixture = Fixture::empty();
    fixture.file("notes.txt", "not a site\n");

    let message = error_text(scaffold::new_researcher(fixture.root(), "Ada Lovelace"));
    assert!(message.contains("vita init"), "{message}");
    let message = error_text(new_publication(fixture.root(), "A title", &["ada"], None));
    assert!(message.contains("vita init"), "{message}");
    assert!(
        !fixture.root().join("content").exists(),
        "content/ was created"
    );
}

#[test]
fn new_rejects_control_characters() {
    let fixture = site_with_researchers();
    let message = error_text(scaffold::new_researcher(fixture.root(), "Ada\nLovelace"));
    assert!(message.contains("U+000A"), "{message}");
    let message = error_text(new_publication(fixture.root(), "  ", &["jane-doe"], None));
    assert!(message.contains("title is empty"), "{message}");
}

// `vita new publication`

#[test]
fn new_publication_writes_file() {
    let fixture = site_with_researchers();
    let title = r#"Don't "panic": a $\alpha$-study"#;
    let authors = ["zoe-angstrom", "Ada Lovelace", "jane-doe"];
    let path =
        new_publication(fixture.root(), title, &authors, Some(2025)).expect("new publication");
    assert_eq!(
        path,
        fixture
            .root()
            .join("content/publications/2025/don-t-panic-a-alpha-study.yaml")
    );

    let text = read(&path);
    assert_eq!(
        key_lines(&text, "title"),
        [r#"title: 'Don''t "panic": a $\alpha$-study'"#]
    );
    assert!(
        text.contains("\nauthors:\n  - zoe-angstrom\n  - Ada Lovelace\n  - jane-doe\n"),
        "{text}"
    );
    assert_eq!(key_lines(&text, "year"), ["year: 2025"]);
    let commented = PUBLICATION_KEYS
        .iter()
        .filter(|key| !matches!(**key, "title" | "authors" | "year"));
    for key in commented {
        let lines = key_lines(&text, key);
        assert_eq!(lines.len(), 1, "`{key}`: {lines:?}\n{text}");
        assert!(lines[0].starts_with("# "), "`{key}` is set: {}", lines[0]);
    }

    let report = fixture.build();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let page = fixture.page("publications/don-t-panic-a-alpha-study/index.html");
    let heading = page.inner_html("article h1");
    assert!(heading.starts_with("Don't \"panic\": a <math"), "{heading}");
    assert_eq!(page.count("article h1 math"), 1, "{heading}");
    assert_eq!(
        page.texts(".authors li"),
        ["Zoë Ängström", "Ada Lovelace", "Jane Doe"]
    );
    let links = page.attrs(".authors li a", "href");
    assert_eq!(
        links,
        ["/researchers/zoe-angstrom/", "/researchers/jane-doe/"]
    );
}

#[test]
fn new_publication_current_year() {
    let fixture = site_with_researchers();
    let path =
        new_publication(fixture.root(), "A title", &["jane-doe"], None).expect("new publication");
    let year = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|name| name.to_str())
        .expect("a year folder")
        .to_owned();
    let number: i32 = year
        .parse()
        .unwrap_or_else(|_| panic!("{year} is not a year"));
    assert!((2025..=9999).contains(&number), "{number}");
    assert_eq!(key_lines(&read(&path), "year"), [format!("year: {year}")]);
}

#[test]
fn new_publication_rejects_bad_year() {
    let fixture = site_with_researchers();
    let message = error_text(new_publication(
        fixture.root(),
        "A title",
        &["jane-doe"],
        Some(99),
    ));
    assert!(message.contains("year 99"), "{message}");
    assert!(!fixture.root().join("content/publications").exists());
}

#[test]
fn new_publication_fallback_id() {
    let fixture = site_with_researchers();
    let path =
        new_publication(fixture.root(), "!!!", &["jane-doe"], Some(2025)).expect("new publication");
    let id = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .expect("a UTF-8 file name")
        .to_owned();
    assert!(id.starts_with("t-"), "{id}");
    fixture.build();
    let page = fixture.page(&format!("publications/{id}/index.html"));
    assert_eq!(page.texts("article h1"), ["!!!"]);
}

#[test]
fn new_publication_rejects_overwrite() {
    let fixture = site_with_researchers();
    let path =
        new_publication(fixture.root(), "A title", &["jane-doe"], Some(2025)).expect("first");
    let before = read(&path);

    let message = error_text(new_publication(
        fixture.root(),
        "A title",
        &["zoe-angstrom"],
        Some(2025),
    ));
    assert!(message.contains("`a-title`"), "{message}");
    assert!(
        message.contains("content/publications/2025/a-title.yaml"),
        "{message}"
    );
    assert_eq!(read(&path), before, "the file was changed");
}

#[test]
fn new_publication_taken_id_other_year() {
    let fixture = site_with_researchers();
    fixture.publication(
        "2024/a-title",
        "title: An older title\nauthors: [jane-doe]\nyear: 2024\n",
    );
    let message = error_text(new_publication(
        fixture.root(),
        "A title",
        &["jane-doe"],
        Some(2025),
    ));
    assert!(
        message.contains("content/publications/2024/a-title.yaml"),
        "{message}"
    );
    assert!(!fixture.root().join("content/publications/2025").exists());
}

#[test]
fn new_publication_taken_id_line() {
    let fixture = site_with_researchers();
    fixture.publication(
        "2023/older",
        "title: Older\nauthors: [jane-doe]\nyear: 2023\nid: a-title\n",
    );
    let message = error_text(new_publication(
        fixture.root(),
        "A title",
        &["jane-doe"],
        Some(2025),
    ));
    assert!(
        message.contains("content/publications/2023/older.yaml"),
        "{message}"
    );
}

// The `vita` binary.

#[test]
fn binary_init_exit_codes() {
    let fixture = Fixture::empty();
    let output = run_vita(fixture.root(), &["init", "my-site"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(fixture.root().join("my-site/site.yaml").is_file());

    let output = run_vita(fixture.root(), &["init", "my-site"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("my-site"), "{stderr}");
}

#[test]
fn binary_init_uses_current_folder() {
    let fixture = Fixture::empty();
    let output = run_vita(fixture.root(), &["init"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(fixture.root().join("site.yaml").is_file());
    assert!(
        fixture
            .root()
            .join("content/researchers/jane-doe.yaml")
            .is_file()
    );

    let output = run_vita(fixture.root(), &["build"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("warn"), "{stderr}");
}

#[test]
fn binary_new_exit_codes() {
    let fixture = site_with_researchers();
    let root = fixture.root();

    let output = run_vita(root, &["new", "researcher", "Ada Lovelace"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(root.join("content/researchers/ada-lovelace.yaml").is_file());

    let output = run_vita(root, &["new", "researcher", "Ada Lovelace"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");

    let args = [
        "new",
        "publication",
        "A title",
        "--author",
        "ada-lovelace",
        "--year",
        "2025",
    ];
    let output = run_vita(root, &args);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        root.join("content/publications/2025/a-title.yaml")
            .is_file()
    );

    let output = run_vita(root, &args);
    assert_eq!(output.status.code(), Some(1), "{output:?}");

    let output = run_vita(root, &["new", "publication", "Another title"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--author"), "{stderr}");
    assert!(
        !root
            .join("content/publications")
            .join("another-title.yaml")
            .exists()
    );
}

#[test]
fn binary_new_without_site_exits_two() {
    let fixture = Fixture::empty();
    fixture.file("notes.txt", "not a site\n");
    let output = run_vita(fixture.root(), &["new", "researcher", "Ada Lovelace"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("vita init"), "{stderr}");
}

#[test]
fn binary_warns_about_unknown_researcher_id() {
    let fixture = site_with_researchers();
    let args = [
        "new",
        "publication",
        "A title",
        "--author",
        "jane-doe",
        "--author",
        "ada",
        "--author",
        "Grace Hopper",
        "--year",
        "2025",
    ];
    let output = run_vita(fixture.root(), &args);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("warn"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains("`ada`"), "{stderr}");
    assert!(warnings[0].contains("name"), "{stderr}");
    let text = read(
        &fixture
            .root()
            .join("content/publications/2025/a-title.yaml"),
    );
    assert!(
        text.contains("\n  - jane-doe\n  - ada\n  - Grace Hopper\n"),
        "{text}"
    );
}
