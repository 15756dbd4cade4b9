//! Opens a folder in the desktop's file manager (`xdg-open` on Linux and the BSDs, `explorer`
//! on Windows, `open` on macOS), off the UI thread: the opener may take a while, and when it
//! fails the panel shows the path to copy instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::ui::event::Event;
use crate::ui::worker::Worker;

/// The program that opens a folder on this platform.
pub const OPENER: &str = if cfg!(target_os = "windows") {
    "explorer"
} else if cfg!(target_os = "macos") {
    "open"
} else {
    "xdg-open"
};

/// Opens `folder`; when that fails, `failed` makes the event that says why.
pub fn open<E: Into<Event>>(
    worker: &Worker,
    folder: PathBuf,
    failed: impl FnOnce(String) -> E + Send + 'static,
) {
    let sink = worker.sink();
    worker.spawn_blocking(move || {
        if let Err(why) = open_with(OPENER, &folder) {
            sink.send(failed(why));
        }
    });
}

/// Runs `program folder` and waits for it; why it failed, in words for the user.
pub fn open_with(program: &str, folder: &Path) -> Result<(), String> {
    if !folder.is_dir() {
        return Err(format!("{} is not a folder (any more)", folder.display()));
    }
    let status = Command::new(program)
        .arg(folder)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => format!(
                "{program} is not installed{}",
                if program == "xdg-open" {
                    " (it comes with the xdg-utils package)"
                } else {
                    ""
                }
            ),
            _ => format!("{program} could not be started: {error}"),
        })?;
    // explorer answers 1 also when it opened the window, so only a start failure counts there.
    if status.success() || program == "explorer" {
        return Ok(());
    }
    Err(match status.code() {
        Some(3) if program == "xdg-open" => {
            "xdg-open found no program to open folders with on this desktop".to_string()
        }
        Some(code) => format!("{program} ended with exit code {code}"),
        None => format!("{program} was stopped before it opened the folder"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_opener_or_folder_is_said_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let missing = open_with("provdesk-no-such-opener", dir.path()).unwrap_err();
        assert_eq!(missing, "provdesk-no-such-opener is not installed");
        let gone = dir.path().join("gone");
        let error = open_with("provdesk-no-such-opener", &gone).unwrap_err();
        assert!(error.ends_with("is not a folder (any more)"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn an_opener_that_fails_is_reported_with_its_exit_code() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            open_with("false", dir.path()).unwrap_err(),
            "false ended with exit code 1"
        );
        assert_eq!(open_with("true", dir.path()), Ok(()));
    }
}
