//! Files and folders that may hold secrets: created readable by the user only from their first
//! byte, and replaced whole or not at all, never over an SQLite database (see
//! [`not_to_be_written`]): a save dialog's or a flag's path that names the inventory would
//! otherwise swap every device and password for a HAR.
//!
//! On Unix a file is 0600 and a folder 0700. On Windows both get the ACL they inherit from
//! their folder (the user's profile is private to the user; a shared folder is shared).

use std::io::Write as _;
use std::path::Path;

use tempfile::NamedTempFile;

use crate::sqlite_files::not_to_be_written;

/// Creates the folder and any missing parents readable by the user only; a folder that exists
/// is left as it is, a file of that name is an error that says so.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if dir.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            format!("{} is a file, not a folder", dir.display()),
        ));
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Creates an empty file readable by the user only, for a program (SQLite) that then opens it
/// itself. An existing file keeps the mode its owner gave it.
pub fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Writes `bytes` to a new private file beside `path`, under a name no one else chose (created
/// exclusively, never through a link), to be renamed into place with
/// [`NamedTempFile::persist`]; dropped without that, it is removed. Creates missing folders,
/// private. A folder or an SQLite database at `path` is an error before anything is written,
/// so a set of files staged together is refused whole.
pub fn stage_private(path: &Path, bytes: &[u8]) -> std::io::Result<NamedTempFile> {
    if path.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a folder; give a file name",
        ));
    }
    if let Some(reason) = not_to_be_written(path) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            reason,
        ));
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(folder)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".provdesk.tmp")
        .tempfile_in(folder)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    Ok(file)
}

/// Whether `path` can take a file to be saved, asked before the work that makes the file so a
/// typo does not cost it: not a folder, not an SQLite database (the inventory above all), and in
/// a folder that exists. The error names the path and what to give instead (`example`: a file
/// name to suggest inside a folder given).
pub fn check_save_target(path: &Path, example: &str) -> Result<(), String> {
    if path.is_dir() {
        return Err(format!(
            "{} is a folder: give a file name in it, e.g. {}",
            path.display(),
            path.join(example).display()
        ));
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(format!(
            "cannot write {}: the folder {} does not exist; create it or give a path in an existing folder",
            path.display(),
            parent.display()
        ));
    }
    match not_to_be_written(path) {
        Some(reason) => Err(format!("cannot write {}: {reason}", path.display())),
        None => Ok(()),
    }
}

/// Replaces `path` with a private file holding `bytes`: a reader sees the old file or the new
/// one, never a half-written one, and a failed write leaves the old file as it was. A pipe or
/// a device there (`/dev/stdout`, `>(gzip > x.gz)`) is written into instead (see
/// [`write_through`]).
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(written) = write_through(path, bytes) {
        return written;
    }
    stage_private(path, bytes)?
        .persist(path)
        .map(drop)
        .map_err(|error| error.error)
}

/// Writes `bytes` into the pipe, terminal or other device at `path`, if that is what is there;
/// `None` for a plain file, a folder or nothing. There is no file to replace: a temporary file
/// renamed over it would replace the device's *name* (`/dev/stdout` itself, for root) and
/// the output would go nowhere the user looks. A pipe whose reader has closed it (`| head`)
/// took what it wanted, which is no failure.
#[cfg(unix)]
fn write_through(path: &Path, bytes: &[u8]) -> Option<std::io::Result<()>> {
    let metadata = std::fs::metadata(path).ok()?;
    if metadata.is_file() || metadata.is_dir() {
        return None;
    }
    let mut file = match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(file) => file,
        Err(error) => return Some(Err(error)),
    };
    // Swapped for a plain file since: that one is replaced whole, as any other.
    if file.metadata().is_ok_and(|metadata| metadata.is_file()) {
        return None;
    }
    Some(match file.write_all(bytes).and_then(|()| file.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        written => written,
    })
}

/// Windows has no device names in the file system that a save could reach by accident.
#[cfg(not(unix))]
fn write_through(_: &Path, _: &[u8]) -> Option<std::io::Result<()>> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_replaced_file_is_private_and_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/folder/export.csv");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        write_private(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600);
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(left, ["export.csv"], "no temporary file is left");
    }

    #[test]
    fn missing_folders_are_created_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/file.har");
        write_private(&path, b"x").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"x");
        #[cfg(unix)]
        {
            assert_eq!(mode(&dir.path().join("a")), 0o700);
            assert_eq!(mode(&dir.path().join("a/b")), 0o700);
        }
    }

    #[test]
    fn a_file_where_a_folder_should_be_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out");
        std::fs::write(&file, "").unwrap();
        let error = write_private(&file.join("a.xml"), b"x").unwrap_err();
        assert!(
            error.to_string().ends_with("out is a file, not a folder"),
            "{error}"
        );
    }

    #[test]
    fn an_sqlite_database_is_neither_replaced_nor_accepted_as_a_target() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("inventory.sqlite3");
        let pages = b"SQLite format 3\0the devices";
        std::fs::write(&database, pages).unwrap();
        let error = write_private(&database, b"{\"log\": {}}").unwrap_err();
        assert!(error.to_string().contains("SQLite database"), "{error}");
        assert_eq!(std::fs::read(&database).unwrap(), pages);
        let refused = check_save_target(&database, "fetch.har").unwrap_err();
        assert!(
            refused.starts_with(&format!("cannot write {}: ", database.display())),
            "{refused}"
        );
        assert!(refused.ends_with("choose another file name"), "{refused}");
        let left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(left, 1, "no temporary file is left");
    }

    #[test]
    fn a_folder_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let error = write_private(dir.path(), b"x").unwrap_err();
        assert!(error.to_string().contains("folder"), "{error}");
        assert!(dir.path().is_dir());
    }
    /// `export --csv /dev/stdout` and `--har >(…)`: the bytes go into the pipe, which stays a
    /// pipe; a temporary file renamed over it would have replaced it.
    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_into_not_replaced() {
        use std::os::unix::fs::FileTypeExt as _;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo))
        };
        write_private(&fifo, b"mac\n").unwrap();
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "the pipe was replaced by a file");
        assert_eq!(reader.join().unwrap().unwrap(), b"mac\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_into_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let null = dir.path().join("null");
        std::os::unix::fs::symlink("/dev/null", &null).unwrap();
        write_private(&null, b"discarded").unwrap();
        assert!(std::fs::symlink_metadata(&null).unwrap().is_symlink());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
