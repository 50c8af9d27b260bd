//! Keeping the in-memory site up to date: a full build at start and after settings,
//! theme, static or researcher changes, and an incremental one after publication edits.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use rayon::prelude::*;

use super::http::Shared;
use crate::build::{BuildError, site_assets};
use crate::config::{self, SiteConfig};
use crate::content::{self, CheckedFile, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::render::{self, PageKey, RenderedPage, theme};

/// The site being previewed, with what is needed to rebuild parts of it.
pub struct Preview {
    root: PathBuf,
    /// The base URL used for the preview: the local address with the site's path.
    base_url: Option<String>,
    bound: SocketAddr,
    shared: Arc<Shared>,
    files: BTreeMap<PathBuf, CheckedFile>,
    /// The last good build, from which incremental rebuilds start.
    last_good: Option<Built>,
}

struct Built {
    config: SiteConfig,
    theme: theme::Theme,
    site: Site,
    page_targets: BTreeSet<String>,
}

/// The rebuild that a batch of file changes requires.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    /// Nothing the site is built from changed.
    None,
    /// Only these publication files changed, were added or were removed.
    Publications(BTreeSet<PathBuf>),
    /// Settings, theme, static files or researchers changed.
    Everything,
}

impl Preview {
    pub fn new(root: PathBuf, base_url: Option<String>, bound: SocketAddr) -> Result<Self> {
        let configured = config::load(&root, base_url.as_deref()).ok();
        let base_path = configured.map_or_else(|| "/".to_owned(), |c| c.base_path);
        Ok(Self {
            root,
            base_url: Some(local_base_url(bound, &base_path)),
            bound,
            shared: Arc::new(Shared::new(base_path)),
            files: BTreeMap::new(),
            last_good: None,
        })
    }

