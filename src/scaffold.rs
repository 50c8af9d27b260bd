//! `vita init` and `vita new`: starting a site and adding researchers and publications.
//!
//! Every file is created with `create_new`, so these commands never overwrite a file,
//! even one that another process creates meanwhile.

mod templates;

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};

use crate::content::{self, Kind};
use crate::diagnostics::Diagnostics;
use crate::slug;
use crate::yaml;
use crate::{BuildError, BuildOptions};
use templates::{
    PUBLICATION_INTRO, PUBLICATION_KEYS, RESEARCHER_INTRO, RESEARCHER_KEYS, SITE_INTRO, SITE_KEYS,
};

/// A publication to create with `vita new publication`.
#[derive(Debug, Clone)]
pub struct NewPublication<'a> {
    pub title: &'a str,
    /// Researcher ids or names, in author order.
    pub authors: &'a [String],
    /// The year; the current year when not given.
    pub year: Option<i32>,
}

const SAMPLE_RESEARCHER: &str = "Jane Doe";
const SAMPLE_TITLE: &str = "An Example Publication";
const SAMPLE_TOPICS: &str = "topics: [Machine Learning]";
const SAMPLE_ABSTRACT: &str = r"abstract: |
  Replace this abstract with your own. Math between dollar signs, such as
  $\mathcal{O}(n \log n)$ or $\sum_{i=1}^{n} x_i^2$, becomes MathML when the site
  is built, and LaTeX text commands such as \emph{emphasis} and ``quotes'' work
  as they do in arXiv abstracts.";

const GITIGNORE: &str = "\
# The built site, and the staging folders that `vita build` writes beside it.
output/
.output.vita-staging-*/
";

