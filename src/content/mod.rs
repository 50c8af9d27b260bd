//! Reading content files from disk into their raw form.

mod identifiers;
mod link;
pub mod raw;
mod validate;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::{Researcher, Site};
use crate::yaml::Schema;

pub use identifiers::normalize_doi;
pub use link::name_key;
pub use validate::PendingPublication;

/// The largest content file read, in bytes; larger files are reported, not parsed.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The maximum length of an abstract or a bio, in bytes of UTF-8. A longer text is
/// reported as an error and not rendered.
pub const MAX_BLOCK_TEXT_BYTES: usize = 100_000;

/// The maximum length of a one-line text field, such as a title, name, topic or venue,
/// in bytes of UTF-8.
pub const MAX_LINE_TEXT_BYTES: usize = 2_000;

/// A parsed content file with the source text kept for locating later problems.
#[derive(Debug)]
pub struct Loaded<T> {
    pub path: PathBuf,
    pub source: String,
    pub raw: T,
}

/// The two kinds of content file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Researcher,
    Publication,
}

impl Kind {
    /// Returns the folder under `content/` that contains files of this kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Researcher => "researchers",
            Kind::Publication => "publications",
        }
    }
}

/// One content file after reading and validating it on its own.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    pub kind: Kind,
    pub entry: Option<Entry>,
    /// The problems found in this file alone; linking may find more.
    pub diagnostics: Vec<Diagnostic>,
}

/// The validated value of a content file.
#[derive(Debug, Clone)]
pub enum Entry {
    Researcher(Researcher),
    Publication(PendingPublication),
}

/// Loads, validates and links all content under `root`, reporting every problem found.
pub fn load_site(root: &Path, config: SiteConfig, diagnostics: &mut Diagnostics) -> Option<Site> {
    let files = list_content(root, diagnostics);
    let checked: Vec<CheckedFile> = files
        .par_iter()
        .map(|(kind, path)| check_file(root, &config, *kind, path))
        .collect();
    let researcher_files = checked
        .iter()
        .filter(|f| f.kind == Kind::Researcher)
        .count();
    log::info!(
        "Loaded {} and {}",
        count(researcher_files, "researcher"),
        count(checked.len() - researcher_files, "publication")
    );
    let site = assemble(root, config, checked.iter(), diagnostics);
    (!diagnostics.has_errors()).then_some(site)
}

/// Lists every researcher and publication file under `root/content`, sorted.
pub fn list_content(root: &Path, diagnostics: &mut Diagnostics) -> Vec<(Kind, PathBuf)> {
    let content = root.join("content");
    let mut files = Vec::new();
    for kind in [Kind::Researcher, Kind::Publication] {
        let found = list_yaml_files(&content.join(kind.folder()), diagnostics);
        files.extend(found.into_iter().map(|path| (kind, path)));
    }
    files
}

/// Reads, parses and validates one content file on its own.
pub fn check_file(root: &Path, config: &SiteConfig, kind: Kind, path: &Path) -> CheckedFile {
    match read_bytes(path) {
        Ok(bytes) => check_bytes(root, config, kind, path, bytes),
        Err(problem) => CheckedFile {
            kind,
            entry: None,
            diagnostics: vec![problem],
        },
    }
}

/// Decodes, parses and validates the bytes of one content file, as [`check_file`] does
/// after reading them from `path`. The file system is only read for avatar files.
pub fn check_bytes(
    root: &Path,
    config: &SiteConfig,
    kind: Kind,
    path: &Path,
    bytes: Vec<u8>,
) -> CheckedFile {
    let (entry, diagnostics) = match kind {
        Kind::Researcher => match load_file::<raw::RawResearcher>(path, bytes) {
            Ok(file) => {
                let (researcher, problems) = validate::researcher_file(root, config, file);
                (researcher.map(Entry::Researcher), problems)
            }
            Err(problems) => (None, problems),
        },
        Kind::Publication => match load_file::<raw::RawPublication>(path, bytes) {
            Ok(file) => {
                let (publication, problems) = validate::publication_file(config, file);
                (publication.map(Entry::Publication), problems)
            }
            Err(problems) => (None, problems),
        },
    };
    CheckedFile {
        kind,
        entry,
        diagnostics,
    }
}

