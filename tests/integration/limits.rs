//! Very large and very deep input: each case is reported as a located error within a
//! loose time bound, and never hangs or overflows the stack.
//!
//! A content file that is not UTF-8 and a file name that is not UTF-8 are tested in
//! `errors.rs` (`invalid_utf8_content_located`, `invalid_utf8_file_name_reported`).

use std::time::{Duration, Instant};

use crate::common::Fixture;

/// A bound far above the expected time, so that only a hang fails the test.
const TIME_BOUND: Duration = Duration::from_secs(30);

const PAPER_HEAD: &str = "title: A paper\nauthors: [ada]\nyear: 2024\n";

/// Builds the site, expecting errors, and checks that the build finished in time.
fn timed_errors(site: &Fixture) -> Vec<String> {
    let started = Instant::now();
    let errors = site.build_errors();
    let elapsed = started.elapsed();
    assert!(elapsed < TIME_BOUND, "the build took {elapsed:?}");
    errors
}

fn site_with_researcher() -> Fixture {
    let site = Fixture::new();
    site.researcher("ada", "name: Ada Lovelace\n");
    site
}

#[test]
fn file_of_50_mb_rejected() {
    let site = site_with_researcher();
    let mut yaml = String::from(PAPER_HEAD);
    let padding = "# padding padding padding padding padding padding padding padding\n";
    while yaml.len() < 50 * 1024 * 1024 {
        yaml.push_str(padding);
    }
    site.publication("big", &yaml);
    let size = yaml.len();
    assert_eq!(
        timed_errors(&site),
        [format!(
            "content/publications/big.yaml: error: the file is {size} bytes, above the limit \
             of 4194304 bytes; split it or shorten its text"
        )]
    );
}

/// Returns a billion-laughs alias bomb: ten levels of lists, each holding ten aliases
/// of the level below, which would expand to 10^10 strings.
fn alias_bomb() -> String {
    let mut levels = vec!["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]".to_owned()];
    for level in 1..10u8 {
        let name = char::from(b'a' + level);
        let below = char::from(b'a' + level - 1);
        let aliases = vec![format!("*{below}"); 10].join(", ");
        levels.push(format!("{name}: &{name} [{aliases}]"));
    }
    format!("{{{}}}", levels.join(", "))
}

#[test]
fn alias_bomb_in_value_rejected() {
    let site = site_with_researcher();
    site.publication("bomb", &format!("{PAPER_HEAD}abstract: {}\n", alias_bomb()));
    assert_eq!(
        timed_errors(&site),
        ["content/publications/bomb.yaml:4:11: error: `abstract`: expected a string, found map"]
    );
}

#[test]
fn alias_bomb_in_unknown_key_rejected() {
    let site = site_with_researcher();
    site.publication("bomb", &format!("{PAPER_HEAD}laughs: {}\n", alias_bomb()));
    let errors = timed_errors(&site);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("content/publications/bomb.yaml:4:1: error: unknown key `laughs`"),
        "{errors:?}"
    );
}

#[test]
fn nested_flow_lists_rejected() {
    let site = site_with_researcher();
    let depth = 10_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    site.publication("deep", &format!("{PAPER_HEAD}topics: {nested}\n"));
    assert_eq!(
        timed_errors(&site),
        [
            "content/publications/deep.yaml:4:73: error: the value nests lists or mappings more \
             than 64 levels deep; flatten it"
        ]
    );
}

#[test]
fn nested_flow_mappings_rejected() {
    let site = site_with_researcher();
    let depth = 10_000;
    let nested = format!("{}x{}", "{a: ".repeat(depth), "}".repeat(depth));
    site.researcher("deep", &format!("name: Deep\nidentifiers: {nested}\n"));
    assert_eq!(
        timed_errors(&site),
        [
            "content/researchers/deep.yaml:2:270: error: the value nests lists or mappings more \
             than 64 levels deep; flatten it"
        ]
    );
}

