//! The one function that turns text into URL path segments, and the check for written ids.

use unicode_normalization::UnicodeNormalization;

/// Makes a URL-safe slug: NFC, ASCII transliteration, lowercase, runs of anything else
/// collapsed to one `-`, trimmed.
///
/// Text that has no letters or digits in any script (an emoji, punctuation) gets a
/// stable `t-` prefixed hex fallback, so a slug is never an empty path segment.
pub fn slugify(text: &str) -> String {
    let normalized: String = text.nfc().collect();
    let ascii = deunicode::deunicode(&normalized).to_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        fallback_slug(&normalized)
    } else {
        slug
    }
}

/// Derives a stable slug from the text's code points, for text with nothing to transliterate.
fn fallback_slug(text: &str) -> String {
    let mut slug = String::from("t");
    for c in text.chars().filter(|c| !c.is_whitespace()).take(8) {
        slug.push_str(&format!("-{:x}", u32::from(c)));
    }
    slug
}

/// Tells whether `id` is a valid written id: `[a-z0-9]` runs joined by single `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_transliterates() {
        assert_eq!(slugify("Jürgen Größ"), "jurgen-gross");
        assert_eq!(slugify("张伟"), "zhang-wei");
        assert_eq!(slugify("  Deep   Learning!! "), "deep-learning");
        assert_eq!(slugify("Cafe\u{301}"), "cafe");
    }

    #[test]
    fn slugify_never_returns_empty() {
        let slug = slugify("!!!");
        assert!(!slug.is_empty());
        assert!(is_valid_id(&slug), "{slug}");
        assert_eq!(slug, slugify("!!!"));
        assert_ne!(slugify("!!!"), slugify("???"));
    }

    #[test]
    fn valid_ids() {
        assert!(is_valid_id("quanshi-zhang"));
        assert!(is_valid_id("a1"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id("A"));
        assert!(!is_valid_id("../x"));
        assert!(!is_valid_id(""));
    }
}
