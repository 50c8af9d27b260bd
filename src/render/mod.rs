//! Rendering the site model into pages with tera, in parallel.

mod metadata;
mod pages;
mod profile;
pub mod theme;
pub mod views;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
pub use pages::{Catalog, Job, PageKey};
use theme::Theme;

/// One rendered page: where it goes under the output folder and its HTML.
#[derive(Debug)]
pub struct RenderedPage {
    /// The path inside the output folder, with `/` separators, such as `researchers/x/index.html`.
    pub target: String,
    pub html: String,
}

/// Renders every page of the site; all template errors are returned together.
pub fn render_site(site: &Site, theme: &Theme) -> Result<Vec<RenderedPage>, Vec<Diagnostic>> {
    render_pages(site, theme, |_| true)
}

/// Renders the pages that `select` accepts, given the page and the site.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    select: impl Fn(PageKey<'_>) -> bool,
) -> Result<Vec<RenderedPage>, Vec<Diagnostic>> {
    let catalog = Catalog::new(site);
    let jobs: Vec<Job> = catalog
        .jobs()
        .into_iter()
        .filter(|job| select(catalog.key(*job)))
        .collect();
    let results: Vec<Result<RenderedPage, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let context = catalog
                .context(*job)
                .map_err(|err| theme.error(job.template(), &err))?;
            let html = theme
                .tera
                .render(job.template(), &context)
                .map_err(|err| theme.error(job.template(), &err))?;
            Ok(RenderedPage {
                target: catalog.target(*job),
                html,
            })
        })
        .collect();

    let mut pages = Vec::with_capacity(results.len());
    pages.extend(crate::publish::files(site, &select));
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(page) => pages.push(page),
            Err(problem) => problems.push(problem),
        }
    }
    problems.dedup();
    if problems.is_empty() {
        Ok(pages)
    } else {
        Err(problems)
    }
}

/// Lists the output path of every page of the site, without rendering.
pub fn page_targets(site: &Site) -> Vec<String> {
    pages::jobs(site)
        .into_iter()
        .map(|job| pages::target(site, job))
        .collect()
}

/// Counts the HTML pages among rendered files, leaving out feeds and downloads.
pub fn count_html(files: &[RenderedPage]) -> usize {
    files
        .iter()
        .filter(|file| file.target.ends_with(".html"))
        .count()
}
