//! What the simulator serves: files given in memory, or files from one folder, with no way
//! out of that folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Whether a request path may be looked at at all. `.` and `..` segments are refused before
/// authentication, as Apache does, so no credentials are needed to see a traversal fail.
pub(super) fn path_is_acceptable(path: &str) -> bool {
    path.starts_with('/') && !path.split('/').any(|segment| matches!(segment, "." | ".."))
}

/// The body for `path` (query already removed): an in-memory file, else one from `dir`.
pub(super) async fn lookup(
    files: &BTreeMap<String, Vec<u8>>,
    dir: Option<&Path>,
    path: &str,
) -> Option<Vec<u8>> {
    if let Some(body) = files.get(path) {
        return Some(body.clone());
    }
    let file = confined(dir?, path)?;
    tokio::fs::read(file).await.ok()
}

/// The file `path` names inside `dir` (already canonical), or `None` when it would leave it.
///
/// Stricter than a web server needs to be: segments may not start with a dot (no `..`, no
/// `.htdigest`), and may not hold `%`, `\`, `:` or control characters (no encoded or
/// Windows-style escapes). Symbolic links are followed only if they stay inside `dir`.
fn confined(dir: &Path, path: &str) -> Option<PathBuf> {
    let mut file = dir.to_path_buf();
    for segment in path.strip_prefix('/')?.split('/') {
        let refused = segment.is_empty()
            || segment.starts_with('.')
            || segment
                .chars()
                .any(|c| matches!(c, '%' | '\\' | ':') || c.is_control());
        if refused {
            return None;
        }
        file.push(segment);
    }
    let real = file.canonicalize().ok()?;
    (real.starts_with(dir) && real.is_file()).then_some(real)
}

/// `application/xml` for `.xml`, as provisioning servers label configuration files.
pub(super) fn content_type(path: &str) -> &'static str {
    if path.to_ascii_lowercase().ends_with(".xml") {
        "application/xml"
    } else {
        "application/octet-stream"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_are_refused_early() {
        assert!(path_is_acceptable("/a/b.xml"));
        assert!(path_is_acceptable("/%2e%2e/x"));
        assert!(!path_is_acceptable("/../x"));
        assert!(!path_is_acceptable("/a/./x"));
        assert!(!path_is_acceptable("x"));
    }

    #[test]
    fn the_folder_cannot_be_left() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("served");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("a.xml"), "<a/>").unwrap();
        std::fs::write(dir.join(".htdigest"), "u:r:h").unwrap();
        std::fs::write(root.path().join("secret"), "no").unwrap();
        let dir = dir.canonicalize().unwrap();
        assert!(confined(&dir, "/a.xml").is_some());
        for escape in [
            "/../secret",
            "/%2e%2e/secret",
            "/..%2fsecret",
            "/..\\secret",
            "/.htdigest",
            "//secret",
            "/",
        ] {
            assert_eq!(confined(&dir, escape), None, "{escape}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.path().join("secret"), dir.join("link")).unwrap();
            assert_eq!(confined(&dir, "/link"), None);
        }
    }
}
