//! The files and element ids of the checked site, and resolving internal links against them.

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;
use scraper::Html;

use crate::config::SiteConfig;
use crate::render::RenderedPage;
use crate::render::theme::Asset;

/// The element ids of one HTML page and the URLs in its `href` and `src` attributes.
#[derive(Debug, Default)]
pub struct Document {
    pub ids: HashSet<String>,
    /// Each URL once, in document order.
    pub links: Vec<String>,
}

/// Parses a whole page and collects its ids and links.
pub fn parse_document(html: &str) -> Document {
    collect(&Html::parse_document(html))
}

/// Collects the links of an HTML fragment, such as a rendered abstract.
pub fn fragment_links(html: &str) -> Vec<String> {
    collect(&Html::parse_fragment(html)).links
}

/// Walks every element once. A fragment can point to any element's `id` and to the
/// `name` of an `<a>`, which browsers still scroll to.
fn collect(document: &Html) -> Document {
    let mut ids = HashSet::new();
    let mut links = Vec::new();
    let mut seen = HashSet::new();
    for node in document.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        if let Some(id) = element.id() {
            ids.insert(id.to_owned());
        }
        if element.name() == "a" {
            if let Some(name) = element.attr("name") {
                ids.insert(name.to_owned());
            }
        }
        for url in [element.attr("href"), element.attr("src")]
            .into_iter()
            .flatten()
        {
            if seen.insert(url) {
                links.push(url.to_owned());
            }
        }
    }
    Document { ids, links }
}

/// A link to a file of the site, with the element id after `#` if it names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// The percent-decoded path relative to the base path, without a leading `/`, such as
    /// `researchers/x/` or `papers/a b.pdf`.
    pub path: String,
    /// The percent-decoded fragment.
    pub fragment: Option<String>,
}

/// The reason an internal link does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// No page or file exists at `path`, an output path such as `about/index.html`.
    MissingFile { path: String },
    /// The page `target` exists but has no element with the id.
    MissingId { target: String, id: String },
}

impl Broken {
    /// Describes the problem as a clause: "the site has no page or file `x`".
    pub fn reason(&self) -> String {
        match self {
            Broken::MissingFile { path } => format!("the site has no page or file `{path}`"),
            Broken::MissingId { target, id } => {
                format!("`{target}` has no element with id `{id}`")
            }
        }
    }
}

/// Every file of the site by output path, with the element ids of its HTML files.
pub struct SiteIndex {
    base_path: String,
    base_url: Option<String>,
    files: HashSet<String>,
    ids: HashMap<String, HashSet<String>>,
}

impl SiteIndex {
    /// Indexes the rendered pages, whose parsed forms are `documents` in the same order,
    /// and the other files of the site. HTML files among `assets` are parsed for ids.
    pub fn new(
        config: &SiteConfig,
        pages: &[RenderedPage],
        documents: &[Document],
        assets: &[Asset],
    ) -> Self {
        let mut files = HashSet::new();
        let mut ids = HashMap::new();
        for (page, document) in pages.iter().zip(documents) {
            files.insert(page.target.clone());
            ids.insert(page.target.clone(), document.ids.clone());
        }
        for asset in assets {
            files.insert(asset.target.clone());
            let is_html = asset.target.ends_with(".html") || asset.target.ends_with(".htm");
            if is_html {
                let html = String::from_utf8_lossy(&asset.contents);
                ids.insert(asset.target.clone(), parse_document(&html).ids);
            }
        }
        Self {
            base_path: config.base_path.clone(),
            base_url: config.base_url.clone(),
            files,
            ids,
        }
    }

    /// Returns the site path of a page for messages, such as `/lab/researchers/x/`.
    pub fn page_url(&self, target: &str) -> String {
        let path = target.strip_suffix("index.html").unwrap_or(target);
        format!("{}{path}", self.base_path)
    }