/// Links checked files into the site model. Their diagnostics and the problems that
/// linking finds are added to `diagnostics`.
pub fn assemble<'a>(
    root: &Path,
    config: SiteConfig,
    files: impl Iterator<Item = &'a CheckedFile>,
    diagnostics: &mut Diagnostics,
) -> Site {
    let mut researchers = Vec::new();
    let mut publications = Vec::new();
    for file in files {
        diagnostics.extend(file.diagnostics.iter().cloned());
        match &file.entry {
            Some(Entry::Researcher(researcher)) => researchers.push(researcher.clone()),
            Some(Entry::Publication(publication)) => publications.push(publication.clone()),
            None => {}
        }
    }
    validate::assemble(root, config, researchers, publications, diagnostics)
}

/// Lists the YAML files under `dir`, sorted; unreadable entries and odd names are reported.
pub fn list_yaml_files(dir: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.exists() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(dir).to_path_buf();
                let message = match err.loop_ancestor() {
                    Some(ancestor) => format!(
                        "symbolic link loop back to {}; remove the link",
                        ancestor.display()
                    ),
                    None => format!("cannot read this entry: {err}"),
                };
                diagnostics.push(Diagnostic::error(&path, Location::default(), message));
                continue;
            }
        };
        let path = entry.path();
        let is_yaml = path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml");
        if !entry.file_type().is_file() || !is_yaml {
            continue;
        }
        if path.to_str().is_none() {
            diagnostics.push(Diagnostic::error(
                path,
                Location::default(),
                "the file name is not valid UTF-8; rename the file using UTF-8 characters",
            ));
            continue;
        }
        files.push(path.to_path_buf());
    }
    files
}

fn load_file<T: Schema>(path: &Path, bytes: Vec<u8>) -> Result<Loaded<T>, Vec<Diagnostic>> {
    let source = decode_text(path, bytes).map_err(|problem| vec![problem])?;
    let raw = crate::yaml::parse_all(path, &source)?;
    Ok(Loaded {
        path: path.to_path_buf(),
        source,
        raw,
    })
}

/// Reads a UTF-8 text file of at most `MAX_FILE_BYTES`, reporting problems as diagnostics.
pub(crate) fn read_text(path: &Path) -> Result<String, Diagnostic> {
    decode_text(path, read_bytes(path)?)
}

/// Reads a file of at most `MAX_FILE_BYTES`, reporting problems as diagnostics.
fn read_bytes(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let whole_file = Location::default();
    let size = std::fs::metadata(path)
        .map_err(|err| Diagnostic::error(path, whole_file, format!("cannot read the file: {err}")))?
        .len();
    if size > MAX_FILE_BYTES {
        let message = format!(
            "the file is {size} bytes, above the limit of {MAX_FILE_BYTES} bytes; \
             split it or shorten its text"
        );
        return Err(Diagnostic::error(path, whole_file, message));
    }
    std::fs::read(path)
        .map_err(|err| Diagnostic::error(path, whole_file, format!("cannot read the file: {err}")))
}

/// Decodes the bytes of a content file as UTF-8 and removes a leading byte order mark.
fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let mut text = String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&err.as_bytes()[..offset]);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Diagnostic::error(
            path,
            Location::new(line, column),
            "the file is not valid UTF-8; save it with UTF-8 encoding",
        )
    })?;
    // Some editors start UTF-8 files with a byte order mark. It is removed here because
    // `yaml::locate` cannot find a key on the first line behind it.
    if text.starts_with('\u{feff}') {
        text.remove(0);
    }
    Ok(text)
}

/// Formats a count with its noun, adding the plural `s` when needed: `1 researcher`.
pub fn count(number: usize, noun: &str) -> String {
    if number == 1 {
        format!("{number} {noun}")
    } else {
        format!("{number} {noun}s")
    }
}
