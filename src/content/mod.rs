//! Reading content files from disk into their raw form.

mod identifiers;
mod link;
pub mod raw;
mod validate;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::Site;

pub use identifiers::normalize_doi;
pub use link::name_key;

/// The largest content file read, in bytes; larger files are reported, not parsed.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A parsed content file with the source text kept for locating later problems.
#[derive(Debug)]
pub struct Loaded<T> {
    pub path: PathBuf,
    pub source: String,
    pub raw: T,
}

/// Loads, validates and links all content under `root`, reporting every problem found.
pub fn load_site(root: &Path, config: SiteConfig, diagnostics: &mut Diagnostics) -> Option<Site> {
    let content = root.join("content");
    let researchers = load_kind::<raw::RawResearcher>(&content.join("researchers"), diagnostics);
    let publications = load_kind::<raw::RawPublication>(&content.join("publications"), diagnostics);
    log::info!(
        "Loaded {} and {}",
        count(researchers.len(), "researcher"),
        count(publications.len(), "publication")
    );
    let site = validate::build_site(root, config, researchers, publications, diagnostics);
    (!diagnostics.has_errors()).then_some(site)
}

/// Lists, reads and parses every `.yaml` file under `dir`, in parallel.
fn load_kind<T: DeserializeOwned + Send>(
    dir: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<Loaded<T>> {
    let files = list_yaml_files(dir, diagnostics);
    let results: Vec<Result<Loaded<T>, Diagnostic>> =
        files.par_iter().map(|path| load_file(path)).collect();
    let mut loaded = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(file) => loaded.push(file),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    loaded
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

fn load_file<T: DeserializeOwned>(path: &Path) -> Result<Loaded<T>, Diagnostic> {
    let source = read_text(path)?;
    let raw = crate::yaml::parse(path, &source)?;
    Ok(Loaded {
        path: path.to_path_buf(),
        source,
        raw,
    })
}

/// Reads a UTF-8 text file of at most `MAX_FILE_BYTES`, reporting problems as diagnostics.
fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let whole_file = Location::default();
    let size = std::fs::metadata(path)
        .map_err(|err| Diagnostic::error(path, whole_file, format!("cannot read the file: {err}")))?
        .len();
    if size > MAX_FILE_BYTES {
        let message = format!(
            "the file is {size} bytes, above the limit of {MAX_FILE_BYTES}; split it or shorten its text"
        );
        return Err(Diagnostic::error(path, whole_file, message));
    }
    let bytes = std::fs::read(path).map_err(|err| {
        Diagnostic::error(path, whole_file, format!("cannot read the file: {err}"))
    })?;
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