    /// Returns `url` as a content author would write it: a site path under the base path
    /// loses the base path, so `/lab/cv.pdf` becomes `/cv.pdf`.
    pub fn written_form(&self, url: &str) -> String {
        match url.strip_prefix(&self.base_path) {
            Some(rest) => format!("/{rest}"),
            None => url.to_owned(),
        }
    }

    /// Resolves a link found on the page at output path `page`. Returns `None` for links
    /// that leave the site or its base path.
    pub fn internal_link(&self, page: &str, url: &str) -> Option<InternalLink> {
        resolve_url(url, page, &self.base_path, self.base_url.as_deref())
    }

    /// Checks that the link names a file of the site and, for an HTML page, an element id
    /// on it. Fragments of other files, such as `#page=2` of a PDF, are not checked.
    pub fn find(&self, link: &InternalLink) -> Result<(), Broken> {
        let path = &link.path;
        let candidates = if path.is_empty() || path.ends_with('/') {
            vec![format!("{path}index.html")]
        } else {
            // Static web servers usually redirect `/x` to `/x/` when `x` is a folder, so `/x`
            // reaches the folder's `index.html`.
            vec![path.clone(), format!("{path}/index.html")]
        };
        let Some(target) = candidates.iter().find(|c| self.files.contains(*c)) else {
            return Err(Broken::MissingFile {
                path: candidates[0].clone(),
            });
        };
        let Some(id) = &link.fragment else {
            return Ok(());
        };
        // The HTML standard scrolls to the top of the page for an empty fragment and for
        // `top` in any case, with no element needed.
        if id.is_empty() || id.eq_ignore_ascii_case("top") {
            return Ok(());
        }
        match self.ids.get(target) {
            Some(ids) if !ids.contains(id) => Err(Broken::MissingId {
                target: target.clone(),
                id: id.clone(),
            }),
            _ => Ok(()),
        }
    }
}

/// Resolves `url`, found on the page at output path `page`, to a path under the base path.
///
/// A URL that starts with the absolute `base_url` or with `base_path` is internal, as are
/// fragments and query strings alone, which point to the page itself, and relative
/// paths. URLs with another scheme, `//host` URLs and site paths outside the base path
/// return `None`.
pub fn resolve_url(
    url: &str,
    page: &str,
    base_path: &str,
    base_url: Option<&str>,
) -> Option<InternalLink> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((before, fragment)) => (before, Some(decode(fragment))),
        None => (url, None),
    };
    let address = before_fragment
        .split_once('?')
        .map_or(before_fragment, |(path, _)| path);

    let joined = if address.is_empty() {
        page.to_owned()
    } else if let Some(rest) = base_url.and_then(|base| under_base(address, base)) {
        rest.to_owned()
    } else if has_scheme(address) || address.starts_with("//") {
        return None;
    } else if let Some(rest) = under_base(address, base_path) {
        rest.to_owned()
    } else if address.starts_with('/') {
        return None;
    } else {
        let folder = page.rfind('/').map_or("", |index| &page[..=index]);
        format!("{folder}{address}")
    };
    Some(InternalLink {
        path: normalize(&decode(&joined))?,
        fragment,
    })
}

/// Returns the part of `address` after `base`, which ends in `/`. An `address` equal to
/// `base` without its trailing slash is the base itself.
fn under_base<'a>(address: &'a str, base: &str) -> Option<&'a str> {
    if let Some(rest) = address.strip_prefix(base) {
        return Some(rest);
    }
    (base.strip_suffix('/') == Some(address)).then_some("")
}

