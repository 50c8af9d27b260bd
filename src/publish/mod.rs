//! The files besides HTML pages that publishing needs: feeds, sitemaps, `robots.txt`
//! and citation downloads.

pub mod feeds;
pub mod sitemap;

use crate::model::Site;
use crate::render::{PageKey, RenderedPage};

/// Produces the publishing files that `select` accepts, keyed like the pages they
/// belong to: a publication's downloads by its page, a researcher's feed by theirs,
/// and site-wide files such as the sitemap by [`PageKey::Listing`].
pub fn files(site: &Site, select: &dyn Fn(PageKey<'_>) -> bool) -> Vec<RenderedPage> {
    let mut files = Vec::new();
    files.extend(feeds::files(site, select));
    files.extend(sitemap::files(site, select));
    files.extend(crate::cite::files(site, select));
    files
}
