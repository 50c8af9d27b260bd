//! `vita build`: load, validate and link, render, write.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::Site;
use crate::output::{self, Staging};
use crate::render::{self, theme};
use crate::{config, content};

/// Options of a build: the site folder, the output folder and the base URL.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder, holding `site.yaml` and `content/`.
    pub root: PathBuf,
    /// The output folder; `<root>/output` when not set.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from `site.yaml`.
    pub base_url: Option<String>,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("output"))
    }
}

/// Summary of a successful build.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub output: PathBuf,
    /// Warnings found along the way, sorted.
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// Reason a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The content or templates have problems; the list includes warnings too.
    #[error("{} error(s) in the site", count_errors(.0))]
    Invalid(Vec<Diagnostic>),
    /// The options do not make sense, such as a site folder that does not exist.
    #[error("{0}")]
    Usage(String),
    /// Reading or writing files failed for a reason outside the content.
    #[error(transparent)]
    Io(#[from] anyhow::Error),
}

fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

/// Builds the site; on any error the output folder is left exactly as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    check_options(options)?;
    let output_dir = options.output_dir();
    output::check_target(&options.root, &output_dir)?;

    let (site, theme, warnings) = load(options)?;

    let phase = Instant::now();
    let pages = render::render_site(&site, &theme).map_err(BuildError::Invalid)?;
    let html_pages = render::count_html(&pages);
    log::debug!(
        "Rendered {html_pages} pages in {:.3} s",
        phase.elapsed().as_secs_f64()
    );

    let phase = Instant::now();
    let files = write(&site, &theme, &pages, &output_dir)?;
    log::debug!(
        "Wrote {files} files in {:.3} s",
        phase.elapsed().as_secs_f64()
    );

    Ok(BuildReport {
        pages: html_pages,
        files,
        output: output_dir,
        warnings,
        elapsed: started.elapsed(),
    })
}

/// Loads settings, theme and content, and returns every problem if any is an error.
pub fn load(options: &BuildOptions) -> Result<(Site, theme::Theme, Vec<Diagnostic>), BuildError> {
    let phase = Instant::now();
    check_options(options)?;
    let mut diagnostics = Diagnostics::default();
    // A broken site.yaml is reported with the content's problems, not instead of them.
    let config = match config::load(&options.root, options.base_url.as_deref()) {
        Ok(config) => {
            diagnostics.extend(config::base_url_warning(&options.root, &config));
            config
        }
        Err(problems) => {
            diagnostics.extend(problems);
            config::SiteConfig::default()
        }
    };
    let theme = match theme::load(&options.root, config.theme.as_deref()) {
        Ok(theme) => Some(theme),
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };
    let site = content::load_site(&options.root, config, &mut diagnostics);
    log::debug!(
        "Loaded and linked content in {:.3} s",
        phase.elapsed().as_secs_f64()
    );

    let has_errors = diagnostics.has_errors();
    let sorted = diagnostics.into_sorted();
    match (site, theme) {
        (Some(site), Some(theme)) if !has_errors => Ok((site, theme, sorted)),
        _ => Err(BuildError::Invalid(sorted)),
    }
}

/// Rejects a site folder that does not exist or contains no site, and an invalid base URL.
pub fn check_options(options: &BuildOptions) -> Result<(), BuildError> {
    let root = &options.root;
    let shown = root.display();
    if !root.exists() {
        return Err(BuildError::Usage(format!(
            "the site folder {shown} does not exist; pass the folder that contains content/ with --root"
        )));
    }
    if !root.is_dir() {
        return Err(BuildError::Usage(format!(
            "{shown} is not a folder; pass the folder that contains content/ with --root"
        )));
    }
    if !root.join("content").is_dir() && !root.join("site.yaml").is_file() {
        return Err(BuildError::Usage(format!(
            "{shown} holds neither content/ nor site.yaml, so it is not a Vita site; \
             pass the site folder with --root, or create a site with `vita init`"
        )));
    }
    if let Some(url) = &options.base_url {
        config::parse_base_url(url)
            .map_err(|reason| BuildError::Usage(format!("--base-url: {reason}")))?;
    }
    Ok(())
}