    pub fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }

    /// Returns the address of the home page.
    pub fn site_url(&self) -> String {
        local_base_url(self.bound, &self.shared.base_path)
    }

    /// Reloads everything from disk and renders every page.
    pub fn rebuild_all(&mut self) {
        let started = Instant::now();
        match self.build_everything() {
            Ok(count) => {
                self.publish_error(None);
                log::info!(
                    "Built {count} pages in {:.0} ms",
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            Err(problems) => self.report(problems),
        }
        self.shared.notify_reload();
    }

    /// Applies a batch of changed paths.
    pub fn apply(&mut self, changed: &[PathBuf]) {
        let started = Instant::now();
        let change = classify(&self.root, changed);
        let result = match (&change, &self.last_good) {
            (Change::None, _) => return,
            (Change::Publications(paths), Some(_)) => self.build_publications(paths),
            _ => self.build_everything(),
        };
        match result {
            Ok(count) => {
                self.publish_error(None);
                log::info!(
                    "Rebuilt {count} pages in {:.0} ms",
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            Err(problems) => self.report(problems),
        }
        self.shared.notify_reload();
    }

    fn build_everything(&mut self) -> Result<usize, Vec<Diagnostic>> {
        let config = config::load(&self.root, self.base_url.as_deref())?;
        let theme = theme::load(&self.root, config.theme.as_deref())?;
        let mut diagnostics = Diagnostics::default();
        let listed = content::list_content(&self.root, &mut diagnostics);
        let checked: Vec<(PathBuf, CheckedFile)> = listed
            .par_iter()
            .map(|(kind, path)| {
                (
                    path.clone(),
                    content::check_file(&self.root, &config, *kind, path),
                )
            })
            .collect();
        self.files = checked.into_iter().collect();
        let site = content::assemble(
            &self.root,
            config.clone(),
            self.files.values(),
            &mut diagnostics,
        );
        if diagnostics.has_errors() {
            return Err(diagnostics.into_sorted());
        }
        log_warnings(diagnostics);

        let pages = render::render_site(&site, &theme)?;
        let assets = site_assets(&site, &theme, &pages).map_err(problems_of)?;
        let count = render::count_html(&pages);
        let page_targets: BTreeSet<String> = render::page_targets(&site).into_iter().collect();
        {
            let mut state = self.shared.site.write().unwrap_or_else(|e| e.into_inner());
            state.files = HashMap::new();
            insert_pages(&mut state.files, pages);
            for asset in assets {
                state.files.insert(asset.target, Arc::from(asset.contents));
            }
        }
        self.last_good = Some(Built {
            config,
            theme,
            site,
            page_targets,
        });
        Ok(count)
    }

    /// Re-reads the changed publication files and renders only the pages that show them:
    /// the publications, their authors' pages and works, their topics, and the lists.
    fn build_publications(&mut self, paths: &BTreeSet<PathBuf>) -> Result<usize, Vec<Diagnostic>> {
        let started = Instant::now();
        let Some(previous) = self.last_good.take() else {
            return self.build_everything();
        };
        for path in paths {
            if path.is_file() {
                let checked =
                    content::check_file(&self.root, &previous.config, Kind::Publication, path);
                self.files.insert(path.clone(), checked);
            } else {
                self.files.remove(path);
            }
        }
        let mut diagnostics = Diagnostics::default();
        let site = content::assemble(
            &self.root,
            previous.config.clone(),
            self.files.values(),
            &mut diagnostics,
        );
        if diagnostics.has_errors() {
            self.remove_deleted_pages(&previous.site, paths);
            self.last_good = Some(previous);
            return Err(diagnostics.into_sorted());
        }
        log_warnings(diagnostics);

        log::debug!(
            "Relinked the site in {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );

        let affected = Affected::between(&previous.site, &site, paths);
        let rendered = render::render_pages(&site, &previous.theme, |key| affected.contains(key));
        let pages = match rendered {
            Ok(pages) => pages,
            Err(problems) => {
                self.last_good = Some(previous);
                return Err(problems);
            }
        };
        let page_targets: BTreeSet<String> = render::page_targets(&site).into_iter().collect();
        let count = render::count_html(&pages);
        {
            let mut state = self.shared.site.write().unwrap_or_else(|e| e.into_inner());
            for gone in previous.page_targets.difference(&page_targets) {
                // A page's folder also contains its downloads, which go with it.
                match gone.strip_suffix("index.html") {
                    Some(folder) if !folder.is_empty() => {
                        state.files.retain(|target, _| !target.starts_with(folder));
                    }
                    _ => {
                        state.files.remove(gone);
                    }
                }
            }
            insert_pages(&mut state.files, pages);
        }
        self.last_good = Some(Built {
            site,
            page_targets,
            ..previous
        });
        Ok(count)
    }

    /// Stops serving the pages of publication files that were deleted or renamed, even
    /// while another file keeps the site from building: the rest of the last good build
    /// stays, but a page whose file is gone must not.
    fn remove_deleted_pages(&self, site: &Site, paths: &BTreeSet<PathBuf>) {
        let mut state = self.shared.site.write().unwrap_or_else(|e| e.into_inner());
        for publication in &site.publications {
            if paths.contains(&publication.source) && !publication.source.exists() {
                let folder = format!("publications/{}/", publication.id);
                state.files.retain(|target, _| !target.starts_with(&folder));
            }
        }
    }

    fn report(&self, problems: Vec<Diagnostic>) {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        for problem in &problems {
            crate::diagnostics::log(problem);
        }
        let kept = if self.last_good.is_some() {
            "the preview keeps serving the last good build"
        } else {
            "the preview shows the errors until they are fixed"
        };
        log::error!("the site was not rebuilt; {kept}");
        self.publish_error(Some(lines.join("\n")));
    }

    fn publish_error(&self, error: Option<String>) {
        let mut state = self.shared.site.write().unwrap_or_else(|e| e.into_inner());
        state.error = error;
    }
}

/// The researchers, publications, topics and institutions whose pages a publication
/// change touches.
struct Affected {
    researchers: BTreeSet<String>,
    publications: BTreeSet<String>,
    topics: BTreeSet<String>,
    /// Institution slugs, because an institution page lists its researchers' works.
    institutions: BTreeSet<String>,
}

impl Affected {
    fn between(old: &Site, new: &Site, paths: &BTreeSet<PathBuf>) -> Self {
        let mut affected = Self {
            researchers: BTreeSet::new(),
            publications: BTreeSet::new(),
            topics: BTreeSet::new(),
            institutions: BTreeSet::new(),
        };
        for site in [old, new] {
            for publication in site
                .publications
                .iter()
                .filter(|p| paths.contains(&p.source))
            {
                affected.publications.insert(publication.id.clone());
                for author in publication.authors.iter().filter_map(|a| a.researcher) {
                    let researcher = &site.researchers[author];
                    affected.researchers.insert(researcher.id.clone());
                    affected.institutions.extend(
                        researcher
                            .affiliations
                            .iter()
                            .filter_map(|a| a.institution_slug()),
                    );
                }
                for topic in &publication.topics {
                    affected.topics.insert(crate::slug::slugify(topic));
                }
            }
        }
        // Publication pages list other works by the same researchers.
        for researcher in new
            .researchers
            .iter()
            .filter(|r| affected.researchers.contains(&r.id))
        {
            for &work in &researcher.publications {
                affected
                    .publications
                    .insert(new.publications[work].id.clone());
            }
        }
        affected
    }

    fn contains(&self, key: PageKey<'_>) -> bool {
        match key {
            PageKey::Listing => true,
            PageKey::Researcher(id) => self.researchers.contains(id),
            PageKey::Publication(id) => self.publications.contains(id),
            PageKey::Topic(slug) => self.topics.contains(slug),
            PageKey::Institution(slug) => self.institutions.contains(slug),
        }
    }
}

/// Decides what a batch of changed paths requires.
pub fn classify(root: &Path, changed: &[PathBuf]) -> Change {
    let content = root.join("content");
    let publications = content.join(Kind::Publication.folder());
    let mut edited = BTreeSet::new();
    let mut everything = false;
    for path in changed {
        let relative = path.strip_prefix(root).unwrap_or(path);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let is_editor_file = name.starts_with(".#")
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx");
        if is_editor_file {
            continue;
        }
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if path.starts_with(&publications) && is_yaml {
            edited.insert(path.clone());
        } else if path.starts_with(&content)
            || relative.starts_with("themes")
            || relative == Path::new("site.yaml")
        {
            everything = true;
        }
    }
    if everything {
        Change::Everything
    } else if edited.is_empty() {
        Change::None
    } else {
        Change::Publications(edited)
    }
}

/// Watches the site's sources and applies each settled batch of changes to `preview`.
pub fn watch(mut preview: Preview, debounce: Duration) -> Result<Arc<Mutex<SiteWatcher>>> {
    let (sender, receiver) = mpsc::channel::<DebounceEventResult>();
    let debouncer =
        new_debouncer(debounce, None, sender).context("cannot watch the site's files")?;
    let root = preview.root.clone();
    let mut watcher = SiteWatcher {
        debouncer,
        watched: BTreeSet::new(),
    };
    watcher
        .debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", root.display()))?;
    watcher.watch_folders(&root);
    let watcher = Arc::new(Mutex::new(watcher));

    let shared_watcher = Arc::clone(&watcher);
    std::thread::spawn(move || {
        for result in receiver {
            match result {
                Ok(events) => {
                    // Reading files during a rebuild causes access events; only changes count.
                    let paths: Vec<PathBuf> = events
                        .into_iter()
                        .filter(|event| is_change(&event.event.kind))
                        .flat_map(|event| event.event.paths)
                        .collect();
                    if !paths.is_empty() {
                        log::debug!("Changed: {paths:?}");
                        // `content/` or `themes/` may have been created since the start.
                        shared_watcher
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .watch_folders(&preview.root);
                        preview.apply(&absolute_paths(&preview.root, paths));
                    }
                }
                Err(errors) => {
                    for error in errors {
                        log::error!("file watching failed: {error}");
                    }
                }
            }
        }
    });
    Ok(watcher)
}

/// The file watcher and the folders it watches recursively.
pub struct SiteWatcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    watched: BTreeSet<PathBuf>,
}

impl SiteWatcher {
    /// Starts watching `content/` and `themes/` once they exist.
    fn watch_folders(&mut self, root: &Path) {
        for folder in ["content", "themes"] {
            let path = root.join(folder);
            if !path.is_dir() || self.watched.contains(&path) {
                continue;
            }
            match self.debouncer.watch(&path, RecursiveMode::Recursive) {
                Ok(()) => {
                    self.watched.insert(path);
                }
                Err(err) => log::error!("cannot watch {}: {err}", path.display()),
            }
        }
    }
}

fn is_change(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) | EventKind::Any | EventKind::Other => true,
        EventKind::Access(_) => false,
    }
}

/// Expresses event paths relative to the same root as the site's file list.
fn absolute_paths(root: &Path, paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let Ok(canonical_root) = root.canonicalize() else {
        return paths;
    };
    paths
        .into_iter()
        .map(|path| match path.strip_prefix(&canonical_root) {
            Ok(relative) => root.join(relative),
            Err(_) => path,
        })
        .collect()
}

fn insert_pages(files: &mut HashMap<String, Arc<[u8]>>, pages: Vec<RenderedPage>) {
    for page in pages {
        files.insert(page.target, Arc::from(page.html.into_bytes()));
    }
}

fn log_warnings(diagnostics: Diagnostics) {
    for warning in diagnostics.into_sorted() {
        crate::diagnostics::log(&warning);
    }
}

fn problems_of(err: BuildError) -> Vec<Diagnostic> {
    match err {
        BuildError::Invalid(problems) => problems,
        BuildError::Usage(message) => {
            vec![Diagnostic::error(
                Path::new("(site)"),
                Default::default(),
                message,
            )]
        }
        BuildError::Io(err) => vec![Diagnostic::error(
            Path::new("(site)"),
            Default::default(),
            format!("{err:#}"),
        )],
    }
}

/// Returns `http://host:port/base/`, with IPv6 hosts in brackets and the unspecified
/// address replaced by loopback, since browsers cannot open `0.0.0.0`.
fn local_base_url(bound: SocketAddr, base_path: &str) -> String {
    let host = match bound.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_owned(),
        ip if ip.is_unspecified() => "[::1]".to_owned(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        std::net::IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}{base_path}", bound.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_urls_for_each_interface() {
        let v4: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        let v6: SocketAddr = "[::1]:1111".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert_eq!(local_base_url(v4, "/"), "http://127.0.0.1:1111/");
        assert_eq!(local_base_url(v6, "/lab/"), "http://[::1]:1111/lab/");
        assert_eq!(local_base_url(any, "/"), "http://127.0.0.1:1111/");
    }

    #[test]
    fn classify_changes() {
        let root = Path::new("/site");
        let publication = root.join("content/publications/2020/a.yaml");
        assert_eq!(classify(root, &[]), Change::None);
        assert_eq!(
            classify(root, std::slice::from_ref(&publication)),
            Change::Publications(BTreeSet::from([publication.clone()]))
        );
        let swap = root.join("content/publications/2020/.a.yaml.swp");
        assert_eq!(classify(root, &[swap]), Change::None);
        for everything in [
            "site.yaml",
            "themes/lab/templates/base.html",
            "content/researchers/x.yaml",
            "content/static/a.pdf",
        ] {
            assert_eq!(
                classify(root, &[publication.clone(), root.join(everything)]),
                Change::Everything,
                "{everything}"
            );
        }
        assert_eq!(
            classify(root, &[root.join("output/index.html")]),
            Change::None
        );
    }
}
