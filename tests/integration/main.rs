//! Integration tests: each builds a real fixture site into a temporary folder and checks
//! the written pages by parsing their HTML, or checks the reported errors.
//!
//! `common` contains the fixture and parsing helpers; add tests to the module for their area.

mod check;
mod cite;
mod common;
mod errors;
mod feeds;
mod graph;
mod injection;
mod institutions;
mod killed_build;
mod limits;
mod metadata;
mod pages;
mod scaffold;
mod serve;
mod trust;
