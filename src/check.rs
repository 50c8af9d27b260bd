//! `vita check`: validates content and rendered pages in memory, writing nothing.
//!
//! The check reports what `vita build` reports, and adds warnings for content that
//! builds but is likely wrong (see `content`) and errors for links between the rendered
//! pages that do not resolve (see `links`).

mod content;
mod links;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::build::{BuildError, BuildOptions, check_options, site_assets};
use crate::config;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::Site;
use crate::render::{self, Catalog, Job, RenderedPage, theme};

/// Options of `vita check`: the site folder.
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

/// Checks the site under `options.root` and returns every problem found.
///
/// Settings, theme and every content file are always checked. The checks that need the
/// whole site (researchers without publications, topics used once, links) run only when
/// those have no errors, because a file with errors is missing from the site and would
/// make them report false problems.
///
/// Returns an error only when `options.root` is not a site folder ([`BuildError::Usage`])
/// or a file cannot be read for a reason outside the content.
pub fn check(options: &CheckOptions) -> anyhow::Result<CheckReport> {
    let root = &options.root;
    let build_options = BuildOptions {
        root: root.clone(),
        output: None,
        base_url: None,
    };
    check_options(&build_options)?;

    let phase = Instant::now();
    let mut diagnostics = Diagnostics::default();
    // As in `vita build`, a broken site.yaml is reported with the content's problems.
    let config = match config::load(root, None) {
        Ok(config) => {
            diagnostics.extend(config::base_url_warning(root, &config));
            config
        }
        Err(problems) => {
            diagnostics.extend(problems);
            config::SiteConfig::default()
        }
    };
    let theme = match theme::load(root, config.theme.as_deref()) {
        Ok(theme) => Some(theme),
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };
    let files = crate::content::list_content(root, &mut diagnostics);
    let checked: Vec<_> = files
        .par_iter()
        .map(|(kind, path)| crate::content::check_file(root, &config, *kind, path))
        .collect();
    let site = crate::content::assemble(root, config, checked.iter(), &mut diagnostics);
    log_phase("Loaded and linked content", phase);

    let phase = Instant::now();
    content::author_names(&site, &checked, &mut diagnostics);
    log_phase("Compared author names", phase);

    if let (Some(theme), false) = (&theme, diagnostics.has_errors()) {
        content::researchers_without_publications(&site, &mut diagnostics);
        content::single_use_topics(&site, &mut diagnostics);
        check_links(&site, theme, &mut diagnostics)?;
    }
    Ok(CheckReport {
        diagnostics: diagnostics.into_sorted(),
    })
}

/// Renders every page in memory, collects the other files of the site (reporting static
/// files that clash with pages, as the build does) and checks the links in content and
/// in the pages.
fn check_links(
    site: &Site,
    theme: &theme::Theme,
    diagnostics: &mut Diagnostics,
) -> anyhow::Result<()> {
    let phase = Instant::now();
    let pages = match render::render_site(site, theme) {
        Ok(pages) => pages,
        Err(problems) => {
            diagnostics.extend(problems);
            return Ok(());
        }
    };
    log_phase("Rendered pages", phase);
    let assets = match site_assets(site, theme, &pages) {
        Ok(assets) => assets,
        Err(BuildError::Invalid(problems)) => {
            diagnostics.extend(problems);
            return Ok(());
        }
        Err(err) => return Err(err.into()),
    };
    let phase = Instant::now();
    let documents: Vec<links::Document> = pages
        .par_iter()
        .map(|page| links::parse_document(&page.html))
        .collect();
    log_phase("Parsed pages", phase);
    let index = links::SiteIndex::new(&site.config, &pages, &documents, &assets);

    let phase = Instant::now();
    let reported = content::content_links(site, &index, diagnostics);
    let sources = page_sources(site);
    page_links(&pages, &documents, &index, &sources, &reported, diagnostics);
    log_phase("Checked links", phase);
    Ok(())
}

fn log_phase(phase: &str, started: Instant) {
    log::debug!("{phase} in {:.3} s", started.elapsed().as_secs_f64());
}

/// Maps the output path of each researcher and publication page to its content file.
fn page_sources(site: &Site) -> HashMap<String, &Path> {
    let catalog = Catalog::new(site);
    catalog
        .jobs()
        .into_iter()
        .filter_map(|job| {
            let source = match job {
                Job::Researcher(index) => &site.researchers[index].source,
                Job::Publication(index) => &site.publications[index].source,
                _ => return None,
            };
            Some((catalog.target(job), source.as_path()))
        })
        .collect()
}

/// Reports each link on a rendered page that names a missing page, file or element id,
/// once per page. Links in `reported` were already reported where the content wrote them.
///
/// Problems on a page made from a content file are reported under that file. Problems on
/// other pages are reported under `output:` and the page's output path.
fn page_links(
    pages: &[RenderedPage],
    documents: &[links::Document],
    index: &links::SiteIndex,
    sources: &HashMap<String, &Path>,
    reported: &HashSet<String>,
    diagnostics: &mut Diagnostics,
) {
    for (page, document) in pages.iter().zip(documents) {
        let path = match sources.get(&page.target) {
            Some(source) => source.to_path_buf(),
            None => PathBuf::from(format!("output:{}", page.target)),
        };
        for url in &document.links {
            if reported.contains(url) {
                continue;
            }
            let Some(link) = index.internal_link(&page.target, url) else {
                continue;
            };
            if let Err(broken) = index.find(&link) {
                let message = format!(
                    "page `{}` links to `{url}`, but {}",
                    index.page_url(&page.target),
                    broken.reason()
                );
                diagnostics.push(Diagnostic::error(&path, Location::default(), message));
            }
        }
    }
}
