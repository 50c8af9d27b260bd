//! Persistent identifiers (DOI, arXiv, ORCID) and profile ids, normalized into links.

use crate::links;
use crate::model::ExternalLink;

/// Normalizes a DOI written as `10.…`, `doi:10.…` or `https://doi.org/10.…`.
pub fn normalize_doi(value: &str) -> Result<String, String> {
    let trimmed = value.trim();
    let lower = trimmed.to_ascii_lowercase();
    let prefixes = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ];
    let doi = prefixes
        .iter()
        .find(|prefix| lower.starts_with(*prefix))
        .map_or(trimmed, |prefix| trimmed[prefix.len()..].trim());
    let valid = doi.starts_with("10.")
        && doi.contains('/')
        && !doi.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(doi.to_owned())
    } else {
        Err(format!(
            "invalid DOI `{value}`; expected the form `10.<registrant>/<suffix>`, such as `10.1000/xyz123`"
        ))
    }
}

/// Normalizes an arXiv id written bare, as `arXiv:…` or as an arxiv.org URL.
///
/// Accepts the new form (`2103.10230`, `2103.10230v2`) and the old form (`hep-th/9901001`).
pub fn normalize_arxiv(value: &str) -> Result<String, String> {
    let trimmed = value.trim();
    let lower = trimmed.to_ascii_lowercase();
    let prefixes = [
        "https://arxiv.org/abs/",
        "http://arxiv.org/abs/",
        "https://arxiv.org/pdf/",
        "arxiv:",
    ];
    let id = prefixes
        .iter()
        .find(|prefix| lower.starts_with(*prefix))
        .map_or(trimmed, |prefix| &trimmed[prefix.len()..]);
    let id = id.trim_end_matches(".pdf");
    if is_new_arxiv_id(id) || is_old_arxiv_id(id) {
        Ok(id.to_owned())
    } else {
        Err(format!(
            "invalid arXiv id `{value}`; expected a form such as `2103.10230`, `2103.10230v2` or `hep-th/9901001`"
        ))
    }
}

fn is_new_arxiv_id(id: &str) -> bool {
    let (number, version) = split_version(id);
    let Some((yymm, serial)) = number.split_once('.') else {
        return false;
    };
    all_digits(yymm, 4..=4)
        && all_digits(serial, 4..=5)
        && version.is_none_or(|v| all_digits(v, 1..=3))
}

fn is_old_arxiv_id(id: &str) -> bool {
    let (number, version) = split_version(id);
    let Some((archive, serial)) = number.split_once('/') else {
        return false;
    };
    let archive_valid = !archive.is_empty()
        && archive
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '.' || c.is_ascii_uppercase());
    archive_valid && all_digits(serial, 7..=7) && version.is_none_or(|v| all_digits(v, 1..=3))
}

fn split_version(id: &str) -> (&str, Option<&str>) {
    match id.rfind('v') {
        Some(index) if index > 0 && id[index + 1..].chars().all(|c| c.is_ascii_digit()) => {
            (&id[..index], Some(&id[index + 1..]))
        }
        _ => (id, None),
    }
}

fn all_digits(text: &str, length: std::ops::RangeInclusive<usize>) -> bool {
    length.contains(&text.len()) && text.chars().all(|c| c.is_ascii_digit())
}

/// Builds the link for one researcher identifier, such as `github: octocat`.
///
/// A value that is already an http(s) URL is used as is. Any other value is an id on
/// the service and must be made of URL-safe characters.
pub fn profile_link(kind: &'static str, value: &str) -> Result<ExternalLink, String> {
    let value = value.trim();
    let label = profile_label(kind);
    let is_url = value.starts_with("https://") || value.starts_with("http://");
    let url = if kind == "orcid" {
        format!("https://orcid.org/{}", normalize_orcid(value)?)
    } else if is_url {
        let url = links::resolve(value, "/")?;
        check_service_host(kind, label, &url)?;
        url
    } else if kind == "homepage" {
        return Err(format!(
            "`{value}` is not an http(s) URL; write the full address"
        ));
    } else {
        if value.is_empty() || !value.chars().all(is_id_char) {
            return Err(format!(
                "`{value}` is not a valid {label} id; use letters, digits and `-_.~/` only, or the full profile URL"
            ));
        }
        match kind {
            "google_scholar" => format!("https://scholar.google.com/citations?user={value}"),
            "dblp" => format!("https://dblp.org/pid/{value}.html"),
            "arxiv" => format!("https://arxiv.org/a/{value}"),
            "semantic_scholar" => format!("https://www.semanticscholar.org/author/{value}"),
            "openreview" => format!("https://openreview.net/profile?id={value}"),
            _ => format!("https://github.com/{value}"),
        }
    };
    Ok(ExternalLink {
        kind,
        label,
        value: value.to_owned(),
        url,
    })
}

