//! `site.yaml`: the site's title, language, theme and base URL.

use std::path::Path;

use crate::content::raw::RawSite;
use crate::diagnostics::{Diagnostic, Location};
use crate::yaml::{self, Step};

/// Site settings with defaults applied and the base URL split into its parts.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub description: Option<String>,
    /// The absolute base URL with a trailing `/`, when one is set.
    pub base_url: Option<String>,
    /// The path part of the base URL, starting and ending with `/`.
    pub base_path: String,
    pub language: String,
    pub theme: Option<String>,
    /// The address of a content file in an online editor, with `{path}` where the
    /// file's path from the site folder goes.
    pub edit_url: Option<String>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            title: "Research profiles".to_owned(),
            description: None,
            base_url: None,
            base_path: "/".to_owned(),
            language: "en".to_owned(),
            theme: None,
            edit_url: None,
        }
    }
}

impl SiteConfig {
    /// Returns the absolute URL of a site path such as `/researchers/x/`, or the path
    /// alone when no absolute base URL is set.
    pub fn absolute_url(&self, site_path: &str) -> String {
        let path = site_path.trim_start_matches('/');
        match &self.base_url {
            Some(base) => format!("{base}{path}"),
            None => format!("{}{path}", self.base_path),
        }
    }

    /// Returns a site path under the base path, such as `/lab/researchers/x/`.
    pub fn path(&self, site_path: &str) -> String {
        format!("{}{}", self.base_path, site_path.trim_start_matches('/'))
    }
}

/// Reads `site.yaml` if present; `base_url_override` wins over the file's `base_url`.
pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<SiteConfig, Vec<Diagnostic>> {
    let path = root.join("site.yaml");
    let misnamed = root.join("site.yml");
    if !path.exists() && misnamed.is_file() {
        let message = "Vita reads its settings from site.yaml, not site.yml; rename the file";
        return Err(vec![Diagnostic::error(
            &misnamed,
            Location::new(1, 1),
            message,
        )]);
    }
    let (raw, source) = if path.is_file() {
        let source = crate::content::read_text(&path).map_err(|problem| vec![problem])?;
        (yaml::parse_all::<RawSite>(&path, &source)?, source)
    } else {
        (RawSite::default(), String::new())
    };

    let mut config = SiteConfig::default();
    let mut problems = Vec::new();
    let texts = [
        ("title", &raw.title),
        ("description", &raw.description),
        ("language", &raw.language),
    ];
    for (key, value) in texts {
        let Some(control) = value
            .as_deref()
            .and_then(|v| v.chars().find(|c| c.is_control()))
        else {
            continue;
        };
        let location = yaml::locate(&source, &[Step::Key(key)]);
        let message = format!(
            "`{key}` contains the control character U+{:04X}; remove it, and write text with \
             backslashes in single quotes",
            u32::from(control)
        );
        problems.push(Diagnostic::error(&path, location, message));
    }
    if let Some(title) = raw.title {
        config.title = title;
    }
    config.description = raw.description;
    config.theme = raw.theme;
    if let Some(template) = raw.edit_url {
        match check_edit_url(&template) {
            Ok(()) => config.edit_url = Some(template.trim().to_owned()),
            Err(reason) => {
                let location = yaml::locate(&source, &[Step::Key("edit_url")]);
                problems.push(Diagnostic::error(
                    &path,
                    location,
                    format!("`edit_url`: {reason}"),
                ));
            }
        }
    }
    if let Some(language) = raw.language {
        config.language = language;
    }

    let (base_url, from_file) = match base_url_override {
        Some(url) => (Some(url.to_owned()), false),
        None => (raw.base_url, true),
    };
    if let Some(url) = base_url {
        match parse_base_url(&url) {
            Ok((absolute, base_path)) => {
                config.base_url = absolute;
                config.base_path = base_path;
            }
            Err(reason) if from_file => {
                let location = yaml::locate(&source, &[Step::Key("base_url")]);
                problems.push(Diagnostic::error(
                    &path,
                    location,
                    format!("`base_url`: {reason}"),
                ));
            }
            Err(reason) => problems.push(Diagnostic::error(
                Path::new("--base-url"),
                Location::default(),
                reason,
            )),
        }
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

/// Warns when the site has no absolute base URL, since feeds, the sitemap and canonical
/// links then cannot hold absolute addresses.
pub fn base_url_warning(root: &Path, config: &SiteConfig) -> Option<Diagnostic> {
    if config.base_url.is_some() {
        return None;
    }
    let path = root.join("site.yaml");
    let source = std::fs::read_to_string(&path).unwrap_or_default();
    let location = yaml::locate(&source, &[Step::Key("base_url")]);
    let message = "`base_url` is not an absolute URL, so feeds, the sitemap and canonical links \
                   use paths from the site root instead of full addresses; set `base_url: \
                   https://…` to the address the site is published at";
    Some(Diagnostic::warning(&path, location, message))
}

/// Splits a base URL into its absolute form (if any) and its path, both ending in `/`.
pub fn parse_base_url(url: &str) -> Result<(Option<String>, String), String> {
    let url = url.trim();
    let invalid = || {
        format!(
            "invalid base URL `{url}`; expected an absolute http(s) URL such as \
             `https://example.org/~lab/`, or a path such as `/lab/`"
        )
    };
    if url.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '?' | '#')
    }) {
        return Err(invalid());
    }
    if url.starts_with('/') && !url.starts_with("//") {
        return Ok((None, with_slashes(url)));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(invalid)?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() {
        return Err(invalid());
    }
    let base_path = with_slashes(&format!("/{path}"));
    let scheme_len = url.len() - rest.len();
    let absolute = format!("{}{host}{base_path}", &url[..scheme_len]);
    Ok((Some(absolute), base_path))
}