/// Writes pages, theme assets and `content/static/` into a staging folder, then swaps it in.
fn write(
    site: &Site,
    theme: &theme::Theme,
    pages: &[render::RenderedPage],
    output_dir: &Path,
) -> Result<usize, BuildError> {
    let assets = site_assets(site, theme, pages)?;
    let staging = Staging::create(output_dir)?;
    let result = write_all(&staging, pages, &assets);
    match result {
        Ok(()) => {
            staging.commit()?;
            Ok(pages.len() + assets.len())
        }
        Err(err) => {
            staging.discard();
            Err(err.into())
        }
    }
}

/// Collects every file of the site besides its pages: theme assets, the files of
/// `content/static/` (which win over theme assets of the same name) and avatars.
pub fn site_assets(
    site: &Site,
    theme: &theme::Theme,
    pages: &[render::RenderedPage],
) -> Result<Vec<theme::Asset>, BuildError> {
    let root_static = site_static_files(site)?;
    let collisions = static_collisions(site, pages, &root_static);
    if !collisions.is_empty() {
        return Err(BuildError::Invalid(collisions));
    }
    let mut assets: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for asset in theme.assets.iter().chain(&root_static) {
        assets.insert(asset.target.clone(), asset.contents.clone());
    }
    for researcher in &site.researchers {
        if let Some((source, target)) = &researcher.avatar {
            let bytes = std::fs::read(source).map_err(|err| {
                let message = format!("cannot read the avatar: {err}");
                BuildError::Invalid(vec![Diagnostic::error(
                    source,
                    Location::default(),
                    message,
                )])
            })?;
            assets.insert(target.clone(), bytes);
        }
    }
    Ok(assets
        .into_iter()
        .map(|(target, contents)| theme::Asset { target, contents })
        .collect())
}

/// Finds files in `content/static/` that would replace a generated page, or that sit
/// where a generated page needs a folder (or the reverse).
fn static_collisions(
    site: &Site,
    pages: &[render::RenderedPage],
    root_static: &[theme::Asset],
) -> Vec<Diagnostic> {
    let avatars = site.researchers.iter().filter_map(|r| r.avatar.as_ref());
    let generated: BTreeSet<&str> = pages
        .iter()
        .map(|page| page.target.as_str())
        .chain(avatars.map(|(_, target)| target.as_str()))
        .collect();
    let generated_folders: BTreeSet<&str> =
        generated.iter().flat_map(|t| parent_folders(t)).collect();

    let mut problems = Vec::new();
    for asset in root_static {
        let target = asset.target.as_str();
        let reason = if generated.contains(target) {
            "would replace a page that Vita generates"
        } else if generated_folders.contains(target) {
            "is a file where the site needs a folder of generated pages"
        } else if parent_folders(target).any(|folder| generated.contains(folder)) {
            "needs a folder where Vita generates a page"
        } else {
            continue;
        };
        let path = site.root.join("content").join("static").join(target);
        let message = format!("`{target}` {reason}; rename or move the file");
        problems.push(Diagnostic::error(&path, Location::default(), message));
    }
    problems
}

/// Yields the folders that contain a `/`-separated path: `a/b/c` gives `a` and `a/b`.
fn parent_folders(target: &str) -> impl Iterator<Item = &str> {
    target.match_indices('/').map(|(index, _)| &target[..index])
}

fn write_all(
    staging: &Staging,
    pages: &[render::RenderedPage],
    assets: &[theme::Asset],
) -> anyhow::Result<()> {
    use rayon::prelude::*;
    pages
        .par_iter()
        .try_for_each(|page| staging.write(&page.target, page.html.as_bytes()))?;
    for asset in assets {
        staging.write(&asset.target, &asset.contents)?;
    }
    Ok(())
}

fn site_static_files(site: &Site) -> Result<Vec<theme::Asset>, BuildError> {
    let folder = site.root.join("content").join("static");
    let mut problems = Vec::new();
    let mut assets = Vec::new();
    theme::read_folder(&folder, &site.root, &mut problems, |target, contents| {
        assets.push(theme::Asset { target, contents });
    });
    if problems.is_empty() {
        Ok(assets)
    } else {
        Err(BuildError::Invalid(problems))
    }
}