/// Tells whether `url` starts with a URL scheme such as `https:` or `mailto:`.
fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Removes `.` and `..` segments from a `/`-separated path, keeping a trailing `/`.
/// Returns `None` when `..` climbs above the base path.
fn normalize(path: &str) -> Option<String> {
    let mut segments: Vec<&str> = Vec::new();
    let mut parts = path.split('/').peekable();
    let mut trailing_slash = false;
    while let Some(part) = parts.next() {
        let last = parts.peek().is_none();
        match part {
            "" | "." => trailing_slash = last,
            ".." => {
                segments.pop()?;
                trailing_slash = last;
            }
            _ => {
                segments.push(part);
                trailing_slash = false;
            }
        }
    }
    let mut normalized = segments.join("/");
    if trailing_slash && !normalized.is_empty() {
        normalized.push('/');
    }
    Some(normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(path: &str, fragment: Option<&str>) -> Option<InternalLink> {
        Some(InternalLink {
            path: path.to_owned(),
            fragment: fragment.map(str::to_owned),
        })
    }

    const PAGE: &str = "researchers/x/index.html";

    #[test]
    fn site_paths_under_base() {
        let resolve = |url| resolve_url(url, PAGE, "/lab/", Some("https://example.org/lab/"));
        assert_eq!(resolve("/lab/"), link("", None));
        assert_eq!(resolve("/lab"), link("", None));
        assert_eq!(resolve("/lab/topics/a/#x"), link("topics/a/", Some("x")));
        assert_eq!(resolve("/lab/style.css?v=2"), link("style.css", None));
        assert_eq!(resolve("https://example.org/lab/a/"), link("a/", None));
        assert_eq!(resolve("/other/"), None);
        assert_eq!(resolve("https://example.org/other/"), None);
    }

    #[test]
    fn fragments_and_relative_paths() {
        let resolve = |url| resolve_url(url, PAGE, "/", None);
        assert_eq!(resolve("#works"), link(PAGE, Some("works")));
        assert_eq!(resolve("?q=1"), link(PAGE, None));
        assert_eq!(
            resolve("avatar.jpg"),
            link("researchers/x/avatar.jpg", None)
        );
        assert_eq!(resolve("../y/"), link("researchers/y/", None));
        assert_eq!(resolve("./"), link("researchers/x/", None));
        assert_eq!(resolve("../../../up"), None);
        assert_eq!(resolve(""), None);
    }

    #[test]
    fn external_urls_are_skipped() {
        let resolve = |url| resolve_url(url, PAGE, "/", None);
        assert_eq!(resolve("https://example.org/"), None);
        assert_eq!(resolve("mailto:a@example.org"), None);
        assert_eq!(resolve("//cdn.example.org/x.js"), None);
    }

    #[test]
    fn percent_escapes_are_decoded() {
        let resolve = |url| resolve_url(url, PAGE, "/", None);
        assert_eq!(
            resolve("/papers/a%20b.pdf#caf%C3%A9"),
            link("papers/a b.pdf", Some("café"))
        );
    }

    #[test]
    fn find_checks_files_and_ids() {
        let pages = vec![RenderedPage {
            target: "a/index.html".to_owned(),
            html: "<h2 id=\"x\">X</h2><a name=\"old\"></a>".to_owned(),
        }];
        let documents: Vec<Document> = pages.iter().map(|p| parse_document(&p.html)).collect();
        let assets = vec![Asset {
            target: "cv.pdf".to_owned(),
            contents: Vec::new(),
        }];
        let index = SiteIndex::new(&SiteConfig::default(), &pages, &documents, &assets);
        let find = |path: &str, fragment: Option<&str>| {
            index.find(&InternalLink {
                path: path.to_owned(),
                fragment: fragment.map(str::to_owned),
            })
        };
        assert_eq!(find("a/", Some("x")), Ok(()));
        assert_eq!(find("a", Some("old")), Ok(()));
        assert_eq!(find("a/", Some("top")), Ok(()));
        assert_eq!(find("cv.pdf", Some("page=2")), Ok(()));
        assert_eq!(
            find("a/", Some("y")),
            Err(Broken::MissingId {
                target: "a/index.html".to_owned(),
                id: "y".to_owned()
            })
        );
        assert_eq!(
            find("b/", None),
            Err(Broken::MissingFile {
                path: "b/index.html".to_owned()
            })
        );
        assert_eq!(
            find("b.pdf", None),
            Err(Broken::MissingFile {
                path: "b.pdf".to_owned()
            })
        );
    }
}
