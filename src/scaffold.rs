//! `vita init` and `vita new`: starting a site and adding researchers and publications.

use std::path::{Path, PathBuf};

/// A publication to create with `vita new publication`.
#[derive(Debug, Clone)]
pub struct NewPublication<'a> {
    pub title: &'a str,
    /// Researcher ids or names, in author order.
    pub authors: &'a [String],
    /// The year; the current year when not given.
    pub year: Option<i32>,
}

/// Creates a minimal working site in `dir`, which must be empty or missing.
pub fn init(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    anyhow::bail!("vita init is not available yet for {}", dir.display())
}

/// Creates `content/researchers/<id>.yaml` for a researcher named `name`.
pub fn new_researcher(root: &Path, name: &str) -> anyhow::Result<PathBuf> {
    anyhow::bail!(
        "vita new is not available yet for {name} in {}",
        root.display()
    )
}

/// Creates `content/publications/<year>/<id>.yaml`.
pub fn new_publication(root: &Path, request: &NewPublication<'_>) -> anyhow::Result<PathBuf> {
    anyhow::bail!(
        "vita new is not available yet for {} in {}",
        request.title,
        root.display()
    )
}
