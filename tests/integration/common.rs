//! Fixture sites written into temporary folders, built, and read back as parsed HTML.

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};
use tempfile::TempDir;
use vita::diagnostics::Diagnostic;
use vita::{BuildError, BuildOptions, BuildReport};

/// A site folder in a temporary directory; removed when dropped.
pub struct Fixture {
    dir: TempDir,
}

impl Fixture {
    /// Creates a site folder whose `site.yaml` sets an absolute base URL, as a published
    /// site has. Tests of other settings write their own `site.yaml` over it.
    pub fn new() -> Self {
        let fixture = Self::empty();
        fixture.file("site.yaml", "base_url: https://example.org/\n");
        fixture
    }

    /// Creates an empty folder.
    pub fn empty() -> Self {
        Self {
            dir: tempfile::tempdir().expect("create a temporary folder"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("output")
    }

    /// Writes `contents` to `relative` under the site folder, creating parent folders.
    pub fn file(&self, relative: &str, contents: &str) -> &Self {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().expect("a file has a parent"))
            .expect("create fixture folders");
        std::fs::write(&path, contents).expect("write fixture file");
        self
    }

    pub fn researcher(&self, id: &str, yaml: &str) -> &Self {
        self.file(&format!("content/researchers/{id}.yaml"), yaml)
    }

    pub fn publication(&self, id: &str, yaml: &str) -> &Self {
        self.file(&format!("content/publications/{id}.yaml"), yaml)
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            output: None,
            base_url: None,
        }
    }

    /// Builds the site and panics with every diagnostic if the build fails.
    pub fn build(&self) -> BuildReport {
        self.build_with(self.options())
    }

    pub fn build_with(&self, options: BuildOptions) -> BuildReport {
        match vita::build(&options) {
            Ok(report) => report,
            Err(BuildError::Invalid(diagnostics)) => {
                let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                panic!("build failed:\n{}", lines.join("\n"));
            }
            Err(err) => panic!("build failed: {err:#}"),
        }
    }

    /// Builds the site, expecting it to fail, and returns the diagnostics as printed,
    /// with the fixture folder prefix removed from every path.
    pub fn build_errors(&self) -> Vec<String> {
        match vita::build(&self.options()) {
            Ok(_) => panic!("the build succeeded but was expected to fail"),
            Err(BuildError::Invalid(diagnostics)) => self.printed(&diagnostics),
            Err(err) => panic!("expected content errors, got: {err:#}"),
        }
    }

    /// Formats diagnostics as the command line prints them, relative to the fixture.
    pub fn printed(&self, diagnostics: &[Diagnostic]) -> Vec<String> {
        let root = format!("{}/", self.root().display());
        diagnostics
            .iter()
            .map(|d| d.to_string().replace(&root, ""))
            .collect()
    }

    /// Runs `vita check` on the site and returns the diagnostics as printed, relative to
    /// the fixture. Panics if the check cannot run.
    pub fn check(&self) -> Vec<String> {
        let options = vita::check::CheckOptions {
            root: self.root().to_path_buf(),
        };
        let report = vita::check::check(&options)
            .unwrap_or_else(|err| panic!("vita check failed to run: {err:#}"));
        self.printed(&report.diagnostics)
    }

    /// Reads and parses a page of the built site, such as `researchers/x/index.html`.
    pub fn page(&self, relative: &str) -> Page {
        self.page_in(&self.output(), relative)
    }

    pub fn page_in(&self, output: &Path, relative: &str) -> Page {
        let path = output.join(relative);
        let html = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("read {}: {err}", path.display()));
        Page {
            document: Html::parse_document(&html),
            source: html,
        }
    }
}

/// A parsed HTML page.
pub struct Page {
    pub document: Html,
    pub source: String,
}

impl Page {
    /// Returns the text of every element matching `css`, whitespace collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let selector = Selector::parse(css).unwrap_or_else(|err| panic!("selector {css}: {err:?}"));
        self.document
            .select(&selector)
            .map(|element| {
                let text: String = element.text().collect();
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect()
    }

    /// Returns the value of `attribute` on every element matching `css`.
    pub fn attrs(&self, css: &str, attribute: &str) -> Vec<String> {
        let selector = Selector::parse(css).unwrap_or_else(|err| panic!("selector {css}: {err:?}"));
        self.document
            .select(&selector)
            .filter_map(|element| element.value().attr(attribute).map(str::to_owned))
            .collect()
    }

    /// Counts the elements matching `css`.
    pub fn count(&self, css: &str) -> usize {
        let selector = Selector::parse(css).unwrap_or_else(|err| panic!("selector {css}: {err:?}"));
        self.document.select(&selector).count()
    }

    /// Returns the inner HTML of the first element matching `css`.
    pub fn inner_html(&self, css: &str) -> String {
        let selector = Selector::parse(css).unwrap_or_else(|err| panic!("selector {css}: {err:?}"));
        self.document
            .select(&selector)
            .next()
            .unwrap_or_else(|| panic!("no element matches {css}"))
            .inner_html()
    }
}

/// Lists every file under `dir` with its bytes, sorted by relative path.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("walk the output"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(dir).expect("inside dir");
            let bytes = std::fs::read(entry.path()).expect("read output file");
            (relative.display().to_string(), bytes)
        })
        .collect();
    files.sort();
    files
}
