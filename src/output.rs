//! Writing the site: everything goes into a staging folder beside the output folder,
//! which then replaces the output folder, so a failed build leaves the old site whole.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The file that marks a folder as written by Vita, so it may be replaced.
pub const MARKER_FILE: &str = ".vita-output";

/// Checks that `output` may be replaced: not the site folder, not one of its
/// ancestors, not inside `content/` or `themes/`, and empty or written by Vita.
pub fn check_target(root: &Path, output: &Path) -> Result<()> {
    let root = absolute(root)?;
    let output = absolute(output)?;
    if output == root || root.starts_with(&output) {
        bail!(
            "refusing to write the site into {}: it contains the site source; choose another --output",
            output.display()
        );
    }
    for protected in ["content", "themes"] {
        if output.starts_with(root.join(protected)) {
            bail!(
                "refusing to write the site into {}: it is inside the site's {protected}/ folder; choose another --output",
                output.display()
            );
        }
    }
    if output.parent().is_none() {
        bail!("refusing to write the site into the file-system root; choose another --output");
    }
    if output.exists() {
        if !output.is_dir() {
            bail!(
                "{} exists and is not a folder; choose another --output",
                output.display()
            );
        }
        let is_empty = fs::read_dir(&output)
            .with_context(|| format!("cannot list {}", output.display()))?
            .next()
            .is_none();
        if !is_empty && !output.join(MARKER_FILE).is_file() {
            bail!(
                "refusing to replace {}: it is not empty and was not written by vita build; \
                 remove it yourself or choose another --output",
                output.display()
            );
        }
    }
    Ok(())
}

/// Makes a path absolute and removes `.` and `..` parts without touching the disk,
/// resolving symbolic links of the parts that exist.
fn absolute(path: &Path) -> Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .context("cannot read the current folder")?
            .join(path)
    };
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Resolve the deepest existing ancestor so that symbolic links compare correctly.
    let mut existing = clean.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_os_string()),
            None => break,
        }
        if !existing.pop() {
            break;
        }
    }
    let mut resolved = fs::canonicalize(&existing).unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// A staging folder beside the output folder that receives the new site.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
}

impl Staging {
    /// Creates an empty staging folder next to `output`.
    pub fn create(output: &Path) -> Result<Self> {
        let output = absolute(output)?;
        let parent = output
            .parent()
            .context("the output folder has no parent folder")?
            .to_path_buf();
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = output
            .file_name()
            .context("the output folder has no name")?
            .to_string_lossy()
            .into_owned();
        let prefix = format!(".{name}.vita-staging-");
        remove_stale_staging(&parent, &prefix);
        let dir = parent.join(format!("{prefix}{}", std::process::id()));
        fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        fs::write(
            dir.join(MARKER_FILE),
            "This folder is written by vita build and replaced on each build.\n",
        )
        .with_context(|| format!("cannot write into {}", dir.display()))?;
        Ok(Self { output, dir })
    }

    /// Writes one file at `target`, a `/`-separated path that must stay inside the folder.
    pub fn write(&self, target: &str, contents: &[u8]) -> Result<()> {
        let path = self.resolve(target)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, contents).with_context(|| format!("cannot write {}", path.display()))
    }

    fn resolve(&self, target: &str) -> Result<PathBuf> {
        let relative = Path::new(target);
        let inside = !target.is_empty()
            && relative
                .components()
                .all(|part| matches!(part, Component::Normal(_)));
        if !inside {
            bail!("refusing to write `{target}`: the path leaves the output folder");
        }
        Ok(self.dir.join(relative))
    }

    /// Replaces the output folder with the staging folder.
    ///
    /// On Linux the two folders are exchanged in one atomic step, so the output path
    /// always contains a complete site, even if the process is killed. Elsewhere, and on
    /// file systems without that operation, the old folder is renamed aside first.
    pub fn commit(self) -> Result<()> {
        if self.output.exists() {
            if exchange(&self.dir, &self.output).is_ok() {
                // The staging path now contains the previous site.
                remove_quietly(&self.dir);
                return Ok(());
            }
            let mut aside = self.dir.clone().into_os_string();
            aside.push(".old");
            let aside = PathBuf::from(aside);
            if aside.exists() {
                fs::remove_dir_all(&aside)
                    .with_context(|| format!("cannot remove {}", aside.display()))?;
            }
            fs::rename(&self.output, &aside)
                .with_context(|| format!("cannot move {} aside", self.output.display()))?;
            if let Err(err) = fs::rename(&self.dir, &self.output) {
                // Put the previous site back so the output folder is never left missing.
                let _restored = fs::rename(&aside, &self.output);
                return Err(err).with_context(|| {
                    format!("cannot move the new site to {}", self.output.display())
                });
            }
            remove_quietly(&aside);
            return Ok(());
        }
        fs::rename(&self.dir, &self.output)
            .with_context(|| format!("cannot move the new site to {}", self.output.display()))
    }

    /// Deletes the staging folder after a failed build.
    pub fn discard(self) {
        remove_quietly(&self.dir);
    }
}

/// Swaps two folders atomically with `renameat2(RENAME_EXCHANGE)`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use nix::fcntl::{AT_FDCWD, RenameFlags, renameat2};
    renameat2(AT_FDCWD, a, AT_FDCWD, b, RenameFlags::RENAME_EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Removes staging folders left by builds that were killed, whose process is gone.
fn remove_stale_staging(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        let pid = rest.trim_end_matches(".old");
        let running =
            pid != std::process::id().to_string() && Path::new("/proc").join(pid).exists();
        if !running {
            remove_quietly(&entry.path());
        }
    }
}

fn remove_quietly(dir: &Path) {
    if let Err(err) = fs::remove_dir_all(dir) {
        if err.kind() != io::ErrorKind::NotFound {
            log::warn!("could not remove {}: {err}", dir.display());
        }
    }
}
