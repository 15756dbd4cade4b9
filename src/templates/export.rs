//! Writing a set of files so that each one is either the old file or the new one, never half of
//! either: every file is first written to a temporary file beside it, and only when all of them
//! are written are they renamed into place. A failure before the renames changes nothing; a
//! failure during them says which files were replaced and which were not.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}; nothing was replaced")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{name} would be written twice (devices {first} and {second}): give the devices provisioning URLs that name different files"
    )]
    DuplicateName {
        name: String,
        first: String,
        second: String,
    },
    #[error("cannot put {path} in place: {source}; {replaced} of {total} files were replaced, these kept their old content: {}", kept.join(", "))]
    PartlyReplaced {
        path: PathBuf,
        source: std::io::Error,
        replaced: usize,
        total: usize,
        kept: Vec<String>,
    },
}

/// Files written to temporary names, waiting to be put in place. Dropping it without
/// [`Staged::commit`] removes the temporary files.
#[derive(Debug)]
pub struct Staged {
    /// (temporary file, final path)
    files: Vec<(PathBuf, PathBuf)>,
}

/// Writes each `(path, bytes)` to a temporary file in the same folder (so the rename stays on
/// one file system), readable by the owner only: the files hold passwords. Creates missing
/// folders.
pub fn stage<'a>(
    files: impl IntoIterator<Item = (PathBuf, &'a [u8])>,
) -> Result<Staged, ExportError> {
    let mut staged = Staged { files: Vec::new() };
    for (path, bytes) in files {
        let temporary = temporary_name(&path);
        write_private(&temporary, bytes).map_err(|source| ExportError::Write {
            path: path.clone(),
            source,
        })?;
        staged.files.push((temporary, path));
    }
    Ok(staged)
}

fn temporary_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.provdesk-{}.tmp", std::process::id()))
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

impl Staged {
    /// Renames every file into place and returns how many.
    pub fn commit(mut self) -> Result<usize, ExportError> {
        let total = self.files.len();
        let files = std::mem::take(&mut self.files);
        for (index, (temporary, path)) in files.iter().enumerate() {
            if let Err(source) = fs::rename(temporary, path) {
                for (left, _) in &files[index..] {
                    let _ = fs::remove_file(left);
                }
                return Err(ExportError::PartlyReplaced {
                    path: path.clone(),
                    source,
                    replaced: index,
                    total,
                    kept: files[index..]
                        .iter()
                        .map(|(_, path)| path.display().to_string())
                        .collect(),
                });
            }
        }
        Ok(total)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (temporary, _) in &self.files {
            let _ = fs::remove_file(temporary);
        }
    }
}

/// Whether the htdigest file would land inside the output folder, where the web server that
/// serves the configuration files could serve it too. Judged by absolute paths; neither needs
/// to exist yet, and an empty folder path is no folder.
pub fn htdigest_inside(htdigest: &Path, out: &Path) -> bool {
    match (std::path::absolute(htdigest), std::path::absolute(out)) {
        (Ok(file), Ok(dir)) => !out.as_os_str().is_empty() && file.starts_with(dir),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_in_place_before_commit_and_dropping_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.xml");
        fs::write(&target, b"old").unwrap();
        let staged = stage([(target.clone(), b"new".as_slice())]).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"old");
        drop(staged);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temporary file removed"
        );
        let staged = stage([(target.clone(), b"new".as_slice())]).unwrap();
        assert_eq!(staged.commit().unwrap(), 1);
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_rename_says_what_was_kept() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("a.xml");
        let blocked = dir.path().join("b.xml");
        let staged = stage([
            (good.clone(), b"1".as_slice()),
            (blocked.clone(), b"2".as_slice()),
        ])
        .unwrap();
        // A folder where the second file should go makes its rename fail.
        fs::create_dir(&blocked).unwrap();
        fs::write(blocked.join("x"), b"").unwrap();
        let error = staged.commit().unwrap_err();
        let message = error.to_string();
        assert!(message.contains("1 of 2 files were replaced"), "{message}");
        assert!(message.contains("b.xml"), "{message}");
        assert_eq!(fs::read(&good).unwrap(), b"1");
    }
}
