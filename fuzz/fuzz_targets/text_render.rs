//! Feeds arbitrary text to the Markdown and LaTeX renderer, as a block and inline,
//! and checks the sanitized HTML. It must contain no script element and no event
//! handler attribute, and only http, https and mailto URLs, site paths and fragments
//! in `href` and `src`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scraper::Html;
use vita::text::{render_block, render_inline};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    for base_path in ["/", "/lab/"] {
        for rendered in [
            render_block(source, base_path),
            render_inline(source, base_path),
        ] {
            check_html(&rendered.html);
        }
    }
});

fn check_html(html: &str) {
    let fragment = Html::parse_fragment(html);
    for element in fragment.root_element().descendants() {
        let Some(element) = element.value().as_element() else {
            continue;
        };
        let name = element.name();
        assert!(
            !matches!(name, "script" | "iframe" | "object" | "embed" | "style"),
            "element <{name}> in {html}"
        );
        for (attribute, value) in element.attrs() {
            assert!(
                !attribute.to_ascii_lowercase().starts_with("on"),
                "attribute {attribute} in {html}"
            );
            if matches!(attribute, "href" | "src") {
                assert!(is_allowed_url(value), "URL {value:?} in {html}");
            }
        }
    }
}

fn is_allowed_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_allowed = ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme));
    let site_path = lower.starts_with('/') && !lower.starts_with("//");
    scheme_allowed || site_path || lower.starts_with('#')
}
