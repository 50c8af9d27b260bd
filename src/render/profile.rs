//! The trust snapshot and the actions (follow, claim, contact) of a researcher page.

use std::path::Path;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::views::{ActionsView, ContactView, LevelView, TrustView};
use crate::model::{Researcher, Site};
use crate::trust::{self, Tier, TrustSnapshot, VerificationLevel};

/// Characters encoded in one segment of the path that replaces `{path}` in `edit_url`.
/// They are controls, space, non-ASCII (always encoded) and the characters that end a
/// path segment or are not allowed in a URL. Those with a meaning in a query string are
/// encoded too, because a template may put `{path}` there (`?file={path}`).
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'+')
    .add(b'/')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Characters encoded in the address of a `mailto:` URL: those that RFC 6068 does not
/// allow unencoded in an address, and `,` and `;`, which some mail programs read as
/// separators between addresses.
const MAILTO_ADDRESS: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b',')
    .add(b'/')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Builds the view of a researcher's trust snapshot.
pub fn trust_view(snapshot: TrustSnapshot) -> TrustView {
    let levels = [
        VerificationLevel::L0,
        VerificationLevel::L1,
        VerificationLevel::L2,
        VerificationLevel::L3,
    ];
    TrustView {
        score: snapshot.score,
        tier: snapshot.tier.name(),
        tier_rule: format!(
            "{} below {}, {} from {}, {} from {}",
            Tier::Emerging.name(),
            trust::ESTABLISHED_FROM,
            Tier::Established.name(),
            trust::ESTABLISHED_FROM,
            Tier::Trusted.name(),
            trust::TRUSTED_FROM
        ),
        level: snapshot.level.code(),
        level_description: snapshot.level.description(),
        levels: levels
            .into_iter()
            .map(|level| LevelView {
                code: level.code(),
                description: level.description(),
                current: level == snapshot.level,
            })
            .collect(),
        components: snapshot.components,
    }
}

/// Builds the claim and contact actions of a researcher page.
pub fn actions(site: &Site, researcher: &Researcher) -> ActionsView {
    let claim_url = match (&site.config.edit_url, researcher.claimed) {
        (Some(template), false) => claim_url(template, &site.root, &researcher.source),
        _ => None,
    };
    ActionsView {
        claim_url,
        contact: contact(researcher),
    }
}

/// Fills `{path}` in an `edit_url` template with the path of `source` from the site
/// folder, with `/` between segments and each segment percent-encoded.
fn claim_url(template: &str, root: &Path, source: &Path) -> Option<String> {
    let relative = source.strip_prefix(root).ok()?;
    let mut segments = Vec::new();
    for component in relative.components() {
        match component {
            std::path::Component::Normal(segment) => {
                let segment = segment.to_str()?;
                segments.push(utf8_percent_encode(segment, PATH_SEGMENT).to_string());
            }
            std::path::Component::CurDir => {}
            _ => return None,
        }
    }
    Some(template.replace("{path}", &segments.join("/")))
}

/// Returns the contact link of a researcher who is open to collaborate: their
/// `contact_url`, or else a `mailto:` link to their email address.
fn contact(researcher: &Researcher) -> Option<ContactView> {
    if !researcher.open_to_collaborate {
        return None;
    }
    if let Some(url) = &researcher.contact_url {
        let is_mailto = url
            .get(..7)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("mailto:"));
        return Some(if is_mailto {
            ContactView {
                url: None,
                obfuscated_href_html: Some(character_references(url)),
                label: "Email",
            }
        } else {
            ContactView {
                url: Some(url.clone()),
                obfuscated_href_html: None,
                label: "Contact",
            }
        });
    }
    let email = researcher.email.as_deref()?;
    let href = format!("mailto:{}", utf8_percent_encode(email, MAILTO_ADDRESS));
    Some(ContactView {
        url: None,
        obfuscated_href_html: Some(character_references(&href)),
        label: "Email",
    })
}

/// Writes every character of `text` as an HTML decimal character reference, such as
/// `&#64;` for `@`. Browsers decode the references in an attribute, so a link still
/// works, but the page source contains none of the characters of `text`.
fn character_references(text: &str) -> String {
    let mut html = String::with_capacity(text.len() * 6);
    for c in text.chars() {
        html.push_str(&format!("&#{};", u32::from(c)));
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes decimal character references, the only markup `character_references` writes.
    fn decode(html: &str) -> String {
        html.split(';')
            .filter(|part| !part.is_empty())
            .map(|part| {
                let code: u32 = part
                    .strip_prefix("&#")
                    .and_then(|digits| digits.parse().ok())
                    .unwrap_or_else(|| panic!("not a character reference: {part}"));
                char::from_u32(code).expect("a valid code point")
            })
            .collect()
    }

    #[test]
    fn character_references_hide_every_character() {
        let html = character_references("mailto:zoë@example.edu");
        assert!(!html.contains('@'), "{html}");
        assert!(!html.contains("example"), "{html}");
        assert!(html.starts_with("&#109;&#97;"), "{html}");
        assert_eq!(decode(&html), "mailto:zoë@example.edu");
    }

    #[test]
    fn claim_url_encodes_each_segment() {
        let root = Path::new("/sites/lab");
        let source = root.join("content/researchers/past members/zoë#1.yaml");
        let url = claim_url(
            "https://github.com/acme/site/edit/main/{path}",
            root,
            &source,
        );
        assert_eq!(
            url.as_deref(),
            Some(
                "https://github.com/acme/site/edit/main/content/researchers/past%20members/zo%C3%AB%231.yaml"
            )
        );
    }

    #[test]
    fn claim_url_with_relative_root() {
        let source = Path::new("./content/researchers/ada.yaml");
        let url = claim_url(
            "https://example.org/edit?file={path}",
            Path::new("."),
            source,
        );
        assert_eq!(
            url.as_deref(),
            Some("https://example.org/edit?file=content/researchers/ada.yaml")
        );
    }

    #[test]
    fn claim_url_outside_root_is_none() {
        let url = claim_url(
            "https://example.org/{path}",
            Path::new("/sites/lab"),
            Path::new("/elsewhere/ada.yaml"),
        );
        assert_eq!(url, None);
    }

    #[test]
    fn mailto_address_is_percent_encoded() {
        let encoded = utf8_percent_encode("a?b&c+d@example.org", MAILTO_ADDRESS).to_string();
        assert_eq!(encoded, "a%3Fb%26c+d@example.org");
    }
}