/// Creates a minimal working site in `dir`, which must be empty or missing: `site.yaml`,
/// `.gitignore`, one researcher, one publication and an empty `content/static/`.
///
/// Returns the paths of the files written. A non-empty `dir` is rejected before
/// anything is written.
pub fn init(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    reject_non_empty_folder(dir)?;
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;

    let year = current_year()?;
    let researcher_id = slug::slugify(SAMPLE_RESEARCHER);
    let publication_id = slug::slugify(SAMPLE_TITLE);
    let researcher = researcher_yaml(
        SAMPLE_RESEARCHER,
        &researcher_id,
        vec![
            (
                "headline",
                "headline: Replace this line with a one-line summary of your research.".to_owned(),
            ),
            ("topics", SAMPLE_TOPICS.to_owned()),
        ],
    );
    let publication = publication_yaml(
        SAMPLE_TITLE,
        &[researcher_id.as_str()],
        year,
        &publication_id,
        vec![
            ("topics", SAMPLE_TOPICS.to_owned()),
            ("abstract", SAMPLE_ABSTRACT.to_owned()),
        ],
    );
    let files = [
        (PathBuf::from("site.yaml"), site_yaml()),
        (PathBuf::from(".gitignore"), GITIGNORE.to_owned()),
        (researcher_path(&researcher_id), researcher),
        (publication_path(year, &publication_id), publication),
        (PathBuf::from("content/static/.gitkeep"), String::new()),
    ];

    let mut written = Vec::with_capacity(files.len());
    for (relative, text) in files {
        let path = dir.join(relative);
        create_file(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// Creates `content/researchers/<id>.yaml` for a researcher named `name`, with the id
/// made from the name by [`slug::slugify`].
///
/// Fails with [`BuildError::Usage`] when `root` contains no site, and fails naming the
/// file when another researcher file already has that id as its file name or `id:`.
pub fn new_researcher(root: &Path, name: &str) -> anyhow::Result<PathBuf> {
    require_site(root)?;
    let name = checked_text("name", name)?;
    let id = slug::slugify(name);
    reject_taken_id(root, Kind::Researcher, &id)?;

    let path = root.join(researcher_path(&id));
    create_file(&path, &researcher_yaml(name, &id, Vec::new()))?;
    Ok(path)
}

/// Creates `content/publications/<year>/<id>.yaml`, with the id made from the title by
/// [`slug::slugify`].
///
/// Fails with [`BuildError::Usage`] when `root` contains no site, and fails naming the
/// file when another publication file, in any year folder, already has that id. An
/// author that looks like a researcher id but matches no researcher file is logged as
/// a warning, because the build then shows it as a name.
pub fn new_publication(root: &Path, request: &NewPublication<'_>) -> anyhow::Result<PathBuf> {
    require_site(root)?;
    let title = checked_text("title", request.title)?;
    if request.authors.is_empty() {
        bail!("a publication needs at least one author; add `--author ID_OR_NAME`");
    }
    let authors = request
        .authors
        .iter()
        .map(|author| checked_text("author", author))
        .collect::<anyhow::Result<Vec<&str>>>()?;
    let year = match request.year {
        Some(year) if (1000..=9999).contains(&year) => year,
        Some(year) => bail!("year {year} is out of range; expected a four-digit year such as 2025"),
        None => current_year()?,
    };
    let id = slug::slugify(title);
    reject_taken_id(root, Kind::Publication, &id)?;
    warn_unknown_researcher_ids(root, &authors);

    let path = root.join(publication_path(year, &id));
    create_file(
        &path,
        &publication_yaml(title, &authors, year, &id, Vec::new()),
    )?;
    Ok(path)
}

fn site_yaml() -> String {
    let values = [
        ("title", "title: Example Lab".to_owned()),
        (
            "description",
            "description: Profiles and publications of the Example Lab.".to_owned(),
        ),
        ("base_url", "base_url: https://example.org/".to_owned()),
        ("language", "language: en".to_owned()),
    ];
    templates::render(SITE_INTRO, SITE_KEYS, &values, &[])
}

/// Writes a researcher file with `name` set, the keys in `values` set, and every other
/// key commented out.
fn researcher_yaml(name: &str, id: &str, values: Vec<(&str, String)>) -> String {
    let mut all = vec![("name", format!("name: {}", yaml::scalar(name)))];
    all.extend(values);
    templates::render(RESEARCHER_INTRO, RESEARCHER_KEYS, &all, &[("id", id)])
}

/// Writes a publication file with the required keys and the keys in `values` set, and
/// every other key commented out.
fn publication_yaml(
    title: &str,
    authors: &[&str],
    year: i32,
    id: &str,
    values: Vec<(&str, String)>,
) -> String {
    let mut author_list = String::from("authors:");
    for author in authors {
        author_list.push_str("\n  - ");
        author_list.push_str(&yaml::scalar(author));
    }
    let mut all = vec![
        ("title", format!("title: {}", yaml::single_quoted(title))),
        ("authors", author_list),
        ("year", format!("year: {year}")),
    ];
    all.extend(values);
    let year = year.to_string();
    templates::render(
        PUBLICATION_INTRO,
        PUBLICATION_KEYS,
        &all,
        &[("id", id), ("year", &year)],
    )
}

fn researcher_path(id: &str) -> PathBuf {
    Path::new("content")
        .join(Kind::Researcher.folder())
        .join(format!("{id}.yaml"))
}

fn publication_path(year: i32, id: &str) -> PathBuf {
    Path::new("content")
        .join(Kind::Publication.folder())
        .join(year.to_string())
        .join(format!("{id}.yaml"))
}

/// Rejects `dir` when it exists and is not an empty folder. A `.git` folder alone is
/// allowed, so that a freshly cloned empty repository can become a site.
fn reject_non_empty_folder(dir: &Path) -> anyhow::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        bail!(
            "cannot create a site in {}: it is a file, not a folder",
            shown(dir)
        );
    }
    let entries =
        fs::read_dir(dir).with_context(|| format!("cannot read the folder {}", shown(dir)))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read the folder {}", shown(dir)))?;
        if entry.file_name() == ".git" {
            continue;
        }
        bail!(
            "cannot create a site in {}: the folder is not empty (it contains `{}`); \
             choose a new or empty folder",
            shown(dir),
            entry.file_name().to_string_lossy()
        );
    }
    Ok(())
}

/// Rejects a `root` that does not exist or contains neither `site.yaml` nor `content/`,
/// with the same [`BuildError::Usage`] that `vita build` reports.
fn require_site(root: &Path) -> Result<(), BuildError> {
    crate::build::check_options(&BuildOptions {
        root: root.to_path_buf(),
        output: None,
        base_url: None,
    })
}

/// Returns `text` trimmed, rejecting empty text and control characters such as line
/// breaks, which a quoted YAML scalar would not keep.
fn checked_text<'a>(field: &str, text: &'a str) -> anyhow::Result<&'a str> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        bail!("the {field} is empty; write it in quotes after the command");
    }
    if let Some(control) = trimmed.chars().find(|c| c.is_control()) {
        bail!(
            "the {field} \"{}\" contains the control character U+{:04X}; write it on one line",
            trimmed.escape_debug(),
            u32::from(control)
        );
    }
    Ok(trimmed)
}

/// Fails when a content file of `kind`, in any subfolder, has the file name `<id>` or
/// an `id: <id>` line, naming that file.
fn reject_taken_id(root: &Path, kind: Kind, id: &str) -> anyhow::Result<()> {
    let folder = root.join("content").join(kind.folder());
    let owner = claimed_ids(&folder)
        .into_iter()
        .find(|(_, ids)| ids.iter().any(|claimed| claimed == id));
    if let Some((path, _)) = owner {
        let (noun, source) = match kind {
            Kind::Researcher => ("researcher", "name"),
            Kind::Publication => ("publication", "title"),
        };
        bail!(
            "the {noun} id `{id}` is already used by {}; edit that file, or choose a \
             different {source}",
            path.display()
        );
    }
    Ok(())
}

