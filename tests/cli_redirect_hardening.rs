//! `provdesk redirect` and `provdesk sync` refusing what would hurt: a timeout no clock can
//! hold, plain http:// to another machine, and a data folder others can read.

use crate::support::cli::{text, with_account};

use std::path::Path;
use std::process::{Command, Output};

const PASSWORD: &str = "s3cret-provisioner";

fn provdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provdesk"))
        .args(["--db", db.to_str().unwrap()])
        .args(args)
        .env("REDIRECT_PASSWORD", PASSWORD)
        .env("PROVDESK_NO_KEYRING", "1")
        .output()
        .expect("the binary runs")
}

#[test]
fn a_timeout_beyond_any_clock_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    for (command, rest) in [("redirect", vec!["list"]), ("sync", vec!["--dry-run"])] {
        for timeout in [
            "--timeout=1e20",
            "--timeout=1e9",
            "--timeout=inf",
            "--timeout=-1",
        ] {
            let mut args = with_account(command, "http://127.0.0.1:9/apxml/rpc.do", &rest);
            args.push(timeout);
            let output = provdesk(&db, &args);
            assert!(!output.status.success(), "{timeout}: {output:?}");
            assert_ne!(output.status.code(), Some(101), "{timeout}: {output:?}");
            let stderr = text(&output.stderr);
            assert!(stderr.contains("--timeout"), "{stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}

#[test]
fn plain_http_to_another_machine_needs_allow_http() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    // 192.0.2.0/24 is TEST-NET-1: nothing answers there, and nothing must be sent.
    let server = "http://192.0.2.1/apxml/rpc.do";
    for (command, rest) in [("redirect", vec!["list"]), ("sync", vec!["--dry-run"])] {
        let args = with_account(command, server, &rest);
        let output = provdesk(&db, &args);
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains("https://"), "{stderr}");
        assert!(stderr.contains("--allow-http"), "{stderr}");
        assert!(!stderr.contains(PASSWORD), "{stderr}");
    }
    // With the switch the client is built and tries the lab server (which is not there).
    let mut args = with_account("redirect", server, &["list"]);
    args.extend(["--allow-http", "--timeout", "0.5"]);
    let output = provdesk(&db, &args);
    let stderr = text(&output.stderr);
    assert!(!stderr.contains("--allow-http"), "{stderr}");
    assert!(stderr.contains("in clear"), "the warning: {stderr}");
}

#[cfg(unix)]
#[test]
fn save_account_creates_the_data_folder_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("new").join("provdesk");
    let db = data.join("inventory.sqlite3");
    let output = provdesk(
        &db,
        &with_account(
            "redirect",
            "https://prov.gigaset.net/apxml/rpc.do",
            &["save-account"],
        ),
    );
    assert!(output.status.success(), "{output:?}");
    let mode = std::fs::metadata(&data).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "the data folder is {:o}", mode & 0o777);
}
