//! Templates and static assets: the built-in theme, overridden file by file by a site theme.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Location};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A file to write into the site, from a theme or from `content/static/`.
#[derive(Debug)]
pub struct Asset {
    /// The path inside the output folder, with `/` separators.
    pub target: String,
    pub contents: Vec<u8>,
}

/// The templates and assets of the theme in use.
pub struct Theme {
    pub tera: tera::Tera,
    pub assets: Vec<Asset>,
    /// The file each template came from, for locating template errors.
    sources: BTreeMap<String, PathBuf>,
}

impl Theme {
    /// Describes a tera error as a located diagnostic in the template file it concerns.
    pub fn error(&self, template: &str, err: &tera::Error) -> Diagnostic {
        template_error(&self.sources, template, err)
    }
}

/// Loads the built-in theme and, when `name` is set, overrides it with `themes/<name>/`.
pub fn load(root: &Path, name: Option<&str>) -> Result<Theme, Vec<Diagnostic>> {
    let mut templates: BTreeMap<String, String> = BTreeMap::new();
    let mut assets: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    collect_embedded(&DEFAULT_THEME, &mut templates, &mut assets);

    let mut sources: BTreeMap<String, PathBuf> = templates
        .keys()
        .map(|name| (name.clone(), Path::new(BUILT_IN_TEMPLATES).join(name)))
        .collect();

    // `default` names the built-in theme unless the site has a theme folder of that name.
    let name = name.filter(|name| *name != "default" || root.join("themes/default").is_dir());
    if let Some(name) = name {
        let folder = root.join("themes").join(name);
        let valid_name = crate::slug::is_valid_id(name)
            || name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid_name || !folder.is_dir() {
            let message = format!(
                "`theme`: theme `{name}` not found; expected a folder {}",
                folder.display()
            );
            let location = Location::default();
            return Err(vec![Diagnostic::error(
                &root.join("site.yaml"),
                location,
                message,
            )]);
        }
        let mut problems = Vec::new();
        read_folder(
            &folder.join("templates"),
            root,
            &mut problems,
            |relative, bytes| {
                let source = folder.join("templates").join(&relative);
                sources.insert(relative.clone(), source);
                templates.insert(relative, String::from_utf8_lossy(&bytes).into_owned());
            },
        );
        read_folder(
            &folder.join("static"),
            root,
            &mut problems,
            |relative, bytes| {
                assets.insert(relative, bytes);
            },
        );
        if !problems.is_empty() {
            return Err(problems);
        }
    }

    let mut tera = tera::Tera::default();
    tera.add_raw_templates(
        templates
            .iter()
            .map(|(name, body)| (name.as_str(), body.as_str())),
    )
    .map_err(|err| vec![template_error(&sources, "", &err)])?;
    let assets = assets
        .into_iter()
        .map(|(target, contents)| Asset { target, contents })
        .collect();
    Ok(Theme {
        tera,
        assets,
        sources,
    })
}

fn collect_embedded(
    dir: &Dir<'static>,
    templates: &mut BTreeMap<String, String>,
    assets: &mut BTreeMap<String, Vec<u8>>,
) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            templates.insert(
                name.to_owned(),
                String::from_utf8_lossy(file.contents()).into_owned(),
            );
        } else if let Some(name) = path.strip_prefix("static/") {
            assets.insert(name.to_owned(), file.contents().to_vec());
        }
    }
    for child in dir.dirs() {
        collect_embedded(child, templates, assets);
    }
}

/// Reads every file under `folder`, passing its `/`-separated relative path and bytes.
///
/// Symbolic links are followed, but a file that resolves outside `boundary` (the site
/// folder) is reported and not read, so a link cannot publish files from elsewhere.
pub fn read_folder(
    folder: &Path,
    boundary: &Path,
    problems: &mut Vec<Diagnostic>,
    mut visit: impl FnMut(String, Vec<u8>),
) {
    if !folder.is_dir() {
        return;
    }
    let boundary = boundary
        .canonicalize()
        .unwrap_or_else(|_| boundary.to_path_buf());
    for entry in WalkDir::new(folder).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map_or_else(|| folder.to_path_buf(), Path::to_path_buf);
                problems.push(Diagnostic::error(
                    &path,
                    Location::default(),
                    format!("cannot read: {err}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(relative) = relative_slash_path(folder, entry.path()) else {
            let message = "the file name is not valid UTF-8; rename the file";
            problems.push(Diagnostic::error(
                entry.path(),
                Location::default(),
                message,
            ));
            continue;
        };
        let inside = entry
            .path()
            .canonicalize()
            .is_ok_and(|resolved| resolved.starts_with(&boundary));
        if !inside {
            let message = format!(
                "`{relative}` is a symbolic link to a file outside the site folder {}; \
                 copy the file into the site instead",
                boundary.display()
            );
            problems.push(Diagnostic::error(
                entry.path(),
                Location::default(),
                message,
            ));
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => visit(relative, bytes),
            Err(err) => problems.push(Diagnostic::error(
                entry.path(),
                Location::default(),
                format!("cannot read the file: {err}"),
            )),
        }
    }
}

fn relative_slash_path(folder: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(folder).ok()?;
    let parts: Option<Vec<&str>> = relative.iter().map(|part| part.to_str()).collect();
    Some(parts?.join("/"))
}

/// The folder name template errors give the built-in theme's files, which live in the binary.
const BUILT_IN_TEMPLATES: &str = "(built-in theme)/templates";

/// Turns a tera error into a diagnostic at the template file, line and column that tera
/// reports in its `--> name:line:column` line, keeping tera's source excerpt.
fn template_error(
    sources: &BTreeMap<String, PathBuf>,
    template: &str,
    err: &tera::Error,
) -> Diagnostic {
    let text = error_chain(err);
    let mut lines = text.lines();
    let summary = lines.next().unwrap_or_default();
    let summary = summary.strip_prefix("error: ").unwrap_or(summary);
    let mut name = template.to_owned();
    let mut location = Location::default();
    let mut excerpt = Vec::new();
    for line in lines {
        match line.trim_start().strip_prefix("--> ") {
            Some(position) => {
                let mut parts = position.rsplitn(3, ':');
                let column = parts.next().and_then(|c| c.parse().ok());
                let row = parts.next().and_then(|l| l.parse().ok());
                if let (Some(column), Some(row), Some(file)) = (column, row, parts.next()) {
                    name = file.to_owned();
                    location = Location::new(row, column);
                }
            }
            None => excerpt.push(line),
        }
    }
    let path = sources
        .get(&name)
        .cloned()
        .unwrap_or_else(|| Path::new(BUILT_IN_TEMPLATES).join(&name));
    let mut message = summary.to_owned();
    for line in excerpt {
        message.push('\n');
        message.push_str(line);
    }
    Diagnostic::error(&path, location, message)
}

/// Formats an error and its sources, one cause per line.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str("\n  caused by: ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