/// Logs a warning for each author that looks like a researcher id but names no
/// researcher file, because the build shows such an author as a plain name.
fn warn_unknown_researcher_ids(root: &Path, authors: &[&str]) {
    let folder = root.join("content").join(Kind::Researcher.folder());
    let known: Vec<String> = claimed_ids(&folder)
        .into_iter()
        .flat_map(|(_, ids)| ids)
        .collect();
    for author in authors {
        if slug::is_valid_id(author) && !known.iter().any(|id| id == author) {
            log::warn!(
                "no researcher has the id `{author}`, so the author `{author}` will be treated \
                 as a name; create the researcher with `vita new researcher`, or write the \
                 author's full name"
            );
        }
    }
}

/// Lists the YAML files under `folder` with the ids each may claim: its file name
/// without the extension, and the value of any top-level `id:` line.
///
/// Unreadable files and folders are skipped, because the build reports them.
fn claimed_ids(folder: &Path) -> Vec<(PathBuf, Vec<String>)> {
    let mut ignored = Diagnostics::default();
    content::list_yaml_files(folder, &mut ignored)
        .into_iter()
        .map(|path| {
            let mut ids: Vec<String> = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .map(str::to_owned)
                .into_iter()
                .collect();
            if let Ok(text) = fs::read_to_string(&path) {
                ids.extend(text.lines().filter_map(written_id).map(str::to_owned));
            }
            (path, ids)
        })
        .collect()
}

/// Returns the value of a top-level `id:` line, without quotes or a trailing comment.
fn written_id(line: &str) -> Option<&str> {
    let value = line.strip_prefix("id:")?;
    let value = value.split(" #").next().unwrap_or_default().trim();
    let unquoted = value.trim_matches(|c| c == '\'' || c == '"');
    (!unquoted.is_empty()).then_some(unquoted)
}