/// Checks that a profile URL points at the service it is listed under.
fn check_service_host(kind: &str, label: &str, url: &str) -> Result<(), String> {
    let hosts: &[&str] = match kind {
        "google_scholar" => &["scholar.google."],
        "dblp" => &["dblp.org", "dblp.uni-trier.de"],
        "arxiv" => &["arxiv.org"],
        "semantic_scholar" => &["semanticscholar.org", "www.semanticscholar.org"],
        "openreview" => &["openreview.net"],
        "github" => &["github.com", "www.github.com"],
        _ => return Ok(()),
    };
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let matches = hosts
        .iter()
        .any(|expected| match expected.strip_suffix('.') {
            Some(prefix) => host.starts_with(&format!("{prefix}.")),
            None => host == *expected,
        });
    if matches {
        Ok(())
    } else {
        Err(format!(
            "`{url}` is not a {label} address; expected a URL on {}, or the {label} id alone",
            hosts.join(" or ")
        ))
    }
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '/' | ':')
}

fn profile_label(kind: &str) -> &'static str {
    match kind {
        "orcid" => "ORCID",
        "google_scholar" => "Google Scholar",
        "dblp" => "DBLP",
        "arxiv" => "arXiv",
        "semantic_scholar" => "Semantic Scholar",
        "openreview" => "OpenReview",
        "github" => "GitHub",
        _ => "Homepage",
    }
}

/// Normalizes an ORCID iD and checks its ISO 7064 MOD 11-2 check digit.
pub fn normalize_orcid(value: &str) -> Result<String, String> {
    let trimmed = value.trim();
    let id = trimmed
        .strip_prefix("https://orcid.org/")
        .or_else(|| trimmed.strip_prefix("http://orcid.org/"))
        .unwrap_or(trimmed);
    let digits: Vec<char> = id.chars().filter(|c| *c != '-').collect();
    let shaped = id.len() == 19
        && digits.len() == 16
        && digits[..15].iter().all(char::is_ascii_digit)
        && (digits[15].is_ascii_digit() || digits[15] == 'X');
    if !shaped {
        return Err(format!(
            "invalid ORCID iD `{value}`; expected the form `0000-0002-1825-0097`"
        ));
    }
    let expected = orcid_check_digit(&digits[..15]);
    if digits[15] != expected {
        return Err(format!(
            "invalid ORCID iD `{value}`: the check digit is `{}` but should be `{expected}`; check the iD for a typo",
            digits[15]
        ));
    }
    Ok(id.to_owned())
}

fn orcid_check_digit(base: &[char]) -> char {
    let total = base
        .iter()
        .filter_map(|c| c.to_digit(10))
        .fold(0, |total, digit| (total + digit) * 2);
    let result = (12 - total % 11) % 11;
    if result == 10 {
        'X'
    } else {
        char::from_digit(result, 10).unwrap_or('0')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doi_forms() {
        assert_eq!(
            normalize_doi("https://doi.org/10.1000/x").unwrap(),
            "10.1000/x"
        );
        assert_eq!(normalize_doi("doi:10.1000/x").unwrap(), "10.1000/x");
        assert!(normalize_doi("11.1000/x").is_err());
    }

    #[test]
    fn arxiv_forms() {
        assert_eq!(normalize_arxiv("2103.10230").unwrap(), "2103.10230");
        assert_eq!(normalize_arxiv("2103.10230v2").unwrap(), "2103.10230v2");
        assert_eq!(normalize_arxiv("hep-th/9901001").unwrap(), "hep-th/9901001");
        assert_eq!(
            normalize_arxiv("https://arxiv.org/abs/2103.10230").unwrap(),
            "2103.10230"
        );
        assert!(normalize_arxiv("2103.1").is_err());
    }

    #[test]
    fn profile_urls_must_match_service() {
        assert!(profile_link("github", "https://github.com/octocat").is_ok());
        assert!(profile_link("github", "https://gitlab.com/octocat").is_err());
        assert!(
            profile_link(
                "google_scholar",
                "https://scholar.google.de/citations?user=x"
            )
            .is_ok()
        );
        assert!(profile_link("homepage", "https://example.org/").is_ok());
        let err = profile_link("orcid", "https://orcid.org/0000-0002-1825-0098").unwrap_err();
        assert!(err.contains("should be `7`"), "{err}");
        assert!(profile_link("orcid", "https://example.com/0000-0002-1825-0097").is_err());
    }

    #[test]
    fn orcid_check_digits() {
        assert!(normalize_orcid("0000-0002-1825-0097").is_ok());
        assert!(normalize_orcid("https://orcid.org/0000-0002-1825-0097").is_ok());
        assert!(normalize_orcid("0000-0002-1694-233X").is_ok());
        let err = normalize_orcid("0000-0002-1825-0098").unwrap_err();
        assert!(err.contains("should be `7`"), "{err}");
    }
}
