//! Located problems found in content, collected so that one run reports all of them.

use std::fmt;
use std::path::{Path, PathBuf};

/// The severity of a problem: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file, printed as `path:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based line, or 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, or 0 when the problem concerns the whole line or file.
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: &Path, location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, location, message.into())
    }

    pub fn warning(path: &Path, location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, location, message.into())
    }

    fn new(severity: Severity, path: &Path, location: Location, message: String) -> Self {
        Self {
            severity,
            path: path.to_path_buf(),
            line: location.line,
            column: location.column,
            message,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // `--root .` makes paths like `./content/x.yaml`; print them as `content/x.yaml`.
        let path = self.path.strip_prefix(".").unwrap_or(&self.path);
        write!(f, "{}", path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {kind}: {}", self.message)
    }
}

/// A 1-based line and column in a source file; zero means "unknown".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(line: usize, column: usize) -> Self {
        Self { line, column }
    }
}

/// The problems found so far, in the order they were found.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Returns the problems sorted by file, line and column, so output is stable.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The log target of diagnostics: the logger prints these records as they are, since
/// each already reads `path:line:column: kind: message`.
pub const LOG_TARGET: &str = "vita::diagnostics";

/// Logs a diagnostic at the level of its severity, under [`LOG_TARGET`].
pub fn log(diagnostic: &Diagnostic) {
    match diagnostic.severity {
        Severity::Error => log::error!(target: LOG_TARGET, "{diagnostic}"),
        Severity::Warning => log::warn!(target: LOG_TARGET, "{diagnostic}"),
    }
}