/// Checks an `edit_url` template: an absolute http(s) URL with a host, and `{path}`
/// after the host.
pub fn check_edit_url(template: &str) -> Result<(), String> {
    let template = template.trim();
    let invalid = |problem: &str| {
        format!(
            "invalid edit URL `{template}` because {problem}; expected an http(s) URL with \
             `{{path}}` where the file's path goes, such as \
             `https://github.com/example/site/edit/main/{{path}}`"
        )
    };
    // Braces are allowed only in `{path}`, and the other characters nowhere in a URL.
    let without_placeholder = template.replace("{path}", "");
    if let Some(c) = without_placeholder
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(*c))
    {
        return Err(invalid(&format!("it contains {c:?}")));
    }
    let rest = template
        .strip_prefix("https://")
        .or_else(|| template.strip_prefix("http://"))
        .ok_or_else(|| invalid("it does not start with https:// or http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.contains("{path}") {
        return Err(invalid("it has no host"));
    }
    if !rest.contains("{path}") {
        return Err(invalid("it does not contain `{path}`"));
    }
    Ok(())
}

/// Makes `/a//b` into `/a/b/`: one leading and one trailing slash, no empty segments.
fn with_slashes(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        "/".to_owned()
    } else {
        format!("/{}/", segments.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_and_without_slash_agree() {
        let with = parse_base_url("https://example.org/lab/").unwrap();
        let without = parse_base_url("https://example.org/lab").unwrap();
        assert_eq!(with, without);
        assert_eq!(with.0.as_deref(), Some("https://example.org/lab/"));
        assert_eq!(with.1, "/lab/");
    }

    #[test]
    fn base_url_root_and_paths() {
        assert_eq!(parse_base_url("https://example.org").unwrap().1, "/");
        assert_eq!(parse_base_url("/").unwrap(), (None, "/".to_owned()));
        assert_eq!(
            parse_base_url("https://example.org/~lab/").unwrap().1,
            "/~lab/"
        );
        assert!(parse_base_url("ftp://example.org").is_err());
        assert!(parse_base_url("example.org").is_err());
    }

    #[test]
    fn edit_url_templates() {
        assert!(check_edit_url("https://github.com/acme/site/edit/main/{path}").is_ok());
        assert!(check_edit_url("http://git.example.org/edit?file={path}").is_ok());
        let missing = check_edit_url("https://github.com/acme/site/edit/main/").unwrap_err();
        assert!(missing.contains("does not contain `{path}`"), "{missing}");
        let scheme = check_edit_url("ftp://example.org/{path}").unwrap_err();
        assert!(scheme.contains("https://"), "{scheme}");
        assert!(check_edit_url("https://{path}").is_err());
        assert!(check_edit_url("https://example.org/a b/{path}").is_err());
        assert!(check_edit_url("javascript:alert(1)//{path}").is_err());
        assert!(check_edit_url("https://example.org/{file}/{path}").is_err());
        assert!(check_edit_url("https://example.org/\"{path}").is_err());
    }
}
