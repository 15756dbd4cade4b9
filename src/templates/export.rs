//! Writing a set of files so that each one is either the old file or the new one, never half of
//! either: every file is first written to a temporary file beside it, and only when all of them
//! are written are they renamed into place. A failure before the renames changes nothing; a
//! failure during them says which files were replaced and which were not.
//!
//! The output folder may be shared (a web server's document root): a temporary file gets a
//! random name, is created exclusively (never opening a name someone else made, so never
//! following a link) and readable by the owner only from its first byte (`tempfile`). The
//! rename replaces a link at the final name, never the file it points to. On Windows the
//! files get the folder's ACL.

use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;
use thiserror::Error;

use crate::private_file::stage_private;

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
    #[error(
        "{name}, the file device {mac}'s provisioning URL names, is the htdigest file, so the configuration would replace the user list; nothing was written: give the htdigest file another name, or end the device's URL with a file name such as %MACD.xml"
    )]
    HtdigestName { name: String, mac: String },
    #[error(
        "cannot write {}, the file device {mac}'s provisioning URL names: {reason}. Nothing was written: end that device's URL with a file name such as %MACD.xml",
        path.display()
    )]
    Database {
        path: PathBuf,
        mac: String,
        reason: &'static str,
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
    files: Vec<(NamedTempFile, PathBuf)>,
}

/// Writes each `(path, bytes)` to a temporary file in the same folder (so the rename stays on
/// one file system), readable by the owner only: the files hold passwords. Creates missing
/// folders.
pub fn stage<'a>(
    files: impl IntoIterator<Item = (PathBuf, &'a [u8])>,
) -> Result<Staged, ExportError> {
    let mut staged = Staged { files: Vec::new() };
    for (path, bytes) in files {
        let temporary = stage_private(&path, bytes).map_err(|source| ExportError::Write {
            path: path.clone(),
            source,
        })?;
        staged.files.push((temporary, path));
    }
    Ok(staged)
}

impl Staged {
    /// Renames every file into place and returns how many. A temporary file not put in place
    /// is removed.
    pub fn commit(mut self) -> Result<usize, ExportError> {
        let total = self.files.len();
        let mut files = std::mem::take(&mut self.files).into_iter();
        let mut replaced = 0;
        while let Some((temporary, path)) = files.next() {
            if let Err(error) = temporary.persist(&path) {
                let kept = std::iter::once(path.display().to_string())
                    .chain(files.map(|(_, path)| path.display().to_string()))
                    .collect();
                return Err(ExportError::PartlyReplaced {
                    path,
                    source: error.error,
                    replaced,
                    total,
                    kept,
                });
            }
            replaced += 1;
        }
        Ok(total)
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
    use std::fs;

    use super::*;

    #[test]
    fn a_folder_among_the_targets_refuses_the_set_before_anything_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("a.xml");
        fs::write(&config, b"old").unwrap();
        let folder = dir.path().join("htdigest");
        fs::create_dir(&folder).unwrap();
        let error = stage([(config.clone(), &b"new"[..]), (folder.clone(), &b"x"[..])])
            .unwrap_err()
            .to_string();
        assert!(error.contains("it is a folder"), "{error}");
        assert_eq!(fs::read(&config).unwrap(), b"old");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary left"
        );
    }

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

    /// Another user of a shared folder who pre-creates the names a staging would use (as
    /// links to a file of theirs) gets nothing: staging never opens a name that exists.
    #[cfg(unix)]
    #[test]
    fn staging_never_writes_through_a_name_someone_else_made() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.xml");
        let stolen = dir.path().join("stolen");
        let predictable = format!(".a.xml.provdesk-{}.tmp", std::process::id());
        std::os::unix::fs::symlink(&stolen, dir.path().join(predictable)).unwrap();
        stage([(target.clone(), b"secret".as_slice())])
            .unwrap()
            .commit()
            .unwrap();
        assert!(
            !stolen.exists(),
            "the staged file was written through a link"
        );
        assert_eq!(fs::read(&target).unwrap(), b"secret");
    }

    /// The staged files and the files put in place are the owner's only, from the start.
    #[cfg(unix)]
    #[test]
    fn staged_and_placed_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.xml");
        let staged = stage([(target.clone(), b"secret".as_slice())]).unwrap();
        for entry in fs::read_dir(dir.path()).unwrap() {
            let mode = entry.unwrap().metadata().unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        staged.commit().unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
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
