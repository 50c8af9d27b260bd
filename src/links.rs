//! Checking and resolving the URLs that content gives: external links and paths under the site.

/// Resolves a link from content: http, https and mailto URLs pass unchanged, a path
/// starting with `/` is placed under the site's base path, and anything else is
/// rejected with the reason.
pub fn resolve(raw: &str, base_path: &str) -> Result<String, String> {
    let url = raw.trim();
    if url.is_empty() {
        return Err("the link is empty".to_owned());
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!("`{url}` contains spaces or control characters"));
    }
    if let Some(scheme) = scheme_of(url) {
        return match scheme.to_ascii_lowercase().as_str() {
            "http" | "https" if url.contains("://") => Ok(url.to_owned()),
            "mailto" => Ok(url.to_owned()),
            _ => Err(format!(
                "`{url}` uses the `{scheme}:` scheme; only http, https and mailto links are allowed"
            )),
        };
    }
    if url.starts_with("//") {
        return Err(format!(
            "`{url}` has no scheme; write the full address starting with https://"
        ));
    }
    match url.strip_prefix('/') {
        Some(path) => Ok(format!("{base_path}{path}")),
        None => Err(format!(
            "`{url}` is a relative path; write a full https:// address or a path under the site starting with `/`"
        )),
    }
}

fn scheme_of(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_accepts_web_and_site_paths() {
        assert_eq!(
            resolve("https://a.org/x", "/lab/"),
            Ok("https://a.org/x".to_owned())
        );
        assert_eq!(
            resolve("/papers/x.pdf", "/lab/"),
            Ok("/lab/papers/x.pdf".to_owned())
        );
        assert_eq!(
            resolve("mailto:a@b.org", "/"),
            Ok("mailto:a@b.org".to_owned())
        );
    }

    #[test]
    fn resolve_rejects_scripts_and_relative_paths() {
        assert!(resolve("javascript:alert(1)", "/").is_err());
        assert!(resolve("JaVaScRiPt:alert(1)", "/").is_err());
        assert!(resolve("data:text/html,x", "/").is_err());
        assert!(resolve("papers/x.pdf", "/").is_err());
        assert!(resolve("//evil.org/x", "/").is_err());
    }
}
