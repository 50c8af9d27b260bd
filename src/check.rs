//! `vita check`: validates content and rendered pages in memory, writing nothing.

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site folder, holding `site.yaml` and `content/`.
    pub root: PathBuf,
}

/// Every problem found, errors and warnings, sorted by file and line.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Checks the site under `options.root`.
pub fn check(options: &CheckOptions) -> anyhow::Result<CheckReport> {
    anyhow::bail!(
        "vita check is not available yet for {}",
        options.root.display()
    )
}
