//! Vita builds static websites for researcher profiles and their publications.
//!
//! The build runs in phases: [`config`] and [`content`] load and validate the YAML
//! files into the linked [`model`], [`render`] turns the model into pages with tera,
//! and [`output`] writes them so that a failed build never damages the previous site.

pub mod build;
pub mod check;
pub mod cite;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod graph;
pub mod links;
pub mod model;
pub mod output;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod text;
pub mod trust;
mod yaml;

pub use build::{BuildError, BuildOptions, BuildReport, build};