/// Writes `text` to a new file at `path`, creating its parent folders.
///
/// Fails without touching the file when `path` already exists.
fn create_file(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    }
    let mut file = match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
            bail!("{} already exists; it was left unchanged", path.display())
        }
        Err(err) => {
            return Err(err).with_context(|| format!("cannot create {}", path.display()));
        }
    };
    if let Err(err) = file.write_all(text.as_bytes()) {
        // The file is new and incomplete, so removing it loses nothing. If the removal
        // fails too, the error below still names the file.
        drop(file);
        let _removed = fs::remove_file(path);
        return Err(err).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

/// Returns `path` made absolute, so that messages about `.` name the real folder.
fn shown(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// Returns the current year in UTC from the system clock.
///
/// NOTE: near New Year the local year can differ from the UTC year by one.
fn current_year() -> anyhow::Result<i32> {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is set before 1970; set the date, or pass --year")?
        .as_secs();
    let days = i64::try_from(seconds / 86_400).context("the system clock is out of range")?;
    i32::try_from(year_of_day(days)).context("the system clock is out of range")
}

/// Returns the year in the proleptic Gregorian calendar of a day counted from
/// 1970-01-01 (day 0).
///
/// The count is shifted to start on 0000-03-01 and split into 400-year eras of
/// 146 097 days. Years that start in March put the leap day at the end of the year, so
/// the year within an era follows from the day alone.
fn year_of_day(days: i64) -> i64 {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Months counted from March: 10 and 11 are January and February of the next year.
    let month_from_march = (5 * day_of_year + 2) / 153;
    let year = era * 400 + year_of_era;
    if month_from_march >= 10 {
        year + 1
    } else {
        year
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_of_day_known_dates() {
        assert_eq!(year_of_day(-1), 1969);
        assert_eq!(year_of_day(0), 1970);
        assert_eq!(year_of_day(11_016), 2000); // 2000-02-29
        assert_eq!(year_of_day(11_322), 2000); // 2000-12-31
        assert_eq!(year_of_day(11_323), 2001); // 2001-01-01
        assert_eq!(year_of_day(20_088), 2024); // 2024-12-31
        assert_eq!(year_of_day(20_089), 2025); // 2025-01-01
    }

    #[test]
    fn current_year_is_plausible() {
        let year = current_year().expect("the clock is after 1970");
        assert!((2024..=9999).contains(&year), "{year}");
    }

    #[test]
    fn written_id_reads_top_level_lines() {
        assert_eq!(written_id("id: a-title"), Some("a-title"));
        assert_eq!(written_id("id: 'a-title'  # old"), Some("a-title"));
        assert_eq!(written_id("id: \"a-title\""), Some("a-title"));
        assert_eq!(written_id("  id: nested"), None);
        assert_eq!(written_id("# id: commented"), None);
        assert_eq!(written_id("id:"), None);
        assert_eq!(written_id("identifiers:"), None);
    }

    #[test]
    fn render_sets_values_and_comments_the_rest() {
        let text = researcher_yaml("Zoë Ängström", "zoe-angstrom", Vec::new());
        assert!(text.contains("\nname: Zoë Ängström\n"), "{text}");
        assert!(text.contains("\n# id: zoe-angstrom\n"), "{text}");
        assert!(text.contains("\n# avatar: static/avatars/zoe-angstrom.jpg\n"));
        for doc in RESEARCHER_KEYS.iter().filter(|doc| doc.key != "name") {
            assert!(
                text.contains(&format!("\n# {}:", doc.key)),
                "`{}` is not listed:\n{text}",
                doc.key
            );
        }
    }

    #[test]
    fn examples_start_with_their_key() {
        for doc in SITE_KEYS
            .iter()
            .chain(RESEARCHER_KEYS)
            .chain(PUBLICATION_KEYS)
        {
            assert!(
                doc.example.starts_with(&format!("{}:", doc.key)),
                "{}",
                doc.example
            );
        }
    }

    /// Returns the keys that a file kind accepts, as listed by the error for an unknown
    /// key, such as "unknown key `x`; expected one of: title, description".
    fn accepted_keys<T: serde::de::DeserializeOwned + std::fmt::Debug>() -> Vec<String> {
        let unknown = "zzzzzzzzzzzz: 1\n";
        let error = yaml::parse::<T>(Path::new("keys.yaml"), unknown).expect_err("unknown key");
        let (_, list) = error
            .message
            .split_once("expected one of: ")
            .unwrap_or_else(|| panic!("no key list in: {}", error.message));
        let mut keys: Vec<String> = list.split(", ").map(str::to_owned).collect();
        keys.sort();
        keys
    }

    #[test]
    fn templates_document_every_key() {
        use crate::content::raw::{RawPublication, RawResearcher, RawSite};
        let cases = [
            ("site.yaml", SITE_KEYS, accepted_keys::<RawSite>()),
            (
                "researcher",
                RESEARCHER_KEYS,
                accepted_keys::<RawResearcher>(),
            ),
            (
                "publication",
                PUBLICATION_KEYS,
                accepted_keys::<RawPublication>(),
            ),
        ];
        for (kind, docs, accepted) in cases {
            let mut documented: Vec<String> = docs.iter().map(|doc| doc.key.to_owned()).collect();
            documented.sort();
            assert_eq!(documented, accepted, "keys of {kind}");
        }
    }

    /// Joins every example of `keys` into one YAML file, as a user who uncomments
    /// every key would write it.
    fn every_example(keys: &[templates::KeyDoc], placeholders: &[(&str, &str)]) -> String {
        let values: Vec<(&str, String)> = keys
            .iter()
            .map(|doc| {
                let mut example = doc.example.to_owned();
                for (name, value) in placeholders {
                    example = example.replace(&format!("{{{name}}}"), value);
                }
                (doc.key, example)
            })
            .collect();
        templates::render("", keys, &values, placeholders)
    }

    #[test]
    fn every_example_builds_without_warnings() {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        let root = dir.path();
        let write = |relative: &str, text: &str| {
            let path = root.join(relative);
            fs::create_dir_all(path.parent().expect("a file has a parent")).expect("mkdir");
            fs::write(path, text).expect("write");
        };
        write("site.yaml", &every_example(SITE_KEYS, &[]));
        fs::create_dir_all(root.join("themes/my-theme")).expect("mkdir");
        write(
            "content/researchers/zoe-angstrom.yaml",
            &every_example(RESEARCHER_KEYS, &[("id", "zoe-angstrom")]),
        );
        write(
            "content/static/avatars/zoe-angstrom.jpg",
            "not a real image",
        );
        write(
            "content/publications/2026/an-example.yaml",
            &every_example(PUBLICATION_KEYS, &[("id", "an-example"), ("year", "2026")]),
        );

        let options = BuildOptions {
            root: root.to_path_buf(),
            output: None,
            base_url: None,
        };
        let report = match crate::build(&options) {
            Ok(report) => report,
            Err(BuildError::Invalid(diagnostics)) => {
                let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                panic!("build failed:\n{}", lines.join("\n"));
            }
            Err(err) => panic!("build failed: {err:#}"),
        };
        let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
        assert!(warnings.is_empty(), "{warnings:#?}");
    }
}
