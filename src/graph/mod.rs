//! Research graphs, drawn as inline SVG when the site is built: one around each
//! researcher for the profile page, and one of the whole site for `/explore/`.
//!
//! Layouts are deterministic: nodes sit on rings, in slots taken in the order of a
//! ranking with every tie broken, and coordinates are written rounded to one decimal.
//! Each list of neighbours has a node budget, and the tail beyond it collapses into one
//! "and N more" node, so a profile with hundreds of co-authors stays legible.

mod explore;
mod researcher;
mod svg;

pub use explore::{Explorer, MAX_EXPLORE_NODES, explorer};
pub use researcher::{
    MAX_COAUTHORS, MAX_INSTITUTIONS, MAX_TOPICS, MAX_WORKS, researcher_graph_html,
};

use crate::model::{Affiliation, Site};
use crate::slug;

/// Formats a count with its noun, such as `1 work` or `3 works`.
fn counted(count: usize, singular: &str, plural: &str) -> String {
    if count == 1 {
        format!("1 {singular}")
    } else {
        format!("{count} {plural}")
    }
}

/// Finds the topic that `name` belongs to, by slug.
fn topic_index(site: &Site, name: &str) -> Option<usize> {
    let slug = slug::slugify(name);
    site.topics
        .binary_search_by(|topic| topic.slug.as_str().cmp(&slug))
        .ok()
}

/// Finds the institution page of an affiliation, by slug.
fn institution_index(site: &Site, affiliation: &Affiliation) -> Option<usize> {
    let slug = affiliation.institution_slug()?;
    site.institutions
        .binary_search_by(|institution| institution.slug.as_str().cmp(&slug))
        .ok()
}