#[test]
fn nested_block_lists_rejected() {
    let site = site_with_researcher();
    let nested = "- ".repeat(10_000);
    site.publication("deep", &format!("{PAPER_HEAD}topics: {nested}x\n"));
    assert_eq!(
        timed_errors(&site),
        [
            "content/publications/deep.yaml:4:9: error: block sequence entries are not allowed \
             in this context"
        ]
    );
}

#[test]
fn nested_indented_lists_rejected() {
    let site = site_with_researcher();
    let mut yaml = format!("{PAPER_HEAD}topics:\n");
    for depth in 0..1_000 {
        yaml.push_str(&" ".repeat(depth * 2 + 2));
        yaml.push_str("-\n");
    }
    site.publication("deep", &yaml);
    assert_eq!(
        timed_errors(&site),
        [
            "content/publications/deep.yaml:6:5: error: `topics[0]`: expected a string, found sequence"
        ]
    );
}

#[test]
fn abstract_of_1_mb_rejected() {
    let site = site_with_researcher();
    let sentence = "Graphs with $n$ nodes and *many* [links](https://example.org/). ";
    let text = sentence.repeat(1024 * 1024 / sentence.len() + 1);
    site.publication("long", &format!("{PAPER_HEAD}abstract: |\n  {text}\n"));
    // The block scalar keeps its final line break.
    let length = text.len() + 1;
    assert_eq!(
        timed_errors(&site),
        [format!(
            "content/publications/long.yaml:4:1: error: `abstract` is {length} bytes long, \
             above the limit of 100000 bytes; shorten it"
        )]
    );
}

#[test]
fn bio_over_limit_rejected() {
    let site = Fixture::new();
    let text = "word ".repeat(30_000);
    site.researcher("ada", &format!("name: Ada\nbio: '{text}'\n"));
    assert_eq!(
        timed_errors(&site),
        [
            "content/researchers/ada.yaml:2:1: error: `bio` is 150000 bytes long, above the \
          limit of 100000 bytes; shorten it"
        ]
    );
}

#[test]
fn title_over_limit_rejected() {
    let site = site_with_researcher();
    let title = "x".repeat(2_001);
    site.publication(
        "long",
        &format!("title: {title}\nauthors: [ada]\nyear: 2024\n"),
    );
    assert_eq!(
        timed_errors(&site),
        [
            "content/publications/long.yaml:1:1: error: `title` is 2001 bytes long, above the \
          limit of 2000 bytes; shorten it"
        ]
    );
}

#[test]
fn texts_at_limit_accepted() {
    let site = site_with_researcher();
    let title = "x".repeat(2_000);
    let text = "y".repeat(100_000);
    site.publication(
        "long",
        &format!("title: {title}\nauthors: [ada]\nyear: 2024\nabstract: {text}\n"),
    );
    site.build();
}

#[test]
fn symlink_loop_reported() {
    let site = site_with_researcher();
    let folder = site.root().join("content/publications/nested");
    std::fs::create_dir_all(&folder).expect("create folder");
    std::os::unix::fs::symlink("..", folder.join("loop")).expect("create symbolic link");
    assert_eq!(
        timed_errors(&site),
        [
            "content/publications/nested/loop: error: symbolic link loop back to \
          content/publications; remove the link"
        ]
    );
}

#[test]
fn symlink_to_itself_reported() {
    let site = site_with_researcher();
    let link = site.root().join("content/publications/self.yaml");
    std::fs::create_dir_all(link.parent().expect("parent")).expect("create folder");
    std::os::unix::fs::symlink("self.yaml", &link).expect("create symbolic link");
    let errors = timed_errors(&site);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("content/publications/self.yaml: error: cannot read this entry:"),
        "{errors:?}"
    );
}

#[test]
fn site_settings_of_50_mb_rejected() {
    let site = site_with_researcher();
    let mut yaml = String::from("title: Lab\n");
    while yaml.len() < 50 * 1024 * 1024 {
        yaml.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    site.file("site.yaml", &yaml);
    let size = yaml.len();
    assert_eq!(
        timed_errors(&site),
        [format!(
            "site.yaml: error: the file is {size} bytes, above the limit of 4194304 bytes; \
             split it or shorten its text"
        )]
    );
}
