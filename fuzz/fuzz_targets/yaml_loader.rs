//! Feeds arbitrary bytes to the content loader as a publication file and as a
//! researcher file, through the decoding, parsing and validation that `vita build` uses.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use vita::config::SiteConfig;
use vita::content::{Kind, check_bytes};

fuzz_target!(|data: &[u8]| {
    // The root does not exist, so an `avatar:` path is reported as missing.
    let root = Path::new("/nonexistent/vita-fuzz-site");
    let config = SiteConfig::default();
    for (kind, file) in [
        (Kind::Publication, "content/publications/fuzz.yaml"),
        (Kind::Researcher, "content/researchers/fuzz.yaml"),
    ] {
        let path = root.join(file);
        let _checked = check_bytes(root, &config, kind, &path, data.to_vec());
    }
});
